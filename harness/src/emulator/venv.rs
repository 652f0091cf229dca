//! Python emulators (moto, ministack): each in its own cached venv, since each pins its own botocore.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::error::TargetError;
use super::install::{ensure_installed, progress, run_step};
use super::kind::TargetKind;

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

/// The python of the cached venv holding `dist` at `kind`'s pinned version, installing
/// `requirements` (pip arguments) into a new venv when missing.
pub(crate) fn ensure_venv(
    cache_dir: &Path,
    kind: TargetKind,
    dist: &str,
    requirements: &[String],
) -> Result<PathBuf, TargetError> {
    let version = kind.pinned_version();
    let is_installed =
        |dir: &Path| dist_version(&venv_python(dir), dist).as_deref() == Some(version);
    let install = |dir: &Path| {
        let mut venv = Command::new("python3");
        venv.arg("-m").arg("venv").arg(dir);
        run_step(venv, "python3", kind, dir)?;
        progress("cognito-drift: venv created, running pip install");
        let mut pip = Command::new(venv_python(dir));
        pip.args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--quiet",
        ])
        .args(requirements);
        run_step(pip, "pip", kind, dir)
    };
    let dir = ensure_installed(cache_dir, kind, "about a minute", &is_installed, &install)?;
    Ok(venv_python(&dir))
}

/// Pinned requirement lines of a `requirements.txt` (comments and blanks dropped).
pub(crate) fn requirement_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_lines_skip_comments_and_blanks() {
        assert_eq!(
            requirement_lines("# pins\nministack==1.5.33\n\nsix==1.17.0  # why\n"),
            ["ministack==1.5.33", "six==1.17.0"]
        );
    }

    #[test]
    fn a_python_without_the_dist_has_no_version() {
        assert_eq!(dist_version(Path::new("/nonexistent/python"), "moto"), None);
    }
}
