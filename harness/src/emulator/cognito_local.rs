//! cognito-local specifics: an `npm ci` of the committed lockfile into the cache, and a data folder per
//! server whose `.cognito/db` is deleted to reset it.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::error::TargetError;
use super::install::{ensure_installed, require_tool, run_step, Installer, NODE, NPM};
use super::kind::TargetKind;
use super::launch::Program;
use super::lock::{self, COGNITO_LOCAL_PACKAGE_JSON, COGNITO_LOCAL_PACKAGE_LOCK};
/// Usernames are plain names, as in the scenarios' pools (no email or phone-number usernames).
const CONFIG_JSON: &str = r#"{"UserPoolDefaults":{"UsernameAttributes":[]}}"#;
/// Where cognito-local keeps its state, relative to its working directory.
const DB_DIR: &str = ".cognito/db";

/// `node …/cognito-local/lib/bin/start.js` from the cached install, installing it when missing.
/// `node` is checked on every start, since it runs the server too.
pub(crate) fn locate(cache_dir: &Path) -> Result<Program, TargetError> {
    let kind = TargetKind::CognitoLocal;
    require_tool("node", &["--version"], NODE, kind)?;
    let is_installed =
        |dir: &Path| installed_version(dir).as_deref() == Some(kind.pinned_version());
    let preflight = || require_tool("npm", &["--version"], NPM, kind);
    let install = |dir: &Path| {
        std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(dir.join("package.json"), COGNITO_LOCAL_PACKAGE_JSON))
            .and_then(|()| {
                std::fs::write(dir.join("package-lock.json"), COGNITO_LOCAL_PACKAGE_LOCK)
            })
            .map_err(TargetError::io(format!(
                "writing the cognito-local package files into `{}`",
                dir.display()
            )))?;
        let mut npm = Command::new("npm");
        npm.args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .current_dir(dir);
        run_step(npm, NPM, kind, dir)
    };
    let installer = Installer {
        kind,
        duration_hint: "about 15 seconds",
        preflight: &preflight,
        is_installed: &is_installed,
        install: &install,
    };
    let dir = ensure_installed(cache_dir, &installer)?;
    Ok(Program {
        program: PathBuf::from("node"),
        args: vec![package_dir(&dir)
            .join("lib")
            .join("bin")
            .join("start.js")
            .into()],
        version: kind.pinned_version().to_owned(),
        lock: lock::lock_digest(kind),
    })
}

fn package_dir(install: &Path) -> PathBuf {
    install.join("node_modules").join("cognito-local")
}

/// The `version` in the installed package's `package.json`.
fn installed_version(install: &Path) -> Option<String> {
    let text = std::fs::read_to_string(package_dir(install).join("package.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("version")?.as_str().map(str::to_owned)
}

/// Writes the server configuration into a fresh data folder.
pub(crate) fn prepare(data: &Path) -> Result<(), TargetError> {
    let dir = data.join(".cognito");
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(dir.join("config.json"), CONFIG_JSON))
        .map_err(TargetError::io(format!(
            "writing the cognito-local configuration into `{}`",
            dir.display()
        )))
}

/// Environment that makes cognito-local listen on `127.0.0.1:port`.
pub(crate) fn listen_env(port: u16) -> Vec<(String, String)> {
    vec![
        ("HOST".to_owned(), "127.0.0.1".to_owned()),
        ("PORT".to_owned(), port.to_string()),
    ]
}

/// Forgets every pool: deletes the database folder (the server must be stopped).
pub(crate) fn clear(data: &Path) -> Result<(), TargetError> {
    let db = data.join(DB_DIR);
    match std::fs::remove_dir_all(&db) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(TargetError::Io {
            action: format!("deleting `{}`", db.display()),
            source: e,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lockfile_pins_the_version() {
        let lock: serde_json::Value = serde_json::from_str(COGNITO_LOCAL_PACKAGE_LOCK).unwrap();
        assert_eq!(
            lock["packages"]["node_modules/cognito-local"]["version"],
            TargetKind::CognitoLocal.pinned_version()
        );
    }

    #[test]
    fn prepare_then_clear() {
        let data = std::env::temp_dir().join(format!("cd-cl-{}", uuid::Uuid::new_v4()));
        prepare(&data).unwrap();
        let config: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(data.join(".cognito/config.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(
            config["UserPoolDefaults"]["UsernameAttributes"],
            serde_json::json!([])
        );
        std::fs::create_dir_all(data.join(DB_DIR)).unwrap();
        std::fs::write(data.join(DB_DIR).join("local.json"), "{}").unwrap();
        clear(&data).unwrap();
        clear(&data).unwrap();
        assert!(!data.join(DB_DIR).exists());
        assert!(data.join(".cognito/config.json").exists());
        std::fs::remove_dir_all(&data).unwrap();
    }

    #[test]
    fn installed_version_reads_package_json() {
        let dir = std::env::temp_dir().join(format!("cd-cl-{}", uuid::Uuid::new_v4()));
        assert_eq!(installed_version(&dir), None);
        std::fs::create_dir_all(package_dir(&dir)).unwrap();
        std::fs::write(
            package_dir(&dir).join("package.json"),
            r#"{"version":"5.3.0"}"#,
        )
        .unwrap();
        assert_eq!(installed_version(&dir).as_deref(), Some("5.3.0"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
