//! Judging one sequence's executions (pure): each step's outcome class on each target, the first
//! step where targets answer differently (a divergence), and each target's first departure from the
//! model's `expect:` blocks (a contract finding, binding for HIGH and MED-HIGH facts). Later steps are
//! not judged: once a target left the model's world, what follows is a consequence, not news. A step
//! that only reads (GetUser, AdminGetUser) changes nothing, so judging goes on after it.

use super::action::Action;
use super::model::Predicted;
use super::render::StepOrigin;
use crate::observation::{Execution, FaultKind, StepRecord};
use crate::verdict::contract::{Check, Deviation};

use super::classes::read_only;
pub use super::classes::{action_label, class, output_conformance};
/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A target departs from a HIGH or MED-HIGH fact.
    Contract,
    /// Targets answer the same step differently.
    Divergence,
    /// A target departs from a MEDIUM or LOW fact: reported, not binding.
    Unconfirmed,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Contract => "contract",
            Kind::Unconfirmed => "unconfirmed",
            Kind::Divergence => "divergence",
        }
    }
}

/// Findings with the same signature are one finding. A departure from the model is keyed by its kind,
/// fact, action kind and outcome class; a divergence by its action (with the class of its input) and
/// each target's outcome class. The model state the action met and the target that departed are left
/// out: a behaviour found again from another state, or on another target, is the same finding, with
/// the same scenario name, so a kept scenario and its ledger entries keep recognising it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Signature {
    pub kind: Kind,
    pub fact: Option<String>,
    /// A departure: the action kind (`AssociateSoftwareToken`, `SignIn answer`); a divergence: the
    /// action and its input class (`SetUserMFAPreference(SMS:on)`, `GetUser(token=revoked)`).
    pub action: String,
    /// A divergence: `target: class` for each target that answered, sorted by target; a departure:
    /// the departing answer's class as far as the fact speaks about it (`400 NotAuthorizedException`,
    /// `200`, or the MFA members when the fact is about them).
    pub outcomes: Vec<String>,
}

impl Signature {
    pub fn key(&self) -> String {
        format!(
            "{}{} | {} | {}",
            self.kind.as_str(),
            self.fact
                .as_ref()
                .map(|f| format!(" {f}"))
                .unwrap_or_default(),
            self.action,
            self.outcomes.join(" / ")
        )
    }
}

/// One finding in one sequence.
#[derive(Debug, Clone)]
pub struct Finding {
    pub signature: Signature,
    /// The action it happened at.
    pub action: usize,
    /// That action with the class of its input, for the report.
    pub label: String,
    /// The model state the action met, for the report.
    pub predicate: String,
    /// The targets that showed it: the departing one, or every target that answered the step.
    pub targets: Vec<String>,
    /// What was expected and what came, for the report (normalised, no secrets).
    pub detail: String,
}

/// One target's run of a sequence.
#[derive(Debug, Clone)]
pub struct TargetExecution<'a> {
    pub target: &'a str,
    pub execution: &'a Execution,
    /// The verdict's contract deviations of each recorded step (the model's `expect:` blocks).
    pub deviations: Vec<Vec<Deviation>>,
}

/// The steps a target answered within the protocol: those before a fault or an unsupported refusal.
fn judged_steps<'a>(t: &TargetExecution<'a>) -> &'a [StepRecord] {
    &t.execution.steps
}

/// The class of a departing answer, as far as the departed expectations speak about it: status and
/// error type when they are about those alone (a secret handed out where T6 says the call fails is
/// the same finding whether or not a `Session` comes with it), the whole outcome class otherwise.
/// A break of the output shape is classed by its rule and path (`min at $.SecretCode`).
fn departure_class(s: &StepRecord, departed: &[&Deviation]) -> String {
    if departed.iter().all(|d| matches!(d.check, Check::Model(_))) {
        let rules: Vec<String> = departed
            .iter()
            .map(|d| match &d.check {
                Check::Model(rule) => format!(
                    "{} at {}",
                    rule.as_str(),
                    d.body_path.as_deref().unwrap_or("$")
                ),
                _ => String::new(),
            })
            .collect();
        return rules.join(", ");
    }
    let about_status = departed
        .iter()
        .all(|d| matches!(d.check, Check::Status | Check::Error));
    match (&s.observation.error, about_status) {
        (Some(e), true) => format!("{} {e}", s.observation.status),
        (None, true) => s.observation.status.to_string(),
        (_, false) => class(s),
    }
}

/// The fact a departure is filed under: a break of the output shape is M12's.
fn fact_of(d: &Deviation) -> String {
    if d.source == Deviation::MODEL_SOURCE {
        "M12".to_owned()
    } else {
        d.source.clone()
    }
}

/// Judges one sequence's executions on every target.
pub fn judge(
    actions: &[Action],
    predicted: &[Predicted],
    origins: &[StepOrigin],
    runs: &[TargetExecution<'_>],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let predicate = |i: usize| predicted[origins[i].action].predicate.clone();
    // The action with its input class; a refused token makes the input irrelevant, and the token's
    // state is the input that matters.
    let label = |i: usize| {
        let (a, p) = (&actions[origins[i].action], &predicted[origins[i].action]);
        match (origins[i].answer, p.token_failure) {
            (true, _) => format!("{} answer", a.kind()),
            (false, true) => format!("{}({})", a.kind(), p.predicate),
            (false, false) => action_label(a),
        }
    };
    // A departure from the model names its fact, which already says what about the input mattered.
    let kind_of = |i: usize| {
        let a = &actions[origins[i].action];
        if origins[i].answer {
            format!("{} answer", a.kind())
        } else {
            a.kind().to_owned()
        }
    };
    // Divergence: the first step where the targets that answered it disagree.
    for (i, origin) in origins.iter().enumerate() {
        let mut outcomes: Vec<(String, String)> = runs
            .iter()
            .filter_map(|r| {
                judged_steps(r)
                    .get(i)
                    .map(|s| (r.target.to_owned(), class(s)))
            })
            .collect();
        if outcomes.len() < 2 {
            break;
        }
        outcomes.sort();
        if outcomes.iter().any(|(_, c)| *c != outcomes[0].1) {
            let detail = outcomes
                .iter()
                .map(|(t, c)| format!("{t} answered {c}"))
                .collect::<Vec<_>>()
                .join("; ");
            out.push(Finding {
                signature: Signature {
                    kind: Kind::Divergence,
                    fact: None,
                    action: label(i),
                    outcomes: outcomes.iter().map(|(t, c)| format!("{t}: {c}")).collect(),
                },
                action: origin.action,
                label: label(i),
                predicate: predicate(i),
                targets: outcomes.into_iter().map(|(t, _)| t).collect(),
                detail,
            });
            let all_read = runs
                .iter()
                .filter_map(|r| judged_steps(r).get(i))
                .all(read_only);
            if !all_read {
                break;
            }
        }
    }
    // Contract: each target's first step that departs from the model.
    for r in runs {
        for (i, s) in judged_steps(r).iter().enumerate() {
            let devs = r.deviations.get(i).map_or(&[][..], Vec::as_slice);
            let shape = (200..300)
                .contains(&s.observation.status)
                .then(|| output_conformance(&s.operation, &s.observation.body))
                .flatten();
            // Members outside the output shape are warnings (AWS adds members over time), not findings.
            let deviations: Vec<&Deviation> = devs
                .iter()
                .filter(|d| !d.check.rule().is_some_and(|r| r.is_warning()))
                .collect();
            if deviations.is_empty() {
                if let Some(problem) = shape {
                    out.push(Finding {
                        signature: Signature {
                            kind: Kind::Contract,
                            fact: Some("M12".into()),
                            action: kind_of(i),
                            outcomes: vec![problem.clone()],
                        },
                        action: origins[i].action,
                        label: label(i),
                        predicate: predicate(i),
                        targets: vec![r.target.to_owned()],
                        detail: format!("{}: {problem}", r.target),
                    });
                    break;
                }
                continue;
            }
            let binding = deviations.iter().any(|d| d.confidence.is_binding());
            let kind = if binding {
                Kind::Contract
            } else {
                Kind::Unconfirmed
            };
            let relevant: Vec<&Deviation> = deviations
                .iter()
                .copied()
                .filter(|d| d.confidence.is_binding() == binding)
                .collect();
            let d = relevant[0];
            let departed: Vec<&Deviation> = relevant
                .iter()
                .copied()
                .filter(|x| x.source == d.source)
                .collect();
            out.push(Finding {
                signature: Signature {
                    kind,
                    fact: Some(fact_of(d)),
                    action: kind_of(i),
                    outcomes: vec![departure_class(s, &departed)],
                },
                action: origins[i].action,
                label: label(i),
                predicate: predicate(i),
                targets: vec![r.target.to_owned()],
                detail: format!(
                    "{}: expected {}, got {} ({} {})",
                    r.target,
                    d.expected,
                    d.actual,
                    d.source,
                    d.confidence.as_str()
                ),
            });
            if !read_only(s) {
                break;
            }
        }
    }
    out
}

/// Whether the run stopped at an operation the target does not implement, and which.
pub fn unsupported(e: &Execution) -> Option<&str> {
    e.fault
        .as_ref()
        .filter(|f| f.kind == FaultKind::Unsupported)
        .map(|f| f.message.as_str())
}

/// Whether the run stopped at a target fault.
pub fn fault(e: &Execution) -> Option<&str> {
    e.fault
        .as_ref()
        .filter(|f| f.kind == FaultKind::Target)
        .map(|f| f.message.as_str())
}
