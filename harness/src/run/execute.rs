//! Executing one scenario on a target: fixtures, steps, captures, teardown.

use std::sync::Arc;
use std::time::Instant;

use serde_json::Value as Json;

use super::build::{capture_sensitivity, signed, step_variables};
use super::shared::SharedPools;
use super::slot::Slot;
use super::totp::TotpClock;
use crate::exchange::wire::WireRequest;
use crate::exchange::Client;
use crate::model::{self, Violation};
use crate::observation::{refusal, Execution, Fault, Normaliser, Observation, StepRecord};
use crate::plan::{render_value, Bindings, Plan, Sensitivity, SetupCall};
use crate::scenario::ast::{Action, Scenario, Step};
use crate::scenario::JsonPath;
use crate::span::Span;

/// Per-run values the executor needs (no environment reads here).
#[derive(Debug, Clone)]
pub struct ExecContext {
    pub run_id: String,
    pub region: String,
    /// Unpredictable per run: seeds fixture passwords.
    pub secret: String,
    /// The run's shared pools; `None`: every scenario makes a pool of its own (`--isolate`).
    pub pools: Option<Arc<SharedPools>>,
}

pub async fn execute(scenario: &Scenario, client: &Client, ctx: &ExecContext) -> Execution {
    execute_in(scenario, client, ctx, None).await
}

/// [`execute`] holding one of the run's places (`slot`), given back while it waits for a fresh TOTP
/// time step.
pub async fn execute_in(
    scenario: &Scenario,
    client: &Client,
    ctx: &ExecContext,
    slot: Option<&mut Slot>,
) -> Execution {
    let started = Instant::now();
    let plan = match &ctx.pools {
        Some(pools) => pools.plan(scenario, client, ctx).await,
        None => Plan::new(scenario, &ctx.run_id, &ctx.region, &ctx.secret),
    };
    let mut run = Run {
        scenario,
        client,
        plan: &plan,
        vars: plan.initial_bindings(),
        norm: Normaliser::new(),
        totp: TotpClock::default(),
        slot,
        warnings: Vec::new(),
    };
    run.register_bindings();
    let mut steps = Vec::new();
    let mut fault = run.setup().await.err();
    if fault.is_none() {
        for step in &scenario.steps {
            match run.step(step).await {
                Ok(record) => steps.push(record),
                Err(f) => {
                    fault = Some(Fault {
                        step: Some(steps.len()),
                        steps_total: scenario.steps.len(),
                        ..f
                    });
                    break;
                }
            }
        }
    }
    let mut warnings = std::mem::take(&mut run.warnings);
    warnings.extend(run.teardown().await);
    Execution {
        steps,
        fault,
        warnings,
        elapsed: started.elapsed(),
        totp_wait: run.totp.waited(),
        shared_pool: plan.shared_pool.is_some(),
    }
}

/// Tells `norm` every secret, volatile value and alias in `vars`.
pub(crate) fn register(norm: &mut Normaliser, vars: &Bindings) {
    for (_, b) in vars.iter() {
        let Some(text) = b.value.as_str() else {
            continue;
        };
        match &b.sensitivity {
            Sensitivity::Secret { label } => norm.secret(label, text),
            Sensitivity::Volatile { kind } => {
                norm.known(kind, text);
            }
            Sensitivity::Alias { shown } => norm.alias(text, shown),
            Sensitivity::Plain => {}
        }
    }
}

pub(super) struct Run<'a> {
    pub(super) scenario: &'a Scenario,
    pub(super) client: &'a Client,
    pub(super) plan: &'a Plan,
    pub(super) vars: Bindings,
    pub(super) norm: Normaliser,
    pub(super) totp: TotpClock,
    /// The run's place this scenario holds, if the engine gave it one.
    pub(super) slot: Option<&'a mut Slot>,
    /// Notes for the report that do not change the verdict.
    pub(super) warnings: Vec<String>,
}

impl Run<'_> {
    /// Tells the normaliser every secret, volatile value and alias bound so far.
    pub(super) fn register_bindings(&mut self) {
        register(&mut self.norm, &self.vars);
    }

    async fn setup(&mut self) -> Result<(), Fault> {
        for &call in &self.plan.calls {
            let (operation, mut input) = self.plan.request(self.scenario, call, &self.vars);
            if let SetupCall::VerifyTotp(i) = call {
                let user = self.plan.users[i].name.clone();
                let code = self.fresh_code(&user, operation, Span::UNKNOWN).await?;
                self.vars
                    .set_str(format!("{user}.totp_code_last"), &code, Sensitivity::Plain);
                input["UserCode"] = Json::String(code);
            }
            let during = format!("setup: {operation}");
            let obs = self
                .send(
                    &WireRequest::json(operation, &input, signed(operation)),
                    &during,
                    self.fixture_span(call),
                )
                .await?;
            if let Some(what) = refusal(&obs) {
                return Err(self.unsupported_at(&during, self.fixture_span(call), &what));
            }
            if obs.error.is_some() || !(200..300).contains(&obs.status) {
                let norm = self.norm.observation(&obs);
                let msg = format!(
                    "the target refused a fixture call: {} {}{}",
                    norm.status,
                    norm.error.unwrap_or_default(),
                    norm.message.map(|m| format!(": {m}")).unwrap_or_default()
                );
                return Err(self.fault_at(&during, self.fixture_span(call), &msg));
            }
            self.plan
                .absorb(call, &obs.body, &mut self.vars)
                .map_err(|e| self.fault_at(&during, self.fixture_span(call), &e.to_string()))?;
            self.register_bindings();
        }
        Ok(())
    }

    fn fixture_span(&self, call: SetupCall) -> Span {
        let fx = &self.scenario.fixtures;
        match call {
            SetupCall::CreatePool | SetupCall::SetPoolMfaConfig => fx.pool.span,
            SetupCall::CreateClient => fx.client.span,
            SetupCall::CreateUser(i)
            | SetupCall::ConfirmPassword(i)
            | SetupCall::SignUp(i)
            | SetupCall::ReadSub(i)
            | SetupCall::SignIn(i)
            | SetupCall::AssociateTotp(i)
            | SetupCall::VerifyTotp(i) => fx.users[i].name.span,
        }
    }

    async fn step(&mut self, step: &Step) -> Result<StepRecord, Fault> {
        if let Some(capture) = self.missing_capture(step) {
            return Ok(self.not_sent(step, &capture));
        }
        self.bind_fresh_codes(step).await?;
        self.bind_forged(step)?;
        let (operation, request) = self.build(step)?;
        let obs = match step.action {
            Action::Call { .. } => {
                let obs = self
                    .send(&request, &step.name.value, step.name.span)
                    .await?;
                if let Some(what) = refusal(&obs) {
                    return Err(self.unsupported_at(&step.name.value, step.name.span, &what));
                }
                obs
            }
            // Raw steps probe the protocol itself: whatever they get back is their observation.
            Action::Raw(_) => {
                self.send_raw(&request, &step.name.value, step.name.span)
                    .await?
            }
        };
        self.remember_sent_codes(step);
        for cap in &step.capture {
            // A capture that matched nothing stays unbound: a later use reports it at its own span.
            let path = JsonPath::parse(&cap.path.value).ok();
            if let Some(v) = path.as_ref().and_then(|p| p.select(&obs.body)) {
                let sensitivity = capture_sensitivity(&cap.name.value, &cap.path.value, v);
                self.vars
                    .set(cap.name.value.clone(), v.clone(), sensitivity);
            }
        }
        self.register_bindings();
        let observation = self.norm.observation(&obs);
        // The expectations' bodies are rendered now, while the bindings are this step's: the verdict
        // checks them later, against the normalised observation.
        let expected_bodies = step
            .expectations()
            .map(|expect| {
                let body = expect.body.as_ref()?;
                render_value(body, &self.vars)
                    .ok()
                    .map(|v| self.norm.value(&v))
            })
            .collect();
        let shape_breaks = match &step.action {
            Action::Call { operation, .. } => self.shape_breaks(&operation.value, &obs),
            Action::Raw(_) => Vec::new(),
        };
        Ok(StepRecord {
            name: step.name.value.clone(),
            span: step.name.span,
            operation,
            observation,
            expected_bodies,
            shape_breaks,
            not_sent: None,
        })
    }

    /// Where the raw answer (before normalisation, whose placeholders would break patterns and
    /// lengths) breaks the operation's model shapes. Texts are normalised by a copy of the
    /// normaliser, so the snapshot's placeholder numbering stays as it was.
    fn shape_breaks(&self, operation: &str, raw: &Observation) -> Vec<Violation> {
        let violations = model::validate_answer(operation, raw.error.as_deref(), &raw.body);
        if violations.is_empty() {
            return Vec::new();
        }
        let mut norm = self.norm.clone();
        violations
            .into_iter()
            .map(|v| {
                // In the order the texts were shown before: expected (shape at path), actual.
                let expected = norm.text(&v.expected);
                let shape = norm.text(&v.shape);
                let path = norm.text(&v.path);
                let actual = norm.text(&v.actual);
                Violation {
                    path,
                    rule: v.rule,
                    shape,
                    expected,
                    actual,
                }
            })
            .collect()
    }

    /// The first capture this step uses (`${x}`, `${x.totp_code}`) that no earlier step produced.
    fn missing_capture(&self, step: &Step) -> Option<String> {
        let captures: Vec<&str> = self
            .scenario
            .steps
            .iter()
            .flat_map(|s| s.capture.iter().map(|c| c.name.value.as_str()))
            .collect();
        step_variables(step).into_iter().find_map(|name| {
            let root = name.split('.').next().unwrap_or_default();
            (captures.contains(&root) && self.vars.get(root).is_none()).then(|| root.to_owned())
        })
    }

    /// A step that cannot be sent because an earlier answer lacked what it needs: recorded (and
    /// snapshotted) as not sent, not a fault, so targets that differ there are compared, not stopped.
    fn not_sent(&mut self, step: &Step, capture: &str) -> StepRecord {
        let operation = match &step.action {
            Action::Call { operation, .. } => operation.value.clone(),
            Action::Raw(_) => "raw".to_owned(),
        };
        let unchecked = match step.expectations().next() {
            Some(_) => "; its expectations were not checked",
            None => "",
        };
        self.warnings.push(format!(
            "step `{}` not sent: capture `{capture}` missing{unchecked}",
            step.name.value
        ));
        StepRecord {
            name: step.name.value.clone(),
            span: step.name.span,
            operation,
            observation: Observation::default(),
            expected_bodies: Vec::new(),
            shape_breaks: Vec::new(),
            not_sent: Some(format!("capture `{capture}` missing")),
        }
    }
}
