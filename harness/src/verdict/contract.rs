//! Checking an observation against a step's `expect:` block (pure).

use crate::model::{Rule, Violation};
use crate::observation::Observation;
use crate::scenario::ast::{Confidence, Expect};
use crate::scenario::{JsonPath, PathSegment};
use crate::span::Span;

/// Which part of an expectation failed; also the key used by the divergence ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    Status,
    Error,
    Message,
    Body,
    /// A member listed in `absent:` was present.
    Absent,
    /// A member listed in `present:` was missing.
    Present,
    /// The raw answer breaks its model shape (output-shape conformance; no `expect:` needed).
    Model(Rule),
}

impl Check {
    pub fn as_str(&self) -> &'static str {
        match self {
            Check::Status => "status",
            Check::Error => "error",
            Check::Message => "message",
            Check::Body => "body",
            Check::Absent => "absent",
            Check::Present => "present",
            Check::Model(rule) => match rule {
                Rule::Type => "model-type",
                Rule::Required => "model-required",
                Rule::Enum => "model-enum",
                Rule::Pattern => "model-pattern",
                Rule::Min => "model-min",
                Rule::Max => "model-max",
                Rule::UnknownMember => "model-unknown-member",
                Rule::ErrorType => "model-error-type",
            },
        }
    }

    /// The model rule of a conformance check; `None` for `expect:` checks.
    pub fn rule(&self) -> Option<Rule> {
        match self {
            Check::Model(rule) => Some(*rule),
            _ => None,
        }
    }

    pub fn parse(s: &str) -> Option<Check> {
        [
            Check::Status,
            Check::Error,
            Check::Message,
            Check::Body,
            Check::Absent,
            Check::Present,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// One expectation the target did not meet.
#[derive(Debug, Clone, PartialEq)]
pub struct Deviation {
    pub check: Check,
    /// Where the failed expectation is written in the scenario.
    pub span: Span,
    pub expected: String,
    pub actual: String,
    pub source: String,
    pub confidence: Confidence,
    /// For a model check, the JSON path into the answer body it failed at (`$.SecretCode`); `None` for
    /// `expect:` checks, which are located by their check.
    pub body_path: Option<String>,
}

impl Deviation {
    /// The source named by conformance findings: the service model itself.
    pub(crate) const MODEL_SOURCE: &'static str = "model";

    /// A conformance violation as a finding of the step at `span`: source `model`, confidence HIGH.
    /// `normalise` is applied to the texts, which may quote the answer.
    pub(crate) fn from_violation(
        v: &Violation,
        span: Span,
        mut normalise: impl FnMut(&str) -> String,
    ) -> Self {
        Deviation {
            check: Check::Model(v.rule),
            span,
            expected: normalise(&format!("{} ({} at {})", v.expected, v.shape, v.path)),
            actual: normalise(&v.actual),
            source: Self::MODEL_SOURCE.to_owned(),
            confidence: Confidence::High,
            body_path: Some(normalise(&v.path)),
        }
    }

    /// Whether an unknown deviation fails the run: binding confidence, and not a warning-only rule
    /// (members outside the model: AWS adds output members over time).
    pub(crate) fn is_binding(&self) -> bool {
        self.confidence.is_binding() && !self.check.rule().is_some_and(|r| r.is_warning())
    }
}

/// Checks `obs` (already normalised) against `expect`. `expected_body` is the expectation's `body:`
/// rendered and normalised the same way as the observation.
pub fn check(
    expect: &Expect,
    obs: &Observation,
    expected_body: Option<&serde_json::Value>,
) -> Vec<Deviation> {
    let mut out = Vec::new();
    let mut deviate = |check, span, expected: String, actual: String| {
        out.push(Deviation {
            check,
            span,
            expected,
            actual,
            source: expect.source.value.clone(),
            confidence: expect.confidence,
            body_path: None,
        })
    };
    if let Some(status) = &expect.status {
        if status.value != obs.status {
            deviate(
                Check::Status,
                status.span,
                format!("status {}", status.value),
                format!("status {}", obs.status),
            );
        }
    }
    if let Some(error) = &expect.error {
        if obs.error.as_deref() != Some(error.value.as_str()) {
            deviate(
                Check::Error,
                error.span,
                format!("error {}", error.value),
                describe_error(obs),
            );
        }
    }
    if let Some(pattern) = &expect.message {
        let matched = match (regex::Regex::new(&pattern.value), &obs.message) {
            (Ok(re), Some(m)) => re.is_match(m),
            _ => false,
        };
        if !matched {
            let actual = obs
                .message
                .as_ref()
                .map_or("no message".to_owned(), |m| format!("message {m:?}"));
            deviate(
                Check::Message,
                pattern.span,
                format!("message matching /{}/", pattern.value),
                actual,
            );
        }
    }
    if let (Some(expected), Some(body_expect)) = (expected_body, &expect.body) {
        let unordered: Vec<Vec<PathSegment>> = expect
            .unordered
            .iter()
            .filter_map(|p| JsonPath::parse(&p.value).ok().map(|p| p.segments))
            .collect();
        if !matches_at(expected, &obs.body, &unordered, &mut Vec::new()) {
            deviate(
                Check::Body,
                span_of(body_expect),
                format!("body containing {expected}"),
                format!("body {}", obs.body),
            );
        }
    }
    for path in &expect.absent {
        let found = JsonPath::parse(&path.value)
            .ok()
            .and_then(|p| p.select(&obs.body).cloned());
        if let Some(found) = found {
            deviate(
                Check::Absent,
                path.span,
                format!("no member at {}", path.value),
                format!("{} present: {found}", path.value),
            );
        }
    }
    for path in &expect.present {
        let found = JsonPath::parse(&path.value)
            .ok()
            .is_some_and(|p| p.select(&obs.body).is_some());
        if !found {
            deviate(
                Check::Present,
                path.span,
                format!("a member at {}", path.value),
                format!("no member at {}", path.value),
            );
        }
    }
    out
}

fn describe_error(obs: &Observation) -> String {
    match &obs.error {
        Some(e) => format!("error {e}"),
        None => format!("no error (status {})", obs.status),
    }
}

fn span_of(v: &crate::scenario::ast::Value) -> Span {
    use crate::scenario::ast::Value;
    match v {
        Value::Null(s)
        | Value::Bool(_, s)
        | Value::Number(_, s)
        | Value::List(_, s)
        | Value::Map(_, s) => *s,
        Value::String(t) => t.span,
    }
}

/// Every member of `expected` is in `actual` with the same value; arrays and scalars compare exactly.
#[cfg(test)]
pub(crate) fn is_subset(expected: &serde_json::Value, actual: &serde_json::Value) -> bool {
    matches_at(expected, actual, &[], &mut Vec::new())
}

/// [`is_subset`], except that the arrays at the `unordered` paths match in any order: each expected
/// element pairs with its own actual element, and the counts are equal.
fn matches_at(
    expected: &serde_json::Value,
    actual: &serde_json::Value,
    unordered: &[Vec<PathSegment>],
    at: &mut Vec<PathSegment>,
) -> bool {
    use serde_json::Value as J;
    match (expected, actual) {
        (J::Object(e), J::Object(a)) => e.iter().all(|(k, ev)| {
            a.get(k).is_some_and(|av| {
                at.push(PathSegment::Member(k.clone()));
                let ok = matches_at(ev, av, unordered, at);
                at.pop();
                ok
            })
        }),
        (J::Array(e), J::Array(a)) if unordered.iter().any(|p| p == at) => {
            e.len() == a.len() && pair_up(e, a, &mut vec![false; a.len()])
        }
        _ => expected == actual,
    }
}

/// Whether every element of `expected` equals a distinct unused element of `actual` (backtracking;
/// the lists in a scenario are short).
fn pair_up(
    expected: &[serde_json::Value],
    actual: &[serde_json::Value],
    used: &mut [bool],
) -> bool {
    let Some((first, rest)) = expected.split_first() else {
        return true;
    };
    for i in 0..actual.len() {
        if !used[i] && actual[i] == *first {
            used[i] = true;
            if pair_up(rest, actual, used) {
                return true;
            }
            used[i] = false;
        }
    }
    false
}

#[cfg(test)]
#[path = "contract_tests.rs"]
mod tests;
