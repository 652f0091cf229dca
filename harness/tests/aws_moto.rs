//! The real-AWS target proven against moto on loopback: IAM-auth mode (signed calls accepted, wrong
//! keys refused), the STS account guard, cleanup after SIGINT/SIGTERM, and the sweep's ownership rule.
//! Nothing here leaves 127.0.0.1: every client and every harness process gets `--endpoint`.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use aws_credential_types::Credentials;
use cognito_drift::aws::{self, AwsEnv, AwsOptions, AwsSettings, Ownership};
use cognito_drift::emulator::{default_cache_dir, ManagedOptions, ManagedTarget, TargetKind};
use cognito_drift::exchange::{Client, Endpoint, ExchangeError, RetryPolicy, WireRequest};
use serde_json::{json, Value};

const MOTO_ACCOUNT: &str = "123456789012";

/// A moto of its own (IAM mode needs a fresh auth budget), installed in the same cache as the other tests.
async fn moto(env: Vec<(String, String)>) -> ManagedTarget {
    let cache_dir = std::env::var_os("COGNITO_DRIFT_CACHE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            default_cache_dir(
                std::env::var_os("XDG_CACHE_HOME").as_deref(),
                std::env::var_os("HOME").as_deref(),
            )
        });
    let opts = ManagedOptions {
        cache_dir,
        env,
        log_file: None,
    };
    ManagedTarget::start(TargetKind::Moto, &opts).await.unwrap()
}

fn client_with(url: &str, key: &str, secret: &str) -> Client {
    let endpoint = Endpoint {
        url: url.to_owned(),
        region: "us-east-1".to_owned(),
        credentials: Credentials::from_keys(key, secret, None),
        allow_remote: false,
    };
    Client::new(endpoint, Duration::from_secs(30), 1 << 20).unwrap()
}

/// A query-protocol call (IAM, STS) signed for `service`.
async fn query(client: &Client, service: &str, body: &str) -> (u16, String) {
    let req = WireRequest {
        target: None,
        headers: vec![(
            "content-type".into(),
            "application/x-www-form-urlencoded; charset=utf-8".into(),
        )],
        body: body.as_bytes().to_vec(),
        sign: true,
    };
    let resp = client.send_as(&req, service).await.unwrap();
    (
        resp.status,
        String::from_utf8_lossy(&resp.body).into_owned(),
    )
}

fn xml<'a>(text: &'a str, name: &str) -> &'a str {
    let start = text.find(&format!("<{name}>")).unwrap() + name.len() + 2;
    let end = text[start..].find(&format!("</{name}>")).unwrap() + start;
    &text[start..end]
}

async fn cognito(client: &Client, op: &str, body: Value, sign: bool) -> (u16, Value) {
    let resp = client
        .send(&WireRequest::json(op, &body, sign))
        .await
        .unwrap();
    let json = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
    (resp.status, json)
}

async fn pools(url: &str) -> Vec<(String, String)> {
    pools_with(&common::client(url)).await
}

async fn pools_with(client: &Client) -> Vec<(String, String)> {
    let (status, body) = cognito(client, "ListUserPools", json!({"MaxResults": 60}), true).await;
    assert_eq!(status, 200, "{body}");
    body["UserPools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["Id"].as_str().unwrap().to_owned(),
                p["Name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn iam_mode_accepts_signed_calls_and_refuses_wrong_keys() {
    // Three unauthenticated actions: CreateUser, PutUserPolicy, CreateAccessKey.
    let server = moto(vec![("INITIAL_NO_AUTH_ACTION_COUNT".into(), "3".into())]).await;
    let url = server.endpoint_url();
    let bootstrap = client_with(url, "AKIDBOOTSTRAP", "unchecked");
    let policy =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    for body in [
        "Action=CreateUser&UserName=drift&Version=2010-05-08".to_owned(),
        format!(
            "Action=PutUserPolicy&UserName=drift&PolicyName=all&PolicyDocument={}&Version=2010-05-08",
            percent(policy)
        ),
    ] {
        let (status, text) = query(&bootstrap, "iam", &body).await;
        assert_eq!(status, 200, "{text}");
    }
    let (status, text) = query(
        &bootstrap,
        "iam",
        "Action=CreateAccessKey&UserName=drift&Version=2010-05-08",
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let (key, secret) = (xml(&text, "AccessKeyId"), xml(&text, "SecretAccessKey"));

    // The budget is spent: from here on moto checks every signature.
    let good = client_with(url, key, secret);
    let identity = aws::caller_identity(&good).await.unwrap();
    assert_eq!(identity.account, MOTO_ACCOUNT);
    let (status, body) = cognito(
        &good,
        "CreateUserPool",
        json!({"PoolName": "iam-signed"}),
        true,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = cognito(&good, "ListUserPools", json!({"MaxResults": 5}), true).await;
    assert_eq!(status, 200, "{body}");

    for (k, s, why) in [
        (key, "wrong-secret", "wrong secret"),
        ("AKIAUNKNOWNKEY000000", secret, "unknown key"),
    ] {
        let (status, body) = cognito(
            &client_with(url, k, s),
            "ListUserPools",
            json!({"MaxResults": 5}),
            true,
        )
        .await;
        assert_eq!(status, 403, "{why}: {body}");
    }

    // Real SDKs send SetUserMFAPreference unsigned (noAuth, contract M2). moto in IAM mode cannot
    // authorise an unsigned request and answers 500: moto's divergence, not ours to paper over.
    let (status, _) = cognito(
        &good,
        "SetUserMFAPreference",
        json!({"AccessToken": "x", "SoftwareTokenMfaSettings": {"Enabled": true}}),
        false,
    )
    .await;
    assert_eq!(status, 500);

    // The account guard end to end: allowlisted passes, an unlisted allowlist names moto's account.
    let env = AwsEnv {
        access_key_id: Some(key.to_owned()),
        secret_access_key: Some(secret.to_owned()),
        ..AwsEnv::default()
    };
    let opts = AwsOptions {
        region: "us-east-1".into(),
        profile: None,
        endpoint: Some(url.to_owned()),
        timeout: Duration::from_secs(30),
        max_body: 1 << 20,
        retry: RetryPolicy::default(),
    };
    let other = AwsSettings::build(Some("111122223333"), None, &[]).unwrap();
    let err = aws::connect(&opts, &other, &env, Ownership::for_run("r1"))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("account 123456789012 is not on the allowlist"),
        "{err}"
    );
    let allowed = AwsSettings::build(Some(MOTO_ACCOUNT), None, &[]).unwrap();
    let session = aws::connect(&opts, &allowed, &env, Ownership::for_run("r1"))
        .await
        .unwrap();
    let guarded = &session.client;
    let (status, body) = cognito(
        guarded,
        "CreateUserPool",
        json!({"PoolName": "cognito-drift-r1-guarded"}),
        true,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let id = body["UserPool"]["Id"].as_str().unwrap().to_owned();
    let (_, described) =
        cognito(guarded, "DescribeUserPool", json!({"UserPoolId": id}), true).await;
    let tags = &described["UserPool"]["UserPoolTags"];
    assert_eq!(tags[aws::RUN_ID_TAG], "r1");
    assert!(tags[aws::CREATED_AT_TAG].as_str().unwrap().ends_with('Z'));

    // The pool made above without the harness's name and tags cannot be deleted through the guard.
    let foreign = pools_with(&good)
        .await
        .into_iter()
        .find(|(_, n)| n == "iam-signed")
        .unwrap()
        .0;
    let err = guarded
        .send(&WireRequest::json(
            "DeleteUserPool",
            &json!({"UserPoolId": foreign}),
            true,
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, ExchangeError::Refused { .. }), "{err}");
    let err = guarded
        .send(&WireRequest::json(
            "CreateUserPool",
            &json!({"PoolName": "untagged-by-design"}),
            true,
        ))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("must be named `cognito-drift-r1-…`"),
        "{err}"
    );
    let (status, _) = cognito(guarded, "DeleteUserPool", json!({"UserPoolId": id}), true).await;
    assert_eq!(status, 200);
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The harness binary with a clean environment: test keys, no real AWS config, loopback only.
fn harness(home: &Path, accounts: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cognito-drift"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("CI", "true")
        .env("AWS_ACCESS_KEY_ID", "AKIDCOGNITODRIFTTEST")
        .env("AWS_SECRET_ACCESS_KEY", "test-secret")
        .env("COGNITO_DRIFT_AWS_ACCOUNTS", accounts)
        .current_dir(common::root())
        .args(args);
    cmd
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cognito-drift-{name}-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(out: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unlisted_account_stops_the_run_before_any_pool_exists() {
    let server = moto(Vec::new()).await;
    let url = server.endpoint_url().to_owned();
    let home = temp_dir("home");
    let out = harness(
        &home,
        "111122223333",
        &[
            "run",
            "--target",
            "aws",
            "--endpoint",
            &url,
            "--snapshots",
            home.to_str().unwrap(),
            "scenarios/set-user-mfa-preference/empty-token.yaml",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(cognito_drift::exit::USAGE),
        "{}",
        text(&out)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("account 123456789012 is not on the allowlist (allowed: 111122223333)"),
        "{}",
        text(&out)
    );
    assert!(pools(&url).await.is_empty());
}

/// Starts a run on a scenario that waits for fresh TOTP steps, signals it once its pool exists, and
/// checks that it exits 130 leaving no user pool behind.
async fn interrupted_run_leaves_no_pools(signal: i32) {
    let server = moto(Vec::new()).await;
    let url = server.endpoint_url().to_owned();
    let home = temp_dir("home");
    let mut child = harness(
        &home,
        MOTO_ACCOUNT,
        &[
            "run",
            "--target",
            "aws",
            "--endpoint",
            &url,
            "--snapshots",
            home.to_str().unwrap(),
            "scenarios/set-user-mfa-preference/totp-after-verification.yaml",
            "scenarios/set-user-mfa-preference/totp-before-verification.yaml",
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let started = Instant::now();
    loop {
        if !pools(&url).await.is_empty() {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before creating a pool"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no pool appeared"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let pid = i32::try_from(child.id()).unwrap();
    assert_eq!(send_signal(pid, signal), 0);
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(cognito_drift::exit::INTERRUPTED),
        "{}",
        text(&out)
    );
    let left = pools(&url).await;
    assert!(left.is_empty(), "left behind: {left:?}\n{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cleanup: deleted leftover pool"),
        "the pools went away without the cleanup: {}",
        text(&out)
    );
}

/// Sends `signal` through the `kill` command (the crate forbids `unsafe`, so no `libc::kill`).
fn send_signal(pid: i32, signal: i32) -> i32 {
    let status = Command::new("kill")
        .args([format!("-{signal}"), pid.to_string()])
        .status()
        .unwrap();
    status.code().unwrap_or(-1)
}

#[tokio::test(flavor = "multi_thread")]
async fn sigint_mid_scenario_deletes_the_runs_pools() {
    interrupted_run_leaves_no_pools(libc::SIGINT).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_mid_scenario_deletes_the_runs_pools() {
    interrupted_run_leaves_no_pools(libc::SIGTERM).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sweep_deletes_old_tagged_leftovers_only() {
    let server = moto(Vec::new()).await;
    let url = server.endpoint_url().to_owned();
    let plain = common::client(&url);
    let old = "2020-01-01T00:00:00Z";
    let now = aws::tags::created_at_value(time::OffsetDateTime::now_utc());
    let plant = |name: &str, tags: Value| {
        let mut input = json!({"PoolName": name});
        if !tags.is_null() {
            input["UserPoolTags"] = tags;
        }
        input
    };
    let tag = |run: &str, at: &str| json!({aws::RUN_ID_TAG: run, aws::CREATED_AT_TAG: at});
    let planted = [
        ("cognito-drift-old00001-a", tag("old00001", old), true),
        ("cognito-drift-old00002-b", Value::Null, false),
        ("customer-pool", tag("old00003", old), false),
        ("cognito-drift-new00004-d", tag("new00004", &now), false),
        ("cognito-drift-zz-e", tag("old00005", old), false),
        (
            "cognito-drift-old00006-f",
            json!({aws::RUN_ID_TAG: "old00006"}),
            false,
        ),
    ];
    for (name, tags, _) in &planted {
        let (status, body) =
            cognito(&plain, "CreateUserPool", plant(name, tags.clone()), true).await;
        assert_eq!(status, 200, "{body}");
    }
    let home = temp_dir("home");
    let out = harness(
        &home,
        MOTO_ACCOUNT,
        &[
            "sweep",
            "--target",
            "aws",
            "--endpoint",
            &url,
            "--older-than",
            "2h",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("sweep: 1 deleted, 0 failed, 5 left alone"),
        "{stdout}"
    );
    for (name, _, deleted) in &planted {
        let line = stdout.lines().find(|l| l.contains(name)).unwrap();
        assert_eq!(line.starts_with("deleted "), *deleted, "{line}");
    }
    let mut left: Vec<String> = pools(&url).await.into_iter().map(|(_, n)| n).collect();
    left.sort();
    let mut expected: Vec<&str> = planted
        .iter()
        .filter(|(_, _, d)| !d)
        .map(|(n, _, _)| *n)
        .collect();
    expected.sort();
    assert_eq!(left, expected);
}
