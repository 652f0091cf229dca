//! Running scenarios against a target: execute (fixtures, steps, teardown), then verify.

mod execute;
mod observe;
mod outcome;
mod shard;
mod suite;
mod totp;
mod verify;

pub use execute::{execute, ExecContext};
pub use outcome::{Execution, Fault, Finding, ScenarioReport, Status, StepRecord};
pub use shard::{Shard, ShardError};
pub use suite::{applies_to, discover, load_all, load_ledger, run_all};
pub use totp::{code_at, TotpClock};
pub use verify::{snapshot_body, verify, SnapshotMode, VerifyOptions};
