//! The verdict on one scenario on one target, ready for every report.

use std::path::PathBuf;
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use crate::observation::{Fault, StepRecord};
use crate::verdict::contract::Deviation;
use crate::verdict::diff::Difference;
use crate::verdict::ledger::Divergence;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Pass,
    /// No snapshot on disk yet (a failure: an unreviewed scenario proves nothing).
    New,
    /// The answers differ from the snapshot.
    Drift,
    /// A binding `expect:` failed and the ledger does not know it.
    ContractViolation,
    /// Scenario file error.
    ScenarioError,
    TargetFault,
    /// The target does not implement an operation or feature the scenario needs.
    Unsupported,
    /// `targets:` excludes this target.
    Skipped,
    /// Drift or a contract violation that `--confirm` re-runs did not reproduce the same way: reported,
    /// not failed, since one unrepeatable answer proves no change (see the report's notes).
    Flaky,
    /// The harness itself failed (a panic in the scenario's task): a bug to report, not a verdict on
    /// the target.
    Internal,
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::New => "new",
            Status::Drift => "drift",
            Status::ContractViolation => "contract",
            Status::ScenarioError => "error",
            Status::TargetFault => "fault",
            Status::Unsupported => "unsupported",
            Status::Skipped => "skipped",
            Status::Flaky => "flaky",
            Status::Internal => "internal",
        }
    }

    pub fn is_failure(&self) -> bool {
        !matches!(
            self,
            Status::Pass | Status::Skipped | Status::Unsupported | Status::Flaky
        )
    }
}

/// A contract deviation with what the ledger says of it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub step: String,
    /// Where the failed check sits in the observation document (`$.steps[2].message`), the ledger's key.
    pub path: String,
    pub deviation: Deviation,
    /// The ledger entry that covers it, if any.
    pub known: Option<Divergence>,
}

/// The verdict on one scenario, ready for every report.
#[derive(Debug, Clone)]
pub struct ScenarioReport {
    pub name: String,
    pub path: PathBuf,
    /// The scenario file's text, for rendering spans (empty when it could not be read).
    pub source: String,
    pub target: String,
    pub status: Status,
    pub steps: Vec<StepRecord>,
    pub drift: Vec<Difference>,
    pub findings: Vec<Finding>,
    /// Ledger entries for this scenario that no longer reproduce.
    pub gone: Vec<Divergence>,
    pub fault: Option<Fault>,
    pub diagnostics: Vec<Diagnostic>,
    pub notes: Vec<String>,
    pub pending_written: Option<PathBuf>,
    pub elapsed: Duration,
    /// Part of `elapsed` spent waiting for fresh TOTP time steps (other scenarios ran meanwhile).
    pub totp_wait: Duration,
    /// Which of the target's instances ran it (0-based; 0 when there is one).
    pub instance: usize,
    /// It ran in a pool shared with other scenarios.
    pub shared_pool: bool,
}

impl ScenarioReport {
    /// A verdict with nothing observed yet: `status`, on `target`, for the scenario `name` in `path`
    /// (whose text is `source`, for rendering spans).
    pub fn new(
        name: &str,
        path: &std::path::Path,
        source: String,
        target: &str,
        status: Status,
    ) -> Self {
        ScenarioReport {
            name: name.to_owned(),
            path: path.to_owned(),
            source,
            target: target.to_owned(),
            status,
            steps: Vec::new(),
            drift: Vec::new(),
            findings: Vec::new(),
            gone: Vec::new(),
            fault: None,
            diagnostics: Vec::new(),
            notes: Vec::new(),
            pending_written: None,
            elapsed: Duration::ZERO,
            totp_wait: Duration::ZERO,
            instance: 0,
            shared_pool: false,
        }
    }
}
