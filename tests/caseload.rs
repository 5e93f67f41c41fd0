//! The caseload links: instruments by value, and errors that name what is wrong.

use alliance::caseload::{ScoreOf, TimeAxis, agreement_by_element, monitor_course, pairs, series};
use alliance::monitor::MonitorConfig;
use alliance::{Course, Element, Error, Level, Rater, Response, Session, catalog, sample};

fn tsak() -> ScoreOf {
    ScoreOf::Subscale("Tsak".into())
}

const TSAK: &str = "subscale 'Tsak' does not exist in 'WAI-SR'; its subscales are Task, Bond, Goal";

#[test]
fn a_misspelt_subscale_is_named_wherever_it_is_asked_for() {
    let caseload = sample::caseload().unwrap();
    let wai = catalog::wai_sr();
    let course = &caseload[0];
    let err = series(
        course,
        Rater::Client,
        &wai,
        &tsak(),
        TimeAxis::SessionNumber,
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::UnknownSubscale {
            subscale: "Tsak".into(),
            instrument: "WAI-SR".into(),
            subscales: vec!["Task".into(), "Bond".into(), "Goal".into()],
        }
    );
    assert_eq!(err.to_string(), TSAK);
    let err = pairs(&caseload, &wai, &wai, &tsak()).unwrap_err();
    assert_eq!(err.to_string(), TSAK);
    let config = MonitorConfig::builder().reference_sd(0.5).build().unwrap();
    let err = monitor_course(course, Rater::Client, &wai, &tsak(), config).unwrap_err();
    assert_eq!(err.to_string(), TSAK);
    // spelt right, it is found
    let task = ScoreOf::Subscale("Task".into());
    let s = series(course, Rater::Client, &wai, &task, TimeAxis::SessionNumber).unwrap();
    assert_eq!(s.series.len(), course.sessions().len());
}

#[test]
fn an_instrument_without_subscales_says_so() {
    let vas = catalog::session_scale();
    let err = tsak().check(&vas).unwrap_err();
    assert_eq!(
        err.to_string(),
        "subscale 'Tsak' does not exist in 'VAS-4'; its subscales are none"
    );
}

#[test]
fn an_element_the_instrument_does_not_cover_is_an_error() {
    let caseload = sample::caseload().unwrap();
    let vas = catalog::session_scale();
    assert_eq!(vas.element_items(Element::Expectations), 0);
    let err = series(
        &caseload[0],
        Rater::Client,
        &vas,
        &ScoreOf::Element(Element::Expectations),
        TimeAxis::SessionNumber,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "'VAS-4' has no items for the element Realistic Expectations; choose an element it \
         covers, or its total"
    );
}

#[test]
fn no_scored_or_paired_session_names_the_instrument() {
    let caseload = sample::caseload().unwrap();
    let arm = catalog::arm_5(); // not in the sample
    let err = series(
        &caseload[0],
        Rater::Client,
        &arm,
        &ScoreOf::Total,
        TimeAxis::SessionNumber,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "no session of client C01's course has a scorable client response on 'ARM-5'"
    );
    let haq = catalog::haq_ii();
    let err = pairs(&caseload, &arm, &haq, &ScoreOf::TotalPomp).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no session has both a scorable client response on 'ARM-5' and a scorable therapist \
         response on 'HAq-II'"
    );
}

#[test]
fn days_need_a_date_on_every_session() {
    let vas = catalog::session_scale();
    let mut course = Course::new("C9", "T9").unwrap();
    for number in 1..=2 {
        let mut session = Session::new("C9", "T9", number).unwrap();
        session
            .add(Response::complete(&vas, Rater::Client, &[8.0, 8.0, 8.0, 8.0]).unwrap())
            .unwrap();
        course.add(session).unwrap();
    }
    let err = series(
        &course,
        Rater::Client,
        &vas,
        &ScoreOf::Total,
        TimeAxis::Days,
    )
    .unwrap_err();
    assert_eq!(err, Error::MissingDate { session: 1 });
    assert_eq!(
        err.to_string(),
        "session 1 has no date, but time in days needs a date on every session used; add the \
         date or measure time in session numbers"
    );
    let numbered = series(
        &course,
        Rater::Client,
        &vas,
        &ScoreOf::Total,
        TimeAxis::SessionNumber,
    )
    .unwrap();
    assert_eq!(numbered.series.times(), &[1.0, 2.0]);
}

#[test]
fn agreement_by_element_leaves_out_elements_an_instrument_does_not_cover() {
    let caseload = sample::caseload().unwrap();
    let haq = catalog::haq_ii();
    let all = agreement_by_element(&caseload, &haq, &haq, Level::NINETY_FIVE).unwrap();
    assert_eq!(all.len(), 5);
    // the client's VAS-4 has no Expectations items: that element is left out, the total and
    // the three others are compared
    let vas = catalog::session_scale();
    let some = agreement_by_element(&caseload, &vas, &haq, Level::NINETY_FIVE).unwrap();
    let scores: Vec<ScoreOf> = some.iter().map(|a| a.of.clone()).collect();
    assert_eq!(
        scores,
        [
            ScoreOf::TotalPomp,
            ScoreOf::Element(Element::Rapport),
            ScoreOf::Element(Element::Goals),
            ScoreOf::Element(Element::Responsibility),
        ]
    );
    // with no session pairing the two instruments, the total says why
    let arm = catalog::arm_5();
    let err = agreement_by_element(&caseload, &arm, &haq, Level::NINETY_FIVE).unwrap_err();
    assert!(matches!(err, Error::NoPairedSession { .. }));
}

#[test]
fn a_part_nobody_answered_is_skipped_with_its_reason() {
    let err = Error::PartNotAnswered {
        part: "Mutual Agreement on Goals".into(),
    };
    assert_eq!(
        err.to_string(),
        "none of the items of Mutual Agreement on Goals was answered, so it has no score in \
         this session"
    );
}

#[test]
fn each_pair_names_its_client_and_session() {
    let caseload = sample::caseload().unwrap();
    let haq = catalog::haq_ii();
    let total = pairs(&caseload, &haq, &haq, &ScoreOf::TotalPomp).unwrap();
    assert_eq!(total.sessions.len(), total.client.len());
    let first = &total.sessions[0];
    assert_eq!((first.client.as_str(), first.session), ("C01", 1));
    let paired = total.paired().unwrap();
    assert_eq!((paired.n(), paired.dropped()), (total.client.len(), 0));
}

/// Issue 14: an instrument built with the catalog's id "VAS-4" on a 0-1000 scale was charted
/// beside the real one, its responses found by id. A response must be on the very instrument
/// asked for.
#[test]
fn a_spoofed_instrument_with_a_catalog_id_is_refused_not_charted() {
    use alliance::{Instrument, Scale};
    let vas = catalog::session_scale();
    let spoof = Instrument::builder("VAS-4", Scale::new(0.0, 1000.0).unwrap(), 4)
        .build()
        .unwrap();
    let mut course = Course::new("C7", "T7").unwrap();
    for (number, instrument, answers) in [
        (1, &vas, [8.0, 8.0, 8.0, 8.0]),
        (2, &spoof, [900.0, 900.0, 900.0, 900.0]),
    ] {
        let mut session = Session::new("C7", "T7", number).unwrap();
        session
            .add(Response::complete(instrument, Rater::Client, &answers).unwrap())
            .unwrap();
        course.add(session).unwrap();
    }
    let err = series(
        &course,
        Rater::Client,
        &vas,
        &ScoreOf::Total,
        TimeAxis::SessionNumber,
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::InstrumentMismatch {
            id: "VAS-4".into(),
            client: "C7".into(),
            session: 2
        }
    );
}
