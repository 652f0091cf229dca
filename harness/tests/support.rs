//! `docs/support.md` is the rendering of the recorded `docs/support.json`, which lists every operation
//! of the model for the three managed emulators; and a live sample of operations on the managed moto
//! still answers as recorded.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use cognito_drift::emulator::TargetKind;
use cognito_drift::exchange::{Client, Endpoint};
use cognito_drift::run::ExecContext;
use cognito_drift::support::{probe_target, ProbeOptions, Support, SupportTable, SCHEMA};

fn recorded() -> SupportTable {
    let text = std::fs::read_to_string(common::root().join("docs/support.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_doc_is_current_and_complete() {
    let table = recorded();
    assert_eq!(table.schema, SCHEMA);
    let md = std::fs::read_to_string(common::root().join("docs/support.md")).unwrap();
    assert!(
        md == table.markdown(),
        "docs/support.md is not the rendering of docs/support.json: run `just support`"
    );
    let targets: Vec<&str> = table.columns.iter().map(|c| c.target.as_str()).collect();
    assert_eq!(targets, TargetKind::names());
    let model = cognito_drift::model::cognito();
    let ops: Vec<&str> = table
        .operations
        .iter()
        .map(|r| r.operation.as_str())
        .collect();
    let all: Vec<&str> = model.operation_names().collect();
    assert_eq!(ops, all, "every operation of the model, in model order");
    for row in &table.operations {
        for t in &targets {
            assert!(row.targets.contains_key(*t), "{} on {t}", row.operation);
        }
    }
    for c in &table.columns {
        let kind: TargetKind = c.target.parse().unwrap();
        assert_eq!(c.version, kind.pinned_version());
        assert_eq!(
            c.lock.as_deref(),
            Some(cognito_drift::emulator::lock_digest(kind).as_str()),
            "recorded on the locked install of {}: run `just support`",
            c.target
        );
    }
}

#[test]
fn a_live_sample_answers_as_recorded() {
    let sample = [
        "GetUser",
        "SetUserMFAPreference",
        "AdminSetUserMFAPreference",
        "AssociateSoftwareToken",
        "DescribeTerms",
    ];
    let table = recorded();
    let rt = tokio::runtime::Runtime::new().unwrap();
    for kind in [TargetKind::Moto, TargetKind::Ministack] {
        let server = common::shared(kind);
        let endpoint = Endpoint {
            url: server.url.clone(),
            region: "us-east-1".into(),
            credentials: aws_credential_types::Credentials::new(
                "AKIDCOGNITODRIFT0000",
                "cognito-drift-emulator-secret",
                None,
                None,
                "test",
            ),
            allow_remote: false,
        };
        let client = Arc::new(Client::new(endpoint, Duration::from_secs(10), 4 << 20).unwrap());
        let ctx = ExecContext {
            run_id: "support".into(),
            region: "us-east-1".into(),
            secret: uuid::Uuid::new_v4().simple().to_string(),
            pools: None,
        };
        let opts = ProbeOptions {
            jobs: 2,
            operations: sample.iter().map(|s| (*s).to_owned()).collect(),
        };
        let live = rt.block_on(probe_target(
            client,
            &ctx,
            &opts,
            Arc::new(|_: &str, _: &Support| {}),
        ));
        assert_eq!(live.len(), sample.len());
        for (op, support) in live {
            let row = table.operations.iter().find(|r| r.operation == op).unwrap();
            assert_eq!(
                Some(&support),
                row.targets.get(kind.name()),
                "{op} on {kind} no longer answers as docs/support.json says"
            );
        }
    }
}
