//! `cognito-drift orphans`: list snapshot files that no scenario accounts for, without deleting any.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use cognito_drift::exit;
use cognito_drift::verdict::snapshot::{self, FileKind};

use super::err;
use crate::Env;

pub fn orphans(paths: &[PathBuf], snapshots: &Path, env: &Env) -> i32 {
    let files = match super::output::scenario_files(paths, env, true) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (ok, failed) = cognito_drift::engine::load_all(&files, "-");
    // A file that does not load still claims the snapshots named after it, so they are not listed.
    let names: BTreeSet<String> = ok
        .iter()
        .map(|s| s.name.value.clone())
        .chain(failed.iter().map(|r| r.name.clone()))
        .collect();
    let found = match snapshot::orphans(snapshots, &names) {
        Ok(found) => found,
        Err(e) => {
            err(
                env,
                &format!(
                    "failed to read snapshot folder `{}`: {e}",
                    snapshots.display()
                ),
            );
            return exit::USAGE;
        }
    };
    let mut out = std::io::stdout().lock();
    for o in &found {
        let what = match o.kind {
            FileKind::Snapshot => "snapshot without a scenario",
            FileKind::Pending => "pending snapshot without a scenario",
            FileKind::Leftover => "leftover of an interrupted write",
        };
        let _ = writeln!(out, "{}  ({what})", o.path.display());
    }
    let mut summary = format!(
        "{} orphaned file{} in {} ({} scenarios; nothing deleted)",
        found.len(),
        if found.len() == 1 { "" } else { "s" },
        snapshots.display(),
        names.len()
    );
    if !failed.is_empty() {
        summary.push_str(&format!(
            "; {} scenario files did not load and were matched by file name (`cognito-drift check`)",
            failed.len()
        ));
    }
    let _ = writeln!(std::io::stderr(), "{summary}");
    exit::OK
}
