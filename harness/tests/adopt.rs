//! Adoption as a new team does it, with the real binary in an empty folder: `init`, then
//! `record --accept` against the managed moto, then `run` green; `init` never overwrites; and the
//! config file's keys change what a run does exactly as their flags do, with flags winning.
#![allow(clippy::unwrap_used)]

#[path = "common/binary.rs"]
mod binary;
#[path = "common/faulty.rs"]
mod faulty;

use std::path::Path;

use binary::{run, temp_dir};

fn init(dir: &Path) {
    let ran = run(dir, &["init", "."], &[]);
    assert_eq!(ran.code, Some(0), "{}", ran.all());
}

#[test]
fn init_then_record_then_run_is_green_on_moto() {
    let dir = temp_dir("adopt");
    let ran = run(&dir, &["init", "."], &[]);
    assert_eq!(ran.code, Some(0), "{}", ran.all());
    for written in [
        "scenarios/mfa/prefer-totp.yaml",
        "scenarios/mfa/prefer-sms.yaml",
        "scenarios/mfa/turn-mfa-off.yaml",
        "snapshots/.gitkeep",
        "cognito-drift.yaml",
        ".github/workflows/ci.yml",
        ".github/workflows/nightly.yml",
    ] {
        assert!(dir.join(written).is_file(), "{written} not written");
        assert!(
            ran.stdout.contains(&format!("wrote ./{written}")),
            "{written} not listed:\n{}",
            ran.all()
        );
    }
    // As the README's five steps: record (outside CI), read, accept; then verify in CI.
    let recorded = run(&dir, &["record", "--accept"], &[("CI", "false")]);
    assert_eq!(recorded.code, Some(0), "{}", recorded.all());
    for name in ["mfa-prefer-totp", "mfa-prefer-sms", "mfa-turn-off"] {
        let snap =
            std::fs::read_to_string(dir.join(format!("snapshots/moto/{name}.snap"))).unwrap();
        assert!(snap.contains("target: \"moto\""), "{name}:\n{snap}");
        assert!(
            snap.contains("\"operation\": \"SetUserMFAPreference\""),
            "{name}:\n{snap}"
        );
    }
    let verified = run(&dir, &["run"], &[]);
    assert_eq!(verified.code, Some(0), "{}", verified.all());
    assert!(
        verified.stdout.contains("3 scenarios on moto: 3 passed"),
        "{}",
        verified.all()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn init_writes_nothing_when_anything_is_in_the_way() {
    let dir = temp_dir("adopt-taken");
    std::fs::write(dir.join("cognito-drift.yaml"), "jobs: 1\n").unwrap();
    let ran = run(&dir, &["init", "."], &[]);
    assert_eq!(ran.code, Some(2), "{}", ran.all());
    assert!(ran.stderr.contains("cognito-drift.yaml"), "{}", ran.all());
    assert!(
        !dir.join("scenarios").exists(),
        "init wrote beside an existing file"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("cognito-drift.yaml")).unwrap(),
        "jobs: 1\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn config_keys_act_as_their_flags_and_flags_win() {
    let dir = temp_dir("adopt-config");
    init(&dir);
    // Nothing listens at the endpoint: every scenario is a target fault at once, no emulator needed.
    let endpoint = faulty::refused_url();
    let config = format!(
        "paths: [scenarios/mfa/prefer-sms.yaml]\nformat: json\nendpoint: {endpoint}\nconfirm: 0\n"
    );
    std::fs::write(dir.join("cognito-drift.yaml"), &config).unwrap();
    let from_file = run(&dir, &["run"], &[]);
    let by_flags = run(
        &dir,
        &[
            "run",
            "--config",
            "/dev/null",
            "--format",
            "json",
            "--endpoint",
            &endpoint,
            "--confirm",
            "0",
            "scenarios/mfa/prefer-sms.yaml",
        ],
        &[],
    );
    for ran in [&from_file, &by_flags] {
        assert_eq!(ran.code, Some(3), "{}", ran.all());
        let report: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
        assert_eq!(report["summary"]["total"], 1, "{}", ran.all());
        assert_eq!(report["scenarios"][0]["name"], "mfa-prefer-sms");
    }
    // A flag wins over the file: terminal format, and the scenario folder named on the command line.
    let flagged = run(&dir, &["run", "--format", "terminal", "scenarios"], &[]);
    assert_eq!(flagged.code, Some(3), "{}", flagged.all());
    assert!(
        flagged.stdout.contains("3 scenarios on moto"),
        "{}",
        flagged.all()
    );
    // An unknown key is an error at its line and column, with a suggestion; nothing runs.
    std::fs::write(dir.join("cognito-drift.yaml"), "jobs: 2\nconfrim: 0\n").unwrap();
    let typo = run(&dir, &["run"], &[]);
    assert_eq!(typo.code, Some(2), "{}", typo.all());
    assert!(
        typo.stderr.contains("unknown key `confrim`"),
        "{}",
        typo.all()
    );
    assert!(
        typo.stderr.contains("cognito-drift.yaml:2:1"),
        "{}",
        typo.all()
    );
    assert!(
        typo.stderr.contains("did you mean `confirm`?"),
        "{}",
        typo.all()
    );
    // A value the flag would refuse is refused at its position.
    std::fs::write(dir.join("cognito-drift.yaml"), "matrix:\n  jobs: lots\n").unwrap();
    let bad = run(&dir, &["run"], &[]);
    assert_eq!(bad.code, Some(2), "{}", bad.all());
    assert!(
        bad.stderr.contains("cognito-drift.yaml:2:9"),
        "{}",
        bad.all()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn version_names_the_model_and_every_target_lock() {
    let dir = temp_dir("adopt-version");
    let ran = run(&dir, &["--version"], &[]);
    assert_eq!(ran.code, Some(0), "{}", ran.all());
    for kind in cognito_drift::emulator::TargetKind::ALL {
        let line = format!(
            "target {} {} {}",
            kind.name(),
            kind.pinned_version(),
            cognito_drift::emulator::lock_digest(kind)
        );
        assert!(ran.stdout.contains(&line), "{line}:\n{}", ran.all());
    }
    assert!(ran.stdout.starts_with(&format!(
        "cognito-drift {}\nmodel botocore ",
        env!("CARGO_PKG_VERSION")
    )));
    std::fs::remove_dir_all(&dir).unwrap();
}
