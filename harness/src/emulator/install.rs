//! Installing an emulator once into the cache, from its committed lock. Every install goes into its
//! own temporary folder that is renamed into place, so a crash never leaves a half-installed folder in
//! use and two racing installs both end with one good folder (the loser discards its copy). The
//! folder is named after the lock's digest, and a finished install holds a marker with that digest:
//! a lock change is a new install, and a folder whose marker does not match is never used.
//!
//! Blocking (runs python, pip and npm); call from `spawn_blocking`.

mod failure;
mod tool;

use std::path::{Path, PathBuf};

use super::error::TargetError;
use super::kind::TargetKind;
use super::lock;

pub(crate) use tool::{require_tool, run_step, NODE, NPM, PIP, PYTHON3};

/// Written last into a finished install: the digest of the lock it was made from.
const MARKER: &str = ".cognito-drift-lock";

/// How one target is installed.
pub(crate) struct Installer<'a> {
    pub kind: TargetKind,
    pub duration_hint: &'a str,
    /// Checks the tools an install needs before anything is created (a failure leaves no folder).
    pub preflight: &'a dyn Fn() -> Result<(), TargetError>,
    /// Whether a folder holds a working install of the pinned version (the marker is checked apart).
    pub is_installed: &'a dyn Fn(&Path) -> bool,
    /// Installs into the given (temporary) folder.
    pub install: &'a dyn Fn(&Path) -> Result<(), TargetError>,
}

/// `cache_dir/<target>-<version>-<lock digest>`: the install made from the committed lock.
pub(crate) fn install_dir(cache_dir: &Path, kind: TargetKind) -> PathBuf {
    let digest = lock::lock_digest(kind);
    cache_dir.join(format!(
        "{kind}-{}-{}",
        kind.pinned_version(),
        lock::short(&digest)
    ))
}

/// The install folder of `installer.kind`, installed unless a finished install of this lock is there.
pub(crate) fn ensure_installed(
    cache_dir: &Path,
    installer: &Installer<'_>,
) -> Result<PathBuf, TargetError> {
    let kind = installer.kind;
    let version = kind.pinned_version();
    let digest = lock::lock_digest(kind);
    let final_dir = install_dir(cache_dir, kind);
    let finished = |dir: &Path| {
        std::fs::read_to_string(dir.join(MARKER)).is_ok_and(|m| m.trim() == digest)
            && (installer.is_installed)(dir)
    };
    if finished(&final_dir) {
        return Ok(final_dir);
    }
    (installer.preflight)()?;
    std::fs::create_dir_all(cache_dir).map_err(TargetError::io(format!(
        "creating cache directory `{}`",
        cache_dir.display()
    )))?;
    // One installer at a time per target and cache (test processes start many servers at once): the
    // others wait here, then find the finished install.
    let _guard = lock_installs(cache_dir, kind)?;
    if finished(&final_dir) {
        return Ok(final_dir);
    }
    progress(&format!(
        "cognito-drift: installing {kind} {version} (lock {}) into {} ({}, once)",
        lock::short(&digest),
        final_dir.display(),
        installer.duration_hint
    ));
    let tmp = cache_dir.join(format!(
        ".{kind}-{version}.tmp-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    let result = (installer.install)(&tmp)
        .and_then(|()| {
            std::fs::write(tmp.join(MARKER), format!("{digest}\n")).map_err(TargetError::io(
                format!("marking the install in `{}`", tmp.display()),
            ))
        })
        .and_then(|()| move_into_place(&tmp, &final_dir, &finished));
    if tmp.exists() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result?;
    if !finished(&final_dir) {
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

/// An exclusive advisory lock on `<cache>/.<target>.install-lock`, held until the file is dropped.
fn lock_installs(cache_dir: &Path, kind: TargetKind) -> Result<std::fs::File, TargetError> {
    let path = cache_dir.join(format!(".{kind}.install-lock"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(TargetError::io(format!("opening `{}`", path.display())))?;
    file.lock()
        .map_err(TargetError::io(format!("locking `{}`", path.display())))?;
    Ok(file)
}

fn move_into_place(
    tmp: &Path,
    final_dir: &Path,
    finished: &dyn Fn(&Path) -> bool,
) -> Result<(), TargetError> {
    if finished(final_dir) {
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
        Err(_) if finished(final_dir) => Ok(()),
        Err(source) => Err(TargetError::io(format!(
            "moving the new install to `{}`",
            final_dir.display()
        ))(source)),
    }
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

    /// What a cache holds besides the install locks.
    fn entries(cache: &Path) -> Vec<String> {
        std::fs::read_dir(cache)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".install-lock"))
            .collect()
    }

    fn has_marker(dir: &Path) -> bool {
        dir.join("marker").is_file()
    }

    fn ok() -> Result<(), TargetError> {
        Ok(())
    }

    fn write_marker(dir: &Path) -> Result<(), TargetError> {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("marker"), "").unwrap();
        Ok(())
    }

    #[test]
    fn install_folder_is_named_after_the_lock() {
        let dir = install_dir(Path::new("/c"), TargetKind::Moto);
        let digest = lock::lock_digest(TargetKind::Moto);
        assert_eq!(
            dir,
            PathBuf::from(format!("/c/moto-5.2.1-{}", &digest[7..19]))
        );
    }

    #[test]
    fn installs_once_then_reuses_and_leaves_no_temp_folder() {
        let cache = scratch();
        let runs = AtomicUsize::new(0);
        let install = |dir: &Path| {
            runs.fetch_add(1, Ordering::SeqCst);
            write_marker(dir)
        };
        let installer = Installer {
            kind: TargetKind::Ministack,
            duration_hint: "",
            preflight: &ok,
            is_installed: &has_marker,
            install: &install,
        };
        for _ in 0..2 {
            let dir = ensure_installed(&cache, &installer).unwrap();
            assert_eq!(dir, install_dir(&cache, TargetKind::Ministack));
            assert!(has_marker(&dir));
            let marker = std::fs::read_to_string(dir.join(MARKER)).unwrap();
            assert_eq!(marker.trim(), lock::lock_digest(TargetKind::Ministack));
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        let left = entries(&cache);
        assert_eq!(left.len(), 1, "{left:?}");
        std::fs::remove_dir_all(&cache).unwrap();
    }

    #[test]
    fn a_folder_made_from_another_lock_is_installed_again() {
        let cache = scratch();
        let dir = install_dir(&cache, TargetKind::Moto);
        write_marker(&dir).unwrap();
        std::fs::write(dir.join(MARKER), "sha256:another-lock\n").unwrap();
        let runs = AtomicUsize::new(0);
        let install = |dir: &Path| {
            runs.fetch_add(1, Ordering::SeqCst);
            write_marker(dir)
        };
        let installer = Installer {
            kind: TargetKind::Moto,
            duration_hint: "",
            preflight: &ok,
            is_installed: &has_marker,
            install: &install,
        };
        ensure_installed(&cache, &installer).unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        let marker = std::fs::read_to_string(dir.join(MARKER)).unwrap();
        assert_eq!(marker.trim(), lock::lock_digest(TargetKind::Moto));
        std::fs::remove_dir_all(&cache).unwrap();
    }

    #[test]
    fn broken_folder_is_replaced_and_failed_install_cleans_up() {
        let cache = scratch();
        std::fs::create_dir_all(install_dir(&cache, TargetKind::Moto).join("junk")).unwrap();
        let fail = |dir: &Path| {
            std::fs::create_dir_all(dir).unwrap();
            Err(TargetError::io("testing")(std::io::Error::other("no")))
        };
        let mut installer = Installer {
            kind: TargetKind::Moto,
            duration_hint: "",
            preflight: &ok,
            is_installed: &has_marker,
            install: &fail,
        };
        assert!(ensure_installed(&cache, &installer).is_err());
        assert_eq!(entries(&cache).len(), 1);
        installer.install = &write_marker;
        let dir = ensure_installed(&cache, &installer).unwrap();
        assert!(!dir.join("junk").exists());
        std::fs::remove_dir_all(&cache).unwrap();
    }

    #[test]
    fn racing_installers_install_once() {
        let cache = scratch();
        let runs = AtomicUsize::new(0);
        let install = |dir: &Path| {
            runs.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(50));
            write_marker(dir)
        };
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    let installer = Installer {
                        kind: TargetKind::CognitoLocal,
                        duration_hint: "",
                        preflight: &ok,
                        is_installed: &has_marker,
                        install: &install,
                    };
                    ensure_installed(&cache, &installer).unwrap()
                });
            }
        });
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(entries(&cache).len(), 1);
        std::fs::remove_dir_all(&cache).unwrap();
    }

    #[test]
    fn a_failed_preflight_creates_nothing() {
        let cache = std::env::temp_dir().join(format!("cd-install-{}", uuid::Uuid::new_v4()));
        let preflight = || {
            require_tool(
                "/nonexistent/python3",
                &["--version"],
                PYTHON3,
                TargetKind::Moto,
            )
        };
        let installer = Installer {
            kind: TargetKind::Moto,
            duration_hint: "",
            preflight: &preflight,
            is_installed: &has_marker,
            install: &write_marker,
        };
        let err = ensure_installed(&cache, &installer).unwrap_err();
        assert!(matches!(err, TargetError::ToolMissing { .. }), "{err}");
        assert!(!cache.exists());
    }
}
