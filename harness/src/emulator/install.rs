//! Installing an emulator once into the cache. Every install goes into its own temporary folder that is
//! renamed into place, so a crash never leaves a half-installed folder in use and two racing installs
//! both end with one good folder (the loser discards its copy).
//!
//! Blocking (runs python, pip and npm); call from `spawn_blocking`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::error::TargetError;
use super::kind::TargetKind;

/// How many lines of an installer's output a failure quotes.
const TAIL_LINES: usize = 15;

/// `cache_dir/<target>-<version>`, installed by `install` unless `is_installed` already accepts it.
pub(crate) fn ensure_installed(
    cache_dir: &Path,
    kind: TargetKind,
    duration_hint: &str,
    is_installed: &dyn Fn(&Path) -> bool,
    install: &dyn Fn(&Path) -> Result<(), TargetError>,
) -> Result<PathBuf, TargetError> {
    let version = kind.pinned_version();
    let final_dir = cache_dir.join(format!("{kind}-{version}"));
    if is_installed(&final_dir) {
        return Ok(final_dir);
    }
    progress(&format!(
        "cognito-drift: installing {kind} {version} into {} ({duration_hint}, once)",
        final_dir.display()
    ));
    std::fs::create_dir_all(cache_dir).map_err(TargetError::io(format!(
        "creating cache directory `{}`",
        cache_dir.display()
    )))?;
    let tmp = cache_dir.join(format!(
        ".{kind}-{version}.tmp-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    let result = install(&tmp).and_then(|()| move_into_place(&tmp, &final_dir, is_installed));
    if tmp.exists() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result?;
    if !is_installed(&final_dir) {
        return Err(TargetError::InstallFailed {
            target: kind.name().to_owned(),
            version: version.to_owned(),
            dir: final_dir,
            output_tail: "the installed folder does not hold the pinned version".to_owned(),
        });
    }
    progress(&format!("cognito-drift: {kind} {version} installed"));
    Ok(final_dir)
}

fn move_into_place(
    tmp: &Path,
    final_dir: &Path,
    is_installed: &dyn Fn(&Path) -> bool,
) -> Result<(), TargetError> {
    if is_installed(final_dir) {
        return Ok(());
    }
    if final_dir.exists() {
        std::fs::remove_dir_all(final_dir).map_err(TargetError::io(format!(
            "removing broken install `{}`",
            final_dir.display()
        )))?;
    }
    match std::fs::rename(tmp, final_dir) {
        Ok(()) => Ok(()),
        Err(_) if is_installed(final_dir) => Ok(()),
        Err(source) => Err(TargetError::Io {
            action: format!("moving the new install to `{}`", final_dir.display()),
            source,
        }),
    }
}

/// Runs one install step of `kind` into `dir`; a missing `tool` and a failing run are told apart.
pub(crate) fn run_step(
    mut cmd: Command,
    tool: &str,
    kind: TargetKind,
    dir: &Path,
) -> Result<(), TargetError> {
    let failed = |output_tail: String| TargetError::InstallFailed {
        target: kind.name().to_owned(),
        version: kind.pinned_version().to_owned(),
        dir: dir.to_owned(),
        output_tail,
    };
    let out = cmd.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => TargetError::ToolMissing {
            tool: tool.to_owned(),
            target: kind.name().to_owned(),
            version: kind.pinned_version().to_owned(),
        },
        _ => failed(e.to_string()),
    })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(failed(tail(&out.stdout, &out.stderr, TAIL_LINES)))
    }
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
pub(crate) fn progress(line: &str) {
    eprintln!("{line}");
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn scratch() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cd-install-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn has_marker(dir: &Path) -> bool {
        dir.join("marker").is_file()
    }

    #[test]
    fn tail_keeps_last_non_empty_lines() {
        let t = tail(b"a\n\nb\n", b"c\nd\n", 3);
        assert_eq!(t, "b\nc\nd");
    }

    #[test]
    fn installs_once_then_reuses_and_leaves_no_temp_folder() {
        let cache = scratch();
        let runs = AtomicUsize::new(0);
        let install = |dir: &Path| {
            runs.fetch_add(1, Ordering::SeqCst);
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join("marker"), "").unwrap();
            Ok(())
        };
        for _ in 0..2 {
            let dir =
                ensure_installed(&cache, TargetKind::Ministack, "", &has_marker, &install).unwrap();
            assert_eq!(dir, cache.join("ministack-1.5.33"));
            assert!(has_marker(&dir));
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        let left: Vec<_> = std::fs::read_dir(&cache).unwrap().collect();
        assert_eq!(left.len(), 1, "{left:?}");
        std::fs::remove_dir_all(&cache).unwrap();
    }

    #[test]
    fn broken_folder_is_replaced_and_failed_install_cleans_up() {
        let cache = scratch();
        std::fs::create_dir_all(cache.join("moto-5.2.1/junk")).unwrap();
        let fail = |dir: &Path| {
            std::fs::create_dir_all(dir).unwrap();
            Err(TargetError::io("testing")(std::io::Error::other("no")))
        };
        assert!(ensure_installed(&cache, TargetKind::Moto, "", &has_marker, &fail).is_err());
        assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 1);
        let ok = |dir: &Path| {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join("marker"), "").unwrap();
            Ok(())
        };
        let dir = ensure_installed(&cache, TargetKind::Moto, "", &has_marker, &ok).unwrap();
        assert!(!dir.join("junk").exists());
        std::fs::remove_dir_all(&cache).unwrap();
    }

    #[test]
    fn missing_tool_is_named() {
        let err = run_step(
            Command::new("/nonexistent/npm"),
            "npm",
            TargetKind::CognitoLocal,
            Path::new("/tmp/x"),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "npm was not found (needed to install cognito-local 5.3.0)"
        );
    }

    #[test]
    fn failing_step_quotes_its_output() {
        let mut cmd = Command::new("/bin/sh");
        cmd.args(["-c", "echo first; echo boom >&2; exit 1"]);
        let err = run_step(cmd, "sh", TargetKind::Ministack, Path::new("/tmp/x")).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("failed to install ministack 1.5.33 into `/tmp/x`"),
            "{text}"
        );
        assert!(text.ends_with("first\nboom"), "{text}");
    }
}
