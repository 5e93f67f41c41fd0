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
mod icc_reml;

pub use crate::variance::VarianceComponent;
pub use bland_altman::{BlandAltman, LimitMultiplier, bland_altman};
pub use concordance::{Concordance, concordance};
pub use correlation::{Correlation, CorrelationMethod, pearson, spearman};
pub use discrepancy::{Discrepancy, HigherRater, PairDiscrepancy, discrepancy};
pub use icc::{Icc, IccForm, IccTable, IccTest, IccUnit, MeanSquares, icc, icc_table, icc_test};
pub use icc_reml::{IccReml, RemlIcc, icc_reml};

// ---- repeated-measures agreement (rm_corr, Bland-Altman for repeated pairs) -------------
mod repeated;

pub use repeated::{
    Label, ProportionalBias, RegressionLimits, Repeated, RepeatedBlandAltman, RepeatedCorrelation,
    SubjectPairs, TrueValue, bland_altman_repeated, proportional_bias, proportional_bias_repeated,
    rm_corr,
};

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
