//! Output-shape conformance end to end: the real binary runs a probe scenario against a real moto
//! behind a proxy that breaks one rule of the model in one answer. Each break must be reported as a
//! `model` finding at its JSON path with the rule it breaks; the unchanged proxy shows only moto's own
//! violations, so a finding is the change's doing and not the proxy's.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::proxy::{self, Mutation};
use rstest::rstest;
use serde_json::{json, Value};

/// moto's own answers to the probe break the model here (and only here): its fixed TOTP secret
/// `asdfasdfasdf` is 12 characters, under SecretCodeType's minimum of 16 (M12).
const MOTO_OWN: &[(&str, &str)] = &[("$.steps[0].body.SecretCode", "model-min")];

fn unchanged(_: &str, _: u16, _: &Value) -> Option<(u16, Value)> {
    None
}
fn date_as_iso_text(op: &str, status: u16, body: &Value) -> Option<(u16, Value)> {
    (op == "AdminGetUser" && status == 200).then(|| {
        let mut b = body.clone();
        b["UserCreateDate"] = json!("2026-12-02T15:00:00.000Z");
        (status, b)
    })
}
fn short_lower_case_secret(op: &str, status: u16, body: &Value) -> Option<(u16, Value)> {
    (op == "AssociateSoftwareToken" && status == 200).then(|| {
        let mut b = body.clone();
        b["SecretCode"] = json!("qwertyuiopas");
        (status, b)
    })
}
fn conforming_secret(op: &str, status: u16, body: &Value) -> Option<(u16, Value)> {
    (op == "AssociateSoftwareToken" && status == 200).then(|| {
        let mut b = body.clone();
        b["SecretCode"] = json!("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
        (status, b)
    })
}
fn unknown_challenge(op: &str, status: u16, body: &Value) -> Option<(u16, Value)> {
    (op == "AdminInitiateAuth" && status == 200).then(|| {
        let mut b = body.clone();
        b["ChallengeName"] = json!("SMS_CODE");
        (status, b)
    })
}
fn extra_member(op: &str, status: u16, body: &Value) -> Option<(u16, Value)> {
    (op == "SetUserMFAPreference" && status == 200).then(|| {
        let mut b = body.clone();
        b["PreferenceVersion"] = json!(2);
        (status, b)
    })
}

struct Expected {
    /// Findings (path, check) the change adds to moto's own.
    added: &'static [(&'static str, &'static str)],
    /// moto's own findings the change removes.
    removed: &'static [(&'static str, &'static str)],
    /// Whether the added findings fail the run (binding) or only warn.
    binding: bool,
}

#[rstest]
#[case::unchanged(unchanged, Expected { added: &[], removed: &[], binding: true })]
#[case::timestamp_as_text(
    date_as_iso_text,
    Expected { added: &[("$.steps[1].body.UserCreateDate", "model-type")], removed: &[], binding: true }
)]
#[case::short_secret(
    short_lower_case_secret,
    Expected { added: &[], removed: &[], binding: true }
)]
#[case::conforming_secret(
    conforming_secret,
    Expected { added: &[], removed: &[("$.steps[0].body.SecretCode", "model-min")], binding: true }
)]
#[case::unknown_challenge_name(
    unknown_challenge,
    Expected { added: &[("$.steps[3].body.ChallengeName", "model-enum")], removed: &[], binding: true }
)]
#[case::extra_member(
    extra_member,
    Expected { added: &[("$.steps[2].body.PreferenceVersion", "model-unknown-member")], removed: &[], binding: false }
)]
fn each_broken_rule_is_reported_at_its_path(#[case] mutate: Mutation, #[case] want: Expected) {
    let report = run_probe(mutate);
    let scenario = &report["scenarios"][0];
    assert!(
        scenario["fault"].is_null(),
        "the probe ran to its end: {scenario}"
    );
    let findings = scenario["findings"].as_array().cloned().unwrap_or_default();
    let model: Vec<&Value> = findings.iter().filter(|f| f["fact"] == "model").collect();
    let got: BTreeSet<(String, String)> = model
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or_default().to_owned(),
                f["check"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let mut expected: BTreeSet<(String, String)> = MOTO_OWN
        .iter()
        .chain(want.added)
        .map(|(p, c)| ((*p).to_owned(), (*c).to_owned()))
        .collect();
    for (p, c) in want.removed {
        expected.remove(&((*p).to_owned(), (*c).to_owned()));
    }
    assert_eq!(got, expected, "model findings: {model:#?}");
    for f in &model {
        assert_eq!(f["confidence"], "HIGH", "{f}");
        let added = want.added.iter().any(|(p, _)| f["path"] == *p);
        if added {
            assert_eq!(f["binding"], want.binding, "{f}");
        }
    }
    if let Some(secret) = model
        .iter()
        .find(|f| f["path"] == "$.steps[0].body.SecretCode")
    {
        assert_eq!(
            secret["expected"],
            "at least 16 characters (SecretCodeType at $.SecretCode)"
        );
        assert_eq!(secret["actual"], "12 characters");
    }
}

/// The probe scenario through the proxy, as the JSON report. `--target moto` picks moto's ledger,
/// which has no entry for the probe: every model finding is reported as unknown.
fn run_probe(mutate: Mutation) -> Value {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let proxy = rt.block_on(proxy::start(moto.url.clone(), mutate, |_| None));
    let file = common::root().join("harness/tests/data/conformance/answers.yaml");
    let out = rt.block_on(async {
        tokio::task::spawn_blocking(move || {
            Command::new(env!("CARGO_BIN_EXE_cognito-drift"))
                .current_dir(common::root())
                .args(["run", "--target", "moto", "--endpoint", &proxy.url])
                .args(["--format", "json", "--confirm", "0"])
                .arg(&file)
                .env("CI", "true")
                .env("NO_COLOR", "1")
                .output()
                .expect("binary runs")
        })
        .await
        .expect("join")
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the probe has no snapshot, so it is `new`:\n{stdout}\n{stderr}"
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("json report: {e}\n{stdout}\n{stderr}"))
}
