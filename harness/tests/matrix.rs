//! The conformance matrix end to end: the real binary runs scenarios on moto and on a second target, a
//! proxy in front of the same moto that changes one error message. The change must show in the matrix
//! as drift on the second target and as a difference between the targets at its JSON path.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::proxy;
use serde_json::{json, Value};

fn other_message(op: &str, status: u16, body: &Value) -> Option<(u16, Value)> {
    (op == "SetUserMFAPreference" && status == 400).then(|| {
        let mut b = body.clone();
        b["message"] = json!("Invalid Access Token");
        (status, b)
    })
}
fn forward_all(_: &str) -> Option<(u16, Value)> {
    None
}

/// A snapshot folder where `mutant` starts from moto's reviewed snapshots (and has no ledger).
fn snapshot_dir(base: &Path) -> PathBuf {
    let dir = base.join("snapshots");
    for target in ["moto", "mutant"] {
        let to = dir.join(target);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(common::root().join("snapshots/moto")).unwrap() {
            let from = entry.unwrap().path();
            if target == "mutant" && from.extension().is_some_and(|x| x == "yaml") {
                continue;
            }
            std::fs::copy(&from, to.join(from.file_name().unwrap())).unwrap();
        }
    }
    dir
}

#[test]
fn an_injected_change_is_drift_and_a_difference_between_targets() {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let proxy = rt.block_on(proxy::start(moto.url.clone(), other_message, forward_all));
    // Kept after the run (under the cargo target folder) so the HTML can be looked at.
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("matrix-test");
    let _ = std::fs::remove_dir_all(&base);
    let snapshots = snapshot_dir(&base);
    let out_dir = base.join("out");
    let (moto_url, proxy_url) = (moto.url.clone(), proxy.url.clone());
    let (snaps, out) = (snapshots.clone(), out_dir.clone());
    let output = rt.block_on(async move {
        tokio::task::spawn_blocking(move || {
            Command::new(env!("CARGO_BIN_EXE_cognito-drift"))
                .current_dir(common::root())
                .args(["matrix", "--targets", "moto,mutant"])
                .args(["--endpoint", &format!("moto={moto_url}")])
                .args(["--endpoint", &format!("mutant={proxy_url}")])
                .arg("--snapshots")
                .arg(&snaps)
                .arg("--output-dir")
                .arg(&out)
                .arg("scenarios/set-user-mfa-preference/garbage-token.yaml")
                .arg("scenarios/set-user-mfa-preference/sms-enabled-and-preferred.yaml")
                .env("CI", "true")
                .env("NO_COLOR", "1")
                .output()
                .expect("binary runs")
        })
        .await
        .expect("join")
    });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(
        stdout.contains("| garbage-token | ✅ pass · 1 known | ✅ | ❌ drift · ≠ 2 | ✅ |"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| sms-enabled-and-preferred | ✅ pass | ✅ | ✅ pass | ✅ |"),
        "{stdout}"
    );

    let m: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("matrix.json")).unwrap())
            .unwrap();
    assert_eq!(m["schema"], "cognito-drift/matrix/v1");
    assert_eq!(
        m["baseline"],
        json!({"kind": "first-target", "name": "moto"})
    );
    let row = &m["scenarios"][0];
    assert_eq!(row["name"], "garbage-token");
    assert_eq!(row["cells"][1]["status"], "drift");
    assert_eq!(
        row["cells"][1]["report"]["drift"][0]["path"],
        "$.steps[0].message"
    );
    let between = &row["between"][0];
    assert_eq!(
        (&between["target"], &between["state"]),
        (&json!("mutant"), &json!("differs"))
    );
    let first = &between["differences"][0];
    assert_eq!(first["path"], "$.steps[0].message");
    assert_eq!(first["expected"], "THIS_IS_NOT_VALID_TOKEN");
    assert_eq!(first["actual"], "Invalid Access Token");
    assert_eq!(
        first["known"]["target"], "moto",
        "moto's ledger knows this path"
    );
    assert_eq!(m["scenarios"][1]["between"][0]["state"], "same");

    let md = std::fs::read_to_string(out_dir.join("matrix.md")).unwrap();
    assert!(md.contains("#### garbage-token on `mutant`"), "{md}");
    assert!(md.contains("| `$.steps[0].message` | garbage token | `\"THIS_IS_NOT_VALID_TOKEN\"` | `\"Invalid Access Token\"` |"), "{md}");
    let xml = std::fs::read_to_string(out_dir.join("matrix.junit.xml")).unwrap();
    assert_eq!(xml.matches("<testsuite ").count(), 2, "{xml}");
    let html = std::fs::read_to_string(out_dir.join("matrix.html")).unwrap();
    assert!(html.contains("<code>$.steps[0].message</code>"));
    assert!(!html.contains("<script"));
    assert!(
        !std::fs::read_dir(snapshots.join("mutant"))
            .unwrap()
            .any(|e| e.unwrap().path().extension().is_some_and(|x| x == "new")),
        "matrix never writes snapshots"
    );
}
