//! Which values change from run to run regardless of what the run registered: by key name or by format.

use std::sync::LazyLock;

use memchr::memmem::Finder;
use regex::Regex;

/// Kinds of the placeholders for values volatile by nature; each placeholder adds the value's shape class
/// (`<session~base64/long>`), see [`super::shape`].
pub(crate) const KID: &str = "kid";
pub(crate) const HASH: &str = "hash";
pub(crate) const JWT: &str = "jwt";
pub(crate) const REQUEST_ID: &str = "request-id";
pub(crate) const SESSION: &str = "session";
pub(crate) const TOTP_SECRET: &str = "totp-secret";
pub(crate) const ACCESS_TOKEN: &str = "access-token";
pub(crate) const ID_TOKEN: &str = "id-token";
pub(crate) const REFRESH_TOKEN: &str = "refresh-token";
/// The kind of a timestamp written as a string: `<date:iso8601>`, `<date:epoch-seconds>` (see
/// [`super::shape::DateShape`]); timestamps written as numbers stay numbers.
pub(crate) const DATE: &str = "date";
/// An HTTP `date` header (RFC 7231 IMF-fixdate).
pub(crate) const HTTP_DATE: &str = "<date:http-date>";
pub(crate) const PORT: &str = "<port>";
pub(crate) const LINE: &str = "<line>";

pub(crate) static UUID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")
        .expect("valid regex")
});

/// Whether `s` can hold a match of [`UUID`]: four `-` five bytes apart (`8-4-4-4-12`), with room
/// for the 8 bytes before the first and the 12 after the last. Base64 tokens hold a `-` here and
/// there, and running the regex over every such token was a good part of its cost.
pub(crate) fn may_hold_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() >= 36
        && memchr::memchr_iter(b'-', b).any(|at| {
            at >= 8
                && at + 28 <= b.len()
                && b[at + 5] == b'-'
                && b[at + 10] == b'-'
                && b[at + 15] == b'-'
        })
}

/// A loopback `host:port`: emulators put the address they were reached on (a free port picked per
/// run) into values such as cognito-local's token issuer.
pub(crate) static LOOPBACK_PORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:127\.0\.0\.1|localhost):[0-9]{1,5}\b").expect("valid regex")
});

/// Whether `s` can hold a match of [`LOOPBACK_PORT`]: one of its two hosts and a colon.
pub(crate) fn may_hold_loopback_port(s: &str) -> bool {
    static IP: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("127.0.0.1:"));
    static NAME: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("localhost:"));
    holds(&IP, s) || holds(&NAME, s)
}

/// Whether `finder`'s needle occurs in `s`. The prechecks' needles are fixed, so each searcher is
/// built once: `str::contains` builds one for every call, which was most of a precheck's cost.
pub(crate) fn holds(finder: &Finder<'_>, s: &str) -> bool {
    s.len() >= finder.needle().len() && finder.find(s.as_bytes()).is_some()
}

/// `127.0.0.1:40767` → `127.0.0.1:<port>`.
pub(crate) fn loopback_port(host_port: &str) -> String {
    let host = host_port.rsplit_once(':').map_or(host_port, |(h, _)| h);
    format!("{host}:{PORT}")
}

/// A frame of Node.js's own code in a stack trace (`node:events:524:28`): emulators running on Node
/// (cognito-local) show these in error pages, and the line and column change with the Node version
/// installed on the machine, which the harness does not pin.
pub(crate) static NODE_INTERNAL_FRAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bnode:[A-Za-z0-9_/]+:[0-9]+:[0-9]+\b").expect("valid regex"));

/// Whether `s` can hold a match of [`NODE_INTERNAL_FRAME`]: every match starts with `node:`.
pub(crate) fn may_hold_node_frame(s: &str) -> bool {
    static NODE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("node:"));
    holds(&NODE, s)
}

/// `node:events:524:28` → `node:events:<line>`.
pub(crate) fn node_internal_frame(frame: &str) -> String {
    let module = frame.rsplitn(3, ':').nth(2).unwrap_or(frame);
    format!("{module}:{LINE}")
}

static ISO_8601: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$",
    )
    .expect("valid regex")
});

/// What a JSON member's key says about its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyRule {
    /// `CreationDate`, `UserLastModifiedDate`, …: numbers become the canonical number of their epoch class,
    /// ISO-8601 and numeric strings `<date:iso8601>` / `<date:epoch-seconds>`.
    Date,
    /// An opaque value replaced whole unless it is a registered secret.
    Opaque(&'static str),
    /// A token: decoded when it is a JWT, else replaced whole like an opaque value. Real refresh tokens
    /// are encrypted (five segments) and emulators use UUIDs, so the key is what marks them secret.
    Token(&'static str),
    None,
}

pub(crate) fn key_rule(key: &str) -> KeyRule {
    match key {
        "Session" => KeyRule::Opaque(SESSION),
        "SecretCode" => KeyRule::Opaque(TOTP_SECRET),
        "AccessToken" => KeyRule::Token(ACCESS_TOKEN),
        "IdToken" => KeyRule::Token(ID_TOKEN),
        "RefreshToken" => KeyRule::Token(REFRESH_TOKEN),
        k if k.ends_with("Date") => KeyRule::Date,
        _ => KeyRule::None,
    }
}

/// What a JWT claim's name says about its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClaimRule {
    Sub,
    Epoch,
    Uuid,
    Hash,
    None,
}

pub(crate) fn claim_rule(claim: &str) -> ClaimRule {
    match claim {
        "sub" => ClaimRule::Sub,
        "iat" | "exp" | "auth_time" | "nbf" => ClaimRule::Epoch,
        "jti" | "origin_jti" | "event_id" => ClaimRule::Uuid,
        "at_hash" | "c_hash" => ClaimRule::Hash,
        _ => ClaimRule::None,
    }
}

/// The placeholder for a response header whose value is volatile by nature.
pub(crate) fn header_placeholder(name: &str, value: &str) -> Option<String> {
    match name.to_ascii_lowercase().as_str() {
        "x-amzn-requestid" | "x-amz-request-id" => Some(super::pieces::shaped(
            REQUEST_ID,
            &super::shape::of_str(value),
        )),
        "date" => Some(HTTP_DATE.to_owned()),
        _ => None,
    }
}

pub(crate) fn is_iso_8601(s: &str) -> bool {
    ISO_8601.is_match(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_keys_are_recognised_by_suffix() {
        for key in [
            "CreationDate",
            "LastModifiedDate",
            "UserCreateDate",
            "UserLastModifiedDate",
        ] {
            assert_eq!(key_rule(key), KeyRule::Date, "{key}");
        }
        assert_eq!(key_rule("DateFormat"), KeyRule::None);
        assert_eq!(key_rule("Session"), KeyRule::Opaque(SESSION));
        assert_eq!(key_rule("SecretCode"), KeyRule::Opaque(TOTP_SECRET));
    }

    #[test]
    fn iso_8601_forms() {
        for s in [
            "2024-05-01",
            "2024-05-01T10:00:00Z",
            "2024-05-01T10:00:00.123+02:00",
            "2024-05-01 10:00",
        ] {
            assert!(is_iso_8601(s), "{s}");
        }
        for s in ["", "yesterday", "2024-05", "<date>", "1714557600"] {
            assert!(!is_iso_8601(s), "{s}");
        }
    }

    #[test]
    fn uuids_are_found_inside_text_but_not_inside_longer_hex_runs() {
        let text =
            "id 3f2504e0-4f89-11d3-9a0c-0305e82c3301 and x3f2504e0-4f89-11d3-9a0c-0305e82c3301";
        let found: Vec<_> = UUID.find_iter(text).map(|m| m.start()).collect();
        assert_eq!(found, vec![3]);
    }

    /// The precheck holds wherever the regex matches: UUIDs at either end, in the middle, in
    /// tokens with dashes of their own, and next to near-misses.
    #[test]
    fn every_uuid_passes_the_precheck() {
        let uuid = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
        let near = "3f2504e0-4f89-11d3-9a0c0305e82c3301-";
        for (before, after) in [
            ("", ""),
            ("x ", ""),
            ("", " y"),
            ("a-b-c ", " d-e"),
            (near, " "),
        ] {
            let s = format!("{before}{uuid}{after}");
            assert!(UUID.is_match(&s) && may_hold_uuid(&s), "{s}");
        }
        for s in [near, "eyJhbGciOi-JIUzI1NiJ9-eyJzdWIiOiIxMjM0NTY3ODkwIn0-x"] {
            assert!(!may_hold_uuid(s) && !UUID.is_match(s), "{s}");
        }
    }

    #[test]
    fn loopback_ports_are_found_in_urls() {
        let url = "http://127.0.0.1:40767/us-east-1_abc";
        let m = LOOPBACK_PORT.find(url).map(|m| m.as_str());
        assert_eq!(m, Some("127.0.0.1:40767"));
        assert_eq!(loopback_port("127.0.0.1:40767"), "127.0.0.1:<port>");
        assert_eq!(loopback_port("localhost:9229"), "localhost:<port>");
        assert!(!LOOPBACK_PORT.is_match("https://cognito-idp.us-east-1.amazonaws.com/x"));
        assert!(!LOOPBACK_PORT.is_match("127.0.0.10:80"));
    }

    #[test]
    fn node_internal_frames_lose_their_line_and_column() {
        let trace = "at IncomingMessage.emit (node:events:524:28)<br> at endReadableNT \
                     (node:internal/streams/readable:1698:12) at parse (/x/json.js:93:21)";
        let found: Vec<_> = NODE_INTERNAL_FRAME
            .find_iter(trace)
            .map(|m| node_internal_frame(m.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                "node:events:<line>",
                "node:internal/streams/readable:<line>"
            ]
        );
        assert!(!NODE_INTERNAL_FRAME.is_match("node:events"));
        assert!(!NODE_INTERNAL_FRAME.is_match("xnode:events:1:2"));
    }

    #[test]
    fn request_id_headers() {
        assert_eq!(
            header_placeholder("x-amzn-requestid", "c0ffee00-1234-5678-9abc-def012345678"),
            Some("<request-id~uuid>".to_owned())
        );
        assert_eq!(
            header_placeholder("Date", "Wed, 02 Dec 2026 10:00:00 GMT"),
            Some("<date:http-date>".to_owned())
        );
        assert_eq!(header_placeholder("content-type", "x"), None);
    }
}
