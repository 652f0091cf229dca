//! `fuzz/instrument-only`, the rustc wrapper of `just fuzz`: it drops the coverage pass from every
//! crate its marker flag does not name, and never hands the marker to rustc. A stub "rustc" prints
//! the arguments it gets, one a line.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

const PASS: &str = "-Cpasses=sancov-module";
const MARKER: &str = r#"--cfg=cognito_drift_instrument="cognito_drift,serde_saphyr""#;

fn wrapper() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/instrument-only")
}

/// The arguments rustc gets when cargo calls the wrapper with `args`.
fn rustc_args(args: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let stub = dir.path().join("rustc");
    std::fs::write(&stub, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n").expect("stub written");
    std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).expect("stub mode");
    let out = Command::new(wrapper())
        .arg(&stub)
        .args(args)
        .output()
        .expect("the wrapper runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

fn compile(crate_name: &str, marker: Option<&str>) -> Vec<String> {
    let mut args = vec![
        "--crate-name",
        crate_name,
        "src/lib.rs",
        PASS,
        "--cfg",
        "fuzzing",
    ];
    args.extend(marker);
    rustc_args(&args)
}

#[test]
fn a_named_crate_keeps_the_pass_and_loses_the_marker() {
    for name in ["cognito_drift", "serde_saphyr"] {
        assert_eq!(
            compile(name, Some(MARKER)),
            ["--crate-name", name, "src/lib.rs", PASS, "--cfg", "fuzzing"]
        );
    }
}

#[test]
fn another_crate_is_built_without_the_pass_and_with_every_other_flag() {
    assert_eq!(
        compile("regex_automata", Some(MARKER)),
        [
            "--crate-name",
            "regex_automata",
            "src/lib.rs",
            "--cfg",
            "fuzzing"
        ]
    );
    // A name that only starts like a listed one is another crate.
    assert!(!compile("cognito_drift_fuzz", Some(MARKER)).contains(&PASS.to_owned()));
}

#[test]
fn without_a_marker_or_with_all_every_crate_is_instrumented() {
    let all = r#"--cfg=cognito_drift_instrument="all""#;
    for marker in [None, Some(all)] {
        assert_eq!(
            compile("regex_automata", marker),
            [
                "--crate-name",
                "regex_automata",
                "src/lib.rs",
                PASS,
                "--cfg",
                "fuzzing"
            ]
        );
    }
}

#[test]
fn cargo_s_version_probe_passes_through() {
    assert_eq!(rustc_args(&["-vV"]), ["-vV"]);
}
