//! Running one sequence on every target: the sequence becomes a scenario (loaded by the normal
//! loader), each target runs it in a fresh pool with the normal runner, at the same time, and the
//! answers are judged step by step.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::action::Sequence;
use super::judge::{self, Finding, TargetExecution};
use super::model::{self, Predicted};
use super::render::{self, Header, StepOrigin};
use crate::exchange::Client;
use crate::model as service;
use crate::observation::{Execution, Fault, FaultKind};
use crate::run::{self, ExecContext};
use crate::scenario::ast::Scenario;

/// Runs a scenario on one target. The real one is [`ClientExecutor`]; tests use fakes.
pub trait Executor: Send + Sync {
    fn execute(&self, scenario: Arc<Scenario>) -> Pin<Box<dyn Future<Output = Execution> + Send>>;
}

/// A named target.
#[derive(Clone)]
pub struct Target {
    pub name: String,
    pub exec: Arc<dyn Executor>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target").field("name", &self.name).finish()
    }
}

/// The normal runner over a client: fixtures, steps, teardown (the pool is deleted).
#[derive(Debug)]
pub struct ClientExecutor {
    pub client: Arc<Client>,
    pub ctx: ExecContext,
}

impl Executor for ClientExecutor {
    fn execute(&self, scenario: Arc<Scenario>) -> Pin<Box<dyn Future<Output = Execution> + Send>> {
        let client = self.client.clone();
        let ctx = self.ctx.clone();
        Box::pin(async move { run::execute(&scenario, &client, &ctx).await })
    }
}

/// A sequence ready to run: what the model kept and predicted, the scenario text and its steps.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub sequence: Sequence,
    pub predicted: Vec<Predicted>,
    pub text: String,
    pub origins: Vec<StepOrigin>,
    pub scenario: Arc<Scenario>,
}

/// A generated scenario that the loader refused: a bug in the renderer, never the user's.
#[derive(Debug, thiserror::Error)]
#[error("generated scenario `{name}` does not load: {first}")]
pub struct RenderError {
    pub name: String,
    pub first: String,
}

/// Plans `seq` through the model and renders and loads it as a scenario named by `header`.
pub fn prepare(seq: &Sequence, header: &Header) -> Result<Prepared, RenderError> {
    let (sequence, predicted) = model::plan(seq);
    let (text, origins) = render::scenario(header, &sequence, &predicted);
    let path = std::path::PathBuf::from(format!("{}.yaml", header.name));
    let scenario =
        crate::scenario::load(&path, &text, service::cognito()).map_err(|d| RenderError {
            name: header.name.clone(),
            first: d
                .first()
                .map(|d| format!("{} at {}", d.title, d.span))
                .unwrap_or_default(),
        })?;
    Ok(Prepared {
        sequence,
        predicted,
        text,
        origins,
        scenario: Arc::new(scenario),
    })
}

/// What one sequence did on every target.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// One execution per target, in the order of the targets given.
    pub executions: Vec<(String, Execution)>,
    pub findings: Vec<Finding>,
}

impl Outcome {
    /// Requests the sequence's steps sent, over all targets (fixtures not counted).
    pub fn steps(&self) -> usize {
        self.executions
            .iter()
            .map(|(_, e)| e.steps.iter().filter(|s| s.not_sent.is_none()).count())
            .sum()
    }
}

/// Runs `p` on every target at once, then judges it.
pub async fn run_on(p: &Prepared, targets: &[Target]) -> Outcome {
    let handles: Vec<_> = targets
        .iter()
        .map(|t| tokio::spawn(t.exec.execute(p.scenario.clone())))
        .collect();
    let mut executions = Vec::new();
    for (t, h) in targets.iter().zip(handles) {
        let e = h.await.unwrap_or_else(|e| Execution {
            steps: Vec::new(),
            fault: Some(Fault {
                during: "explore".into(),
                span: crate::span::Span::UNKNOWN,
                message: format!("the run panicked: {e}"),
                kind: FaultKind::Target,
                ..Fault::default()
            }),
            warnings: Vec::new(),
            elapsed: std::time::Duration::ZERO,
            totp_wait: std::time::Duration::ZERO,
            shared_pool: false,
        });
        executions.push((t.name.clone(), e));
    }
    let runs: Vec<TargetExecution<'_>> = executions
        .iter()
        .map(|(n, e)| TargetExecution {
            target: n,
            execution: e,
            deviations: crate::verdict::deviations(&p.scenario, &e.steps),
        })
        .collect();
    let findings = judge::judge(&p.sequence.actions, &p.predicted, &p.origins, &runs);
    drop(runs);
    Outcome {
        executions,
        findings,
    }
}
