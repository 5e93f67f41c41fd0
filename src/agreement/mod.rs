//! Therapist-client (and any multi-rater) agreement on plain numbers.
//!
//! These functions know nothing of questionnaires: they take a [`Ratings`] matrix (targets by
//! raters) or paired slices, so a researcher can use them on any data.

mod ratings;

pub use ratings::Ratings;

// ---- categorical agreement (kappa family, Krippendorff) --------------------------------
mod kappa;
mod krippendorff;

pub use kappa::{
    Categories, Coefficient, CohenKappa, MultiRaterAgreement, MultiRaterMethod, UndefinedReason,
    WeightMatrix, Weighting, brennan_prediger, cohen_kappa, fleiss_kappa, gwet_ac,
};
pub use krippendorff::{Bootstrap, Krippendorff, Metric, krippendorff_alpha};
