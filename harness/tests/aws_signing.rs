//! The signing path for the real-AWS target: AWS SigV4 test-suite vectors (golden), and the same
//! requests signed by botocore (differential), at fixed timestamps.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use cognito_drift::emulator::TargetKind;
use cognito_drift::exchange::sign;
use serde_json::{json, Value};

mod common;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// A `request.txt` of the suite: request line, `Name:value` headers, blank line, body.
fn parse_request(text: &str) -> http::Request<Vec<u8>> {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let mut first = lines.next().unwrap().split(' ');
    let (method, target) = (first.next().unwrap(), first.next().unwrap());
    let mut builder = http::Request::builder()
        .method(method)
        .uri(format!("https://example.amazonaws.com{target}"));
    for line in lines {
        let (name, value) = line.split_once(':').unwrap();
        builder = builder.header(name, value);
    }
    builder.body(body.as_bytes().to_vec()).unwrap()
}

fn expected_header(signed: &str, name: &str) -> Option<String> {
    signed.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.to_owned())
    })
}

fn unix(ts: &str) -> SystemTime {
    let t =
        time::OffsetDateTime::parse(ts, &time::format_description::well_known::Rfc3339).unwrap();
    SystemTime::UNIX_EPOCH + Duration::from_secs(t.unix_timestamp() as u64)
}

#[test]
fn signing_test_suite_vectors() {
    let dir = data().join("sigv4");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let case = entry.unwrap().path();
        if !case.is_dir() {
            continue;
        }
        let read = |f: &str| std::fs::read_to_string(case.join(f)).unwrap();
        let ctx: Value = serde_json::from_str(&read("context.json")).unwrap();
        let c = &ctx["credentials"];
        let creds = Credentials::from_keys(
            c["access_key_id"].as_str().unwrap(),
            c["secret_access_key"].as_str().unwrap(),
            c["token"].as_str().map(str::to_owned),
        );
        let mut req = parse_request(&read("request.txt"));
        sign(
            &mut req,
            &creds,
            ctx["region"].as_str().unwrap(),
            ctx["service"].as_str().unwrap(),
            unix(ctx["timestamp"].as_str().unwrap()),
        )
        .unwrap();
        let signed = read("header-signed-request.txt");
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        for header in ["authorization", "x-amz-date", "x-amz-security-token"] {
            let ours = req
                .headers()
                .get(header)
                .map(|v| v.to_str().unwrap().to_owned());
            assert_eq!(ours, expected_header(&signed, header), "{name}: {header}");
        }
        checked += 1;
    }
    assert_eq!(checked, 20, "every copied vector is checked");
}

/// An interpreter that can import botocore: the managed moto's own venv (botocore comes with moto),
/// installed from its lock like every managed target.
fn botocore_python() -> PathBuf {
    let python = common::shared(TargetKind::Moto)
        .python
        .clone()
        .expect("moto runs on a python venv");
    let ok = Command::new(&python)
        .args(["-c", "import botocore"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "the managed moto's venv `{}` imports botocore",
        python.display()
    );
    python
}

#[test]
fn signatures_match_botocore() {
    let python = botocore_python();
    let cognito = |op: &str, body: &str| {
        json!({
            "method": "POST", "url": "http://127.0.0.1:5000/", "body": body,
            "headers": [["content-type", "application/x-amz-json-1.1"],
                        ["x-amz-target", format!("AWSCognitoIdentityProviderService.{op}")]],
            "region": "eu-west-1", "service": "cognito-idp",
            "key": "AKIDEXAMPLE", "secret": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "timestamp": "20261127T120000Z",
        })
    };
    let mut sts = json!({
        "method": "POST", "url": "https://sts.us-east-1.amazonaws.com/",
        "body": "Action=GetCallerIdentity&Version=2011-06-15",
        "headers": [["content-type", "application/x-www-form-urlencoded; charset=utf-8"]],
        "region": "us-east-1", "service": "sts",
        "key": "ASIAEXAMPLE", "secret": "secret/with+chars", "token": "session-token-value",
        "timestamp": "20150830T123600Z",
    });
    let cases = vec![
        cognito("ListUserPools", r#"{"MaxResults":60}"#),
        cognito(
            "AdminCreateUser",
            r#"{"UserPoolId":"eu-west-1_abc","Username":"zoë","MessageAction":"SUPPRESS"}"#,
        ),
        cognito("DeleteUserPool", ""),
        sts.take(),
    ];
    let mut child = Command::new(&python)
        .arg(data().join("botocore_sign.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    serde_json::to_writer(child.stdin.take().unwrap(), &cases).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let theirs: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(theirs.len(), cases.len());
    for (case, theirs) in cases.iter().zip(&theirs) {
        let mut builder = http::Request::builder()
            .method(case["method"].as_str().unwrap())
            .uri(case["url"].as_str().unwrap());
        for h in case["headers"].as_array().unwrap() {
            builder = builder.header(h[0].as_str().unwrap(), h[1].as_str().unwrap());
        }
        let mut req = builder
            .body(case["body"].as_str().unwrap().as_bytes().to_vec())
            .unwrap();
        let creds = Credentials::from_keys(
            case["key"].as_str().unwrap(),
            case["secret"].as_str().unwrap(),
            case["token"].as_str().map(str::to_owned),
        );
        let ts = case["timestamp"].as_str().unwrap();
        let when = time::PrimitiveDateTime::parse(
            ts,
            time::macros::format_description!("[year][month][day]T[hour][minute][second]Z"),
        )
        .unwrap()
        .assume_utc();
        sign(
            &mut req,
            &creds,
            case["region"].as_str().unwrap(),
            case["service"].as_str().unwrap(),
            SystemTime::UNIX_EPOCH + Duration::from_secs(when.unix_timestamp() as u64),
        )
        .unwrap();
        assert_eq!(
            req.headers()["authorization"].to_str().unwrap(),
            theirs["authorization"].as_str().unwrap(),
            "{case}"
        );
        assert_eq!(
            req.headers()["x-amz-date"],
            theirs["date"].as_str().unwrap()
        );
    }
}
