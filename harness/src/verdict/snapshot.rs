//! Snapshot files in insta's `.snap` format: a small YAML header with provenance, then the normalised
//! observations as pretty JSON. `cargo insta review` reviews the `.snap.new` files we write.
//!
//! We write the format ourselves because insta's file API is internal to cargo-insta
//! (`_cargo_insta_support`), not a stable library interface.

use std::io::Write;
use std::path::{Path, PathBuf};

mod orphans;

pub use orphans::{orphans, FileKind, Orphan};

/// The normaliser whose placeholders a snapshot body uses, written into the header as `normaliser: N`.
/// v1 (no header line): untyped placeholders (`<date>`, `<totp-secret>`) and raw error types. v2: typed,
/// shaped placeholders and folded error types (`docs/normalisation.md`).
pub(crate) const NORMALISER_VERSION: u32 = 2;

/// Where a snapshot came from: recorded into its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    pub scenario_path: String,
    pub scenario: String,
    pub target: String,
    pub target_version: String,
    /// `sha256:…` of the lock the managed target was installed from; `None` for a user's endpoint.
    pub target_lock: Option<String>,
    pub harness_version: String,
    pub model_version: String,
    /// `YYYY-MM-DD`.
    pub recorded: String,
}

/// A parsed `.snap` file.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// `info.target_version` from the header, when present.
    pub target_version: Option<String>,
    /// `info.target_lock` from the header, when present.
    pub target_lock: Option<String>,
    pub recorded: Option<String>,
    pub body: serde_json::Value,
}

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("failed to read snapshot `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("snapshot `{}` is not in the .snap format: {reason}", path.display())]
    Format { path: PathBuf, reason: String },
    #[error(
        "snapshot `{}` was recorded with normaliser v{found}; this harness normalises with v{NORMALISER_VERSION}: \
         re-record with `cognito-drift record --target {target}` and review the `.snap.new` files",
        path.display()
    )]
    Normaliser {
        path: PathBuf,
        found: u32,
        target: String,
    },
    #[error("failed to write snapshot `{}`", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// `snapshots/<target>/<scenario>.snap`.
pub fn snapshot_path(dir: &Path, target: &str, scenario: &str) -> PathBuf {
    dir.join(target).join(format!("{scenario}.snap"))
}

/// The pending file insta's review tooling looks for next to a snapshot.
pub(crate) fn pending_path(snap: &Path) -> PathBuf {
    let mut p = snap.as_os_str().to_owned();
    p.push(".new");
    PathBuf::from(p)
}

/// The whole file text (pure).
pub fn format(p: &Provenance, body: &serde_json::Value) -> String {
    let json = serde_json::to_string_pretty(body).unwrap_or_default();
    let lock = p
        .target_lock
        .as_deref()
        .map(|l| format!("\n  target_lock: {}", yaml_str(l)))
        .unwrap_or_default();
    format!(
        "---\nsource: {}\nexpression: {}\ninfo:\n  scenario: {}\n  target: {}\n  target_version: {}{lock}\n  harness_version: {}\n  model: {}\n  recorded: {}\n  normaliser: {NORMALISER_VERSION}\n---\n{json}\n",
        yaml_str(&p.scenario_path),
        yaml_str(&format!("{} on {}", p.scenario, p.target)),
        yaml_str(&p.scenario),
        yaml_str(&p.target),
        yaml_str(&p.target_version),
        yaml_str(&p.harness_version),
        yaml_str(&p.model_version),
        yaml_str(&p.recorded),
    )
}

/// Parses a `.snap` file's text (pure).
pub fn parse(path: &Path, text: &str) -> Result<Snapshot, SnapshotError> {
    let bad = |reason: &str| SnapshotError::Format {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    let rest = text
        .strip_prefix("---\n")
        .ok_or_else(|| bad("it does not start with `---`"))?;
    let end = rest
        .find("\n---\n")
        .ok_or_else(|| bad("the header has no closing `---`"))?;
    let (header, body) = (&rest[..end], &rest[end + 5..]);
    let found = match header_field(header, "normaliser") {
        None => 1,
        Some(v) => v
            .parse()
            .map_err(|_| bad(&format!("`normaliser: {v}` is not a version number")))?,
    };
    if found != NORMALISER_VERSION {
        let target = path
            .parent()
            .and_then(Path::file_name)
            .map_or("<target>".into(), |t| t.to_string_lossy().into_owned());
        return Err(SnapshotError::Normaliser {
            path: path.to_owned(),
            found,
            target,
        });
    }
    let body =
        serde_json::from_str(body).map_err(|e| bad(&format!("the body is not JSON ({e})")))?;
    Ok(Snapshot {
        target_version: header_field(header, "target_version"),
        target_lock: header_field(header, "target_lock"),
        recorded: header_field(header, "recorded"),
        body,
    })
}

pub fn read(path: &Path) -> Result<Option<Snapshot>, SnapshotError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(path, &text).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(SnapshotError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Writes atomically: a temporary file in the same folder, then a rename, so an interrupted run never
/// leaves a half-written snapshot.
pub(crate) fn write_atomic(path: &Path, text: &str) -> Result<(), SnapshotError> {
    let err = |source| SnapshotError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}{TEMP_SUFFIX}", std::process::id()));
    let mut f = std::fs::File::create(&tmp).map_err(err)?;
    f.write_all(text.as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)?;
    tracing::info!(path = %path.display(), bytes = text.len(), "snapshot written");
    remove_leftovers(dir, &name);
    Ok(())
}

/// Ends the name of a file being written; such a file is never read as a snapshot.
pub(crate) const TEMP_SUFFIX: &str = ".tmp";

/// Removes temporary files an interrupted writer of the same snapshot left behind (best effort).
fn remove_leftovers(dir: &Path, name: &str) {
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        if file.starts_with(&prefix) && file.ends_with(TEMP_SUFFIX) {
            tracing::info!(path = %entry.path().display(), "removing a leftover temporary snapshot");
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn header_field(header: &str, key: &str) -> Option<String> {
    header.lines().find_map(|l| {
        let v = l.trim_start().strip_prefix(key)?.strip_prefix(':')?.trim();
        Some(serde_json::from_str::<String>(v).unwrap_or_else(|_| v.to_owned()))
    })
}

/// A YAML scalar that reads back as the same string: JSON's quoting is valid YAML.
fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn prov() -> Provenance {
        Provenance {
            scenario_path: "scenarios/a.yaml".into(),
            scenario: "a".into(),
            target: "moto".into(),
            target_version: "5.2.1".into(),
            target_lock: Some("sha256:abc".into()),
            harness_version: "0.1.0".into(),
            model_version: "botocore 1.43.11".into(),
            recorded: "2026-11-27".into(),
        }
    }

    #[test]
    fn format_then_parse_round_trips() {
        let body = json!({"steps": [{"status": 200, "body": {}}]});
        let text = format(&prov(), &body);
        assert!(text.starts_with("---\nsource: \"scenarios/a.yaml\"\n"));
        let snap = parse(Path::new("a.snap"), &text).unwrap();
        assert_eq!(snap.body, body);
        assert_eq!(snap.target_version.as_deref(), Some("5.2.1"));
        assert_eq!(snap.target_lock.as_deref(), Some("sha256:abc"));
        assert_eq!(snap.recorded.as_deref(), Some("2026-11-27"));
        let unlocked = format(
            &Provenance {
                target_lock: None,
                ..prov()
            },
            &body,
        );
        assert!(!unlocked.contains("target_lock"), "{unlocked}");
        assert_eq!(
            parse(Path::new("a.snap"), &unlocked).unwrap().target_lock,
            None
        );
    }

    #[test]
    fn a_snapshot_of_an_older_normaliser_says_how_to_re_record() {
        let v2 = format(&prov(), &json!({"steps": []}));
        assert!(
            v2.contains("  recorded: \"2026-11-27\"\n  normaliser: 2\n---\n"),
            "{v2}"
        );
        let v1 = v2.replace("  normaliser: 2\n", "");
        let err = parse(Path::new("snapshots/moto/a.snap"), &v1).unwrap_err();
        assert_eq!(
            err.to_string(),
            "snapshot `snapshots/moto/a.snap` was recorded with normaliser v1; this harness normalises \
             with v2: re-record with `cognito-drift record --target moto` and review the `.snap.new` files"
        );
        let v3 = v2.replace("normaliser: 2", "normaliser: 3");
        let err = parse(Path::new("snapshots/ministack/a.snap"), &v3).unwrap_err();
        assert!(
            err.to_string().contains("recorded with normaliser v3"),
            "{err}"
        );
        let junk = v2.replace("normaliser: 2", "normaliser: two");
        let err = parse(Path::new("a.snap"), &junk).unwrap_err();
        assert!(err.to_string().contains("not a version number"), "{err}");
    }

    #[test]
    fn a_file_without_header_is_a_format_error() {
        let err = parse(Path::new("x.snap"), "{}").unwrap_err();
        assert!(
            err.to_string().contains("does not start with `---`"),
            "{err}"
        );
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_file() {
        let dir = std::env::temp_dir().join(format!("cd-snap-{}", std::process::id()));
        let path = dir.join("moto").join("s.snap");
        write_atomic(&path, "one").unwrap();
        write_atomic(&path, "two").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_killed_writers_temp_file_is_never_read_and_is_cleaned_by_the_next_write() {
        let dir = std::env::temp_dir().join(format!("cd-snap-kill-{}", std::process::id()));
        let path = dir.join("moto").join("s.snap");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let leftover = path.with_file_name(".s.snap.4242.tmp");
        std::fs::write(&leftover, "---\nsource: half").unwrap();
        assert_eq!(read(&path).unwrap(), None);
        let names = ["s".to_owned()].into_iter().collect();
        assert_eq!(
            orphans(&dir, &names).unwrap(),
            [Orphan {
                path: leftover.clone(),
                kind: FileKind::Leftover
            }]
        );
        write_atomic(&path, &format(&prov(), &json!({"steps": []}))).unwrap();
        assert!(!leftover.exists());
        assert!(read(&path).unwrap().is_some());
        assert!(orphans(&dir, &names).unwrap().is_empty());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn orphans_are_listed_by_kind_and_nothing_is_deleted() {
        let dir = std::env::temp_dir().join(format!("cd-snap-orph-{}", std::process::id()));
        for (t, f) in [
            ("moto", "kept.snap"),
            ("moto", "gone.snap"),
            ("moto", "gone.snap.new"),
            ("moto", "divergences.yaml"),
            ("other", "kept.snap"),
        ] {
            std::fs::create_dir_all(dir.join(t)).unwrap();
            std::fs::write(dir.join(t).join(f), "x").unwrap();
        }
        let names = ["kept".to_owned()].into_iter().collect();
        let found = orphans(&dir, &names).unwrap();
        assert_eq!(
            found,
            [
                Orphan {
                    path: dir.join("moto/gone.snap"),
                    kind: FileKind::Snapshot
                },
                Orphan {
                    path: dir.join("moto/gone.snap.new"),
                    kind: FileKind::Pending
                },
            ]
        );
        assert!(dir.join("moto/gone.snap").exists());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn pending_file_sits_next_to_the_snapshot() {
        assert_eq!(
            pending_path(Path::new("s/moto/a.snap")),
            PathBuf::from("s/moto/a.snap.new")
        );
    }
}
