//! The conformance matrix as plain data (pure): scenario × target cells with each cell's verdict, and per
//! scenario what differs between targets by JSON path. `matrix.json` serialises it field by field.

use crate::support::SupportTable;
use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value as Json;

use super::compare::{between, Between};
use crate::report::document::{ScenarioDoc, Summary};
use crate::verdict::ledger::Divergence;
use crate::verdict::{ScenarioReport, Status};

/// Names the JSON layout; bumped when a field changes meaning or disappears.
pub const MATRIX_SCHEMA: &str = "cognito-drift/matrix/v1";

/// What one target produced in the matrix run.
#[derive(Debug, Clone)]
pub struct TargetRun {
    pub name: String,
    /// The version the target reported ("unknown" for an endpoint the user runs).
    pub version: String,
    /// One report per scenario, in scenario order.
    pub reports: Vec<ScenarioReport>,
    pub ledger: Vec<Divergence>,
}

/// Recorded snapshots of a target that is not run (e.g. `aws`, recorded at night): the baseline the
/// targets are compared with. Scenario name → snapshot body.
#[derive(Debug, Clone, Default)]
pub struct Reference {
    pub name: String,
    pub snapshots: BTreeMap<String, Json>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub schema: &'static str,
    pub targets: Vec<TargetInfo>,
    /// What the differences between targets are measured against.
    pub baseline: Baseline,
    pub scenarios: Vec<Row>,
    /// The recorded operation support of the targets (`docs/support.json`), restricted to the
    /// matrix's targets; `None` when none of them was recorded.
    pub support: Option<SupportTable>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetInfo {
    pub name: String,
    pub version: String,
    pub summary: Summary,
    /// Model-conformance findings over every scenario on this target.
    pub conformance: Conformance,
}

/// How many answers broke their model shape (findings with source `model`), in a cell or a target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Conformance {
    /// Rules that fail a run (every rule but `unknown-member`), known or not.
    pub violations: usize,
    /// Members outside the model: reported, never failed.
    pub warnings: usize,
    /// Of both, how many the target's ledger knows.
    pub known: usize,
}

impl Conformance {
    pub fn of(r: &ScenarioReport) -> Conformance {
        let mut c = Conformance::default();
        for f in r
            .findings
            .iter()
            .filter(|f| f.deviation.check.rule().is_some())
        {
            if f.deviation.is_binding() {
                c.violations += 1;
            } else {
                c.warnings += 1;
            }
            if f.known.is_some() {
                c.known += 1;
            }
        }
        c
    }

    fn add(self, o: Conformance) -> Conformance {
        Conformance {
            violations: self.violations + o.violations,
            warnings: self.warnings + o.warnings,
            known: self.known + o.known,
        }
    }

    pub(crate) fn is_clean(&self) -> bool {
        self.violations == 0 && self.warnings == 0
    }

    /// `✅`, or `⚠️ 2 (2 known) · 1 warning`.
    pub fn text(&self) -> String {
        if self.is_clean() {
            return "✅".into();
        }
        let mut parts = Vec::new();
        if self.violations > 0 {
            parts.push(format!("⚠️ {}", self.violations));
        }
        if self.warnings > 0 {
            let s = if self.warnings == 1 { "" } else { "s" };
            parts.push(format!("{} warning{s}", self.warnings));
        }
        let mut t = parts.join(" · ");
        if self.known > 0 {
            t.push_str(&format!(" ({} known)", self.known));
        }
        t
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Baseline {
    /// `reference` (recorded snapshots, not run) or `first-target`.
    pub kind: &'static str,
    pub name: String,
}

/// One scenario across the targets.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub name: String,
    pub path: String,
    /// One per target, in target order.
    pub cells: Vec<Cell>,
    /// Per target (the baseline target itself excluded), how its answers differ from the baseline's.
    pub between: Vec<Between>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub target: String,
    /// The scenario's status on this target (`pass`, `drift`, `contract`, `new`, `fault`, `skipped`, ...).
    pub status: String,
    pub failed: bool,
    /// Contract departures the target's ledger knows.
    pub known_divergences: usize,
    /// Answers that broke their model shape in this scenario.
    pub conformance: Conformance,
    /// The scenario's report on this target.
    pub report: ScenarioDoc,
}

impl Matrix {
    /// Builds the matrix; rows follow the first appearance of each scenario across the targets.
    pub fn build(targets: &[TargetRun], reference: Option<&Reference>) -> Matrix {
        let baseline = match (reference, targets.first()) {
            (Some(r), _) => Baseline {
                kind: "reference",
                name: r.name.clone(),
            },
            (None, Some(t)) => Baseline {
                kind: "first-target",
                name: t.name.clone(),
            },
            (None, None) => Baseline {
                kind: "first-target",
                name: String::new(),
            },
        };
        let mut names: Vec<(&str, String)> = Vec::new();
        for t in targets {
            for r in &t.reports {
                if !names.iter().any(|(n, _)| *n == r.name) {
                    names.push((&r.name, r.path.display().to_string()));
                }
            }
        }
        let scenarios = names
            .into_iter()
            .map(|(name, path)| Row {
                name: name.to_owned(),
                path,
                cells: targets.iter().map(|t| cell(t, name)).collect(),
                between: between(targets, reference, name),
            })
            .collect();
        Matrix {
            schema: MATRIX_SCHEMA,
            targets: targets
                .iter()
                .map(|t| TargetInfo {
                    name: t.name.clone(),
                    version: t.version.clone(),
                    summary: Summary::of(
                        t.reports
                            .iter()
                            .map(|r| (r.status.as_str(), r.status.is_failure())),
                    ),
                    conformance: t
                        .reports
                        .iter()
                        .map(Conformance::of)
                        .fold(Conformance::default(), Conformance::add),
                })
                .collect(),
            baseline,
            scenarios,
            support: None,
        }
    }

    /// Statuses of every cell, for the exit code.
    pub fn statuses<'a>(targets: &'a [TargetRun]) -> impl Iterator<Item = Status> + 'a {
        targets
            .iter()
            .flat_map(|t| t.reports.iter().map(|r| r.status))
    }

    /// Cells per status word over the whole matrix.
    pub(crate) fn cell_counts(&self) -> BTreeMap<&str, usize> {
        let mut out = BTreeMap::new();
        for c in self.scenarios.iter().flat_map(|r| &r.cells) {
            *out.entry(c.status.as_str()).or_default() += 1;
        }
        out
    }
}

fn cell(t: &TargetRun, scenario: &str) -> Cell {
    match t.reports.iter().find(|r| r.name == scenario) {
        Some(r) => Cell {
            target: t.name.clone(),
            status: r.status.as_str().to_owned(),
            failed: r.status.is_failure(),
            known_divergences: r.findings.iter().filter(|f| f.known.is_some()).count(),
            conformance: Conformance::of(r),
            report: ScenarioDoc::from(r),
        },
        None => Cell {
            target: t.name.clone(),
            status: Status::Skipped.as_str().to_owned(),
            failed: false,
            known_divergences: 0,
            conformance: Conformance::default(),
            report: ScenarioDoc {
                name: scenario.to_owned(),
                path: String::new(),
                status: Status::Skipped.as_str().to_owned(),
                failed: false,
                elapsed_ms: 0,
                totp_wait_ms: 0,
                instance: 0,
                shared_pool: false,
                steps: Vec::new(),
                drift: Vec::new(),
                findings: Vec::new(),
                gone: Vec::new(),
                fault: None,
                diagnostics: Vec::new(),
                notes: vec!["this target produced no report for the scenario".into()],
                pending_snapshot: None,
            },
        },
    }
}
