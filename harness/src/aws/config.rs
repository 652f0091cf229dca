//! Settings for the real-AWS target: the account allowlist and quota rates, from
//! `COGNITO_DRIFT_AWS_ACCOUNTS`, an optional YAML file (`--aws-config`) and `--rate` flags.

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use serde::Deserialize;

use super::quotas::{RateError, Rates};

/// The `--aws-config` file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// Account ids the harness may create and delete user pools in.
    #[serde(default)]
    accounts: Vec<String>,
    /// Requests per second per quota category, overriding the defaults.
    #[serde(default)]
    rates: BTreeMap<String, u32>,
}

/// Why the settings were refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The message quotes the parser's error too: callers print this one with `to_string` alone.
    #[error("invalid AWS config `{path}`: {source}")]
    File {
        path: String,
        #[source]
        source: Box<serde_saphyr::Error>,
    },
    #[error("`{0}` is not a 12-digit AWS account id")]
    AccountId(String),
    #[error(transparent)]
    Rate(#[from] RateError),
}

/// Everything the real-AWS target is allowed to do, merged from its sources.
#[derive(Debug, Clone, Default)]
pub struct AwsSettings {
    pub accounts: Allowlist,
    pub rates: Rates,
}

impl AwsSettings {
    /// Merges the environment's account list, the config file's text (if any) and `--rate` flags,
    /// in that order; later rates win, accounts add up.
    pub fn build(
        env_accounts: Option<&str>,
        file: Option<(&str, &str)>,
        rate_flags: &[String],
    ) -> Result<AwsSettings, ConfigError> {
        let mut settings = AwsSettings::default();
        if let Some(list) = env_accounts {
            settings.accounts.extend(list.split(','))?;
        }
        if let Some((path, text)) = file {
            let parsed: ConfigFile = if text.trim().is_empty() {
                ConfigFile::default()
            } else {
                serde_saphyr::from_str(text).map_err(|source| ConfigError::File {
                    path: path.to_owned(),
                    source: Box::new(source),
                })?
            };
            settings
                .accounts
                .extend(parsed.accounts.iter().map(String::as_str))?;
            for (category, rps) in &parsed.rates {
                settings.rates.set(category, *rps)?;
            }
        }
        for flag in rate_flags {
            settings.rates.apply(flag)?;
        }
        Ok(settings)
    }
}

/// Account ids the harness may touch. Empty means none: the guard refuses every account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowlist(BTreeSet<String>);

impl Allowlist {
    fn extend<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) -> Result<(), ConfigError> {
        for id in ids.into_iter().map(str::trim).filter(|s| !s.is_empty()) {
            if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ConfigError::AccountId(id.to_owned()));
            }
            self.0.insert(id.to_owned());
        }
        Ok(())
    }

    pub fn contains(&self, account: &str) -> bool {
        self.0.contains(account)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn accounts_come_from_the_environment_and_the_file() {
        let s = AwsSettings::build(
            Some(" 111122223333, ,444455556666"),
            Some((
                "aws.yaml",
                "accounts: ['777788889999']\nrates:\n  UserUpdate: 7\n",
            )),
            &["UserRead=9".to_owned()],
        )
        .unwrap();
        let ids: Vec<&str> = s.accounts.iter().collect();
        assert_eq!(ids, ["111122223333", "444455556666", "777788889999"]);
        assert_eq!(s.rates.get("UserUpdate").unwrap().get(), 7);
        assert_eq!(s.rates.get("UserRead").unwrap().get(), 9);
    }

    #[test]
    fn nothing_configured_allows_nothing() {
        let s = AwsSettings::build(None, None, &[]).unwrap();
        assert!(s.accounts.is_empty());
        assert!(!s.accounts.contains("123456789012"));
    }

    #[test]
    fn bad_settings_are_refused_with_their_reason() {
        let err = AwsSettings::build(Some("12345"), None, &[]).unwrap_err();
        assert_eq!(err.to_string(), "`12345` is not a 12-digit AWS account id");
        let err = AwsSettings::build(None, Some(("a.yaml", "acounts: []")), &[]).unwrap_err();
        assert!(
            err.to_string().starts_with("invalid AWS config `a.yaml`: "),
            "{err}"
        );
        let err = AwsSettings::build(None, Some(("a.yaml", "rates: {Nope: 3}")), &[]).unwrap_err();
        assert!(
            err.to_string().contains("unknown quota category `Nope`"),
            "{err}"
        );
        assert!(AwsSettings::build(None, None, &["UserRead=0".to_owned()]).is_err());
    }

    #[test]
    fn an_unreadable_file_keeps_the_parser_error() {
        let err = AwsSettings::build(None, Some(("a.yaml", "accounts: [")), &[]).unwrap_err();
        let source = std::error::Error::source(&err).expect("the parser's error");
        assert_eq!(
            err.to_string(),
            format!("invalid AWS config `a.yaml`: {source}")
        );
    }
}
