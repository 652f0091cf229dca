//! Contract findings of a recorded execution: each step's `expect:` blocks checked against its
//! normalised observation and the model breaks of its raw answer, then sorted by the ledger.

use super::contract::{self, Deviation};
use super::ledger::{self, Divergence};
use super::outcome::{Finding, ScenarioReport, Status};
use crate::observation::StepRecord;
use crate::scenario::ast::{Scenario, Step};

/// The deviations of one recorded step from what `step` expects, `expect:` blocks first, then the
/// model breaks of the raw answer. A step that was not sent deviates from nothing.
pub fn step_deviations(step: &Step, record: &StepRecord) -> Vec<Deviation> {
    if record.not_sent.is_some() {
        return Vec::new();
    }
    let mut out: Vec<Deviation> = step
        .expectations()
        .zip(
            record
                .expected_bodies
                .iter()
                .chain(std::iter::repeat(&None)),
        )
        .flat_map(|(expect, body)| contract::check(expect, &record.observation, body.as_ref()))
        .collect();
    out.extend(
        record
            .shape_breaks
            .iter()
            .map(|v| Deviation::from_violation(v, record.span, str::to_owned)),
    );
    out
}

/// [`step_deviations`] of every recorded step, in order (records follow the scenario's steps).
pub fn deviations(scenario: &Scenario, records: &[StepRecord]) -> Vec<Vec<Deviation>> {
    scenario
        .steps
        .iter()
        .zip(records)
        .map(|(step, record)| step_deviations(step, record))
        .collect()
}

/// Sorts deviations into known (ledger), unconfirmed (MEDIUM/LOW) and binding ones; finds ledger entries
/// that no longer reproduce. Deviations and entries meet at JSON paths into the observation document.
pub(super) fn apply_contract(
    report: &mut ScenarioReport,
    deviations: &[Vec<Deviation>],
    ledger: &[Divergence],
    today: &str,
) {
    let mut violated = false;
    for (index, (step, devs)) in report.steps.iter().zip(deviations).enumerate() {
        for dev in devs {
            let path = ledger::location_of(index, dev);
            let rule = dev.check.rule();
            let known = ledger::lookup(ledger, &report.name, &path, rule)
                .or_else(|| {
                    let (rule, body_path) = (rule?, dev.body_path.as_deref()?);
                    ledger::lookup_operation(ledger, &step.operation, body_path, rule)
                })
                .cloned();
            if let Some(k) = &known {
                if ledger::is_expired(k, today) {
                    report.notes.push(format!(
                        "divergence ledger entry (line {}) for `{}` passed its review-by date {}: check it again",
                        k.line,
                        k.path,
                        k.review_by.as_deref().unwrap_or_default()
                    ));
                }
            } else if dev.is_binding() {
                violated = true;
            }
            report.findings.push(Finding {
                step: step.name.clone(),
                path,
                deviation: dev.clone(),
                known,
            });
        }
    }
    for entry in ledger.iter().filter(|d| d.scenario == report.name) {
        let reproduces = report.findings.iter().any(|f| {
            f.deviation.check.rule() == entry.rule && ledger::covers(&entry.path, &f.path)
        });
        if !reproduces {
            report.gone.push(entry.clone());
            violated = true;
        }
    }
    if violated && report.status == Status::Pass {
        report.status = Status::ContractViolation;
    }
}
