//! Executing one scenario on a target: fixtures, steps, captures, teardown.

use std::time::Instant;

use serde_json::Value as Json;

use super::observe::observe;
use super::off_protocol::{pool_is_gone, text_observation};
use super::outcome::{Execution, Fault, FaultKind, StepRecord};
use super::totp::TotpClock;
use super::unsupported::refusal;
use crate::exchange::wire::WireRequest;
use crate::exchange::Client;
use crate::model::{self, Auth};
use crate::observation::{Normaliser, Observation};
use crate::plan::{render_text, render_value, Bindings, Plan, Sensitivity, SetupCall};
use crate::scenario::ast::{
    Action, RawBody, RawRequest, Scenario, Step, Template, TemplatePart, Value,
};
use crate::scenario::{variables_in, JsonPath};
use crate::span::Span;
use crate::verdict::contract::{self, Deviation};

/// Per-run values the executor needs (no environment reads here).
#[derive(Debug, Clone)]
pub struct ExecContext {
    pub run_id: String,
    pub region: String,
    /// Unpredictable per run: seeds fixture passwords.
    pub secret: String,
}

pub async fn execute(scenario: &Scenario, client: &Client, ctx: &ExecContext) -> Execution {
    let started = Instant::now();
    let plan = Plan::new(scenario, &ctx.run_id, &ctx.region, &ctx.secret);
    let mut run = Run {
        scenario,
        client,
        plan: &plan,
        vars: plan.initial_bindings(),
        norm: Normaliser::new(),
        totp: TotpClock::default(),
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
    }
}

struct Run<'a> {
    scenario: &'a Scenario,
    client: &'a Client,
    plan: &'a Plan,
    vars: Bindings,
    norm: Normaliser,
    totp: TotpClock,
    /// Notes for the report that do not change the verdict.
    warnings: Vec<String>,
}

impl Run<'_> {
    /// Tells the normaliser every secret and volatile value bound so far.
    fn register_bindings(&mut self) {
        for (_, b) in self.vars.iter() {
            let Some(text) = b.value.as_str() else {
                continue;
            };
            match &b.sensitivity {
                Sensitivity::Secret { label } => self.norm.secret(label, text),
                Sensitivity::Volatile { kind } => {
                    self.norm.known(kind, text);
                }
                Sensitivity::Plain => {}
            }
        }
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
                .map_err(|m| self.fault_at(&during, self.fixture_span(call), &m))?;
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
        let mut deviations = Vec::new();
        for expect in step.expectations() {
            let expected_body = match &expect.body {
                Some(b) => render_value(b, &self.vars)
                    .ok()
                    .map(|v| self.norm.value(&v)),
                None => None,
            };
            deviations.extend(contract::check(
                expect,
                &observation,
                expected_body.as_ref(),
            ));
        }
        if let Action::Call { operation, .. } = &step.action {
            deviations.extend(self.conformance(&operation.value, &obs, step.name.span));
        }
        Ok(StepRecord {
            name: step.name.value.clone(),
            span: step.name.span,
            operation,
            observation,
            deviations,
            not_sent: None,
        })
    }

    /// The raw answer (before normalisation) checked against the operation's model shapes. Texts are
    /// normalised by a copy of the normaliser, so the snapshot's placeholder numbering stays as it was.
    fn conformance(&self, operation: &str, raw: &Observation, span: Span) -> Vec<Deviation> {
        let violations = model::validate_answer(operation, raw.error.as_deref(), &raw.body);
        if violations.is_empty() {
            return Vec::new();
        }
        let mut norm = self.norm.clone();
        violations
            .iter()
            .map(|v| Deviation::from_violation(v, span, |t| norm.text(t)))
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
            deviations: Vec::new(),
            not_sent: Some(format!("capture `{capture}` missing")),
        }
    }

    /// Binds `<owner>.totp_code` for every user or captured secret whose code this step uses, each
    /// from a fresh time step.
    async fn bind_fresh_codes(&mut self, step: &Step) -> Result<(), Fault> {
        for name in step_variables(step) {
            let Some(owner) = name.strip_suffix(".totp_code") else {
                continue;
            };
            let code = self
                .fresh_code(owner, &step.name.value, step.name.span)
                .await?;
            self.vars.set_str(name, &code, Sensitivity::Plain);
        }
        Ok(())
    }

    /// Binds every forged token this step uses (`${alice.forged.expired}` ...), once per run.
    fn bind_forged(&mut self, step: &Step) -> Result<(), Fault> {
        for name in step_variables(step) {
            if self.vars.get(&name).is_some() {
                continue;
            }
            if let Err(e) = crate::plan::bind_forged(&mut self.vars, &name) {
                let message = format!("cannot forge `{name}`: {e}");
                return Err(self.fault_at(&step.name.value, step.name.span, &message));
            }
        }
        self.register_bindings();
        Ok(())
    }

    /// After a step sent `${U.totp_code}`, that code becomes `${U.totp_code_last}`.
    fn remember_sent_codes(&mut self, step: &Step) {
        for name in step_variables(step) {
            let Some(user) = name.strip_suffix(".totp_code") else {
                continue;
            };
            if let Some(code) = self.vars.get_str(&name).map(str::to_owned) {
                self.vars
                    .set_str(format!("{user}.totp_code_last"), &code, Sensitivity::Plain);
            }
        }
    }

    /// An RFC 6238 code from a time step not used before in this run, for `owner`'s secret: a
    /// fixture user's `totp_secret`, or a capture that holds a secret itself.
    async fn fresh_code(&mut self, owner: &str, during: &str, span: Span) -> Result<String, Fault> {
        let secret = self
            .vars
            .get_str(&format!("{owner}.totp_secret"))
            .or_else(|| self.vars.get_str(owner))
            .unwrap_or_default()
            .to_owned();
        match self.totp.fresh_code(&secret).await {
            Ok(code) => Ok(code),
            Err(e) => Err(self.fault_at(during, span, &e.to_string())),
        }
    }

    fn build(&self, step: &Step) -> Result<(String, WireRequest), Fault> {
        let render_err = |e: crate::plan::RenderError| Fault {
            during: step.name.value.clone(),
            span: e.span,
            message: match e.name.strip_suffix(".totp_code_last") {
                Some(user) => format!("{e}: no TOTP code was sent for `{user}` before this step"),
                None => format!("{e}: the target never returned it (check the capture path)"),
            },
            kind: FaultKind::Target,
            ..Fault::default()
        };
        match &step.action {
            Action::Call { operation, input } => {
                let body = render_value(input, &self.vars).map_err(render_err)?;
                Ok((
                    operation.value.clone(),
                    WireRequest::json(&operation.value, &body, signed(&operation.value)),
                ))
            }
            Action::Raw(raw) => Ok(("raw".to_owned(), self.build_raw(raw).map_err(render_err)?)),
        }
    }

    fn build_raw(&self, raw: &RawRequest) -> Result<WireRequest, crate::plan::RenderError> {
        let op = raw.operation.as_ref().map(|o| o.value.as_str());
        let target = match (&raw.target_header, op) {
            (Some(t), _) => Some(render_text(t, &self.vars)?),
            (None, Some(op)) => Some(format!("{}.{op}", crate::exchange::wire::TARGET_PREFIX)),
            (None, None) => None,
        };
        let headers = raw
            .headers
            .iter()
            .map(|(k, v)| Ok((k.value.clone(), render_text(v, &self.vars)?)))
            .collect::<Result<Vec<_>, _>>()?;
        let body = match &raw.body {
            RawBody::Text(t) => render_text(t, &self.vars)?.into_bytes(),
            RawBody::Bytes(b) => b.clone(),
            RawBody::Json(v) => {
                serde_json::to_vec(&render_value(v, &self.vars)?).unwrap_or_default()
            }
        };
        let sign = raw.sign.unwrap_or_else(|| op.is_some_and(signed));
        Ok(WireRequest {
            target,
            headers,
            body,
            sign,
        })
    }

    async fn send(
        &mut self,
        req: &WireRequest,
        during: &str,
        span: Span,
    ) -> Result<Observation, Fault> {
        match self.client.send(req).await {
            Ok(resp) => observe(&resp).map_err(|reason| self.fault_at(during, span, &reason)),
            Err(e) => Err(self.fault_at(during, span, &e.to_string())),
        }
    }

    /// Like [`Self::send`], but an answer outside the protocol is what a raw step observes, not a
    /// fault: raw steps send off-protocol requests on purpose, and how the target answers is the finding.
    async fn send_raw(
        &mut self,
        req: &WireRequest,
        during: &str,
        span: Span,
    ) -> Result<Observation, Fault> {
        let resp = match self.client.send(req).await {
            Ok(resp) => resp,
            Err(e) => return Err(self.fault_at(during, span, &e.to_string())),
        };
        Ok(observe(&resp).unwrap_or_else(|reason| {
            let note = format!("step `{during}`: the answer is outside the protocol: {reason}");
            let note = self.norm.text(&note);
            self.warnings.push(note);
            text_observation(&resp)
        }))
    }

    fn fault_at(&mut self, during: &str, span: Span, message: &str) -> Fault {
        Fault {
            during: during.to_owned(),
            span,
            message: self.norm.text(message),
            kind: FaultKind::Target,
            ..Fault::default()
        }
    }

    /// The scenario stops where the target said it lacks what `during` needs.
    fn unsupported_at(&mut self, during: &str, span: Span, what: &str) -> Fault {
        Fault {
            kind: FaultKind::Unsupported,
            ..self.fault_at(during, span, what)
        }
    }

    /// Deletes the scenario's pool; runs after failures too. Problems become warnings.
    async fn teardown(&mut self) -> Vec<String> {
        let Some(pool_id) = self.vars.get_str("pool.id").map(str::to_owned) else {
            return Vec::new();
        };
        let req = WireRequest::json(
            "DeleteUserPool",
            &serde_json::json!({"UserPoolId": pool_id}),
            true,
        );
        match self.client.send(&req).await {
            Ok(resp) if (200..300).contains(&resp.status) => Vec::new(),
            // A step deleted the pool already (DeleteUserPool is a legitimate step).
            Ok(resp) if pool_is_gone(&resp) => Vec::new(),
            Ok(resp) => vec![self.norm.text(&format!(
                "teardown: DeleteUserPool answered {}",
                resp.status
            ))],
            Err(e) => vec![self
                .norm
                .text(&format!("teardown: DeleteUserPool failed: {e}"))],
        }
    }
}

/// SigV4 unless the model marks the operation noAuth (as the real SDKs do).
fn signed(operation: &str) -> bool {
    model::cognito()
        .operation(operation)
        .is_none_or(|op| op.auth == Auth::SigV4)
}

/// Captured tokens, sessions and TOTP secrets are redacted like fixture secrets.
fn capture_sensitivity(name: &str, path: &str, v: &Json) -> Sensitivity {
    let secretish = ["Token", "Session", "SecretCode", "Password"]
        .iter()
        .any(|k| path.contains(k))
        || v.as_str().is_some_and(crate::observation::looks_like_jwt);
    if secretish {
        Sensitivity::Secret {
            label: format!("capture:{name}"),
        }
    } else {
        Sensitivity::Plain
    }
}

/// Every `${variable}` name a step's request uses.
fn step_variables(step: &Step) -> Vec<String> {
    let of_value = |v: &Value| -> Vec<String> {
        variables_in(v)
            .into_iter()
            .filter_map(|p| match p {
                TemplatePart::Var { name, .. } => Some(name.clone()),
                TemplatePart::Literal(_) => None,
            })
            .collect()
    };
    let of_template = |t: &Template| t.vars().map(|(n, _)| n.to_owned()).collect::<Vec<_>>();
    let mut out = match &step.action {
        Action::Call { input, .. } => of_value(input),
        Action::Raw(raw) => {
            let mut names: Vec<String> = raw.target_header.iter().flat_map(of_template).collect();
            names.extend(raw.headers.iter().flat_map(|(_, v)| of_template(v)));
            match &raw.body {
                RawBody::Text(t) => names.extend(of_template(t)),
                RawBody::Json(v) => names.extend(of_value(v)),
                RawBody::Bytes(_) => {}
            }
            names
        }
    };
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn step_variables_lists_each_request_variable_once() {
        let src = "name: x\nfixtures:\n  users: { alice: { sign_in: true, totp: verified } }\nsteps:\n  - name: a\n    raw:\n      target: ${region}\n      json: { A: \"${alice.totp_code}\", B: \"${alice.totp_code}${alice.forged.expired}\" }\n";
        let s =
            crate::scenario::load(std::path::Path::new("x.yaml"), src, model::cognito()).unwrap();
        assert_eq!(
            step_variables(&s.steps[0]),
            ["alice.forged.expired", "alice.totp_code", "region"]
        );
    }

    #[test]
    fn a_step_not_sent_is_snapshotted_with_its_reason_only() {
        let record = StepRecord {
            name: "answer".into(),
            span: Span::new(3, 11),
            operation: "RespondToAuthChallenge".into(),
            observation: Observation::default(),
            deviations: Vec::new(),
            not_sent: Some("capture `select_session` missing".into()),
        };
        assert_eq!(
            super::super::snapshot_body(&[record]),
            serde_json::json!({"steps": [{
                "step": "answer",
                "operation": "RespondToAuthChallenge",
                "not_sent": "capture `select_session` missing",
            }]})
        );
    }
}
