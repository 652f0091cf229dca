//! Connecting to a real account: credentials, the account guard, then a Cognito client wrapped in the
//! ownership guard, quota pacing and retries. Nothing reaches Cognito before the account is checked.

use std::sync::Arc;
use std::time::Duration;

use aws_credential_types::Credentials;

use super::account::{caller_identity, check_allowed, AccountError, CallerIdentity};
use super::config::AwsSettings;
use super::credentials::{resolve, AwsEnv, CredentialsError};
use super::ownership::Ownership;
use super::quotas::Rates;
use crate::exchange::{Client, Endpoint, ExchangeError, Layer, RetryPolicy, RetryStats};

/// How to reach the account.
#[derive(Debug, Clone)]
pub struct AwsOptions {
    pub region: String,
    pub profile: Option<String>,
    /// A loopback stand-in for both STS and Cognito (tests); `None` means the real AWS endpoints.
    pub endpoint: Option<String>,
    pub timeout: Duration,
    pub max_body: usize,
    pub retry: RetryPolicy,
}

/// A checked connection to an allowlisted account.
#[derive(Debug)]
pub struct AwsSession {
    pub client: Client,
    pub identity: CallerIdentity,
    pub guard: Arc<Ownership>,
    pub stats: Arc<RetryStats>,
    endpoint: Endpoint,
    opts: AwsOptions,
    rates: Rates,
}

impl AwsSession {
    /// Another client with the same endpoint, guard and counters, e.g. for cleanup on another runtime
    /// after the suite's runtime (and its connections) was shut down.
    pub fn fresh_client(&self) -> Result<Client, ExchangeError> {
        Ok(
            Client::new(self.endpoint.clone(), self.opts.timeout, self.opts.max_body)?
                .with_layer(Arc::new(self.layer())),
        )
    }

    fn layer(&self) -> Layer {
        Layer {
            guard: Some(self.guard.clone()),
            pacer: Some(self.rates.pacer()),
            retry: self.opts.retry,
            stats: self.stats.clone(),
        }
    }
}

/// Why connecting failed.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("invalid region `{0}` (expected e.g. us-east-1)")]
    Region(String),
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error("invalid endpoint")]
    Endpoint(#[source] ExchangeError),
}

/// The regional endpoints of a service, `https://<service>.<region>.amazonaws.com[.cn]/`.
pub fn service_url(service: &str, region: &str) -> Result<String, ConnectError> {
    if !is_region(region) {
        return Err(ConnectError::Region(region.to_owned()));
    }
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    Ok(format!("https://{service}.{region}.{suffix}/"))
}

/// `xx-name-N` or `xx-gov-name-N`: lower-case words and a final number, so a region can never
/// turn a host name into another host.
fn is_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts.len() <= 4
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1]
            .parse::<u8>()
            .is_ok_and(|_| !parts[parts.len() - 1].starts_with('+'))
}

/// Resolves credentials, checks the account against the allowlist, and builds the guarded client.
/// `guard` decides what the client may touch: [`Ownership::for_run`] or [`Ownership::for_sweep`].
pub async fn connect(
    opts: &AwsOptions,
    settings: &AwsSettings,
    env: &AwsEnv,
    guard: Ownership,
) -> Result<AwsSession, ConnectError> {
    let (sts_url, cognito_url, remote) = match &opts.endpoint {
        Some(url) => (url.clone(), url.clone(), false),
        None => (
            service_url("sts", &opts.region)?,
            service_url("cognito-idp", &opts.region)?,
            true,
        ),
    };
    let creds = resolve(opts.profile.as_deref(), &opts.region, env, remote).await?;
    let stats = Arc::new(RetryStats::default());
    let endpoint = |url: String, creds: &Credentials| Endpoint {
        url,
        region: opts.region.clone(),
        credentials: creds.clone(),
        // Only the real endpoints, derived from a validated region, may leave loopback.
        allow_remote: remote,
    };
    let sts = Client::new(endpoint(sts_url, &creds), opts.timeout, opts.max_body)
        .map_err(ConnectError::Endpoint)?
        .with_layer(Arc::new(Layer {
            retry: opts.retry,
            stats: stats.clone(),
            ..Layer::default()
        }));
    let identity = caller_identity(&sts).await?;
    check_allowed(&identity.account, &settings.accounts)?;
    let endpoint = endpoint(cognito_url, &creds);
    let mut session = AwsSession {
        client: Client::new(endpoint.clone(), opts.timeout, opts.max_body)
            .map_err(ConnectError::Endpoint)?,
        identity,
        guard: Arc::new(guard),
        stats,
        endpoint,
        opts: opts.clone(),
        rates: settings.rates.clone(),
    };
    session.client = session.fresh_client().map_err(ConnectError::Endpoint)?;
    Ok(session)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn real_endpoints_follow_the_region() {
        assert_eq!(
            service_url("cognito-idp", "eu-west-1").unwrap(),
            "https://cognito-idp.eu-west-1.amazonaws.com/"
        );
        assert_eq!(
            service_url("sts", "us-gov-west-1").unwrap(),
            "https://sts.us-gov-west-1.amazonaws.com/"
        );
        assert_eq!(
            service_url("sts", "cn-north-1").unwrap(),
            "https://sts.cn-north-1.amazonaws.com.cn/"
        );
    }

    #[test]
    fn regions_cannot_smuggle_hosts() {
        for bad in [
            "",
            "us-east",
            "evil.com/x-1",
            "us-east-1.evil.com",
            "US-EAST-1",
            "us-east-+1",
            "us--1",
            "a-b-c-d-1",
        ] {
            assert!(service_url("sts", bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn no_credentials_stop_before_any_request() {
        let opts = AwsOptions {
            region: "us-east-1".into(),
            profile: None,
            // Nothing listens on port 9: reaching it would be a connection error, not this one.
            endpoint: Some("http://127.0.0.1:9".into()),
            timeout: Duration::from_secs(1),
            max_body: 1024,
            retry: RetryPolicy::default(),
        };
        let err = connect(
            &opts,
            &AwsSettings::default(),
            &AwsEnv::default(),
            Ownership::for_sweep(),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, ConnectError::Credentials(_)), "{err}");
    }
}
