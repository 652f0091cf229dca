//! Recognising and decoding JSON Web Tokens, so tokens can be snapshotted by their claims instead of their bytes.

use std::sync::LazyLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use regex::Regex;
use serde_json::Value;

/// A JWT inside longer text: its header always starts with `{"`, which base64url-encodes to `eyJ`.
pub(crate) static EMBEDDED_JWT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"eyJ[A-Za-z0-9_-]*=*\.[A-Za-z0-9_-]+=*\.[A-Za-z0-9_-]*=*").expect("valid regex")
});

/// Whether `s` can hold a match of [`EMBEDDED_JWT`]: every match starts with `eyJ`.
pub(crate) fn may_embed_jwt(s: &str) -> bool {
    static EYJ: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("eyJ"));
    super::volatile::holds(&EYJ, s)
}

/// Whether `s` is a whole JWT: three base64url segments whose header is a JSON object with `alg`.
pub fn looks_like_jwt(s: &str) -> bool {
    segments(s).is_some_and(|(header, _, _)| decode_header(header).is_some())
}

/// The decoded header and claims of a whole JWT (the signature is dropped), or `None` if `s` is not one.
pub fn decode_jwt(s: &str) -> Option<(Value, Value)> {
    let (header, claims, _) = segments(s)?;
    let header = decode_header(header)?;
    let claims = decode_json(claims).filter(Value::is_object)?;
    Some((header, claims))
}

fn segments(s: &str) -> Option<(&str, &str, &str)> {
    // Exactly two dots, found with a vectorised search, before anything else: this runs on every
    // string of every observation, and most hold none.
    let mut dots = memchr::memchr_iter(b'.', s.as_bytes());
    if dots.next().is_none() || dots.next().is_none() || dots.next().is_some() {
        return None;
    }
    let mut parts = s.split('.');
    let (header, claims, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || header.is_empty() || claims.is_empty() {
        return None;
    }
    [header, claims, signature]
        .iter()
        .all(|segment| is_base64url(segment))
        .then_some((header, claims, signature))
}

fn is_base64url(segment: &str) -> bool {
    segment
        .trim_end_matches('=')
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn decode_header(segment: &str) -> Option<Value> {
    decode_json(segment).filter(|header| header.get("alg").is_some_and(Value::is_string))
}

fn decode_json(segment: &str) -> Option<Value> {
    let bytes = URL_SAFE_NO_PAD.decode(segment.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE;
    use serde_json::json;

    /// A real-shaped token: base64url header and claims, and a fake signature.
    pub(crate) fn make_jwt(header: &Value, claims: &Value) -> String {
        let encode = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());
        format!(
            "{}.{}.c2lnbmF0dXJlLW5vdC1yZWFs",
            encode(header),
            encode(claims)
        )
    }

    fn header() -> Value {
        json!({"kid": "abc123=", "alg": "RS256"})
    }

    #[test]
    fn decodes_header_and_claims_and_drops_the_signature() {
        let claims = json!({"sub": "s", "token_use": "access"});
        let (h, c) = decode_jwt(&make_jwt(&header(), &claims)).unwrap();
        assert_eq!(h, header());
        assert_eq!(c, claims);
    }

    #[test]
    fn tolerates_padding() {
        let header = URL_SAFE.encode(br#"{"alg":"none"}"#);
        let claims = URL_SAFE.encode(br#"{"a":1}"#);
        assert!(header.ends_with('='), "test needs a padded segment");
        let token = format!("{header}.{claims}.");
        assert!(looks_like_jwt(&token));
        assert_eq!(decode_jwt(&token).unwrap().1, json!({"a": 1}));
    }

    #[test]
    fn rejects_strings_that_are_not_tokens() {
        let no_alg = make_jwt(&json!({"typ": "JWT"}), &json!({}));
        let array_claims = make_jwt(&header(), &json!([1]));
        for s in [
            "",
            "a.b.c",
            "abc",
            "us-east-1_AbCdEf",
            "eyJhbGciOiJub25lIn0.eyJ9",
            "eyJ!.eyJ.x",
            no_alg.as_str(),
        ] {
            assert!(!looks_like_jwt(s), "{s:?}");
            assert!(decode_jwt(s).is_none(), "{s:?}");
        }
        assert!(looks_like_jwt(&array_claims));
        assert!(decode_jwt(&array_claims).is_none());
        let extra_segment = format!("{}.x", make_jwt(&header(), &json!({})));
        assert!(!looks_like_jwt(&extra_segment));
    }

    #[test]
    fn finds_tokens_inside_sentences() {
        let token = make_jwt(&header(), &json!({"sub": "x"}));
        let text = format!("Invalid token: {token}. Try again.");
        let found = EMBEDDED_JWT.find(&text).unwrap().as_str();
        assert_eq!(found, token);
    }
}
