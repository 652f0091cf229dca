//! cognito-drift: contract tests and drift detection for the Amazon Cognito user-pools API.
//!
//! The pipeline, one module per stage, in the one direction the data flows:
//! [`scenario`] (parse + validate, with spans) → [`plan`] (fixtures resolved) → [`run`] (execute:
//! fixtures, steps, teardown) over [`exchange`] (AWS JSON 1.1 wire, signing) → [`observation`]
//! (normalised; the execution record) → [`verdict`] (snapshot + contract + ledger) → [`report`].
//! [`engine`] drives the stages for every command and test; no stage calls back into an earlier one.
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
