//! The default target: a moto server the harness installs, starts on a free loopback port, and stops.

use std::ffi::OsString;
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::error::TargetError;
use super::install::{self, MotoCommand};
use super::process::{ServerProcess, Spawn};
use super::ready;
use crate::exchange::Client;

/// The moto version the contract snapshots were recorded against.
pub const DEFAULT_MOTO_VERSION: &str = "5.2.1";
/// How long a freshly started moto may take to answer.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
const PROBE_INTERVAL: Duration = Duration::from_millis(100);
/// Fresh ports tried when the chosen one was taken between picking and binding.
const PORT_ATTEMPTS: usize = 3;
const LOG_TAIL_LINES: usize = 20;

/// How to obtain and run moto.
#[derive(Debug, Clone)]
pub struct MotoOptions {
    /// Exact `moto.__version__` required, e.g. "5.2.1".
    pub version: String,
    /// Holds `moto-<version>/`, the venv installed when `PATH` has no matching moto.
    pub cache_dir: PathBuf,
    /// Extra environment for the server, e.g. `INITIAL_NO_AUTH_ACTION_COUNT`.
    pub env: Vec<(String, String)>,
    /// Server stdout+stderr are appended here; `None` keeps only a short tail in memory.
    pub log_file: Option<PathBuf>,
    /// The `PATH` to search for an installed `moto_server` (read once by the caller);
    /// `None` always uses the cached venv.
    pub path: Option<OsString>,
}

/// A running moto server on `127.0.0.1`. Dropping it (also during a panic unwind) stops the server;
/// if the harness dies hard, Linux kills the server through `PR_SET_PDEATHSIG`.
#[derive(Debug)]
pub struct ManagedMoto {
    process: ServerProcess,
    url: String,
    version: String,
    reset_client: Client,
    ready_after: Duration,
}

impl ManagedMoto {
    /// Finds or installs moto, starts it on a free port and waits until it answers Cognito calls.
    pub async fn start(opts: &MotoOptions) -> Result<ManagedMoto, TargetError> {
        let command = {
            let path = opts.path.clone();
            let version = opts.version.clone();
            let cache_dir = opts.cache_dir.clone();
            tokio::task::spawn_blocking(move || {
                install::locate(path.as_deref(), &version, &cache_dir)
            })
            .await
            .map_err(|e| TargetError::Io {
                action: "locating moto".to_owned(),
                source: std::io::Error::other(e.to_string()),
            })??
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            match Self::start_once(opts, &command).await {
                Err(TargetError::ExitedEarly { log_tail, .. })
                    if attempt < PORT_ATTEMPTS && port_was_taken(&log_tail) =>
                {
                    tracing::info!(
                        attempt,
                        "moto lost its port to another process; retrying on a new one"
                    );
                    continue;
                }
                other => return other,
            }
        }
    }

    async fn start_once(
        opts: &MotoOptions,
        command: &MotoCommand,
    ) -> Result<ManagedMoto, TargetError> {
        let port = free_port()?;
        let mut args = command.args.clone();
        args.extend(["-H", "127.0.0.1", "-p"].map(OsString::from));
        args.push(port.to_string().into());
        let spec = Spawn {
            program: command.program.clone(),
            args,
            env: opts.env.clone(),
            log_file: opts.log_file.clone(),
        };
        let started = Instant::now();
        tracing::info!(version = %command.version, port, "starting managed moto");
        let process = ServerProcess::spawn(&spec)?;
        let url = format!("http://127.0.0.1:{port}");
        let probe_client = ready::probe_client(&url)?;
        let reset_client = ready::probe_client(&format!("{url}/moto-api/reset"))?;
        loop {
            if let Some(status) = process.exit_status() {
                return Err(TargetError::ExitedEarly {
                    status: status.to_string(),
                    log_tail: process.log_tail(LOG_TAIL_LINES),
                });
            }
            let problem = match ready::probe(&probe_client).await {
                // Our server must still be alive: the answer could come from a squatter on the port.
                Ok(()) if process.exit_status().is_none() => {
                    if let Some(count) = no_auth_count(&opts.env) {
                        let client = ready::probe_client(&format!("{url}/moto-api/reset-auth"))?;
                        ready::moto_api_post(&client, count.as_bytes()).await?;
                    }
                    tracing::info!(
                        url,
                        ready_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                        "managed moto ready"
                    );
                    return Ok(ManagedMoto {
                        process,
                        url,
                        version: command.version.clone(),
                        reset_client,
                        ready_after: started.elapsed(),
                    });
                }
                Ok(()) => continue,
                Err(problem) => problem,
            };
            if started.elapsed() >= READY_TIMEOUT {
                return Err(TargetError::NotReady {
                    url,
                    timeout: READY_TIMEOUT,
                    last_problem: problem,
                    log_tail: format!("; log tail:\n{}", process.log_tail(LOG_TAIL_LINES)),
                });
            }
            tokio::time::sleep(PROBE_INTERVAL).await;
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn endpoint_url(&self) -> &str {
        &self.url
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    /// Time from spawning the server to its first successful answer.
    pub fn ready_after(&self) -> Duration {
        self.ready_after
    }

    /// The server's process id (for diagnostics and lifecycle tests).
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// Forgets every resource (`POST /moto-api/reset`), so scenarios start from an empty service.
    pub async fn reset(&self) -> Result<(), TargetError> {
        ready::moto_api_post(&self.reset_client, b"").await
    }

    /// Stops the server now (SIGTERM, then SIGKILL after a grace period) and waits until it is reaped.
    pub fn stop(self) {
        drop(self);
    }
}

/// A port the kernel considers free right now; moto binds it a moment later, hence the retry above.
fn free_port() -> Result<u16, TargetError> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(TargetError::io("picking a free port"))?;
    let port = listener
        .local_addr()
        .map_err(TargetError::io("picking a free port"))?
        .port();
    Ok(port)
}

/// moto counts every unauthenticated action, readiness probes included, against
/// `INITIAL_NO_AUTH_ACTION_COUNT`; the count is restored after the probes through `/moto-api/reset-auth`.
fn no_auth_count(env: &[(String, String)]) -> Option<&str> {
    env.iter()
        .rev()
        .find(|(k, _)| k == "INITIAL_NO_AUTH_ACTION_COUNT")
        .map(|(_, v)| v.as_str())
}

fn port_was_taken(log_tail: &str) -> bool {
    let lower = log_tail.to_ascii_lowercase();
    lower.contains("address already in use") || lower.contains("is in use by another program")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_conflicts_are_recognised_in_logs() {
        assert!(port_was_taken("OSError: [Errno 98] Address already in use"));
        assert!(port_was_taken(
            "Port 5000 is in use by another program. Either identify and stop that program, or start the server with a different port."
        ));
        assert!(!port_was_taken(
            "ModuleNotFoundError: No module named 'flask'"
        ));
    }

    #[test]
    fn free_port_is_bindable_afterwards() {
        let port = free_port().unwrap_or(0);
        assert_ne!(port, 0);
        assert!(TcpListener::bind(("127.0.0.1", port)).is_ok());
    }
}
