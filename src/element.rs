//! The four elements of the therapeutic alliance, and a profile of scores over them.

use std::fmt;

/// One of the four elements of the therapeutic alliance.
///
/// No published instrument measures these four elements directly; this crate maps each
/// instrument's items onto them (see each catalog entry), close to Bordin's bond, goals and
/// tasks, with expectations split out of tasks and bond.
///
/// # Example
/// ```
/// use alliance::Element;
/// assert_eq!(Element::ALL.len(), 4);
/// assert_eq!(Element::Goals.name(), "Mutual Agreement on Goals");
/// assert!(!Element::Rapport.guidance().is_empty());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Element {
    /// Positive Rapport: trust, warmth and feeling understood (Bordin's bond).
    Rapport,
    /// Mutual Agreement on Goals: therapist and client work towards the same ends.
    Goals,
    /// Realistic Expectations: hope and confidence that fit what therapy can do.
    Expectations,
    /// Sharing Responsibility: both take an active part in the work (Bordin's tasks).
    Responsibility,
}

impl Element {
    /// The four elements, in a fixed order used by every per-element array in the crate.
    pub const ALL: [Element; 4] = [
        Element::Rapport,
        Element::Goals,
        Element::Expectations,
        Element::Responsibility,
    ];

    /// The element's position in [`Element::ALL`].
    ///
    /// # Example
    /// ```
    /// use alliance::Element;
    /// assert_eq!(Element::Expectations.index(), 2);
    /// assert!(Element::ALL.iter().enumerate().all(|(i, e)| e.index() == i));
    /// ```
    pub const fn index(self) -> usize {
        match self {
            Element::Rapport => 0,
            Element::Goals => 1,
            Element::Expectations => 2,
            Element::Responsibility => 3,
        }
    }

    /// The element's full name, e.g. "Positive Rapport".
    ///
    /// # Example
    /// ```
    /// use alliance::Element;
    /// assert_eq!(Element::Rapport.name(), "Positive Rapport");
    /// assert_eq!(Element::Rapport.to_string(), "Positive Rapport");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Element::Rapport => "Positive Rapport",
            Element::Goals => "Mutual Agreement on Goals",
            Element::Expectations => "Realistic Expectations",
            Element::Responsibility => "Sharing Responsibility",
        }
    }

    /// A one-line description of what the element is.
    ///
    /// # Example
    /// ```
    /// use alliance::Element;
    /// assert!(Element::Goals.description().contains("agree"));
    /// ```
    pub const fn description(self) -> &'static str {
        match self {
            Element::Rapport => {
                "The client trusts the therapist, feels respected and understood, and the two \
                 like working together."
            }
            Element::Goals => {
                "Client and therapist agree on what therapy is for and on what would count as \
                 progress."
            }
            Element::Expectations => {
                "The client hopes for change at a pace and of a kind that therapy can deliver, \
                 and believes the approach can help."
            }
            Element::Responsibility => {
                "Both take an active part in the work: the client is a partner who shapes the \
                 sessions, not a passenger."
            }
        }
    }

    /// Short, practical guidance for a therapist on strengthening the element.
    ///
    /// # Example
    /// ```
    /// use alliance::Element;
    /// for e in Element::ALL {
    ///     assert!(!e.guidance().is_empty());
    /// }
    /// ```
    pub const fn guidance(self) -> &'static str {
        match self {
            Element::Rapport => {
                "Reflect back what you heard before moving on; name and repair missteps openly; \
                 ask at the end of a session how it felt to work together today."
            }
            Element::Goals => {
                "Write the goals down in the client's own words; revisit them every few \
                 sessions; when the client's priorities shift, change the goals with them."
            }
            Element::Expectations => {
                "Explain how the approach works and what a typical course looks like; set \
                 small, visible milestones; talk about setbacks before they happen."
            }
            Element::Responsibility => {
                "Agree together what each session will cover; invite the client to choose \
                 between tasks; review between-session work as a joint experiment, not homework."
            }
        }
    }
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Element {
    /// A short lower-case name for files and columns: `rapport`, `goals`, `expectations`,
    /// `responsibility`.
    ///
    /// # Example
    /// ```
    /// use alliance::Element;
    /// assert_eq!(Element::Goals.slug(), "goals");
    /// ```
    pub const fn slug(self) -> &'static str {
        match self {
            Element::Rapport => "rapport",
            Element::Goals => "goals",
            Element::Expectations => "expectations",
            Element::Responsibility => "responsibility",
        }
    }
}

/// An element from its full name or its [slug](Element::slug), in any case.
///
/// # Example
/// ```
/// use alliance::Element;
/// assert_eq!("Positive Rapport".parse::<Element>()?, Element::Rapport);
/// assert_eq!("GOALS".parse::<Element>()?, Element::Goals);
/// assert!("trust".parse::<Element>().is_err());
/// # Ok::<(), alliance::Error>(())
/// ```
impl std::str::FromStr for Element {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Element> {
        let s2 = s.trim();
        Element::ALL
            .into_iter()
            .find(|e| e.slug().eq_ignore_ascii_case(s2) || e.name().eq_ignore_ascii_case(s2))
            .ok_or_else(|| crate::Error::Unrecognized {
                what: "element",
                value: s.to_owned(),
                expected: "rapport, goals, expectations or responsibility (or the full names)",
            })
    }
}

/// One element's score in a profile.
///
/// With feature `serde` it serializes; it does not deserialize (a result is computed, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ElementScore {
    /// Percent of maximum possible, 0-100: 100 (mean - min) / (max - min) over the element's
    /// answered items, after reverse keying (Cohen, Cohen, Aiken & West 1999).
    pub pomp: f64,
    /// Items of the instrument that feed this element.
    pub items: usize,
    /// Of those, the items answered.
    pub answered: usize,
    /// True when the element rests on fewer than 3 items: read it with care.
    pub low_reliability: bool,
}

impl ElementScore {
    /// An element score; `low_reliability` follows from `items < 3`.
    pub(crate) fn new(pomp: f64, items: usize, answered: usize) -> ElementScore {
        ElementScore {
            pomp,
            items,
            answered,
            low_reliability: items < ElementProfile::MIN_RELIABLE_ITEMS,
        }
    }
}

/// A 0-100 (POMP) score for each of the four elements that an instrument covers.
///
/// Its getters return `Option`s, not [`Outcome`](crate::Outcome)s: an element is absent when
/// the instrument has no item for it (or none of its items was answered), which is a fact
/// about the questionnaire, not a statistic that is undefined on the data.
///
/// With feature `serde` it serializes as an object keyed by element, as [`Element`]
/// serializes (`{"Rapport": {...}, "Goals": null, ...}`, in [`Element::ALL`] order, `null` for
/// an element the instrument does not cover); it does not deserialize (a result is computed,
/// not read).
///
/// # Example
/// ```
/// use alliance::{catalog, score, Element, Rater, Response};
/// let wai_sr = catalog::wai_sr();
/// let answers = [4.0, 3.0, 5.0, 4.0, 5.0, 4.0, 5.0, 4.0, 4.0, 3.0, 4.0, 3.0];
/// let response = Response::complete(&wai_sr, Rater::Client, &answers)?;
/// let profile = score(&response)?.profile;
/// // Responsibility = items 2 and 12 (3, 3): POMP 50, the lowest
/// assert_eq!(profile.weakest(), Some(Element::Responsibility));
/// // Rapport = Bond items 3 5 7 9 (5, 5, 5, 4): mean 4.75, POMP 100 × 3.75 / 4
/// assert_eq!(profile.get(Element::Rapport).map(|e| e.pomp), Some(93.75));
/// assert_eq!(profile.low_reliability().collect::<Vec<_>>(), [Element::Expectations, Element::Responsibility]);
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ElementProfile {
    scores: [Option<ElementScore>; 4],
}

#[cfg(feature = "serde")]
impl serde::Serialize for ElementProfile {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(Element::ALL.len()))?;
        for (element, score) in Element::ALL.iter().zip(&self.scores) {
            map.serialize_entry(element, score)?;
        }
        map.end()
    }
}

/// An object with one property per element, each a score or `null`.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for ElementProfile {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ElementProfile".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let score = g.subschema_for::<Option<ElementScore>>();
        // the names as Element serializes them, in Element::ALL's order
        schemars::json_schema!({
            "description": "The POMP score of each alliance element, null where the instrument has no item for it",
            "type": "object",
            "properties": {
                "Rapport": score,
                "Goals": score,
                "Expectations": score,
                "Responsibility": score
            },
            "required": ["Rapport", "Goals", "Expectations", "Responsibility"],
            "additionalProperties": false
        })
    }
}

impl ElementProfile {
    /// Elements resting on fewer items than this are flagged `low_reliability`.
    pub const MIN_RELIABLE_ITEMS: usize = 3;

    pub(crate) fn from_scores(scores: [Option<ElementScore>; 4]) -> ElementProfile {
        ElementProfile { scores }
    }

    /// The element's score, or `None` when the instrument has no items for it (or none of them
    /// was answered).
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, score, Element, Rater, Response};
    /// // the session scale maps one item each to Rapport, Goals and Responsibility
    /// let vas = score(&Response::complete(&catalog::session_scale(), Rater::Client, &[9.0, 8.0, 7.0, 9.0])?)?;
    /// assert_eq!(vas.profile.get(Element::Goals).map(|e| e.pomp), Some(80.0));
    /// assert_eq!(vas.profile.get(Element::Expectations), None); // not covered
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn get(&self, element: Element) -> Option<ElementScore> {
        self.scores[element.index()]
    }

    /// The scored elements with their scores, in [`Element::ALL`] order.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, score, Element, Rater, Response};
    /// let vas = score(&Response::complete(&catalog::session_scale(), Rater::Client, &[9.0, 8.0, 7.0, 9.0])?)?;
    /// let scored: Vec<Element> = vas.profile.iter().map(|(e, _)| e).collect();
    /// assert_eq!(scored, [Element::Rapport, Element::Goals, Element::Responsibility]);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (Element, ElementScore)> + '_ {
        Element::ALL
            .into_iter()
            .filter_map(|e| self.get(e).map(|s| (e, s)))
    }

    /// The element with the lowest POMP score (the first in [`Element::ALL`] order when two
    /// share it); `None` when no element is scored, or when all scored elements are equal, so
    /// that no element is called weak when none is weaker than the others.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, score, Element, Rater, Response};
    /// let vas = catalog::session_scale();
    /// let s = score(&Response::complete(&vas, Rater::Client, &[9.0, 8.0, 7.0, 9.0])?)?;
    /// assert_eq!(s.profile.weakest(), Some(Element::Responsibility)); // 70
    /// let even = score(&Response::complete(&vas, Rater::Client, &[9.0; 4])?)?;
    /// assert_eq!(even.profile.weakest(), None); // no element is weaker than the others
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn weakest(&self) -> Option<Element> {
        if self.spread() == Some(0.0) {
            return None;
        }
        self.iter()
            .min_by(|a, b| a.1.pomp.total_cmp(&b.1.pomp))
            .map(|(e, _)| e)
    }

    /// Highest minus lowest POMP score across the scored elements; `None` when fewer than two
    /// are scored.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, score, Rater, Response};
    /// let vas = catalog::session_scale();
    /// let s = score(&Response::complete(&vas, Rater::Client, &[9.0, 8.0, 7.0, 9.0])?)?;
    /// assert_eq!(s.profile.spread(), Some(90.0 - 70.0));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn spread(&self) -> Option<f64> {
        let mut it = self.iter().map(|(_, s)| s.pomp);
        let first = it.next()?;
        let (lo, hi, n) = it.fold((first, first, 1), |(lo, hi, n), x| {
            (lo.min(x), hi.max(x), n + 1)
        });
        (n >= 2).then_some(hi - lo)
    }

    /// Scored elements that rest on fewer than [`ElementProfile::MIN_RELIABLE_ITEMS`] items.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, score, Rater, Response};
    /// // every element of the session scale rests on one item
    /// let s = score(&Response::complete(&catalog::session_scale(), Rater::Client, &[9.0; 4])?)?;
    /// assert_eq!(s.profile.low_reliability().count(), 3);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn low_reliability(&self) -> impl Iterator<Item = Element> + '_ {
        self.iter()
            .filter(|(_, s)| s.low_reliability)
            .map(|(e, _)| e)
    }
}
