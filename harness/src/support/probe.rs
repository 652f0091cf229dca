//! Calling every operation of the model once on one target (the only I/O of this module).

use std::sync::Arc;

use arbitrary::Unstructured;
use sha2::{Digest, Sha256};

use super::classify::{classify, Support};
use crate::exchange::wire::WireRequest;
use crate::exchange::{interpret, Client};
use crate::fuzz::{signed, Body, Doc, Fixture, Generator, MutationKind, Var};
use crate::model;
use crate::run::ExecContext;

/// Called with each operation's support as it comes (for progress).
pub type OnProbed = Arc<dyn Fn(&str, &Support) + Send + Sync>;

/// How a target is probed.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// Operations called at once (each on a fixture of its own).
    pub jobs: usize,
    /// The operations to call; empty: every operation of the model.
    pub operations: Vec<String>,
}

/// Every operation's support on the target behind `client`, in model order. `on_done` sees each
/// answer as it comes (for progress). Each call gets a fresh fixture (pool, client, signed-in user)
/// that is deleted afterwards, so destructive operations do not disturb the others.
pub async fn probe_target(
    client: Arc<Client>,
    ctx: &ExecContext,
    opts: &ProbeOptions,
    on_done: OnProbed,
) -> Vec<(String, Support)> {
    let names: Vec<String> = if opts.operations.is_empty() {
        model::cognito()
            .operation_names()
            .map(str::to_owned)
            .collect()
    } else {
        opts.operations.clone()
    };
    let semaphore = Arc::new(tokio::sync::Semaphore::new(opts.jobs.max(1)));
    let mut handles = Vec::new();
    for name in names {
        let (client, ctx, sem, on_done) = (
            client.clone(),
            ctx.clone(),
            semaphore.clone(),
            on_done.clone(),
        );
        handles.push(tokio::spawn(async move {
            let _permit = sem.acquire_owned().await;
            let support = probe_one(&client, &ctx, &name).await;
            on_done(&name, &support);
            (name, support)
        }));
    }
    let mut out = Vec::new();
    for h in handles {
        match h.await {
            Ok(row) => out.push(row),
            Err(e) => tracing::error!(error = %e, "a support probe task failed"),
        }
    }
    out
}

async fn probe_one(client: &Client, ctx: &ExecContext, operation: &str) -> Support {
    let fixture = match Fixture::create(client, ctx).await {
        Ok(f) => f,
        Err(e) => {
            return Support::Fault {
                answer: format!("fixture failed at {}", e.operation),
            }
        }
    };
    // A fault may belong to one input (moto crashes with an HTML 500 on some enum values of
    // operations it has): other valid inputs are tried before the fault is recorded.
    let mut support = Support::Fault {
        answer: "not in the model".to_owned(),
    };
    for attempt in 0..ATTEMPTS {
        let Some(payload) = input(operation, attempt) else {
            break;
        };
        let req = WireRequest {
            target: Some(model::cognito().target_header(operation)),
            headers: Vec::new(),
            body: payload.render(|v| fixture.value(v)),
            sign: signed(operation),
        };
        support = match client.send(&req).await {
            Ok(resp) => classify(resp.status, &interpret(&resp)),
            Err(_) => Support::Fault {
                answer: "no answer".to_owned(),
            },
        };
        if !matches!(support, Support::Fault { .. }) {
            break;
        }
    }
    if let Err(e) = fixture.delete(client).await {
        tracing::debug!(operation, error = %e, "deleting the probe's pool failed");
    }
    support
}

/// Valid inputs tried per operation before a fault is recorded.
const ATTEMPTS: u32 = 4;

/// Model-valid input number `attempt` for `operation`, the same on every run: the generator's byte
/// source is the digest of the operation name and the attempt, stretched.
fn input(operation: &str, attempt: u32) -> Option<crate::fuzz::Payload> {
    let generator = Generator::new(model::cognito(), operation).ok()?;
    let mut bytes = Vec::with_capacity(4096);
    let seed = format!("{operation}#{attempt}");
    let mut block = Sha256::digest(seed.as_bytes()).to_vec();
    while bytes.len() < 4096 {
        bytes.extend_from_slice(&block);
        block = Sha256::digest(&block).to_vec();
    }
    let mut payload = generator.generate_kind(MutationKind::Valid, &mut Unstructured::new(&bytes));
    if let Body::Json(doc) = &mut payload.body {
        use_fixture(doc);
    }
    Some(payload)
}

/// Every member that names a fixture value (`AccessToken`, `UserPoolId`, `ClientId`, `Username`)
/// carries the live fixture's value: the generator leaves one in ten random, which here would only
/// test the emulator's "not found" answer.
fn use_fixture(doc: &mut Doc) {
    match doc {
        Doc::Object(members) => {
            for (name, value) in members {
                match Var::for_member(name) {
                    Some(var) => *value = Doc::Var(var),
                    None => use_fixture(value),
                }
            }
        }
        Doc::List(items) => items.iter_mut().for_each(use_fixture),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_gets_the_same_valid_input_each_time() {
        for op in model::cognito().operation_names() {
            let a = input(op, 0).map(|p| p.render(|v| v.name().to_owned()));
            let b = input(op, 0).map(|p| p.render(|v| v.name().to_owned()));
            assert!(a.is_some(), "{op}");
            assert_eq!(a, b, "{op}");
        }
        let get_user = input("GetUser", 1).map(|p| p.render(|v| format!("<{}>", v.name())));
        assert_eq!(
            get_user.as_deref(),
            Some(&br#"{"AccessToken":"<alice.access_token>"}"#[..])
        );
    }

    #[test]
    fn fixture_members_always_carry_the_fixture() {
        for op in model::cognito().operation_names() {
            let Some(p) = input(op, 2) else { continue };
            let text =
                String::from_utf8(p.render(|v| format!("<{}>", v.name()))).unwrap_or_default();
            for member in ["AccessToken", "UserPoolId", "ClientId", "Username"] {
                let key = format!("\"{member}\":\"");
                if let Some(at) = text.find(&key) {
                    assert!(text[at + key.len()..].starts_with('<'), "{op}: {text}");
                }
            }
        }
    }
}
