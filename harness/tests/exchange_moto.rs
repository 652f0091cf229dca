//! The exchange layer and the managed moto target against a real moto server.
//!
//! Needs moto 5.2.1 (`moto_server` on `PATH`, or network access for the one-time venv install).
#![allow(clippy::unwrap_used, clippy::print_stderr, clippy::print_stdout)]

mod common;

use std::time::{Duration, Instant};

use aws_credential_types::Credentials;
use cognito_drift::emulator::{wait_ready, ManagedOptions, ManagedTarget, TargetError, TargetKind};
use cognito_drift::exchange::{
    interpret, Client, Endpoint, ExchangeError, Interpreted, WireRequest, WireResponse,
};
use common::lifecycle::{port_is_closed, port_of, process_gone};
use serde_json::{json, Value};

fn options() -> ManagedOptions {
    ManagedOptions {
        log_file: None,
        ..common::managed_options(TargetKind::Moto)
    }
}

async fn start() -> ManagedTarget {
    let moto = ManagedTarget::start(TargetKind::Moto, &options())
        .await
        .unwrap();
    eprintln!(
        "moto {} ready at {} after {:?}",
        moto.version(),
        moto.endpoint_url(),
        moto.ready_after()
    );
    moto
}

fn endpoint(url: &str) -> Endpoint {
    Endpoint {
        url: url.to_owned(),
        region: "us-east-1".to_owned(),
        credentials: Credentials::from_keys("AKIDTEST", "test-secret", None),
        allow_remote: false,
    }
}

fn client(url: &str) -> Client {
    Client::new(endpoint(url), Duration::from_secs(10), 1 << 20).unwrap()
}

async fn call(client: &Client, op: &str, body: Value, sign: bool) -> (WireResponse, Interpreted) {
    let resp = client
        .send(&WireRequest::json(op, &body, sign))
        .await
        .unwrap();
    let interpreted = interpret(&resp);
    (resp, interpreted)
}

fn success(i: Interpreted) -> Value {
    match i {
        Interpreted::Success(v) => v,
        other => panic!("expected success, got {other:?}"),
    }
}

#[tokio::test]
async fn moto_round_trip_error_classification_and_reset() {
    let mut moto = start().await;
    assert_eq!(moto.version(), "5.2.1");
    assert!(moto.endpoint_url().starts_with("http://127.0.0.1:"));
    let c = client(moto.endpoint_url());

    let (resp, i) = call(&c, "ListUserPools", json!({"MaxResults": 10}), true).await;
    assert_eq!(resp.status, 200);
    assert!(resp
        .headers
        .iter()
        .all(|(k, _)| *k == k.to_ascii_lowercase()));
    assert_eq!(success(i)["UserPools"], json!([]));

    let (_, i) = call(&c, "CreateUserPool", json!({"PoolName": "drift"}), true).await;
    let created = success(i);
    let pool_id = created["UserPool"]["Id"].as_str().unwrap().to_owned();
    assert!(pool_id.starts_with("us-east-1_"), "{pool_id}");

    let (resp, i) = call(
        &c,
        "SetUserMFAPreference",
        json!({"AccessToken": "garbage-token", "SoftwareTokenMfaSettings": {"Enabled": true}}),
        false,
    )
    .await;
    match i {
        Interpreted::Error { error_type, .. } => {
            assert!(!error_type.is_empty());
            assert!(!error_type.contains('#') && !error_type.contains(':'));
            eprintln!(
                "SetUserMFAPreference(garbage) -> {} {error_type}",
                resp.status
            );
        }
        other => panic!("expected an error, got {other:?}"),
    }

    let mut wrong = WireRequest::json("ListUserPools", &json!({"MaxResults": 1}), true);
    wrong.target = Some("AWSCognitoIdentityProviderService.NoSuchOperation".to_owned());
    let resp = c.send(&wrong).await.unwrap();
    let i = interpret(&resp);
    assert!(
        matches!(i, Interpreted::Error { .. } | Interpreted::Fault(_)),
        "{i:?}"
    );
    eprintln!("NoSuchOperation -> {} {i:?}", resp.status);

    let (_, i) = call(&c, "DescribeUserPool", json!({"UserPoolId": pool_id}), true).await;
    success(i);
    moto.reset().await.unwrap();
    let (_, i) = call(&c, "DescribeUserPool", json!({"UserPoolId": pool_id}), true).await;
    match i {
        Interpreted::Error { error_type, .. } => {
            assert_eq!(error_type, "ResourceNotFoundException")
        }
        other => panic!("pool should be gone after reset, got {other:?}"),
    }
    let (_, i) = call(&c, "ListUserPools", json!({"MaxResults": 10}), true).await;
    assert_eq!(success(i)["UserPools"], json!([]));
}

#[tokio::test]
async fn stop_closes_the_port_and_reaps_the_server() {
    let moto = start().await;
    let port = port_of(moto.endpoint_url());
    let pid = moto.pid();
    assert!(!port_is_closed(port));
    let started = Instant::now();
    moto.stop();
    eprintln!("stop took {:?}", started.elapsed());
    assert!(port_is_closed(port));
    assert!(process_gone(pid));
}

#[test]
fn panic_unwind_stops_the_server() {
    let (tx, rx) = std::sync::mpsc::channel();
    let result = std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let moto = rt.block_on(start());
        tx.send((port_of(moto.endpoint_url()), moto.pid())).unwrap();
        panic!("scenario blew up while moto was running");
    })
    .join();
    assert!(result.is_err());
    let (port, pid) = rx.recv().unwrap();
    assert!(port_is_closed(port));
    assert!(process_gone(pid));
}

/// `PR_SET_PDEATHSIG` fires when the spawning thread exits; the server must outlive a short-lived starter.
#[tokio::test]
async fn server_outlives_the_thread_that_started_it() {
    let moto = std::thread::spawn(|| {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(start())
    })
    .join()
    .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let c = client(moto.endpoint_url());
    let (resp, _) = call(&c, "ListUserPools", json!({"MaxResults": 1}), true).await;
    assert_eq!(resp.status, 200);
    assert!(!process_gone(moto.pid()));
}

#[tokio::test]
async fn wait_ready_serves_external_endpoints() {
    let moto = start().await;
    wait_ready(moto.endpoint_url(), Duration::from_secs(5))
        .await
        .unwrap();

    let port = port_of(moto.endpoint_url());
    moto.stop();
    let started = Instant::now();
    let err = wait_ready(
        &format!("http://127.0.0.1:{port}"),
        Duration::from_millis(400),
    )
    .await
    .unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(400));
    match &err {
        TargetError::NotReady { last_problem, .. } => {
            assert!(last_problem.contains("connection refused"), "{err}")
        }
        other => panic!("expected NotReady, got {other}"),
    }
}

#[tokio::test]
async fn env_and_log_file_reach_the_server() {
    let log = std::env::temp_dir().join(format!("cognito-drift-moto-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let opts = ManagedOptions {
        env: vec![("INITIAL_NO_AUTH_ACTION_COUNT".to_owned(), "0".to_owned())],
        log_file: Some(log.clone()),
        ..options()
    };
    let moto = ManagedTarget::start(TargetKind::Moto, &opts).await.unwrap();
    let c = client(moto.endpoint_url());
    let size = || std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
    // The server's start-up output is in the file once it is ready.
    let after_start = size();
    assert!(after_start > 0, "the log file receives the server's output");
    // The environment reached the server: with authentication on from the start, moto rejects our
    // unknown access key (in XML, which the harness reads as off-protocol).
    let (resp, i) = call(&c, "ListUserPools", json!({"MaxResults": 1}), true).await;
    eprintln!("auth on: {} {i:?}", resp.status);
    assert_eq!(resp.status, 403);
    assert!(matches!(i, Interpreted::Fault(_)), "{i:?}");
    for _ in 0..3 {
        call(&c, "ListUserPools", json!({"MaxResults": 1}), true).await;
    }
    moto.stop();
    // Its request log follows: the file grew with the requests (whatever the server's log format,
    // colours included).
    assert!(
        size() > after_start,
        "the requests were logged: {} then {} bytes",
        after_start,
        size()
    );
    std::fs::remove_file(&log).unwrap();
}

/// Readiness probes must not eat the unauthenticated-action budget a scenario asked for.
#[tokio::test]
async fn no_auth_budget_is_intact_after_start() {
    let opts = ManagedOptions {
        env: vec![("INITIAL_NO_AUTH_ACTION_COUNT".to_owned(), "2".to_owned())],
        ..options()
    };
    let moto = ManagedTarget::start(TargetKind::Moto, &opts).await.unwrap();
    let c = client(moto.endpoint_url());
    let mut statuses = Vec::new();
    for _ in 0..3 {
        let (resp, _) = call(&c, "ListUserPools", json!({"MaxResults": 1}), true).await;
        statuses.push(resp.status);
    }
    assert_eq!(statuses, [200, 200, 403]);
}

#[test]
fn non_loopback_endpoint_is_refused_before_connecting() {
    let started = Instant::now();
    let err = Client::new(endpoint("http://10.1.2.3/"), Duration::from_secs(30), 1024).unwrap_err();
    assert!(matches!(err, ExchangeError::RefusedNonLoopback { ref host } if host == "10.1.2.3"));
    assert!(started.elapsed() < Duration::from_secs(1));
    let mut remote = endpoint("https://cognito-idp.us-east-1.amazonaws.com/");
    assert!(Client::new(remote.clone(), Duration::from_secs(1), 1).is_err());
    remote.allow_remote = true;
    assert!(Client::new(remote, Duration::from_secs(1), 1).is_ok());
}

#[tokio::test]
async fn transport_failures_are_classified_without_leaking_the_body() {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = client(&format!("http://127.0.0.1:{closed}"));
    let secret = json!({"AccessToken": "eyJ-SECRET-TOKEN"});
    let err = c
        .send(&WireRequest::json("GetUser", &secret, false))
        .await
        .unwrap_err();
    assert!(matches!(err, ExchangeError::ConnectRefused { .. }), "{err}");
    let chain = format!("{err} {err:?}");
    assert!(!chain.contains("SECRET"), "{chain}");

    // Accepts connections but never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = silent.accept().await {
            held.push(s);
        }
    });
    let c = Client::new(endpoint(&url), Duration::from_millis(300), 1024).unwrap();
    let err = c
        .send(&WireRequest::json("GetUser", &secret, false))
        .await
        .unwrap_err();
    assert!(matches!(err, ExchangeError::Timeout { .. }), "{err}");
    assert!(!format!("{err} {err:?}").contains("SECRET"));
    hold.abort();
}

#[tokio::test]
async fn body_cap_is_enforced() {
    let moto = start().await;
    let small = Client::new(endpoint(moto.endpoint_url()), Duration::from_secs(10), 8).unwrap();
    let err = small
        .send(&WireRequest::json(
            "ListUserPools",
            &json!({"MaxResults": 1}),
            true,
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(err, ExchangeError::BodyTooLarge { limit: 8 }),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "response body larger than 8 bytes (--max-body)"
    );
}

/// If the harness is killed outright (no Drop, no unwind), `PR_SET_PDEATHSIG` still takes the server down.
#[test]
fn hard_death_of_the_harness_kills_the_server() {
    common::lifecycle::hard_death_kills_the_server(
        "hard_death_of_the_harness_kills_the_server",
        || async { start().await },
    );
}
