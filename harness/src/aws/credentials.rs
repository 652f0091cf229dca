//! Credentials for the real-AWS target. With the `aws-config` feature, the SDK's standard chain (env,
//! shared files with profiles, web identity, SSO, container and instance roles); without it, the
//! built-in fallback: environment keys, then static keys of a profile in the shared files.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use aws_credential_types::Credentials;

use super::profile;

/// What the credential lookup may read, captured once by the caller (no environment reads here).
#[derive(Debug, Clone, Default)]
pub struct AwsEnv {
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub session_token: Option<String>,
    /// `AWS_PROFILE`, used when `--profile` is not given.
    pub profile: Option<String>,
    pub shared_credentials_file: Option<PathBuf>,
    pub config_file: Option<PathBuf>,
    pub home: Option<PathBuf>,
    /// `COGNITO_DRIFT_AWS_ACCOUNTS`: the account allowlist.
    pub accounts: Option<String>,
}

impl AwsEnv {
    /// Picks the variables this module uses out of a process environment.
    pub fn from_vars(vars: impl IntoIterator<Item = (OsString, OsString)>) -> AwsEnv {
        let mut env = AwsEnv::default();
        for (k, v) in vars {
            let (Some(k), Some(text)) = (k.to_str(), v.to_str()) else {
                continue;
            };
            let text = Some(text.to_owned()).filter(|t| !t.is_empty());
            match k {
                "AWS_ACCESS_KEY_ID" => env.access_key_id = text,
                "AWS_SECRET_ACCESS_KEY" => env.secret_access_key = text,
                "AWS_SESSION_TOKEN" => env.session_token = text,
                "AWS_PROFILE" => env.profile = text,
                "AWS_SHARED_CREDENTIALS_FILE" => env.shared_credentials_file = text.map(Into::into),
                "AWS_CONFIG_FILE" => env.config_file = text.map(Into::into),
                "HOME" => env.home = text.map(Into::into),
                "COGNITO_DRIFT_AWS_ACCOUNTS" => env.accounts = text,
                _ => {}
            }
        }
        env
    }

    fn file(&self, explicit: &Option<PathBuf>, name: &str) -> Option<PathBuf> {
        explicit
            .clone()
            .or_else(|| self.home.as_ref().map(|h| h.join(".aws").join(name)))
    }
}

/// Why no credentials were found.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error("no AWS credentials: {tried}")]
    NotFound { tried: String },
    #[error("AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY (or the other way round)")]
    HalfEnv,
    #[error(
        "profile `{profile}` uses {what}, which needs the standard credential chain: \
         build with `--features aws-config`, or export keys (e.g. `aws configure export-credentials`)"
    )]
    NeedsChain { profile: String, what: String },
    #[error("the AWS credential chain found nothing usable: {0}")]
    Chain(String),
}

/// Credentials for `profile` (or `AWS_PROFILE`). The standard chain is used only when `chain` is set
/// and the `aws-config` feature is built in; a test endpoint never sets it, so no provider can reach
/// a metadata or SSO service from a test.
pub(crate) async fn resolve(
    profile: Option<&str>,
    region: &str,
    env: &AwsEnv,
    chain: bool,
) -> Result<Credentials, CredentialsError> {
    #[cfg(feature = "aws-config")]
    if chain {
        return standard_chain(profile, region).await;
    }
    let _ = (region, chain);
    fallback(profile, env, |p| std::fs::read_to_string(p).ok())
}

#[cfg(feature = "aws-config")]
async fn standard_chain(
    profile: Option<&str>,
    region: &str,
) -> Result<Credentials, CredentialsError> {
    use aws_credential_types::provider::ProvideCredentials;
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region.to_owned()));
    if let Some(p) = profile {
        loader = loader.profile_name(p);
    }
    let conf = loader.load().await;
    let provider = conf
        .credentials_provider()
        .ok_or_else(|| CredentialsError::Chain("no credential provider".to_owned()))?;
    provider
        .provide_credentials()
        .await
        .map_err(|e| CredentialsError::Chain(e.to_string()))
}

/// Environment keys (unless a profile is named explicitly), then the profile's static keys from the
/// credentials file, then from the config file. `read` returns a file's text, if it exists.
pub(crate) fn fallback(
    profile: Option<&str>,
    env: &AwsEnv,
    read: impl Fn(&Path) -> Option<String>,
) -> Result<Credentials, CredentialsError> {
    if profile.is_none() {
        match (&env.access_key_id, &env.secret_access_key) {
            (Some(k), Some(s)) => {
                return Ok(Credentials::new(
                    k,
                    s,
                    env.session_token.clone(),
                    None,
                    "env",
                ))
            }
            (None, None) => {}
            _ => return Err(CredentialsError::HalfEnv),
        }
    }
    let name = profile
        .map(str::to_owned)
        .or_else(|| env.profile.clone())
        .unwrap_or_else(|| "default".to_owned());
    let mut tried = vec!["environment keys".to_owned()];
    for (file, config) in [
        (env.file(&env.shared_credentials_file, "credentials"), false),
        (env.file(&env.config_file, "config"), true),
    ] {
        let Some(path) = file else { continue };
        tried.push(format!("profile `{name}` in {}", path.display()));
        let Some(text) = read(&path) else { continue };
        let profiles = profile::parse(&text, config);
        let Some(keys) = profiles.get(&name) else {
            continue;
        };
        if let (Some(k), Some(s)) = (
            keys.get("aws_access_key_id"),
            keys.get("aws_secret_access_key"),
        ) {
            let token = keys.get("aws_session_token").cloned();
            return Ok(Credentials::new(k, s, token, None, "profile"));
        }
        let needs = [
            ("role_arn", "an assumed role"),
            ("sso_session", "SSO"),
            ("sso_start_url", "SSO"),
            ("credential_process", "credential_process"),
            ("web_identity_token_file", "web identity"),
        ];
        if let Some((_, what)) = needs.iter().find(|(k, _)| keys.contains_key(*k)) {
            return Err(CredentialsError::NeedsChain {
                profile: name,
                what: (*what).to_owned(),
            });
        }
    }
    Err(CredentialsError::NotFound {
        tried: format!("tried {}", tried.join(", ")),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use aws_credential_types::provider::ProvideCredentials as _;

    fn vars(pairs: &[(&str, &str)]) -> AwsEnv {
        AwsEnv::from_vars(pairs.iter().map(|(k, v)| (k.into(), v.into())))
    }

    fn files(creds: &str, config: &str) -> impl Fn(&Path) -> Option<String> {
        let (creds, config) = (creds.to_owned(), config.to_owned());
        move |p: &Path| match p.file_name()?.to_str()? {
            "credentials" if !creds.is_empty() => Some(creds.clone()),
            "config" if !config.is_empty() => Some(config.clone()),
            _ => None,
        }
    }

    #[test]
    fn environment_keys_win_unless_a_profile_is_named() {
        let env = vars(&[
            ("AWS_ACCESS_KEY_ID", "ENVKEY"),
            ("AWS_SECRET_ACCESS_KEY", "envsecret"),
            ("AWS_SESSION_TOKEN", "tok"),
            ("HOME", "/home/x"),
        ]);
        let c = fallback(
            None,
            &env,
            files("[p]\naws_access_key_id=P\naws_secret_access_key=S\n", ""),
        )
        .unwrap();
        assert_eq!(c.access_key_id(), "ENVKEY");
        assert_eq!(c.session_token(), Some("tok"));
        let c = fallback(
            Some("p"),
            &env,
            files("[p]\naws_access_key_id=P\naws_secret_access_key=S\n", ""),
        )
        .unwrap();
        assert_eq!(c.access_key_id(), "P");
    }

    #[test]
    fn profiles_come_from_credentials_then_config() {
        let env = vars(&[("HOME", "/home/x"), ("AWS_PROFILE", "ci")]);
        let c = fallback(
            None,
            &env,
            files(
                "",
                "[profile ci]\naws_access_key_id=CFG\naws_secret_access_key=S\n",
            ),
        )
        .unwrap();
        assert_eq!(c.access_key_id(), "CFG");
        let err = fallback(None, &env, files("", "")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no AWS credentials: tried environment keys, profile `ci` in /home/x/.aws/credentials, \
             profile `ci` in /home/x/.aws/config"
        );
    }

    #[test]
    fn profiles_that_need_the_chain_say_so() {
        let env = vars(&[("HOME", "/h")]);
        let err = fallback(
            Some("sso"),
            &env,
            files("", "[profile sso]\nsso_session=corp\n"),
        )
        .unwrap_err();
        assert!(
            err.to_string().starts_with("profile `sso` uses SSO"),
            "{err}"
        );
    }

    #[test]
    fn half_set_environment_is_an_error() {
        let env = vars(&[("AWS_ACCESS_KEY_ID", "K")]);
        assert!(matches!(
            fallback(None, &env, files("", "")),
            Err(CredentialsError::HalfEnv)
        ));
    }

    #[test]
    fn explicit_file_paths_are_honoured() {
        let env = vars(&[("AWS_SHARED_CREDENTIALS_FILE", "/etc/creds")]);
        let read = |p: &Path| {
            (p == Path::new("/etc/creds"))
                .then(|| "[default]\naws_access_key_id=F\naws_secret_access_key=S\n".to_owned())
        };
        assert_eq!(fallback(None, &env, read).unwrap().access_key_id(), "F");
    }

    #[tokio::test]
    async fn resolve_without_the_chain_uses_the_fallback() {
        let env = vars(&[("AWS_ACCESS_KEY_ID", "K"), ("AWS_SECRET_ACCESS_KEY", "S")]);
        let c = resolve(None, "us-east-1", &env, false).await.unwrap();
        let again = c.provide_credentials().await.unwrap();
        assert_eq!(again.access_key_id(), "K");
    }
}
