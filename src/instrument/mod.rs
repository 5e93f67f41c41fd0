//! Questionnaire instruments: the published alliance measures in [`catalog`], and instruments
//! users define themselves with [`Instrument::builder`].
//!
//! An instrument holds a scoring key only (items, keying, subscales, elements, rules,
//! cutoffs, norms): never item wording, which the publishers hold the rights to.

mod builder;
pub mod catalog;
mod parts;
mod scale;

pub use builder::InstrumentBuilder;
pub use parts::{
    Cutoff, CutoffSide, Item, Keying, MissingRule, Norm, Reliability, ReliabilityKind, ScoringRule,
    Subscale,
};
pub use scale::Scale;

use crate::element::Element;
use std::sync::Arc;

/// A validated questionnaire: response scale, items with keying, subscales, the map onto the
/// four alliance elements, scoring and missing-data rules, cutoffs and optional norms.
///
/// Cheap to clone (shared); a [`Response`](crate::Response) keeps a clone of its instrument.
///
/// # Example
/// ```
/// use alliance::{Element, Instrument, Keying, MissingRule, Scale, ScoringRule};
/// let checkin = Instrument::builder("MY-4", Scale::likert(1, 5)?, 4)
///     .name("My four-item check-in")
///     .subscale("Bond", &[1, 2])
///     .subscale("Work", &[3, 4])
///     .reverse(&[2])
///     .element(Element::Rapport, &[1, 2])
///     .element(Element::Responsibility, &[3, 4])
///     .scoring(ScoringRule::Mean)
///     .missing(MissingRule::Prorate { max_missing: 1, max_missing_per_subscale: Some(1) })
///     .build()?;
/// assert_eq!(checkin.items().len(), 4);
/// assert_eq!(checkin.item(2).map(|i| i.keying()), Some(Keying::Reverse));
/// # Ok::<(), alliance::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Instrument(pub(crate) Arc<Definition>);

/// The instrument's validated contents (shared behind an `Arc`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Definition {
    pub(crate) id: String,
    pub(crate) version: String,
    pub(crate) name: String,
    pub(crate) source: String,
    pub(crate) licence: String,
    pub(crate) validated: bool,
    pub(crate) scale: Scale,
    pub(crate) items: Vec<Item>,
    /// Item wording, where the crate may ship it (its own check-in) or the user supplies it.
    pub(crate) texts: Vec<Option<String>>,
    pub(crate) subscales: Vec<Subscale>,
    pub(crate) scoring: ScoringRule,
    pub(crate) missing: MissingRule,
    pub(crate) cutoffs: Vec<Cutoff>,
    pub(crate) norm: Option<Norm>,
    pub(crate) reliability: Option<Reliability>,
    /// Items per element, in `Element::ALL` order.
    pub(crate) element_items: [usize; 4],
}

impl Instrument {
    /// Starts defining an instrument with `items` items numbered 1 to `items`, answered on
    /// `scale`. See [`InstrumentBuilder`].
    ///
    /// # Example
    /// ```
    /// use alliance::{Instrument, Scale};
    /// let i = Instrument::builder("MY-3", Scale::likert(0, 4)?, 3).build()?;
    /// assert_eq!(i.items().len(), 3);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn builder(id: impl Into<String>, scale: Scale, items: u16) -> InstrumentBuilder {
        InstrumentBuilder::new(id.into(), scale, items)
    }

    /// Short name, e.g. "WAI-SR".
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// assert_eq!(catalog::haq_ii().id(), "HAq-II");
    /// ```
    pub fn id(&self) -> &str {
        &self.0.id
    }

    /// The version of this definition (`"1"` unless the builder set another).
    ///
    /// # Example
    /// ```
    /// assert_eq!(alliance::catalog::wai_sr().version(), "1");
    /// ```
    pub fn version(&self) -> &str {
        &self.0.version
    }

    /// A content hash of the scoring key: 16 hex digits (FNV-1a, 64 bits) over a canonical
    /// text of the item count, the scale, each item's keying, subscale and element, the
    /// subscales, the scoring and missing-data rules and the cutoffs. Names, sources, item
    /// wording, norms and reliability do not enter it. Two definitions with the same hash
    /// score every response alike; data that names an id, a version and a hash is checked
    /// against it when read back ([`Registry`](crate::Registry)). It detects edits and
    /// mix-ups, not a forger who crafts a collision.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Instrument, Scale};
    /// let wai = catalog::wai_sr();
    /// assert_eq!(wai.key_hash().len(), 16);
    /// assert_eq!(wai.key_hash(), catalog::wai_sr().key_hash());
    /// let edited = Instrument::builder("WAI-SR", Scale::likert(1, 5)?, 12).reverse(&[1, 2, 3]).build()?;
    /// assert_ne!(edited.key_hash(), wai.key_hash());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn key_hash(&self) -> String {
        use std::fmt::Write;
        let d = &self.0;
        let bits = |x: f64| format!("{:016x}", x.to_bits());
        let mut text = String::from("alliance key 1\n");
        let step = d.scale.step().map_or_else(|| "-".to_owned(), bits);
        let _ = writeln!(
            text,
            "scale {} {} {step}",
            bits(d.scale.min()),
            bits(d.scale.max())
        );
        let _ = writeln!(text, "scoring {:?}", d.scoring);
        let _ = writeln!(text, "missing {:?}", d.missing);
        for item in &d.items {
            let _ = writeln!(
                text,
                "item {} {:?} {:?} {:?}",
                item.number,
                item.keying,
                item.subscale,
                item.element.map(Element::slug)
            );
        }
        for sub in &d.subscales {
            let _ = writeln!(text, "subscale {:?} {:?}", sub.name, sub.items);
        }
        for c in &d.cutoffs {
            let _ = writeln!(text, "cutoff {} {:?}", bits(c.threshold()), c.side());
        }
        crate::fingerprint::fnv1a(&text)
    }

    /// How data names this instrument: id, version and key hash.
    ///
    /// # Example
    /// ```
    /// let r = alliance::catalog::arm_5().reference();
    /// assert_eq!((r.id.as_str(), r.version.as_str()), ("ARM-5", "1"));
    /// ```
    pub fn reference(&self) -> InstrumentRef {
        InstrumentRef {
            id: self.id().to_owned(),
            version: self.version().to_owned(),
            key_hash: self.key_hash(),
        }
    }

    /// Full name.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// assert_eq!(catalog::haq_ii().name(), "Revised Helping Alliance Questionnaire");
    /// ```
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// The publication the key comes from.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// assert!(catalog::wai_sr().source().starts_with("Hatcher & Gillaspy (2006)"));
    /// ```
    pub fn source(&self) -> &str {
        &self.0.source
    }

    /// Licence status and what the crate ships.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// assert!(catalog::wai_sr().licence().contains("no item wording"));
    /// ```
    pub fn licence(&self) -> &str {
        &self.0.licence
    }

    /// Whether the instrument has been validated in published research (false for the crate's
    /// own check-in and for user-defined instruments unless declared).
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// assert!(catalog::arm_5().is_validated());
    /// assert!(!catalog::checkin().is_validated());
    /// ```
    pub fn is_validated(&self) -> bool {
        self.0.validated
    }

    /// The response scale of every item.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// let scale = catalog::haq_ii().scale();
    /// assert_eq!((scale.min(), scale.max(), scale.step()), (1.0, 6.0, Some(1.0)));
    /// ```
    pub fn scale(&self) -> Scale {
        self.0.scale
    }

    /// The items, in number order (item `n` at index `n - 1`).
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// let numbers: Vec<u16> = catalog::arm_5().items().iter().map(|i| i.number()).collect();
    /// assert_eq!(numbers, [1, 2, 3, 4, 5]);
    /// ```
    pub fn items(&self) -> &[Item] {
        &self.0.items
    }

    /// Item number `number` (1-based), if it exists.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// let arm = catalog::arm_5();
    /// assert_eq!(arm.item(5).map(|i| i.number()), Some(5));
    /// assert!(arm.item(0).is_none() && arm.item(6).is_none());
    /// ```
    pub fn item(&self, number: u16) -> Option<&Item> {
        usize::from(number)
            .checked_sub(1)
            .and_then(|i| self.0.items.get(i))
    }

    /// The wording of item `number`, where known. Published instruments carry none: their
    /// wording belongs to their publishers.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// assert_eq!(catalog::wai_sr().item_text(1), None); // published wording is not shipped
    /// assert!(catalog::checkin().item_text(1).is_some());
    /// ```
    pub fn item_text(&self, number: u16) -> Option<&str> {
        usize::from(number)
            .checked_sub(1)
            .and_then(|i| self.0.texts.get(i))
            .and_then(|t| t.as_deref())
    }

    /// The native subscales.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// let wai = catalog::wai_sr();
    /// assert_eq!(wai.subscales()[1].name(), "Bond");
    /// assert!(catalog::arm_5().subscales().is_empty());
    /// ```
    pub fn subscales(&self) -> &[Subscale] {
        &self.0.subscales
    }

    /// Sum or mean.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, ScoringRule};
    /// assert_eq!(catalog::haq_ii().scoring(), ScoringRule::Sum);
    /// ```
    pub fn scoring(&self) -> ScoringRule {
        self.0.scoring
    }

    /// The missing-data rule.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, MissingRule};
    /// assert_eq!(catalog::session_scale().missing_rule(), MissingRule::Complete);
    /// ```
    pub fn missing_rule(&self) -> MissingRule {
        self.0.missing
    }

    /// Cutoffs on the total.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// assert_eq!(catalog::session_scale().cutoffs()[0].label(), "alliance concern");
    /// ```
    pub fn cutoffs(&self) -> &[Cutoff] {
        &self.0.cutoffs
    }

    /// Norms for the total, if any.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// assert!(catalog::wai_sr().norm().is_none()); // no published norms are shipped
    /// ```
    pub fn norm(&self) -> Option<&Norm> {
        self.0.norm.as_ref()
    }

    /// Published reliability of the total, if any.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// assert_eq!(catalog::wai_sr().reliability().map(|r| r.value()), Some(0.80)); // a published bound
    /// assert!(catalog::arm_5().reliability().is_none()); // none could be checked in a public source
    /// ```
    pub fn reliability(&self) -> Option<&Reliability> {
        self.0.reliability.as_ref()
    }

    /// Every problem with answers in item order (`None` for a missing one), at once, as a
    /// form shows them: each answer off the scale or its step, not finite or too small (by
    /// item, with its value and the scale), then each scope the instrument's missing-data rule
    /// cannot score (the total, then the subscales, with the counts). Empty exactly when
    /// [`Response::new`](crate::Response::new) accepts the answers, so a stored response is
    /// always scorable. A wrong number of answers is the one problem reported alone.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// let wai_sr = catalog::wai_sr(); // 1-5; at most 1 of each 4-item subscale missing
    /// let mut answers = [Some(4.0); 12];
    /// answers[6] = Some(9.0); // item 7
    /// answers[1] = Some(2.5); // item 2
    /// answers[0] = None; // items 1 and 10: two of Task (1 2 10 12)
    /// answers[9] = None;
    /// let problems: Vec<String> = wai_sr.problems(&answers).iter().map(|e| e.to_string()).collect();
    /// assert_eq!(problems.len(), 3);
    /// assert_eq!(problems[0], "item 2 is 2.5 but the scale moves in steps of 1 from 1");
    /// assert_eq!(problems[1], "item 7 is 9 but the scale is 1-5");
    /// assert!(problems[2].starts_with("'Task' is missing 2 of its 4 items"));
    /// assert!(wai_sr.problems(&[Some(4.0); 12]).is_empty());
    /// ```
    pub fn problems(&self, answers: &[Option<f64>]) -> Vec<crate::Error> {
        let expected = self.items().len();
        if answers.len() != expected {
            return vec![crate::Error::LengthMismatch {
                what: "response",
                expected,
                found: answers.len(),
            }];
        }
        let scale = self.scale();
        let mut out: Vec<crate::Error> = self
            .items()
            .iter()
            .zip(answers)
            .filter_map(|(item, a)| a.and_then(|x| scale.check(item.number(), x).err()))
            .collect();
        out.extend(crate::response::scorable(self, answers));
        out
    }

    /// Number of items feeding `element`.
    ///
    /// # Example
    /// ```
    /// use alliance::{catalog, Element};
    /// assert_eq!(catalog::wai_sr().element_items(Element::Rapport), 4);
    /// assert_eq!(catalog::arm_5().element_items(Element::Goals), 0);
    /// ```
    pub fn element_items(&self, element: Element) -> usize {
        self.0.element_items[element.index()]
    }

    /// The lowest and highest possible total in the native metric.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// let range = catalog::haq_ii().total_range(); // 19 items summed, each 1-6
    /// assert_eq!((range.min, range.max), (19.0, 114.0));
    /// assert!(range.contains(58.0));
    /// ```
    pub fn total_range(&self) -> ScoreRange {
        let scale = self.scale();
        let (min, max) = match self.scoring() {
            ScoringRule::Mean => (scale.min(), scale.max()),
            ScoringRule::Sum => {
                let k = self.items().len() as f64;
                (k * scale.min(), k * scale.max())
            }
        };
        ScoreRange { min, max }
    }
}

/// The lowest and highest possible score of an instrument, in its native metric (sum or mean),
/// from [`Instrument::total_range`].
///
/// With feature `serde` it serializes; it does not deserialize (it is computed from an
/// instrument, not read).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ScoreRange {
    /// The lowest possible score.
    pub min: f64,
    /// The highest possible score.
    pub max: f64,
}

impl ScoreRange {
    /// Whether `score` lies within the range, bounds included.
    ///
    /// # Example
    /// ```
    /// use alliance::catalog;
    /// let range = catalog::wai_sr().total_range(); // the item mean, 1-5
    /// assert!(range.contains(1.0) && range.contains(5.0));
    /// assert!(!range.contains(5.5));
    /// ```
    pub fn contains(&self, score: f64) -> bool {
        (self.min..=self.max).contains(&score)
    }
}

#[cfg(feature = "serde")]
mod wire {
    //! The serialized form of an instrument: its builder's inputs. Deserialization re-runs
    //! the builder, so no invalid instrument can come from data.
    use super::*;
    use crate::error::Error;

    #[derive(serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub(super) struct InstrumentData {
        id: String,
        #[serde(default = "first_version")]
        version: String,
        name: String,
        source: String,
        licence: String,
        validated: bool,
        scale: Scale,
        items: u16,
        reverse: Vec<u16>,
        #[serde(default)]
        texts: Vec<(u16, String)>,
        subscales: Vec<SubscaleData>,
        elements: Vec<ElementData>,
        scoring: ScoringRule,
        missing: MissingRule,
        cutoffs: Vec<Cutoff>,
        norm: Option<Norm>,
        reliability: Option<Reliability>,
    }

    /// The version of data written before instruments had one.
    fn first_version() -> String {
        String::from("1")
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    struct SubscaleData {
        name: String,
        items: Vec<u16>,
    }

    #[derive(serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    struct ElementData {
        element: Element,
        items: Vec<u16>,
    }

    impl From<Instrument> for InstrumentData {
        fn from(inst: Instrument) -> InstrumentData {
            let d = &inst.0;
            let numbers = |f: &dyn Fn(&Item) -> bool| -> Vec<u16> {
                d.items.iter().filter(|i| f(i)).map(|i| i.number).collect()
            };
            InstrumentData {
                id: d.id.clone(),
                version: d.version.clone(),
                name: d.name.clone(),
                source: d.source.clone(),
                licence: d.licence.clone(),
                validated: d.validated,
                scale: d.scale,
                items: d.items.len() as u16,
                reverse: numbers(&|i| i.keying == Keying::Reverse),
                texts: (1..=d.items.len() as u16)
                    .filter_map(|n| inst.item_text(n).map(|t| (n, t.to_owned())))
                    .collect(),
                subscales: d
                    .subscales
                    .iter()
                    .map(|s| SubscaleData {
                        name: s.name.clone(),
                        items: s.items.clone(),
                    })
                    .collect(),
                elements: Element::ALL
                    .into_iter()
                    .map(|e| ElementData {
                        element: e,
                        items: numbers(&|i| i.element == Some(e)),
                    })
                    .filter(|e| !e.items.is_empty())
                    .collect(),
                scoring: d.scoring,
                missing: d.missing,
                cutoffs: d.cutoffs.clone(),
                norm: d.norm.clone(),
                reliability: d.reliability.clone(),
            }
        }
    }

    impl TryFrom<InstrumentData> for Instrument {
        type Error = Error;
        fn try_from(d: InstrumentData) -> Result<Instrument, Error> {
            let mut b = Instrument::builder(d.id, d.scale, d.items)
                .version(d.version)
                .name(d.name)
                .source(d.source)
                .licence(d.licence)
                .validated(d.validated)
                .reverse(&d.reverse)
                .scoring(d.scoring)
                .missing(d.missing);
            for (n, t) in d.texts {
                b = b.item_text(n, t);
            }
            for s in d.subscales {
                b = b.subscale(s.name, &s.items);
            }
            for e in d.elements {
                b = b.element(e.element, &e.items);
            }
            for c in d.cutoffs {
                b = b.cutoff(c);
            }
            if let Some(n) = d.norm {
                b = b.norm(n);
            }
            if let Some(r) = d.reliability {
                b = b.reliability(r);
            }
            b.build()
        }
    }

    #[cfg(feature = "schema")]
    impl schemars::JsonSchema for Instrument {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            "Instrument".into()
        }
        fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
            InstrumentData::json_schema(g)
        }
    }

    impl serde::Serialize for Instrument {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            InstrumentData::from(self.clone()).serialize(s)
        }
    }

    impl<'de> serde::Deserialize<'de> for Instrument {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Instrument, D::Error> {
            let data = InstrumentData::deserialize(d)?;
            let built = Instrument::try_from(data).map_err(serde::de::Error::custom)?;
            // A catalog id names the catalog's definition only: an edited key under it (items
            // reversed, a subscale moved) would be scored and compared as the real one.
            match catalog::by_id(built.id()) {
                Some(known) if known != built => {
                    Err(serde::de::Error::custom(crate::Error::CatalogIdTaken {
                        id: built.id().to_owned(),
                    }))
                }
                _ => Ok(built),
            }
        }
    }
}

/// How data names an instrument: its id, version and [key hash](Instrument::key_hash). On the
/// wire a [`ResponseRecord`](crate::ResponseRecord) carries one instead of the whole
/// definition, and a [`Registry`](crate::Registry) resolves it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InstrumentRef {
    /// The instrument's id.
    pub id: String,
    /// Its version.
    pub version: String,
    /// Its key hash.
    pub key_hash: String,
}

/// The catalog's ids, as [`Instrument`]'s `FromStr` names them when it refuses a text.
const CATALOG_IDS: &str = "a catalog id: WAI-SR, HAq-II, ARM-5, VAS-4 or ALLIANCE-4E";

/// The catalog instrument with this id (any letter case): `"WAI-SR".parse()`. An instrument
/// of the app's own is not in the catalog; keep it by its id beside the catalog.
///
/// # Example
/// ```
/// use alliance::Instrument;
/// let wai: Instrument = "wai-sr".parse()?;
/// assert_eq!(wai.to_string(), "WAI-SR"); // Display writes the id
/// let e = "WAI-XL".parse::<Instrument>().unwrap_err();
/// assert_eq!(e.code(), "unrecognized");
/// # Ok::<(), alliance::Error>(())
/// ```
impl std::str::FromStr for Instrument {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Instrument> {
        catalog::by_id(s.trim()).ok_or_else(|| crate::Error::Unrecognized {
            what: "instrument",
            value: s.to_owned(),
            expected: CATALOG_IDS,
        })
    }
}

/// Writes the instrument's id.
impl std::fmt::Display for Instrument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod ids {
    /// The list a refused text is shown is the catalog's, in its order.
    #[test]
    fn the_refusal_names_every_catalog_id() {
        let ids: Vec<String> = super::catalog::all()
            .iter()
            .map(|i| i.id().to_owned())
            .collect();
        let listed = super::CATALOG_IDS
            .trim_start_matches("a catalog id: ")
            .replace(" or ", ", ");
        assert_eq!(listed.split(", ").collect::<Vec<_>>(), ids);
    }
}
