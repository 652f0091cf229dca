//! Forged access tokens derived from a signed-in user's real one (pure): what a target that checks
//! signatures, algorithms, expiry and identity must refuse.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::Value as Json;

use super::{Bindings, Sensitivity};
use crate::scenario::{parse_forged_variable, Forgery};

/// Moves `exp` this far before the token's `iat`, so the token is expired however fast it is sent.
const EXPIRED_BY_SECS: i64 = 3600;

/// Why a token could not be forged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForgeError {
    #[error("the access token is not a JWT (three base64url parts with JSON header and payload)")]
    NotJwt,
    #[error("the access token has no signature to corrupt")]
    NoSignature,
    #[error("the access token has neither `iat` nor `exp` to move into the past")]
    NoTime,
    #[error("`{0}` has no value: the fixture did not provide it")]
    Missing(String),
}

/// The identity written into a token by [`Forgery::SubOf`].
#[derive(Debug, Clone, Copy)]
pub struct Identity<'a> {
    pub sub: &'a str,
    pub username: &'a str,
}

/// Applies `forgery` to `token`; `identity` is used by [`Forgery::SubOf`] only.
pub fn forge(
    token: &str,
    forgery: &Forgery,
    identity: Option<Identity<'_>>,
) -> Result<String, ForgeError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ForgeError::NotJwt);
    };
    let mut header = decode(h)?;
    let mut payload = decode(p)?;
    match forgery {
        Forgery::AlgNone => {
            header["alg"] = Json::from("none");
            return Ok(format!("{}.{}.", encode(&header), encode(&payload)));
        }
        Forgery::BadSignature => {
            let mut sig = URL_SAFE_NO_PAD
                .decode(s.trim_end_matches('='))
                .map_err(|_| ForgeError::NotJwt)?;
            let middle = sig.len() / 2;
            let byte = sig.get_mut(middle).ok_or(ForgeError::NoSignature)?;
            *byte ^= 0xFF;
            return Ok(format!("{h}.{p}.{}", URL_SAFE_NO_PAD.encode(sig)));
        }
        Forgery::Expired => {
            let at = |k: &str| payload.get(k).and_then(Json::as_i64);
            let exp = at("iat")
                .or_else(|| at("exp").map(|e| e - 24 * 3600))
                .ok_or(ForgeError::NoTime)?
                - EXPIRED_BY_SECS;
            payload["exp"] = Json::from(exp);
        }
        Forgery::SubOf(other) => {
            let id = identity.ok_or_else(|| ForgeError::Missing(format!("{other}.sub")))?;
            payload["sub"] = Json::from(id.sub);
            if payload.get("username").is_some() {
                payload["username"] = Json::from(id.username);
            }
        }
    }
    Ok(format!("{}.{}.{s}", encode(&header), encode(&payload)))
}

/// Binds the forged token named by `name` (e.g. `alice.forged.expired`) from the bindings so far,
/// as a secret labelled `forged-token:alice:expired`. `Ok(false)` when `name` is no forgery.
pub fn bind_forged(vars: &mut Bindings, name: &str) -> Result<bool, ForgeError> {
    let Some((user, forgery)) = parse_forged_variable(name) else {
        return Ok(false);
    };
    let get = |var: String| {
        vars.get_str(&var)
            .map(str::to_owned)
            .ok_or(ForgeError::Missing(var))
    };
    let token = get(format!("{user}.access_token"))?;
    let identity = match &forgery {
        Forgery::SubOf(other) => Some((
            get(format!("{other}.sub"))?,
            get(format!("{other}.username"))?,
        )),
        _ => None,
    };
    let identity = identity
        .as_ref()
        .map(|(sub, username)| Identity { sub, username });
    let forged = forge(&token, &forgery, identity)?;
    let label = format!("forged-token:{user}:{}", forgery.slug());
    vars.set_str(name, &forged, Sensitivity::Secret { label });
    Ok(true)
}

fn decode(part: &str) -> Result<Json, ForgeError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|_| ForgeError::NotJwt)?;
    match serde_json::from_slice(&bytes) {
        Ok(v @ Json::Object(_)) => Ok(v),
        _ => Err(ForgeError::NotJwt),
    }
}

fn encode(v: &Json) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    const SIG: &[u8] = &[1, 2, 3, 4, 5, 6];

    fn token() -> String {
        let h = json!({"kid": "k1", "alg": "RS256"});
        let p = json!({"sub": "sub-a", "token_use": "access", "iat": 1_700_000_000, "exp": 1_700_003_600, "username": "alice"});
        format!(
            "{}.{}.{}",
            encode(&h),
            encode(&p),
            URL_SAFE_NO_PAD.encode(SIG)
        )
    }

    fn parts(t: &str) -> (Json, Json, Vec<u8>) {
        let v: Vec<&str> = t.split('.').collect();
        assert_eq!(v.len(), 3, "{t}");
        (
            decode(v[0]).unwrap(),
            decode(v[1]).unwrap(),
            URL_SAFE_NO_PAD.decode(v[2]).unwrap(),
        )
    }

    #[test]
    fn alg_none_drops_the_signature() {
        let forged = forge(&token(), &Forgery::AlgNone, None).unwrap();
        assert!(forged.ends_with('.'));
        let (h, p, sig) = parts(&forged);
        assert_eq!(h, json!({"kid": "k1", "alg": "none"}));
        assert_eq!(p["sub"], "sub-a");
        assert!(sig.is_empty());
    }

    #[test]
    fn bad_signature_changes_one_signature_byte_only() {
        let original = token();
        let forged = forge(&original, &Forgery::BadSignature, None).unwrap();
        let (h, p, sig) = parts(&forged);
        let (h0, p0, _) = parts(&original);
        assert_eq!((h, p), (h0, p0));
        assert_eq!(sig, [1, 2, 3, 4 ^ 0xFF, 5, 6]);
    }

    #[test]
    fn expired_moves_exp_before_iat_and_keeps_the_signature() {
        let forged = forge(&token(), &Forgery::Expired, None).unwrap();
        let (_, p, sig) = parts(&forged);
        assert_eq!(p["exp"], json!(1_700_000_000 - 3600));
        assert_eq!(p["iat"], json!(1_700_000_000));
        assert_eq!(sig, SIG);
    }

    #[test]
    fn sub_of_writes_the_other_identity() {
        let id = Identity {
            sub: "sub-b",
            username: "bob",
        };
        let forged = forge(&token(), &Forgery::SubOf("bob".into()), Some(id)).unwrap();
        let (_, p, sig) = parts(&forged);
        assert_eq!(
            (&p["sub"], &p["username"]),
            (&json!("sub-b"), &json!("bob"))
        );
        assert_eq!(sig, SIG);
        assert_eq!(
            forge(&token(), &Forgery::SubOf("bob".into()), None),
            Err(ForgeError::Missing("bob.sub".into()))
        );
    }

    #[test]
    fn non_jwts_are_refused() {
        for t in ["WRONG_TOKEN", "a.b", "a.b.c.d", "e30.bm90IGpzb24.AA"] {
            assert_eq!(
                forge(t, &Forgery::AlgNone, None),
                Err(ForgeError::NotJwt),
                "{t}"
            );
        }
        let no_sig = format!("{}.{}.", encode(&json!({})), encode(&json!({})));
        assert_eq!(
            forge(&no_sig, &Forgery::BadSignature, None),
            Err(ForgeError::NoSignature)
        );
        assert_eq!(
            forge(&no_sig, &Forgery::Expired, None),
            Err(ForgeError::NoTime)
        );
    }

    #[test]
    fn binds_forged_tokens_as_labelled_secrets() {
        let mut vars = Bindings::default();
        vars.set_str("alice.access_token", &token(), Sensitivity::Plain);
        vars.set_str("bob.sub", "sub-b", Sensitivity::Plain);
        vars.set_str("bob.username", "bob", Sensitivity::Plain);
        assert_eq!(bind_forged(&mut vars, "alice.access_token"), Ok(false));
        assert_eq!(bind_forged(&mut vars, "alice.forged.sub_of.bob"), Ok(true));
        let (name, binding) = vars
            .iter()
            .find(|(n, _)| *n == "alice.forged.sub_of.bob")
            .unwrap();
        assert_eq!(name, "alice.forged.sub_of.bob");
        assert_eq!(
            binding.sensitivity,
            Sensitivity::Secret {
                label: "forged-token:alice:sub-of-bob".into()
            }
        );
        assert_eq!(
            bind_forged(&mut vars, "carol.forged.expired"),
            Err(ForgeError::Missing("carol.access_token".into()))
        );
    }
}
