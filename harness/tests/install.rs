//! The install a team does, `cargo install --locked --path harness`, into a temporary root, and that
//! binary used from an empty folder outside the repository: it carries the model and the target locks,
//! `init` writes the starter layout, `record --accept` and `run` pass on the managed moto.
#![allow(clippy::unwrap_used)]

#[path = "common/binary.rs"]
mod binary;

use std::path::Path;
use std::process::Command;

fn installed(bin: &Path, dir: &Path, args: &[&str], ci: &str) -> (Option<i32>, String) {
    let out = Command::new(bin)
        .current_dir(dir)
        .args(args)
        .env("CI", ci)
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let text = format!(
        "{}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

#[test]
#[ignore = "cargo install is a release build (minutes on 2 cores): `just install-check` runs it, from .ci/run"]
fn the_installed_binary_works_from_an_empty_folder() {
    let root = binary::temp_dir("install-root");
    let status = Command::new(env!("CARGO"))
        .args(["install", "--locked", "--offline", "--quiet", "--path"])
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("--root")
        .arg(&root)
        .status()
        .unwrap();
    assert!(status.success(), "cargo install failed: {status}");
    let bin = root.join("bin").join("cognito-drift");
    let project = binary::temp_dir("install-project");

    let (code, out) = installed(&bin, &project, &["--version"], "true");
    assert_eq!(code, Some(0), "{out}");
    for kind in cognito_drift::emulator::TargetKind::ALL {
        assert!(
            out.contains(&cognito_drift::emulator::lock_digest(kind)),
            "{kind}: {out}"
        );
    }
    let (code, out) = installed(&bin, &project, &["init"], "true");
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = installed(&bin, &project, &["record", "--accept"], "false");
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = installed(&bin, &project, &["run"], "true");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("3 scenarios on moto: 3 passed"), "{out}");
    std::fs::remove_dir_all(&project).unwrap();
    std::fs::remove_dir_all(&root).unwrap();
}
