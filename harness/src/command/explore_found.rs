//! What `explore` knows of earlier findings (the targets' ledgers, the scenarios kept in `--found`),
//! and the writing of new ones as scenarios with pending snapshots.

use std::collections::BTreeSet;

use cognito_drift::engine::today;
use cognito_drift::exit;
use cognito_drift::explore::{self, Known, Recorder, Summary, WriteOptions, Written};
use cognito_drift::run::ExecContext;

use super::explore::Live;
use super::output::err_because;
use crate::cli::ExploreArgs;
use crate::Env;

/// The ledgers of the explored targets, and the scenarios kept in `--found` (by file name, which is
/// the scenario name explore gives a finding).
pub(super) fn known(args: &ExploreArgs, names: &[String], env: &Env) -> Result<Known, i32> {
    let mut out = Known::default();
    for n in names {
        let l = cognito_drift::verdict::ledger::load(&args.snapshots, n).map_err(|e| {
            err_because(env, "invalid divergence ledger", &e);
            exit::USAGE
        })?;
        out.ledgers
            .insert(n.clone(), l.into_iter().map(|d| d.scenario).collect());
    }
    out.kept = kept(&args.found);
    Ok(out)
}

/// The names of the scenarios in `dir`, and the finding names their tags add: a kept scenario that
/// shows more than one finding (two targets departing differently, a departure and the divergence
/// it makes) names the others in its `tags:` (`explore-<op>-<kind>-<hash>`).
fn kept(dir: &std::path::Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for path in entries.flatten().map(|e| e.path()) {
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".yaml"))
        else {
            continue;
        };
        out.insert(name.to_owned());
        if let Ok(s) = cognito_drift::scenario::load_file(&path, cognito_drift::model::cognito()) {
            out.extend(s.tags.into_iter().filter(|t| t.starts_with("explore-")));
        }
    }
    out
}

/// Writes every confirmed new finding, `jobs` at a time (each records on every target at once).
pub(super) async fn write_all(
    s: &Summary,
    args: &ExploreArgs,
    live: &[Live],
    ctx: &ExecContext,
) -> Vec<(usize, Result<Written, String>)> {
    let recorders: Vec<Recorder> = live
        .iter()
        .map(|l| Recorder {
            name: l.name.clone(),
            version: l.started.version.clone(),
            client: l.client.clone(),
        })
        .collect();
    let todo: Vec<usize> = (0..s.entries.len())
        .filter(|&i| explore::writable(&s.entries[i]))
        .collect();
    let mut out = Vec::new();
    for chunk in todo.chunks(args.jobs.max(1)) {
        let mut set = tokio::task::JoinSet::new();
        for &i in chunk {
            let (entry, recorders, ctx) = (s.entries[i].clone(), recorders.clone(), ctx.clone());
            let (found, snaps, seed, date) = (
                args.found.clone(),
                args.snapshots.clone(),
                args.seed,
                today(),
            );
            set.spawn(async move {
                let opts = WriteOptions {
                    found_dir: &found,
                    snapshot_dir: &snaps,
                    seed,
                    today: &date,
                };
                let w = explore::write_finding(&entry, &opts, &recorders, &ctx).await;
                (i, w.map_err(|e| e.to_string()))
            });
        }
        while let Some(r) = set.join_next().await {
            if let Ok(r) = r {
                out.push(r);
            }
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::kept;

    #[test]
    fn kept_names_are_the_files_and_the_explore_tags_they_carry() {
        let dir = tempfile::tempdir().unwrap();
        let scenario = "name: explore-a-contract-00000001\n\
            tags: [explore, found, explore-a-contract-00000002]\n\
            fixtures:\n  users:\n    alice:\n      sign_in: true\n\
            steps:\n  - name: read\n    call: GetUser\n    input: {AccessToken: \"${alice.access_token}\"}\n";
        std::fs::write(
            dir.path().join("explore-a-contract-00000001.yaml"),
            scenario,
        )
        .unwrap();
        std::fs::write(dir.path().join("notes.md"), "not a scenario").unwrap();
        let names: Vec<String> = kept(dir.path()).into_iter().collect();
        assert_eq!(
            names,
            ["explore-a-contract-00000001", "explore-a-contract-00000002"]
        );
        assert!(kept(&dir.path().join("missing")).is_empty());
    }
}
