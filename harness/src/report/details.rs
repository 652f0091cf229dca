//! The explanation of one scenario's verdict: drift by JSON path, contract deviations, faults and file
//! errors, each pointing at the scenario line. Shared by every report format.

use std::fmt::Write;

use crate::diagnostic::{render, Diagnostic, Severity};
use crate::observation::FaultKind;
use crate::span::Span;
use crate::verdict::diff::{render_differences, Difference};
use crate::verdict::{ScenarioReport, Status};

/// Text explaining everything noteworthy in `r` (empty for a clean pass).
pub fn details(r: &ScenarioReport, color: bool) -> String {
    let mut out = String::new();
    for d in &r.diagnostics {
        out.push_str(&render(d, &r.source, color));
        out.push('\n');
    }
    if let Some(d) = fault_diagnostic(r) {
        out.push_str(&render(&d, &r.source, color));
        out.push('\n');
    }
    match r.status {
        Status::New => {
            let _ = writeln!(out, "no snapshot for `{}` on {} yet: record one with `cognito-drift record` and review it", r.name, r.target);
        }
        Status::Drift => out.push_str(&drift(r, color)),
        _ => {}
    }
    let (quiet, loud): (Vec<_>, Vec<_>) = r.findings.iter().partition(|f| is_known_warning(f));
    if !quiet.is_empty() {
        let mut paths: Vec<&str> = quiet
            .iter()
            .filter_map(|f| f.deviation.body_path.as_deref())
            .collect();
        paths.sort_unstable();
        paths.dedup();
        let _ = writeln!(
            out,
            "note: {} answer member{} outside the model, known in the ledger: {}",
            quiet.len(),
            if quiet.len() == 1 { "" } else { "s" },
            paths.join(", ")
        );
    }
    for f in loud {
        let dev = &f.deviation;
        let (severity, title, mut notes) = match &f.known {
            Some(k) => (
                Severity::Note,
                format!("known divergence in step `{}` at {}", f.step, f.path),
                vec![format!("ledger: {}", k.reason)],
            ),
            None if dev.check.rule().is_some() => (
                if dev.is_binding() {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                format!(
                    "answer breaks the model (`{}`) in step `{}` at {}",
                    dev.check.rule().map_or("", |r| r.as_str()),
                    f.step,
                    f.path
                ),
                Vec::new(),
            ),
            None if dev.is_binding() => (
                Severity::Error,
                format!("contract violation in step `{}`", f.step),
                Vec::new(),
            ),
            None => (
                Severity::Warning,
                format!("unconfirmed contract deviation in step `{}`", f.step),
                Vec::new(),
            ),
        };
        notes.push(format!(
            "source: {} ({})",
            dev.source,
            dev.confidence.as_str()
        ));
        let mut d = diag(r, title, dev.span, format!("expected {}", dev.expected));
        d.severity = severity;
        d.notes = std::iter::once(format!("actual: {}", dev.actual))
            .chain(notes)
            .collect();
        out.push_str(&render(&d, &r.source, color));
        out.push('\n');
    }
    for g in &r.gone {
        let _ = writeln!(
            out,
            "divergence gone — remove it: ledger line {} says `{}` departs at {}, but it now meets the contract",
            g.line,
            g.scenario,
            g.path
        );
    }
    for n in &r.notes {
        let _ = writeln!(out, "note: {n}");
    }
    if let Some(p) = &r.pending_written {
        let _ = writeln!(
            out,
            "wrote {} (review with `cargo insta review` or `cognito-drift record --accept`)",
            p.display()
        );
    }
    out
}

/// The fault that ended `r`'s run, as a diagnostic at the step or fixture it happened in: every
/// report format renders it with the one renderer.
pub(crate) fn fault_diagnostic(r: &ScenarioReport) -> Option<Diagnostic> {
    let f = r.fault.as_ref()?;
    let title = match f.kind {
        FaultKind::Target => format!("target fault during `{}`", f.during),
        FaultKind::Unsupported if f.is_partial() => format!(
            "{} does not support step `{}`: the {} steps before it were verified, the rest did not run",
            r.target,
            f.during,
            f.step.unwrap_or_default()
        ),
        FaultKind::Unsupported => format!("{} does not support `{}`", r.target, f.during),
    };
    let mut d = diag(r, title, f.span, f.message.clone());
    if f.kind == FaultKind::Unsupported {
        d.severity = Severity::Warning;
    }
    Some(d)
}

fn drift(r: &ScenarioReport, color: bool) -> String {
    let mut out = String::new();
    let mut by_step: Vec<(Option<usize>, Vec<Difference>)> = Vec::new();
    for d in &r.drift {
        let idx = step_index(&d.path);
        match by_step.last_mut() {
            Some((i, v)) if *i == idx => v.push(d.clone()),
            _ => by_step.push((idx, vec![d.clone()])),
        }
    }
    for (idx, diffs) in by_step {
        let step = idx.and_then(|i| r.steps.get(i));
        let (title, span) = match step {
            Some(s) => (format!("drift in step `{}`", s.name), s.span),
            None => (
                "drift: the steps differ from the snapshot".to_owned(),
                Span::UNKNOWN,
            ),
        };
        let mut d = diag(r, title, span, "answer differs from the snapshot".into());
        d.notes = vec![format!(
            "snapshot vs actual:\n{}",
            render_differences(&diffs)
        )];
        out.push_str(&render(&d, &r.source, color));
        out.push('\n');
    }
    out
}

/// A member outside the model that the ledger knows: one summary line per scenario, not a block each
/// (a target may add the same members to every answer of an operation).
fn is_known_warning(f: &crate::verdict::Finding) -> bool {
    f.known.is_some() && f.deviation.check.rule().is_some_and(|r| r.is_warning())
}

/// `$.steps[3].body` → 3.
fn step_index(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("$.steps[")?;
    rest[..rest.find(']')?].parse().ok()
}

fn diag(r: &ScenarioReport, title: String, span: Span, label: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        title,
        path: r.path.clone(),
        span,
        label,
        help: None,
        notes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::{details, step_index};
    use crate::model::{Rule, Violation};
    use crate::verdict::contract::Deviation;
    use crate::verdict::Finding;

    #[test]
    fn known_members_outside_the_model_are_one_line() {
        let mut r = crate::report::fixture::reports("ministack").remove(0);
        r.findings = ["$.UserStatus", "$.Enabled", "$.UserStatus"]
            .iter()
            .map(|path| {
                let v = Violation {
                    path: (*path).into(),
                    rule: Rule::UnknownMember,
                    shape: "GetUserResponse".into(),
                    expected: "only the members of `GetUserResponse`".into(),
                    actual: "not in the model".into(),
                };
                Finding {
                    step: "garbage token".into(),
                    path: format!("$.steps[0].body{}", &path[1..]),
                    deviation: Deviation::from_violation(
                        &v,
                        crate::span::Span::new(3, 9),
                        str::to_owned,
                    ),
                    known: Some(crate::report::fixture::ledger_entry("", path)),
                }
            })
            .collect();
        let text = details(&r, false);
        assert!(
            text.contains("note: 3 answer members outside the model, known in the ledger: $.Enabled, $.UserStatus\n"),
            "{text}"
        );
        assert!(!text.contains("known divergence in step"), "{text}");
    }

    #[test]
    fn step_index_reads_the_first_index() {
        assert_eq!(step_index("$.steps[3].body.A[1]"), Some(3));
        assert_eq!(step_index("$.steps"), None);
        assert_eq!(step_index("$.other[1]"), None);
    }
}
