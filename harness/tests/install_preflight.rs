//! A machine that lacks what an install needs: each gap gets one message that names what is missing and
//! the command that fixes it, the target-fault exit code, and an empty cache afterwards. Each case
//! runs the real binary (`serve`, which installs and starts a target) with a doctored `PATH`, a stub,
//! a registry on loopback that refuses or never answers, or a full (tiny tmpfs) disk.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_cognito-drift");
/// exit::TARGET_FAULT.
const TARGET_FAULT: i32 = 3;

fn scratch(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cd-preflight-{what}-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The real program behind `name` on this machine's `PATH` (pyenv shims resolved).
fn real(name: &str) -> PathBuf {
    if name == "python3" {
        let out = Command::new("python3")
            .args(["-c", "import sys; print(sys.executable)"])
            .output()
            .unwrap();
        return PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    }
    let path = std::env::var_os("PATH").unwrap();
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} is on PATH"))
        .canonicalize()
        .unwrap()
}

/// A folder holding links to exactly `tools` (and `extra` scripts): the whole `PATH` of a case.
fn path_with(tools: &[&str], extra: &[(&str, String)]) -> PathBuf {
    let bin = scratch("bin");
    for t in tools {
        std::os::unix::fs::symlink(real(t), bin.join(t)).unwrap();
    }
    for (name, script) in extra {
        let file = bin.join(name);
        std::fs::write(&file, script).unwrap();
        let mut perm = std::fs::metadata(&file).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
        std::fs::set_permissions(&file, perm).unwrap();
    }
    bin
}

/// `cognito-drift serve --target TARGET` with `PATH=path`, an empty cache and `env`; it must fail
/// before anything is served. Returns the output and the cache folder.
fn serve(target: &str, path: &Path, env: &[(&str, String)]) -> (Output, PathBuf) {
    let cache = scratch("cache");
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--target", target])
        .env("PATH", path)
        .env("COGNITO_DRIFT_CACHE", &cache)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let started = Instant::now();
    let out = cmd.output().unwrap();
    eprintln!(
        "{target}: exit {:?} after {:?}\n{}",
        out.status.code(),
        started.elapsed(),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, cache)
}

/// Exit 3, the message names `what` and `fix`, and the cache holds no install (finished or not).
fn assert_refused(out: &Output, cache: &Path, what: &str, fix: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(TARGET_FAULT), "{stderr}");
    assert!(stderr.contains(what), "names `{what}`:\n{stderr}");
    assert!(stderr.contains(fix), "gives the fix `{fix}`:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let left: Vec<String> = std::fs::read_dir(cache)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| !n.ends_with(".install-lock") && n != "logs")
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "no half-written install is left: {left:?}");
}

#[test]
fn no_python3() {
    let (out, cache) = serve("moto", &path_with(&[], &[]), &[]);
    assert_refused(
        &out,
        &cache,
        "python3 was not found (needed to install moto 5.2.1)",
        "apt-get install python3 python3-venv",
    );
}

#[test]
fn python3_without_venv_or_ensurepip() {
    // Debian's python3 without python3-venv: `import ensurepip` fails, the rest works.
    let stub = format!(
        "#!/bin/sh\ncase \"$*\" in *ensurepip*|*venv*) echo \"ModuleNotFoundError: No module named 'ensurepip'\" >&2; exit 1;; esac\nexec {} \"$@\"\n",
        real("python3").display()
    );
    let (out, cache) = serve("ministack", &path_with(&[], &[("python3", stub)]), &[]);
    assert_refused(
        &out,
        &cache,
        "cannot create a virtual environment (needed to install ministack 1.5.33)",
        "apt-get install python3-venv",
    );
}

#[test]
fn no_node() {
    let (out, cache) = serve("cognito-local", &path_with(&[], &[]), &[]);
    assert_refused(
        &out,
        &cache,
        "node was not found (needed to install cognito-local 5.3.0)",
        "apt-get install nodejs npm",
    );
}

#[test]
fn node_without_npm() {
    let (out, cache) = serve("cognito-local", &path_with(&["node"], &[]), &[]);
    assert_refused(
        &out,
        &cache,
        "npm was not found (needed to install cognito-local 5.3.0)",
        "apt-get install npm",
    );
}

/// A loopback port where nothing listens.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// pip with no cache of its own (a cached wheel would hide the registry) and short limits.
fn pip_env(index: String) -> Vec<(&'static str, String)> {
    vec![
        ("PIP_INDEX_URL", index),
        ("PIP_NO_CACHE_DIR", "1".to_owned()),
        ("PIP_RETRIES", "0".to_owned()),
        ("PIP_TIMEOUT", "2".to_owned()),
        ("PIP_CONFIG_FILE", "/dev/null".to_owned()),
    ]
}

#[test]
fn pip_registry_refuses() {
    let index = format!("http://127.0.0.1:{}/simple/", closed_port());
    let (out, cache) = serve("moto", &path_with(&["python3"], &[]), &pip_env(index));
    assert_refused(
        &out,
        &cache,
        "pip could not download the packages of moto 5.2.1",
        "PIP_INDEX_URL",
    );
}

#[test]
fn pip_registry_times_out() {
    // Accepts connections and never answers (bounded: the listener goes with the test).
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(16) {
            held.push(stream);
        }
        std::thread::sleep(Duration::from_secs(120));
    });
    let index = format!("http://127.0.0.1:{port}/simple/");
    let started = Instant::now();
    let (out, cache) = serve("ministack", &path_with(&["python3"], &[]), &pip_env(index));
    assert_refused(
        &out,
        &cache,
        "pip could not download the packages of ministack 1.5.33",
        "PIP_INDEX_URL",
    );
    assert!(started.elapsed() < Duration::from_secs(110), "pip gave up");
}

#[test]
fn npm_registry_refuses() {
    let npm_cache = scratch("npm-cache");
    let env = [
        (
            "npm_config_registry",
            format!("http://127.0.0.1:{}/", closed_port()),
        ),
        ("npm_config_cache", npm_cache.display().to_string()),
        ("npm_config_fetch_retries", "0".to_owned()),
        ("npm_config_fetch_timeout", "2000".to_owned()),
        ("npm_config_userconfig", "/dev/null".to_owned()),
    ];
    let (out, cache) = serve("cognito-local", &path_with(&["node", "npm"], &[]), &env);
    assert_refused(
        &out,
        &cache,
        "npm could not download the packages of cognito-local 5.3.0",
        "npm config get registry",
    );
    let _ = std::fs::remove_dir_all(npm_cache);
}

/// Whether this process may make a private mount namespace (root on Linux, as in CI).
fn can_mount() -> bool {
    Command::new("unshare")
        .args(["-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn full_disk() {
    if !can_mount() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs as root and must run the full-disk case"
        );
        eprintln!("skipped: no private mount namespace here (needs root)");
        return;
    }
    // The cache is a 2 MiB tmpfs in a mount namespace of the harness's own: the venv does not fit.
    // What the cache holds afterwards is listed from inside the namespace, before the tmpfs goes.
    let cache = scratch("full");
    let listing = scratch("listing").join("left.txt");
    let bin = path_with(&["python3"], &[]);
    let script = format!(
        "mount -t tmpfs -o size=2m tmpfs '{c}' || exit 99; '{BIN}' serve --target moto; rc=$?; ls -A '{c}' > '{l}'; exit $rc",
        c = cache.display(),
        l = listing.display()
    );
    let out = Command::new("unshare")
        .args(["-m", "sh", "-c", &script])
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("COGNITO_DRIFT_CACHE", &cache)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stderr}");
    assert_eq!(out.status.code(), Some(TARGET_FAULT), "{stderr}");
    assert!(
        stderr.contains("no space left on the device while installing moto"),
        "{stderr}"
    );
    assert!(
        stderr.contains("set COGNITO_DRIFT_CACHE to a folder on a disk with room"),
        "{stderr}"
    );
    let left: Vec<String> = std::fs::read_to_string(&listing)
        .unwrap()
        .lines()
        .filter(|n| !n.ends_with(".install-lock") && *n != "logs")
        .map(str::to_owned)
        .collect();
    assert!(left.is_empty(), "no half-written install is left: {left:?}");
}

/// The cache the other integration tests share (`COGNITO_DRIFT_CACHE`, else the user's cache).
fn shared_cache() -> PathBuf {
    std::env::var_os("COGNITO_DRIFT_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            cognito_drift::emulator::default_cache_dir(
                std::env::var_os("XDG_CACHE_HOME").as_deref(),
                std::env::var_os("HOME").as_deref(),
            )
        })
}

#[test]
fn an_emulator_on_path_is_never_used() {
    // A `moto_server` (and a `cognito-local`) first on PATH that would leave a mark if it ran.
    let mark = scratch("mark").join("ran");
    let fake = format!("#!/bin/sh\ntouch '{}'\nexec sleep 60\n", mark.display());
    let bin = path_with(
        &["python3"],
        &[("moto_server", fake.clone()), ("cognito-local", fake)],
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out = Command::new(BIN)
        .args([
            "run",
            "scenarios/set-user-mfa-preference/garbage-token.yaml",
        ])
        .current_dir(root)
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("COGNITO_DRIFT_CACHE", shared_cache())
        .env("CI", "true")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        !mark.exists(),
        "the moto_server on PATH was started:\n{stderr}"
    );
    let lock = cognito_drift::emulator::lock_digest(cognito_drift::emulator::TargetKind::Moto);
    assert!(
        stderr.contains("moto 5.2.1 ready at http://127.0.0.1:"),
        "{stderr}"
    );
    // The locked install in the cache is what ran.
    let installs: Vec<String> = std::fs::read_dir(shared_cache())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("moto-5.2.1-"))
        .collect();
    assert!(
        installs.contains(&format!("moto-5.2.1-{}", &lock[7..19])),
        "{installs:?}"
    );
}
