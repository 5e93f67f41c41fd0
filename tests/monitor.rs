//! The streaming monitor: every alert kind, deferred confirmations, and refused input.

use alliance::Error;
use alliance::monitor::{AlertKind, DyadMonitor, Monitor, MonitorConfig};
use alliance::trend::{
    CusumRule, DivergenceRule, EwmaRule, PcomsRule, RuptureLevel, RuptureReference, RuptureRule,
    SeriesEnd, SuddenDropRule, TANG_DERUBEIS_1999,
};

fn full_config() -> MonitorConfig {
    MonitorConfig::builder()
        .reference_sd(1.0)
        .sudden_drops(SuddenDropRule::builder().min_drop(4.0).build().unwrap())
        .pcoms(PcomsRule::builder().cutoff(36.0).build().unwrap())
        .divergence(DivergenceRule::builder().bound(5.0).build().unwrap())
        .build()
        .unwrap()
}

#[test]
fn every_kind_fires_on_a_designed_course() {
    // steady, a sudden lasting fall at session 4, a recovery, a second dip left unrepaired
    let client = [
        38.0, 39.0, 38.0, 39.0, 29.0, 28.0, 29.0, 38.0, 39.0, 38.0, 30.0, 31.0, 31.0, 31.0,
    ];
    let therapist = [
        37.0, 37.0, 37.0, 37.0, 36.0, 35.0, 36.0, 37.0, 37.0, 37.0, 37.0, 37.0, 37.0, 37.0,
    ];
    let mut m = Monitor::new("SRS total", full_config());
    let mut all = Vec::new();
    for (i, (&c, &t)) in client.iter().zip(&therapist).enumerate() {
        for a in m.push_paired(i as f64 + 1.0, c, t).unwrap() {
            assert!(!a.source.is_empty());
            assert!(!a.to_string().is_empty());
            all.push(a);
        }
    }
    let has = |k: AlertKind| all.iter().any(|a| a.kind == k);
    assert!(has(AlertKind::Rupture {
        level: RuptureLevel::Strict
    }));
    assert!(has(AlertKind::Repair));
    assert!(has(AlertKind::Unrepaired));
    assert!(has(AlertKind::SuddenDrop));
    assert!(has(AlertKind::CusumLow));
    assert!(has(AlertKind::EwmaLow));
    assert!(has(AlertKind::BelowCutoff));
    assert!(has(AlertKind::DropFromPrevious));
    assert!(has(AlertKind::Divergence));

    // the sudden drop 39 -> 29 (sessions 3 -> 4) is confirmed by sessions 4, 5, 6: raised at 6
    let drop = all
        .iter()
        .find(|a| a.kind == AlertKind::SuddenDrop)
        .unwrap();
    assert_eq!((drop.index, drop.raised_index), (4, 6));
    assert_eq!(drop.source, TANG_DERUBEIS_1999);

    // the rupture at session 4 is repaired by session 7 (within 3 sessions)
    let repair = all.iter().find(|a| a.kind == AlertKind::Repair).unwrap();
    assert_eq!((repair.index, repair.raised_index), (4, 7));
}

#[test]
fn refused_sessions_leave_the_monitor_unchanged() {
    let mut m = Monitor::new("x", full_config());
    m.push(1.0, 30.0).unwrap();
    m.push(2.0, 31.0).unwrap();
    let before = m.clone();
    assert!(matches!(
        m.push(f64::NAN, 30.0),
        Err(Error::NonFinite { index: 2, .. })
    ));
    assert!(matches!(
        m.push(3.0, f64::INFINITY),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        m.push(2.0, 30.0),
        Err(Error::NotIncreasing { index: 2, .. })
    ));
    assert!(matches!(m.push(3.0, 1e300), Err(Error::TooLarge { .. })));
    assert!(matches!(
        m.push_paired(3.0, 30.0, f64::NAN),
        Err(Error::NonFinite { .. })
    ));
    assert_eq!(m, before);
    assert_eq!(m.sessions(), 2);
    assert!(m.push(3.0, 30.0).is_ok());
}

#[test]
fn dyad_monitor_checks_every_score_first() {
    let mut d = DyadMonitor::new(&["total", "goals"], full_config()).unwrap();
    d.push(1.0, &[30.0, 7.0], None).unwrap();
    let before = d.clone();
    assert!(matches!(
        d.push(2.0, &[30.0], None),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        d.push(2.0, &[30.0, f64::NAN], None),
        Err(Error::NonFinite { index: 1, .. })
    ));
    assert!(matches!(
        d.push(2.0, &[30.0, 7.0], Some(&[1.0])),
        Err(Error::LengthMismatch { .. })
    ));
    assert_eq!(d, before);
    assert!(matches!(
        DyadMonitor::<&str>::new(&[], full_config()),
        Err(Error::NoMonitoredScores)
    ));
}

#[test]
fn monitor_refuses_retrospective_ruptures() {
    let rule = RuptureRule::builder()
        .reference_sd(1.0)
        .reference(RuptureReference::AllOthers)
        .build()
        .unwrap();
    let refused = MonitorConfig::builder().ruptures(rule).build().unwrap_err();
    assert_eq!(
        refused,
        Error::NotStreamable {
            option: "RuptureReference::AllOthers"
        }
    );
    assert_eq!(
        refused.to_string(),
        "RuptureReference::AllOthers looks at later sessions, so a monitor cannot use it (its \
         verdicts could change after they were raised); use the batch function on a completed \
         course instead"
    );
}

#[test]
fn monitor_refuses_a_truncated_end_window() {
    let rule = SuddenDropRule::builder()
        .min_drop(4.0)
        .end(SeriesEnd::Truncate)
        .build()
        .unwrap();
    assert!(matches!(
        MonitorConfig::builder().sudden_drops(rule).build(),
        Err(Error::NotStreamable {
            option: "SeriesEnd::Truncate"
        })
    ));
}

#[test]
fn reference_sd_switches_on_the_default_rules() {
    let config = MonitorConfig::builder().reference_sd(2.0).build().unwrap();
    assert_eq!(
        config.ruptures(),
        Some(RuptureRule::builder().reference_sd(2.0).build().unwrap())
    );
    assert_eq!(
        config.cusum(),
        Some(CusumRule::builder().sd_floor(2.0).build().unwrap())
    );
    assert_eq!(
        config.ewma(),
        Some(EwmaRule::builder().sd_floor(2.0).build().unwrap())
    );
    assert_eq!(
        (config.sudden_drops(), config.pcoms(), config.divergence()),
        (None, None, None)
    );
    // an explicit rule replaces its default, a `without_` removes it, whatever the order
    let cusum = CusumRule::builder().sd_floor(1.0).build().unwrap();
    let config = MonitorConfig::builder()
        .cusum(cusum)
        .without_ewma()
        .reference_sd(2.0)
        .build()
        .unwrap();
    assert_eq!((config.cusum(), config.ewma()), (Some(cusum), None));
    // nothing is switched on without a reference SD, and a bad one is refused
    let empty = MonitorConfig::builder().build().unwrap();
    assert_eq!(
        (empty.ruptures(), empty.cusum(), empty.ewma()),
        (None, None, None)
    );
    assert!(matches!(
        MonitorConfig::builder().reference_sd(0.0).build(),
        Err(Error::InvalidRuleParameter { .. })
    ));
    assert!(
        MonitorConfig::builder()
            .reference_sd(0.0)
            .without_ruptures()
            .without_cusum()
            .without_ewma()
            .build()
            .is_ok()
    );
}

#[test]
fn no_monitored_scores_reads_as_a_sentence() {
    assert_eq!(
        Error::NoMonitoredScores.to_string(),
        "a dyad monitor needs at least one score to monitor, and none was given"
    );
}

#[test]
fn push_into_appends_and_leaves_the_buffer_alone_on_error() {
    let mut m = Monitor::new("x", full_config());
    let mut out = Vec::new();
    m.push_into(1.0, 30.0, None, &mut out).unwrap();
    assert_eq!(out.len(), 1); // 30 < 36
    m.push_into(2.0, 29.0, Some(29.0), &mut out).unwrap();
    assert_eq!(out.len(), 3); // below cutoff, and a 1-point drop
    assert!(m.push_into(2.0, 29.0, None, &mut out).is_err());
    assert_eq!(out.len(), 3);
    let mut d = DyadMonitor::new(&[0usize, 1], full_config()).unwrap();
    let mut out = Vec::new();
    d.push_into(1.0, &[37.0, 38.0], None, &mut out).unwrap();
    assert!(d.push_into(2.0, &[37.0, f64::NAN], None, &mut out).is_err());
    assert!(out.is_empty());
}
