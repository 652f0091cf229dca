//! A step's wire request, rendered from its call or raw request with the run's bindings.

use serde_json::Value as Json;

use super::execute::Run;
use crate::exchange::wire::WireRequest;
use crate::model::{self, Auth};
use crate::observation::{Fault, FaultKind};
use crate::plan::{render_text, render_value, Sensitivity};
use crate::scenario::ast::{Action, RawBody, RawRequest, Step, Template, TemplatePart, Value};
use crate::scenario::variables_in;

impl Run<'_> {
    pub(super) fn build(&self, step: &Step) -> Result<(String, WireRequest), Fault> {
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

    pub(super) fn build_raw(
        &self,
        raw: &RawRequest,
    ) -> Result<WireRequest, crate::plan::RenderError> {
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
}

/// SigV4 unless the model marks the operation noAuth (as the real SDKs do).
pub(super) fn signed(operation: &str) -> bool {
    model::cognito()
        .operation(operation)
        .is_none_or(|op| op.auth == Auth::SigV4)
}

/// Captured tokens, sessions and TOTP secrets are redacted like fixture secrets.
pub(super) fn capture_sensitivity(name: &str, path: &str, v: &Json) -> Sensitivity {
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
pub(super) fn step_variables(step: &Step) -> Vec<String> {
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
    pub(super) fn step_variables_lists_each_request_variable_once() {
        let src = "name: x\nfixtures:\n  users: { alice: { sign_in: true, totp: verified } }\nsteps:\n  - name: a\n    raw:\n      target: ${region}\n      json: { A: \"${alice.totp_code}\", B: \"${alice.totp_code}${alice.forged.expired}\" }\n";
        let s =
            crate::scenario::load(std::path::Path::new("x.yaml"), src, model::cognito()).unwrap();
        assert_eq!(
            step_variables(&s.steps[0]),
            ["alice.forged.expired", "alice.totp_code", "region"]
        );
    }
}
