//! What running one scenario on one target produced, before and after verification.

use std::path::PathBuf;
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use crate::observation::Observation;
use crate::span::Span;
use crate::verdict::contract::Deviation;
use crate::verdict::diff::Difference;
use crate::verdict::ledger::Divergence;

/// One executed step, normalised.
#[derive(Debug, Clone)]
pub struct StepRecord {
    pub name: String,
    pub span: Span,
    /// Operation sent, or `raw` for raw steps.
    pub operation: String,
    /// Meaningless (status 0, no body) when the step was not sent.
    pub observation: Observation,
    pub deviations: Vec<Deviation>,
    /// Why the step was not sent (`capture `x` missing`); `None` for every step that was sent.
    pub not_sent: Option<String>,
}

/// What ended a scenario early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FaultKind {
    /// The target was unreachable, timed out, or answered outside the protocol.
    #[default]
    Target,
    /// The target refused because it does not implement the operation or feature (an emulator's gap,
    /// not a failure).
    Unsupported,
}

/// Why a scenario could not run to its end on the target.
#[derive(Debug, Clone, Default)]
pub struct Fault {
    /// `setup: CreateUserPool` or the step name.
    pub during: String,
    pub span: Span,
    /// Already normalised: no secret in it. For [`FaultKind::Unsupported`], what was unsupported.
    pub message: String,
    pub kind: FaultKind,
    /// The index of the step it happened at (`None` in the fixtures), and how many steps the
    /// scenario has: an unsupported step still lets the steps before it be verified.
    pub step: Option<usize>,
    pub steps_total: usize,
}

impl Fault {
    /// A step the target refused as unsupported, after at least one step before it ran: those are
    /// verified. (Refused at the first step, nothing was observed: unsupported as a whole.)
    pub fn is_partial(&self) -> bool {
        self.kind == FaultKind::Unsupported && self.step.is_some_and(|s| s > 0)
    }

    /// `7 of 12 steps · unsupported at step 8 `name``, for a partial run.
    pub fn partial_text(&self) -> Option<String> {
        let step = self.step.filter(|_| self.is_partial())?;
        Some(format!(
            "{step} of {} steps · unsupported at step {} `{}`",
            self.steps_total,
            step + 1,
            self.during
        ))
    }
}

/// The raw result of executing a scenario (no snapshot comparison yet).
#[derive(Debug, Clone)]
pub struct Execution {
    pub steps: Vec<StepRecord>,
    pub fault: Option<Fault>,
    /// Problems that do not change the verdict (teardown failures...).
    pub warnings: Vec<String>,
    pub elapsed: Duration,
}

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
}
