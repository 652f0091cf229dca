//! Snapshot safety with the real binary: nothing is written in CI, a temporary file left by a killed
//! writer is never taken for a snapshot and is cleaned by the next write, `record` leaves snapshots of
//! scenarios it did not run alone, and `orphans` lists without deleting.
#![allow(clippy::unwrap_used)]

#[path = "common/binary.rs"]
mod binary;
mod common;

use std::path::Path;

const SCENARIO: &str = "scenarios/set-user-mfa-preference/garbage-token.yaml";

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn snapshots_are_written_safely_and_only_where_asked() {
    let moto = common::moto();
    let snapshots = binary::temp_dir("snap-safety");
    let dir = snapshots.join("moto");
    std::fs::create_dir_all(&dir).unwrap();
    // The ledger of known moto divergences keeps the contract verdict what it is in the repository.
    std::fs::copy(
        common::root().join("snapshots/moto/divergences.yaml"),
        dir.join("divergences.yaml"),
    )
    .unwrap();
    std::fs::write(dir.join("unrelated.snap"), "---\nunrelated\n---\n{}\n").unwrap();
    let leftover = dir.join(".garbage-token.snap.999999.tmp");
    std::fs::write(&leftover, "---\nsource: \"half written").unwrap();
    let snap_dir = snapshots.to_str().unwrap();
    let run = |args: &[&str], ci: &str| {
        let mut all = args.to_vec();
        all.extend(["--endpoint", &moto.url, "--snapshots", snap_dir, SCENARIO]);
        binary::run(&common::root(), &all, &[("CI", ci)])
    };
    let before = files(&dir);

    let ran = run(&["run"], "true");
    assert_eq!(ran.code, Some(1), "{}", ran.all());
    assert!(
        ran.stderr.contains("NEW"),
        "the leftover was read as a snapshot:\n{}",
        ran.all()
    );
    assert_eq!(files(&dir), before, "a CI run wrote files");

    let ran = run(&["record"], "true");
    assert_eq!(ran.code, Some(2), "{}", ran.all());
    assert!(ran.stderr.contains("CI only verifies"), "{}", ran.all());
    assert_eq!(files(&dir), before, "record wrote files in CI");

    let listed = binary::run(
        &common::root(),
        &["orphans", "--snapshots", snap_dir, SCENARIO],
        &[],
    );
    assert_eq!(listed.code, Some(0), "{}", listed.all());
    assert!(
        listed
            .stdout
            .contains("unrelated.snap  (snapshot without a scenario)"),
        "{}",
        listed.all()
    );
    assert!(
        listed
            .stdout
            .contains(".garbage-token.snap.999999.tmp  (leftover of an interrupted write)"),
        "{}",
        listed.all()
    );
    assert!(
        listed.stderr.contains("2 orphaned files"),
        "{}",
        listed.all()
    );
    assert_eq!(files(&dir), before, "orphans deleted something");

    let ran = run(&["record", "--accept"], "");
    assert_eq!(ran.code, Some(0), "{}", ran.all());
    assert_eq!(
        files(&dir),
        ["divergences.yaml", "garbage-token.snap", "unrelated.snap"],
        "record must write its snapshot, clean the leftover and keep the other snapshot"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("unrelated.snap")).unwrap(),
        "---\nunrelated\n---\n{}\n"
    );

    let ran = run(&["run"], "true");
    assert_eq!(
        ran.code,
        Some(0),
        "the recorded snapshot verifies:\n{}",
        ran.all()
    );
    std::fs::remove_dir_all(&snapshots).unwrap();
}
