//! Stateful differential exploration: random MFA operation sequences run on several targets in
//! lockstep, judged by a pure reference model of the documented contract and by each other,
//! deduplicated by signature, shrunk, and written out as ordinary scenarios.

mod action;
mod classes;
mod corpus;
mod engine;
pub mod facts;
mod generate;
mod group;
mod judge;
mod lockstep;
mod model;
mod render;
mod shrink;
mod summary;
mod write;

pub use action::{
    Action, Code, Contact, Factor, FactorSetting, MfaSettings, PoolMfa, Sequence, Setup,
    TokenChoice, UserSetup, USER_NAMES,
};
pub use corpus::Corpus;
pub use engine::{explore, sequence_at, writable, Budget, Options, Progress, Summary, TargetStats};
pub use generate::{fresh, mutate, Shape};
pub use group::{scenario_name, Entry, Groups, Known};
pub use judge::{action_label, class, output_conformance, Finding, Kind, Signature};
pub use lockstep::{prepare, run_on, ClientExecutor, Executor, Outcome, Prepared, Target};
pub use model::{plan, Expect, Model, Predicted, Prediction};
pub use render::{scenario, Header, StepOrigin};
pub use shrink::{candidates, reproduces, shrink, size, Shrunk};
pub use summary::{write_json, write_terminal};
pub use write::{write_finding, Recorder, WriteOptions, Written};

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod group_tests;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
