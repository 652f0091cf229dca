//! A server child process owned by a dedicated thread that lives until the child is reaped.
//!
//! The dedicated thread matters: `PR_SET_PDEATHSIG` fires when the *spawning thread* exits, so spawning
//! from a short-lived (e.g. tokio blocking-pool) thread would kill the server at a random moment.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::error::TargetError;
use super::sys;

/// How often the owner thread checks whether the child exited on its own.
const POLL: Duration = Duration::from_millis(50);
/// How long a SIGTERMed server may take before it gets SIGKILL.
const GRACE: Duration = Duration::from_secs(3);
/// Lines of server output kept in memory when there is no log file.
const MEMORY_LOG_LINES: usize = 60;

/// What to run.
#[derive(Debug, Clone)]
pub(crate) struct Spawn {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub env: Vec<(String, String)>,
    /// Working directory; `None` keeps the harness's.
    pub cwd: Option<PathBuf>,
    /// Appends stdout and stderr here; `None` keeps the last lines of stderr in memory instead.
    pub log_file: Option<PathBuf>,
}

/// Where the server's output went, so a failure can quote its end.
#[derive(Debug, Clone)]
enum Log {
    File(PathBuf),
    Memory(Arc<Mutex<VecDeque<String>>>),
}

/// A running (or exited, not yet dropped) child. Dropping it stops and reaps the child.
#[derive(Debug)]
pub(crate) struct ServerProcess {
    pid: u32,
    stop: Option<mpsc::Sender<()>>,
    status: Arc<Mutex<Option<ExitStatus>>>,
    owner: Option<JoinHandle<()>>,
    log: Log,
}

impl ServerProcess {
    pub(crate) fn spawn(spec: &Spawn) -> Result<ServerProcess, TargetError> {
        let (mut cmd, log) = command(spec)?;
        let (started_tx, started_rx) = mpsc::sync_channel::<Result<u32, std::io::Error>>(1);
        let (stop_tx, stop_rx) = mpsc::channel::<()>();
        let status = Arc::new(Mutex::new(None));
        let owner_status = Arc::clone(&status);
        let owner_log = log.clone();
        let owner = std::thread::Builder::new()
            .name("target-server-owner".to_owned())
            .spawn(move || {
                sys::kill_with_parent(&mut cmd);
                let mut child = match cmd.spawn() {
                    Ok(child) => child,
                    Err(e) => {
                        let _ = started_tx.send(Err(e));
                        return;
                    }
                };
                if let (Log::Memory(lines), Some(stderr)) = (&owner_log, child.stderr.take()) {
                    keep_tail(stderr, Arc::clone(lines));
                }
                let _ = started_tx.send(Ok(child.id()));
                let exit = own(&mut child, &stop_rx);
                if let Ok(mut slot) = owner_status.lock() {
                    *slot = exit;
                }
            })
            .map_err(TargetError::io("starting the server owner thread"))?;
        let spawn_error = |source| TargetError::Spawn {
            program: spec.program.display().to_string(),
            source,
        };
        let pid = match started_rx.recv() {
            Ok(Ok(pid)) => pid,
            Ok(Err(e)) => {
                let _ = owner.join();
                return Err(spawn_error(e));
            }
            Err(_) => {
                let _ = owner.join();
                return Err(spawn_error(std::io::Error::other("owner thread died")));
            }
        };
        Ok(ServerProcess {
            pid,
            stop: Some(stop_tx),
            status,
            owner: Some(owner),
            log,
        })
    }

    pub(crate) fn pid(&self) -> u32 {
        self.pid
    }

    /// The exit status once the child has ended (on its own or after [`stop`](Self::stop)).
    pub(crate) fn exit_status(&self) -> Option<ExitStatus> {
        self.status.lock().ok().and_then(|s| *s)
    }

    /// SIGTERM, then SIGKILL after a grace period; returns once the child is reaped. Idempotent.
    pub(crate) fn stop(&mut self) {
        drop(self.stop.take());
        if let Some(owner) = self.owner.take() {
            let _ = owner.join();
        }
    }

    /// The last `n` lines the server wrote (file or memory), for error messages.
    pub(crate) fn log_tail(&self, n: usize) -> String {
        let lines: Vec<String> = match &self.log {
            Log::File(path) => read_tail(path, n),
            Log::Memory(lines) => lines
                .lock()
                .map(|l| l.iter().cloned().collect())
                .unwrap_or_default(),
        };
        let start = lines.len().saturating_sub(n);
        if lines.is_empty() {
            "(no output)".to_owned()
        } else {
            lines[start..].join("\n")
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        tracing::info!(pid = self.pid(), "stopping managed server");
        self.stop();
    }
}

fn command(spec: &Spawn) -> Result<(Command, Log), TargetError> {
    let mut cmd = Command::new(&spec.program);
    cmd.args(&spec.args)
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null());
    if let Some(dir) = &spec.cwd {
        cmd.current_dir(dir);
    }
    let log = match &spec.log_file {
        Some(path) => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(TargetError::io(format!(
                    "creating the log folder `{}`",
                    dir.display()
                )))?;
            }
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(TargetError::io(format!(
                    "opening log file `{}`",
                    path.display()
                )))?;
            let err = file
                .try_clone()
                .map_err(TargetError::io("duplicating the log file handle"))?;
            cmd.stdout(file).stderr(err);
            Log::File(path.clone())
        }
        None => {
            cmd.stdout(Stdio::null()).stderr(Stdio::piped());
            Log::Memory(Arc::new(Mutex::new(VecDeque::new())))
        }
    };
    Ok((cmd, log))
}

/// Waits for the child to exit or for a stop request (or the sender being dropped), then reaps it.
fn own(child: &mut Child, stop: &mpsc::Receiver<()>) -> Option<ExitStatus> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) => {}
            Err(_) => break,
        }
        match stop.recv_timeout(POLL) {
            Err(RecvTimeoutError::Timeout) => continue,
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    terminate(child)
}

fn terminate(child: &mut Child) -> Option<ExitStatus> {
    if let Ok(Some(status)) = child.try_wait() {
        return Some(status);
    }
    if sys::terminate(child.id()) {
        let deadline = Instant::now() + GRACE;
        while Instant::now() < deadline {
            match child.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                Err(_) => break,
            }
        }
    }
    let _ = child.kill();
    child.wait().ok()
}

/// Drains `stream` on its own thread, keeping the last lines (the pipe must be read or the server blocks).
fn keep_tail(stream: impl Read + Send + 'static, lines: Arc<Mutex<VecDeque<String>>>) {
    let _ = std::thread::Builder::new()
        .name("target-server-log".to_owned())
        .spawn(move || {
            for line in BufReader::new(stream).split(b'\n').map_while(Result::ok) {
                if let Ok(mut lines) = lines.lock() {
                    if lines.len() == MEMORY_LOG_LINES {
                        lines.pop_front();
                    }
                    lines.push_back(String::from_utf8_lossy(&line).trim_end().to_owned());
                }
            }
        });
}

fn read_tail(path: &Path, n: usize) -> Vec<String> {
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..]
        .iter()
        .map(|l| (*l).to_owned())
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sh(script: &str, log_file: Option<PathBuf>) -> Spawn {
        Spawn {
            program: "/bin/sh".into(),
            args: vec!["-c".into(), script.into()],
            env: vec![("CD_TEST_VAR".to_owned(), "from-env".to_owned())],
            cwd: None,
            log_file,
        }
    }

    fn wait_for_exit(p: &ServerProcess) -> ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Some(s) = p.exit_status() {
                return s;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("child did not exit");
    }

    #[test]
    fn exit_is_observed_and_stderr_tail_kept_in_memory() {
        let p = ServerProcess::spawn(&sh(
            "echo one >&2; echo \"$CD_TEST_VAR\" >&2; echo hidden; exit 3",
            None,
        ))
        .unwrap();
        assert_eq!(wait_for_exit(&p).code(), Some(3));
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(p.log_tail(10), "one\nfrom-env");
        assert_eq!(p.log_tail(1), "from-env");
    }

    #[test]
    fn cwd_is_applied() {
        let mut spec = sh("pwd >&2", None);
        spec.cwd = Some("/usr".into());
        let p = ServerProcess::spawn(&spec).unwrap();
        wait_for_exit(&p);
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(p.log_tail(1), "/usr");
    }

    #[test]
    fn log_file_receives_both_streams() {
        let path = std::env::temp_dir().join(format!("cd-proc-{}.log", uuid::Uuid::new_v4()));
        let p = ServerProcess::spawn(&sh("echo out; echo err >&2", Some(path.clone()))).unwrap();
        wait_for_exit(&p);
        assert_eq!(p.log_tail(5), "out\nerr");
        drop(p);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn stop_terminates_and_reaps() {
        let mut p = ServerProcess::spawn(&sh("exec sleep 30", None)).unwrap();
        let started = Instant::now();
        p.stop();
        assert!(started.elapsed() < GRACE, "sigterm should suffice");
        let status = p.exit_status().unwrap();
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(libc::SIGTERM)
        );
        assert!(!Path::new(&format!("/proc/{}", p.pid())).exists());
    }

    #[test]
    fn sigterm_ignoring_child_is_killed_after_grace() {
        let mut p =
            ServerProcess::spawn(&sh("trap '' TERM; while :; do sleep 0.1; done", None)).unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let started = Instant::now();
        p.stop();
        assert!(started.elapsed() >= GRACE);
        let status = p.exit_status().unwrap();
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(libc::SIGKILL)
        );
    }

    #[test]
    fn missing_program_is_a_spawn_error() {
        let spec = Spawn {
            program: "/nonexistent/moto_server".into(),
            args: Vec::new(),
            env: Vec::new(),
            cwd: None,
            log_file: None,
        };
        let err = ServerProcess::spawn(&spec).unwrap_err();
        assert_eq!(
            err.to_string(),
            "failed to start `/nonexistent/moto_server`"
        );
    }
}
