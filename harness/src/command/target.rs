//! Naming a target: check the name, start the managed emulator (or take the user's `--endpoint`),
//! and describe the endpoint the exchange talks to.

use cognito_drift::aws::{
    connect, AccountError, AwsEnv, AwsOptions, AwsSession, AwsSettings, ConnectError, Ownership,
};
use cognito_drift::diagnostic::did_you_mean;
use cognito_drift::emulator::{ManagedOptions, ManagedTarget, TargetKind};
use cognito_drift::exchange::{Endpoint, RetryPolicy};
use cognito_drift::exit;

use super::progress;
use crate::cli::AwsArgs;
use crate::Env;

/// Targets the harness can manage itself.
pub const MANAGED_TARGETS: &[&str] = &TargetKind::names();
/// Credentials for emulators, which accept any key.
const EMULATOR_KEY: (&str, &str) = ("AKIDCOGNITODRIFT0000", "cognito-drift-emulator-secret");

/// A target ready for requests. A managed server lives as long as this value: dropping it stops it.
#[derive(Debug)]
pub struct Started {
    pub url: String,
    /// Recorded in snapshot headers; "unknown" for an endpoint the user runs.
    pub version: String,
    /// The digest of the lock a managed target was installed from; `None` for an endpoint the user runs.
    pub lock: Option<String>,
    #[allow(dead_code)]
    managed: Option<ManagedTarget>,
}

/// A refusal to start, with the exit code it deserves.
#[derive(Debug)]
pub struct StartError {
    pub code: i32,
    pub message: String,
}

/// How many instances of `name` a run starts when `--instances` is not given: one for an endpoint
/// the user runs and for AWS; for moto, whose one Python process spends ~300 ms of CPU on each
/// CreateUserPool, one per core up to 2; one for the other emulators.
pub fn default_instances(name: &str, endpoint: Option<&str>, cores: usize) -> usize {
    match (endpoint, name.parse::<TargetKind>()) {
        (None, Ok(TargetKind::Moto)) => cores.clamp(1, 2),
        _ => 1,
    }
}

/// Checks `name` and starts `instances` processes of the managed emulator at once (installing it
/// first when needed), or takes the user's `endpoint` (always one instance).
pub async fn start_many(
    name: &str,
    endpoint: Option<&str>,
    instances: usize,
    env: &Env,
) -> Result<Vec<Started>, StartError> {
    if endpoint.is_some() || instances <= 1 {
        return Ok(vec![start(name, endpoint, env).await?]);
    }
    let handles: Vec<_> = (0..instances)
        .map(|i| {
            let (name, cache_dir) = (name.to_owned(), env.cache_dir.clone());
            tokio::spawn(async move { start_instance(&name, None, i, &cache_dir).await })
        })
        .collect();
    let mut started = Vec::new();
    for handle in handles {
        let one = handle.await.map_err(|e| StartError {
            code: exit::INTERNAL,
            message: format!("starting {name} stopped unexpectedly: {e}"),
        })?;
        started.push(one?);
    }
    Ok(started)
}

/// Checks `name` and, without `endpoint`, installs (when needed) and starts the managed emulator.
pub async fn start(name: &str, endpoint: Option<&str>, env: &Env) -> Result<Started, StartError> {
    start_instance(name, endpoint, 0, &env.cache_dir).await
}

/// [`start`] for the instance numbered `index` (0-based), which logs to a file of its own.
async fn start_instance(
    name: &str,
    endpoint: Option<&str>,
    index: usize,
    cache_dir: &std::path::Path,
) -> Result<Started, StartError> {
    if let Some(url) = endpoint {
        tracing::info!(name, url, "using an endpoint the user runs");
        return Ok(Started {
            url: url.to_owned(),
            version: "unknown".to_owned(),
            lock: None,
            managed: None,
        });
    }
    let Ok(kind) = name.parse::<TargetKind>() else {
        let hint = did_you_mean(name, MANAGED_TARGETS.iter().copied())
            .map(|t| format!(" Did you mean `{t}`?"))
            .unwrap_or_default();
        return Err(StartError {
            code: exit::USAGE,
            message: format!(
                "unknown target `{name}`.{hint} Managed targets: {}. For an emulator you run yourself, pass --endpoint URL with --target NAME.",
                MANAGED_TARGETS.join(", ")
            ),
        });
    };
    progress(&format!(
        "starting managed {name} {} ...",
        kind.pinned_version()
    ));
    let log_file = ManagedOptions::log_file_in(cache_dir, kind);
    let log_file = match index {
        0 => log_file,
        i => log_file.with_file_name(format!("{kind}-{}.log", i + 1)),
    };
    let opts = ManagedOptions {
        cache_dir: cache_dir.to_owned(),
        env: Vec::new(),
        log_file: Some(log_file),
    };
    match ManagedTarget::start(kind, &opts).await {
        Ok(m) => {
            let started = Started {
                url: m.endpoint_url().to_owned(),
                version: m.version().to_owned(),
                lock: Some(m.lock().to_owned()),
                managed: Some(m),
            };
            progress(&format!(
                "{name} {} ready at {}",
                started.version, started.url
            ));
            Ok(started)
        }
        Err(e) => Err(StartError {
            code: exit::TARGET_FAULT,
            message: format!("failed to start managed {name}: {e}"),
        }),
    }
}

/// The endpoint for a started emulator, signed with a fixed emulator key.
pub fn emulator_endpoint(url: &str, region: &str) -> Endpoint {
    Endpoint {
        url: url.to_owned(),
        region: region.to_owned(),
        credentials: aws_credential_types::Credentials::new(
            EMULATOR_KEY.0,
            EMULATOR_KEY.1,
            None,
            None,
            "cognito-drift-emulator",
        ),
        allow_remote: false,
    }
}

/// The real-AWS target: never managed, reached with the caller's credentials after the account guard.
pub const AWS: &str = "aws";

/// How a command wants to reach AWS.
#[derive(Debug)]
pub struct AwsTarget<'a> {
    pub endpoint: Option<&'a str>,
    pub region: &'a str,
    pub timeout: u64,
    pub max_body: usize,
    pub args: &'a AwsArgs,
}

/// Resolves settings and credentials, checks the account against the allowlist, and returns the
/// guarded client. `--endpoint` keeps everything on loopback; only without it may requests leave.
pub async fn start_aws(target: &AwsTarget<'_>, guard: Ownership) -> Result<AwsSession, StartError> {
    let usage = |message: String| StartError {
        code: exit::USAGE,
        message,
    };
    // The AWS variables are read here, at the command boundary, and handed down as plain values.
    let env = AwsEnv::from_vars(std::env::vars_os());
    let file = match &target.args.aws_config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| usage(format!("failed to read `{}`: {e}", path.display())))?;
            Some((path.display().to_string(), text))
        }
        None => None,
    };
    // `--aws-account` flags (and the config file's `aws-account:`) add to the environment's list.
    let accounts: Vec<&str> = env
        .accounts
        .as_deref()
        .into_iter()
        .chain(target.args.accounts.iter().map(String::as_str))
        .collect();
    let accounts = accounts.join(",");
    let settings = AwsSettings::build(
        Some(accounts.as_str()).filter(|a| !a.is_empty()),
        file.as_ref().map(|(p, t)| (p.as_str(), t.as_str())),
        &target.args.rates,
    )
    .map_err(|e| usage(e.to_string()))?;
    let opts = AwsOptions {
        region: target.region.to_owned(),
        profile: target.args.profile.clone(),
        endpoint: target.endpoint.map(str::to_owned),
        timeout: std::time::Duration::from_secs(target.timeout),
        max_body: target.max_body,
        retry: RetryPolicy {
            max_attempts: target.args.max_attempts,
            ..RetryPolicy::default()
        },
    };
    progress(&format!(
        "aws: checking the account ({}) ...",
        target.endpoint.unwrap_or("real AWS endpoints")
    ));
    match connect(&opts, &settings, &env, guard).await {
        Ok(session) => {
            progress(&format!(
                "aws: account {} ({}) is allowlisted; region {}",
                session.identity.account, session.identity.arn, opts.region
            ));
            Ok(session)
        }
        Err(e @ ConnectError::Account(AccountError::Exchange(_))) => Err(StartError {
            code: exit::TARGET_FAULT,
            message: super::output::chain(&e),
        }),
        Err(e) => Err(usage(super::output::chain(&e))),
    }
}
