//! Built-in scoring keys of published alliance measures, and the crate's own check-in.
//!
//! Each entry documents authors, year, scale, key, cutoffs and licence status, and says where
//! its key was checked. Only scoring keys ship: no item wording of any published instrument.
//! Each entry also maps its items onto the four [`Element`]s; that mapping is this crate's
//! own design choice (no published instrument measures the four elements), documented per
//! entry, and every native subscale is always reported beside it.
//!
//! Instruments whose keys could not be verified against a public source are left out, and
//! listed at the end of this page with the reason.
//!
//! # Left out, and why
//! See [`UNVERIFIED`].

use super::{Cutoff, Instrument, MissingRule, Reliability, ReliabilityKind, Scale, ScoringRule};
use crate::element::Element;

/// Instruments the crate does not ship yet, each with the reason (their scoring keys could
/// not be checked against a public source).
pub const UNVERIFIED: &[(&str, &str)] = &[
    (
        "WAI (36 items)",
        "7-point scale, 3 x 12 items and reverse items 1-29 checked; the subscale key and \
         reverse items 31, 33, 34 could not be checked against the official key",
    ),
    (
        "WAI-S (Tracey & Kokotovic 1989)",
        "12 items, 7-point, 4 per subscale checked; the item-to-subscale key and the \
         reversal of items 4 and 10 have only indirect support",
    ),
    (
        "WAI-S-T, WAI-SR-T and the therapist short form (Hatcher, Lindqvist & Falkenstrom \
         2020)",
        "the forms exist; item count and key are in the paper's supplement, not reachable",
    ),
    (
        "STAR-P / STAR-C (McGuire-Snieckus et al. 2007)",
        "12 items and subscale sizes checked; item numbers per subscale, the 0-4 coding and \
         the reversed items not found",
    ),
    (
        "CALPAS (Gaston 1991)",
        "24 items and 4 scales checked; scale membership, reversed items and the 1-7 coding \
         not found",
    ),
    (
        "ARM-12 (Cahill et al. 2012)",
        "only its existence could be checked; no item list or key found",
    ),
];

/// Every built-in instrument.
///
/// # Example
/// ```
/// let ids: Vec<String> = alliance::catalog::all().iter().map(|i| i.id().to_owned()).collect();
/// assert_eq!(ids, ["WAI-SR", "HAq-II", "ARM-5", "VAS-4", "ALLIANCE-4E"]);
/// ```
pub fn all() -> Vec<Instrument> {
    vec![wai_sr(), haq_ii(), arm_5(), session_scale(), checkin()]
}

/// The built-in instrument with id `id` (case-insensitive), if any.
///
/// # Example
/// ```
/// assert_eq!(alliance::catalog::by_id("wai-sr").map(|i| i.items().len()), Some(12));
/// ```
pub fn by_id(id: &str) -> Option<Instrument> {
    all().into_iter().find(|i| i.id().eq_ignore_ascii_case(id))
}

/// Builds a catalog entry; the definitions below are fixed and tested, so failure is a bug.
fn fixed(builder: super::InstrumentBuilder) -> Instrument {
    match builder.build() {
        Ok(i) => i,
        // Unreachable for the fixed keys below; every entry is built in the test suite.
        Err(e) => unreachable!("catalog entry is invalid: {e}"),
    }
}

/// A published coefficient of a catalog entry; fixed and tested, so failure is a bug.
fn reliability(value: f64, kind: ReliabilityKind, source: &str) -> Reliability {
    match Reliability::new(value, kind, source) {
        Ok(r) => r,
        Err(e) => unreachable!("catalog reliability is invalid: {e}"),
    }
}

fn likert(min: u8, max: u8) -> Scale {
    match Scale::likert(min, max) {
        Ok(s) => s,
        Err(e) => unreachable!("catalog scale is invalid: {e}"),
    }
}

/// **WAI-SR**, Working Alliance Inventory - Short Revised, client form (Hatcher & Gillaspy
/// 2006, *Psychotherapy Research* 16:12-25).
///
/// - 12 items, 5-point frequency scale 1-5 (1 Seldom ... 5 Always); no reverse-keyed items.
/// - Subscales (4 items each): Task 1 2 10 12, Bond 3 5 7 9, Goal 4 6 8 11.
/// - Scored as the item mean, 1-5 (the sum, 12-60, is in [`ScaleScore::sum`]); the mean
///   survives prorating unchanged.
/// - Missing data: at most 1 of 4 items per subscale (so at most 3 in all), prorated. The
///   developers published no rule; this follows the usual 75% convention.
/// - No developer norms or cutoffs exist; vendor bands are unvalidated and not shipped.
/// - Reliability: alpha above .80 in German outpatients (N = 88) and inpatients (N = 243)
///   (Munder, Wilmers, Leonhart, Linster & Barth 2010, *Clinical Psychology & Psychotherapy*
///   17:231-239, abstract). The entry carries .80, the bound: reliable-change thresholds
///   built on it are conservative. The developers' own alpha and any SD of a clinical sample
///   could not be read in a public source and are not shipped, so [`Instrument::norm`] is
///   `None`.
/// - Elements: Rapport = Bond (3 5 7 9); Goals = Goal (4 6 8 11); Responsibility = Task 2 12;
///   Expectations = Task 1 10 (2 items: flagged low reliability).
/// - Key checked: Hatcher & Gillaspy (2006) as reproduced by public scoring code and a
///   vendor's scoring page (both agree).
/// - Licence: copyright with the Society for Psychotherapy Research; forms free for research
///   and clinical use. Only the key ships.
///
/// [`ScaleScore::sum`]: crate::ScaleScore::sum
///
/// # Example
/// ```
/// use alliance::{catalog, ScoringRule};
/// let wai = catalog::wai_sr();
/// assert_eq!((wai.items().len(), wai.scoring()), (12, ScoringRule::Mean));
/// assert_eq!(wai.subscales().iter().map(|s| s.name()).collect::<Vec<_>>(), ["Task", "Bond", "Goal"]);
/// ```
pub fn wai_sr() -> Instrument {
    fixed(
        Instrument::builder("WAI-SR", likert(1, 5), 12)
            .name("Working Alliance Inventory - Short Revised (client)")
            .source("Hatcher & Gillaspy (2006), Psychotherapy Research 16(1), 12-25")
            .licence(
                "Copyright Society for Psychotherapy Research; free for research and clinical \
                 use; scoring key only, no item wording",
            )
            .validated(true)
            .subscale("Task", &[1, 2, 10, 12])
            .subscale("Bond", &[3, 5, 7, 9])
            .subscale("Goal", &[4, 6, 8, 11])
            .element(Element::Rapport, &[3, 5, 7, 9])
            .element(Element::Goals, &[4, 6, 8, 11])
            .element(Element::Responsibility, &[2, 12])
            .element(Element::Expectations, &[1, 10])
            .scoring(ScoringRule::Mean)
            .missing(MissingRule::Prorate {
                max_missing: 3,
                max_missing_per_subscale: Some(1),
            })
            .reliability(reliability(
                0.80,
                ReliabilityKind::Alpha,
                "alpha > .80, the bound, in German outpatients (N = 88) and inpatients \
                 (N = 243): Munder, Wilmers, Leonhart, Linster & Barth (2010), Clinical \
                 Psychology & Psychotherapy 17(3), 231-239",
            )),
    )
}

/// **HAq-II**, Revised Helping Alliance Questionnaire (Luborsky, Barber, Siqueland, Johnson,
/// Najavits, Frank & Daley 1996, *J Psychotherapy Practice and Research* 5:260-271).
///
/// - 19 items; patient and therapist forms are parallel.
/// - Reverse keyed: items 4, 8, 11, 16, 19, the five negatively worded ones (checked against
///   the published item list; five negative items agrees with Le Bloc'h et al. 2006).
/// - Scale: 6-point agreement, coded 1-6 here, so reversal is 7 - x. The 1-6 coding is the one
///   in common use; it could not be re-checked against the paper's method section. If your
///   forms are coded otherwise, define the instrument with [`Instrument::builder`].
/// - Some adaptations drop items 11 and 14 or score two factors; this entry keeps the
///   published 19-item total.
/// - Scored as the sum, 19-114 (the mean is in [`ScaleScore::mean`]); no subscales.
/// - Missing data: at most 2 of 19, prorated (no published rule).
/// - Reliability, SD, norms: none shipped. The 1996 abstract calls reliability "excellent"
///   without a number; the alphas found (.88 patient, .93 therapist) are of a Spanish
///   translation, not of this form.
/// - Elements: Rapport 2 4 7 9 12 18 19; Goals 3 6 (2 items: low reliability);
///   Responsibility 5 8 10 11 15 16 17; Expectations 1 13 14.
/// - Licence: the item list is printed in the 1996 paper; no explicit licence found. Only
///   the key ships.
///
/// [`ScaleScore::mean`]: crate::ScaleScore::mean
///
/// # Example
/// ```
/// use alliance::{catalog, Keying};
/// let haq = catalog::haq_ii();
/// let reversed: Vec<u16> = haq.items().iter().filter(|i| i.keying() == Keying::Reverse).map(|i| i.number()).collect();
/// assert_eq!(reversed, [4, 8, 11, 16, 19]);
/// ```
pub fn haq_ii() -> Instrument {
    fixed(
        Instrument::builder("HAq-II", likert(1, 6), 19)
            .name("Revised Helping Alliance Questionnaire")
            .source(
                "Luborsky, Barber, Siqueland, Johnson, Najavits, Frank & Daley (1996), \
                 J Psychotherapy Practice and Research 5(3), 260-271",
            )
            .licence("Items printed in the source paper; no explicit licence; key only")
            .validated(true)
            .reverse(&[4, 8, 11, 16, 19])
            .element(Element::Rapport, &[2, 4, 7, 9, 12, 18, 19])
            .element(Element::Goals, &[3, 6])
            .element(Element::Responsibility, &[5, 8, 10, 11, 15, 16, 17])
            .element(Element::Expectations, &[1, 13, 14])
            .scoring(ScoringRule::Sum)
            .missing(MissingRule::Prorate {
                max_missing: 2,
                max_missing_per_subscale: None,
            }),
    )
}

/// **ARM-5**, Agnew Relationship Measure, five-item version (Cahill, Stiles, Barkham, Hardy,
/// Stone, Agnew-Davies & Unsworth 2012, *Psychotherapy Research* 22(3):241-255).
///
/// - 5 items, 7-point agreement scale 1-7 (strongly disagree ... strongly agree).
/// - Item 3, the one negatively worded item, is reverse keyed (8 - x). Scored as the item
///   mean, 1-7.
/// - Missing data: at most 1 of 5, prorated (no published rule).
/// - The items come from the ARM's Bond, Partnership and Confidence scales. Which item comes
///   from which scale is not printed in any source we could reach; the element map below
///   follows the items' content (1 Bond, 2-3 Partnership, 4-5 Confidence): Rapport 1,
///   Responsibility 2 3, Expectations 4 5. Every element rests on 1-2 items (low reliability).
/// - A public ARM-5 scorer sums four items and never reverses item 3: it is wrong.
/// - Reliability, SD, norms: the paper reports them by sample, but no public copy of its
///   tables could be read, so none is shipped.
///
/// # Example
/// ```
/// use alliance::catalog;
/// let arm = catalog::arm_5();
/// assert_eq!((arm.scale().min(), arm.scale().max()), (1.0, 7.0));
/// ```
pub fn arm_5() -> Instrument {
    fixed(
        Instrument::builder("ARM-5", likert(1, 7), 5)
            .name("Agnew Relationship Measure, 5-item version")
            .source(
                "Cahill, Stiles, Barkham, Hardy, Stone, Agnew-Davies & Unsworth (2012), \
                 Psychotherapy Research 22(3), 241-255",
            )
            .licence("Distributed by the authors, free for non-commercial use; key only")
            .validated(true)
            .reverse(&[3])
            .element(Element::Rapport, &[1])
            .element(Element::Responsibility, &[2, 3])
            .element(Element::Expectations, &[4, 5])
            .scoring(ScoringRule::Mean)
            .missing(MissingRule::Prorate {
                max_missing: 1,
                max_missing_per_subscale: None,
            }),
    )
}

/// **VAS-4**, a four-item visual-analogue session alliance scale scored by the Session
/// Rating Scale rule (Duncan, Miller, Sparks, Claud, Reynolds, Brown & Johnson 2003,
/// *J Brief Therapy* 3:3-12).
///
/// - 4 items, each a mark on a 10 cm line read as 0-10 to 0.1 (mm); total 0-40 (sum).
/// - Cutoff: a total **below 36** signals an alliance concern (Duncan et al. 2003); some
///   practice material reads it as "36 or below": build your own entry with
///   [`Cutoff::new`] with [`CutoffSide::AtOrBelow`](super::CutoffSide::AtOrBelow) if your service follows that reading. The single-item flag below
///   9 found in some practice material rests on one vague source and is not shipped.
/// - Missing data: all 4 items required, because the cutoff is defined on complete totals.
/// - Elements: item 1 (relationship) Rapport, item 2 (goals and topics) Goals, item 3
///   (approach) Responsibility; item 4 is a global rating and feeds no element. Each element
///   rests on one item: all are flagged low reliability.
/// - Licence: the SRS is copyrighted (licences through Performance Metrics LLC). This entry
///   ships the generic scoring rule only, with no item wording, anchors or proprietary
///   expected-treatment-response curves; supply your own labels. Test-retest reliability
///   .54-.70 across four studies (2020 review), so no single value is attached.
///
/// # Example
/// ```
/// use alliance::catalog;
/// let vas = catalog::session_scale();
/// assert_eq!(vas.scale().step(), Some(0.1));
/// assert_eq!(vas.cutoffs()[0].threshold(), 36.0);
/// ```
pub fn session_scale() -> Instrument {
    let vas = match Scale::with_step(0.0, 10.0, 0.1) {
        Ok(s) => s,
        Err(e) => unreachable!("catalog scale is invalid: {e}"),
    };
    let cutoff = match Cutoff::below(
        "alliance concern",
        36.0,
        "Duncan et al. (2003), J Brief Therapy 3(1), 3-12",
    ) {
        Ok(c) => c,
        Err(e) => unreachable!("catalog cutoff is invalid: {e}"),
    };
    fixed(
        Instrument::builder("VAS-4", vas, 4)
            .name("Four-item visual-analogue session alliance scale (SRS scoring rule)")
            .source("Scoring rule and cutoff: Duncan et al. (2003), J Brief Therapy 3(1), 3-12")
            .licence(
                "SRS is copyrighted (Performance Metrics LLC); generic scorer only: no \
                 wording, anchors or ETR curves",
            )
            .validated(true)
            .element(Element::Rapport, &[1])
            .element(Element::Goals, &[2])
            .element(Element::Responsibility, &[3])
            .scoring(ScoringRule::Sum)
            .missing(MissingRule::Complete)
            .cutoff(cutoff),
    )
}

/// The crate's own wording of its four-element check-in, item by item.
const CHECKIN_ITEMS: [&str; 12] = [
    "I felt understood by my therapist today.",
    "I trust my therapist with what matters to me.",
    "I felt judged in this session.",
    "We are working on what I want to work on.",
    "My therapist and I agree on what progress would look like.",
    "I am unsure what we are trying to achieve.",
    "I believe this therapy can help me.",
    "I have a clear idea of how change will come about here.",
    "I expect therapy to fix everything quickly.",
    "I had a say in what we did in this session.",
    "I know what I will do between now and the next session.",
    "My therapist does most of the work in our sessions.",
];

/// **ALLIANCE-4E**, the crate's own four-element check-in. **Not validated**: written for this
/// crate to give each element at least three items; use it for conversation and tracking,
/// not for decisions, until it has been validated.
///
/// - 12 items, 1-5 (1 not at all ... 5 completely), 3 per element, one reverse-keyed per
///   element (3, 6, 9, 12). Wording written by us ([`Instrument::item_text`]), free to use.
/// - Subscales = elements: Rapport 1-3, Goals 4-6, Expectations 7-9, Responsibility 10-12.
/// - Scored as the item mean; at most 1 item missing per subscale, prorated.
///
/// # Example
/// ```
/// use alliance::catalog;
/// let checkin = catalog::checkin();
/// assert!(!checkin.is_validated());
/// assert!(checkin.item_text(1).is_some()); // the crate's own wording ships
/// ```
pub fn checkin() -> Instrument {
    let mut b = Instrument::builder("ALLIANCE-4E", likert(1, 5), 12)
        .name("Four-element alliance check-in (unvalidated)")
        .source("The alliance crate's own items; not validated")
        .licence("MIT OR Apache-2.0, wording included")
        .validated(false)
        .reverse(&[3, 6, 9, 12])
        .scoring(ScoringRule::Mean)
        .missing(MissingRule::Prorate {
            max_missing: 4,
            max_missing_per_subscale: Some(1),
        });
    for (element, first) in Element::ALL.into_iter().zip([1u16, 4, 7, 10]) {
        let items = [first, first + 1, first + 2];
        b = b.subscale(element.name(), &items).element(element, &items);
    }
    for (n, text) in (1u16..).zip(CHECKIN_ITEMS) {
        b = b.item_text(n, text);
    }
    fixed(b)
}
