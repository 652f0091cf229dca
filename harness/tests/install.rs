//! The install a team does, `cargo install --locked --path harness`, into a temporary root, and that
//! binary used from an empty folder outside the repository: it carries the model and the target locks,
//! `init` writes the starter layout, `record --accept` and `run` pass on the managed moto.
//!
//! `COGNITO_DRIFT_INSTALL_PROFILE` picks the profile: `release` (the default, what a team gets; a full
//! release build, minutes) or `dev`, which .ci/run sets: `cargo install --debug` into the target folder
//! this test was built in, so the dev build CI already made is reused instead of paying for a second
//! full build (only the units whose features differ without dev-dependencies are built again, and
//! `cargo run` in lint-workflows reuses those). `dev` still proves the install itself (the package installs `--locked --offline` from
//! its own manifest and lock, and the installed binary works alone from an empty folder with the model
//! and locks built in); it does not prove that the release profile compiles or behaves the same
//! (optimisation, `debug_assertions`), which `just install-check` run locally does.
#![allow(clippy::unwrap_used)]

#[path = "common/binary.rs"]
mod binary;

use std::path::{Path, PathBuf};
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

/// The target folder the harness binary of this test build lives in (`<dir>/debug/cognito-drift`).
fn this_target_dir() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_cognito-drift"));
    bin.parent().and_then(Path::parent).unwrap().to_owned()
}

#[test]
#[ignore = "cargo install is a release build (minutes on 2 cores): `just install-check` runs it, from .ci/run"]
fn the_installed_binary_works_from_an_empty_folder() {
    let root = binary::temp_dir("install-root");
    let mut install = Command::new(env!("CARGO"));
    install.args(["install", "--locked", "--offline", "--quiet", "--path"]);
    install
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("--root")
        .arg(&root);
    let profile = std::env::var("COGNITO_DRIFT_INSTALL_PROFILE");
    match profile.as_deref() {
        Err(std::env::VarError::NotPresent) | Ok("release") => {}
        Ok("dev") => {
            install
                .arg("--debug")
                .arg("--target-dir")
                .arg(this_target_dir());
        }
        other => panic!("COGNITO_DRIFT_INSTALL_PROFILE is `release` or `dev`, not {other:?}"),
    }
    let status = install.status().unwrap();
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
