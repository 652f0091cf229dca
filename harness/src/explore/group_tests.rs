//! Signatures and their grouping, without targets: what a finding is keyed by, that variants of one
//! behaviour (another input, another model state, another target) fall into one group with one
//! representative, and that the group's scenario name is the kept scenario's.

use std::time::Duration;

use serde_json::{json, Value};

use super::*;
use crate::observation::Observation;
use crate::observation::{Execution, StepRecord};

fn one_user(optional: bool, actions: Vec<Action>) -> Sequence {
    Sequence {
        setup: Setup {
            optional,
            pool_totp: optional,
            users: vec![UserSetup {
                totp_verified: false,
                phone: false,
                email: false,
            }],
        },
        actions,
    }
}

/// Each target answers the prepared scenario's steps in turn with `answers` (status, body), and is
/// judged against the steps' `expect:` blocks as the runner would.
fn judged(p: &Prepared, answers: &[(&str, Vec<(u16, Value)>)]) -> Vec<Finding> {
    let executions: Vec<(String, Execution)> = answers
        .iter()
        .map(|(target, steps)| {
            let records = p
                .scenario
                .steps
                .iter()
                .zip(steps)
                .map(|(st, (status, body))| {
                    let error = body
                        .get("__type")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    let observation = Observation {
                        status: *status,
                        error,
                        message: None,
                        body: body.clone(),
                        headers: Default::default(),
                        wire: Default::default(),
                    };
                    let expected_bodies = st.expectations().map(|_| None).collect();
                    StepRecord {
                        name: st.name.value.clone(),
                        span: st.name.span,
                        operation: p.sequence.actions[0].kind().to_owned(),
                        observation,
                        expected_bodies,
                        shape_breaks: Vec::new(),
                        not_sent: None,
                    }
                })
                .collect();
            let e = Execution {
                steps: records,
                fault: None,
                warnings: Vec::new(),
                elapsed: Duration::ZERO,
                totp_wait: Duration::ZERO,
                shared_pool: false,
            };
            ((*target).to_owned(), e)
        })
        .collect();
    let runs: Vec<judge::TargetExecution<'_>> = executions
        .iter()
        .map(|(t, e)| judge::TargetExecution {
            target: t,
            execution: e,
            deviations: crate::verdict::deviations(&p.scenario, &e.steps),
        })
        .collect();
    judge::judge(&p.sequence.actions, &p.predicted, &p.origins, &runs)
}

fn prepared(seq: &Sequence) -> Prepared {
    prepare(
        seq,
        &Header {
            name: "t".into(),
            ..Header::default()
        },
    )
    .expect("loads")
}

fn keys(f: &[Finding]) -> Vec<String> {
    f.iter().map(|f| f.signature.key()).collect()
}

#[test]
fn a_departure_is_keyed_by_fact_action_kind_and_class_not_by_target_or_session() {
    // AdminUserGlobalSignOut, then AssociateSoftwareToken with the revoked token: T3 says 400.
    let seq = one_user(
        true,
        vec![
            Action::AdminSignOut { user: 0 },
            Action::Associate {
                user: 0,
                token: TokenChoice::Current,
            },
        ],
    );
    let p = prepared(&seq);
    let ok = (200, json!({}));
    let secret = (200, json!({"SecretCode": "<capture:a1_secret>"}));
    let with_session = (200, json!({"SecretCode": "<s>", "Session": "<session>"}));
    let refused = (400, json!({"__type": "NotAuthorizedException"}));
    let f = judged(
        &p,
        &[
            ("a", vec![ok.clone(), secret]),
            ("b", vec![ok.clone(), with_session]),
            ("c", vec![ok, refused]),
        ],
    );
    let contract: Vec<&Finding> = f
        .iter()
        .filter(|f| f.signature.kind == Kind::Contract)
        .collect();
    assert_eq!(contract.len(), 2, "{:?}", keys(&f));
    for c in &contract {
        assert_eq!(
            c.signature.key(),
            "contract T3 | AssociateSoftwareToken | 200"
        );
        assert_eq!(c.predicate, "token=revoked");
    }
    assert_eq!(
        scenario_name(&contract[0].signature),
        "explore-associate-software-token-contract-cd449d92",
        "the kept scenario's name"
    );
    // The targets differ too: keyed by the action with its input class (here the token's state).
    let d = f
        .iter()
        .find(|f| f.signature.kind == Kind::Divergence)
        .expect("a divergence");
    assert_eq!(
        d.signature.key(),
        "divergence | AssociateSoftwareToken(token=revoked) | a: 200 {secret} / b: 200 {secret session} / c: 400 NotAuthorizedException"
    );
    assert_eq!(d.targets, ["a", "b", "c"]);
}

#[test]
fn a_divergence_with_an_id_token_is_keyed_by_the_token_state() {
    let seq = one_user(
        false,
        vec![Action::GlobalSignOut {
            user: 0,
            token: TokenChoice::Id,
        }],
    );
    let p = prepared(&seq);
    let f = judged(
        &p,
        &[
            (
                "moto",
                vec![(400, json!({"__type": "NotAuthorizedException"}))],
            ),
            ("ministack", vec![(200, json!({}))]),
        ],
    );
    assert_eq!(
        keys(&f),
        ["divergence | GlobalSignOut(token=id-token) | ministack: 200 / moto: 400 NotAuthorizedException"]
    );
    assert_eq!(
        scenario_name(&f[0].signature),
        "explore-global-sign-out-divergence-7c750419",
        "the kept scenario's name"
    );
}

fn finding(key: (&str, &str), target: &str, label: &str, predicate: &str, at: usize) -> Finding {
    Finding {
        signature: Signature {
            kind: Kind::Contract,
            fact: Some(key.0.to_owned()),
            action: "GetUser".into(),
            outcomes: vec![key.1.to_owned()],
        },
        action: at,
        label: label.into(),
        predicate: predicate.into(),
        targets: vec![target.into()],
        detail: format!("{target}: {label}"),
    }
}

fn gets(n: usize) -> Sequence {
    one_user(
        false,
        (0..n)
            .map(|_| Action::GetUser {
                user: 0,
                token: TokenChoice::Current,
            })
            .collect(),
    )
}

#[test]
fn variants_of_one_signature_are_one_entry_with_the_first_as_representative() {
    let mut g = Groups::default();
    let known = Known::default();
    let t3 = ("T3", "200");
    // Sequence 0: two targets depart alike at action 1; one signature, counted once.
    g.add(
        0,
        &gets(4),
        &[
            finding(t3, "moto", "GetUser", "token=revoked", 1),
            finding(t3, "ministack", "GetUser", "token=revoked", 1),
        ],
        &known,
    );
    // Sequence 1: the same departure from another state, and another one.
    g.add(
        1,
        &gets(5),
        &[
            finding(t3, "moto", "GetUser", "token=revoked-by-disable", 3),
            finding(
                ("T3", "400 InvalidParameterException"),
                "moto",
                "GetUser",
                "token=revoked",
                0,
            ),
        ],
        &known,
    );
    assert_eq!(g.entries.len(), 2);
    let e = &g.entries[0];
    assert_eq!((e.count, e.first_sequence), (2, 0));
    assert_eq!(e.example.actions.len(), 2, "cut after the finding's action");
    assert_eq!(e.predicate, "token=revoked", "the first occurrence's");
    assert_eq!(
        e.targets.iter().map(String::as_str).collect::<Vec<_>>(),
        ["ministack", "moto"]
    );
    assert_eq!(e.variants.len(), 2);
    assert_eq!(g.entries[1].count, 1);
    assert_ne!(g.entries[0].scenario_name(), g.entries[1].scenario_name());
}

#[test]
fn a_group_is_known_by_a_kept_scenario_or_the_ledger_of_a_target_that_showed_it() {
    let t6 = ("T6", "200");
    let name = scenario_name(&finding(t6, "x", "", "", 0).signature);
    let add = |known: &Known, target: &str| {
        let mut g = Groups::default();
        g.add(
            0,
            &gets(1),
            &[finding(t6, target, "GetUser", "token=revoked", 0)],
            known,
        );
        g.entries[0].known
    };
    let mut ledgers = Known::default();
    ledgers.ledgers.insert("moto".into(), vec![name.clone()]);
    assert!(add(&ledgers, "moto"));
    assert!(!add(&ledgers, "ministack"), "another target's ledger");
    let kept = Known {
        kept: [name].into(),
        ..Known::default()
    };
    assert!(add(&kept, "ministack"));
    assert!(!add(&Known::default(), "moto"));
}
