//! The snapshot body of an execution: every recorded step's normalised observation (pure).

use serde_json::{json, Value as Json};

use crate::observation::{Fault, StepRecord};

/// The snapshot body of an execution (pure).
pub fn snapshot_body(steps: &[StepRecord]) -> Json {
    let steps: Vec<Json> = steps
        .iter()
        .map(|s| {
            let mut entry = json!({"step": s.name, "operation": s.operation});
            if let Some(reason) = &s.not_sent {
                entry["not_sent"] = json!(reason);
            } else if let (Json::Object(e), Ok(Json::Object(o))) =
                (&mut entry, serde_json::to_value(&s.observation))
            {
                e.extend(o);
            }
            entry
        })
        .collect();
    json!({ "steps": steps })
}

/// The snapshot body of a run that a step the target does not support ended: the observed steps,
/// then that step with what was refused. A target that later implements it shows up as a snapshot
/// change to review, never as silent coverage loss.
pub fn snapshot_body_stopped(steps: &[StepRecord], fault: Option<&Fault>) -> Json {
    let mut body = snapshot_body(steps);
    if let (Some(f), Some(Json::Array(list))) =
        (fault.filter(|f| f.is_partial()), body.get_mut("steps"))
    {
        list.push(json!({"step": f.during, "unsupported": f.message}));
    }
    body
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::observation::Observation;
    use crate::span::Span;

    #[test]
    fn a_step_not_sent_is_snapshotted_with_its_reason_only() {
        let record = StepRecord {
            name: "answer".into(),
            span: Span::new(3, 11),
            operation: "RespondToAuthChallenge".into(),
            observation: Observation::default(),
            expected_bodies: Vec::new(),
            shape_breaks: Vec::new(),
            not_sent: Some("capture `select_session` missing".into()),
        };
        assert_eq!(
            snapshot_body(&[record]),
            serde_json::json!({"steps": [{
                "step": "answer",
                "operation": "RespondToAuthChallenge",
                "not_sent": "capture `select_session` missing",
            }]})
        );
    }
}
