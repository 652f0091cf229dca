//! Snapshot folder consistency: every snapshot belongs to a scenario, every scenario has a moto
//! snapshot, and every ledger entry points at a real scenario step. This test target lives in
//! `snapshots/` on purpose: cargo-insta reviews pending files under its targets' source folders.

use std::collections::BTreeSet;
use std::path::Path;

use cognito_drift::scenario::ast::Scenario;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
}

fn scenarios() -> Vec<Scenario> {
    let files =
        cognito_drift::scenario::discover(&[root().join("scenarios")]).expect("scenario folder");
    let (ok, failed) = cognito_drift::engine::load_all(&files, "moto");
    assert!(
        failed.is_empty(),
        "scenario files do not load: {:?}",
        failed.iter().map(|r| &r.path).collect::<Vec<_>>()
    );
    ok
}

#[test]
fn every_snapshot_has_a_scenario_and_every_scenario_a_moto_snapshot() {
    let names: BTreeSet<String> = scenarios().iter().map(|s| s.name.value.clone()).collect();
    let dir = root().join("snapshots").join("moto");
    let snaps: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("snapshots/moto")
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".snap")
                .map(str::to_owned)
        })
        .collect();
    let orphans: Vec<_> = snaps.difference(&names).collect();
    let missing: Vec<_> = names.difference(&snaps).collect();
    assert!(
        orphans.is_empty(),
        "snapshots without a scenario (delete them after checking): {orphans:?}"
    );
    assert!(
        missing.is_empty(),
        "scenarios without a moto snapshot (record and review them): {missing:?}"
    );
}

#[test]
fn every_ledger_entry_points_at_a_real_step() {
    let scenarios = scenarios();
    for target in cognito_drift::emulator::TargetKind::names() {
        let ledger = cognito_drift::verdict::ledger::load(&root().join("snapshots"), target)
            .expect("ledger parses");
        check_ledger(&scenarios, &ledger);
    }
}

fn check_ledger(scenarios: &[Scenario], ledger: &[cognito_drift::verdict::ledger::Divergence]) {
    for entry in ledger {
        if let Some(op) = &entry.operation {
            assert!(
                cognito_drift::model::cognito().operation(op).is_some(),
                "ledger line {}: no operation `{op}` in the model",
                entry.line
            );
            continue;
        }
        let s = scenarios.iter().find(|s| s.name.value == entry.scenario);
        let s = s.unwrap_or_else(|| {
            panic!(
                "ledger line {}: no scenario `{}`",
                entry.line, entry.scenario
            )
        });
        let step = s.steps.get(entry.step_index).unwrap_or_else(|| {
            panic!(
                "ledger line {}: `{}` points past the {} steps of `{}`",
                entry.line,
                entry.path,
                s.steps.len(),
                entry.scenario
            )
        });
        if let Some(name) = &entry.step {
            assert_eq!(
                &step.name.value, name,
                "ledger line {}: `{}` is step `{}`, not `{name}` (steps moved? fix the index)",
                entry.line, entry.path, step.name.value
            );
        }
    }
}
