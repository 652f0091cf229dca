//! Fuzz payloads as written: a JSON tree that may repeat keys and holds fixture variables, or raw bytes.
//!
//! Fixture values (the access token above all) travel as markers until the request is sent, so a payload,
//! a shrunk payload and a written scenario never contain a real token.

use std::fmt::Write as _;

use super::generate::MutationKind;

/// A fixture value a payload may refer to; rendered as `${alice.access_token}` etc. in a found scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Var {
    AccessToken,
    PoolId,
    ClientId,
    Username,
}

impl Var {
    pub const ALL: [Var; 4] = [Var::AccessToken, Var::PoolId, Var::ClientId, Var::Username];

    /// The scenario variable name of the fixture value.
    pub fn name(self) -> &'static str {
        match self {
            Var::AccessToken => "alice.access_token",
            Var::PoolId => "pool.id",
            Var::ClientId => "client.id",
            Var::Username => "alice.username",
        }
    }

    /// The bytes that stand for the value inside a payload until it is sent.
    pub(crate) fn marker(self) -> String {
        format!("\u{0}{}\u{0}", self.name())
    }

    /// The variable a member name usually carries in Cognito inputs.
    pub(crate) fn for_member(member: &str) -> Option<Var> {
        match member {
            "AccessToken" => Some(Var::AccessToken),
            "UserPoolId" => Some(Var::PoolId),
            "ClientId" => Some(Var::ClientId),
            "Username" => Some(Var::Username),
            _ => None,
        }
    }
}

/// A JSON document that, unlike `serde_json::Value`, can hold duplicate keys and variables.
#[derive(Debug, Clone, PartialEq)]
pub enum Doc {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Var(Var),
    /// JSON text written verbatim (a number no Rust type holds, such as `1e400`).
    Verbatim(String),
    List(Vec<Doc>),
    /// Members in order; a key may repeat.
    Object(Vec<(String, Doc)>),
}

impl Doc {
    /// The JSON text, with variables as markers.
    pub(crate) fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Doc::Null => out.push_str("null"),
            Doc::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Doc::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Doc::Float(f) => match serde_json::Number::from_f64(*f) {
                Some(n) => {
                    let _ = write!(out, "{n}");
                }
                None => out.push_str("null"),
            },
            Doc::Str(s) => out.push_str(&serde_json::Value::from(s.as_str()).to_string()),
            Doc::Var(v) => {
                out.push('"');
                out.push_str(&v.marker());
                out.push('"');
            }
            Doc::Verbatim(text) => out.push_str(text),
            Doc::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Doc::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::from(key.as_str()).to_string());
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }

    /// Every string value and key, in document order.
    pub(crate) fn strings(&self, out: &mut Vec<String>) {
        match self {
            Doc::Str(s) => out.push(s.clone()),
            Doc::List(items) => items.iter().for_each(|i| i.strings(out)),
            Doc::Object(members) => {
                for (k, v) in members {
                    out.push(k.clone());
                    v.strings(out);
                }
            }
            _ => {}
        }
    }

    /// Nodes in the tree, counting this one.
    pub fn size(&self) -> usize {
        1 + match self {
            Doc::List(items) => items.iter().map(Doc::size).sum(),
            Doc::Object(members) => members.iter().map(|(_, v)| v.size()).sum(),
            _ => 0,
        }
    }
}

/// A request body to send to one operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload {
    pub operation: String,
    pub kind: MutationKind,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Json(Doc),
    /// Bytes sent as they are, markers aside (malformed JSON, truncations, invalid UTF-8).
    Raw(Vec<u8>),
}

impl Payload {
    /// The body with variables as markers.
    pub fn template(&self) -> Vec<u8> {
        match &self.body {
            Body::Json(doc) => doc.to_text().into_bytes(),
            Body::Raw(bytes) => bytes.clone(),
        }
    }

    /// The body to send, each marker replaced by the value `value` gives.
    pub fn render(&self, value: impl Fn(Var) -> String) -> Vec<u8> {
        let mut bytes = self.template();
        for var in Var::ALL {
            bytes = replace_bytes(&bytes, var.marker().as_bytes(), value(var).as_bytes());
        }
        bytes
    }

    /// The strings a target may echo back in a message (values and keys of a JSON body).
    pub(crate) fn echoes(&self) -> Vec<String> {
        let mut out = Vec::new();
        match &self.body {
            Body::Json(doc) => doc.strings(&mut out),
            Body::Raw(bytes) => {
                let text = String::from_utf8_lossy(bytes);
                out.extend(text.split('"').skip(1).step_by(2).map(str::to_owned));
            }
        }
        out
    }

    /// Length of the template: what shrinking makes smaller.
    pub fn len(&self) -> usize {
        self.template().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `haystack` with every non-overlapping `needle` replaced by `with`.
pub(crate) fn replace_bytes(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    if needle.is_empty() {
        return haystack.to_vec();
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_and_variables_are_written_as_json_text() {
        let doc = Doc::Object(vec![
            ("AccessToken".into(), Doc::Var(Var::AccessToken)),
            ("A".into(), Doc::Int(1)),
            ("A".into(), Doc::Str("x\"y".into())),
            ("F".into(), Doc::Float(f64::NAN)),
            ("V".into(), Doc::Verbatim("1e400".into())),
        ]);
        assert_eq!(
            doc.to_text(),
            "{\"AccessToken\":\"\u{0}alice.access_token\u{0}\",\"A\":1,\"A\":\"x\\\"y\",\"F\":null,\"V\":1e400}"
        );
        assert_eq!(doc.size(), 6);
    }

    #[test]
    fn render_replaces_every_marker() {
        let p = Payload {
            operation: "GetUser".into(),
            kind: MutationKind::Valid,
            body: Body::Json(Doc::List(vec![
                Doc::Var(Var::AccessToken),
                Doc::Var(Var::PoolId),
                Doc::Var(Var::AccessToken),
            ])),
        };
        let out = p.render(|v| format!("<{}>", v.name()));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "[\"<alice.access_token>\",\"<pool.id>\",\"<alice.access_token>\"]"
        );
        assert!(!p.is_empty());
        assert_eq!(p.echoes(), Vec::<String>::new());
        let raw = Payload {
            operation: "GetUser".into(),
            kind: MutationKind::RawBody,
            body: Body::Raw(b"{\"a\":\"b\",\"c".to_vec()),
        };
        assert_eq!(
            raw.echoes(),
            ["a", "b", "c"],
            "an unterminated string is echoed too"
        );
    }

    #[test]
    fn replace_bytes_handles_edges() {
        assert_eq!(replace_bytes(b"aXbX", b"X", b"yy"), b"ayybyy");
        assert_eq!(replace_bytes(b"abc", b"", b"z"), b"abc");
        assert_eq!(replace_bytes(b"XX", b"XX", b""), b"");
    }
}
