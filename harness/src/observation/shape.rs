//! The shape class of a value a placeholder stands for: what a client could notice about it (format,
//! alphabet, case, length) and nothing of its content, so a placeholder can say which format it
//! replaced while a secret stays secret.
//!
//! Classes are chosen so that values drawn by one generator fall into the same class run after run:
//! alphabets that a random value of a wider class would hit by chance (base64 without `+/-_`, or
//! lower-case base32) are folded into the wider class. See `docs/normalisation.md`.

use std::sync::LazyLock;

use regex::Regex;

use super::jwt::decode_jwt;
use super::volatile::{is_iso_8601, UUID};

/// Values up to this many characters show their exact length; longer ones show `long`.
pub(crate) const EXACT_LENGTH_UP_TO: usize = 64;

/// A Cognito-style regional id: `us-east-1_AbC123xyz` (region, `_`, letters and digits).
static REGIONAL_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z]{2}(?:-[a-z]+)+-[0-9]+_([0-9A-Za-z]+)$").expect("valid regex")
});

static WHOLE_UUID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^{}$", UUID.as_str())).expect("valid regex"));

/// A number written as a JSON string: `1796213740`, `1796213740.402`.
static NUMERIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^-?[0-9]+(?:\.[0-9]+)?$").expect("valid regex"));

/// Alphabets from the narrowest to the widest; a value gets the first one that holds all its characters.
const ALPHABETS: [&str; 7] = [
    "digits",
    "hex-lower",
    "hex-upper",
    "base32-upper",
    "alnum-lower",
    "alnum-upper",
    "base64",
];

/// Which of [`ALPHABETS`] hold `c`, as bit `i` for the `i`-th. One pass over a value finds the
/// alphabets holding all of it; a test per alphabet walked it up to seven times, each character
/// through a function pointer.
fn alphabets_of(c: char) -> u8 {
    let holds = [
        c.is_ascii_digit(),
        matches!(c, '0'..='9' | 'a'..='f'),
        matches!(c, '0'..='9' | 'A'..='F'),
        matches!(c, 'A'..='Z' | '2'..='7' | '='),
        matches!(c, '0'..='9' | 'a'..='z'),
        matches!(c, '0'..='9' | 'A'..='Z'),
        c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_' | '='),
    ];
    holds
        .iter()
        .enumerate()
        .fold(0, |bits, (i, &held)| bits | (u8::from(held) << i))
}

/// The narrowest of [`ALPHABETS`] that holds every character of `s`, if one does.
fn alphabet(s: &str) -> Option<&'static str> {
    let mut bits = (1u8 << ALPHABETS.len()) - 1;
    for c in s.chars() {
        bits &= alphabets_of(c);
        if bits == 0 {
            return None;
        }
    }
    ALPHABETS
        .iter()
        .enumerate()
        .find(|&(i, _)| bits & (1 << i) != 0)
        .map(|(_, name)| *name)
}

/// The shape class of a string: `uuid`, `jwt-rs256`, `jwe`, `region_9`, or `<alphabet>/<length>`
/// such as `base32-upper/32`, `alnum-lower/26`, `text/long`.
pub(crate) fn of_str(s: &str) -> String {
    if s.is_empty() {
        return "empty".to_owned();
    }
    // Each class's regex or decoder runs only on strings that can be of it (most are none): a
    // UUID is 36 bytes, a JWT has two dots and a JWE four, a regional id has a `_`.
    if s.len() == 36 && WHOLE_UUID.is_match(s) {
        return match (
            s.bytes().any(|b| b.is_ascii_lowercase()),
            s.bytes().any(|b| b.is_ascii_uppercase()),
        ) {
            (_, false) => "uuid",
            (false, true) => "uuid-upper",
            (true, true) => "uuid-mixed",
        }
        .to_owned();
    }
    let dots = memchr::memchr_iter(b'.', s.as_bytes()).count();
    if dots == 2 {
        if let Some((header, _)) = decode_jwt(s) {
            let alg = header.get("alg").and_then(|a| a.as_str()).unwrap_or("");
            return format!("jwt-{}", word(alg));
        }
    }
    if dots == 4 && is_jwe(s) {
        return "jwe".to_owned();
    }
    let regional = s.contains('_').then(|| REGIONAL_ID.captures(s)).flatten();
    if let Some(suffix) = regional.and_then(|c| c.get(1)) {
        return format!("region_{}", length(suffix.as_str()));
    }
    let alphabet = alphabet(s).unwrap_or("text");
    format!("{alphabet}/{}", length(s))
}

/// Five base64url segments whose first is a JSON header with `enc`: an encrypted token (real refresh tokens).
fn is_jwe(s: &str) -> bool {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 5
        && URL_SAFE_NO_PAD
            .decode(parts[0].trim_end_matches('='))
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .is_some_and(|h| h.get("enc").is_some())
}

fn length(s: &str) -> String {
    let n = s.chars().count();
    if n <= EXACT_LENGTH_UP_TO {
        n.to_string()
    } else {
        "long".to_owned()
    }
}

/// Lower-case letters, digits and `-` only, so an algorithm name fits a placeholder.
fn word(s: &str) -> String {
    let w: String = s
        .chars()
        .take(16)
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9') => c,
            _ => '-',
        })
        .collect();
    if w.is_empty() {
        "none".to_owned()
    } else {
        w
    }
}

/// How a timestamp is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateShape {
    /// Seconds since 1970 (a fraction allowed): the awsJson1.1 default (Smithy `epoch-seconds`).
    EpochSeconds,
    /// Milliseconds since 1970: what `Date.now()` gives; a client reading seconds lands in year 50000+.
    EpochMillis,
    /// Microseconds since 1970 or larger.
    EpochMicros,
    /// ISO 8601 / RFC 3339 date and time (Smithy `date-time`).
    Iso8601,
    /// ISO 8601 date without a time.
    Iso8601Date,
}

impl DateShape {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DateShape::EpochSeconds => "epoch-seconds",
            DateShape::EpochMillis => "epoch-millis",
            DateShape::EpochMicros => "epoch-micros",
            DateShape::Iso8601 => "iso8601",
            DateShape::Iso8601Date => "iso8601-date",
        }
    }

    /// The number a timestamp sent as a JSON number of this shape becomes: it stays a number, and its
    /// value says the class (`1234567890` is 2009-02-13T23:31:30Z in seconds).
    pub(crate) fn canonical_number(self) -> serde_json::Value {
        match self {
            DateShape::EpochMillis => 1_234_567_890_000_u64.into(),
            DateShape::EpochMicros => 1_234_567_890_000_000_u64.into(),
            _ => 1_234_567_890_u64.into(),
        }
    }
}

/// The shape of an epoch number by its magnitude: below 10^11 seconds (until year 5138), below 10^14
/// milliseconds, else microseconds.
pub(crate) fn of_epoch(n: f64) -> DateShape {
    let n = n.abs();
    if n < 1e11 {
        DateShape::EpochSeconds
    } else if n < 1e14 {
        DateShape::EpochMillis
    } else {
        DateShape::EpochMicros
    }
}

/// The shape of a timestamp written as a string, or `None` if the string is not one.
pub(crate) fn of_date_str(s: &str) -> Option<DateShape> {
    if NUMERIC.is_match(s) {
        return s.parse::<f64>().ok().map(of_epoch);
    }
    if is_iso_8601(s) {
        return Some(if s.len() == 10 {
            DateShape::Iso8601Date
        } else {
            DateShape::Iso8601
        });
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::observation::jwt::tests::make_jwt;
    use serde_json::json;

    #[test]
    fn formats_with_a_name() {
        assert_eq!(of_str("9a8b7c6d-1111-2222-3333-444455556666"), "uuid");
        assert_eq!(of_str("9A8B7C6D-1111-2222-3333-444455556666"), "uuid-upper");
        assert_eq!(of_str("us-east-1_AbC123xyz"), "region_9");
        assert_eq!(of_str("eu-central-1_Q"), "region_1");
        let jwt = make_jwt(&json!({"alg": "RS256"}), &json!({"sub": "x"}));
        assert_eq!(of_str(&jwt), "jwt-rs256");
        let none = make_jwt(&json!({"alg": "none"}), &json!({}));
        assert_eq!(of_str(&none), "jwt-none");
        let jwe =
            "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.a2V5.aXY.Y2lwaGVy.dGFn";
        assert_eq!(of_str(jwe), "jwe");
        assert_eq!(of_str(""), "empty");
    }

    #[test]
    fn alphabets_and_lengths() {
        assert_eq!(of_str("JBSWY3DPEHPK3PXP"), "base32-upper/16");
        assert_eq!(of_str("jbswy3dpehpk3pxp"), "alnum-lower/16");
        assert_eq!(of_str("4k1b2c3d4e5f6g7h8i9j0klmno"), "alnum-lower/26");
        assert_eq!(of_str("0123456789abcdef0123456789abcdef"), "hex-lower/32");
        assert_eq!(of_str("0123456789ABCDEF"), "hex-upper/16");
        assert_eq!(of_str("JBSWY3DPEHPK3PX0"), "alnum-upper/16");
        assert_eq!(of_str("AbC+/9_-="), "base64/9");
        assert_eq!(of_str("Sup3r-Secret!"), "text/13");
        assert_eq!(of_str("123456"), "digits/6");
        assert_eq!(of_str(&"G".repeat(65)), "base32-upper/long");
        assert_eq!(of_str(&"G".repeat(64)), "base32-upper/64");
    }

    #[test]
    fn a_shape_never_holds_content() {
        for s in ["Sup3r-Secret!", "JBSWY3DPEHPK3PXP", "us-east-1_AbC123xyz"] {
            let shape = of_str(s);
            assert!(!shape.contains(s), "{shape}");
            assert!(shape
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_/".contains(c)));
        }
    }

    #[test]
    fn dates_by_format() {
        assert_eq!(of_epoch(1_796_213_740.402), DateShape::EpochSeconds);
        assert_eq!(of_epoch(1_796_213_740_402.0), DateShape::EpochMillis);
        assert_eq!(of_epoch(1.7e15), DateShape::EpochMicros);
        assert_eq!(of_date_str("1796213740.402"), Some(DateShape::EpochSeconds));
        assert_eq!(of_date_str("1796213740402"), Some(DateShape::EpochMillis));
        assert_eq!(
            of_date_str("2026-12-02T10:00:00Z"),
            Some(DateShape::Iso8601)
        );
        assert_eq!(of_date_str("2026-12-02"), Some(DateShape::Iso8601Date));
        assert_eq!(of_date_str("yesterday"), None);
        for shape in [
            DateShape::EpochSeconds,
            DateShape::EpochMillis,
            DateShape::EpochMicros,
        ] {
            let n = shape.canonical_number().as_f64().unwrap();
            assert_eq!(of_epoch(n), shape, "a canonical number keeps its class");
        }
    }
}
