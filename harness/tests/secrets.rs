//! No secret leaks: the whole scenario suite runs against the shared moto through a recording proxy,
//! with `RUST_LOG=trace`, once per report format `--format` accepts, and once more as `record` into a
//! temporary snapshot folder. Every token, session, TOTP secret and password that crossed the wire must
//! be absent from every report, snapshot and log line. Fixture passwords are seeded with a sentinel, and
//! the test checks the sentinel and each kind of secret did cross the wire, so it cannot pass vacuously.
#![allow(clippy::unwrap_used)]

#[path = "common/binary.rs"]
mod binary;
mod common;
#[path = "common/faulty.rs"]
mod faulty;
#[path = "common/relay.rs"]
mod relay;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Seeds the fixture passwords; its first 12 characters end up in every one of them.
const SEED: &str = "SENTINELpw7q3xk9";
const SENTINEL: &str = "SENTINELpw7q";

/// JSON members whose string values are secrets, wherever they appear (requests and answers).
const SECRET_KEYS: &[&str] = &[
    "AccessToken",
    "IdToken",
    "RefreshToken",
    "Session",
    "SecretCode",
    "Password",
    "TemporaryPassword",
    "PreviousPassword",
    "ProposedPassword",
    "PASSWORD",
    "NEW_PASSWORD",
    "REFRESH_TOKEN",
];

/// Kinds that the committed suite exercises; each must have crossed the wire at least once.
const MUST_SEE: &[&str] = &[
    "AccessToken",
    "IdToken",
    "RefreshToken",
    "SecretCode",
    "Password",
    "TemporaryPassword",
    "PASSWORD",
];

fn collect(v: &Value, found: &mut BTreeMap<String, BTreeSet<String>>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                if let (true, Some(s)) = (SECRET_KEYS.contains(&k.as_str()), v.as_str()) {
                    found.entry(k.clone()).or_default().insert(s.to_owned());
                }
                collect(v, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, found)),
        _ => {}
    }
}

/// Secret values to look for: whole values, and each JWT's signature (unique to that token).
fn needles(found: &BTreeMap<String, BTreeSet<String>>, literals: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for v in found.values().flatten() {
        // Values written literally in scenario files (a garbage token...) are test data, not secrets.
        if v.len() < 8 || literals.contains(v.as_str()) {
            continue;
        }
        out.insert(v.clone());
        let parts: Vec<&str> = v.split('.').collect();
        if parts.len() == 3 && parts[2].len() >= 16 {
            out.insert(parts[2].to_owned());
        }
    }
    out
}

fn formats() -> Vec<String> {
    let help = binary::run(&common::root(), &["run", "--help"], &[]);
    let text = &help.stdout;
    let start = text
        .find("--format <FORMAT>")
        .expect("run --help documents --format");
    let rest = &text[start..];
    // Short help: `[possible values: a, b]`; long help (documented values): `Possible values:` then
    // one `- name: text` line per value.
    if let Some(list) = rest
        .split("[possible values: ")
        .nth(1)
        .and_then(|r| r.split(']').next())
    {
        return list.split(", ").map(str::to_owned).collect();
    }
    let block = rest
        .split("Possible values:")
        .nth(1)
        .expect("--format lists its possible values");
    let values: Vec<String> = block
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty())
        .take_while(|l| l.starts_with("- "))
        .map(|l| {
            l.trim_start_matches("- ")
                .split(':')
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned()
        })
        .collect();
    assert!(!values.is_empty(), "--format lists its possible values");
    values
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn scenario_sources() -> String {
    let mut files = Vec::new();
    files_under(&common::root().join("scenarios"), &mut files);
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect()
}

#[test]
fn no_secret_that_crossed_the_wire_reaches_any_output() {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let proxy = rt.block_on(relay::start(moto.url.clone(), relay::Rules::default()));
    let out_dir = binary::temp_dir("secrets-out");
    let snap_dir = out_dir.join("snapshots");
    let env = [("RUST_LOG", "trace"), ("COGNITO_DRIFT_SECRET_SEED", SEED)];

    let formats = formats();
    assert!(formats.len() >= 2, "{formats:?}");
    let mut outputs: Vec<(String, String)> = Vec::new();
    let mut runs = Vec::new();
    for format in &formats {
        let report = out_dir.join(format!("report.{format}"));
        let args = vec![
            "run".to_owned(),
            "--endpoint".to_owned(),
            proxy.url.clone(),
            "--format".to_owned(),
            format.clone(),
            "--output".to_owned(),
            report.display().to_string(),
            "--verbose".to_owned(),
            "scenarios".to_owned(),
        ];
        runs.push((args, "true"));
    }
    runs.push((
        [
            "record",
            "--endpoint",
            &proxy.url,
            "--snapshots",
            snap_dir.to_str().unwrap(),
            "scenarios",
        ]
        .map(str::to_owned)
        .to_vec(),
        "",
    ));
    // The runs are independent (each scenario has its own pool), so they go at once: the suite's
    // TOTP waits then overlap instead of adding up.
    let results = rt.block_on(async {
        let handles: Vec<_> = runs
            .into_iter()
            .map(|(args, ci)| {
                let env = env.map(|(k, v)| (k.to_owned(), v.to_owned()));
                tokio::task::spawn_blocking(move || {
                    let args: Vec<&str> = args.iter().map(String::as_str).collect();
                    let mut env: Vec<(&str, &str)> =
                        env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                    env.push(("CI", ci));
                    binary::run(&common::root(), &args, &env)
                })
            })
            .collect();
        let mut results = Vec::new();
        for h in handles {
            results.push(h.await.unwrap());
        }
        results
    });
    for ran in results {
        assert_eq!(
            ran.code,
            Some(0),
            "the suite must run cleanly:\n{}",
            ran.all()
        );
        assert!(
            ran.stderr
                .lines()
                .any(|l| l.contains("TRACE") || l.contains("DEBUG")),
            "RUST_LOG=trace produced no log lines"
        );
        assert!(ran.stderr.contains("operation=") && ran.stderr.contains("status="));
        outputs.push(("stdout".into(), ran.stdout));
        outputs.push(("stderr (logs)".into(), ran.stderr));
    }
    let mut written = Vec::new();
    files_under(&out_dir, &mut written);
    let snapshots = written.iter().filter(|p| p.starts_with(&snap_dir)).count();
    assert!(snapshots >= 10, "record wrote {snapshots} snapshot files");
    for format in &formats {
        assert!(
            written.contains(&out_dir.join(format!("report.{format}"))),
            "no {format} report"
        );
    }
    for path in &written {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        outputs.push((path.display().to_string(), text));
    }

    let mut found = BTreeMap::new();
    for e in proxy.log.lock().unwrap().iter() {
        for bytes in [&e.request, &e.response] {
            if let Ok(v) = serde_json::from_slice::<Value>(bytes) {
                collect(&v, &mut found);
            }
        }
    }
    for kind in MUST_SEE {
        assert!(
            found.get(*kind).is_some_and(|s| !s.is_empty()),
            "no {kind} crossed the wire: the test would prove nothing about it"
        );
    }
    assert!(
        found["Password"].iter().any(|p| p.contains(SENTINEL)),
        "the seeded passwords did not cross the wire"
    );
    let mut needles = needles(&found, &scenario_sources());
    assert!(needles.len() > 20, "only {} secrets seen", needles.len());
    needles.insert(SENTINEL.to_owned());
    let mut leaks = Vec::new();
    for (name, text) in &outputs {
        for (n, line) in text.lines().enumerate() {
            for secret in &needles {
                if line.contains(secret.as_str()) {
                    let shown = line.replace(secret.as_str(), "<LEAK>");
                    leaks.push(format!(
                        "{name}:{}: {}",
                        n + 1,
                        shown.chars().take(300).collect::<String>()
                    ));
                }
            }
        }
    }
    std::fs::remove_dir_all(&out_dir).unwrap();
    assert!(leaks.is_empty(), "secrets leaked:\n{}", leaks.join("\n"));
}
