//! The validating builder for instruments.

use super::{
    Cutoff, Definition, Instrument, Item, Keying, MissingRule, Norm, Reliability, Scale,
    ScoringRule, Subscale,
};
use crate::element::Element;
use crate::error::{Error, Result};
use std::sync::Arc;

/// Defines an instrument step by step; [`InstrumentBuilder::build`] checks everything at once
/// and reports the first rule broken.
///
/// Items are numbered 1 to `items`. Each item belongs to at most one native subscale and
/// feeds at most one alliance element; an item may be in no subscale (e.g. a global item)
/// and feed no element.
///
/// Defaults: sum scoring, every item required, no cutoffs, no norms, not validated.
///
/// It has no serde support: a half-built definition is not a value worth storing. The
/// serialized form of an [`Instrument`] is its builder's inputs, and deserializing one runs
/// this builder, so stored definitions are checked exactly as built ones.
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct InstrumentBuilder {
    id: String,
    version: String,
    name: Option<String>,
    source: String,
    licence: String,
    validated: bool,
    scale: Scale,
    items: u16,
    reverse: Vec<u16>,
    texts: Vec<(u16, String)>,
    subscales: Vec<(String, Vec<u16>)>,
    elements: Vec<(Element, Vec<u16>)>,
    scoring: ScoringRule,
    missing: MissingRule,
    cutoffs: Vec<Cutoff>,
    norm: Option<Norm>,
    reliability: Option<Reliability>,
}

impl InstrumentBuilder {
    pub(super) fn new(id: String, scale: Scale, items: u16) -> InstrumentBuilder {
        InstrumentBuilder {
            id,
            version: String::from("1"),
            name: None,
            source: String::new(),
            licence: String::new(),
            validated: false,
            scale,
            items,
            reverse: Vec::new(),
            texts: Vec::new(),
            subscales: Vec::new(),
            elements: Vec::new(),
            scoring: ScoringRule::Sum,
            missing: MissingRule::Complete,
            cutoffs: Vec::new(),
            norm: None,
            reliability: None,
        }
    }

    /// The full name (defaults to the id).
    ///
    /// # Example
    /// ```
    /// use alliance::{Instrument, Scale};
    /// let i = Instrument::builder("MY-2", Scale::likert(1, 5)?, 2).name("My two-item check").build()?;
    /// assert_eq!(i.name(), "My two-item check");
    /// let j = Instrument::builder("MY-2", Scale::likert(1, 5)?, 2).build()?;
    /// assert_eq!(j.name(), "MY-2"); // the id by default
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The publication the key comes from.
    ///
    /// # Example
    /// ```
    /// use alliance::{Instrument, Scale};
    /// let i = Instrument::builder("MY-2", Scale::likert(1, 5)?, 2).source("Clinic handbook, 2025").build()?;
    /// assert_eq!(i.source(), "Clinic handbook, 2025");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = source.into();
        self
    }

    /// Licence status and what may be shipped.
    ///
    /// # Example
    /// ```
    /// use alliance::{Instrument, Scale};
    /// let i = Instrument::builder("MY-2", Scale::likert(1, 5)?, 2).licence("CC BY 4.0").build()?;
    /// assert_eq!(i.licence(), "CC BY 4.0");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn licence(mut self, licence: impl Into<String>) -> Self {
        self.licence = licence.into();
        self
    }

    /// The version of this definition (default `"1"`): give a changed key a new version, so
    /// that data scored with the old one is not read against the new one (see
    /// [`Instrument::key_hash`]).
    ///
    /// # Example
    /// ```
    /// use alliance::{Instrument, Scale};
    /// let i = Instrument::builder("MY-2", Scale::likert(1, 5)?, 2).version("2024-03").build()?;
    /// assert_eq!(i.version(), "2024-03");
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into();
        self
    }

    /// Declares the instrument validated in published research.
    ///
    /// # Example
    /// ```
    /// use alliance::{Instrument, Scale};
    /// let i = Instrument::builder("MY-2", Scale::likert(1, 5)?, 2).validated(true).build()?;
    /// assert!(i.is_validated());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn validated(mut self, validated: bool) -> Self {
        self.validated = validated;
        self
    }

    /// Marks items as reverse keyed (`min + max - x`).
    ///
    /// # Example
    /// ```
    /// use alliance::{Instrument, Keying, Scale};
    /// let i = Instrument::builder("MY-3", Scale::likert(1, 5)?, 3).reverse(&[2]).build()?;
    /// assert_eq!(i.item(2).map(|it| it.keying()), Some(Keying::Reverse));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn reverse(mut self, items: &[u16]) -> Self {
        self.reverse.extend_from_slice(items);
        self
    }

    /// Sets the wording of one item (only for wording you may distribute).
    ///
    /// # Example
    /// ```
    /// use alliance::{Instrument, Scale};
    /// let i = Instrument::builder("MY-2", Scale::likert(1, 5)?, 2)
    ///     .item_text(1, "We worked on what I wanted to work on.")
    ///     .build()?;
    /// assert_eq!(i.item_text(1), Some("We worked on what I wanted to work on."));
    /// assert_eq!(i.item_text(2), None);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn item_text(mut self, item: u16, text: impl Into<String>) -> Self {
        self.texts.push((item, text.into()));
        self
    }

    /// Adds a native subscale with its items.
    ///
    /// # Example
    /// ```
    /// use alliance::{Instrument, Scale};
    /// let i = Instrument::builder("MY-4", Scale::likert(1, 5)?, 4)
    ///     .subscale("Bond", &[1, 3])
    ///     .subscale("Work", &[2, 4])
    ///     .build()?;
    /// assert_eq!(i.subscales()[0].items(), &[1, 3]);
    /// assert_eq!(i.item(4).and_then(|it| it.subscale()), Some(1)); // "Work"
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn subscale(mut self, name: impl Into<String>, items: &[u16]) -> Self {
        self.subscales.push((name.into(), items.to_vec()));
        self
    }

    /// Maps items onto an alliance element.
    ///
    /// # Example
    /// ```
    /// use alliance::{Element, Instrument, Scale};
    /// let i = Instrument::builder("MY-4", Scale::likert(1, 5)?, 4)
    ///     .element(Element::Rapport, &[1, 2, 3])
    ///     .build()?;
    /// assert_eq!(i.element_items(Element::Rapport), 3);
    /// assert_eq!(i.item(4).and_then(|it| it.element()), None);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn element(mut self, element: Element, items: &[u16]) -> Self {
        self.elements.push((element, items.to_vec()));
        self
    }

    /// Sum or mean scoring.
    ///
    /// # Example
    /// ```
    /// use alliance::{Instrument, Scale, ScoringRule};
    /// let i = Instrument::builder("MY-4", Scale::likert(1, 5)?, 4).scoring(ScoringRule::Mean).build()?;
    /// assert_eq!(i.scoring(), ScoringRule::Mean);
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn scoring(mut self, rule: ScoringRule) -> Self {
        self.scoring = rule;
        self
    }

    /// The missing-data rule.
    ///
    /// # Example
    /// ```
    /// use alliance::{Instrument, MissingRule, Scale};
    /// let rule = MissingRule::Prorate { max_missing: 1, max_missing_per_subscale: None };
    /// let i = Instrument::builder("MY-4", Scale::likert(1, 5)?, 4).missing(rule).build()?;
    /// assert_eq!(i.missing_rule(), rule);
    /// // a rule that lets every item be missing is refused when built
    /// let all = MissingRule::Prorate { max_missing: 4, max_missing_per_subscale: None };
    /// assert!(Instrument::builder("MY-4", Scale::likert(1, 5)?, 4).missing(all).build().is_err());
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn missing(mut self, rule: MissingRule) -> Self {
        self.missing = rule;
        self
    }

    /// Adds a cutoff on the total.
    ///
    /// # Example
    /// ```
    /// use alliance::{Cutoff, Instrument, Scale};
    /// let i = Instrument::builder("MY-4", Scale::likert(1, 5)?, 4)
    ///     .cutoff(Cutoff::below("alliance concern", 12.0, "clinic audit 2025")?)
    ///     .build()?;
    /// assert!(i.cutoffs()[0].flags(11.0));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn cutoff(mut self, cutoff: Cutoff) -> Self {
        self.cutoffs.push(cutoff);
        self
    }

    /// Sets norms for the total.
    ///
    /// # Example
    /// ```
    /// use alliance::{Instrument, Norm, Scale};
    /// let i = Instrument::builder("MY-4", Scale::likert(1, 5)?, 4)
    ///     .norm(Norm::new(15.0, 2.5, "clinic 2025", Some(180))?)
    ///     .build()?;
    /// assert_eq!(i.norm().map(|n| n.z(20.0)), Some(2.0));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn norm(mut self, norm: Norm) -> Self {
        self.norm = Some(norm);
        self
    }

    /// Sets the published reliability of the total.
    ///
    /// # Example
    /// ```
    /// use alliance::{Instrument, Reliability, ReliabilityKind, Scale};
    /// let i = Instrument::builder("MY-4", Scale::likert(1, 5)?, 4)
    ///     .reliability(Reliability::new(0.82, ReliabilityKind::Alpha, "clinic 2025")?)
    ///     .build()?;
    /// assert_eq!(i.reliability().map(|r| r.value()), Some(0.82));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn reliability(mut self, reliability: Reliability) -> Self {
        self.reliability = Some(reliability);
        self
    }

    /// Checks the definition and builds the instrument.
    ///
    /// # Errors
    /// [`Error::InvalidInstrument`] for an empty id, no items, an empty subscale, two
    /// subscales with one name, a missing-data rule that allows every item to be missing, or a
    /// cutoff outside the total's range; [`Error::InvalidItem`] for an item number outside
    /// 1..=items, or an item listed twice as reversed, in two subscales or under two elements.
    ///
    /// # Example
    /// ```
    /// use alliance::{Error, Instrument, Scale};
    /// let i = Instrument::builder("MY-4", Scale::likert(1, 5)?, 4).subscale("Bond", &[1, 2]).build()?;
    /// assert_eq!(i.id(), "MY-4");
    /// let e = Instrument::builder("MY-4", Scale::likert(1, 5)?, 4)
    ///     .subscale("Bond", &[1, 2])
    ///     .subscale("Work", &[2, 3])
    ///     .build();
    /// assert!(matches!(e, Err(Error::InvalidItem { item: 2, .. })));
    /// # Ok::<(), alliance::Error>(())
    /// ```
    pub fn build(self) -> Result<Instrument> {
        let InstrumentBuilder {
            id,
            version,
            name,
            source,
            licence,
            validated,
            scale,
            items: count,
            reverse,
            texts: given_texts,
            subscales,
            elements,
            scoring,
            missing,
            cutoffs,
            norm,
            reliability,
        } = self;
        let invalid = |reason| Error::InvalidInstrument {
            instrument: id.clone(),
            reason,
        };
        let bad_item = |item, reason| Error::InvalidItem {
            instrument: id.clone(),
            item,
            reason,
        };
        if id.trim().is_empty() {
            return Err(invalid("its id is empty"));
        }
        if count == 0 {
            return Err(invalid("it has no items"));
        }
        let mut items: Vec<Item> = (1..=count)
            .map(|number| Item {
                number,
                keying: Keying::Forward,
                subscale: None,
                element: None,
            })
            .collect();
        let slot = |n: u16| -> Result<usize> {
            if (1..=count).contains(&n) {
                Ok(usize::from(n - 1))
            } else {
                Err(bad_item(n, "not one of its item numbers"))
            }
        };

        for &n in &reverse {
            let item = &mut items[slot(n)?];
            if item.keying == Keying::Reverse {
                return Err(bad_item(n, "listed twice as reverse keyed"));
            }
            item.keying = Keying::Reverse;
        }

        let mut texts = vec![None; items.len()];
        for (n, text) in given_texts {
            let t = &mut texts[slot(n)?];
            if t.is_some() {
                return Err(bad_item(n, "given two wordings"));
            }
            *t = Some(text);
        }

        let mut native = Vec::with_capacity(subscales.len());
        for (index, (name, members)) in subscales.into_iter().enumerate() {
            if members.is_empty() {
                return Err(invalid("a subscale has no items"));
            }
            if native.iter().any(|s: &Subscale| s.name == name) {
                return Err(invalid("two subscales share a name"));
            }
            for &n in &members {
                let item = &mut items[slot(n)?];
                if item.subscale.is_some() {
                    return Err(bad_item(n, "in two subscales (or twice in one)"));
                }
                item.subscale = Some(index);
            }
            let mut members = members;
            members.sort_unstable();
            native.push(Subscale {
                name,
                items: members,
            });
        }

        let mut element_items = [0usize; 4];
        for (element, members) in elements {
            for &n in &members {
                let item = &mut items[slot(n)?];
                if item.element.is_some() {
                    return Err(bad_item(n, "mapped to two elements (or twice to one)"));
                }
                item.element = Some(element);
                element_items[element.index()] += 1;
            }
        }

        if missing.max_total() >= usize::from(count) {
            return Err(invalid(
                "its missing-data rule allows every item to be missing",
            ));
        }

        if version.trim().is_empty() {
            return Err(invalid("its version is empty"));
        }
        let definition = Definition {
            name: name.unwrap_or_else(|| id.clone()),
            id,
            version,
            source,
            licence,
            validated,
            scale,
            items,
            texts,
            subscales: native,
            scoring,
            missing,
            cutoffs,
            norm,
            reliability,
            element_items,
        };
        let instrument = Instrument(Arc::new(definition));
        let range = instrument.total_range();
        if instrument
            .cutoffs()
            .iter()
            .any(|c| !range.contains(c.threshold()))
        {
            return Err(Error::InvalidInstrument {
                instrument: instrument.id().to_owned(),
                reason: "a cutoff lies outside the total's range",
            });
        }
        Ok(instrument)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scale() -> Scale {
        Scale::likert(1, 5).unwrap()
    }

    #[test]
    fn rejects_item_numbers_outside_the_form() {
        let e = Instrument::builder("X", scale(), 3).reverse(&[4]).build();
        assert!(matches!(e, Err(Error::InvalidItem { item: 4, .. })));
        let e = Instrument::builder("X", scale(), 3)
            .subscale("A", &[0])
            .build();
        assert!(matches!(e, Err(Error::InvalidItem { item: 0, .. })));
    }

    #[test]
    fn rejects_an_item_in_two_subscales_or_elements() {
        let e = Instrument::builder("X", scale(), 3)
            .subscale("A", &[1, 2])
            .subscale("B", &[2, 3])
            .build();
        assert!(matches!(e, Err(Error::InvalidItem { item: 2, .. })));
        let e = Instrument::builder("X", scale(), 3)
            .element(Element::Goals, &[1])
            .element(Element::Rapport, &[1])
            .build();
        assert!(matches!(e, Err(Error::InvalidItem { item: 1, .. })));
    }

    #[test]
    fn rejects_empty_definitions_and_bad_rules() {
        assert!(Instrument::builder(" ", scale(), 3).build().is_err());
        assert!(Instrument::builder("X", scale(), 0).build().is_err());
        assert!(
            Instrument::builder("X", scale(), 3)
                .subscale("A", &[])
                .build()
                .is_err()
        );
        let all_missing = MissingRule::Prorate {
            max_missing: 3,
            max_missing_per_subscale: None,
        };
        assert!(
            Instrument::builder("X", scale(), 3)
                .missing(all_missing)
                .build()
                .is_err()
        );
        let cutoff = Cutoff::below("low", 16.0, "").unwrap();
        assert!(
            Instrument::builder("X", scale(), 3)
                .cutoff(cutoff)
                .build()
                .is_err()
        );
    }
}
