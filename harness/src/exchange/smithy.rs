//! Classifies a raw answer by the Smithy awsJson1_1 rules: success, modeled-style error, or fault.
//!
//! Pure: no I/O. See `/work/shared/aws-contract.md` P1–P3 for where the error type may travel.

use serde_json::Value;

use super::wire::{WireResponse, CONTENT_TYPE};

/// How many characters of a non-JSON body a fault reason quotes.
const FAULT_SNIPPET_CHARS: usize = 80;

/// What an answer means under AWS JSON 1.1.
#[derive(Debug, Clone, PartialEq)]
pub enum Interpreted {
    /// A 2xx answer; an empty body is `Value::Null`.
    Success(Value),
    /// A non-2xx answer that names its error type (bare shape name, namespace stripped).
    Error {
        error_type: String,
        message: Option<String>,
        body: Value,
    },
    /// Anything a Smithy client could not make sense of: not JSON, or an error without a type.
    Fault(String),
}

/// Interprets `resp` the way a Smithy awsJson1_1 client would.
pub fn interpret(resp: &WireResponse) -> Interpreted {
    let success = (200..300).contains(&resp.status);
    let body = match parse_body(&resp.body) {
        Ok(body) => body,
        Err(()) => return Interpreted::Fault(non_json_reason(resp)),
    };
    if let Some(content_type) = resp.header("content-type").filter(|ct| !is_json_type(ct)) {
        if body.is_some() {
            return Interpreted::Fault(format!(
                "status {} with content-type `{content_type}`, not json (expected `{CONTENT_TYPE}`)",
                resp.status
            ));
        }
    }
    if success {
        return Interpreted::Success(body.unwrap_or(Value::Null));
    }
    let body = body.unwrap_or(Value::Null);
    match error_type(resp, &body) {
        Some(error_type) => Interpreted::Error {
            error_type,
            message: error_message(&body),
            body,
        },
        None => Interpreted::Fault(format!(
            "status {} {} with no error type",
            resp.status,
            if body.is_null() {
                "and an empty body"
            } else {
                "json answer"
            }
        )),
    }
}

/// Reduces any of the wire forms of an error type to the bare shape name:
/// `ns#Name`, `Name:http://internal...` and `Name:` all give `Name`.
pub fn sanitize_error_type(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    let name = match before_colon.rfind('#') {
        Some(i) => &before_colon[i + 1..],
        None => before_colon,
    };
    name.trim()
}

/// JSON media types a Smithy client parses: `application/json` and `application/x-amz-json-1.x`
/// (parameters such as `charset` ignored).
pub(crate) fn is_json_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    [
        "application/json",
        "application/x-amz-json-1.0",
        CONTENT_TYPE,
    ]
    .iter()
    .any(|t| essence.eq_ignore_ascii_case(t))
}

/// `Ok(None)` for an empty body, `Err` for a body that is not JSON.
fn parse_body(body: &[u8]) -> Result<Option<Value>, ()> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(body).map(Some).map_err(|_| ())
}

fn error_type(resp: &WireResponse, body: &Value) -> Option<String> {
    let from_header = resp.header("x-amzn-errortype");
    let from_body = ["__type", "code"]
        .into_iter()
        .map(|key| body.get(key).and_then(Value::as_str));
    std::iter::once(from_header)
        .chain(from_body)
        .flatten()
        .map(sanitize_error_type)
        .find(|name| !name.is_empty())
        .map(str::to_owned)
}

fn error_message(body: &Value) -> Option<String> {
    ["message", "Message", "errorMessage"]
        .into_iter()
        .find_map(|key| body.get(key).and_then(Value::as_str))
        .map(str::to_owned)
}

fn non_json_reason(resp: &WireResponse) -> String {
    let content_type = resp.header("content-type").unwrap_or("none");
    let utf8 = if std::str::from_utf8(&resp.body).is_ok() {
        ""
    } else {
        " (invalid utf-8)"
    };
    format!(
        "status {} with a non-json body{utf8}, content-type `{content_type}`: `{}`",
        resp.status,
        snippet(&resp.body)
    )
}

/// The start of `body`, lossily decoded, with control characters escaped so it stays on one line.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = String::new();
    let mut chars = text.chars();
    for c in chars.by_ref().take(FAULT_SNIPPET_CHARS) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "smithy_tests.rs"]
mod tests;
