//! The oracles: what any answer to any payload must satisfy, whatever the payload was.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

use super::outcome::{OutcomeClass, OutcomeKind};
use crate::exchange::Interpreted;
use crate::model::{self, Operation, Rule};

pub use crate::model::conform::PROTOCOL_ERRORS;

/// Operations whose success body is documented as empty (`{}`).
const EMPTY_SUCCESS: &[&str] = &["SetUserMFAPreference"];

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Violation {
    /// A 5xx status.
    ServerError,
    /// An answer outside the protocol (HTML, non-JSON, error without a type).
    NotProtocol,
    /// No answer (timeout, connection reset).
    NoAnswer,
    /// An error type neither modeled for the operation nor a protocol error.
    UndocumentedError(String),
    /// A success body other than the documented `{}`.
    UnexpectedSuccessBody,
    /// The answer breaks its model shape (output-shape conformance, warnings aside): the rule and the
    /// JSON path into the body.
    Nonconforming { rule: Rule, path: String },
    /// Slower than the bound.
    Slow,
    /// The second target answered another class of outcome.
    Differs { other: String },
}

impl Violation {
    /// A short kebab-case name, used in found scenario names.
    pub(crate) fn slug(&self) -> &'static str {
        match self {
            Violation::ServerError => "5xx",
            Violation::NotProtocol => "not-json",
            Violation::NoAnswer => "no-answer",
            Violation::UndocumentedError(_) => "undocumented-error",
            Violation::UnexpectedSuccessBody => "success-body",
            Violation::Nonconforming { .. } => "nonconforming",
            Violation::Slow => "slow",
            Violation::Differs { .. } => "differs",
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::ServerError => f.write_str("server error (5xx)"),
            Violation::NotProtocol => f.write_str("answer outside the AWS JSON 1.1 protocol"),
            Violation::NoAnswer => f.write_str("no answer"),
            Violation::UndocumentedError(e) => {
                write!(
                    f,
                    "error type `{e}` is neither modeled for the operation nor a protocol error"
                )
            }
            Violation::UnexpectedSuccessBody => f.write_str("success body is not `{}`"),
            Violation::Nonconforming { rule, path } => {
                write!(f, "answer breaks the model: `{rule}` at {path}")
            }
            Violation::Slow => f.write_str("answer slower than the bound"),
            Violation::Differs { other } => write!(f, "the other target answered {other}"),
        }
    }
}

/// What the oracles say about one answer.
#[derive(Debug, Clone)]
pub struct Judged<'a> {
    pub operation: &'a Operation,
    pub class: &'a OutcomeClass,
    /// `None` when there was no answer.
    pub interpreted: Option<&'a Interpreted>,
    pub elapsed: Duration,
    pub bound: Duration,
}

/// Every rule the answer breaks, in a stable order.
pub fn check(j: &Judged<'_>) -> Vec<Violation> {
    let mut out = Vec::new();
    if j.class.status.is_some_and(|s| s >= 500) {
        out.push(Violation::ServerError);
    }
    match j.class.kind {
        OutcomeKind::Fault => out.push(Violation::NotProtocol),
        OutcomeKind::NoAnswer => out.push(Violation::NoAnswer),
        OutcomeKind::Error => {
            if let Some(e) = &j.class.error {
                let documented = j.operation.errors.iter().any(|m| m == e)
                    || PROTOCOL_ERRORS.contains(&e.as_str());
                if !documented {
                    out.push(Violation::UndocumentedError(e.clone()));
                }
            }
        }
        OutcomeKind::Success => {
            let empty = matches!(j.interpreted, Some(Interpreted::Success(Value::Object(m))) if m.is_empty());
            if EMPTY_SUCCESS.contains(&j.operation.name.as_str()) && !empty {
                out.push(Violation::UnexpectedSuccessBody);
            }
        }
    }
    out.extend(conformance(j.operation, j.interpreted));
    if j.elapsed > j.bound {
        out.push(Violation::Slow);
    }
    out
}

/// The suite's conformance check as an oracle: every non-warning rule the answer breaks, except the
/// error type, which [`Violation::UndocumentedError`] already reports.
fn conformance(op: &Operation, interpreted: Option<&Interpreted>) -> Vec<Violation> {
    let found = match interpreted {
        Some(Interpreted::Success(body)) => model::validate_output(&op.name, body),
        Some(Interpreted::Error {
            error_type, body, ..
        }) => model::validate_error(&op.name, error_type, body),
        _ => Vec::new(),
    };
    found
        .into_iter()
        .filter(|v| !v.is_warning() && v.rule != Rule::ErrorType)
        .map(|v| Violation::Nonconforming {
            rule: v.rule,
            path: v.path,
        })
        .collect()
}

/// The differential oracle: both targets must answer the same kind of outcome.
pub fn compare(ours: &OutcomeClass, theirs: &OutcomeClass) -> Option<Violation> {
    (!ours.same_kind(theirs)).then(|| Violation::Differs {
        other: theirs.short(),
    })
}

/// A failure as shrinking preserves it: the rules broken and the class's status and error type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Failure {
    pub violations: Vec<Violation>,
    pub status: Option<u16>,
    pub error: Option<String>,
    pub kind: OutcomeKind,
}

impl Failure {
    pub fn new(violations: Vec<Violation>, class: &OutcomeClass) -> Option<Failure> {
        (!violations.is_empty()).then(|| Failure {
            violations,
            status: class.status,
            error: class.error.clone(),
            kind: class.kind,
        })
    }

    /// `5xx-not-json` etc.
    pub(crate) fn slug(&self) -> String {
        let mut parts: Vec<&str> = self.violations.iter().map(Violation::slug).collect();
        parts.dedup();
        parts.join("-")
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let texts: Vec<String> = self.violations.iter().map(ToString::to_string).collect();
        f.write_str(&texts.join("; "))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::cognito;

    fn class(status: Option<u16>, error: Option<&str>, kind: OutcomeKind) -> OutcomeClass {
        OutcomeClass {
            status,
            error: error.map(str::to_owned),
            template: String::new(),
            kind,
        }
    }

    fn judge(class: &OutcomeClass, interpreted: Option<&Interpreted>, ms: u64) -> Vec<Violation> {
        let op = cognito().operation("SetUserMFAPreference").unwrap();
        check(&Judged {
            operation: op,
            class,
            interpreted,
            elapsed: Duration::from_millis(ms),
            bound: Duration::from_millis(100),
        })
    }

    #[test]
    fn documented_and_protocol_errors_pass() {
        let c = class(
            Some(400),
            Some("NotAuthorizedException"),
            OutcomeKind::Error,
        );
        assert!(judge(&c, None, 1).is_empty());
        let c = class(
            Some(400),
            Some("SerializationException"),
            OutcomeKind::Error,
        );
        assert!(judge(&c, None, 1).is_empty());
    }

    #[test]
    fn undocumented_error_server_error_and_slowness_are_reported() {
        let c = class(Some(500), Some("KeyError"), OutcomeKind::Error);
        assert_eq!(
            judge(&c, None, 500),
            vec![
                Violation::ServerError,
                Violation::UndocumentedError("KeyError".into()),
                Violation::Slow
            ]
        );
        let c = class(Some(500), None, OutcomeKind::Fault);
        assert_eq!(
            judge(&c, None, 1),
            vec![Violation::ServerError, Violation::NotProtocol]
        );
        let c = class(None, None, OutcomeKind::NoAnswer);
        assert_eq!(judge(&c, None, 1), vec![Violation::NoAnswer]);
    }

    #[test]
    fn set_user_mfa_preference_success_must_be_empty() {
        let c = class(Some(200), None, OutcomeKind::Success);
        let empty = Interpreted::Success(serde_json::json!({}));
        let full = Interpreted::Success(serde_json::json!({"A": 1}));
        assert!(judge(&c, Some(&empty), 1).is_empty());
        assert_eq!(
            judge(&c, Some(&full), 1),
            vec![Violation::UnexpectedSuccessBody]
        );
    }

    #[test]
    fn answers_that_break_the_model_are_reported_at_their_path() {
        let c = class(
            Some(400),
            Some("NotAuthorizedException"),
            OutcomeKind::Error,
        );
        let bad = Interpreted::Error {
            error_type: "NotAuthorizedException".into(),
            message: None,
            body: serde_json::json!({"__type": "NotAuthorizedException", "message": 7}),
        };
        assert_eq!(
            judge(&c, Some(&bad), 1),
            vec![Violation::Nonconforming {
                rule: Rule::Type,
                path: "$.message".into()
            }]
        );
        let op = cognito().operation("AssociateSoftwareToken").unwrap();
        let ok = class(Some(200), None, OutcomeKind::Success);
        let short = Interpreted::Success(serde_json::json!({"SecretCode": "asdfasdfasdf"}));
        let found = check(&Judged {
            operation: op,
            class: &ok,
            interpreted: Some(&short),
            elapsed: Duration::ZERO,
            bound: Duration::from_secs(1),
        });
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].to_string(),
            "answer breaks the model: `min` at $.SecretCode"
        );
        let extra =
            Interpreted::Success(serde_json::json!({"SecretCode": "JBSWY3DPEHPK3PXP", "New": 1}));
        let found = check(&Judged {
            operation: op,
            class: &ok,
            interpreted: Some(&extra),
            elapsed: Duration::ZERO,
            bound: Duration::from_secs(1),
        });
        assert!(found.is_empty(), "unknown members are warnings: {found:?}");
    }

    #[test]
    fn comparison_ignores_messages_but_not_types() {
        let mut a = class(
            Some(400),
            Some("NotAuthorizedException"),
            OutcomeKind::Error,
        );
        let mut b = a.clone();
        a.template = "Invalid Access Token".into();
        b.template = "Access Token has been revoked".into();
        assert_eq!(compare(&a, &b), None);
        let c = class(
            Some(400),
            Some("InvalidParameterException"),
            OutcomeKind::Error,
        );
        assert!(matches!(compare(&a, &c), Some(Violation::Differs { .. })));
    }

    #[test]
    fn failure_slug_names_the_rules() {
        let c = class(Some(500), None, OutcomeKind::Fault);
        let f = Failure::new(vec![Violation::ServerError, Violation::NotProtocol], &c).unwrap();
        assert_eq!(f.slug(), "5xx-not-json");
        assert!(Failure::new(Vec::new(), &c).is_none());
    }
}
