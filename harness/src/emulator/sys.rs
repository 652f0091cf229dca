//! The two OS calls std does not offer: die with the parent, and a polite SIGTERM.

use std::process::Command;

/// Makes the child receive SIGKILL when the thread that spawned it exits (Linux `PR_SET_PDEATHSIG`),
/// so a hard crash of the harness never leaves a server behind. No-op elsewhere.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
pub(crate) fn kill_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    let parent = libc::pid_t::try_from(std::process::id()).unwrap_or(0);
    // SAFETY: the closure runs in the forked child before exec and only calls the async-signal-safe
    // `prctl` and `getppid` and reads errno; it allocates nothing and touches no locks.
    // A parent that died before `prctl` took effect is caught by the `getppid` check.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            if libc::getppid() != parent {
                return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn kill_with_parent(_cmd: &mut Command) {}

/// Asks `pid` to terminate. Callers pass only children they have not reaped yet, so the pid cannot
/// have been recycled by another process.
#[cfg(unix)]
#[allow(unsafe_code)]
pub(crate) fn terminate(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: `kill` has no memory-safety preconditions.
    unsafe { libc::kill(pid, libc::SIGTERM) == 0 }
}

#[cfg(not(unix))]
pub(crate) fn terminate(_pid: u32) -> bool {
    false
}
