//! The explorer on fake targets (no I/O): generation is deterministic, rendered sequences load as
//! scenarios, findings are deduplicated, and shrinking reduces a stateful difference to the steps
//! that show it.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use super::*;
use crate::observation::Observation;
use crate::observation::{Execution, StepRecord};
use crate::scenario::ast::{Action as StepAction, Scenario};

/// Answers every step with success, except GetUser after a GlobalSignOut in the same run: refused
/// by the faithful fake, answered by the buggy one (a sign-out that revokes nothing).
struct Fake {
    buggy: bool,
}

impl Executor for Fake {
    fn execute(&self, s: Arc<Scenario>) -> Pin<Box<dyn Future<Output = Execution> + Send>> {
        let buggy = self.buggy;
        Box::pin(async move {
            let mut signed_out = false;
            let mut steps = Vec::new();
            for st in &s.steps {
                let op = match &st.action {
                    StepAction::Call { operation, .. } => operation.value.clone(),
                    StepAction::Raw(_) => "raw".to_owned(),
                };
                let refused = op == "GetUser" && signed_out && !buggy;
                signed_out |= op == "GlobalSignOut";
                let observation = if refused {
                    Observation {
                        status: 400,
                        error: Some("NotAuthorizedException".into()),
                        message: None,
                        body: json!({"__type": "NotAuthorizedException"}),
                        headers: Default::default(),
                        wire: Default::default(),
                    }
                } else {
                    Observation {
                        status: 200,
                        error: None,
                        message: None,
                        body: json!({}),
                        headers: Default::default(),
                        wire: Default::default(),
                    }
                };
                let expected_bodies = st.expectations().map(|_| None).collect();
                steps.push(StepRecord {
                    name: st.name.value.clone(),
                    span: st.name.span,
                    operation: op,
                    observation,
                    expected_bodies,
                    shape_breaks: Vec::new(),
                    not_sent: None,
                });
            }
            Execution {
                steps,
                fault: None,
                warnings: Vec::new(),
                elapsed: Duration::ZERO,
                totp_wait: Duration::ZERO,
                shared_pool: false,
            }
        })
    }
}

fn targets() -> Vec<Target> {
    vec![
        Target {
            name: "faithful".into(),
            exec: Arc::new(Fake { buggy: false }),
        },
        Target {
            name: "buggy".into(),
            exec: Arc::new(Fake { buggy: true }),
        },
    ]
}

const SHAPE: Shape = Shape {
    users: 2,
    max_steps: 12,
};

fn opts(seed: u64, n: u64) -> Options {
    Options {
        seed,
        budget: Budget::Sequences(n),
        shape: SHAPE,
        jobs: 4,
        shrink_budget: 200,
        shrink_time: None,
    }
}

async fn run(seed: u64, n: u64) -> Summary {
    let stop = Arc::new(AtomicBool::new(false));
    let mut corpus = Corpus::default();
    explore(
        &targets(),
        &Known::default(),
        &mut corpus,
        &opts(seed, n),
        &stop,
        &mut |_| {},
    )
    .await
}

#[test]
fn one_seed_gives_the_same_sequences() {
    let draw = |seed| {
        let mut corpus = Corpus::default();
        (0..40)
            .map(|i| {
                let s = sequence_at(&corpus, seed, i, SHAPE);
                corpus.offer(&s);
                s
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(draw(7), draw(7));
    assert_ne!(draw(7), draw(8));
}

#[test]
fn every_drawn_sequence_loads_as_a_scenario() {
    let mut corpus = Corpus::default();
    for i in 0..300 {
        let s = sequence_at(&corpus, 3, i, SHAPE);
        corpus.offer(&s);
        let header = Header {
            name: format!("explore-{i}"),
            ..Header::default()
        };
        if let Err(e) = prepare(&s, &header) {
            let text = scenario(&header, &plan(&s).0, &plan(&s).1).0;
            panic!("{e}\n{text}");
        }
    }
    assert!(corpus.entries.len() > 10, "coverage keeps sequences");
}

#[test]
fn candidates_are_smaller_and_allowed() {
    let s = fresh(5, 1, SHAPE);
    let (planned, _) = plan(&s);
    for c in candidates(&planned) {
        assert!(size(&c) < size(&planned));
        assert_eq!(plan(&c).0, c, "a candidate is already planned");
    }
}

#[tokio::test]
async fn a_sign_out_that_revokes_nothing_shrinks_to_the_steps_that_show_it() {
    let s = run(11, 80).await;
    let diverged: Vec<&Entry> = s
        .entries
        .iter()
        .filter(|e| e.signature.kind == Kind::Divergence)
        .collect();
    assert!(!diverged.is_empty(), "no divergence in {:?}", s.entries);
    for e in &diverged {
        assert!(
            e.signature.action.starts_with("GetUser"),
            "{}",
            e.signature.key()
        );
        let shrunk = e.shrunk.as_ref().expect("shrunk");
        assert_eq!(e.confirmed, Some(true));
        let kinds: Vec<&str> = shrunk.actions.iter().map(Action::kind).collect();
        assert!(
            (2..=3).contains(&kinds.len())
                && kinds.contains(&"GlobalSignOut")
                && kinds.last() == Some(&"GetUser"),
            "{kinds:?} from {:?}",
            e.example.actions
        );
    }
    // The faithful fake refuses where T3 says so; the buggy one is reported against the model.
    assert!(s.entries.iter().any(|e| e.signature.kind == Kind::Contract
        && e.signature.fact.as_deref() == Some("T3")
        && e.targets.contains("buggy")));
}

#[tokio::test]
async fn same_seed_same_findings() {
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
    let (a, b) = (run(4, 40).await, run(4, 40).await);
    assert_eq!(keys(&a), keys(&b));
    assert_eq!(a.sequences, 40);
}

#[tokio::test]
async fn known_findings_are_counted_apart_and_not_shrunk() {
    let first = run(11, 80).await;
    let e = first
        .entries
        .iter()
        .find(|e| e.signature.kind == Kind::Divergence)
        .expect("a divergence");
    let mut known = Known::default();
    known
        .ledgers
        .insert("buggy".into(), vec![e.scenario_name()]);
    let stop = Arc::new(AtomicBool::new(false));
    let s = explore(
        &targets(),
        &known,
        &mut Corpus::default(),
        &opts(11, 80),
        &stop,
        &mut |_| {},
    )
    .await;
    let again = s
        .entries
        .iter()
        .find(|x| x.signature == e.signature)
        .expect("seen again");
    assert!(again.known);
    assert!(again.shrunk.is_none());
    assert!(!writable(again));
}

#[test]
fn outcome_classes_keep_mfa_members_and_drop_the_rest() {
    let rec = |status, body: serde_json::Value, error: Option<&str>| StepRecord {
        name: "x".into(),
        span: crate::span::Span::UNKNOWN,
        operation: "GetUser".into(),
        observation: Observation {
            status,
            error: error.map(str::to_owned),
            message: Some("anything".into()),
            body,
            headers: Default::default(),
            wire: Default::default(),
        },
        expected_bodies: Vec::new(),
        shape_breaks: Vec::new(),
        not_sent: None,
    };
    let a = class(&rec(
        200,
        json!({"Username": "a", "UserMFASettingList": ["SOFTWARE_TOKEN_MFA", "SMS_MFA"]}),
        None,
    ));
    let b = class(&rec(
        200,
        json!({"Username": "b", "UserMFASettingList": ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]}),
        None,
    ));
    assert_eq!(a, b);
    assert_ne!(
        class(&rec(200, json!({"UserMFASettingList": []}), None)),
        class(&rec(200, json!({}), None))
    );
    assert_eq!(
        class(&rec(400, json!({}), Some("NotAuthorizedException"))),
        "400 NotAuthorizedException"
    );
    assert_eq!(
        class(&rec(
            200,
            json!({"AuthenticationResult": {"AccessToken": "t"}}),
            None
        )),
        "200 {tokens}"
    );
}
