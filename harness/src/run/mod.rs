//! Running scenarios against a target: execute (fixtures, steps, teardown), then verify.

mod confirm;
mod execute;
mod observe;
mod off_protocol;
mod outcome;
mod shard;
mod suite;
mod totp;
mod unsupported;
mod verify;

pub use confirm::signature;
pub use execute::{execute, ExecContext};
pub use outcome::{Execution, Fault, FaultKind, Finding, ScenarioReport, Status, StepRecord};
pub use shard::{Shard, ShardError};
pub use suite::{applies_to, discover, load_all, load_ledger, run_all};
pub use totp::{code_at, TotpClock};
pub use unsupported::refusal;
pub use verify::{snapshot_body, snapshot_body_stopped, verify, SnapshotMode, VerifyOptions};
