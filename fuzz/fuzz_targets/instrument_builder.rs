//! Arbitrary specs through `Instrument::builder()`; every instrument that builds scores
//! arbitrary responses (see `common::exercise`), and its serde form reads back equal.
#![no_main]

mod common;

use alliance::{
    Cutoff, CutoffSide, Element, Instrument, MissingRule, Norm, Reliability, ReliabilityKind,
    Scale, ScoringRule,
};
use common::number;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 5] = ["Task", "Bond", "Goal", "", "Task "];

fn items_list(u: &mut Unstructured, items: u16) -> Result<Vec<u16>> {
    common::list(u, 6, |u| {
        Ok(if u.int_in_range(0u8..=7)? == 0 {
            u.arbitrary()?
        } else {
            u.int_in_range(1..=items.max(1))?
        })
    })
}

fn scale(u: &mut Unstructured) -> Result<Option<Scale>> {
    Ok(match u.int_in_range(0u8..=3)? {
        0 => Scale::likert(u.int_in_range(0..=3)?, u.int_in_range(0..=11)?).ok(),
        1 => Scale::new(number(u)?, number(u)?).ok(),
        2 => Scale::with_step(number(u)?, number(u)?, number(u)?).ok(),
        _ => Scale::with_step(
            f64::from(u.int_in_range(0u8..=2)?),
            f64::from(u.int_in_range(3u8..=100)?),
            *u.choose(&[0.5, 1.0, 0.1, 0.25])?,
        )
        .ok(),
    })
}

fn run(u: &mut Unstructured) -> Result<()> {
    let Some(scale) = scale(u)? else {
        return Ok(());
    };
    let items = if u.int_in_range(0u8..=15)? == 0 {
        u.int_in_range(0u16..=300)?
    } else {
        u.int_in_range(0u16..=20)?
    };
    let id = *u.choose(&["X-1", "", "WAI-SR", "id with spaces"])?;
    let mut b = Instrument::builder(id, scale, items)
        .name("fuzz")
        .validated(u.arbitrary()?)
        .reverse(&items_list(u, items)?);
    for _ in 0..u.int_in_range(0u8..=4)? {
        let name = *u.choose(&NAMES)?;
        b = b.subscale(name, &items_list(u, items)?);
    }
    for _ in 0..u.int_in_range(0u8..=3)? {
        let e = *u.choose(&[
            Element::Rapport,
            Element::Goals,
            Element::Expectations,
            Element::Responsibility,
        ])?;
        b = b.element(e, &items_list(u, items)?);
    }
    if u.arbitrary()? {
        b = b.scoring(ScoringRule::Mean);
    }
    if u.arbitrary()? {
        b = b.missing(MissingRule::Prorate {
            max_missing: u.int_in_range(0usize..=25)?,
            max_missing_per_subscale: if u.arbitrary()? {
                Some(u.int_in_range(0usize..=5)?)
            } else {
                None
            },
        });
    }
    for _ in 0..u.int_in_range(0u8..=2)? {
        let side = if u.arbitrary()? {
            CutoffSide::Below
        } else {
            CutoffSide::Above
        };
        if let Ok(c) = Cutoff::new("cut", number(u)?, side, "fuzz") {
            b = b.cutoff(c);
        }
    }
    if u.arbitrary()? {
        if let Ok(n) = Norm::new(number(u)?, number(u)?, "fuzz", u.arbitrary()?) {
            b = b.norm(n);
        }
    }
    if u.arbitrary()? {
        if let Ok(r) = Reliability::new(number(u)?, ReliabilityKind::Alpha, "fuzz") {
            b = b.reliability(r);
        }
    }
    if u.int_in_range(0u8..=7)? == 0 {
        b = b.item_text(u.arbitrary()?, "text");
    }
    let Ok(instrument) = common::twice("build", || b.clone().build()) else {
        return Ok(());
    };
    let range = instrument.total_range();
    assert!(
        range.min.is_finite() && range.max.is_finite() && range.min <= range.max,
        "total range {range:?} of {instrument:?}"
    );
    let json = serde_json::to_string(&instrument).expect("an instrument serializes");
    let back = serde_json::from_str::<Instrument>(&json);
    match alliance::catalog::by_id(instrument.id()) {
        // a catalog id read from data names the catalog's definition only
        Some(known) if known != instrument => {
            let e = back.expect_err("another definition under a catalog id is refused");
            assert!(e.to_string().contains("differs from the catalog"), "{e}");
        }
        _ => assert_eq!(
            back.expect("its own JSON reads back"),
            instrument,
            "serde round trip"
        ),
    }
    for _ in 0..3 {
        common::exercise(u, &instrument)?;
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
