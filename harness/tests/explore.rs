//! `explore` end to end against the managed moto: a proxy in front of moto that changes one behaviour
//! is a second target, and exploration must report that behaviour and shrink it to the few steps that
//! show it; an unchanged proxy must show nothing, so a finding is the change's doing. The same seed
//! twice gives the same findings, and a written finding loads as a scenario with a pending snapshot.

mod common;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use cognito_drift::explore::{
    self, Budget, ClientExecutor, Corpus, Entry, Kind, Known, Options, Recorder, Shape, Summary,
    Target, WriteOptions,
};
use cognito_drift::run::ExecContext;
use common::proxy::{self, ShortCircuit};
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

fn ctx() -> ExecContext {
    ExecContext {
        run_id: "explore-test".into(),
        region: "us-east-1".into(),
        secret: uuid::Uuid::new_v4().simple().to_string(),
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

fn options(seed: u64, sequences: u64) -> Options {
    Options {
        seed,
        budget: Budget::Sequences(sequences),
        shape: Shape {
            users: 1,
            max_steps: 8,
        },
        jobs: 6,
        shrink_budget: 40,
        shrink_time: None,
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

fn divergences(s: &Summary) -> Vec<&Entry> {
    s.entries
        .iter()
        .filter(|e| e.signature.kind == Kind::Divergence)
        .collect()
}

#[test]
fn a_sign_out_that_revokes_nothing_is_found_and_shrunk() {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let s = rt.block_on(async {
        let p = proxy::start(
            moto.url.clone(),
            unchanged,
            sign_out_revokes_nothing as ShortCircuit,
        )
        .await;
        let targets = [target("moto", &moto.url), target("mutant", &p.url)];
        explore_on(&targets, &options(2, 40)).await
    });
    let found = divergences(&s);
    assert!(!found.is_empty(), "no divergence: {:#?}", s.entries);
    let mut after_sign_out = 0;
    for e in &found {
        let shrunk = e.shrunk.as_ref().expect("every new finding is shrunk");
        let kinds: Vec<&str> = shrunk.actions.iter().map(|a| a.kind()).collect();
        let key = e.signature.key();
        assert_eq!(e.confirmed, Some(true), "{key}");
        assert!(
            kinds.contains(&"GlobalSignOut"),
            "{key} shrunk to {kinds:?}"
        );
        if e.signature.action == "GlobalSignOut" {
            // The mutant answers every sign-out itself, so one with a bad token already differs.
            assert_eq!(kinds, ["GlobalSignOut"], "{key}");
        } else {
            // A later call with the token the sign-out should have revoked.
            after_sign_out += 1;
            assert!(
                (2..=4).contains(&kinds.len()),
                "{key} shrunk to {kinds:?} (from {} actions)",
                e.example.actions.len()
            );
            assert!(e.predicate.contains("token=revoked"), "{key}");
        }
    }
    assert!(
        after_sign_out > 0,
        "{:#?}",
        found.iter().map(|e| e.signature.key()).collect::<Vec<_>>()
    );
    // The mutant is also reported against the model: T3 says a revoked token is refused.
    assert!(
        s.entries.iter().any(|e| e.signature.kind == Kind::Contract
            && e.signature.fact.as_deref() == Some("T3")
            && e.targets.iter().eq(["mutant"])),
        "{:#?}",
        s.entries
            .iter()
            .map(|e| e.signature.key())
            .collect::<Vec<_>>()
    );
}

#[test]
fn an_unchanged_proxy_shows_no_divergence() {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let s = rt.block_on(async {
        let p = proxy::start(moto.url.clone(), unchanged, forward_all as ShortCircuit).await;
        let targets = [target("moto", &moto.url), target("same", &p.url)];
        explore_on(&targets, &options(2, 40)).await
    });
    assert!(s.sequences == 40 && s.targets["moto"].steps > 40);
    let found = divergences(&s);
    assert!(
        found.is_empty(),
        "{:#?}",
        found
            .iter()
            .map(|e| (e.signature.key(), &e.detail))
            .collect::<Vec<_>>()
    );
}

#[test]
fn the_same_seed_gives_the_same_findings_and_a_finding_is_written_as_a_scenario() {
    let moto = common::moto();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let keys = |s: &Summary| {
        s.entries
            .iter()
            .map(|e| {
                (
                    e.signature.key(),
                    e.count,
                    e.first_sequence,
                    e.shrunk.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b, written) = rt.block_on(async {
        let targets = [target("moto", &moto.url)];
        let a = explore_on(&targets, &options(5, 12)).await;
        let b = explore_on(&targets, &options(5, 12)).await;
        let client = Arc::new(common::client(&moto.url));
        let e = a.entries.iter().find(|e| explore::writable(e)).expect(
            "moto departs from the model somewhere (G1: empty lists where AWS leaves them out)",
        );
        let opts = WriteOptions {
            found_dir: &dir.path().join("found"),
            snapshot_dir: &dir.path().join("snapshots"),
            seed: 5,
            today: "2026-01-01",
        };
        let recorders = [Recorder {
            name: "moto".into(),
            version: moto.version.clone(),
            client,
        }];
        let w = explore::write_finding(e, &opts, &recorders, &ctx())
            .await
            .expect("written");
        (a, b, w)
    });
    assert_eq!(keys(&a), keys(&b));
    assert!(!a.entries.is_empty());
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
