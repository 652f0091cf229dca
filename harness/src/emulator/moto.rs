//! moto specifics: its cached venv from the committed lock (never a `moto_server` that happens to be
//! on `PATH`: users get the locked install, so the tests do too), its command line, and restoring its
//! unauthenticated-action budget after the readiness probes.

use std::ffi::OsString;
use std::path::Path;

use super::error::TargetError;
use super::kind::TargetKind;
use super::launch::Program;
use super::lock;
use super::venv::ensure_venv;

/// `python -m moto.server` from the cached venv, installing it when missing. (The venv's
/// `moto_server` script would do the same, but its shebang names the temporary install folder.)
pub(crate) fn locate(cache_dir: &Path) -> Result<Program, TargetError> {
    let kind = TargetKind::Moto;
    let python = ensure_venv(cache_dir, kind, "moto", lock::MOTO_LOCK)?;
    Ok(Program {
        program: python,
        args: vec!["-m".into(), "moto.server".into()],
        version: kind.pinned_version().to_owned(),
        lock: lock::lock_digest(kind),
    })
}

/// The arguments that make moto listen on `127.0.0.1:port`.
pub(crate) fn listen_args(port: u16) -> Vec<OsString> {
    let mut args: Vec<OsString> = ["-H", "127.0.0.1", "-p"].map(OsString::from).into();
    args.push(port.to_string().into());
    args
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
mod tests {
    use super::*;

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
