//! Names of forged access tokens (`${alice.forged.alg_none}` ...): one vocabulary for the loader's
//! variable check and for the plan that builds the tokens.

use std::fmt;

/// How a signed-in user's real access token is altered to make a forged one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Forgery {
    /// Header `alg` set to `none`, signature dropped (`header.payload.`).
    AlgNone,
    /// Header and payload kept, one byte of the signature changed.
    BadSignature,
    /// `exp` moved into the past, original signature kept.
    Expired,
    /// `sub` and `username` replaced by another fixture user's, original signature kept.
    SubOf(String),
}

/// The suffixes that need no other user, as written after `<user>.forged.`.
pub(crate) const SIMPLE_FORGERIES: [&str; 3] = ["alg_none", "bad_signature", "expired"];

impl Forgery {
    /// Parses what follows `<user>.forged.` (`alg_none`, `sub_of.bob`, ...).
    pub fn parse(rest: &str) -> Option<Forgery> {
        match rest {
            "alg_none" => Some(Forgery::AlgNone),
            "bad_signature" => Some(Forgery::BadSignature),
            "expired" => Some(Forgery::Expired),
            _ => rest
                .strip_prefix("sub_of.")
                .filter(|u| !u.is_empty() && !u.contains('.'))
                .map(|u| Forgery::SubOf(u.to_owned())),
        }
    }

    /// The short name used in redaction labels: `alg-none`, `sub-of-bob`.
    pub(crate) fn slug(&self) -> String {
        match self {
            Forgery::AlgNone => "alg-none".into(),
            Forgery::BadSignature => "bad-signature".into(),
            Forgery::Expired => "expired".into(),
            Forgery::SubOf(other) => format!("sub-of-{other}"),
        }
    }
}

impl fmt::Display for Forgery {
    /// The variable suffix after `<user>.forged.`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Forgery::AlgNone => f.write_str("alg_none"),
            Forgery::BadSignature => f.write_str("bad_signature"),
            Forgery::Expired => f.write_str("expired"),
            Forgery::SubOf(other) => write!(f, "sub_of.{other}"),
        }
    }
}

/// Splits a variable name such as `alice.forged.sub_of.bob` into the user and the forgery.
pub fn parse_forged_variable(name: &str) -> Option<(&str, Forgery)> {
    let (user, rest) = name.split_once(".forged.")?;
    (!user.is_empty() && !user.contains('.'))
        .then_some(user)
        .zip(Forgery::parse(rest))
}

/// The variable name of a forgery for `user`.
pub fn forged_variable(user: &str, forgery: &Forgery) -> String {
    format!("{user}.forged.{forgery}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling_and_prints_it_back() {
        for name in [
            "alice.forged.alg_none",
            "alice.forged.bad_signature",
            "alice.forged.expired",
            "alice.forged.sub_of.bob",
        ] {
            let (user, forgery) = parse_forged_variable(name).expect(name);
            assert_eq!(user, "alice");
            assert_eq!(forged_variable(user, &forgery), name);
        }
        assert_eq!(
            parse_forged_variable("a.forged.sub_of.b").map(|(_, f)| f.slug()),
            Some("sub-of-b".to_owned())
        );
    }

    #[test]
    fn rejects_near_misses() {
        for name in [
            "alice.forged",
            "alice.forged.",
            "alice.forged.none",
            "alice.forged.sub_of",
            "alice.forged.sub_of.",
            "alice.forged.sub_of.b.c",
            ".forged.expired",
            "x.alice.forged.expired",
            "alice.access_token",
        ] {
            assert_eq!(parse_forged_variable(name), None, "{name}");
        }
    }
}
