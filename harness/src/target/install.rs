//! Finds a moto of the wanted version on `PATH`, or installs one into a cached venv.
//!
//! Blocking (runs python and pip); call from `spawn_blocking`.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::error::TargetError;

/// How many lines of pip's output an install failure quotes.
const PIP_TAIL_LINES: usize = 15;

/// A runnable moto server: `program args… -H host -p port`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MotoCommand {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub version: String,
}

/// Uses `moto_server` from `path` when its python has exactly `version`, else the cached venv.
pub(crate) fn locate(
    path: Option<&OsStr>,
    version: &str,
    cache_dir: &Path,
) -> Result<MotoCommand, TargetError> {
    if let Some(found) = path.and_then(|p| on_path(p, version)) {
        return Ok(found);
    }
    ensure_venv(cache_dir, version)
}

fn on_path(path: &OsStr, version: &str) -> Option<MotoCommand> {
    let script = std::env::split_paths(path)
        .map(|dir| dir.join("moto_server"))
        .find(|p| p.is_file())?;
    let python = interpreter_for(&script)?;
    (moto_version(&python).as_deref() == Some(version)).then(|| MotoCommand {
        program: script,
        args: Vec::new(),
        version: version.to_owned(),
    })
}

/// The python that runs `script`: its shebang interpreter, or (for wrappers such as pyenv shims)
/// the `python3`/`python` sitting next to it.
fn interpreter_for(script: &Path) -> Option<PathBuf> {
    let head = std::fs::read(script).ok()?;
    let first_line = head.split(|b| *b == b'\n').next()?;
    if let Some(python) = std::str::from_utf8(first_line)
        .ok()
        .and_then(shebang_python)
    {
        return Some(python);
    }
    let dir = script.parent()?;
    ["python3", "python"]
        .into_iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
}

/// The python interpreter named by a shebang line, following `/usr/bin/env`; `None` if it is not python.
fn shebang_python(line: &str) -> Option<PathBuf> {
    let mut words = line.strip_prefix("#!")?.split_whitespace();
    let mut program = words.next()?;
    if Path::new(program).file_name() == Some(OsStr::new("env")) {
        program = words.find(|w| !w.starts_with('-'))?;
    }
    let name = Path::new(program).file_name()?.to_str()?;
    name.starts_with("python").then(|| PathBuf::from(program))
}

/// `moto.__version__` as seen by `python`, or `None` if moto is not importable there.
pub(crate) fn moto_version(python: &Path) -> Option<String> {
    let out = Command::new(python)
        .args(["-c", "import moto; print(moto.__version__)"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The venv `cache_dir/moto-<version>`, created if missing. A concurrent installer is tolerated:
/// each installs into its own temporary directory and renames it into place; the loser discards its copy.
fn ensure_venv(cache_dir: &Path, version: &str) -> Result<MotoCommand, TargetError> {
    let final_dir = cache_dir.join(format!("moto-{version}"));
    if let Some(cmd) = venv_command(&final_dir, version) {
        return Ok(cmd);
    }
    progress(&format!(
        "cognito-drift: installing moto[server]=={version} into {} (about a minute, once)",
        final_dir.display()
    ));
    std::fs::create_dir_all(cache_dir).map_err(TargetError::io(format!(
        "creating cache directory `{}`",
        cache_dir.display()
    )))?;
    let tmp = cache_dir.join(format!(
        ".moto-{version}.tmp-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    let result = install_into(&tmp, version).and_then(|()| {
        if venv_command(&final_dir, version).is_some() {
            return Ok(());
        }
        if final_dir.exists() {
            std::fs::remove_dir_all(&final_dir).map_err(TargetError::io(format!(
                "removing broken venv `{}`",
                final_dir.display()
            )))?;
        }
        match std::fs::rename(&tmp, &final_dir) {
            Ok(()) => Ok(()),
            Err(_) if venv_command(&final_dir, version).is_some() => Ok(()),
            Err(source) => Err(TargetError::Io {
                action: format!("moving the new venv to `{}`", final_dir.display()),
                source,
            }),
        }
    });
    if tmp.exists() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result?;
    progress("cognito-drift: moto installed");
    let found = venv_command(&final_dir, version);
    found.ok_or_else(|| TargetError::WrongVersion {
        expected: version.to_owned(),
        found: moto_version(&final_dir.join("bin/python")).unwrap_or_else(|| "none".to_owned()),
    })
}

/// A venv's python run as `python -m moto.server`: unlike the generated scripts, whose shebangs hold
/// the temporary install path, this survives the rename.
fn venv_command(dir: &Path, version: &str) -> Option<MotoCommand> {
    let python = dir.join("bin").join("python");
    (moto_version(&python).as_deref() == Some(version)).then(|| MotoCommand {
        program: python,
        args: vec!["-m".into(), "moto.server".into()],
        version: version.to_owned(),
    })
}

fn install_into(dir: &Path, version: &str) -> Result<(), TargetError> {
    let failed = |output_tail: String| TargetError::InstallFailed {
        version: version.to_owned(),
        dir: dir.to_owned(),
        output_tail,
    };
    let venv = Command::new("python3")
        .arg("-m")
        .arg("venv")
        .arg(dir)
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => TargetError::PythonMissing {
                version: version.to_owned(),
            },
            _ => failed(e.to_string()),
        })?;
    if !venv.status.success() {
        return Err(failed(tail(&venv.stdout, &venv.stderr, PIP_TAIL_LINES)));
    }
    progress("cognito-drift: venv created, running pip install");
    let pip = Command::new(dir.join("bin").join("python"))
        .args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--quiet",
        ])
        .arg(format!("moto[server]=={version}"))
        .output()
        .map_err(|e| failed(e.to_string()))?;
    if !pip.status.success() {
        return Err(failed(tail(&pip.stdout, &pip.stderr, PIP_TAIL_LINES)));
    }
    Ok(())
}

/// The last `n` non-empty lines of a command's combined output.
fn tail(stdout: &[u8], stderr: &[u8], n: usize) -> String {
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(stdout),
        String::from_utf8_lossy(stderr)
    );
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Installation takes long enough that silence would look like a hang.
#[allow(clippy::print_stderr)]
fn progress(line: &str) {
    eprintln!("{line}");
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn shebang_forms() {
        assert_eq!(
            shebang_python("#!/root/.pyenv/versions/3.11.7/bin/python"),
            Some(PathBuf::from("/root/.pyenv/versions/3.11.7/bin/python"))
        );
        assert_eq!(
            shebang_python("#!/usr/bin/env python3"),
            Some(PathBuf::from("python3"))
        );
        assert_eq!(
            shebang_python("#!/usr/bin/env -S python3.12 -u"),
            Some(PathBuf::from("python3.12"))
        );
        assert_eq!(shebang_python("#!/usr/bin/env bash"), None);
        assert_eq!(shebang_python("#!/bin/sh"), None);
        assert_eq!(shebang_python("import sys"), None);
    }

    #[test]
    fn tail_keeps_last_non_empty_lines() {
        let t = tail(b"a\n\nb\n", b"c\nd\n", 3);
        assert_eq!(t, "b\nc\nd");
    }

    #[test]
    fn wrapper_script_falls_back_to_sibling_python() {
        let dir = std::env::temp_dir().join(format!("cd-install-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("moto_server"), "#!/usr/bin/env bash\nexec x\n").unwrap();
        assert_eq!(interpreter_for(&dir.join("moto_server")), None);
        std::fs::write(dir.join("python3"), "").unwrap();
        assert_eq!(
            interpreter_for(&dir.join("moto_server")),
            Some(dir.join("python3"))
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn path_without_moto_server_finds_nothing() {
        let dir = std::env::temp_dir().join(format!("cd-empty-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(on_path(dir.as_os_str(), "5.2.1"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
