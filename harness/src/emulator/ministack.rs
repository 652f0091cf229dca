//! ministack specifics: its own cached venv from the committed lock, and the environment that keeps it
//! on loopback (its default bind address is every interface).

use std::path::Path;

use super::error::TargetError;
use super::kind::TargetKind;
use super::launch::Program;
use super::lock;
use super::venv::ensure_venv;

/// `python -m ministack` from the cached venv, installing it when missing. (The venv's `ministack`
/// script would do the same, but its shebang names the temporary install folder.)
pub(crate) fn locate(cache_dir: &Path) -> Result<Program, TargetError> {
    let kind = TargetKind::Ministack;
    let python = ensure_venv(cache_dir, kind, "ministack", lock::MINISTACK_LOCK)?;
    Ok(Program {
        program: python,
        args: vec!["-m".into(), "ministack".into()],
        version: kind.pinned_version().to_owned(),
        lock: lock::lock_digest(kind),
    })
}

/// Environment that makes ministack listen on `127.0.0.1:port` only and keep its pid file, logs and
/// certificates in `tmp`, a folder of its own. Its extra listeners (IoT MQTT over TLS, on by default
/// when `cryptography` is importable; Transfer SFTP) are switched off: Cognito needs neither.
pub(crate) fn listen_env(port: u16, tmp: &Path) -> Vec<(String, String)> {
    [
        ("BIND_HOST", "127.0.0.1".to_owned()),
        ("GATEWAY_PORT", port.to_string()),
        ("TMPDIR", tmp.display().to_string()),
        ("IOT_MTLS_ENABLED", "0".to_owned()),
        ("SFTP_ENABLED", "0".to_owned()),
    ]
    .map(|(k, v)| (k.to_owned(), v))
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_loopback_only() {
        let env = listen_env(4566, Path::new("/tmp/x"));
        assert!(env.contains(&("BIND_HOST".to_owned(), "127.0.0.1".to_owned())));
        assert!(env.contains(&("GATEWAY_PORT".to_owned(), "4566".to_owned())));
    }
}
