//! Alliance trends across sessions, on plain series of scores.
//!
//! These functions know nothing of questionnaires: they take a [`Series`] (scores on their real
//! session times), so a researcher can use them on any data.

mod series;

pub use series::Series;
