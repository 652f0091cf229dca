//! What running one scenario on one target recorded: each step's normalised observation, with what
//! the verdict needs to judge it later (the rendered `expect:` bodies, the model breaks of the raw
//! answer), and what ended the run early. No judgement here.

use std::time::Duration;

use serde_json::Value as Json;

use crate::model::Violation;
use crate::observation::Observation;
use crate::span::Span;

/// One executed step, normalised.
#[derive(Debug, Clone)]
pub struct StepRecord {
    pub name: String,
    pub span: Span,
    /// Operation sent, or `raw` for raw steps.
    pub operation: String,
    /// Meaningless (status 0, no body) when the step was not sent.
    pub observation: Observation,
    /// Each `expect:` block's `body:`, in the step's order, rendered with the run's bindings and
    /// normalised as the observation was (`None`: no `body:`, or it did not render).
    pub expected_bodies: Vec<Option<Json>>,
    /// Where the raw answer (before normalisation) breaks the operation's model shapes; its texts
    /// normalised. Checked on the raw answer, since placeholders would break patterns and lengths.
    pub shape_breaks: Vec<Violation>,
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
    pub(crate) fn is_partial(&self) -> bool {
        self.kind == FaultKind::Unsupported && self.step.is_some_and(|s| s > 0)
    }

    /// `7 of 12 steps · unsupported at step 8 `name``, for a partial run.
    pub(crate) fn partial_text(&self) -> Option<String> {
        let step = self.step.filter(|_| self.is_partial())?;
        Some(format!(
            "{step} of {} steps · unsupported at step {} `{}`",
            self.steps_total,
            step + 1,
            self.during
        ))
    }
}

/// The record of executing a scenario (nothing judged yet).
#[derive(Debug, Clone)]
pub struct Execution {
    pub steps: Vec<StepRecord>,
    pub fault: Option<Fault>,
    /// Problems that do not change the verdict (teardown failures...).
    pub warnings: Vec<String>,
    pub elapsed: Duration,
    /// Part of `elapsed` spent sleeping for a fresh TOTP time step (other scenarios ran meanwhile).
    pub totp_wait: Duration,
    /// It ran in a pool shared with other scenarios (its users' names made unique there).
    pub shared_pool: bool,
}
