//! The account guard: STS GetCallerIdentity, signed, before any Cognito call; the run stops unless
//! the account it names is on the allowlist.

use super::config::Allowlist;
use crate::exchange::{Client, ExchangeError, WireRequest};

/// The STS query-protocol request for GetCallerIdentity.
pub(crate) fn get_caller_identity() -> WireRequest {
    WireRequest {
        target: None,
        headers: vec![(
            "content-type".to_owned(),
            "application/x-www-form-urlencoded; charset=utf-8".to_owned(),
        )],
        body: b"Action=GetCallerIdentity&Version=2011-06-15".to_vec(),
        sign: true,
    }
}

/// Who the credentials belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerIdentity {
    pub account: String,
    pub arn: String,
}

/// Why the account check failed or refused.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the account check (STS GetCallerIdentity) could not be sent")]
    Exchange(#[source] ExchangeError),
    #[error("the account check (STS GetCallerIdentity) was refused: HTTP {status} {code}")]
    Refused { status: u16, code: String },
    #[error("the account check (STS GetCallerIdentity) answered without an account id")]
    NoAccount,
    #[error(
        "account {account} is not on the allowlist ({allowed}); add it to COGNITO_DRIFT_AWS_ACCOUNTS \
         or `accounts:` in --aws-config only if the harness may create and delete user pools there"
    )]
    NotAllowed { account: String, allowed: String },
}

/// Asks STS who the caller is (signed as service `sts`).
pub async fn caller_identity(sts: &Client) -> Result<CallerIdentity, AccountError> {
    let resp = sts
        .send_as(&get_caller_identity(), "sts")
        .await
        .map_err(AccountError::Exchange)?;
    let text = String::from_utf8_lossy(&resp.body);
    if !(200..300).contains(&resp.status) {
        return Err(AccountError::Refused {
            status: resp.status,
            code: xml_field(&text, "Code").unwrap_or_default().to_owned(),
        });
    }
    let account = xml_field(&text, "Account").ok_or(AccountError::NoAccount)?;
    Ok(CallerIdentity {
        account: account.to_owned(),
        arn: xml_field(&text, "Arn").unwrap_or_default().to_owned(),
    })
}

/// Refuses unless `account` is allowlisted; the error names the account.
pub fn check_allowed(account: &str, allowlist: &Allowlist) -> Result<(), AccountError> {
    if allowlist.contains(account) {
        return Ok(());
    }
    let allowed = if allowlist.is_empty() {
        "the allowlist is empty".to_owned()
    } else {
        format!(
            "allowed: {}",
            allowlist.iter().collect::<Vec<_>>().join(", ")
        )
    };
    Err(AccountError::NotAllowed {
        account: account.to_owned(),
        allowed,
    })
}

/// The text of the first `<name>…</name>` element (STS answers are flat enough for this).
fn xml_field<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{name}>"))? + start;
    Some(xml[start..end].trim())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::aws::config::AwsSettings;

    const ANSWER: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/drift</Arn>
    <UserId>AIDAEXAMPLE</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
</GetCallerIdentityResponse>"#;

    #[test]
    fn fields_are_read_from_the_sts_answer() {
        assert_eq!(xml_field(ANSWER, "Account"), Some("123456789012"));
        assert_eq!(
            xml_field(ANSWER, "Arn"),
            Some("arn:aws:iam::123456789012:user/drift")
        );
        assert_eq!(xml_field(ANSWER, "Missing"), None);
        assert_eq!(xml_field("<Account>", "Account"), None);
    }

    #[test]
    fn unlisted_accounts_are_refused_by_id() {
        let list = AwsSettings::build(Some("111122223333"), None, &[])
            .unwrap()
            .accounts;
        assert!(check_allowed("111122223333", &list).is_ok());
        let err = check_allowed("123456789012", &list).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "account 123456789012 is not on the allowlist (allowed: 111122223333)"
            ),
            "{err}"
        );
        let err = check_allowed("123456789012", &Allowlist::default()).unwrap_err();
        assert!(
            err.to_string().contains("(the allowlist is empty)"),
            "{err}"
        );
    }

    #[test]
    fn the_request_is_a_signed_query_call() {
        let r = get_caller_identity();
        assert!(r.sign);
        assert!(r.target.is_none());
        assert_eq!(r.body, b"Action=GetCallerIdentity&Version=2011-06-15");
    }
}
