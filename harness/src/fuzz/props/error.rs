//! Properties of awsJson1.1 error parsing: it never panics, classifies by status, and recovers the
//! bare type name from every wire form (`ns#Name`, `Name:http://...`, `__type`, `code`, X-Amzn-Errortype).

use std::time::Duration;

use arbitrary::Arbitrary;
use serde_json::{json, Value};

use crate::exchange::smithy::sanitize_error_type;
use crate::exchange::{interpret, Interpreted, WireResponse};

/// A raw answer: any status, any header values, any body bytes.
#[derive(Debug, Clone, Arbitrary)]
pub struct ErrorBytes {
    pub status: u16,
    pub error_header: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl ErrorBytes {
    pub fn response(&self) -> WireResponse {
        let mut headers = Vec::new();
        if let Some(h) = &self.error_header {
            headers.push(("x-amzn-errortype".to_owned(), h.clone()));
        }
        if let Some(c) = &self.content_type {
            headers.push(("content-type".to_owned(), c.clone()));
        }
        WireResponse {
            status: 100 + self.status % 500,
            headers,
            body: self.body.clone(),
            elapsed: Duration::ZERO,
        }
    }
}

/// `interpret` never panics; a 2xx is never an error; an error's type is non-empty and bare (no `:`,
/// no `#`, no surrounding blanks); and a body `__type` alone decides the type when there is no header.
pub fn check_error_bytes(input: &ErrorBytes) -> Result<(), String> {
    let resp = input.response();
    let success = (200..300).contains(&resp.status);
    match interpret(&resp) {
        Interpreted::Error { error_type, .. } => {
            if success {
                return Err(format!("status {} interpreted as an error", resp.status));
            }
            if error_type.is_empty()
                || error_type.contains([':', '#'])
                || error_type.trim() != error_type
            {
                return Err(format!("error type `{error_type}` is not a bare name"));
            }
            if input.error_header.is_none() {
                let body: Option<Value> = serde_json::from_slice(&resp.body).ok();
                let from_type = body
                    .as_ref()
                    .and_then(|b| b.get("__type"))
                    .and_then(Value::as_str)
                    .map(sanitize_error_type)
                    .filter(|t| !t.is_empty());
                if let Some(expected) = from_type {
                    if expected != error_type {
                        return Err(format!(
                            "body __type gives `{expected}`, interpret says `{error_type}`"
                        ));
                    }
                }
            }
        }
        Interpreted::Success(_) if !success => {
            return Err(format!("status {} interpreted as a success", resp.status));
        }
        Interpreted::Success(_) | Interpreted::Fault(_) => {}
    }
    Ok(())
}

/// Where and how a type name travels.
#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Carrier {
    Header,
    BodyType,
    BodyCode,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Form {
    Bare,
    Namespaced,
    TrailingColon,
    ColonUrl,
    NamespacedColonUrl,
}

/// A type name written in one wire form, maybe next to a decoy in a lower-priority place.
#[derive(Debug, Clone, Arbitrary)]
pub struct ErrorCase {
    pub name: String,
    pub namespace: String,
    pub carrier: Carrier,
    pub form: Form,
    pub status: u16,
    pub message: Option<String>,
    /// Another name in a place the rules read later (body `code` behind `__type`, body behind header).
    pub decoy: Option<String>,
}

/// Keeps the characters a Smithy shape name may have; `None` when nothing is left.
fn identifier(raw: &str, fallback: &str) -> String {
    let kept: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(64)
        .collect();
    if kept.starts_with(|c: char| c.is_ascii_alphabetic()) {
        kept
    } else {
        format!("{fallback}{kept}")
    }
}

impl ErrorCase {
    pub(crate) fn bare_name(&self) -> String {
        identifier(&self.name, "E")
    }

    fn written(&self) -> String {
        let name = self.bare_name();
        let ns = identifier(&self.namespace, "ns").to_lowercase();
        match self.form {
            Form::Bare => name,
            Form::Namespaced => format!("com.{ns}#{name}"),
            Form::TrailingColon => format!("{name}:"),
            Form::ColonUrl => {
                format!("{name}:http://internal.amazon.com/coral/com.amazon.coral.validate/")
            }
            Form::NamespacedColonUrl => format!("{ns}#{name}:http://internal.amazon.com/x#y"),
        }
    }

    pub fn response(&self) -> WireResponse {
        let written = self.written();
        let decoy = self.decoy.as_deref().map(|d| identifier(d, "D"));
        let mut headers = vec![(
            "content-type".to_owned(),
            "application/x-amz-json-1.1".to_owned(),
        )];
        let mut body = json!({});
        if let Some(m) = &self.message {
            body["message"] = json!(m);
        }
        match self.carrier {
            Carrier::Header => {
                headers.push(("X-Amzn-Errortype".to_owned(), written));
                if let Some(d) = decoy {
                    body["__type"] = json!(d);
                }
            }
            Carrier::BodyType => {
                body["__type"] = json!(written);
                if let Some(d) = decoy {
                    body["code"] = json!(d);
                }
            }
            Carrier::BodyCode => body["code"] = json!(written),
        }
        WireResponse {
            status: 400 + self.status % 200,
            headers,
            body: serde_json::to_vec(&body).unwrap_or_default(),
            elapsed: Duration::ZERO,
        }
    }
}

/// The bare name comes back from every form and carrier, whatever decoy sits behind it.
pub fn check_error_round_trip(case: &ErrorCase) -> Result<(), String> {
    let expected = case.bare_name();
    match interpret(&case.response()) {
        Interpreted::Error {
            error_type,
            message,
            ..
        } => {
            if error_type != expected {
                return Err(format!(
                    "wrote `{}` ({:?}), parsed `{error_type}`",
                    case.written(),
                    case.carrier
                ));
            }
            if message != case.message {
                return Err(format!(
                    "message {:?} came back as {message:?}",
                    case.message
                ));
            }
            Ok(())
        }
        other => Err(format!(
            "`{}` was not parsed as an error: {other:?}",
            case.written()
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use arbitrary::Unstructured;

    use super::*;
    use crate::fuzz::source::iteration_bytes;

    #[test]
    fn holds_for_generated_cases() {
        for i in 0..300 {
            let bytes = iteration_bytes(4, i);
            let mut u = Unstructured::new(&bytes);
            check_error_round_trip(&ErrorCase::arbitrary(&mut u).unwrap()).unwrap();
            check_error_bytes(&ErrorBytes::arbitrary(&mut u).unwrap()).unwrap();
        }
    }

    #[test]
    fn catches_a_wrong_name() {
        let case = ErrorCase {
            name: "NotAuthorizedException".into(),
            namespace: "x".into(),
            carrier: Carrier::BodyType,
            form: Form::NamespacedColonUrl,
            status: 0,
            message: Some("m".into()),
            decoy: Some("Other".into()),
        };
        check_error_round_trip(&case).unwrap();
        assert_eq!(case.response().status, 400);
        let bytes = ErrorBytes {
            status: 100,
            error_header: None,
            content_type: None,
            body: br#"{"__type":"a#B:c"}"#.to_vec(),
        };
        check_error_bytes(&bytes).unwrap();
    }
}
