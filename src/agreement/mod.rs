//! Therapist-client (and any multi-rater) agreement on plain numbers.
//!
//! These functions know nothing of questionnaires: they take a [`Ratings`](crate::Ratings)
//! matrix (targets by raters) or [`Paired`](crate::Paired) values of two raters, so a researcher can use them on any data.

// ---- continuous agreement (ICC, concordance, Bland-Altman, correlation, discrepancy) ----
mod bland_altman;
mod concordance;
mod continuous;
mod correlation;
mod discrepancy;
mod icc;

pub use bland_altman::{BlandAltman, LimitMultiplier, bland_altman};
pub use concordance::{Concordance, concordance};
pub use correlation::{Correlation, CorrelationMethod, pearson, spearman};
pub use discrepancy::{Discrepancy, HigherRater, PairDiscrepancy, discrepancy};
pub use icc::{Icc, IccForm, IccTable, IccTest, IccUnit, MeanSquares, icc, icc_table, icc_test};

// ---- categorical agreement (kappa family, Krippendorff) --------------------------------
mod kappa;
mod krippendorff;

pub use kappa::{
    Categories, CohenKappa, ContingencyTable, MultiRaterAgreement, MultiRaterMethod, WeightMatrix,
    Weighting, brennan_prediger, cohen_kappa, cohen_kappa_from_table, fleiss_kappa, gwet_ac,
};
pub use krippendorff::{
    Bootstrap, Krippendorff, Metric, krippendorff_alpha, ratings_from_coders_by_units,
    ratings_from_units_by_coders,
};
