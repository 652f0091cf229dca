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
    pub const MODEL_SOURCE: &'static str = "model";

    /// A conformance violation as a finding of the step at `span`: source `model`, confidence HIGH.
    /// `normalise` is applied to the texts, which may quote the answer.
    pub fn from_violation(
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
    pub fn is_binding(&self) -> bool {
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
pub fn is_subset(expected: &serde_json::Value, actual: &serde_json::Value) -> bool {
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
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::scenario::ast::Node;
    use serde_json::json;

    fn expect() -> Expect {
        Expect {
            span: Span::new(10, 5),
            status: Some(Node::new(400, Span::new(11, 15))),
            error: Some(Node::new(
                "NotAuthorizedException".into(),
                Span::new(12, 14),
            )),
            message: Some(Node::new(
                "^Invalid Access Token$".into(),
                Span::new(13, 16),
            )),
            body: None,
            absent: Vec::new(),
            present: Vec::new(),
            unordered: Vec::new(),
            source: Node::new("T1".into(), Span::new(14, 15)),
            confidence: Confidence::MediumHigh,
        }
    }

    fn obs(status: u16, error: Option<&str>, message: Option<&str>) -> Observation {
        Observation {
            status,
            error: error.map(Into::into),
            message: message.map(Into::into),
            body: json!({}),
            headers: Default::default(),
        }
    }

    #[test]
    fn matching_observation_has_no_deviation() {
        let o = obs(
            400,
            Some("NotAuthorizedException"),
            Some("Invalid Access Token"),
        );
        assert!(check(&expect(), &o, None).is_empty());
    }

    #[test]
    fn each_failed_part_is_reported_at_its_own_line() {
        let o = obs(200, None, None);
        let d = check(&expect(), &o, None);
        let lines: Vec<_> = d.iter().map(|d| (d.check, d.span.line)).collect();
        assert_eq!(
            lines,
            vec![
                (Check::Status, 11),
                (Check::Error, 12),
                (Check::Message, 13)
            ]
        );
        assert_eq!(d[1].actual, "no error (status 200)");
        assert!(d
            .iter()
            .all(|d| d.source == "T1" && d.confidence == Confidence::MediumHigh));
    }

    #[test]
    fn message_is_a_regex_not_an_exact_string() {
        let mut e = expect();
        e.message = Some(Node::new("Invalid Access".into(), Span::new(13, 16)));
        let o = obs(
            400,
            Some("NotAuthorizedException"),
            Some("Invalid Access Token"),
        );
        assert!(check(&e, &o, None).is_empty());
        let o = obs(
            400,
            Some("NotAuthorizedException"),
            Some("<access-token:alice>"),
        );
        assert_eq!(
            check(&e, &o, None)[0].actual,
            "message \"<access-token:alice>\""
        );
    }

    #[test]
    fn absent_members_must_be_missing_not_merely_empty() {
        let mut e = expect();
        e.status = None;
        e.error = None;
        e.message = None;
        e.absent = vec![
            Node::new("$.UserMFASettingList".into(), Span::new(15, 9)),
            Node::new("$.PreferredMfaSetting".into(), Span::new(16, 9)),
        ];
        let mut o = obs(200, None, None);
        o.body = json!({"Username": "alice"});
        assert!(check(&e, &o, None).is_empty());
        o.body = json!({"Username": "alice", "UserMFASettingList": []});
        let d = check(&e, &o, None);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].check, d[0].span.line), (Check::Absent, 15));
        assert_eq!(d[0].actual, "$.UserMFASettingList present: []");
        assert_eq!(d[0].expected, "no member at $.UserMFASettingList");
        o.body = json!({"PreferredMfaSetting": null});
        assert_eq!(
            check(&e, &o, None)[0].span.line,
            16,
            "null is sent, so present"
        );
        assert_eq!(Check::parse("absent"), Some(Check::Absent));
    }

    #[test]
    fn present_members_may_be_empty_but_not_missing() {
        let mut e = expect();
        (e.status, e.error, e.message) = (None, None, None);
        e.present = vec![Node::new(
            "$.ChallengeParameters.CODE_DELIVERY_DESTINATION".into(),
            Span::new(17, 9),
        )];
        let mut o = obs(200, None, None);
        o.body = json!({"ChallengeParameters": {"CODE_DELIVERY_DESTINATION": ""}});
        assert!(check(&e, &o, None).is_empty());
        o.body = json!({"ChallengeParameters": {}});
        let d = check(&e, &o, None);
        assert_eq!(
            (d.len(), d[0].check, d[0].span.line),
            (1, Check::Present, 17)
        );
        assert_eq!(
            d[0].actual,
            "no member at $.ChallengeParameters.CODE_DELIVERY_DESTINATION"
        );
        assert_eq!(Check::parse("present"), Some(Check::Present));
    }

    #[test]
    fn unordered_lists_match_in_any_order_but_keep_their_counts() {
        let mut e = expect();
        (e.status, e.error, e.message) = (None, None, None);
        e.body = Some(crate::scenario::ast::Value::Null(Span::new(18, 9)));
        e.unordered = vec![Node::new("$.L".into(), Span::new(19, 9))];
        let expected = json!({"L": ["A", "B", "A"], "M": ["X", "Y"]});
        let mut o = obs(200, None, None);
        o.body = json!({"L": ["B", "A", "A"], "M": ["X", "Y"]});
        assert!(check(&e, &o, Some(&expected)).is_empty());
        o.body = json!({"L": ["B", "B", "A"], "M": ["X", "Y"]});
        assert_eq!(check(&e, &o, Some(&expected))[0].check, Check::Body);
        o.body = json!({"L": ["A", "B", "A", "C"], "M": ["X", "Y"]});
        assert_eq!(check(&e, &o, Some(&expected)).len(), 1, "extra element");
        o.body = json!({"L": ["A", "A", "B"], "M": ["Y", "X"]});
        assert_eq!(
            check(&e, &o, Some(&expected)).len(),
            1,
            "M is not unordered"
        );
    }

    #[test]
    fn subset_ignores_extra_members_but_not_missing_ones() {
        assert!(is_subset(
            &json!({"A": {"B": 1}}),
            &json!({"A": {"B": 1, "C": 2}, "D": 3})
        ));
        assert!(!is_subset(&json!({"A": {"B": 1}}), &json!({"A": {}})));
        assert!(!is_subset(&json!({"L": []}), &json!({})));
        assert!(!is_subset(&json!([1]), &json!([1, 2])));
    }
}
