//! moto specifics: a `moto_server` of the pinned version from `PATH`, else a cached venv; its
//! command line; and restoring its unauthenticated-action budget after the readiness probes.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use super::error::TargetError;
use super::kind::TargetKind;
use super::launch::Program;
use super::venv::{dist_version, ensure_venv};

/// Uses `moto_server` from `path` when its python has exactly the pinned moto, else the cached venv.
pub(crate) fn locate(path: Option<&OsStr>, cache_dir: &Path) -> Result<Program, TargetError> {
    let version = TargetKind::Moto.pinned_version();
    if let Some(found) = path.and_then(|p| on_path(p, version)) {
        return Ok(found);
    }
    let python = ensure_venv(
        cache_dir,
        TargetKind::Moto,
        "moto",
        &[format!("moto[server]=={version}")],
    )?;
    // `python -m moto.server` rather than the generated script, whose shebang holds the temporary
    // install path that the rename into the cache invalidated.
    Ok(Program {
        program: python,
        args: vec!["-m".into(), "moto.server".into()],
        version: version.to_owned(),
    })
}

/// The arguments that make moto listen on `127.0.0.1:port`.
pub(crate) fn listen_args(port: u16) -> Vec<OsString> {
    let mut args: Vec<OsString> = ["-H", "127.0.0.1", "-p"].map(OsString::from).into();
    args.push(port.to_string().into());
    args
}

fn on_path(path: &OsStr, version: &str) -> Option<Program> {
    let script = std::env::split_paths(path)
        .map(|dir| dir.join("moto_server"))
        .find(|p| p.is_file())?;
    let python = interpreter_for(&script)?;
    (dist_version(&python, "moto").as_deref() == Some(version)).then(|| Program {
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

/// moto counts every unauthenticated action, readiness probes included, against
/// `INITIAL_NO_AUTH_ACTION_COUNT`; the count is restored after the probes through `/moto-api/reset-auth`.
pub(crate) fn no_auth_count(env: &[(String, String)]) -> Option<&str> {
    env.iter()
        .rev()
        .find(|(k, _)| k == "INITIAL_NO_AUTH_ACTION_COUNT")
        .map(|(_, v)| v.as_str())
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

    #[test]
    fn listen_args_bind_loopback() {
        assert_eq!(listen_args(4321), ["-H", "127.0.0.1", "-p", "4321"]);
    }

    #[test]
    fn last_no_auth_count_wins() {
        let env = [
            ("INITIAL_NO_AUTH_ACTION_COUNT".to_owned(), "1".to_owned()),
            ("OTHER".to_owned(), "x".to_owned()),
            ("INITIAL_NO_AUTH_ACTION_COUNT".to_owned(), "2".to_owned()),
        ];
        assert_eq!(no_auth_count(&env), Some("2"));
        assert_eq!(no_auth_count(&[]), None);
    }
}
