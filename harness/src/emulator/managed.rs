//! One lifecycle for every managed target: install once, start on a free loopback port, wait until
//! ready, reset to an empty service, stop.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::error::TargetError;
use super::kind::TargetKind;
use super::launch::{free_port, launch, port_was_taken, Program};
use super::process::{ServerProcess, Spawn};
use super::ready::{self, Probe};
use super::{cognito_local, ministack, moto};

/// Fresh ports tried when the chosen one was taken between picking and binding.
const PORT_ATTEMPTS: usize = 3;

/// How to obtain and run a managed target.
#[derive(Debug, Clone)]
pub struct ManagedOptions {
    /// Holds the installs (`<target>-<version>-<lock digest>/`) and, by convention, `logs/`.
    pub cache_dir: PathBuf,
    /// Extra environment for the server, e.g. moto's `INITIAL_NO_AUTH_ACTION_COUNT`.
    pub env: Vec<(String, String)>,
    /// Server stdout+stderr are appended here; `None` keeps only a short tail in memory.
    pub log_file: Option<PathBuf>,
}

impl ManagedOptions {
    /// The conventional log file of `kind`: `<cache>/logs/<target>.log`.
    pub fn log_file_in(cache_dir: &Path, kind: TargetKind) -> PathBuf {
        cache_dir.join("logs").join(format!("{kind}.log"))
    }
}

/// A running emulator on `127.0.0.1`. Dropping it (also during a panic unwind) stops the server;
/// if the harness dies hard, Linux kills the server through `PR_SET_PDEATHSIG`.
#[derive(Debug)]
pub struct ManagedTarget {
    /// Declared before `scratch`: the server stops before its folder is deleted.
    process: ServerProcess,
    /// cognito-local's data folder, ministack's `TMPDIR`.
    scratch: Option<tempfile::TempDir>,
    kind: TargetKind,
    program: Program,
    opts: ManagedOptions,
    port: u16,
    url: String,
    ready_after: Duration,
}

impl ManagedTarget {
    /// Finds or installs `kind`, starts it on a free port and waits until it is ready.
    pub async fn start(
        kind: TargetKind,
        opts: &ManagedOptions,
    ) -> Result<ManagedTarget, TargetError> {
        let program = {
            let opts = opts.clone();
            tokio::task::spawn_blocking(move || locate(kind, &opts))
                .await
                .map_err(|e| TargetError::Io {
                    action: format!("installing {kind}"),
                    source: std::io::Error::other(e),
                })??
        };
        let scratch = match kind {
            TargetKind::Moto => None,
            TargetKind::CognitoLocal | TargetKind::Ministack => Some(
                tempfile::Builder::new()
                    .prefix(&format!("cognito-drift-{kind}-"))
                    .tempdir()
                    .map_err(TargetError::io("creating the server's scratch folder"))?,
            ),
        };
        if let (TargetKind::CognitoLocal, Some(data)) = (kind, &scratch) {
            cognito_local::prepare(data.path())?;
        }
        let mut attempt = 0;
        let (process, port, ready_after) = loop {
            attempt += 1;
            let port = free_port()?;
            let scratch_path = scratch.as_ref().map(tempfile::TempDir::path);
            match start_on(kind, &program, opts, port, scratch_path).await {
                Err(TargetError::ExitedEarly { log_tail, .. })
                    if attempt < PORT_ATTEMPTS && port_was_taken(&log_tail) => {}
                Err(e) => return Err(e),
                Ok((process, ready_after)) => break (process, port, ready_after),
            }
        };
        let url = url_of(port);
        if let (TargetKind::Moto, Some(count)) = (kind, moto::no_auth_count(&opts.env)) {
            let client = ready::probe_client(&format!("{url}/moto-api/reset-auth"))?;
            ready::post_expect_ok(&client, count.as_bytes()).await?;
        }
        Ok(ManagedTarget {
            process,
            scratch,
            kind,
            program,
            opts: opts.clone(),
            port,
            url,
            ready_after,
        })
    }

    pub fn kind(&self) -> TargetKind {
        self.kind
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn endpoint_url(&self) -> &str {
        &self.url
    }

    /// The installed version (verified against the pin), as recorded in snapshot headers.
    pub fn version(&self) -> &str {
        &self.program.version
    }

    /// The digest (`sha256:…`) of the committed lock the install was made from.
    pub fn lock(&self) -> &str {
        &self.program.lock
    }

    /// The venv interpreter a Python emulator runs on (moto, ministack); `None` for cognito-local.
    pub fn interpreter(&self) -> Option<&Path> {
        match self.kind {
            TargetKind::Moto | TargetKind::Ministack => Some(&self.program.program),
            TargetKind::CognitoLocal => None,
        }
    }

    /// Time from spawning the server to its first successful answer.
    pub fn ready_after(&self) -> Duration {
        self.ready_after
    }

    /// The server's process id (for diagnostics and lifecycle tests).
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// Forgets every resource, so scenarios start from an empty service. moto and ministack reset
    /// through their control endpoints; cognito-local is restarted without its database, on the
    /// same port when that is still free.
    pub async fn reset(&mut self) -> Result<(), TargetError> {
        let path = match self.kind {
            TargetKind::Moto => "/moto-api/reset",
            TargetKind::Ministack => "/_ministack/reset",
            TargetKind::CognitoLocal => return self.restart_empty().await,
        };
        let client = ready::probe_client(&format!("{}{path}", self.url))?;
        ready::post_expect_ok(&client, b"").await
    }

    async fn restart_empty(&mut self) -> Result<(), TargetError> {
        self.process.stop();
        let data = self.scratch.as_ref().map(tempfile::TempDir::path);
        if let Some(data) = data {
            cognito_local::clear(data)?;
        }
        let mut port = self.port;
        for attempt in 1..=PORT_ATTEMPTS {
            match start_on(self.kind, &self.program, &self.opts, port, data).await {
                Err(TargetError::ExitedEarly { log_tail, .. })
                    if attempt < PORT_ATTEMPTS && port_was_taken(&log_tail) =>
                {
                    port = free_port()?;
                }
                Err(e) => return Err(e),
                Ok((process, ready_after)) => {
                    self.process = process;
                    self.port = port;
                    self.url = url_of(port);
                    self.ready_after = ready_after;
                    return Ok(());
                }
            }
        }
        Err(TargetError::ResetFailed {
            url: self.url.clone(),
            problem: "no free port to restart on".to_owned(),
        })
    }

    /// Stops the server now (SIGTERM, then SIGKILL after a grace period) and waits until it is reaped.
    pub fn stop(self) {
        drop(self);
    }
}

fn url_of(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

/// The installed program of `kind`, installing it into the cache when missing. Blocking.
fn locate(kind: TargetKind, opts: &ManagedOptions) -> Result<Program, TargetError> {
    match kind {
        TargetKind::Moto => moto::locate(&opts.cache_dir),
        TargetKind::CognitoLocal => cognito_local::locate(&opts.cache_dir),
        TargetKind::Ministack => ministack::locate(&opts.cache_dir),
    }
}

/// Spawns `kind` on `127.0.0.1:port` and waits until its readiness probe passes.
async fn start_on(
    kind: TargetKind,
    program: &Program,
    opts: &ManagedOptions,
    port: u16,
    scratch: Option<&Path>,
) -> Result<(ServerProcess, Duration), TargetError> {
    let mut args = program.args.clone();
    let mut env = Vec::new();
    let mut cwd = None;
    let health = match (kind, scratch) {
        (TargetKind::CognitoLocal, Some(data)) => {
            env = cognito_local::listen_env(port);
            cwd = Some(data.to_owned());
            Some("/health")
        }
        (TargetKind::Ministack, Some(tmp)) => {
            env = ministack::listen_env(port, tmp);
            Some("/_ministack/health")
        }
        _ => {
            args.extend(moto::listen_args(port));
            None
        }
    };
    // The caller's variables first: the listen address cannot be overridden.
    env.splice(0..0, opts.env.iter().cloned());
    let spec = Spawn {
        program: program.program.clone(),
        args,
        env,
        cwd,
        log_file: opts.log_file.clone(),
    };
    let url = url_of(port);
    let probe = Probe::new(&url, health)?;
    launch(kind, &spec, &url, &probe).await
}
