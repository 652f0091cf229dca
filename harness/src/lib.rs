//! cognito-drift: contract tests and drift detection for the Amazon Cognito user-pools API.
//!
//! The pipeline, one module per stage:
//! [`scenario`] (parse + validate, with spans) → [`plan`] (fixtures resolved) → [`exchange`] (AWS JSON 1.1
//! wire, signing) → [`observation`] (normalised) → [`verdict`] (snapshot + contract) → [`report`].
//! [`model`], [`scenario`], [`observation`]'s normaliser and [`verdict`]'s comparison are pure: no I/O.

pub mod about;
pub mod aws;
pub mod bench;
pub mod config;
pub mod diagnostic;
pub mod emulator;
pub mod engine;
pub mod exchange;
pub mod exit;
pub mod explore;
pub mod fuzz;
pub mod model;
pub mod observation;
pub mod plan;
pub mod report;
pub mod run;
pub mod scenario;
pub mod span;
pub mod starter;
pub mod support;
pub mod verdict;
