//! The crate's one error type.
//!
//! Every fallible function returns [`Result<T>`]. Each variant names the rule that was broken
//! and carries the values that broke it, so a caller (or a clinician reading a log) can see
//! what was wrong and where without a debugger. Its [`Display`](std::fmt::Display) text is a
//! sentence that says what was given and what is needed (lower case and without a final full
//! stop, as Rust error messages are, so that it can be wrapped in context).
//!
//! Variants carry numbers, `&'static str` labels fixed by the crate, and owned `String`s only
//! for names that come from the caller's data (an instrument's id, a subscale's name): no
//! types of other crates and no types of this crate's higher layers, so the enum can grow
//! without breaking anyone (`#[non_exhaustive]`). Every variant has a stable code
//! ([`Error::code`]); with feature `serde` an error serializes as its code and fields, and
//! [`Error::report`] adds the message, for an app's JSON replies. It does not deserialize: it
//! is a report, not a storage format.
//!
//! A statistic that is *undefined* for valid input (zero variance, one category used) is not
//! an error: each module returns a typed undefined value with its reason instead. Errors are
//! for input that is wrong.

/// The result type of every fallible function in this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// `" in steps of 0.1"`, or nothing for a continuous scale.
fn steps(step: &Option<f64>) -> String {
    step.map(|s| format!(" in steps of {s}"))
        .unwrap_or_default()
}

/// What was wrong with the input, and where.
///
/// # Example
/// ```
/// use alliance::{catalog, Error, Rater, Response};
/// let err = Response::from_items(&catalog::wai_sr(), Rater::Client, &[(7, 9.0)]).unwrap_err();
/// assert!(matches!(err, Error::OutOfScale { item: 7, .. }));
/// assert_eq!(err.to_string(), "item 7 is 9 but the scale is 1-5");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(tag = "code", rename_all = "snake_case")
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Error {
    // ---- instruments -------------------------------------------------------------------
    /// A response scale whose bounds are not finite, or whose minimum is not below its maximum,
    /// or whose step is not positive or does not divide the range.
    #[error("the response scale from {min} to {max}{} cannot be used: {reason}", steps(.step))]
    InvalidScale {
        /// Lower bound given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        min: f64,
        /// Upper bound given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        max: f64,
        /// Step given, if any.
        #[cfg_attr(feature = "serde", serde(serialize_with = "optional_number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Option<Number>"))]
        step: Option<f64>,
        /// Which rule the scale breaks.
        reason: &'static str,
    },
    /// An instrument definition breaks a structural rule (no items, a subscale with no items,
    /// two subscales with one name, a cutoff outside the score range, ...).
    #[error("instrument '{instrument}' cannot be built: {reason}")]
    InvalidInstrument {
        /// The instrument's short name.
        instrument: String,
        /// Which rule the definition breaks.
        reason: &'static str,
    },
    /// An instrument definition names an item number twice, or an item number it does not
    /// have.
    #[error("instrument '{instrument}' cannot be built: item {item} is {reason}")]
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
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
        /// The scale's minimum.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        min: f64,
        /// The scale's maximum.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        max: f64,
    },
    /// An answer is not a multiple of the scale's step above its minimum.
    #[error("item {item} is {value} but the scale moves in steps of {step} from {min}")]
    OffStep {
        /// The item number.
        item: u16,
        /// The answer given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
        /// The scale's step.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        step: f64,
        /// The scale's minimum.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        min: f64,
    },
    /// An answer is NaN or infinite.
    #[error("item {item} is {value} but an answer must be a number on the scale")]
    NonFiniteAnswer {
        /// The item number (0 for a value checked outside any item, as by
        /// [`Scale::reverse`](crate::Scale::reverse)).
        item: u16,
        /// The offending value (NaN or an infinity).
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
    },
    /// A value is NaN or infinite.
    #[error("{what} at position {index} is {value}, but only finite numbers can be used")]
    NonFinite {
        /// What the value is (a rating, a session score, a cutoff threshold, ...).
        what: &'static str,
        /// Its 0-based position.
        index: usize,
        /// The offending value (NaN or an infinity).
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
    },
    /// An answer on the scale but nonzero and below
    /// [`RESOLUTION_LIMIT`](crate::domain::RESOLUTION_LIMIT) in magnitude (see [`crate::domain`]).
    #[error(
        "item {item} is {value:e}, nonzero but below the smallest accepted magnitude 1e-100; \
         check the data for an entry error"
    )]
    TinyAnswer {
        /// The item number (0 for a value checked outside any item).
        item: u16,
        /// The offending value.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
    },
    /// Text that names none of a type's values (a rater, an element, a date).
    #[error("'{value}' is not a {what}; use {expected}")]
    Unrecognized {
        /// What the text should name ("rater", "element", "date").
        what: &'static str,
        /// The text given.
        value: String,
        /// The accepted forms.
        expected: &'static str,
    },
    /// An instrument read from data carries a catalog id but not the catalog's definition.
    #[error(
        "instrument '{id}' differs from the catalog's {id} (its key, scale or rules were \
         changed); a catalog id names the catalog's definition only, so give an instrument of \
         your own an id of its own"
    )]
    CatalogIdTaken {
        /// The id given.
        id: String,
    },
    /// Data names an instrument (id and version) that is not registered.
    #[error(
        "no instrument '{id}' version {version} is registered; register it, or name a catalog \
         instrument"
    )]
    UnknownInstrument {
        /// The id named.
        id: String,
        /// The version named.
        version: String,
    },
    /// Data names an instrument whose registered key has another hash: it was scored against
    /// another key.
    #[error(
        "instrument '{id}' version {version} has key hash {registered} here, but the data \
         names {named}: the data was made with another key; register that key under a version \
         of its own"
    )]
    KeyHashMismatch {
        /// The id named.
        id: String,
        /// The version named.
        version: String,
        /// The registered key's hash.
        registered: String,
        /// The hash the data names.
        named: String,
    },
    /// An instrument's id and version are already registered with another key.
    #[error(
        "instrument '{id}' version {version} is already registered with another key; give the \
         changed key a new version"
    )]
    InstrumentConflict {
        /// The id.
        id: String,
        /// The version.
        version: String,
    },
    /// A saved monitor state cannot be restored with what it is given: another snapshot
    /// format, another configuration, another number of scores.
    #[error("the monitor snapshot cannot be restored here: {what}")]
    SnapshotMismatch {
        /// What does not match.
        what: &'static str,
    },
    /// A saved monitor state holds a number or count that no monitor can reach: it was
    /// corrupted or edited.
    #[error("the monitor snapshot is damaged: {what} is not one a monitor can reach")]
    InvalidSnapshot {
        /// The part at fault.
        what: &'static str,
    },
    /// A response gives an item number twice.
    #[error("item {item} is answered twice; give each item once")]
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
    #[error("{what} should have {expected} values, but it has {found}")]
    LengthMismatch {
        /// What was measured.
        what: &'static str,
        /// The number required.
        expected: usize,
        /// The number given.
        found: usize,
    },
    /// A session's response was made on an instrument that has the id asked for but another
    /// definition (scale, items, keys, subscales or norms): two instruments share one id.
    #[error(
        "session {session} of client {client} has a response on another instrument that is \
         also called '{id}' (its scale, items or keys differ); give each instrument definition \
         its own id"
    )]
    InstrumentMismatch {
        /// The shared id.
        id: String,
        /// The client whose course holds the session.
        client: String,
        /// The session number.
        session: u32,
    },
    /// Too many items are missing for the instrument's missing-data rule.
    #[error(
        "'{scope}' is missing {missing} of its {items} items, but the instrument's missing-data \
         rule allows at most {allowed}, so it cannot be scored"
    )]
    TooManyMissing {
        /// Where: "total", or the subscale's name.
        scope: String,
        /// Items missing.
        missing: usize,
        /// Items in scope.
        items: usize,
        /// The most the rule allows.
        allowed: usize,
    },

    // ---- sessions ----------------------------------------------------------------------
    /// A client or therapist id is empty (or only white space).
    #[error("the {role} id is empty; every client and therapist needs a non-empty id")]
    EmptyId {
        /// Whose id: "client" or "therapist".
        role: &'static str,
    },
    /// Two sessions in a course share a session number.
    #[error("session {session} appears twice in the course; each session number is used once")]
    DuplicateSession {
        /// The repeated session number.
        session: u32,
    },
    /// A session already holds a response of this rater on this instrument.
    #[error(
        "session {session} already has a {rater} response on '{instrument}'; a session holds \
         one response per rater and instrument"
    )]
    DuplicateResponse {
        /// The session number.
        session: u32,
        /// Who answered: "client", "therapist" or "observer" (a
        /// [`Rater::label`](crate::Rater::label)).
        rater: &'static str,
        /// The instrument's short name.
        instrument: String,
    },
    /// Session dates go backwards while session numbers go forwards.
    #[error(
        "session {session} is dated before session {previous}; check the dates and the \
         session numbers"
    )]
    DatesOutOfOrder {
        /// The session whose date is too early.
        session: u32,
        /// The earlier-numbered session dated after it.
        previous: u32,
    },
    /// A session belongs to another dyad than the course.
    #[error("session {session} belongs to another client or therapist than the course")]
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
    #[error("line {line} cannot be read: {reason}")]
    Parse {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },

    // ---- batch scoring -----------------------------------------------------------------
    /// One-byte answer codes were given for an instrument whose scale is not a whole-number
    /// scale within 0-255 in steps of 1.
    #[error(
        "one-byte answer codes need a whole-number scale within 0-255 in steps of 1, but the \
         scale runs from {min} to {max}{}; score these answers as numbers instead",
        steps(.step)
    )]
    NotByteScale {
        /// The scale's minimum.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        min: f64,
        /// The scale's maximum.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        max: f64,
        /// The scale's step, if any.
        #[cfg_attr(feature = "serde", serde(serialize_with = "optional_number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Option<Number>"))]
        step: Option<f64>,
    },
    /// The code declared for a missing answer is itself an answer on the scale.
    #[error(
        "missing-answer code {code} is an answer on the {min}-{max} scale; choose a code off \
         the scale"
    )]
    MissingCodeOnScale {
        /// The code declared for a missing answer.
        #[cfg_attr(feature = "serde", serde(rename = "missing_code"))]
        code: u8,
        /// The scale's minimum.
        min: u8,
        /// The scale's maximum.
        max: u8,
    },
    /// One response of a batch is invalid; `source` says what was wrong with it.
    #[error("response {response} of the batch (counting from 0) is invalid: {source}")]
    InBatch {
        /// 0-based index of the response in the batch.
        response: usize,
        /// What was wrong with it.
        source: Box<Error>,
    },

    // ---- statistics --------------------------------------------------------------------
    /// Fewer observations than a method needs.
    #[error("{needed} or more {what} are needed, found {found}")]
    TooFew {
        /// What was counted, in the plural (e.g. "series points", "complete targets").
        what: &'static str,
        /// The minimum the method needs.
        needed: usize,
        /// The number given.
        found: usize,
    },
    /// Times or positions that must increase strictly do not.
    #[error(
        "time at position {index} is {value}, but it must come after the previous time {previous}"
    )]
    NotIncreasing {
        /// 0-based position.
        index: usize,
        /// The time there.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
        /// The time before it.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        previous: f64,
    },
    /// A parameter is outside its allowed range (a confidence level of 1.2, a reliability of
    /// -0.3, a window of 0 sessions).
    #[error("{name} must be {expected}, but it is {value}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// The value given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
        /// The allowed range, in words.
        expected: &'static str,
    },
    /// A category code that is not in the declared category set.
    #[error("value {value} at position {index} is not one of the declared categories")]
    UnknownCategory {
        /// 0-based position.
        index: usize,
        /// The value given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
    },

    // ---- continuous agreement (ICC, concordance, correlation, Bland-Altman) ------------------
    /// Fewer complete pairs than a two-rater statistic needs (pairs missing a value are dropped
    /// before counting).
    #[error("{statistic} needs at least {needed} complete pairs of ratings, found {found}")]
    TooFewPairs {
        /// The statistic asked for ("a correlation", "Lin's concordance", ...).
        statistic: &'static str,
        /// The minimum it needs.
        needed: usize,
        /// Complete pairs given.
        found: usize,
    },
    /// Fewer targets rated by every rater than an ICC needs (targets missing a rating are
    /// dropped before counting).
    #[error("an ICC needs at least {needed} targets rated by every rater, found {found}")]
    TooFewTargets {
        /// The minimum it needs.
        needed: usize,
        /// Complete targets given.
        found: usize,
    },
    /// A Bland-Altman limits-of-agreement multiplier that is not a positive finite number.
    #[error(
        "the limits-of-agreement multiplier is {value}, but it must be a positive number of \
         standard deviations from 1e-100 to 1e100 (1.96 gives the conventional 95% limits)"
    )]
    InvalidLimitMultiplier {
        /// The multiplier given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
    },
    /// A standard error of measurement that is negative or not finite.
    #[error(
        "the {rater}'s standard error of measurement is {value}, but it must be zero or a \
         positive number from 1e-100 to 1e100"
    )]
    InvalidMeasurementError {
        /// Whose rating it belongs to ("client" or "therapist").
        rater: &'static str,
        /// The value given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
    },
    /// Ratings so large that their differences or sums of squares overflow a 64-bit float.
    #[error(
        "the {what} overflow: ratings beyond about 1e150 in magnitude cannot be analysed, so \
         rescale them (for example to a 0-100 POMP score)"
    )]
    RatingsTooLarge {
        /// What overflowed ("mean squares of the ICC", "differences of the pairs").
        what: &'static str,
    },

    // ---- mixed models: therapist effects ---------------------------------------------------
    /// Fewer groups at a level of a nested design than a variance partition needs (one
    /// therapist: the therapist variance is confounded with the mean).
    #[error("{model} needs at least {needed} {level}, found {found}")]
    TooFewGroups {
        /// The model asked for ("a therapist-effects model", "a one-way ICC", ...).
        model: &'static str,
        /// The level counted, in the plural ("therapists", "groups").
        level: &'static str,
        /// The fewest it needs.
        needed: usize,
        /// The number given.
        found: usize,
    },
    /// Every group at a level has a single member, so the variances of the two levels cannot
    /// be told apart.
    #[error(
        "every {upper} has a single {lower}, so the {upper} and {lower} variances cannot be \
         told apart; {advice}"
    )]
    NoReplication {
        /// The upper level ("therapist", "client", "group").
        upper: &'static str,
        /// The level nested in it ("client", "session", "observation").
        lower: &'static str,
        /// What to do instead.
        advice: &'static str,
    },
    // ---- repeated-measures agreement (rm_corr, Bland-Altman for repeated pairs) -----------
    /// Repeated pairs whose subject labels and values differ in number.
    #[error(
        "{labels} subject labels were given for {pairs} pairs; give one subject (dyad) label \
         per pair"
    )]
    SubjectLabelsMismatch {
        /// Subject labels given.
        labels: usize,
        /// Pairs given (values of the first measure).
        pairs: usize,
    },
    /// Fewer subjects (dyads) with a complete pair than a repeated-measures statistic needs.
    #[error(
        "{statistic} needs complete pairs from at least {needed} subjects (dyads), found \
         {found}; with a single dyad, use the ordinary analysis of its sessions"
    )]
    TooFewRepeatedSubjects {
        /// The statistic asked for ("a Bland-Altman analysis of repeated pairs", ...).
        statistic: &'static str,
        /// The minimum it needs.
        needed: usize,
        /// Subjects with at least one complete pair.
        found: usize,
    },

    // ---- categorical agreement (kappa family, Krippendorff) ---------------------------------
    /// A value outside the domain a method needs (a negative value on a ratio scale).
    #[error("{what} at position {index} is {value}, but it must be {expected}")]
    OutOfDomain {
        /// What the value is.
        what: &'static str,
        /// 0-based (row-major) position.
        index: usize,
        /// The value given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
        /// The allowed domain, in words.
        expected: &'static str,
    },
    /// A category set with fewer than 2 categories.
    #[error("declare at least 2 categories (every code a rating may take), found {found}")]
    TooFewCategories {
        /// Categories given.
        found: usize,
    },
    /// A category code that does not come after the one before it (unsorted or repeated).
    #[error(
        "category {value} at position {index} does not come after {previous}: declare each category once, in ascending order"
    )]
    CategoriesNotAscending {
        /// 0-based position in the declared list.
        index: usize,
        /// The code there.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
        /// The code before it.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        previous: f64,
    },
    /// A weight matrix given with the wrong number of weights for its size.
    #[error("a {size} x {size} weight matrix needs {expected} weights (row by row), found {found}")]
    WeightCount {
        /// Rows (and columns) of the matrix: one per category.
        size: usize,
        /// `size * size`.
        expected: usize,
        /// Weights given.
        found: usize,
    },
    /// A weight matrix whose size is not the number of declared categories.
    #[error(
        "the weight matrix is {found} x {found}, but {categories} categories are declared: give one row and one column per category"
    )]
    WeightMatrixSize {
        /// Declared categories.
        categories: usize,
        /// Rows of the matrix given.
        found: usize,
    },
    /// A weight outside its allowed range (agreement weights in `[0, 1]`, disagreement weights
    /// at least 0).
    #[error("the weight in row {row}, column {column} is {value}, but it must be {expected}")]
    WeightOutOfRange {
        /// 0-based row (first rater's category).
        row: usize,
        /// 0-based column (second rater's category).
        column: usize,
        /// The weight given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
        /// The allowed range, in words.
        expected: &'static str,
    },
    /// A diagonal weight (identical categories) other than full agreement.
    #[error(
        "the weight for identical categories (row and column {category}) is {value}, but it must be {expected}: identical ratings are full agreement"
    )]
    DiagonalWeight {
        /// 0-based category.
        category: usize,
        /// The weight given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
        /// The required value (1 for an agreement weight, 0 for a disagreement weight).
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        expected: f64,
    },
    /// Disagreement weights that are all 0, so no pair of categories counts as disagreeing.
    #[error(
        "every disagreement weight is 0: give a positive weight to at least one pair of different categories"
    )]
    NoDisagreementWeight,
    /// A contingency table whose number of rows is not the number of declared categories.
    #[error(
        "the contingency table has {found} rows, but {categories} categories are declared: give one row per category of the first rater"
    )]
    TableRows {
        /// Declared categories.
        categories: usize,
        /// Rows given.
        found: usize,
    },
    /// A contingency table row whose length is not the number of declared categories.
    #[error(
        "row {row} of the contingency table has {found} counts, but {categories} categories are declared: give one count per category of the second rater"
    )]
    TableRowLength {
        /// 0-based row.
        row: usize,
        /// Declared categories.
        categories: usize,
        /// Counts in that row.
        found: usize,
    },
    /// A contingency table whose total is too large to count exactly.
    #[error(
        "the contingency table counts {found} or more pairs; at most {limit} can be counted exactly"
    )]
    TableTooLarge {
        /// The running total when the limit was passed.
        found: u64,
        /// The largest total accepted (2^53).
        limit: u64,
    },
    /// Fewer than 2 pairs rated by both raters for Cohen's kappa.
    #[error("Cohen's kappa needs at least 2 subjects rated by both raters, found {found}")]
    TooFewRatedPairs {
        /// Complete pairs (or the contingency table's total).
        found: usize,
    },
    /// Fewer than 2 subjects with a rating for a multi-rater coefficient.
    #[error("at least 2 subjects with a rating are needed, found {found}")]
    TooFewRatedSubjects {
        /// Subjects with at least one rating.
        found: usize,
    },
    /// A bootstrap with too few or too many replicates.
    #[error("choose between {min} and {max} bootstrap replicates, found {found}")]
    BootstrapReplicates {
        /// Replicates requested.
        found: usize,
        /// The fewest accepted (2).
        min: usize,
        /// The most accepted.
        max: usize,
    },
    /// A bootstrap whose replicates times pairable values passes
    /// [`Bootstrap::MAX_DRAWS`](crate::agreement::Bootstrap::MAX_DRAWS).
    #[error(
        "a bootstrap of {replicates} replicates over {values} pairable values draws \
         {replicates} × {values} values, beyond the limit of {limit}; use fewer replicates \
         (1000 to 10,000 give a percentile interval)"
    )]
    BootstrapTooCostly {
        /// Replicates requested.
        replicates: usize,
        /// Pairable values in the data (values in units with at least two).
        values: usize,
        /// The most value draws accepted.
        limit: u64,
    },
    /// More declared categories than the kappa family and its weights are built for.
    #[error(
        "{found} categories are declared, but at most {limit} are accepted: tables and weights \
         hold one entry per pair of categories; merge or round the codes (e.g. to the \
         instrument's steps)"
    )]
    TooManyCategories {
        /// Categories declared (saturated at `u64::MAX`).
        found: u64,
        /// The most accepted ([`crate::agreement::Categories::MAX`]).
        limit: u64,
    },
    /// Reliability data whose ratio metric would compare too many pairs of distinct values.
    #[error(
        "the ratio metric compares every pair of distinct values, and these data need {found} \
         or more such comparisons, beyond the limit of {limit} (about 16,000 distinct values); \
         round the values to the instrument's precision or use the interval metric"
    )]
    TooManyRatioPairs {
        /// Comparisons counted when the limit was passed.
        found: u64,
        /// The most accepted ([`crate::agreement::Metric::RATIO_PAIRS_LIMIT`]).
        limit: u64,
    },
    /// Reliability data whose rows differ in length.
    #[error(
        "row {row} of the reliability data has {found} values, but the first row has {expected}: give every row the same length, with None where a value is missing"
    )]
    RaggedReliabilityData {
        /// 0-based row.
        row: usize,
        /// Values in the first row.
        expected: usize,
        /// Values in this row.
        found: usize,
    },

    // ---- mixed models: crossed ICC (icc_reml) -------------------------------------------------
    /// Fewer than 2 targets with at least one rating, for the REML ICC.
    #[error(
        "the REML ICC needs at least 2 targets with a rating, found {found}; targets with no \
         rating at all are left out"
    )]
    TooFewRatedTargets {
        /// Targets with at least one rating.
        found: usize,
    },
    /// Fewer than 2 raters who rated at least one target, for the REML ICC.
    #[error(
        "the REML ICC needs at least 2 raters who rated a target, found {found}; a rater \
         with no rating at all is left out"
    )]
    TooFewRatedRaters {
        /// Raters with at least one rating.
        found: usize,
    },
    /// No target has 2 ratings, so target and residual variance cannot be told apart.
    #[error(
        "none of the {targets} rated targets has 2 or more ratings, so differences between \
         targets cannot be separated from rating error; the REML ICC needs some targets rated \
         by at least 2 raters"
    )]
    NoRepeatedTarget {
        /// Targets with a rating.
        targets: usize,
    },
    /// Every rater rated a single target, so rater and residual variance cannot be told apart.
    #[error(
        "each of the {raters} raters rated a single target, so differences between raters \
         cannot be separated from rating error; the REML ICC needs some rater to rate at \
         least 2 targets"
    )]
    NoRepeatedRater {
        /// Raters with a rating.
        raters: usize,
    },
    /// The observed cells leave no residual degrees of freedom: target and rater effects
    /// explain every rating whatever its value, so rating error cannot be estimated.
    #[error(
        "the {cells} ratings are explained exactly by {parameters} target and rater effects, \
         leaving nothing to estimate rating error from; the REML ICC needs more targets rated \
         by 2 or more raters"
    )]
    SaturatedCrossedDesign {
        /// Observed cells.
        cells: usize,
        /// Free parameters of the additive fit: targets + raters − connected groups of them.
        parameters: usize,
    },

    // ---- reliability and trend statistics ---------------------------------------------------
    /// Fewer than 2 complete respondents (rows without a missing answer) for Cronbach's alpha.
    #[error("at least 2 respondents who answered every item are needed, found {found}")]
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
    #[error("the series needs at least {needed} point(s), found {found}")]
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
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
    },
    /// A standard deviation that is negative, zero where it must be positive, or not finite.
    #[error("the {what} is {value}; it must be {expected}")]
    InvalidSd {
        /// Which standard deviation (e.g. "standard deviation", "clinical SD").
        what: &'static str,
        /// The value given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
        /// What it must be, in words ("a finite number above 0").
        expected: &'static str,
    },
    /// A critical value for reliable change that is not a finite number above 0.
    #[error("the critical value is {value}; it must be a finite number above 0")]
    InvalidCritical {
        /// The value given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
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

    /// Pairwise-deletion alpha on more items than its pairwise accumulators are built for.
    #[error(
        "pairwise-deletion alpha keeps sums for every pair of items and accepts at most \
         {limit} items, found {found}; use listwise deletion (cronbach_alpha) or fewer items"
    )]
    TooManyItems {
        /// Items (columns) given.
        found: usize,
        /// The most accepted ([`crate::reliability::PAIRWISE_MAX_ITEMS`]).
        limit: usize,
    },
    /// A Hamed-Rao lag count whose autocorrelations would take too long to compute.
    #[error(
        "Hamed-Rao with {lags} lags on {points} points needs lags x points = {work} products, \
         beyond the limit of {limit}; examine at most {max_lags} lags on this series"
    )]
    TooManyLags {
        /// Lags asked for.
        lags: usize,
        /// Points in the series.
        points: usize,
        /// `lags * points` (saturated).
        work: u64,
        /// The most accepted ([`crate::trend::HamedRaoOptions::MAX_WORK`]).
        limit: u64,
        /// The most lags accepted on this series.
        max_lags: usize,
    },

    // ---- trend: autocorrelation corrections and Siegel ---------------------------------------
    /// A series too short to estimate the autocorrelation an autocorrelation-corrected
    /// Mann-Kendall test needs ([`crate::trend::CORRECTION_MIN_POINTS`]).
    #[error(
        "the {method} correction estimates the series' autocorrelation and needs at least \
         {needed} sessions, found {found}; use the uncorrected Mann-Kendall test on a series \
         this short"
    )]
    TooShortForCorrection {
        /// The correction ("Yue-Wang", "pre-whitening", "trend-free pre-whitening").
        method: &'static str,
        /// Sessions the correction needs.
        needed: usize,
        /// Sessions in the series.
        found: usize,
    },
    /// A lag count for an autocorrelation correction of 0, or beyond what the series allows.
    #[error(
        "{method} lags is {lags}; it must be at least 1 and at most {max_lags} on this series \
         of {points} points"
    )]
    InvalidCorrectionLags {
        /// The correction ("Yue-Wang").
        method: &'static str,
        /// Lags asked for.
        lags: usize,
        /// Points in the series.
        points: usize,
        /// The most lags accepted on this series: n − 1, or fewer on very long series (at
        /// most 2^28 products lags x n).
        max_lags: usize,
    },
    /// More points than Siegel's repeated-median line accepts
    /// ([`crate::trend::SIEGEL_MAX_POINTS`]): its time grows with the square of the points.
    #[error(
        "Siegel's repeated-median slope takes time growing with the square of the points and \
         accepts at most {limit}, found {points}; use Sen's slope (sen_slope), which handles \
         millions"
    )]
    TooManyPointsForSiegel {
        /// Points given.
        points: usize,
        /// The most accepted.
        limit: usize,
    },

    // ---- reliability: omega and intervals ---------------------------------------------------
    /// A null value r0 for the ICC test outside [0, 1) or not a number.
    #[error(
        "the null value r0 of the ICC test is {value}; it must be a number from 0 up to but not \
         including 1 (e.g. 0.5 to test whether the ICC exceeds 0.5)"
    )]
    InvalidNullIcc {
        /// The value given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
    },
    /// Fewer than 3 items for a one-factor model (with 2 items the loadings are not
    /// identified: any pair with the same product fits).
    #[error(
        "omega from a one-factor model needs at least 3 items (with 2 the loadings are not \
         identified), found {found}"
    )]
    OmegaTooFewItems {
        /// Items given.
        found: usize,
    },
    /// An item every respondent answered the same: its correlations are 0/0 and no factor
    /// model can be fitted.
    #[error(
        "item {item} (0-based column) has the same answer from every respondent; a factor model \
         needs items that vary: leave it out of the scale"
    )]
    ConstantItem {
        /// 0-based column of the item.
        item: usize,
    },
    /// An item index outside the matrix, or given twice, in an item set (subscale).
    #[error("the item set lists item {index} (0-based), but {reason}")]
    InvalidItemSet {
        /// The index given.
        index: usize,
        /// What is wrong ("the matrix has 12 items", "it is listed twice").
        reason: String,
    },
    /// A reliability bootstrap whose replicates times cells passes
    /// [`reliability::MAX_BOOTSTRAP_DRAWS`](crate::reliability::MAX_BOOTSTRAP_DRAWS).
    #[error(
        "a bootstrap of {replicates} replicates over {cells} answers draws {replicates} × \
         {cells} answers, beyond the limit of {limit}; use fewer replicates (1000 to 2000 \
         give a percentile interval)"
    )]
    ReliabilityBootstrapTooCostly {
        /// Replicates requested.
        replicates: usize,
        /// Answers in the data (respondents × items).
        cells: usize,
        /// The most answer draws accepted.
        limit: u64,
    },

    // ---- trend detectors and monitor (trend-detect) ---------------------------------------
    /// A number beyond [`MAGNITUDE_LIMIT`](crate::domain::MAGNITUDE_LIMIT), where sums of
    /// squares could overflow (alliance scores and session times are many orders of magnitude
    /// smaller). See [`crate::domain`].
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
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
        /// The largest magnitude accepted.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        limit: f64,
    },
    /// A nonzero number of magnitude below
    /// [`RESOLUTION_LIMIT`](crate::domain::RESOLUTION_LIMIT), where products and quotients could
    /// underflow. See [`crate::domain`].
    #[error(
        "{what} at position {index} is {value:e}, nonzero but below the smallest accepted \
         magnitude {limit:e}; check the data for an entry error (0 itself is accepted)"
    )]
    TooSmall {
        /// What the value is (a rating, a session time, a norm's SD).
        what: &'static str,
        /// Its 0-based position.
        index: usize,
        /// The value given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
        /// The smallest nonzero magnitude accepted.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
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
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        left: f64,
        /// The time in the second series.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
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
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
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
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        lenient: f64,
        /// The strict threshold given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
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
    /// Two sessions of a course on the same date, where time in days needs one session per
    /// day.
    #[error(
        "sessions {first} and {second} are both dated {date}, but time in days needs at most \
         one scored session per day; measure time in session numbers \
         (TimeAxis::SessionNumber), or correct the date"
    )]
    SameDate {
        /// The earlier session number.
        first: u32,
        /// The later session number.
        second: u32,
        /// Their date.
        date: crate::Date,
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
    // ---- expected-alliance curves ---------------------------------------------------------
    /// An expected-alliance curve was asked for without a single reference score.
    #[error(
        "an expected-alliance curve needs reference scores, and none was found; give at least \
         one scored session of the reference caseload"
    )]
    NoReferenceData,
    /// A reference dyad has two scores at one session number.
    #[error(
        "reference dyad {dyad} has two scores at session {session}; give each dyad one score \
         per session"
    )]
    RepeatedReferenceSession {
        /// 0-based position of the dyad.
        dyad: usize,
        /// The repeated session number.
        session: u32,
    },
    /// The reference sessions span more session numbers than a curve may hold.
    #[error(
        "the reference sessions run from session {first} to session {last}, more than the {max} \
         sessions a curve may span; check the session numbers"
    )]
    CurveTooLong {
        /// The first session number.
        first: u32,
        /// The last session number.
        last: u32,
        /// The most sessions a curve may span.
        max: u32,
    },
    /// An option of an expected-alliance curve is outside its range.
    #[error("the expected curve's {option} is {value}, but it must be {expected}")]
    InvalidCurveOption {
        /// The option.
        option: &'static str,
        /// The value given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        value: f64,
        /// The allowed range, in words.
        expected: &'static str,
    },
    /// A stored (deserialized) expected curve is not one an estimate could have made.
    #[error(
        "the expected curve cannot be used: {what} is not valid; estimate the curve again from \
         the reference caseload"
    )]
    InvalidCurve {
        /// The part that is wrong.
        what: &'static str,
    },
    /// A series time that should be a session number is not a whole number in range.
    #[error(
        "the session time at position {index} is {time}, but the expected curve is read at \
         whole session numbers from 0 to 4294967295; use session numbers as times"
    )]
    SessionNotWhole {
        /// 0-based position in the series.
        index: usize,
        /// The time given.
        #[cfg_attr(feature = "serde", serde(serialize_with = "number"))]
        #[cfg_attr(feature = "schema", schemars(with = "Number"))]
        time: f64,
    },
}

impl Error {
    /// A stable, machine-readable code for the kind of error: the variant's name in
    /// snake case (`Error::OutOfScale` is `"out_of_scale"`). Codes never change meaning; an
    /// app can key its own translations on them, with the fields of the error as parameters
    /// (with feature `serde`, [`Error::report`] serializes code, message and fields).
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Rater, Response};
    /// let err = Response::from_items(&catalog::wai_sr(), Rater::Client, &[(7, 9.0)]).unwrap_err();
    /// assert_eq!(err.code(), "out_of_scale");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidScale { .. } => "invalid_scale",
            Error::InvalidInstrument { .. } => "invalid_instrument",
            Error::InvalidItem { .. } => "invalid_item",
            Error::OutOfScale { .. } => "out_of_scale",
            Error::OffStep { .. } => "off_step",
            Error::NonFiniteAnswer { .. } => "non_finite_answer",
            Error::NonFinite { .. } => "non_finite",
            Error::TinyAnswer { .. } => "tiny_answer",
            Error::Unrecognized { .. } => "unrecognized",
            Error::CatalogIdTaken { .. } => "catalog_id_taken",
            Error::UnknownInstrument { .. } => "unknown_instrument",
            Error::KeyHashMismatch { .. } => "key_hash_mismatch",
            Error::InstrumentConflict { .. } => "instrument_conflict",
            Error::SnapshotMismatch { .. } => "snapshot_mismatch",
            Error::InvalidSnapshot { .. } => "invalid_snapshot",
            Error::DuplicateItem { .. } => "duplicate_item",
            Error::UnknownItem { .. } => "unknown_item",
            Error::LengthMismatch { .. } => "length_mismatch",
            Error::InstrumentMismatch { .. } => "instrument_mismatch",
            Error::TooManyMissing { .. } => "too_many_missing",
            Error::EmptyId { .. } => "empty_id",
            Error::DuplicateSession { .. } => "duplicate_session",
            Error::DuplicateResponse { .. } => "duplicate_response",
            Error::DatesOutOfOrder { .. } => "dates_out_of_order",
            Error::ForeignSession { .. } => "foreign_session",
            Error::InvalidDate { .. } => "invalid_date",
            Error::Parse { .. } => "parse",
            Error::NotByteScale { .. } => "not_byte_scale",
            Error::MissingCodeOnScale { .. } => "missing_code_on_scale",
            Error::InBatch { .. } => "in_batch",
            Error::TooFew { .. } => "too_few",
            Error::NotIncreasing { .. } => "not_increasing",
            Error::InvalidParameter { .. } => "invalid_parameter",
            Error::UnknownCategory { .. } => "unknown_category",
            Error::TooFewPairs { .. } => "too_few_pairs",
            Error::TooFewTargets { .. } => "too_few_targets",
            Error::TooFewRatedTargets { .. } => "too_few_rated_targets",
            Error::TooFewRatedRaters { .. } => "too_few_rated_raters",
            Error::NoRepeatedTarget { .. } => "no_repeated_target",
            Error::NoRepeatedRater { .. } => "no_repeated_rater",
            Error::SaturatedCrossedDesign { .. } => "saturated_crossed_design",
            Error::InvalidLimitMultiplier { .. } => "invalid_limit_multiplier",
            Error::InvalidMeasurementError { .. } => "invalid_measurement_error",
            Error::RatingsTooLarge { .. } => "ratings_too_large",
            Error::TooFewGroups { .. } => "too_few_groups",
            Error::NoReplication { .. } => "no_replication",
            Error::SubjectLabelsMismatch { .. } => "subject_labels_mismatch",
            Error::TooFewRepeatedSubjects { .. } => "too_few_repeated_subjects",
            Error::OutOfDomain { .. } => "out_of_domain",
            Error::TooFewCategories { .. } => "too_few_categories",
            Error::CategoriesNotAscending { .. } => "categories_not_ascending",
            Error::WeightCount { .. } => "weight_count",
            Error::WeightMatrixSize { .. } => "weight_matrix_size",
            Error::WeightOutOfRange { .. } => "weight_out_of_range",
            Error::DiagonalWeight { .. } => "diagonal_weight",
            Error::NoDisagreementWeight => "no_disagreement_weight",
            Error::TableRows { .. } => "table_rows",
            Error::TableRowLength { .. } => "table_row_length",
            Error::TableTooLarge { .. } => "table_too_large",
            Error::TooFewRatedPairs { .. } => "too_few_rated_pairs",
            Error::TooFewRatedSubjects { .. } => "too_few_rated_subjects",
            Error::BootstrapReplicates { .. } => "bootstrap_replicates",
            Error::BootstrapTooCostly { .. } => "bootstrap_too_costly",
            Error::TooManyCategories { .. } => "too_many_categories",
            Error::TooManyRatioPairs { .. } => "too_many_ratio_pairs",
            Error::RaggedReliabilityData { .. } => "ragged_reliability_data",
            Error::TooFewRespondents { .. } => "too_few_respondents",
            Error::TooFewPairwise { .. } => "too_few_pairwise",
            Error::TooFewPoints { .. } => "too_few_points",
            Error::TooFewScores { .. } => "too_few_scores",
            Error::ReliabilityOutOfRange { .. } => "reliability_out_of_range",
            Error::InvalidSd { .. } => "invalid_sd",
            Error::InvalidCritical { .. } => "invalid_critical",
            Error::MissingSetting { .. } => "missing_setting",
            Error::InvalidLags { .. } => "invalid_lags",
            Error::InvalidPositions { .. } => "invalid_positions",
            Error::UnsupportedInterval { .. } => "unsupported_interval",
            Error::TooManyItems { .. } => "too_many_items",
            Error::TooManyLags { .. } => "too_many_lags",
            Error::TooShortForCorrection { .. } => "too_short_for_correction",
            Error::InvalidCorrectionLags { .. } => "invalid_correction_lags",
            Error::TooManyPointsForSiegel { .. } => "too_many_points_for_siegel",
            Error::TooLarge { .. } => "too_large",
            Error::TooSmall { .. } => "too_small",
            Error::InvalidNullIcc { .. } => "invalid_null_icc",
            Error::OmegaTooFewItems { .. } => "omega_too_few_items",
            Error::ConstantItem { .. } => "constant_item",
            Error::InvalidItemSet { .. } => "invalid_item_set",
            Error::ReliabilityBootstrapTooCostly { .. } => "reliability_bootstrap_too_costly",
            Error::TimesDiffer { .. } => "times_differ",
            Error::UnpairedSeries { .. } => "unpaired_series",
            Error::InvalidRuleParameter { .. } => "invalid_rule_parameter",
            Error::MissingRuleParameter { .. } => "missing_rule_parameter",
            Error::TooFewSessions { .. } => "too_few_sessions",
            Error::ThresholdsOutOfOrder { .. } => "thresholds_out_of_order",
            Error::NotStreamable { .. } => "not_streamable",
            Error::NoMonitoredScores => "no_monitored_scores",
            Error::UnknownSubscale { .. } => "unknown_subscale",
            Error::ElementNotCovered { .. } => "element_not_covered",
            Error::PartNotAnswered { .. } => "part_not_answered",
            Error::MissingDate { .. } => "missing_date",
            Error::SameDate { .. } => "same_date",
            Error::NoScoredSession { .. } => "no_scored_session",
            Error::NoPairedSession { .. } => "no_paired_session",
            Error::NoReferenceData => "no_reference_data",
            Error::RepeatedReferenceSession { .. } => "repeated_reference_session",
            Error::CurveTooLong { .. } => "curve_too_long",
            Error::InvalidCurveOption { .. } => "invalid_curve_option",
            Error::InvalidCurve { .. } => "invalid_curve",
            Error::SessionNotWhole { .. } => "session_not_whole",
        }
    }

    /// The error as code, message and fields, for a JSON reply: with feature `serde` it
    /// serializes as one object, `{"code": ..., "message": ..., <the variant's fields>}`
    /// (an error inside a batch nests its cause under `source`, with its own code and fields).
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Rater, Response};
    /// let err = Response::from_items(&catalog::wai_sr(), Rater::Client, &[(7, 9.0)]).unwrap_err();
    /// let report = err.report();
    /// assert_eq!((report.code, report.message.as_str()), ("out_of_scale", "item 7 is 9 but the scale is 1-5"));
    /// # #[cfg(feature = "serde")]
    /// # assert_eq!(
    /// #     serde_json::to_string(&report).unwrap(),
    /// #     r#"{"code":"out_of_scale","item":7,"value":9.0,"min":1.0,"max":5.0,"message":"item 7 is 9 but the scale is 1-5"}"#
    /// # );
    /// ```
    pub fn report(&self) -> ErrorReport<'_> {
        ErrorReport {
            code: self.code(),
            message: self.to_string(),
            error: self,
        }
    }
}

/// An error as an app reports it: its stable [`code`](Error::code), its English message and,
/// when serialized (feature `serde`), the fields of the variant beside them. Made by
/// [`Error::report`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ErrorReport<'a> {
    /// The stable code (also written by the error's own fields, so it is not repeated).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub code: &'static str,
    /// The error's fields, with `code` first.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub error: &'a Error,
    /// The English message ([`Display`](std::fmt::Display) text).
    pub message: String,
}

/// A list of names for a message: "Goal, Task, Bond", or "none".
fn names(list: &[String]) -> String {
    if list.is_empty() {
        "none".to_owned()
    } else {
        list.join(", ")
    }
}

/// An error's number as JSON: itself when finite, else `"NaN"`, `"inf"` or `"-inf"`. JSON has
/// no such numbers, and in an error the offending value is often the point.
#[cfg(feature = "serde")]
fn number<S: serde::Serializer>(x: &f64, s: S) -> std::result::Result<S::Ok, S::Error> {
    if x.is_finite() {
        s.serialize_f64(*x)
    } else if x.is_nan() {
        s.serialize_str("NaN")
    } else if *x > 0.0 {
        s.serialize_str("inf")
    } else {
        s.serialize_str("-inf")
    }
}

/// [`number`], or `null`.
#[cfg(feature = "serde")]
fn optional_number<S: serde::Serializer>(
    x: &Option<f64>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match x {
        Some(v) => number(v, s),
        None => s.serialize_none(),
    }
}

/// The schema of [`number`]'s output.
#[cfg(feature = "schema")]
struct Number;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Number {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ErrorNumber".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A number, or \"NaN\", \"inf\" or \"-inf\" for one that is not finite",
            "oneOf": [{ "type": "number" }, { "enum": ["NaN", "inf", "-inf"] }]
        })
    }
}
