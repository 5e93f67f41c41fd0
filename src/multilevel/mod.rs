//! Multilevel (nested) variance partitions: therapist effects in the alliance.
//!
//! Alliance ratings are nested: sessions within clients, clients within therapists, each
//! therapist treating a different number of clients and each client coming a different number
//! of times. [`therapist_effects`] splits the variance of session ratings into therapist,
//! client and session parts by REML (as `lme4::lmer(y ~ 1 + (1 | therapist/client))`), and
//! gives the therapist-level ICC: how much of the alliance is a property of the therapist.
//! For two levels, [`two_level`] is the REML fit and [`oneway_icc`] the classical one-way
//! ANOVA estimator, ICC(1) with Searle's n0 for unequal group sizes, its F test and interval.
//!
//! These functions take plain numbers with group labels; the
//! [`caseload`](crate::caseload::therapist_effects) link builds them from session records.

mod effects;
mod nested;
mod oneway;

pub use crate::variance::VarianceComponent;
pub use effects::{TherapistEffects, TwoLevel, therapist_effects, two_level};
pub use oneway::{OneWayIcc, oneway_icc};
