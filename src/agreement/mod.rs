//! Therapist-client (and any multi-rater) agreement on plain numbers.
//!
//! These functions know nothing of questionnaires: they take a [`Ratings`] matrix (targets by
//! raters) or paired slices, so a researcher can use them on any data.

mod ratings;

pub use ratings::Ratings;
