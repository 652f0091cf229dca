//! Verdicts: a scenario's execution record judged by its snapshot, its contract expectations, the
//! model's shapes and the divergence ledger; the confirmation of a verdict by re-runs.

mod body;
pub mod contract;
pub mod diff;
mod findings;
mod flaky;
mod judge;
pub mod ledger;
mod outcome;
pub mod snapshot;

pub use body::{snapshot_body, snapshot_body_stopped};
pub use findings::{deviations, step_deviations};
pub use flaky::{flaky, needs_confirmation, signature};
pub use judge::{not_run, verify, SnapshotMode, VerifyOptions};
pub use outcome::{Finding, ScenarioReport, Status};
