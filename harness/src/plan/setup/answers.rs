//! One reader per setup call whose answer binds something: the pool and client ids, a user's `sub`,
//! tokens and TOTP secret (secrets registered as such, so the normaliser hides them).

use serde_json::{json, Value as Json};

use crate::plan::bindings::{secret, volatile};
use crate::plan::Bindings;

/// What a setup answer lacked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AbsorbError {
    #[error("answer has no `{pointer}`")]
    Missing { pointer: &'static str },
    #[error("answer has no `sub` attribute")]
    NoSub,
    #[error("sign-in answered with the challenge {challenge} instead of tokens")]
    Challenge { challenge: String },
    #[error("VerifySoftwareToken answered {answer} instead of Status SUCCESS")]
    NotVerified { answer: String },
}

fn field<'a>(answer: &'a Json, pointer: &'static str) -> Result<&'a str, AbsorbError> {
    answer
        .pointer(pointer)
        .and_then(Json::as_str)
        .ok_or(AbsorbError::Missing { pointer })
}

pub(super) fn pool(answer: &Json, vars: &mut Bindings) -> Result<(), AbsorbError> {
    vars.set_str(
        "pool.id",
        field(answer, "/UserPool/Id")?,
        volatile("user-pool-id"),
    );
    Ok(())
}

pub(super) fn client(answer: &Json, vars: &mut Bindings) -> Result<(), AbsorbError> {
    vars.set_str(
        "client.id",
        field(answer, "/UserPoolClient/ClientId")?,
        volatile("client-id"),
    );
    Ok(())
}

pub(super) fn sub(answer: &Json, user: &str, vars: &mut Bindings) -> Result<(), AbsorbError> {
    let sub = answer
        .get("UserAttributes")
        .and_then(Json::as_array)
        .and_then(|attrs| attrs.iter().find(|a| a.get("Name") == Some(&json!("sub"))))
        .and_then(|a| a.get("Value"))
        .and_then(Json::as_str)
        .ok_or(AbsorbError::NoSub)?;
    vars.set_str(format!("{user}.sub"), sub, volatile("sub"));
    Ok(())
}

pub(super) fn tokens(answer: &Json, user: &str, vars: &mut Bindings) -> Result<(), AbsorbError> {
    if let Some(challenge) = answer.get("ChallengeName").and_then(Json::as_str) {
        return Err(AbsorbError::Challenge {
            challenge: challenge.to_owned(),
        });
    }
    for (var, ptr, kind) in [
        (
            "access_token",
            "/AuthenticationResult/AccessToken",
            "access-token",
        ),
        ("id_token", "/AuthenticationResult/IdToken", "id-token"),
        (
            "refresh_token",
            "/AuthenticationResult/RefreshToken",
            "refresh-token",
        ),
    ] {
        vars.set_str(
            format!("{user}.{var}"),
            field(answer, ptr)?,
            secret(kind, user),
        );
    }
    Ok(())
}

pub(super) fn totp_secret(
    answer: &Json,
    user: &str,
    vars: &mut Bindings,
) -> Result<(), AbsorbError> {
    vars.set_str(
        format!("{user}.totp_secret"),
        field(answer, "/SecretCode")?,
        secret("totp-secret", user),
    );
    Ok(())
}

pub(super) fn verified(answer: &Json) -> Result<(), AbsorbError> {
    if answer.get("Status").and_then(Json::as_str) != Some("SUCCESS") {
        return Err(AbsorbError::NotVerified {
            answer: answer.to_string(),
        });
    }
    Ok(())
}
