//! The request and response as they cross the wire, before any interpretation.

use std::time::Duration;

/// One HTTP exchange to send: AWS JSON 1.1 by default, anything at all for raw steps.
#[derive(Debug, Clone, PartialEq)]
pub struct WireRequest {
    /// `X-Amz-Target` header value; `None` sends no such header.
    pub target: Option<String>,
    /// Headers in order; a header named here replaces the protocol default of the same name
    /// (case-insensitive), e.g. a wrong `Content-Type`.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Sign with SigV4 (`false` for noAuth operations, as the real SDKs do).
    pub sign: bool,
}

impl WireRequest {
    /// A well-formed AWS JSON 1.1 call of `operation`.
    pub fn json(operation: &str, body: &serde_json::Value, sign: bool) -> Self {
        WireRequest {
            target: Some(format!("{TARGET_PREFIX}.{operation}")),
            headers: Vec::new(),
            body: serde_json::to_vec(body).unwrap_or_default(),
            sign,
        }
    }
}

pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService";
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// What came back, uninterpreted. Header names are lower-case.
#[derive(Debug, Clone, PartialEq)]
pub struct WireResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub elapsed: Duration,
}

impl WireResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
impl WireResponse {
    /// An answer for unit tests: these headers and this body, received at once.
    pub fn canned(status: u16, headers: &[(&str, &str)], body: &[u8]) -> WireResponse {
        WireResponse {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.to_vec(),
            elapsed: std::time::Duration::ZERO,
        }
    }
}
