//! Readiness probing and state reset over the emulator's own HTTP API.

use std::time::{Duration, Instant};

use aws_credential_types::Credentials;

use super::error::TargetError;
use crate::exchange::{Client, Endpoint, ExchangeError, WireRequest};

/// Interval between readiness probes.
const PROBE_INTERVAL: Duration = Duration::from_millis(100);
/// Per-probe timeout: a server that is up answers ListUserPools in milliseconds.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
const PROBE_MAX_BODY: usize = 1 << 20;

/// Why a readiness probe did not pass yet. Its text becomes [`TargetError::NotReady`]'s one-line
/// `last_problem`, so a health check's transport failure quotes its cause as well as keeping it.
#[derive(Debug, thiserror::Error)]
pub(crate) enum NotUp {
    #[error("ListUserPools answered status {status}")]
    Status { status: u16 },
    #[error(transparent)]
    Exchange(#[from] ExchangeError),
    #[error("GET {url} answered status {status}")]
    HealthStatus {
        url: String,
        status: reqwest::StatusCode,
    },
    #[error("GET {url}: {source}")]
    Health {
        url: String,
        #[source]
        source: reqwest::Error,
    },
}

/// Credentials for emulators, which accept any signature.
pub(crate) fn dummy_credentials() -> Credentials {
    Credentials::from_keys("AKIDCOGNITODRIFT", "cognito-drift-emulator-secret", None)
}

/// A client for `url` (loopback only) suited to probing.
pub(crate) fn probe_client(url: &str) -> Result<Client, TargetError> {
    let endpoint = Endpoint {
        url: url.to_owned(),
        region: "us-east-1".to_owned(),
        credentials: dummy_credentials(),
        allow_remote: false,
    };
    Ok(Client::new(endpoint, PROBE_TIMEOUT, PROBE_MAX_BODY)?)
}

/// One readiness probe, a signed `ListUserPools {"MaxResults":1}`: up when it answers 200, or any 4xx
/// (moto with authentication on rejects our unknown access key with a 403). `Err` says why not.
pub(crate) async fn probe(client: &Client) -> Result<(), NotUp> {
    let req = WireRequest::json("ListUserPools", &serde_json::json!({"MaxResults": 1}), true);
    let resp = client.send(&req).await?;
    if resp.status == 200 || (400..500).contains(&resp.status) {
        Ok(())
    } else {
        Err(NotUp::Status {
            status: resp.status,
        })
    }
}

/// Waits until the Cognito emulator at `url` (loopback only) answers ListUserPools with 200,
/// e.g. for a moto started outside the harness and given with `--endpoint`.
pub async fn wait_ready(url: &str, timeout: Duration) -> Result<(), TargetError> {
    let client = probe_client(url)?;
    let deadline = Instant::now() + timeout;
    loop {
        let problem = match probe(&client).await {
            Ok(()) => return Ok(()),
            Err(problem) => problem,
        };
        if Instant::now() >= deadline {
            return Err(TargetError::NotReady {
                url: url.to_owned(),
                timeout,
                last_problem: problem.to_string(),
                log_tail: String::new(),
            });
        }
        tokio::time::sleep(PROBE_INTERVAL).await;
    }
}

/// `POST` to an emulator's own control endpoint (`/moto-api/reset`, `/_ministack/reset`), which must
/// answer 200.
pub(crate) async fn post_expect_ok(client: &Client, body: &[u8]) -> Result<(), TargetError> {
    let req = WireRequest {
        target: None,
        headers: Vec::new(),
        body: body.to_vec(),
        sign: false,
    };
    let resp = client.send(&req).await?;
    if resp.status == 200 {
        Ok(())
    } else {
        Err(TargetError::ResetFailed {
            url: client.endpoint().url.clone(),
            problem: format!("status {}", resp.status),
        })
    }
}

/// How to tell that a freshly started emulator is up.
#[derive(Debug)]
pub(crate) enum Probe {
    /// A signed ListUserPools (see [`probe`]).
    Cognito(Box<Client>),
    /// A `GET` of the emulator's health page, which must answer 200.
    Health { http: reqwest::Client, url: String },
}

impl Probe {
    /// `health_path` `None` probes with ListUserPools; otherwise `GET url+health_path`.
    pub(crate) fn new(url: &str, health_path: Option<&str>) -> Result<Probe, TargetError> {
        let Some(path) = health_path else {
            return Ok(Probe::Cognito(Box::new(probe_client(url)?)));
        };
        // Only ever our own loopback server: the URL is built by the caller from 127.0.0.1 and a port.
        let http = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROBE_TIMEOUT)
            .build()
            .map_err(|e| TargetError::Exchange(ExchangeError::ClientBuild(e)))?;
        Ok(Probe::Health {
            http,
            url: format!("{url}{path}"),
        })
    }

    /// `Ok` once the emulator is up; `Err` says why not yet.
    pub(crate) async fn check(&self) -> Result<(), NotUp> {
        match self {
            Probe::Cognito(client) => probe(client).await,
            Probe::Health { http, url } => match http.get(url).send().await {
                Ok(resp) if resp.status().as_u16() == 200 => Ok(()),
                Ok(resp) => Err(NotUp::HealthStatus {
                    url: url.clone(),
                    status: resp.status(),
                }),
                Err(source) => Err(NotUp::Health {
                    url: url.clone(),
                    source,
                }),
            },
        }
    }
}
