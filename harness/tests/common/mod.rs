//! Shared by the integration tests: one managed server per target and test process, and helpers to run
//! scenarios.
#![allow(dead_code, clippy::unwrap_used)]

pub mod lifecycle;
pub mod proxy;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use cognito_drift::emulator::{ManagedOptions, ManagedTarget, TargetKind};
use cognito_drift::engine::RunConfig;
use cognito_drift::exchange::{Client, Endpoint};
use cognito_drift::run::ExecContext;
use cognito_drift::verdict::{ScenarioReport, SnapshotMode, VerifyOptions};

pub const MOTO_VERSION: &str = cognito_drift::emulator::DEFAULT_MOTO_VERSION;

/// A managed server shared by every test of one test process.
pub struct Shared {
    _server: ManagedTarget,
    pub url: String,
    pub version: String,
    /// The venv interpreter of a Python emulator (moto, ministack).
    pub python: Option<PathBuf>,
}

/// The workspace root (the folder holding `scenarios/` and `snapshots/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn cache_dir() -> PathBuf {
    std::env::var_os("COGNITO_DRIFT_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            cognito_drift::emulator::default_cache_dir(
                std::env::var_os("XDG_CACHE_HOME").as_deref(),
                std::env::var_os("HOME").as_deref(),
            )
        })
}

/// Options for a managed server in tests: the user's cache (or `COGNITO_DRIFT_CACHE`), a log file
/// per target and test process.
pub fn managed_options(kind: TargetKind) -> ManagedOptions {
    ManagedOptions {
        cache_dir: cache_dir(),
        env: Vec::new(),
        log_file: Some(std::env::temp_dir().join(format!(
            "cognito-drift-test-{kind}-{}.log",
            std::process::id()
        ))),
    }
}

/// Starts `kind` once for this test process; the server dies with the process (`PR_SET_PDEATHSIG`).
pub fn shared(kind: TargetKind) -> &'static Shared {
    static SERVERS: [OnceLock<Shared>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let slot = TargetKind::ALL.iter().position(|k| *k == kind).unwrap();
    SERVERS[slot].get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let server = rt
            .block_on(ManagedTarget::start(kind, &managed_options(kind)))
            .unwrap_or_else(|e| panic!("managed {kind} starts: {e}"));
        let (url, version) = (
            server.endpoint_url().to_owned(),
            server.version().to_owned(),
        );
        let python = server.interpreter().map(Path::to_owned);
        Shared {
            _server: server,
            url,
            version,
            python,
        }
    })
}

/// The shared moto.
pub fn moto() -> &'static Shared {
    shared(TargetKind::Moto)
}

pub fn client(url: &str) -> Client {
    let endpoint = Endpoint {
        url: url.to_owned(),
        region: "us-east-1".into(),
        credentials: aws_credential_types::Credentials::new(
            "AKIDTEST",
            "test-secret",
            None,
            None,
            "test",
        ),
        allow_remote: false,
    };
    Client::new(endpoint, Duration::from_secs(30), 4 * 1024 * 1024).unwrap()
}

/// Loads, runs and verifies one scenario file against the moto at `url`.
pub async fn run_scenario(path: &Path, url: &str, version: &str) -> ScenarioReport {
    run_scenario_on(path, "moto", url, version)
        .await
        .unwrap_or_else(|| panic!("{} does not apply to moto", path.display()))
}

/// Loads, runs and verifies one scenario file against `target` at `url`, like `cognito-drift run` does;
/// `None` when the scenario's `targets:` excludes `target`.
/// Pending snapshots are written only outside CI, as insta does.
pub async fn run_scenario_on(
    path: &Path,
    target: &str,
    url: &str,
    version: &str,
) -> Option<ScenarioReport> {
    let root = root();
    let (mut scenarios, mut failed) = cognito_drift::engine::load_all(&[path.to_owned()], target);
    if let Some(r) = failed.pop() {
        return Some(r);
    }
    let mut scenario = scenarios.pop().unwrap();
    scenario.path = scenario
        .path
        .strip_prefix(&root)
        .map(Path::to_owned)
        .unwrap_or(scenario.path);
    let ledger = cognito_drift::verdict::ledger::load(&root.join("snapshots"), target).unwrap();
    let exec = ExecContext {
        run_id: "test".into(),
        region: "us-east-1".into(),
        secret: uuid::Uuid::new_v4().simple().to_string(),
        pools: None,
    };
    let verify = VerifyOptions::new(
        root.join("snapshots"),
        target,
        version,
        None,
        "2026-11-27".into(),
        SnapshotMode::Verify {
            write_pending: std::env::var_os("CI").is_none(),
        },
    );
    if !cognito_drift::engine::applies_to(&scenario, target) {
        return None;
    }
    // The engine `run` uses, one scenario, no confirmation re-runs.
    let config = RunConfig {
        exec,
        verify,
        ledger: std::sync::Arc::new(ledger),
        jobs: 1,
        confirm: 0,
        share: true,
    };
    let client = std::sync::Arc::new(client(url));
    cognito_drift::engine::run_all(vec![scenario], &[client], &config, &|_| {})
        .await
        .pop()
}

/// How [`suite`] runs the whole suite on moto.
#[derive(Debug, Clone, Copy)]
pub struct SuiteRun<'a> {
    /// Names the run's pools (`cognito-drift-<run_id>-...`).
    pub run_id: &'a str,
    pub jobs: usize,
    /// Scenarios that may share a pool do (`false`: `--isolate`).
    pub share: bool,
}

/// Every scenario file against moto (the instances `clients`) with the engine `run` uses, without
/// confirmation re-runs (the verdicts of one pass are compared as they are) and without writing.
pub async fn suite(
    clients: &[std::sync::Arc<cognito_drift::exchange::Client>],
    version: &str,
    how: SuiteRun<'_>,
) -> Vec<ScenarioReport> {
    let root = root();
    let files =
        cognito_drift::scenario::discover(&[root.join("scenarios")]).expect("scenario files");
    let (scenarios, failed) = cognito_drift::engine::load_all(&files, "moto");
    assert!(failed.is_empty(), "every scenario loads");
    let ledger =
        cognito_drift::verdict::ledger::load(&root.join("snapshots"), "moto").expect("ledger");
    let config = RunConfig {
        exec: ExecContext {
            run_id: how.run_id.into(),
            region: "us-east-1".into(),
            secret: uuid::Uuid::new_v4().simple().to_string(),
            pools: None,
        },
        verify: VerifyOptions::new(
            root.join("snapshots"),
            "moto",
            version,
            None,
            "2026-11-27".into(),
            SnapshotMode::Verify {
                write_pending: false,
            },
        ),
        ledger: std::sync::Arc::new(ledger),
        jobs: how.jobs,
        confirm: 0,
        share: how.share,
    };
    cognito_drift::engine::run_all(scenarios, clients, &config, &|_| {}).await
}

/// Two runs of the whole suite give the same verdict and the same normalised observations (the
/// snapshot body), scenario by scenario, and every scenario passes against its snapshot. `a` and `b`
/// name the two ways they ran (`--jobs 1`, `2 instances`).
pub fn assert_same_verdicts(
    first: &[cognito_drift::verdict::ScenarioReport],
    second: &[cognito_drift::verdict::ScenarioReport],
    a: &str,
    b: &str,
) {
    let verdicts = |reports: &[cognito_drift::verdict::ScenarioReport]| {
        reports
            .iter()
            .map(|r| {
                let body = cognito_drift::verdict::snapshot_body(&r.steps);
                (r.name.clone(), (r.status.as_str().to_owned(), body))
            })
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let (one, two) = (verdicts(first), verdicts(second));
    assert!(one.len() >= 10, "the whole suite ran: {}", one.len());
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (name, (status, body)) in &one {
        let (status2, body2) = &two[name];
        assert_eq!(status, status2, "{name}: status with {a} vs {b}");
        assert_eq!(body, body2, "{name}: observations with {a} vs {b}");
        assert_eq!(status, "pass", "{name} passes against its snapshot");
    }
}
