//! `explore` end to end against the managed moto (one start shared by every test of this binary).
//! A proxy in front of moto whose GlobalSignOut revokes nothing is a target next to moto and an
//! unchanged proxy: exploration must report that behaviour and shrink it to the few steps that show
//! it, while the unchanged proxy never differs from moto, so a finding is the change's doing. The
//! same seed twice gives the same sequences and findings, and a finding is written as a scenario
//! with a pending snapshot. A target that hangs up mid-sequence is reported as a fault with the steps
//! it answered, and exploration goes on.
//!
//! The seeds are chosen (from the model alone, no target needed) so that a few short sequences hold
//! what each test needs and no sequence waits for a second TOTP time step; exploration itself never
//! shrinks here (`shrink_time` zero): the mutant test shrinks the one finding it is about.

mod common;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use cognito_drift::explore::{
    self, Budget, ClientExecutor, Corpus, Entry, Kind, Known, Options, Recorder, Shape, Summary,
    Target, WriteOptions,
};
use cognito_drift::run::ExecContext;
use common::proxy::{self, ShortCircuit, HANG_UP};
use serde_json::{json, Value};

fn unchanged(_: &str, _: u16, _: &Value) -> Option<(u16, Value)> {
    None
}
fn forward_all(_: &str) -> Option<(u16, Value)> {
    None
}
fn sign_out_revokes_nothing(op: &str) -> Option<(u16, Value)> {
    (op == "GlobalSignOut").then(|| (200, json!({})))
}
fn hang_up_on_get_user(op: &str) -> Option<(u16, Value)> {
    (op == "GetUser").then(|| (HANG_UP, Value::Null))
}

fn ctx() -> ExecContext {
    ExecContext {
        run_id: "explore-test".into(),
        region: "us-east-1".into(),
        secret: uuid::Uuid::new_v4().simple().to_string(),
        pools: None,
    }
}

fn target(name: &str, url: &str) -> Target {
    Target {
        name: name.into(),
        exec: Arc::new(ClientExecutor {
            client: Arc::new(common::client(url)),
            ctx: ctx(),
        }),
    }
}

/// `sequences` sequences of at most 6 actions for one user, all in flight at once, not shrunk.
fn options(seed: u64, sequences: u64) -> Options {
    Options {
        seed,
        budget: Budget::Sequences(sequences),
        shape: Shape {
            users: 1,
            max_steps: 6,
        },
        jobs: 8,
        shrink_budget: 0,
        shrink_time: Some(Duration::ZERO),
    }
}

async fn explore_on(targets: &[Target], opts: &Options) -> Summary {
    let stop = Arc::new(AtomicBool::new(false));
    explore::explore(
        targets,
        &Known::default(),
        &mut Corpus::default(),
        opts,
        &stop,
        &mut |_| {},
    )
    .await
}

fn keys(s: &Summary) -> Vec<String> {
    s.entries.iter().map(|e| e.signature.key()).collect()
}

/// `target`'s outcome class in a divergence.
fn class_of<'a>(e: &'a Entry, target: &str) -> Option<&'a str> {
    let prefix = format!("{target}: ");
    e.signature
        .outcomes
        .iter()
        .find_map(|o| o.strip_prefix(prefix.as_str()))
}

#[test]
fn a_sign_out_that_revokes_nothing_is_found_and_shrunk_and_an_unchanged_proxy_is_not() {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let same = proxy::start(moto.url.clone(), unchanged, forward_all as ShortCircuit).await;
        let mutant = proxy::start(
            moto.url.clone(),
            unchanged,
            sign_out_revokes_nothing as ShortCircuit,
        )
        .await;
        let targets = [
            target("moto", &moto.url),
            target("same", &same.url),
            target("mutant", &mutant.url),
        ];
        let s = explore_on(&targets, &options(50, 8)).await;
        assert_eq!(s.sequences, 8);
        assert!(s.targets["moto"].steps >= 8, "{:?}", s.targets["moto"]);
        // The unchanged proxy answers as moto does, everywhere.
        for e in &s.entries {
            match e.signature.kind {
                Kind::Divergence => assert_eq!(
                    class_of(e, "same"),
                    class_of(e, "moto"),
                    "{}",
                    e.signature.key()
                ),
                _ => assert_eq!(
                    e.targets.contains("same"),
                    e.targets.contains("moto"),
                    "{}",
                    e.signature.key()
                ),
            }
        }
        // The mutant is reported against the model: T3 says a revoked token is refused.
        assert!(
            s.entries.iter().any(|e| e.signature.kind == Kind::Contract
                && e.signature.fact.as_deref() == Some("T3")
                && e.targets.iter().eq(["mutant"])),
            "{:#?}",
            keys(&s)
        );
        // And against moto, at a later call with the token the sign-out should have revoked.
        let e = s
            .entries
            .iter()
            .find(|e| {
                e.signature.kind == Kind::Divergence
                    && e.signature.action.contains("(token=revoked)")
                    && class_of(e, "mutant") != class_of(e, "moto")
            })
            .unwrap_or_else(|| panic!("no divergence after a sign-out: {:#?}", keys(&s)));
        let key = e.signature.key();
        let involved: Vec<Target> = targets
            .iter()
            .filter(|t| e.targets.contains(&t.name))
            .cloned()
            .collect();
        let stop = AtomicBool::new(false);
        let shrunk = explore::shrink(&e.example, &e.signature, &involved, 24, 8, &stop).await;
        let kinds: Vec<&str> = shrunk.sequence.actions.iter().map(|a| a.kind()).collect();
        assert!(
            (2..=4).contains(&kinds.len()) && kinds.contains(&"GlobalSignOut"),
            "{key} shrunk to {kinds:?} (from {} actions)",
            e.example.actions.len()
        );
        let name = e.scenario_name();
        assert!(
            explore::reproduces(&shrunk.sequence, &e.signature, &involved, &name).await,
            "{key}: the shrunk sequence {kinds:?} does not replay"
        );
    });
}

#[test]
fn the_same_seed_gives_the_same_findings_and_a_finding_is_written_as_a_scenario() {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let seen = |s: &Summary| {
        s.entries
            .iter()
            .map(|e| {
                (
                    e.signature.key(),
                    e.count,
                    e.first_sequence,
                    e.example.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b, written) = rt.block_on(async {
        let targets = [target("moto", &moto.url)];
        // Both at once: what a sequence finds does not depend on what else runs.
        let opts = options(14, 6);
        let (a, b) = tokio::join!(explore_on(&targets, &opts), explore_on(&targets, &opts));
        let e = a
            .entries
            .iter()
            .find(|e| e.signature.kind == Kind::Contract)
            .expect(
                "moto departs from the model somewhere (G1: empty lists where AWS leaves them out)",
            );
        let (found, snapshots) = (dir.path().join("found"), dir.path().join("snapshots"));
        let opts = WriteOptions {
            found_dir: &found,
            snapshot_dir: &snapshots,
            seed: 14,
            today: "2026-01-01",
        };
        let recorders = [Recorder {
            name: "moto".into(),
            version: moto.version.clone(),
            client: Arc::new(common::client(&moto.url)),
        }];
        let w = explore::write_finding(e, &opts, &recorders, &ctx())
            .await
            .expect("written");
        (a, b, w)
    });
    assert_eq!(a.sequences, 6);
    assert!(!a.entries.is_empty());
    assert_eq!(seen(&a), seen(&b));
    let text = std::fs::read_to_string(&written.scenario).expect("scenario file");
    let loaded =
        cognito_drift::scenario::load(&written.scenario, &text, cognito_drift::model::cognito());
    assert!(loaded.is_ok(), "{text}");
    assert!(
        text.contains("expect:") && text.contains("source: "),
        "{text}"
    );
    let (target, snap) = &written.snapshots[0];
    assert_eq!(target, "moto");
    let snap = snap.as_ref().expect("a pending snapshot");
    assert!(snap.to_string_lossy().ends_with(".snap.new"));
}

#[test]
fn a_target_that_hangs_up_mid_sequence_is_a_fault_and_exploration_goes_on() {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let s = rt.block_on(async {
        let crashy = proxy::start(
            moto.url.clone(),
            unchanged,
            hang_up_on_get_user as ShortCircuit,
        )
        .await;
        let targets = [target("moto", &moto.url), target("crashy", &crashy.url)];
        explore_on(&targets, &options(14, 6)).await
    });
    assert_eq!(s.sequences, 6);
    let (m, c) = (&s.targets["moto"], &s.targets["crashy"]);
    assert!(m.faults.is_empty(), "{:?}", m.faults);
    assert_eq!(
        (m.sequences, c.sequences),
        (6, 6),
        "every sequence ran on both"
    );
    assert!(
        c.faults.iter().any(|(_, answered, _)| *answered > 0),
        "a fault after some steps: {:?}",
        c.faults
    );
    assert!(c.faults.iter().all(|(i, _, _)| *i < 6));
    assert!(c.steps < m.steps, "moto: {m:?}, crashy: {c:?}");
    // A step the target never answered is no finding: nothing is judged from GetUser on.
    for e in &s.entries {
        assert!(
            !(e.targets.contains("crashy") && e.signature.action.starts_with("GetUser")),
            "{}",
            e.signature.key()
        );
    }
}
