//! Checks that a managed server is gone: process reaped, port closed, also after a hard death.
#![allow(clippy::print_stdout)]

use std::future::Future;
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cognito_drift::emulator::ManagedTarget;

const HARD_DEATH_CHILD: &str = "COGNITO_DRIFT_TEST_HARD_DEATH_CHILD";

pub fn port_of(url: &str) -> u16 {
    url.rsplit(':').next().unwrap().parse().unwrap()
}

pub fn port_is_closed(port: u16) -> bool {
    TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(500)).is_err()
}

/// Gone, or a zombie waiting for a reaper that is not us (after a hard death the server is re-parented).
pub fn process_gone(pid: u32) -> bool {
    match std::fs::read_to_string(PathBuf::from(format!("/proc/{pid}/stat"))) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
    }
}

/// Re-runs the test `test_name` of the current binary as a child process that starts a server with
/// `start` and aborts (no Drop, no unwind); the server must die with it (`PR_SET_PDEATHSIG`).
pub fn hard_death_kills_the_server<F, Fut>(test_name: &str, start: F)
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ManagedTarget>,
{
    if std::env::var_os(HARD_DEATH_CHILD).is_some_and(|t| t == test_name) {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let server = rt.block_on(start());
        println!("SERVER {} {}", server.pid(), port_of(server.endpoint_url()));
        use std::io::Write;
        std::io::stdout().flush().unwrap();
        std::process::abort();
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test_name, "--nocapture"])
        .env(HARD_DEATH_CHILD, test_name)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("SERVER "))
        .unwrap_or_else(|| {
            panic!(
                "child printed no server line: {stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let (pid, port) = line.split_once(' ').unwrap();
    let (pid, port): (u32, u16) = (pid.parse().unwrap(), port.parse().unwrap());
    let deadline = Instant::now() + Duration::from_secs(10);
    while !(process_gone(pid) && port_is_closed(port)) {
        assert!(
            Instant::now() < deadline,
            "server {pid} survived the harness"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
