//! One install step: the outside tools an install runs (python, pip, node, npm), checked before
//! anything is created, and each step's failure told apart (missing tool, registry, full disk, other).

use std::path::Path;
use std::process::Command;

use super::failure::{classify, disk_is_full, tail, Failure};
use crate::emulator::error::TargetError;
use crate::emulator::kind::TargetKind;

/// How many lines of an installer's output a failure quotes.
const TAIL_LINES: usize = 15;

/// What an install step needs from outside: the tool's name, how to get it, and where its registry
/// is configured.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tool {
    pub name: &'static str,
    pub fix: &'static str,
    pub registry_setting: &'static str,
}

pub(crate) const PYTHON3: Tool = Tool {
    name: "python3",
    fix: "install Python 3 with its venv module (Debian or Ubuntu: `apt-get install python3 python3-venv`)",
    registry_setting: "PIP_INDEX_URL or pip.conf",
};
pub(crate) const PIP: Tool = Tool {
    name: "pip",
    fix: "install Python 3 with its venv and ensurepip modules (Debian or Ubuntu: `apt-get install python3-venv`)",
    registry_setting: "PIP_INDEX_URL or pip.conf",
};
pub(crate) const NODE: Tool = Tool {
    name: "node",
    fix: "install Node.js 18 or later with npm (Debian or Ubuntu: `apt-get install nodejs npm`)",
    registry_setting: "npm's `registry` setting",
};
pub(crate) const NPM: Tool = Tool {
    name: "npm",
    fix: "install npm, which comes with Node.js (Debian or Ubuntu: `apt-get install npm`)",
    registry_setting: "npm's `registry` setting (`npm config get registry`)",
};

/// Fails with [`TargetError::ToolMissing`] unless `program args` can be started and succeeds.
pub(crate) fn require_tool(
    program: &str,
    args: &[&str],
    tool: Tool,
    kind: TargetKind,
) -> Result<(), TargetError> {
    let missing = || TargetError::ToolMissing {
        tool: tool.name.to_owned(),
        target: kind.name().to_owned(),
        version: kind.pinned_version().to_owned(),
        fix: tool.fix.to_owned(),
    };
    match Command::new(program).args(args).output() {
        Ok(out) if out.status.success() => Ok(()),
        _ => Err(missing()),
    }
}

/// Runs one install step of `kind` into `dir`. A missing tool, a registry that refuses or does not
/// answer, a full disk and any other failure are told apart, each with its fix.
pub(crate) fn run_step(
    mut cmd: Command,
    tool: Tool,
    kind: TargetKind,
    dir: &Path,
) -> Result<(), TargetError> {
    let out = cmd.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => TargetError::ToolMissing {
            tool: tool.name.to_owned(),
            target: kind.name().to_owned(),
            version: kind.pinned_version().to_owned(),
            fix: tool.fix.to_owned(),
        },
        _ => TargetError::io(format!("running {} for {kind}", tool.name))(e),
    })?;
    if out.status.success() {
        return Ok(());
    }
    let output_tail = tail(&out.stdout, &out.stderr, TAIL_LINES);
    // Installers do not always pass the cause on (`python -m venv` hides ensurepip's output), so a
    // failure is also checked against the disk itself.
    let failure = match classify(&output_tail) {
        Failure::Other if dir.parent().is_some_and(disk_is_full) => Failure::DiskFull,
        f => f,
    };
    Err(match failure {
        Failure::DiskFull => TargetError::DiskFull {
            action: format!("installing {kind} into `{}`", dir.display()),
        },
        Failure::Registry => TargetError::RegistryUnreachable {
            tool: tool.name.to_owned(),
            target: kind.name().to_owned(),
            version: kind.pinned_version().to_owned(),
            setting: tool.registry_setting.to_owned(),
            output_tail,
        },
        Failure::Other => TargetError::InstallFailed {
            target: kind.name().to_owned(),
            version: kind.pinned_version().to_owned(),
            dir: dir.to_owned(),
            output_tail,
        },
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn missing_tool_is_named_with_its_fix() {
        let err = run_step(
            Command::new("/nonexistent/npm"),
            NPM,
            TargetKind::CognitoLocal,
            Path::new("/tmp/x"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "npm was not found (needed to install cognito-local 5.3.0): {}",
                NPM.fix
            )
        );
    }

    #[test]
    fn failing_step_quotes_its_output() {
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", "echo first; echo boom >&2; exit 1"]);
        let err = run_step(cmd, PIP, TargetKind::Ministack, Path::new("/tmp/x")).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("failed to install ministack 1.5.33 into `/tmp/x`"),
            "{text}"
        );
        assert!(text.ends_with("first\nboom"), "{text}");
    }

    #[test]
    fn full_disk_and_registry_failures_get_their_own_errors() {
        let mut cmd = Command::new("/bin/sh");
        cmd.args([
            "-c",
            "echo 'ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device' >&2; exit 1",
        ]);
        let err = run_step(cmd, PIP, TargetKind::Moto, Path::new("/tmp/x")).unwrap_err();
        assert!(matches!(err, TargetError::DiskFull { .. }), "{err}");
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", "echo 'npm error code ECONNREFUSED' >&2; exit 1"]);
        let err = run_step(cmd, NPM, TargetKind::CognitoLocal, Path::new("/tmp/x")).unwrap_err();
        assert!(
            matches!(err, TargetError::RegistryUnreachable { .. }),
            "{err}"
        );
        assert!(err.to_string().contains("npm config get registry"), "{err}");
    }
}
