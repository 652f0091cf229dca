//! Naming a target: check the name, start the managed emulator (or take the user's `--endpoint`),
//! and describe the endpoint the exchange talks to.

use cognito_drift::diagnostic::did_you_mean;
use cognito_drift::exchange::Endpoint;
use cognito_drift::exit;
use cognito_drift::target::{ManagedMoto, MotoOptions};

use super::progress;
use crate::Env;

/// Targets the harness can manage itself.
pub const MANAGED_TARGETS: &[&str] = &["moto"];
/// The moto version the committed snapshots were recorded with.
const MOTO_VERSION: &str = cognito_drift::target::DEFAULT_MOTO_VERSION;
/// Credentials for emulators, which accept any key.
const EMULATOR_KEY: (&str, &str) = ("AKIDCOGNITODRIFT0000", "cognito-drift-emulator-secret");

/// A target ready for requests. A managed server lives as long as this value: dropping it stops it.
#[derive(Debug)]
pub struct Started {
    pub url: String,
    /// Recorded in snapshot headers; "unknown" for an endpoint the user runs.
    pub version: String,
    #[allow(dead_code)]
    managed: Option<ManagedMoto>,
}

/// A refusal to start, with the exit code it deserves.
#[derive(Debug)]
pub struct StartError {
    pub code: i32,
    pub message: String,
}

/// Checks `name` and, without `endpoint`, installs (when needed) and starts the managed emulator.
pub async fn start(name: &str, endpoint: Option<&str>, env: &Env) -> Result<Started, StartError> {
    if let Some(url) = endpoint {
        tracing::info!(name, url, "using an endpoint the user runs");
        return Ok(Started {
            url: url.to_owned(),
            version: "unknown".to_owned(),
            managed: None,
        });
    }
    if !MANAGED_TARGETS.contains(&name) {
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
    }
    progress(&format!("starting managed {name} {MOTO_VERSION} ..."));
    let opts = MotoOptions {
        version: MOTO_VERSION.to_owned(),
        cache_dir: env.cache_dir.clone(),
        env: Vec::new(),
        log_file: Some(env.cache_dir.join("logs").join("moto.log")),
        path: env.path.clone(),
    };
    match ManagedMoto::start(&opts).await {
        Ok(m) => {
            let started = Started {
                url: m.endpoint_url().to_owned(),
                version: m.version().to_owned(),
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
