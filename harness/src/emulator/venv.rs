//! Python emulators (moto, ministack): each in its own cached venv, since each pins its own botocore,
//! installed from its committed hash-locked requirements with `pip --require-hashes --no-deps`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::error::TargetError;
use super::install::{ensure_installed, progress, require_tool, run_step, Installer, PIP, PYTHON3};
use super::kind::TargetKind;

/// The interpreter that makes the venvs.
const PYTHON: &str = "python3";

/// The distribution `python` has installed as `dist`, or `None` when it has none (or python fails).
pub(crate) fn dist_version(python: &Path, dist: &str) -> Option<String> {
    let out = Command::new(python)
        .args([
            "-c",
            "import sys, importlib.metadata as m; print(m.version(sys.argv[1]))",
            dist,
        ])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The python of venv `dir`.
pub(crate) fn venv_python(dir: &Path) -> PathBuf {
    dir.join("bin").join("python")
}

/// `python3` runs and can make a venv with pip in it (Debian splits `venv`/`ensurepip` into
/// `python3-venv`, and without it `python -m venv` fails halfway).
fn preflight(kind: TargetKind) -> Result<(), TargetError> {
    require_tool(PYTHON, &["--version"], PYTHON3, kind)?;
    let usable = Command::new(PYTHON)
        .args(["-c", "import venv, ensurepip"])
        .output()
        .is_ok_and(|o| o.status.success());
    if usable {
        Ok(())
    } else {
        Err(TargetError::VenvMissing {
            python: PYTHON.to_owned(),
            target: kind.name().to_owned(),
            version: kind.pinned_version().to_owned(),
        })
    }
}

/// The python of the cached venv holding `dist` at `kind`'s pinned version, made from `lock` (a
/// fully resolved, hash-pinned requirements file) when missing.
pub(crate) fn ensure_venv(
    cache_dir: &Path,
    kind: TargetKind,
    dist: &str,
    lock: &str,
) -> Result<PathBuf, TargetError> {
    let version = kind.pinned_version();
    let is_installed =
        |dir: &Path| dist_version(&venv_python(dir), dist).as_deref() == Some(version);
    let preflight = || preflight(kind);
    let install = |dir: &Path| {
        let mut venv = Command::new(PYTHON);
        venv.arg("-m").arg("venv").arg(dir);
        run_step(venv, PYTHON3, kind, dir)?;
        let lock_file = dir.join("requirements.lock");
        std::fs::write(&lock_file, lock).map_err(TargetError::io(format!(
            "writing `{}`",
            lock_file.display()
        )))?;
        progress("cognito-drift: venv created, running pip install --require-hashes");
        let mut pip = Command::new(venv_python(dir));
        pip.args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "--quiet",
            "--require-hashes",
            "--no-deps",
            "-r",
        ])
        .arg(&lock_file);
        run_step(pip, PIP, kind, dir)
    };
    let installer = Installer {
        kind,
        duration_hint: "about a minute",
        preflight: &preflight,
        is_installed: &is_installed,
        install: &install,
    };
    let dir = ensure_installed(cache_dir, &installer)?;
    Ok(venv_python(&dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_python_without_the_dist_has_no_version() {
        assert_eq!(dist_version(Path::new("/nonexistent/python"), "moto"), None);
    }
}
