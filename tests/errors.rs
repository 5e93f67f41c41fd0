//! The text of every error: each variant of `alliance::Error` is constructed here and its
//! `Display` text asserted word for word, so that a message that stops reading as a sentence
//! a clinician can act on is a test failure, not a surprise in a log.
//!
//! How every variant is kept covered: `Error` is `#[non_exhaustive]`, so a `match` in this
//! (external) test needs a wildcard and cannot make the compiler check coverage. Instead,
//! [`every_variant_has_a_text_test`] reads the variant names from `src/error.rs` itself and
//! checks that [`texts`] constructs each of them (by the variant name in its `Debug` form).
//! Adding a variant to `Error` without adding its text here fails that test, naming the
//! variant.
#![allow(clippy::unwrap_used)] // test helpers fail loudly

use alliance::{
    BatchScorer, Course, Error, Instrument, IntervalMethod, Level, Norm, Rater, ReliabilityKind,
    Response, Scale, Session, catalog,
};
use std::collections::BTreeSet;

/// Every variant, constructed directly, with the exact text it must print.
fn texts() -> Vec<(Error, &'static str)> {
    vec![
        (
            Error::InvalidScale {
                min: 5.0,
                max: 1.0,
                step: Some(1.0),
                reason: "the minimum must be below the maximum",
            },
            "the response scale from 5 to 1 in steps of 1 cannot be used: the minimum must be \
             below the maximum",
        ),
        (
            Error::UnknownInstrument {
                id: "CLINIC-3".into(),
                version: "2".into(),
            },
            "no instrument 'CLINIC-3' version 2 is registered; register it, or name a catalog \
             instrument",
        ),
        (
            Error::KeyHashMismatch {
                id: "CLINIC-3".into(),
                version: "2".into(),
                registered: "00000000000000aa".into(),
                named: "00000000000000bb".into(),
            },
            "instrument 'CLINIC-3' version 2 has key hash 00000000000000aa here, but the data \
             names 00000000000000bb: the data was made with another key; register that key \
             under a version of its own",
        ),
        (
            Error::InstrumentConflict {
                id: "CLINIC-3".into(),
                version: "2".into(),
            },
            "instrument 'CLINIC-3' version 2 is already registered with another key; give the \
             changed key a new version",
        ),
        (
            Error::CatalogIdTaken {
                id: "WAI-SR".into(),
            },
            "instrument 'WAI-SR' differs from the catalog's WAI-SR (its key, scale or rules were \
             changed); a catalog id names the catalog's definition only, so give an instrument \
             of your own an id of its own",
        ),
        (
            Error::SnapshotMismatch {
                what: "it was made with another configuration",
            },
            "the monitor snapshot cannot be restored here: it was made with another configuration",
        ),
        (
            Error::InvalidSnapshot { what: "the EWMA" },
            "the monitor snapshot is damaged: the EWMA is not one a monitor can reach",
        ),
        (
            Error::InvalidScale {
                min: 0.0,
                max: f64::INFINITY,
                step: None,
                reason: "both bounds must be finite numbers",
            },
            "the response scale from 0 to inf cannot be used: both bounds must be finite numbers",
        ),
        (
            Error::InvalidInstrument {
                instrument: "MY-4".into(),
                reason: "a subscale has no items",
            },
            "instrument 'MY-4' cannot be built: a subscale has no items",
        ),
        (
            Error::InvalidItem {
                instrument: "MY-4".into(),
                item: 5,
                reason: "not one of its item numbers",
            },
            "instrument 'MY-4' cannot be built: item 5 is not one of its item numbers",
        ),
        (
            Error::OutOfScale {
                item: 7,
                value: 9.0,
                min: 1.0,
                max: 5.0,
            },
            "item 7 is 9 but the scale is 1-5",
        ),
        (
            Error::OffStep {
                item: 2,
                value: 7.35,
                step: 0.1,
                min: 0.0,
            },
            "item 2 is 7.35 but the scale moves in steps of 0.1 from 0",
        ),
        (
            Error::NonFiniteAnswer {
                item: 3,
                value: f64::NAN,
            },
            "item 3 is NaN but an answer must be a number on the scale",
        ),
        (
            Error::Unrecognized {
                what: "rater",
                value: "nurse".into(),
                expected: "client, therapist or observer",
            },
            "'nurse' is not a rater; use client, therapist or observer",
        ),
        (
            Error::TinyAnswer {
                item: 4,
                value: 1e-200,
            },
            "item 4 is 1e-200, nonzero but below the smallest accepted magnitude 1e-100; \
             check the data for an entry error",
        ),
        (
            Error::NonFinite {
                what: "rating",
                index: 4,
                value: f64::NEG_INFINITY,
            },
            "rating at position 4 is -inf, but only finite numbers can be used",
        ),
        (
            Error::DuplicateItem { item: 4 },
            "item 4 is answered twice; give each item once",
        ),
        (
            Error::UnknownItem {
                item: 13,
                instrument: "WAI-SR".into(),
                items: 12,
            },
            "item 13 does not exist: 'WAI-SR' has items 1-12",
        ),
        (
            Error::LengthMismatch {
                what: "response",
                expected: 12,
                found: 11,
            },
            "response should have 12 values, but it has 11",
        ),
        (
            Error::InstrumentMismatch {
                id: "VAS-4".into(),
                client: "C-07".into(),
                session: 3,
            },
            "session 3 of client C-07 has a response on another instrument that is also called \
             'VAS-4' (its scale, items or keys differ); give each instrument definition its own id",
        ),
        (
            Error::TooManyMissing {
                scope: "Bond".into(),
                missing: 2,
                items: 4,
                allowed: 1,
            },
            "'Bond' is missing 2 of its 4 items, but the instrument's missing-data rule allows \
             at most 1, so it cannot be scored",
        ),
        (
            Error::EmptyId { role: "client" },
            "the client id is empty; every client and therapist needs a non-empty id",
        ),
        (
            Error::DuplicateSession { session: 2 },
            "session 2 appears twice in the course; each session number is used once",
        ),
        (
            Error::DuplicateResponse {
                session: 3,
                rater: "client",
                instrument: "VAS-4".into(),
            },
            "session 3 already has a client response on 'VAS-4'; a session holds one response \
             per rater and instrument",
        ),
        (
            Error::DatesOutOfOrder {
                session: 3,
                previous: 2,
            },
            "session 3 is dated before session 2; check the dates and the session numbers",
        ),
        (
            Error::ForeignSession { session: 4 },
            "session 4 belongs to another client or therapist than the course",
        ),
        (
            Error::InvalidDate {
                year: 2026,
                month: 2,
                day: 30,
            },
            "2026-02-30 is not a calendar date",
        ),
        (
            Error::Parse {
                line: 3,
                reason: "a field is missing",
            },
            "line 3 cannot be read: a field is missing",
        ),
        (
            Error::NotByteScale {
                min: 0.0,
                max: 10.0,
                step: Some(0.1),
            },
            "one-byte answer codes need a whole-number scale within 0-255 in steps of 1, but \
             the scale runs from 0 to 10 in steps of 0.1; score these answers as numbers instead",
        ),
        (
            Error::MissingCodeOnScale {
                code: 3,
                min: 1,
                max: 5,
            },
            "missing-answer code 3 is an answer on the 1-5 scale; choose a code off the scale",
        ),
        (
            Error::InBatch {
                response: 1,
                source: Box::new(Error::DuplicateItem { item: 4 }),
            },
            "response 1 of the batch (counting from 0) is invalid: item 4 is answered twice; \
             give each item once",
        ),
        (
            Error::TooFew {
                what: "complete pairs",
                needed: 2,
                found: 1,
            },
            "2 or more complete pairs are needed, found 1",
        ),
        (
            Error::NotIncreasing {
                index: 2,
                value: 3.0,
                previous: 4.0,
            },
            "time at position 2 is 3, but it must come after the previous time 4",
        ),
        (
            Error::InvalidParameter {
                name: "reliability",
                value: 1.2,
                expected: "between 0 and 1",
            },
            "reliability must be between 0 and 1, but it is 1.2",
        ),
        (
            Error::UnknownCategory {
                index: 5,
                value: 6.0,
            },
            "value 6 at position 5 is not one of the declared categories",
        ),
        (
            Error::TooLarge {
                what: "session score",
                index: 0,
                value: 1e200,
                limit: 1e100,
            },
            "session score at position 0 is 1e200, beyond the largest accepted magnitude 1e100; \
             check the data for an entry error",
        ),
        (
            Error::TooSmall {
                what: "session time",
                index: 2,
                value: 5e-324,
                limit: 1e-100,
            },
            "session time at position 2 is 5e-324, nonzero but below the smallest accepted \
             magnitude 1e-100; check the data for an entry error (0 itself is accepted)",
        ),
        (
            Error::TimesDiffer {
                index: 1,
                left: 2.0,
                right: 3.0,
            },
            "the client and therapist sessions at position 1 are at different times (2 and 3); \
             pair the two series session by session",
        ),
        (
            Error::OutOfDomain {
                what: "ratio-metric value",
                index: 0,
                value: -1.0,
                expected: "non-negative (a ratio scale has a true zero)",
            },
            "ratio-metric value at position 0 is -1, but it must be non-negative (a ratio scale \
             has a true zero)",
        ),
        (
            Error::TooFewPairs {
                statistic: "a correlation",
                needed: 2,
                found: 1,
            },
            "a correlation needs at least 2 complete pairs of ratings, found 1",
        ),
        (
            Error::SubjectLabelsMismatch {
                labels: 3,
                pairs: 4,
            },
            "3 subject labels were given for 4 pairs; give one subject (dyad) label per pair",
        ),
        (
            Error::TooFewRepeatedSubjects {
                statistic: "a Bland-Altman analysis of repeated pairs",
                needed: 2,
                found: 1,
            },
            "a Bland-Altman analysis of repeated pairs needs complete pairs from at least 2 \
             subjects (dyads), found 1; with a single dyad, use the ordinary analysis of its \
             sessions",
        ),
        (
            Error::TooFewTargets {
                needed: 2,
                found: 0,
            },
            "an ICC needs at least 2 targets rated by every rater, found 0",
        ),
        // ---- mixed models: therapist effects
        (
            Error::TooFewGroups {
                model: "a therapist-effects model",
                level: "therapists",
                needed: 2,
                found: 1,
            },
            "a therapist-effects model needs at least 2 therapists, found 1",
        ),
        (
            Error::NoReplication {
                upper: "therapist",
                lower: "client",
                advice: "fit the clients' values as two levels (multilevel::two_level) instead",
            },
            "every therapist has a single client, so the therapist and client variances cannot \
             be told apart; fit the clients' values as two levels (multilevel::two_level) instead",
        ),
        (
            Error::TooFewRatedTargets { found: 1 },
            "the REML ICC needs at least 2 targets with a rating, found 1; targets with no \
             rating at all are left out",
        ),
        (
            Error::TooFewRatedRaters { found: 1 },
            "the REML ICC needs at least 2 raters who rated a target, found 1; a rater with no \
             rating at all is left out",
        ),
        (
            Error::NoRepeatedTarget { targets: 3 },
            "none of the 3 rated targets has 2 or more ratings, so differences between targets \
             cannot be separated from rating error; the REML ICC needs some targets rated by at \
             least 2 raters",
        ),
        (
            Error::NoRepeatedRater { raters: 4 },
            "each of the 4 raters rated a single target, so differences between raters cannot \
             be separated from rating error; the REML ICC needs some rater to rate at least 2 \
             targets",
        ),
        (
            Error::SaturatedCrossedDesign {
                cells: 3,
                parameters: 3,
            },
            "the 3 ratings are explained exactly by 3 target and rater effects, leaving nothing \
             to estimate rating error from; the REML ICC needs more targets rated by 2 or more \
             raters",
        ),
        (
            Error::InvalidLimitMultiplier { value: -1.0 },
            "the limits-of-agreement multiplier is -1, but it must be a positive number of \
             standard deviations from 1e-100 to 1e100 (1.96 gives the conventional 95% limits)",
        ),
        (
            Error::InvalidMeasurementError {
                rater: "therapist",
                value: -0.5,
            },
            "the therapist's standard error of measurement is -0.5, but it must be zero or a \
             positive number from 1e-100 to 1e100",
        ),
        (
            Error::RatingsTooLarge {
                what: "mean squares of the ICC",
            },
            "the mean squares of the ICC overflow: ratings beyond about 1e150 in magnitude \
             cannot be analysed, so rescale them (for example to a 0-100 POMP score)",
        ),
        (
            Error::TooFewCategories { found: 1 },
            "declare at least 2 categories (every code a rating may take), found 1",
        ),
        (
            Error::CategoriesNotAscending {
                index: 2,
                value: 2.0,
                previous: 3.0,
            },
            "category 2 at position 2 does not come after 3: declare each category once, in ascending order",
        ),
        (
            Error::WeightCount {
                size: 3,
                expected: 9,
                found: 8,
            },
            "a 3 x 3 weight matrix needs 9 weights (row by row), found 8",
        ),
        (
            Error::WeightMatrixSize {
                categories: 5,
                found: 4,
            },
            "the weight matrix is 4 x 4, but 5 categories are declared: give one row and one column per category",
        ),
        (
            Error::WeightOutOfRange {
                row: 0,
                column: 2,
                value: 1.5,
                expected: "between 0 and 1 (an agreement weight)",
            },
            "the weight in row 0, column 2 is 1.5, but it must be between 0 and 1 (an agreement weight)",
        ),
        (
            Error::DiagonalWeight {
                category: 1,
                value: 0.5,
                expected: 1.0,
            },
            "the weight for identical categories (row and column 1) is 0.5, but it must be 1: identical ratings are full agreement",
        ),
        (
            Error::NoDisagreementWeight,
            "every disagreement weight is 0: give a positive weight to at least one pair of different categories",
        ),
        (
            Error::TableRows {
                categories: 3,
                found: 2,
            },
            "the contingency table has 2 rows, but 3 categories are declared: give one row per category of the first rater",
        ),
        (
            Error::TableRowLength {
                row: 1,
                categories: 3,
                found: 2,
            },
            "row 1 of the contingency table has 2 counts, but 3 categories are declared: give one count per category of the second rater",
        ),
        (
            Error::TableTooLarge {
                found: 9_007_199_254_740_993,
                limit: 9_007_199_254_740_992,
            },
            "the contingency table counts 9007199254740993 or more pairs; at most 9007199254740992 can be counted exactly",
        ),
        (
            Error::TooFewRatedPairs { found: 1 },
            "Cohen's kappa needs at least 2 subjects rated by both raters, found 1",
        ),
        (
            Error::TooFewRatedSubjects { found: 1 },
            "at least 2 subjects with a rating are needed, found 1",
        ),
        (
            Error::BootstrapReplicates {
                found: 1,
                min: 2,
                max: 1_000_000,
            },
            "choose between 2 and 1000000 bootstrap replicates, found 1",
        ),
        (
            Error::BootstrapTooCostly {
                replicates: 1_000_000,
                values: 5_000,
                limit: 1 << 30,
            },
            "a bootstrap of 1000000 replicates over 5000 pairable values draws 1000000 × 5000 \
             values, beyond the limit of 1073741824; use fewer replicates (1000 to 10,000 give a \
             percentile interval)",
        ),
        (
            Error::TooManyCategories {
                found: 100_000,
                limit: 4096,
            },
            "100000 categories are declared, but at most 4096 are accepted: tables and weights \
             hold one entry per pair of categories; merge or round the codes (e.g. to the \
             instrument's steps)",
        ),
        (
            Error::TooManyRatioPairs {
                found: 199_990_000,
                limit: 134_217_728,
            },
            "the ratio metric compares every pair of distinct values, and these data need \
             199990000 or more such comparisons, beyond the limit of 134217728 (about 16,000 \
             distinct values); round the values to the instrument's precision or use the \
             interval metric",
        ),
        (
            Error::TooManyItems {
                found: 200_000,
                limit: 1024,
            },
            "pairwise-deletion alpha keeps sums for every pair of items and accepts at most 1024 \
             items, found 200000; use listwise deletion (cronbach_alpha) or fewer items",
        ),
        (
            Error::TooManyLags {
                lags: 19_999,
                points: 20_000,
                work: 399_980_000,
                limit: 268_435_456,
                max_lags: 13_421,
            },
            "Hamed-Rao with 19999 lags on 20000 points needs lags x points = 399980000 products, \
             beyond the limit of 268435456; examine at most 13421 lags on this series",
        ),
        (
            Error::SameDate {
                first: 2,
                second: 3,
                date: alliance::Date::new(2026, 4, 8).unwrap(),
            },
            "sessions 2 and 3 are both dated 2026-04-08, but time in days needs at most one \
             scored session per day; measure time in session numbers \
             (TimeAxis::SessionNumber), or correct the date",
        ),
        (
            Error::RaggedReliabilityData {
                row: 3,
                expected: 12,
                found: 11,
            },
            "row 3 of the reliability data has 11 values, but the first row has 12: give every row the same length, with None where a value is missing",
        ),
        (
            Error::UnpairedSeries {
                client: 8,
                therapist: 7,
            },
            "the client series has 8 sessions and the therapist series 7; divergence needs a \
             therapist score for every client session",
        ),
        (
            Error::InvalidRuleParameter {
                rule: "CUSUM",
                parameter: "decision interval h",
                value: -1.0,
                expected: "positive",
            },
            "the CUSUM rule's decision interval h is -1, but it must be positive",
        ),
        (
            Error::MissingRuleParameter {
                rule: "rupture",
                parameter: "reference SD",
            },
            "the rupture rule needs a reference SD, which has no default; set it on the rule's \
             builder",
        ),
        (
            Error::TooFewSessions {
                rule: "rupture",
                parameter: "repair window",
                sessions: 0,
                needed: 1,
            },
            "the rupture rule's repair window is 0 sessions, but it needs at least 1",
        ),
        (
            Error::ThresholdsOutOfOrder {
                lenient: 2.0,
                strict: 1.0,
            },
            "the strict rupture threshold (1 SD) is below the lenient one (2 SD); the strict \
             threshold must be at least the lenient one",
        ),
        (
            Error::NotStreamable {
                option: "a sudden-drop rule that waits for later sessions",
            },
            "a sudden-drop rule that waits for later sessions looks at later sessions, so a \
             monitor cannot use it (its verdicts could change after they were raised); use the \
             batch function on a completed course instead",
        ),
        (
            Error::NoMonitoredScores,
            "a dyad monitor needs at least one score to monitor, and none was given",
        ),
        (
            Error::UnknownSubscale {
                subscale: "Tsak".into(),
                instrument: "WAI-SR".into(),
                subscales: vec!["Task".into(), "Bond".into(), "Goal".into()],
            },
            "subscale 'Tsak' does not exist in 'WAI-SR'; its subscales are Task, Bond, Goal",
        ),
        (
            Error::ElementNotCovered {
                element: "Realistic Expectations",
                instrument: "ARM-5".into(),
            },
            "'ARM-5' has no items for the element Realistic Expectations; choose an element it \
             covers, or its total",
        ),
        (
            Error::PartNotAnswered {
                part: "subscale 'Bond'".into(),
            },
            "none of the items of subscale 'Bond' was answered, so it has no score in this session",
        ),
        (
            Error::MissingDate { session: 3 },
            "session 3 has no date, but time in days needs a date on every session used; add the \
             date or measure time in session numbers",
        ),
        (
            Error::NoScoredSession {
                client: "C01".into(),
                rater: "therapist".into(),
                instrument: "WAI-SR".into(),
            },
            "no session of client C01's course has a scorable therapist response on 'WAI-SR'",
        ),
        (
            Error::NoPairedSession {
                client_instrument: "WAI-SR".into(),
                therapist_instrument: "WAI-SR-T".into(),
            },
            "no session has both a scorable client response on 'WAI-SR' and a scorable \
             therapist response on 'WAI-SR-T'",
        ),
        // ---- expected-alliance curves
        (
            Error::NoReferenceData,
            "an expected-alliance curve needs reference scores, and none was found; give at \
             least one scored session of the reference caseload",
        ),
        (
            Error::RepeatedReferenceSession {
                dyad: 3,
                session: 5,
            },
            "reference dyad 3 has two scores at session 5; give each dyad one score per session",
        ),
        (
            Error::CurveTooLong {
                first: 1,
                last: 20_000,
                max: 10_000,
            },
            "the reference sessions run from session 1 to session 20000, more than the 10000 \
             sessions a curve may span; check the session numbers",
        ),
        (
            Error::InvalidCurveOption {
                option: "min_reference",
                value: 0.0,
                expected: "at least 1 reference score",
            },
            "the expected curve's min_reference is 0, but it must be at least 1 reference score",
        ),
        (
            Error::InvalidCurve {
                what: "a session's band",
            },
            "the expected curve cannot be used: a session's band is not valid; estimate the \
             curve again from the reference caseload",
        ),
        (
            Error::SessionNotWhole {
                index: 2,
                time: 2.5,
            },
            "the session time at position 2 is 2.5, but the expected curve is read at whole \
             session numbers from 0 to 4294967295; use session numbers as times",
        ),
        (
            Error::TooFewRespondents { found: 1 },
            "at least 2 respondents who answered every item are needed, found 1",
        ),
        (
            Error::TooFewPairwise { found: 1 },
            "every pair of items needs 2 respondents who answered both; the sparsest pair has 1",
        ),
        (
            Error::TooFewPoints {
                needed: 3,
                found: 2,
            },
            "the series needs at least 3 point(s), found 2",
        ),
        (
            Error::TooFewScores { found: 1 },
            "2 scores are needed for a sample standard deviation, found 1",
        ),
        (
            Error::ReliabilityOutOfRange { value: 1.2 },
            "the reliability is 1.2; it must lie between 0 and 1",
        ),
        (
            Error::InvalidSd {
                what: "pre-treatment SD",
                value: -1.0,
                expected: "a positive finite number",
            },
            "the pre-treatment SD is -1; it must be a positive finite number",
        ),
        (
            Error::InvalidCritical { value: 0.0 },
            "the critical value is 0; it must be a finite number above 0",
        ),
        (
            Error::MissingSetting {
                setting: "an SD (.sd(value, source))",
            },
            "the reliable change criterion needs an SD (.sd(value, source)); set it before building",
        ),
        (
            Error::TooShortForCorrection {
                method: "trend-free pre-whitening",
                needed: 4,
                found: 3,
            },
            "the trend-free pre-whitening correction estimates the series' autocorrelation and \
             needs at least 4 sessions, found 3; use the uncorrected Mann-Kendall test on a \
             series this short",
        ),
        (
            Error::InvalidCorrectionLags {
                method: "Yue-Wang",
                lags: 12,
                points: 12,
                max_lags: 11,
            },
            "Yue-Wang lags is 12; it must be at least 1 and at most 11 on this series of 12 points",
        ),
        (
            Error::TooManyPointsForSiegel {
                points: 40_000,
                limit: 32_768,
            },
            "Siegel's repeated-median slope takes time growing with the square of the points and \
             accepts at most 32768, found 40000; use Sen's slope (sen_slope), which handles \
             millions",
        ),
        (
            Error::InvalidLags {
                lags: 0,
                points: 10,
            },
            "Hamed-Rao lags is 0; it must be at least 1 and below the 10 points of the series",
        ),
        (
            Error::InvalidPositions {
                from: 4,
                to: 2,
                points: 8,
            },
            "positions 4 and 2 must lie within the series of 8 points, the first before the second",
        ),
        (
            Error::UnsupportedInterval {
                statistic: "Sen's slope",
                method: IntervalMethod::Feldt,
                expected: "choose RankedSlopes or InterpolatedSlopes",
            },
            "Sen's slope has no Feldt interval; choose RankedSlopes or InterpolatedSlopes",
        ),
        (
            Error::InvalidNullIcc { value: 1.0 },
            "the null value r0 of the ICC test is 1; it must be a number from 0 up to but not \
             including 1 (e.g. 0.5 to test whether the ICC exceeds 0.5)",
        ),
        (
            Error::OmegaTooFewItems { found: 2 },
            "omega from a one-factor model needs at least 3 items (with 2 the loadings are not \
             identified), found 2",
        ),
        (
            Error::ConstantItem { item: 3 },
            "item 3 (0-based column) has the same answer from every respondent; a factor model \
             needs items that vary: leave it out of the scale",
        ),
        (
            Error::InvalidItemSet {
                index: 12,
                reason: "the matrix has 12 items".into(),
            },
            "the item set lists item 12 (0-based), but the matrix has 12 items",
        ),
        (
            Error::ReliabilityBootstrapTooCostly {
                replicates: 100_000,
                cells: 20_000,
                limit: 1 << 30,
            },
            "a bootstrap of 100000 replicates over 20000 answers draws 100000 × 20000 answers, \
             beyond the limit of 1073741824; use fewer replicates (1000 to 2000 give a \
             percentile interval)",
        ),
    ]
}

/// The variant's name, from its `Debug` form (`Name { .. }`).
fn variant(e: &Error) -> String {
    format!("{e:?}")
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

#[test]
fn every_error_reads_as_its_sentence() {
    for (error, text) in texts() {
        assert_eq!(error.to_string(), text, "{}", variant(&error));
    }
}

/// Every code is the variant's name in snake case, so no two kinds share one and a code
/// never silently changes meaning; with serde, the report carries the code, the message and
/// the variant's fields.
#[test]
fn every_error_has_its_stable_code() {
    let mut codes = BTreeSet::new();
    for (error, _) in texts() {
        let name = variant(&error);
        let mut snake = String::new();
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                snake.push('_');
            }
            snake.push(c.to_ascii_lowercase());
        }
        assert_eq!(error.code(), snake, "{name}");
        codes.insert(error.code());
        let report = error.report();
        assert_eq!(
            (report.code, report.message.clone()),
            (error.code(), error.to_string())
        );
        #[cfg(feature = "serde")]
        {
            let json = serde_json::to_value(&report).unwrap();
            assert_eq!(json["code"], error.code(), "{name}");
            assert_eq!(json["message"], error.to_string(), "{name}");
            // the fields are there beside them
            let fields = json.as_object().unwrap().len();
            assert!(fields >= 2, "{name}: {json}");
        }
    }
    let variants: BTreeSet<String> = texts().iter().map(|(e, _)| variant(e)).collect();
    assert_eq!(codes.len(), variants.len());
}

#[test]
fn every_variant_has_a_text_test() {
    let source = include_str!("../src/error.rs");
    let body = &source[source.find("pub enum Error {").unwrap()..];
    let body = &body[..body.find("\n}").unwrap()];
    // variants sit at four spaces of indentation: `    Name {`, `    Name(`, or `    Name,`
    let declared: BTreeSet<String> = body
        .lines()
        .filter_map(|line| line.strip_prefix("    "))
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(|rest| {
            rest.chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect()
        })
        .collect();
    let tested: BTreeSet<String> = texts().iter().map(|(e, _)| variant(e)).collect();
    let untested: Vec<_> = declared.difference(&tested).collect();
    assert!(
        untested.is_empty(),
        "variants with no text test: {untested:?}"
    );
    let unknown: Vec<_> = tested.difference(&declared).collect();
    assert!(unknown.is_empty(), "not found in src/error.rs: {unknown:?}");
    assert!(declared.len() >= 25, "{declared:?}");
}

/// The texts the crate's own checks produce, end to end.
#[test]
fn errors_from_real_input_read_as_sentences() {
    let wai = catalog::wai_sr();
    let e = Session::new("", "dr-ng", 1).unwrap_err();
    assert_eq!(e, Error::EmptyId { role: "client" });
    let e = Course::new("client-17", " ").unwrap_err();
    assert_eq!(e, Error::EmptyId { role: "therapist" });

    let srs = catalog::session_scale();
    let mut s = Session::new("client-17", "dr-ng", 3).unwrap();
    let r = Response::complete(&srs, Rater::Client, &[9.0; 4]).unwrap();
    s.add(r.clone()).unwrap();
    assert_eq!(
        s.add(r).unwrap_err().to_string(),
        "session 3 already has a client response on 'VAS-4'; a session holds one response \
         per rater and instrument"
    );

    let e = Response::complete(&wai, Rater::Client, &[f64::NAN; 12]).unwrap_err();
    assert!(matches!(e, Error::NonFiniteAnswer { item: 1, value } if value.is_nan()));

    let e = Level::new(1.2).unwrap_err();
    assert_eq!(
        e.to_string(),
        "confidence level must be from 0.000001 to 0.999999, but it is 1.2"
    );
    let e = alliance::Reliability::new(1.2, ReliabilityKind::Alpha, "").unwrap_err();
    assert_eq!(
        e.to_string(),
        "reliability must be between 0 and 1, but it is 1.2"
    );
    let e = Norm::new(4.0, 0.0, "", None).unwrap_err();
    assert_eq!(e.to_string(), "norm SD must be positive, but it is 0");

    let scorer = BatchScorer::new(&catalog::session_scale());
    let e = scorer.score_codes(&[9; 4], None).unwrap_err();
    assert_eq!(
        e,
        Error::NotByteScale {
            min: 0.0,
            max: 10.0,
            step: Some(0.1)
        }
    );
    let e = BatchScorer::new(&wai)
        .score_codes(&[3; 12], Some(3))
        .unwrap_err();
    assert_eq!(
        e,
        Error::MissingCodeOnScale {
            code: 3,
            min: 1,
            max: 5
        }
    );

    let e = Scale::new(5.0, 1.0).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the response scale from 5 to 1 cannot be used: the minimum must be below the maximum"
    );
    let e = Instrument::builder("MY-4", Scale::likert(1, 5).unwrap(), 4)
        .reverse(&[5])
        .build()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "instrument 'MY-4' cannot be built: item 5 is not one of its item numbers"
    );

    assert_eq!(
        Response::new(&wai, Rater::Client, &[None; 12])
            .unwrap_err()
            .to_string(),
        "'total' is missing 12 of its 12 items, but the instrument's missing-data rule allows \
         at most 3, so it cannot be scored"
    );
}
