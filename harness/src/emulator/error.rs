//! Why a managed target could not be installed, started, reset or reached.

use std::path::PathBuf;
use std::time::Duration;

use crate::exchange::ExchangeError;

/// A target lifecycle failure; log and pip excerpts are included because they are the only clue.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("{tool} was not found (needed to install {target} {version}): {fix}")]
    ToolMissing {
        tool: String,
        target: String,
        version: String,
        /// What to install, and how.
        fix: String,
    },
    #[error(
        "`{python}` cannot create a virtual environment (needed to install {target} {version}): its `venv` or `ensurepip` module is missing. On Debian or Ubuntu: `apt-get install python3-venv`; elsewhere install a Python 3 that includes them. Nothing was installed"
    )]
    VenvMissing {
        python: String,
        target: String,
        version: String,
    },
    #[error(
        "{tool} could not download the packages of {target} {version} (the package registry refused, was unreachable or timed out): check the network and {tool}'s registry setting ({setting}), then run again. Nothing was installed; {tool} said:\n{output_tail}"
    )]
    RegistryUnreachable {
        tool: String,
        target: String,
        version: String,
        /// Where the tool's registry is configured.
        setting: String,
        output_tail: String,
    },
    #[error(
        "no space left on the device while {action}: free some space, or set COGNITO_DRIFT_CACHE to a folder on a disk with room, then run again. Nothing was installed"
    )]
    DiskFull { action: String },
    #[error("failed to install {target} {version} into `{dir}`:\n{output_tail}")]
    InstallFailed {
        target: String,
        version: String,
        dir: PathBuf,
        output_tail: String,
    },
    #[error("installed {target} reports version `{found}`, expected `{expected}`")]
    WrongVersion {
        target: String,
        expected: String,
        found: String,
    },
    #[error("i/o error while {action}")]
    Io {
        action: String,
        #[source]
        source: std::io::Error,
    },
    #[error("failed to start `{program}`")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{target} exited before becoming ready ({status}); log tail:\n{log_tail}")]
    ExitedEarly {
        target: String,
        status: String,
        log_tail: String,
    },
    #[error(
        "`{url}` did not become ready within {timeout:?}; last problem: {last_problem}{log_tail}"
    )]
    NotReady {
        url: String,
        timeout: Duration,
        last_problem: String,
        /// Empty, or a newline and the server's log tail when the harness manages the server.
        log_tail: String,
    },
    #[error("reset of `{url}` failed: {problem}")]
    ResetFailed { url: String, problem: String },
    #[error("cannot talk to the target")]
    Exchange(#[from] ExchangeError),
}

impl TargetError {
    /// An i/o failure while `action`; a full disk gets its own message, since it has its own fix.
    pub(crate) fn io(action: impl Into<String>) -> impl FnOnce(std::io::Error) -> TargetError {
        let action = action.into();
        move |source| match source.kind() {
            std::io::ErrorKind::StorageFull => TargetError::DiskFull { action },
            _ => TargetError::Io { action, source },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_full_io_errors_are_a_full_disk() {
        let err =
            TargetError::io("writing x")(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert!(matches!(err, TargetError::DiskFull { .. }), "{err}");
    }
}
