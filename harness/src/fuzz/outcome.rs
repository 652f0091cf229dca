//! Outcome classes: what kind of answer a payload got, with the variable parts of messages masked, so
//! thousands of answers fall into a handful of classes and a new class marks a new behaviour.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::exchange::{interpret, Interpreted, WireResponse};
use crate::observation::Normaliser;

/// One class of answers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutcomeClass {
    /// `None` when no answer came (timeout, connection refused).
    pub status: Option<u16>,
    /// Error type by the awsJson1_1 rules; `None` on success and for faults.
    pub error: Option<String>,
    /// What the answer says, masked: the error message, the fault reason, the success body's member
    /// names, or the transport error.
    pub template: String,
    pub kind: OutcomeKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutcomeKind {
    Success,
    Error,
    /// An answer outside the protocol: not JSON, HTML, or an error without a type.
    Fault,
    /// No answer at all.
    NoAnswer,
}

impl OutcomeClass {
    /// Classifies an answer; `norm` knows the run's secrets, so no token reaches the template, and
    /// `echoes` are the strings the request sent, masked wherever the message repeats them.
    pub(crate) fn of_response(
        resp: &WireResponse,
        norm: &mut Normaliser,
        echoes: &[String],
    ) -> (OutcomeClass, Interpreted) {
        let interpreted = interpret(resp);
        let status = Some(resp.status);
        let class = match &interpreted {
            Interpreted::Success(body) => OutcomeClass {
                status,
                error: None,
                template: body_shape(body),
                kind: OutcomeKind::Success,
            },
            Interpreted::Error {
                error_type,
                message,
                ..
            } => OutcomeClass {
                status,
                error: Some(error_type.clone()),
                template: mask(&unecho(
                    &norm.text(message.as_deref().unwrap_or("")),
                    echoes,
                )),
                kind: OutcomeKind::Error,
            },
            Interpreted::Fault(reason) => OutcomeClass {
                status,
                error: None,
                template: mask(&norm.text(reason)),
                kind: OutcomeKind::Fault,
            },
        };
        (class, interpreted)
    }

    /// The class of a request that got no answer.
    pub(crate) fn no_answer(reason: &str, norm: &mut Normaliser) -> OutcomeClass {
        OutcomeClass {
            status: None,
            error: None,
            template: mask(&norm.text(reason)),
            kind: OutcomeKind::NoAnswer,
        }
    }

    /// Status and error type: what two targets must agree on (messages differ between implementations).
    pub(crate) fn same_kind(&self, other: &OutcomeClass) -> bool {
        self.kind == other.kind && self.status == other.status && self.error == other.error
    }

    /// Status and error type (or `fault`), without the message: `400 NotAuthorizedException`.
    pub fn short(&self) -> String {
        let status = self
            .status
            .map_or_else(|| "no answer".to_owned(), |s| s.to_string());
        match (&self.error, self.kind) {
            (Some(e), _) => format!("{status} {e}"),
            (None, OutcomeKind::Fault) => format!("{status} fault"),
            _ => status,
        }
    }
}

impl fmt::Display for OutcomeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(s) => write!(f, "{s}")?,
            None => f.write_str("no answer")?,
        }
        match (&self.error, self.kind) {
            (Some(e), _) => write!(f, " {e}")?,
            (None, OutcomeKind::Fault) => f.write_str(" fault")?,
            _ => {}
        }
        if !self.template.is_empty() {
            write!(f, " \"{}\"", self.template)?;
        }
        Ok(())
    }
}

/// The shape of a success body: `{}` or its sorted member names, `null` for an empty body.
fn body_shape(body: &Value) -> String {
    match body {
        Value::Object(m) if m.is_empty() => "{}".into(),
        Value::Object(m) => {
            let mut keys: Vec<&str> = m.keys().map(String::as_str).collect();
            keys.sort_unstable();
            format!("{{{}}}", keys.join(","))
        }
        Value::Null => "null".into(),
        other => format!("<{}>", json_type(other)),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

/// `message` with the request's own strings masked: a whole-message echo always, a partial one when
/// the echoed string is long enough not to match by chance.
fn unecho(message: &str, echoes: &[String]) -> String {
    if echoes.iter().any(|e| e == message) && !message.is_empty() {
        return "*".to_owned();
    }
    let mut long: Vec<&String> = echoes.iter().filter(|e| e.chars().count() >= 4).collect();
    long.sort_by_key(|e| std::cmp::Reverse(e.len()));
    let mut out = message.to_owned();
    for e in long {
        out = out.replace(e.as_str(), "*");
    }
    out
}

static QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"'[^']*'|"[^"]*"|`[^`]*`"#).expect("valid regex"));
static LONG_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9+/=_.-]{24,}").expect("valid regex"));
static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d+").expect("valid regex"));

/// Masks the parts of a message that change with the input: quoted values, long tokens, numbers.
/// Placeholders the normaliser wrote (`<access-token:alice>`) are kept: they name what was there.
pub fn mask(message: &str) -> String {
    let cut: String = message.chars().take(300).collect();
    let masked = QUOTED.replace_all(&cut, |c: &regex::Captures<'_>| {
        let quote = &c[0][..1];
        format!("{quote}*{quote}")
    });
    let masked = LONG_WORD.replace_all(&masked, "*");
    let masked = NUMBER.replace_all(&masked, "#");
    masked.trim().to_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {

    use super::*;

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> WireResponse {
        WireResponse::canned(status, headers, body.as_bytes())
    }

    #[test]
    fn messages_differing_only_in_values_share_a_class() {
        let mut n = Normaliser::new();
        let a = resp(
            400,
            &[],
            r#"{"__type":"InvalidParameterException","message":"1 validation error detected: Value 'abc' at 'accessToken' failed"}"#,
        );
        let b = resp(
            400,
            &[],
            r#"{"__type":"InvalidParameterException","message":"2 validation error detected: Value 'zzzzzz' at 'accessToken' failed"}"#,
        );
        let (ca, _) = OutcomeClass::of_response(&a, &mut n, &[]);
        let (cb, _) = OutcomeClass::of_response(&b, &mut n, &[]);
        assert_eq!(ca, cb);
        assert_eq!(
            ca.to_string(),
            "400 InvalidParameterException \"# validation error detected: Value '*' at '*' failed\""
        );
    }

    #[test]
    fn different_error_types_and_statuses_are_different_classes() {
        let mut n = Normaliser::new();
        let (a, _) = OutcomeClass::of_response(
            &resp(
                400,
                &[],
                r#"{"__type":"NotAuthorizedException","message":"x"}"#,
            ),
            &mut n,
            &[],
        );
        let (b, _) = OutcomeClass::of_response(
            &resp(
                400,
                &[],
                r#"{"__type":"SerializationException","message":"x"}"#,
            ),
            &mut n,
            &[],
        );
        let (c, _) = OutcomeClass::of_response(
            &resp(
                500,
                &[],
                r#"{"__type":"NotAuthorizedException","message":"x"}"#,
            ),
            &mut n,
            &[],
        );
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert!(!a.same_kind(&c));
        assert!(a.same_kind(&a.clone()));
    }

    #[test]
    fn success_classes_by_member_names_and_faults_by_reason() {
        let mut n = Normaliser::new();
        let (ok, _) = OutcomeClass::of_response(&resp(200, &[], "{}"), &mut n, &[]);
        assert_eq!(ok.kind, OutcomeKind::Success);
        assert_eq!(ok.to_string(), "200 \"{}\"");
        let (user, _) =
            OutcomeClass::of_response(&resp(200, &[], r#"{"Username":"a","B":1}"#), &mut n, &[]);
        assert_eq!(user.template, "{B,Username}");
        let (html, _) = OutcomeClass::of_response(
            &resp(
                500,
                &[("content-type", "text/html")],
                "<html>boom 42</html>",
            ),
            &mut n,
            &[],
        );
        assert_eq!(html.kind, OutcomeKind::Fault);
        assert!(html
            .to_string()
            .starts_with("500 fault \"status # with a non-json body"));
    }

    #[test]
    fn echoed_request_strings_are_masked() {
        let mut n = Normaliser::new();
        let mut echo = |msg: &str, sent: &[&str]| {
            let body = serde_json::json!({"__type": "NotAuthorizedException", "message": msg});
            let sent: Vec<String> = sent.iter().map(|s| s.to_string()).collect();
            OutcomeClass::of_response(&resp(400, &[], &body.to_string()), &mut n, &sent)
                .0
                .template
        };
        assert_eq!(echo("ü", &["AccessToken", "ü"]), "*");
        assert_eq!(
            echo("bad token abcdef here", &["abcdef"]),
            "bad token * here"
        );
        assert_eq!(
            echo("Invalid Access Token", &["x", "In"]),
            "Invalid Access Token"
        );
    }

    #[test]
    fn tokens_never_reach_the_template() {
        let token = "eyJraWQiOiJrIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJ4In0.c2ln";
        let mut n = Normaliser::new();
        n.secret("access-token:alice", token);
        let body =
            format!(r#"{{"__type":"NotAuthorizedException","message":"bad token {token}"}}"#);
        let (class, _) = OutcomeClass::of_response(&resp(400, &[], &body), &mut n, &[]);
        assert!(!class.template.contains(token));
        assert_eq!(class.template, "bad token <access-token:alice~jwt-rs#>");
        let none = OutcomeClass::no_answer(&format!("timed out sending {token}"), &mut n);
        assert!(!none.to_string().contains("eyJ"));
    }
}
