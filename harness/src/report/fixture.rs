//! A small fixed set of scenario reports for the renderers' snapshot tests.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;

use crate::observation::Observation;
use crate::observation::{Fault, StepRecord};
use crate::scenario::ast::Confidence;
use crate::span::Span;
use crate::verdict::contract::{Check, Deviation};
use crate::verdict::diff::diff;
use crate::verdict::ledger::Divergence;
use crate::verdict::{Finding, ScenarioReport, Status};

pub fn step(
    name: &str,
    op: &str,
    status: u16,
    error: Option<&str>,
    message: Option<&str>,
) -> StepRecord {
    let mut body = json!({});
    if let Some(e) = error {
        body = json!({"__type": e, "message": message});
    }
    StepRecord {
        name: name.into(),
        span: Span::new(8, 11),
        operation: op.into(),
        observation: Observation {
            status,
            error: error.map(Into::into),
            message: message.map(Into::into),
            body,
            headers: Default::default(),
            wire: Default::default(),
        },
        expected_bodies: Vec::new(),
        shape_breaks: Vec::new(),
        not_sent: None,
    }
}

pub fn report(name: &str, target: &str, status: Status) -> ScenarioReport {
    let path = PathBuf::from(format!("scenarios/{name}.yaml"));
    let mut r = ScenarioReport::new(name, &path, String::new(), target, status);
    r.elapsed = Duration::from_millis(250);
    r
}

fn deviation(check: Check, expected: &str, actual: &str, fact: &str, c: Confidence) -> Deviation {
    Deviation {
        check,
        span: Span::new(14, 16),
        expected: expected.into(),
        actual: actual.into(),
        source: fact.into(),
        confidence: c,
        body_path: None,
    }
}

pub(crate) fn ledger_entry(scenario: &str, path: &str) -> Divergence {
    Divergence {
        scenario: scenario.into(),
        operation: None,
        path: path.into(),
        step_index: 0,
        step: Some("garbage token".into()),
        reason: "echoes the token as the message (T1)".into(),
        link: None,
        review_by: Some("2027-05-31".into()),
        line: 4,
        rule: None,
    }
}

/// Five reports on `target`: a pass with a known divergence, a drift, a contract violation, a fault and a
/// skip.
pub fn reports(target: &str) -> Vec<ScenarioReport> {
    let mut known = report("garbage-token", target, Status::Pass);
    known.steps = vec![step(
        "garbage token",
        "SetUserMFAPreference",
        400,
        Some("NotAuthorizedException"),
        Some("THIS_IS_NOT_VALID_TOKEN"),
    )];
    known.findings = vec![Finding {
        step: "garbage token".into(),
        path: "$.steps[0].message".into(),
        deviation: deviation(
            Check::Message,
            "message matching /^Invalid Access Token$/",
            "message \"THIS_IS_NOT_VALID_TOKEN\"",
            "T1",
            Confidence::MediumHigh,
        ),
        known: Some(ledger_entry("garbage-token", "$.steps[0].message")),
    }];

    let mut drift = report("sms-enabled-and-preferred", target, Status::Drift);
    drift.steps = vec![
        step("prefer sms", "SetUserMFAPreference", 200, None, None),
        step("get user | after", "GetUser", 200, None, None),
    ];
    drift.drift = diff(
        &json!({"steps": [{}, {"body": {"UserMFASettingList": ["SMS_MFA"], "PreferredMfaSetting": "SMS_MFA"}}]}),
        &json!({"steps": [{}, {"body": {"PreferredMfaSetting": "<sms>"}}]}),
    );

    let mut contract = report(
        "revoked-by-global-sign-out",
        target,
        Status::ContractViolation,
    );
    contract.steps = vec![step(
        "set preference with revoked token",
        "SetUserMFAPreference",
        200,
        None,
        None,
    )];
    contract.findings = vec![
        Finding {
            step: "set preference with revoked token".into(),
            path: "$.steps[0].status".into(),
            deviation: deviation(
                Check::Status,
                "status 400",
                "status 200",
                "T3",
                Confidence::High,
            ),
            known: None,
        },
        Finding {
            step: "set preference with revoked token".into(),
            path: "$.steps[0].error".into(),
            deviation: deviation(
                Check::Error,
                "error InvalidParameterException",
                "no error (status 200)",
                "S4",
                Confidence::Medium,
            ),
            known: None,
        },
    ];
    contract.gone = vec![ledger_entry(
        "revoked-by-global-sign-out",
        "$.steps[0].message",
    )];

    let mut fault = report("totp-after-verification", target, Status::TargetFault);
    fault.fault = Some(Fault {
        during: "setup: CreateUserPool".into(),
        span: Span::new(3, 1),
        message: "the target answered text/html <b>Bad Gateway</b>".into(),
        ..Default::default()
    });

    let mut skipped = report("wrong-json-type", target, Status::Skipped);
    skipped.elapsed = Duration::ZERO;
    skipped.notes = vec!["targets: excludes this target".into()];

    vec![known, drift, contract, fault, skipped]
}
