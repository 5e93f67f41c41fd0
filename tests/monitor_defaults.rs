//! `MonitorConfig::for_instrument`: every rule's number comes from the instrument's published
//! numbers or its scale, and the basis says which.

use alliance::monitor::MonitorConfig;
use alliance::{Cutoff, Instrument, Norm, Reliability, ReliabilityKind, Scale, catalog};

/// The PCOMS drop is 1/40 of the total's range: 1 point on the 0-40 session scale, whatever
/// the instrument (the 6-point POMP drops came from a fixed 1 point).
#[test]
fn the_pcoms_drop_scales_with_the_range() {
    let vas = MonitorConfig::for_instrument(&catalog::session_scale()).unwrap();
    let pcoms = vas.config.pcoms().unwrap();
    assert_eq!((pcoms.cutoff(), pcoms.min_drop()), (36.0, 1.0));
    // a 1-5 mean instrument of one's own with a cutoff: range 4, drop 0.1
    let mine = Instrument::builder("MINE", Scale::likert(1, 5).unwrap(), 6)
        .scoring(alliance::ScoringRule::Mean)
        .cutoff(Cutoff::below("low", 3.0, "our clinic").unwrap())
        .build()
        .unwrap();
    let derived = MonitorConfig::for_instrument(&mine).unwrap();
    let pcoms = derived.config.pcoms().unwrap();
    assert_eq!(pcoms.min_drop(), 4.0 / 40.0);
    // a 6-10 sum of 10 items (range 40..100): drop 1.5
    let sum = Instrument::builder("SUM", Scale::likert(4, 10).unwrap(), 10)
        .scoring(alliance::ScoringRule::Sum)
        .cutoff(Cutoff::below("low", 70.0, "our clinic").unwrap())
        .build()
        .unwrap();
    let pcoms = MonitorConfig::for_instrument(&sum)
        .unwrap()
        .config
        .pcoms()
        .unwrap();
    assert_eq!(pcoms.min_drop(), 60.0 / 40.0);
}

/// Without a norm the SD is the smallest change the total records, and the basis says so;
/// rules that need published numbers the catalog lacks are off, with the reason.
#[test]
fn catalog_entries_use_only_what_they_carry() {
    for instrument in catalog::all() {
        let derived = MonitorConfig::for_instrument(&instrument).unwrap();
        let sd = derived.config.ruptures().unwrap().reference_sd();
        let step = instrument.scale().step().unwrap();
        let k = instrument.items().len() as f64;
        let expected = match instrument.scoring() {
            alliance::ScoringRule::Sum => step,
            alliance::ScoringRule::Mean => step / k,
        };
        assert_eq!(sd, expected, "{}", instrument.id());
        assert_eq!(derived.config.cusum().unwrap().sd_floor(), sd);
        assert_eq!(derived.config.ewma().unwrap().sd_floor(), sd);
        assert!(derived.config.sudden_drops().is_none());
        assert!(
            derived.config.divergence().is_none(),
            "no catalog entry has a norm"
        );
        assert_eq!(derived.config.pcoms().is_some(), instrument.id() == "VAS-4");
        let rules: Vec<&str> = derived.basis.iter().map(|b| b.rule).collect();
        for rule in [
            "rupture",
            "sudden_drop",
            "cusum",
            "ewma",
            "pcoms",
            "divergence",
        ] {
            assert!(
                rules.contains(&rule),
                "{rule} has no basis for {}",
                instrument.id()
            );
        }
        let rupture = derived.basis.iter().find(|b| b.rule == "rupture").unwrap();
        assert!(rupture.reason.starts_with("no published SD"), "{}", rupture);
    }
}

/// With a norm and a reliability, the SD is the norm's and divergence is on with the
/// reliable difference of two raters, 1.96 * sqrt(2) * SD * sqrt(1 - r).
#[test]
fn a_norm_and_a_reliability_switch_divergence_on() {
    let instrument = Instrument::builder("NORMED", Scale::likert(1, 7).unwrap(), 5)
        .norm(Norm::new(5.2, 0.9, "clinic sample", Some(400)).unwrap())
        .reliability(Reliability::new(0.84, ReliabilityKind::Alpha, "clinic sample").unwrap())
        .build()
        .unwrap();
    let derived = MonitorConfig::for_instrument(&instrument).unwrap();
    assert_eq!(derived.config.ruptures().unwrap().reference_sd(), 0.9);
    let bound = derived.config.divergence().unwrap().bound();
    // 1.96 * sqrt(2) * 0.9 * 0.4 = 0.99777... (Jacobson & Truax's S_diff times 1.96)
    let s_diff = (2.0f64).sqrt() * 0.9 * (1.0f64 - 0.84).sqrt();
    assert!((bound - 1.959_963_984_540_054 * s_diff).abs() < 1e-15);
    assert!((bound - 0.997_77).abs() < 1e-4);
    let text: Vec<String> = derived.basis.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with("divergence bound = 0.997")),
        "{text:?}"
    );
}

/// Reliable change takes its defaults from the instrument too: the norm's SD and the
/// reliability, the same criterion as set by hand.
#[test]
fn reliable_change_takes_the_instruments_numbers() {
    use alliance::trend::{ChangeCriterion, SdSource};
    let instrument = Instrument::builder("NORMED", Scale::likert(1, 7).unwrap(), 5)
        .norm(Norm::new(5.2, 0.9, "clinic sample", Some(400)).unwrap())
        .reliability(Reliability::new(0.84, ReliabilityKind::TestRetest, "clinic sample").unwrap())
        .build()
        .unwrap();
    let by_hand = ChangeCriterion::builder()
        .sd(0.9, SdSource::Norm)
        .reliability(0.84, ReliabilityKind::TestRetest)
        .build()
        .unwrap();
    assert_eq!(
        ChangeCriterion::builder_for(&instrument).build().unwrap(),
        by_hand
    );
    // the catalog's entries carry no SD: the builder names what is missing
    for i in catalog::all() {
        let e = ChangeCriterion::builder_for(&i).build().unwrap_err();
        assert_eq!(e.code(), "missing_setting", "{}", i.id());
    }
}
