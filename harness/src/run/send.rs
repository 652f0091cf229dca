//! Sending a request and turning the answer into an observation or a fault; the teardown.

use super::execute::Run;
use crate::exchange::wire::WireRequest;
use crate::observation::{observe, pool_is_gone, text_observation, Fault, FaultKind, Observation};
use crate::span::Span;

impl Run<'_> {
    pub(super) async fn send(
        &mut self,
        req: &WireRequest,
        during: &str,
        span: Span,
    ) -> Result<Observation, Fault> {
        match self.client.send(req).await {
            Ok(resp) => observe(&resp).map_err(|e| self.fault_at(during, span, &e.reason)),
            Err(e) => Err(self.fault_at(during, span, &e.to_string())),
        }
    }

    /// Like [`Self::send`], but an answer outside the protocol is what a raw step observes, not a
    /// fault: raw steps send off-protocol requests on purpose, and how the target answers is the finding.
    pub(super) async fn send_raw(
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

    pub(super) fn fault_at(&mut self, during: &str, span: Span, message: &str) -> Fault {
        Fault {
            during: during.to_owned(),
            span,
            message: self.norm.text(message),
            kind: FaultKind::Target,
            ..Fault::default()
        }
    }

    /// The scenario stops where the target said it lacks what `during` needs.
    pub(super) fn unsupported_at(&mut self, during: &str, span: Span, what: &str) -> Fault {
        Fault {
            kind: FaultKind::Unsupported,
            ..self.fault_at(during, span, what)
        }
    }

    /// Deletes the scenario's pool; runs after failures too. Problems become warnings. A shared
    /// pool is left alone: the engine deletes it, with the users in it, when the run is over.
    pub(super) async fn teardown(&mut self) -> Vec<String> {
        if self.plan.shared_pool.is_some() {
            return Vec::new();
        }
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
