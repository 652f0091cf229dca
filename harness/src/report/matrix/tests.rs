#![allow(clippy::unwrap_used)]

use serde_json::json;

use super::*;
use crate::report::fixture::{ledger_entry, reports, step};
use crate::verdict::{snapshot_body, Status};

/// moto as the fixture has it; `mutant` answers `garbage-token` with another message and faults on
/// `revoked-by-global-sign-out`.
fn targets() -> Vec<TargetRun> {
    let mut moto_reports = reports("moto");
    moto_reports[1].findings = model_findings();
    let moto = TargetRun {
        name: "moto".into(),
        version: "5.2.1".into(),
        reports: moto_reports,
        ledger: vec![ledger_entry("garbage-token", "$.steps[0].message")],
    };
    let mut mutant_reports = reports("mutant");
    mutant_reports[0].status = Status::Drift;
    mutant_reports[0].findings.clear();
    mutant_reports[0].steps = vec![step(
        "garbage token",
        "SetUserMFAPreference",
        400,
        Some("NotAuthorizedException"),
        Some("Invalid Access Token"),
    )];
    mutant_reports[2].status = Status::TargetFault;
    mutant_reports[2].fault = mutant_reports[3].fault.clone();
    mutant_reports[2].findings.clear();
    mutant_reports[2].gone.clear();
    let mutant = TargetRun {
        name: "mutant".into(),
        version: "unknown".into(),
        reports: mutant_reports,
        ledger: Vec::new(),
    };
    vec![moto, mutant]
}

/// A known `min` violation and an unknown member (a warning) in the second step's answer.
fn model_findings() -> Vec<crate::verdict::Finding> {
    use crate::model::{Rule, Violation};
    use crate::verdict::contract::Deviation;
    let violation = |rule, path: &str| Violation {
        path: path.into(),
        rule,
        shape: "SecretCodeType".into(),
        expected: "at least 16 characters".into(),
        actual: "12 characters".into(),
    };
    let finding = |v: &Violation, known: bool| crate::verdict::Finding {
        step: "get user | after".into(),
        path: format!("$.steps[1].body{}", &v.path[1..]),
        deviation: Deviation::from_violation(v, crate::span::Span::new(9, 11), str::to_owned),
        known: known.then(|| crate::verdict::ledger::Divergence {
            rule: Some(v.rule),
            ..ledger_entry("sms-enabled-and-preferred", "$.steps[1].body.SecretCode")
        }),
    };
    vec![
        finding(&violation(Rule::Min, "$.SecretCode"), true),
        finding(&violation(Rule::UnknownMember, "$.Extra"), false),
    ]
}

#[test]
fn each_cell_and_target_counts_its_answers_that_break_the_model() {
    let m = Matrix::build(&targets(), None);
    let c = m.scenarios[1].cells[0].conformance;
    assert_eq!(
        c,
        Conformance {
            violations: 1,
            warnings: 1,
            known: 1
        }
    );
    assert_eq!(c.text(), "⚠️ 1 · 1 warning (1 known)");
    assert_eq!(m.targets[0].conformance, c);
    assert!(m.targets[1].conformance.is_clean());
    assert_eq!(m.scenarios[0].cells[0].conformance.text(), "✅");
    let md = markdown::render(&m);
    assert!(
        md.contains("| scenario | moto | moto model | mutant | mutant model |"),
        "{md}"
    );
    assert!(html::render(&m).contains("<th>moto model</th>"));
}

#[test]
fn cells_follow_scenarios_and_targets() {
    let m = Matrix::build(&targets(), None);
    assert_eq!(
        m.baseline,
        Baseline {
            kind: "first-target",
            name: "moto".into()
        }
    );
    let grid: Vec<Vec<&str>> = m
        .scenarios
        .iter()
        .map(|r| r.cells.iter().map(|c| c.status.as_str()).collect())
        .collect();
    assert_eq!(
        grid,
        vec![
            vec!["pass", "drift"],
            vec!["drift", "drift"],
            vec!["contract", "fault"],
            vec!["fault", "fault"],
            vec!["skipped", "skipped"],
        ]
    );
    assert_eq!(m.scenarios[0].cells[0].known_divergences, 1);
    assert_eq!(m.cell_counts().get("fault"), Some(&3));
}

#[test]
fn differences_between_targets_are_located_by_json_path_and_marked_known() {
    let m = Matrix::build(&targets(), None);
    let b = &m.scenarios[0].between;
    assert_eq!(
        b.len(),
        1,
        "the baseline target is not compared with itself"
    );
    assert_eq!((b[0].target.as_str(), b[0].state), ("mutant", "differs"));
    let paths: Vec<&str> = b[0]
        .differences
        .iter()
        .map(|d| d.diff.path.as_str())
        .collect();
    assert_eq!(paths, vec!["$.steps[0].message", "$.steps[0].body.message"]);
    let first = &b[0].differences[0];
    assert_eq!(first.diff.expected, Some(json!("THIS_IS_NOT_VALID_TOKEN")));
    assert_eq!(first.diff.actual, Some(json!("Invalid Access Token")));
    assert_eq!(first.diff.step.as_deref(), Some("garbage token"));
    assert_eq!(
        first.known.as_ref().map(|k| k.target.as_str()),
        Some("moto")
    );
    assert!(b[0].differences[1].known.is_none());
    assert_eq!(m.scenarios[1].between[0].state, "same");
    let unavailable = &m.scenarios[2].between[0];
    assert_eq!(unavailable.state, "unavailable");
    assert!(unavailable
        .reason
        .as_deref()
        .unwrap()
        .contains("target fault"));
}

#[test]
fn a_reference_is_the_baseline_for_every_target() {
    let t = targets();
    let mut reference = Reference {
        name: "aws".into(),
        ..Reference::default()
    };
    reference.snapshots.insert(
        "garbage-token".into(),
        snapshot_body(&t[1].reports[0].steps),
    );
    let m = Matrix::build(&t, Some(&reference));
    assert_eq!(m.baseline.kind, "reference");
    let b = &m.scenarios[0].between;
    assert_eq!(
        b.iter()
            .map(|b| (b.target.as_str(), b.state))
            .collect::<Vec<_>>(),
        vec![("moto", "differs"), ("mutant", "same")]
    );
    assert_eq!(b[0].against, "aws");
    let missing = &m.scenarios[1].between[0];
    assert_eq!(missing.state, "unavailable");
    assert_eq!(
        missing.reason.as_deref(),
        Some("no recorded snapshot of `aws`")
    );
}

#[test]
fn a_status_added_later_is_rendered_by_its_word() {
    let m = Matrix::build(&targets(), None);
    let mut m2 = m.clone();
    m2.scenarios[4].cells[1].status = "unsupported".into();
    assert!(markdown::render(&m2).contains("🚫 unsupported"));
    assert!(html::render(&m2).contains("st-unsupported"));
}

#[test]
fn markdown_matrix() {
    insta::assert_snapshot!(markdown::render(&Matrix::build(&targets(), None)));
}

#[test]
fn json_matrix() {
    let m = Matrix::build(&targets(), None);
    insta::assert_json_snapshot!(serde_json::to_value(&m).unwrap());
}

#[test]
fn junit_matrix_has_one_suite_per_target() {
    let t = targets();
    let m = Matrix::build(&t, None);
    let mut buf = Vec::new();
    junit::write(&mut buf, &t, &m).unwrap();
    let xml = String::from_utf8(buf).unwrap();
    assert_eq!(xml.matches("<testsuite ").count(), 2, "{xml}");
    assert!(xml.contains("name=\"mutant\""));
    assert!(xml.contains("differences from moto:"));
    assert!(xml.contains("$.steps[0].message"));
}

#[test]
fn html_matrix_is_one_page_without_scripts_or_external_requests() {
    let page = html::render(&Matrix::build(&targets(), None));
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(!page.contains("<script"));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "no external request"
    );
    assert!(page.contains("href=\"#garbage-token--mutant\""));
    assert!(page.contains("id=\"garbage-token--mutant\""));
    assert!(
        page.contains("&lt;b&gt;Bad Gateway&lt;/b&gt;"),
        "fault text is escaped"
    );
}

#[test]
fn the_recorded_operation_support_is_on_the_matrix_page() {
    use crate::support::{Column, Support, SupportTable};
    let mut m = Matrix::build(&targets(), None);
    let table = SupportTable::new(
        "2026-12-02",
        "botocore 1",
        vec![(
            Column {
                target: "moto".into(),
                version: "5.2.1".into(),
                lock: None,
            },
            vec![(
                "DescribeTerms".into(),
                Support::Fault {
                    answer: "500 off-protocol".into(),
                },
            )],
        )],
    );
    let names: Vec<&str> = m.targets.iter().map(|t| t.name.as_str()).collect();
    m.support = table.restricted(&names);
    let md = markdown::render(&m);
    assert!(md.contains("### Operation support"), "{md}");
    assert!(
        md.contains("| `DescribeTerms` | ⚠️ fault (500 off-protocol) |"),
        "{md}"
    );
    let page = html::render(&m);
    assert!(page.contains("<h2>Operation support</h2>"));
    assert!(page.contains("moto: 0 of 1 implemented"), "{page}");
    assert!(table.restricted(&["nobody"]).is_none());
}
