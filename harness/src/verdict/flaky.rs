//! Flake control's verdict side: what a verdict says, line by line, so re-runs can be compared, and the
//! flaky report for re-runs that disagree.

use serde_json::Value as Json;

use super::diff::DiffKind;
use super::outcome::{ScenarioReport, Status};

/// Lines of one run's verdict shown in a flaky report before the rest is summarised.
const SHOWN_PER_RUN: usize = 5;

/// Only verdicts that claim the target changed are worth confirming.
pub fn needs_confirmation(status: Status) -> bool {
    matches!(status, Status::Drift | Status::ContractViolation)
}

/// What a verdict says, one line per difference or finding (already normalised, so comparable across
/// runs on fresh pools).
pub fn signature(r: &ScenarioReport) -> Vec<String> {
    let mut out = Vec::new();
    for d in &r.drift {
        let show = |v: &Option<Json>| v.as_ref().map_or("absent".to_owned(), Json::to_string);
        let kind = match d.kind {
            DiffKind::Changed => "changed",
            DiffKind::Missing => "missing",
            DiffKind::Added => "added",
        };
        out.push(format!(
            "{kind} {}: snapshot {}, actual {}",
            d.path,
            show(&d.expected),
            show(&d.actual)
        ));
    }
    for f in &r.findings {
        let dev = &f.deviation;
        out.push(format!(
            "step `{}` {}: expected {}, actual {}{}",
            f.step,
            dev.check.as_str(),
            dev.expected,
            dev.actual,
            if f.known.is_some() { " (known)" } else { "" }
        ));
    }
    for g in &r.gone {
        out.push(format!("ledger line {} no longer reproduces", g.line));
    }
    if let Some(f) = &r.fault {
        out.push(format!("fault during `{}`: {}", f.during, f.message));
    }
    out.push(format!("status {}", r.status.as_str()));
    out
}

/// The first run's report, marked flaky, with what each run saw in its notes.
pub fn flaky(
    mut report: ScenarioReport,
    verdict: Vec<String>,
    reruns: &[(Status, Vec<String>)],
) -> ScenarioReport {
    let first = report.status;
    report.status = Status::Flaky;
    report.pending_written = None;
    report.notes.push(format!(
        "flaky: the first run said {}, {} re-run{} on fresh pools did not agree; nothing was written",
        first.as_str(),
        reruns.len(),
        if reruns.len() == 1 { "" } else { "s" }
    ));
    report.notes.push(describe("first run", first, &verdict));
    for (i, (status, lines)) in reruns.iter().enumerate() {
        let what = if *lines == verdict {
            "same as the first run".to_owned()
        } else {
            describe_lines(*status, lines)
        };
        report.notes.push(format!("re-run {}: {what}", i + 1));
    }
    report
}

fn describe(label: &str, status: Status, lines: &[String]) -> String {
    format!("{label}: {}", describe_lines(status, lines))
}

fn describe_lines(status: Status, lines: &[String]) -> String {
    let detail: Vec<&String> = lines.iter().filter(|l| !l.starts_with("status ")).collect();
    let mut out = status.as_str().to_owned();
    for l in detail.iter().take(SHOWN_PER_RUN) {
        out.push_str("\n  ");
        out.push_str(l);
    }
    if detail.len() > SHOWN_PER_RUN {
        out.push_str(&format!("\n  … and {} more", detail.len() - SHOWN_PER_RUN));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::verdict::diff::Difference;
    use serde_json::json;

    fn report(status: Status, drift: Vec<Difference>) -> ScenarioReport {
        let mut r = ScenarioReport::new("s", "s.yaml".as_ref(), String::new(), "moto", status);
        r.drift = drift;
        r
    }

    fn changed(path: &str, a: &str, b: &str) -> Difference {
        Difference {
            path: path.into(),
            kind: DiffKind::Changed,
            expected: Some(json!(a)),
            actual: Some(json!(b)),
        }
    }

    #[test]
    fn signatures_differ_by_path_value_and_status() {
        let a = report(Status::Drift, vec![changed("$.steps[0].message", "x", "y")]);
        let b = report(Status::Drift, vec![changed("$.steps[0].message", "x", "z")]);
        let pass = report(Status::Pass, Vec::new());
        assert_eq!(signature(&a), signature(&a.clone()));
        assert_ne!(signature(&a), signature(&b));
        assert_ne!(signature(&a), signature(&pass));
        assert_eq!(
            signature(&a)[0],
            r#"changed $.steps[0].message: snapshot "x", actual "y""#
        );
    }

    #[test]
    fn a_flaky_report_says_what_each_run_saw() {
        let first = report(Status::Drift, vec![changed("$.steps[0].message", "x", "y")]);
        let verdict = signature(&first);
        let pass = report(Status::Pass, Vec::new());
        let reruns = vec![
            (Status::Pass, signature(&pass)),
            (Status::Drift, verdict.clone()),
        ];
        let r = flaky(first, verdict, &reruns);
        assert_eq!(r.status, Status::Flaky);
        assert!(!r.status.is_failure());
        assert_eq!(
            r.notes,
            [
                "flaky: the first run said drift, 2 re-runs on fresh pools did not agree; nothing was written",
                "first run: drift\n  changed $.steps[0].message: snapshot \"x\", actual \"y\"",
                "re-run 1: pass",
                "re-run 2: same as the first run",
            ]
        );
    }

    #[test]
    fn only_drift_and_contract_verdicts_are_confirmed() {
        assert!(needs_confirmation(Status::Drift));
        assert!(needs_confirmation(Status::ContractViolation));
        for s in [
            Status::Pass,
            Status::New,
            Status::TargetFault,
            Status::ScenarioError,
        ] {
            assert!(!needs_confirmation(s), "{s:?}");
        }
    }
}
