//! What differs between targets (pure): each target's normalised observation document (the snapshot
//! body of what it answered) diffed by JSON path against the baseline — a reference target's recorded
//! snapshot, or the first target's answers.

use serde::Serialize;
use serde_json::Value as Json;

use super::model::{Reference, TargetRun};
use crate::observation::is_wire_detail;
use crate::report::document::{drift_docs, DriftDoc};
use crate::verdict::diff::diff;
use crate::verdict::ledger;
use crate::verdict::{snapshot_body_stopped, ScenarioReport, Status};

/// How one target's answers to a scenario compare with the baseline's.
#[derive(Debug, Clone, Serialize)]
pub struct Between {
    pub target: String,
    /// The baseline's name (reference or first target).
    pub against: String,
    /// `same`, `differs`, or `unavailable` (one side has no complete answers).
    pub state: &'static str,
    /// Why the comparison is unavailable.
    pub reason: Option<String>,
    pub differences: Vec<BetweenDiff>,
}

/// One difference: `expected` is the baseline's value, `actual` the target's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BetweenDiff {
    #[serde(flatten)]
    pub diff: DriftDoc,
    /// A ledger entry of the target (or of the baseline target) covering the path.
    pub known: Option<KnownDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnownDoc {
    /// Whose ledger knows it.
    pub target: String,
    pub reason: String,
    pub ledger_line: u32,
}

/// The comparisons of every target with the baseline for one scenario.
pub fn between(
    targets: &[TargetRun],
    reference: Option<&Reference>,
    scenario: &str,
) -> Vec<Between> {
    let (against, baseline_run, baseline): (String, Option<&TargetRun>, Result<Json, String>) =
        match (reference, targets.first()) {
            (Some(r), _) => (
                r.name.clone(),
                None,
                r.snapshots
                    .get(scenario)
                    .cloned()
                    .ok_or_else(|| format!("no recorded snapshot of `{}`", r.name)),
            ),
            (None, Some(first)) => (
                first.name.clone(),
                Some(first),
                report(first, scenario)
                    .ok_or_else(|| "not run".to_owned())
                    .and_then(|r| observed(r).map_err(|e| format!("{e} on {}", first.name))),
            ),
            (None, None) => return Vec::new(),
        };
    let compared = targets
        .iter()
        .filter(|t| baseline_run.is_none_or(|b| b.name != t.name));
    compared
        .map(|t| {
            let mine = report(t, scenario)
                .ok_or_else(|| "not run".to_owned())
                .and_then(|r| observed(r).map_err(|e| format!("{e} on {}", t.name)));
            match (&baseline, mine) {
                (Err(why), _) => unavailable(t, &against, why.clone()),
                (Ok(_), Err(why)) => unavailable(t, &against, why),
                (Ok(base), Ok(doc)) => {
                    let names: Vec<&str> = report(t, scenario)
                        .map(|r| r.steps.iter().map(|s| s.name.as_str()).collect())
                        .unwrap_or_default();
                    // A run that a step the target does not support ended is compared on the steps
                    // both sides ran; the rest is the support table's business, not drift. Wire
                    // detail (raw error-type forms) is protocol-equivalent: no client tells targets
                    // apart by it.
                    let (base, doc) = common_prefix(base, &doc);
                    let seen: Vec<_> = diff(&base, &doc)
                        .into_iter()
                        .filter(|d| !is_wire_detail(&d.path))
                        .collect();
                    let differences: Vec<BetweenDiff> = drift_docs(&seen, &names)
                        .into_iter()
                        .map(|d| BetweenDiff {
                            known: known(scenario, &d.path, t, baseline_run),
                            diff: d,
                        })
                        .collect();
                    Between {
                        target: t.name.clone(),
                        against: against.clone(),
                        state: if differences.is_empty() {
                            "same"
                        } else {
                            "differs"
                        },
                        reason: None,
                        differences,
                    }
                }
            }
        })
        .collect()
}

fn report<'a>(t: &'a TargetRun, scenario: &str) -> Option<&'a ScenarioReport> {
    t.reports.iter().find(|r| r.name == scenario)
}

fn unavailable(t: &TargetRun, against: &str, why: String) -> Between {
    Between {
        target: t.name.clone(),
        against: against.to_owned(),
        state: "unavailable",
        reason: Some(why),
        differences: Vec::new(),
    }
}

/// The observation documents cut to the steps both have, when one stopped early at a step its
/// target does not support (marked `unsupported`, or simply shorter).
fn common_prefix(a: &Json, b: &Json) -> (Json, Json) {
    let steps = |d: &Json| {
        d.get("steps")
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (sa, sb) = (steps(a), steps(b));
    let stopped = |s: &[Json]| s.last().is_some_and(|l| l.get("unsupported").is_some());
    if !stopped(&sa) && !stopped(&sb) {
        return (a.clone(), b.clone());
    }
    let ran = |s: &[Json]| s.len() - usize::from(stopped(s));
    let n = ran(&sa).min(ran(&sb));
    let cut = |s: &[Json]| serde_json::json!({ "steps": s[..n.min(s.len())].to_vec() });
    (cut(&sa), cut(&sb))
}

/// The observation document of a run that completed (or that a step its target does not support
/// ended: the steps before it), or why there is none.
fn observed(r: &ScenarioReport) -> Result<Json, String> {
    if let Some(f) = r.fault.as_ref().filter(|f| !f.is_partial()) {
        return Err(format!("target fault during `{}`", f.during));
    }
    if matches!(r.status, Status::Skipped | Status::ScenarioError) || r.steps.is_empty() {
        return Err(r.status.as_str().to_owned());
    }
    Ok(snapshot_body_stopped(&r.steps, r.fault.as_ref()))
}

fn known(scenario: &str, path: &str, t: &TargetRun, base: Option<&TargetRun>) -> Option<KnownDoc> {
    std::iter::once(t).chain(base).find_map(|run| {
        ledger::lookup_any(&run.ledger, scenario, path).map(|d| KnownDoc {
            target: run.name.clone(),
            reason: d.reason.clone(),
            ledger_line: d.line,
        })
    })
}
