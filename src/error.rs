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

    // ---- trend detectors and monitor (trend-detect) ---------------------------------------
    /// A score or time beyond the supported magnitude, where running sums of squares could
    /// overflow (alliance scores and session times are many orders of magnitude smaller).
    #[error(
        "{what} at position {index} is {value:e}, beyond the largest accepted magnitude {limit:e}; \
         check the data for an entry error"
    )]
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
    #[error(
        "the client and therapist sessions at position {index} are at different times \
         ({left} and {right}); pair the two series session by session"
    )]
    TimesDiffer {
        /// 0-based position.
        index: usize,
        /// The time in the first series.
        left: f64,
        /// The time in the second series.
        right: f64,
    },
    /// Two series that must be paired session by session differ in length.
    #[error(
        "the client series has {client} sessions and the therapist series {therapist}; \
         divergence needs a therapist score for every client session"
    )]
    UnpairedSeries {
        /// Sessions in the client's series.
        client: usize,
        /// Sessions in the therapist's series.
        therapist: usize,
    },
    /// A parameter of a detector rule is outside its allowed range (a negative SD floor, an
    /// EWMA weight of 0, a NaN cutoff).
    #[error("the {rule} rule's {parameter} is {value}, but it must be {expected}")]
    InvalidRuleParameter {
        /// The rule ("rupture", "sudden-drop", "CUSUM", "EWMA", "PCOMS", "divergence").
        rule: &'static str,
        /// The parameter, as the literature names it.
        parameter: &'static str,
        /// The value given.
        value: f64,
        /// The allowed range, in words.
        expected: &'static str,
    },
    /// A detector rule was built without a parameter that has no default (it belongs to the
    /// instrument: a reference SD, a reliable-change size, a cutoff).
    #[error(
        "the {rule} rule needs a {parameter}, which has no default; set it on the rule's builder"
    )]
    MissingRuleParameter {
        /// The rule.
        rule: &'static str,
        /// The parameter not set.
        parameter: &'static str,
    },
    /// A window or history of a detector rule is too short (a repair window of 0 sessions, a
    /// chart baseline of 2 sessions).
    #[error("the {rule} rule's {parameter} is {sessions} sessions, but it needs at least {needed}")]
    TooFewSessions {
        /// The rule.
        rule: &'static str,
        /// The window or history.
        parameter: &'static str,
        /// Sessions given.
        sessions: usize,
        /// The fewest accepted.
        needed: usize,
    },
    /// The strict rupture threshold is below the lenient one.
    #[error(
        "the strict rupture threshold ({strict} SD) is below the lenient one ({lenient} SD); \
         the strict threshold must be at least the lenient one"
    )]
    ThresholdsOutOfOrder {
        /// The lenient threshold given.
        lenient: f64,
        /// The strict threshold given.
        strict: f64,
    },
    /// A rule option that looks at later sessions was given to a streaming monitor.
    #[error(
        "{option} looks at later sessions, so a monitor cannot use it (its verdicts could \
         change after they were raised); use the batch function on a completed course instead"
    )]
    NotStreamable {
        /// The option (e.g. `RuptureReference::AllOthers`).
        option: &'static str,
    },
    /// A dyad monitor was given no score to monitor.
    #[error("a dyad monitor needs at least one score to monitor, and none was given")]
    NoMonitoredScores,
    /// A subscale name the instrument does not have (often a misspelling).
    #[error(
        "subscale '{subscale}' does not exist in '{instrument}'; its subscales are {}",
        names(.subscales)
    )]
    UnknownSubscale {
        /// The name given.
        subscale: String,
        /// The instrument's id.
        instrument: String,
        /// The instrument's subscales, in its order.
        subscales: Vec<String>,
    },
    /// An alliance element the instrument has no items for.
    #[error(
        "'{instrument}' has no items for the element {element}; choose an element it covers, \
         or its total"
    )]
    ElementNotCovered {
        /// The element's name.
        element: &'static str,
        /// The instrument's id.
        instrument: String,
    },
    /// A response answered none of the items of the element or subscale asked for.
    #[error("none of the items of {part} was answered, so it has no score in this session")]
    PartNotAnswered {
        /// The element or subscale.
        part: String,
    },
    /// Time in days was asked for and a session used has no date.
    #[error(
        "session {session} has no date, but time in days needs a date on every session used; \
         add the date or measure time in session numbers"
    )]
    MissingDate {
        /// The session number.
        session: u32,
    },
    /// No session of a course has a response that could be scored.
    #[error(
        "no session of client {client}'s course has a scorable {rater} response on \
         '{instrument}'"
    )]
    NoScoredSession {
        /// The client's id.
        client: String,
        /// Who was to answer ("client", "therapist", "observer").
        rater: String,
        /// The instrument's id.
        instrument: String,
    },
    /// No session across a caseload has both a client and a therapist score.
    #[error(
        "no session has both a scorable client response on '{client_instrument}' and a \
         scorable therapist response on '{therapist_instrument}'"
    )]
    NoPairedSession {
        /// The client's instrument id.
        client_instrument: String,
        /// The therapist's instrument id.
        therapist_instrument: String,
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

/// A list of names for a message: "Goal, Task, Bond", or "none".
fn names(list: &[String]) -> String {
    if list.is_empty() {
        "none".to_owned()
    } else {
        list.join(", ")
    }
}
