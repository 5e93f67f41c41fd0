//! The crate's one error type.
//!
//! Every fallible function returns [`Result<T>`]. Each variant names the rule that was broken
//! and carries the values that broke it, so a caller (or a clinician reading a log) can see
//! what was wrong and where without a debugger. Variants carry no `String`s and no types of
//! other crates, so the enum can grow without breaking anyone (`#[non_exhaustive]`).
//!
//! A statistic that is *undefined* for valid input (zero variance, one category used) is not
//! an error: each module returns a typed undefined value with its reason instead. Errors are
//! for input that is wrong.

/// The result type of every fallible function in this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// What was wrong with the input, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ---- instruments -------------------------------------------------------------------
    /// A response scale whose bounds are not finite, or whose minimum is not below its maximum,
    /// or whose step is not positive or does not divide the range.
    #[error("response scale {min}..={max} (step {step:?}) is invalid: {reason}")]
    InvalidScale {
        /// Lower bound given.
        min: f64,
        /// Upper bound given.
        max: f64,
        /// Step given, if any.
        step: Option<f64>,
        /// Which rule the scale breaks.
        reason: &'static str,
    },
    /// An instrument definition breaks a structural rule (no items, a subscale with no items,
    /// an item in two subscales, a cutoff outside the score range, ...).
    #[error("instrument '{instrument}' is invalid: {reason}")]
    InvalidInstrument {
        /// The instrument's short name.
        instrument: String,
        /// Which rule the definition breaks.
        reason: &'static str,
    },
    /// An instrument definition names an item number twice, or an item number that is 0.
    #[error("instrument '{instrument}': item {item} is {reason}")]
    InvalidItem {
        /// The instrument's short name.
        instrument: String,
        /// The item number (1-based, as printed on the form).
        item: u16,
        /// What is wrong with it.
        reason: &'static str,
    },

    // ---- responses ---------------------------------------------------------------------
    /// An answer lies outside the instrument's response scale.
    #[error("item {item} is {value} but the scale is {min}-{max}")]
    OutOfScale {
        /// The item number.
        item: u16,
        /// The answer given.
        value: f64,
        /// The scale's minimum.
        min: f64,
        /// The scale's maximum.
        max: f64,
    },
    /// An answer is not a multiple of the scale's step above its minimum.
    #[error("item {item} is {value} but the scale moves in steps of {step} from {min}")]
    OffStep {
        /// The item number.
        item: u16,
        /// The answer given.
        value: f64,
        /// The scale's step.
        step: f64,
        /// The scale's minimum.
        min: f64,
    },
    /// A value is NaN or infinite.
    #[error("{what} at position {index} is {value}, which is not a finite number")]
    NonFinite {
        /// What the value is (an item answer, a rating, a session score, ...).
        what: &'static str,
        /// Its position: an item number for answers, a 0-based index elsewhere.
        index: usize,
        /// The offending value (NaN or an infinity).
        value: f64,
    },
    /// A response gives an item number twice.
    #[error("item {item} is answered twice")]
    DuplicateItem {
        /// The repeated item number.
        item: u16,
    },
    /// A response names an item number the instrument does not have.
    #[error("item {item} does not exist: '{instrument}' has items 1-{items}")]
    UnknownItem {
        /// The item number given.
        item: u16,
        /// The instrument's short name.
        instrument: String,
        /// How many items the instrument has.
        items: usize,
    },
    /// A response or a buffer has the wrong number of values.
    #[error("{what} has {found} values, expected {expected}")]
    LengthMismatch {
        /// What was measured.
        what: &'static str,
        /// The number required.
        expected: usize,
        /// The number given.
        found: usize,
    },
    /// A response was scored with an instrument other than the one it was checked against.
    #[error("response was checked against '{response}' but scored with '{instrument}'")]
    InstrumentMismatch {
        /// The response's instrument.
        response: String,
        /// The instrument used to score it.
        instrument: String,
    },
    /// Too many items are missing for the instrument's missing-data rule.
    #[error("{scope} has {missing} of {items} items missing; the rule allows at most {allowed}")]
    TooManyMissing {
        /// Where (the total, or a subscale's name).
        scope: String,
        /// Items missing.
        missing: usize,
        /// Items in scope.
        items: usize,
        /// The most the rule allows.
        allowed: usize,
    },

    // ---- sessions ----------------------------------------------------------------------
    /// Two sessions in a course share a session number.
    #[error("session {session} appears twice in the course")]
    DuplicateSession {
        /// The repeated session number.
        session: u32,
    },
    /// A session already holds a response of this rater on this instrument.
    #[error("session {session} already has a {rater} response on '{instrument}'")]
    DuplicateResponse {
        /// The session number.
        session: u32,
        /// Who answered.
        rater: crate::Rater,
        /// The instrument's short name.
        instrument: String,
    },
    /// Session dates go backwards while session numbers go forwards.
    #[error("session {session} is dated before session {previous}")]
    DatesOutOfOrder {
        /// The session whose date is too early.
        session: u32,
        /// The earlier-numbered session dated after it.
        previous: u32,
    },
    /// A session belongs to another dyad than the course.
    #[error("session {session} belongs to another client-therapist dyad")]
    ForeignSession {
        /// The session number.
        session: u32,
    },
    /// A calendar date that does not exist.
    #[error("{year:04}-{month:02}-{day:02} is not a calendar date")]
    InvalidDate {
        /// Year.
        year: i32,
        /// Month.
        month: u8,
        /// Day.
        day: u8,
    },

    /// A line of bundled or imported text data is malformed.
    #[error("line {line}: {reason}")]
    Parse {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },

    // ---- statistics --------------------------------------------------------------------
    /// Fewer observations than a method needs.
    #[error("{what} has {found}, need at least {needed}")]
    TooFew {
        /// What was counted (e.g. "series points", "complete targets").
        what: &'static str,
        /// The minimum the method needs.
        needed: usize,
        /// The number given.
        found: usize,
    },
    /// Times or positions that must increase strictly do not.
    #[error("time at position {index} is {value}, not after the previous {previous}")]
    NotIncreasing {
        /// 0-based position.
        index: usize,
        /// The time there.
        value: f64,
        /// The time before it.
        previous: f64,
    },
    /// A parameter is outside its allowed range (a confidence level of 1.2, a reliability of
    /// -0.3, a window of 0 sessions).
    #[error("{name} is {value}, but {expected}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The allowed range, in words.
        expected: &'static str,
    },
    /// One response of a batch is invalid; `source` says what was wrong with it.
    #[error("response {response} of the batch: {source}")]
    InBatch {
        /// 0-based index of the response in the batch.
        response: usize,
        /// What was wrong with it.
        source: Box<Error>,
    },
    /// A category code that is not in the declared category set.
    #[error("value {value} at position {index} is not one of the declared categories")]
    UnknownCategory {
        /// 0-based position.
        index: usize,
        /// The value given.
        value: f64,
    },

    // ---- continuous agreement (ICC, concordance, correlation, Bland-Altman) ------------------

    // ---- categorical agreement (kappa family, Krippendorff) ---------------------------------

    // ---- reliability and trend statistics ---------------------------------------------------
    /// Fewer than 2 complete respondents (rows without a missing answer) for Cronbach's alpha.
    #[error("2 complete respondents are needed, found {found}")]
    TooFewRespondents {
        /// Complete respondents found.
        found: usize,
    },
    /// A pair of items that fewer than 2 respondents answered both (pairwise alpha).
    #[error(
        "every pair of items needs 2 respondents who answered both; the sparsest pair has {found}"
    )]
    TooFewPairwise {
        /// Respondents answering both items of the sparsest pair.
        found: usize,
    },
    /// A series with fewer points than the method needs.
    #[error("{needed} series points are needed, found {found}")]
    TooFewPoints {
        /// Points the method needs.
        needed: usize,
        /// Points in the series.
        found: usize,
    },
    /// Fewer than 2 scores to compute a sample standard deviation from.
    #[error("2 scores are needed for a sample standard deviation, found {found}")]
    TooFewScores {
        /// Scores given.
        found: usize,
    },
    /// A reliability coefficient outside [0, 1] (a negative alpha gives no standard error of
    /// measurement).
    #[error("the reliability is {value}; it must lie between 0 and 1")]
    ReliabilityOutOfRange {
        /// The value given.
        value: f64,
    },
    /// A standard deviation that is negative, zero where it must be positive, or not finite.
    #[error("the {what} is {value}; it must be {expected}")]
    InvalidSd {
        /// Which standard deviation (e.g. "standard deviation", "clinical SD").
        what: &'static str,
        /// The value given.
        value: f64,
        /// What it must be, in words ("a finite number above 0").
        expected: &'static str,
    },
    /// A critical value for reliable change that is not a finite number above 0.
    #[error("the critical value is {value}; it must be a finite number above 0")]
    InvalidCritical {
        /// The value given.
        value: f64,
    },
    /// A reliable change criterion built without a setting it needs.
    #[error("the reliable change criterion needs {setting}; set it before building")]
    MissingSetting {
        /// The setting that was not given.
        setting: &'static str,
    },
    /// A Hamed-Rao lag count of 0, or not below the number of points.
    #[error(
        "Hamed-Rao lags is {lags}; it must be at least 1 and below the {points} points of the series"
    )]
    InvalidLags {
        /// Lags asked for.
        lags: usize,
        /// Points in the series.
        points: usize,
    },
    /// Session positions outside the series, or the first not before the second.
    #[error(
        "positions {from} and {to} must lie within the series of {points} points, the first before the second"
    )]
    InvalidPositions {
        /// The earlier position given (0-based).
        from: usize,
        /// The later position given (0-based).
        to: usize,
        /// Points in the series.
        points: usize,
    },
    /// An interval method the statistic does not offer.
    #[error("{statistic} has no {method:?} interval; {expected}")]
    UnsupportedInterval {
        /// The statistic.
        statistic: &'static str,
        /// The method asked for.
        method: crate::IntervalMethod,
        /// The methods it offers, in words.
        expected: &'static str,
    },

    // ---- trend detectors and monitor (trend-detect) ---------------------------------------
    /// A score or time beyond the supported magnitude, where running sums of squares could
    /// overflow (alliance scores and session times are many orders of magnitude smaller).
    #[error("{what} at position {index} is {value}, beyond the supported magnitude {limit}")]
    TooLarge {
        /// What the value is (a session score, a session time).
        what: &'static str,
        /// Its 0-based position.
        index: usize,
        /// The value given.
        value: f64,
        /// The largest magnitude accepted.
        limit: f64,
    },
    /// Two series that must be paired session by session have different session times.
    #[error("paired series differ at position {index}: time {left} against {right}")]
    TimesDiffer {
        /// 0-based position.
        index: usize,
        /// The time in the first series.
        left: f64,
        /// The time in the second series.
        right: f64,
    },

    // ---- agreement: kappa family and Krippendorff -------------------------------------
    /// A value outside the domain a method needs (a negative value on a ratio scale).
    #[error("{what} at position {index} is {value}, but it must be {expected}")]
    OutOfDomain {
        /// What the value is.
        what: &'static str,
        /// 0-based (row-major) position.
        index: usize,
        /// The value given.
        value: f64,
        /// The allowed domain, in words.
        expected: &'static str,
    },
}
