//! Installing an emulator once into the cache, from its committed lock. Every install goes into its
//! own temporary folder that is renamed into place, so a crash never leaves a half-installed folder in
//! use and two racing installs both end with one good folder (the loser discards its copy). The
//! folder is named after the lock's digest, and a finished install holds a marker with that digest:
//! a lock change is a new install, and a folder whose marker does not match is never used.
//!
//! Blocking (runs python, pip and npm); call from `spawn_blocking`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::error::TargetError;
use super::kind::TargetKind;
use super::lock;

/// How many lines of an installer's output a failure quotes.
const TAIL_LINES: usize = 15;
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

#[derive(Debug, PartialEq, Eq)]
enum Failure {
    DiskFull,
    Registry,
    Other,
}

/// Why an installer failed, read from its output: the error names of pip (urllib3/requests) and of
/// npm (Node's errno codes) for a full disk and for a registry that refuses or does not answer.
fn classify(output: &str) -> Failure {
    const DISK: &[&str] = &["No space left on device", "ENOSPC", "Disk quota exceeded"];
    const REGISTRY: &[&str] = &[
        // pip
        "Connection refused",
        "NewConnectionError",
        "Max retries exceeded",
        "Read timed out",
        "ConnectTimeoutError",
        "ReadTimeoutError",
        "Could not fetch URL",
        "No matching distribution found",
        "Could not find a version that satisfies",
        "HTTP error 4",
        "HTTP error 5",
        "Temporary failure in name resolution",
        // npm
        "ECONNREFUSED",
        "ECONNRESET",
        "ETIMEDOUT",
        "ESOCKETTIMEDOUT",
        "ENOTFOUND",
        "EAI_AGAIN",
        "npm error code E4",
        "npm error code E5",
        "npm ERR! code E4",
        "npm ERR! code E5",
        "network request to",
    ];
    if DISK.iter().any(|p| output.contains(p)) {
        Failure::DiskFull
    } else if REGISTRY.iter().any(|p| output.contains(p)) {
        Failure::Registry
    } else {
        Failure::Other
    }
}

/// Room to write and sync this much in `dir` counts as "not full".
const SPACE_PROBE: usize = 16 << 20;

/// Whether `dir`'s file system is out of space: a probe file of [`SPACE_PROBE`] bytes cannot be
/// written and synced. The probe is removed again.
fn disk_is_full(dir: &Path) -> bool {
    use std::io::Write as _;
    let probe = dir.join(format!(".space-probe-{}", std::process::id()));
    let full = |e: &std::io::Error| {
        matches!(
            e.kind(),
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
        )
    };
    let result = std::fs::File::create(&probe).and_then(|mut f| {
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..SPACE_PROBE / chunk.len() {
            f.write_all(&chunk)?;
        }
        f.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    result.as_ref().is_err_and(full)
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
    fn tail_keeps_last_non_empty_lines() {
        let t = tail(b"a\n\nb\n", b"c\nd\n", 3);
        assert_eq!(t, "b\nc\nd");
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

    #[test]
    fn classify_reads_pip_and_npm_errors() {
        assert_eq!(
            classify("Failed to establish a new connection: [Errno 111] Connection refused"),
            Failure::Registry
        );
        assert_eq!(
            classify("ERROR: No matching distribution found for moto==5.2.1"),
            Failure::Registry
        );
        assert_eq!(
            classify("npm error code ETIMEDOUT\nnpm error network request to x failed"),
            Failure::Registry
        );
        assert_eq!(
            classify("npm error nospc ENOSPC: no space"),
            Failure::DiskFull
        );
        assert_eq!(classify("SyntaxError: invalid syntax"), Failure::Other);
    }

    #[test]
    fn a_disk_with_room_is_not_full() {
        let dir = scratch();
        assert!(!disk_is_full(&dir));
        assert!(entries(&dir).is_empty(), "the probe is removed");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn storage_full_io_errors_are_a_full_disk() {
        let err =
            TargetError::io("writing x")(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert!(matches!(err, TargetError::DiskFull { .. }), "{err}");
    }
}
