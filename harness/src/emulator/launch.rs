//! Starting an installed emulator on a loopback port and waiting until it answers.

use std::ffi::OsString;
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::error::TargetError;
use super::kind::TargetKind;
use super::process::{ServerProcess, Spawn};
use super::ready::Probe;

/// How long a freshly started emulator may take to answer.
const READY_TIMEOUT: Duration = Duration::from_secs(60);
const PROBE_INTERVAL: Duration = Duration::from_millis(100);
pub(crate) const LOG_TAIL_LINES: usize = 20;

/// An installed emulator: `program args…`, to which each start adds its port.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Program {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    /// The version verified at install time, recorded in snapshot headers.
    pub version: String,
    /// The digest of the lock it was installed from (`sha256:…`), recorded in snapshot headers.
    pub lock: String,
}

/// Spawns `spec` and waits until `probe` succeeds while the child is still alive, or fails with the
/// server's log tail. Returns the process and the time it took to become ready.
pub(crate) async fn launch(
    kind: TargetKind,
    spec: &Spawn,
    url: &str,
    probe: &Probe,
) -> Result<(ServerProcess, Duration), TargetError> {
    let started = Instant::now();
    let process = ServerProcess::spawn(spec)?;
    loop {
        if let Some(status) = process.exit_status() {
            return Err(TargetError::ExitedEarly {
                target: kind.name().to_owned(),
                status: status.to_string(),
                log_tail: process.log_tail(LOG_TAIL_LINES),
            });
        }
        let problem = match probe.check().await {
            // Our server must still be alive: the answer could come from a squatter on the port.
            Ok(()) if process.exit_status().is_none() => return Ok((process, started.elapsed())),
            Ok(()) => continue,
            Err(problem) => problem,
        };
        if started.elapsed() >= READY_TIMEOUT {
            return Err(TargetError::NotReady {
                url: url.to_owned(),
                timeout: READY_TIMEOUT,
                last_problem: problem.to_string(),
                log_tail: format!("; log tail:\n{}", process.log_tail(LOG_TAIL_LINES)),
            });
        }
        tokio::time::sleep(PROBE_INTERVAL).await;
    }
}

/// A port the kernel considers free right now; the server binds it a moment later, so callers retry
/// when [`port_was_taken`] says another process got there first.
pub(crate) fn free_port() -> Result<u16, TargetError> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(TargetError::io("picking a free port"))?;
    let port = listener
        .local_addr()
        .map_err(TargetError::io("picking a free port"))?
        .port();
    Ok(port)
}

/// Whether a server's log says its port was in use (moto, hypercorn, ministack and node phrasings).
pub(crate) fn port_was_taken(log_tail: &str) -> bool {
    let lower = log_tail.to_ascii_lowercase();
    [
        "address already in use",
        "in use by another program",
        "eaddrinuse",
        "is already in use",
    ]
    .iter()
    .any(|p| lower.contains(p))
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
        assert!(port_was_taken(
            "Error: listen EADDRINUSE: address already in use 127.0.0.1:9229"
        ));
        assert!(port_was_taken(
            "ERROR: 127.0.0.1:4566 is already in use. Is MiniStack already running?"
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
