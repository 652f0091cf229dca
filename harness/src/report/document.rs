//! The report of one run as plain data: what the JSON report serialises field by field (documented in
//! README "Report formats") and what the Markdown and HTML reports render. Built from normalised
//! reports only, so it holds no secret.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value as Json;

use crate::diagnostic::render;
use crate::observation::FaultKind;
use crate::span::Span;
use crate::verdict::diff::{DiffKind, Difference};
use crate::verdict::ledger::Divergence;
use crate::verdict::{Finding, ScenarioReport};

/// Names the JSON layout; bumped when a field changes meaning or disappears.
pub(crate) const RUN_SCHEMA: &str = "cognito-drift/run/v1";

#[derive(Debug, Clone, Serialize)]
pub struct RunDocument {
    pub schema: &'static str,
    pub target: String,
    pub summary: Summary,
    pub scenarios: Vec<ScenarioDoc>,
}

/// Scenario counts: `total`, and one count per status that occurs (`pass`, `drift`, ...).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub total: usize,
    pub failed: usize,
    pub by_status: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioDoc {
    pub name: String,
    pub path: String,
    /// `pass`, `new`, `drift`, `contract`, `error`, `fault`, `skipped` (and any status added later).
    pub status: String,
    /// Whether this status fails a run.
    pub failed: bool,
    pub elapsed_ms: u64,
    /// Part of `elapsed_ms` spent waiting for fresh TOTP time steps (other scenarios ran meanwhile);
    /// left out when 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub totp_wait_ms: u64,
    /// Which of the target's instances ran it (0-based); left out when 0 (the first or only one).
    #[serde(skip_serializing_if = "is_zero")]
    pub instance: usize,
    /// It ran in a pool shared with other scenarios; left out when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub shared_pool: bool,
    pub steps: Vec<StepDoc>,
    pub drift: Vec<DriftDoc>,
    pub findings: Vec<FindingDoc>,
    /// Ledger entries that no longer reproduce ("divergence gone — remove it").
    pub gone: Vec<LedgerDoc>,
    pub fault: Option<FaultDoc>,
    pub diagnostics: Vec<DiagnosticDoc>,
    pub notes: Vec<String>,
    /// A `.snap.new` written by this run, to review.
    pub pending_snapshot: Option<String>,
}

/// One executed step, summarised.
#[derive(Debug, Clone, Serialize)]
pub struct StepDoc {
    pub name: String,
    pub operation: String,
    pub status: u16,
    pub error: Option<String>,
}

/// One difference from the snapshot (or, in a matrix, from the reference target).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriftDoc {
    /// JSON path into the observation document, e.g. `$.steps[1].body.UserMFASettingList`.
    pub path: String,
    /// The step's name, when the path is inside a step.
    pub step: Option<String>,
    /// `changed`, `missing` (expected, absent) or `added` (only in the actual answer).
    pub kind: &'static str,
    pub expected: Option<Json>,
    pub actual: Option<Json>,
}

/// A failed `expect:` check.
#[derive(Debug, Clone, Serialize)]
pub struct FindingDoc {
    pub step: String,
    /// JSON path of the failed check in the observation document: `$.steps[0].message`.
    pub path: String,
    /// `status`, `error`, `message` or `body`.
    pub check: &'static str,
    pub expected: String,
    pub actual: String,
    /// Contract fact id, e.g. `T1`.
    pub fact: String,
    /// `HIGH`, `MED-HIGH`, `MEDIUM`, `LOW`.
    pub confidence: &'static str,
    /// HIGH and MED-HIGH facts bind: an unknown departure fails the run.
    pub binding: bool,
    pub line: u32,
    pub column: u32,
    /// The ledger entry that makes this a known divergence.
    pub known: Option<LedgerDoc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LedgerDoc {
    pub path: String,
    pub step: Option<String>,
    pub reason: String,
    pub link: Option<String>,
    pub review_by: Option<String>,
    /// Line in `divergences.yaml`.
    pub ledger_line: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct FaultDoc {
    pub during: String,
    pub message: String,
    pub line: u32,
    pub column: u32,
    /// `target` (a fault) or `unsupported` (the target does not implement what `during` needs).
    pub kind: &'static str,
    /// For a step the target does not support: its index; the steps before it were verified.
    pub step: Option<usize>,
    pub steps_total: usize,
    /// The fault as the diagnostic renderer shows it (gutter, caret, no colour); the page formats
    /// quote it, the JSON document leaves it out.
    #[serde(skip)]
    pub rendered: String,
}

impl FaultDoc {
    /// `7 of 12 steps · unsupported at step 8 `name``, for a partial run.
    pub(crate) fn partial_text(&self) -> Option<String> {
        let step = self.step.filter(|_| self.kind == "unsupported")?;
        Some(format!(
            "{step} of {} steps · unsupported at step {} `{}`",
            self.steps_total,
            step + 1,
            self.during
        ))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticDoc {
    pub title: String,
    pub line: u32,
    pub column: u32,
    pub label: String,
    pub help: Option<String>,
    pub notes: Vec<String>,
    /// The diagnostic as the renderer shows it (gutter, caret, no colour); not in the JSON document.
    #[serde(skip)]
    pub rendered: String,
}

impl RunDocument {
    pub fn new(reports: &[ScenarioReport], target: &str) -> RunDocument {
        let scenarios: Vec<ScenarioDoc> = reports.iter().map(ScenarioDoc::from).collect();
        RunDocument {
            schema: RUN_SCHEMA,
            target: target.to_owned(),
            summary: Summary::of(scenarios.iter().map(|s| (s.status.as_str(), s.failed))),
            scenarios,
        }
    }
}

impl Summary {
    /// Counts `(status, failed)` pairs.
    pub fn of<'a>(statuses: impl Iterator<Item = (&'a str, bool)>) -> Summary {
        let mut s = Summary {
            total: 0,
            failed: 0,
            by_status: BTreeMap::new(),
        };
        for (status, failed) in statuses {
            s.total += 1;
            s.failed += usize::from(failed);
            *s.by_status.entry(status.to_owned()).or_default() += 1;
        }
        s
    }
}

fn is_zero<N: Default + PartialEq>(n: &N) -> bool {
    *n == N::default()
}

impl From<&ScenarioReport> for ScenarioDoc {
    fn from(r: &ScenarioReport) -> ScenarioDoc {
        let step_names: Vec<&str> = r.steps.iter().map(|s| s.name.as_str()).collect();
        ScenarioDoc {
            name: r.name.clone(),
            path: r.path.display().to_string(),
            status: r.status.as_str().to_owned(),
            failed: r.status.is_failure(),
            elapsed_ms: u64::try_from(r.elapsed.as_millis()).unwrap_or(u64::MAX),
            totp_wait_ms: u64::try_from(r.totp_wait.as_millis()).unwrap_or(u64::MAX),
            instance: r.instance,
            shared_pool: r.shared_pool,
            steps: r
                .steps
                .iter()
                .map(|s| StepDoc {
                    name: s.name.clone(),
                    operation: s.operation.clone(),
                    status: s.observation.status,
                    error: s.observation.error.clone(),
                })
                .collect(),
            drift: drift_docs(&r.drift, &step_names),
            findings: r.findings.iter().map(finding_doc).collect(),
            gone: r.gone.iter().map(ledger_doc).collect(),
            fault: r.fault.as_ref().map(|f| FaultDoc {
                during: f.during.clone(),
                message: f.message.clone(),
                line: f.span.line,
                column: f.span.column,
                kind: match f.kind {
                    FaultKind::Target => "target",
                    FaultKind::Unsupported => "unsupported",
                },
                step: f.step.filter(|_| f.is_partial()),
                steps_total: f.steps_total,
                rendered: super::details::fault_diagnostic(r)
                    .map(|d| render(&d, &r.source, false))
                    .unwrap_or_default(),
            }),
            diagnostics: r
                .diagnostics
                .iter()
                .map(|d| DiagnosticDoc {
                    title: d.title.clone(),
                    line: d.span.line,
                    column: d.span.column,
                    label: d.label.clone(),
                    help: d.help.clone(),
                    notes: d.notes.clone(),
                    rendered: render(d, &r.source, false),
                })
                .collect(),
            notes: r.notes.clone(),
            pending_snapshot: r.pending_written.as_ref().map(|p| p.display().to_string()),
        }
    }
}

/// Differences with the name of the step each one is in.
pub(crate) fn drift_docs(diffs: &[Difference], step_names: &[&str]) -> Vec<DriftDoc> {
    diffs
        .iter()
        .map(|d| DriftDoc {
            path: d.path.clone(),
            step: step_index(&d.path)
                .and_then(|i| step_names.get(i))
                .map(|s| (*s).to_owned()),
            kind: kind_str(d.kind),
            expected: d.expected.clone(),
            actual: d.actual.clone(),
        })
        .collect()
}

pub(crate) fn kind_str(k: DiffKind) -> &'static str {
    match k {
        DiffKind::Changed => "changed",
        DiffKind::Missing => "missing",
        DiffKind::Added => "added",
    }
}

/// `$.steps[3].body` → 3.
pub fn step_index(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("$.steps[")?;
    rest[..rest.find(']')?].parse().ok()
}

fn finding_doc(f: &Finding) -> FindingDoc {
    let d = &f.deviation;
    let Span { line, column } = d.span;
    FindingDoc {
        step: f.step.clone(),
        path: f.path.clone(),
        check: d.check.as_str(),
        expected: d.expected.clone(),
        actual: d.actual.clone(),
        fact: d.source.clone(),
        confidence: d.confidence.as_str(),
        binding: d.is_binding(),
        line,
        column,
        known: f.known.as_ref().map(ledger_doc),
    }
}

pub(crate) fn ledger_doc(d: &Divergence) -> LedgerDoc {
    LedgerDoc {
        path: d.path.clone(),
        step: d.step.clone(),
        reason: d.reason.clone(),
        link: d.link.clone(),
        review_by: d.review_by.clone(),
        ledger_line: d.line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_statuses_and_failures() {
        let s = Summary::of(
            [("pass", false), ("drift", true), ("pass", false)]
                .iter()
                .copied(),
        );
        assert_eq!((s.total, s.failed), (3, 1));
        assert_eq!(s.by_status.get("pass"), Some(&2));
        assert_eq!(s.by_status.get("drift"), Some(&1));
    }

    #[test]
    fn step_index_reads_the_first_index() {
        assert_eq!(step_index("$.steps[3].body.A[1]"), Some(3));
        assert_eq!(step_index("$.steps"), None);
        assert_eq!(step_index("$.other[1]"), None);
    }
}
