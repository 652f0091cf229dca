//! Tests of `client.rs`.

use super::*;
use crate::exchange::wire::WireRequest;

fn endpoint(url: &str) -> Endpoint {
    Endpoint {
        url: url.to_owned(),
        region: "us-east-1".to_owned(),
        credentials: Credentials::from_keys("AKID", "SECRET", None),
        allow_remote: false,
    }
}

fn client(url: &str) -> Client {
    Client::new(endpoint(url), Duration::from_secs(1), 1024).unwrap()
}

fn header<'a>(req: &'a http::Request<Vec<u8>>, name: &str) -> Vec<&'a str> {
    req.headers()
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect()
}

#[test]
fn loopback_hosts_are_accepted() {
    for url in [
        "http://127.0.0.1:5000",
        "http://127.9.8.7/",
        "http://[::1]:5000/",
        "http://localhost:1234",
        "http://LOCALHOST./",
        "https://[::ffff:127.0.0.1]/",
    ] {
        assert!(check_endpoint(url, false).is_ok(), "{url}");
    }
}

#[test]
fn remote_hosts_are_refused_unless_allowed() {
    for url in [
        "http://10.1.2.3/",
        "https://cognito-idp.us-east-1.amazonaws.com/",
        "http://[2001:db8::1]/",
        "http://localhost.example.com/",
        "http://0.0.0.0/",
    ] {
        let err = check_endpoint(url, false).unwrap_err();
        assert!(
            matches!(err, ExchangeError::RefusedNonLoopback { .. }),
            "{url}: {err}"
        );
        assert!(check_endpoint(url, true).is_ok(), "{url}");
    }
    let err = Client::new(endpoint("http://10.1.2.3/"), Duration::from_secs(1), 10).unwrap_err();
    assert_eq!(
        err.to_string(),
        "refusing to send to non-loopback host `10.1.2.3` (only 127.0.0.0/8, ::1 and localhost \
         unless the target allows remote endpoints)"
    );
}

#[test]
fn malformed_endpoints_are_invalid() {
    for url in ["not a url", "ftp://127.0.0.1/", "unix:/tmp/sock"] {
        let err = check_endpoint(url, true).unwrap_err();
        assert!(
            matches!(err, ExchangeError::InvalidEndpoint { .. }),
            "{url}: {err}"
        );
    }
}

#[test]
fn defaults_are_set_and_signed() {
    let c = client("http://127.0.0.1:5000");
    let req = WireRequest::json("ListUserPools", &serde_json::json!({"MaxResults": 1}), true);
    let built = c.build(&req, SERVICE, SystemTime::UNIX_EPOCH).unwrap();
    assert_eq!(built.method(), http::Method::POST);
    assert_eq!(built.uri().to_string(), "http://127.0.0.1:5000/");
    assert_eq!(header(&built, "content-type"), [CONTENT_TYPE]);
    assert_eq!(
        header(&built, "x-amz-target"),
        ["AWSCognitoIdentityProviderService.ListUserPools"]
    );
    assert_eq!(built.body(), br#"{"MaxResults":1}"#);
    let auth = header(&built, "authorization")[0];
    assert!(
        auth.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target,"),
        "{auth}"
    );
    assert!(
        auth.contains("/19700101/us-east-1/cognito-idp/aws4_request"),
        "{auth}"
    );
}

/// The request handed to reqwest is the signed one, on the endpoint parsed when the client was made.
#[test]
fn the_sent_request_is_the_signed_one() {
    let c = client("http://127.0.0.1:5000/base?x=1");
    let req = WireRequest::json("GetUser", &serde_json::json!({}), true);
    let built = c.build(&req, SERVICE, SystemTime::UNIX_EPOCH).unwrap();
    let sent = c.to_reqwest(built.clone());
    assert_eq!(sent.url().as_str(), "http://127.0.0.1:5000/base?x=1");
    assert_eq!(sent.url().as_str(), built.uri().to_string());
    assert_eq!(sent.method(), http::Method::POST);
    assert_eq!(sent.headers(), built.headers());
    assert_eq!(sent.body().and_then(|b| b.as_bytes()), Some(&b"{}"[..]));
    assert_eq!(sent.timeout(), Some(&Duration::from_secs(1)));
}

#[test]
fn request_headers_replace_defaults_case_insensitively() {
    let c = client("http://127.0.0.1:5000");
    let mut req = WireRequest::json("GetUser", &serde_json::json!({}), false);
    req.headers = vec![
        ("Content-Type".to_owned(), "text/plain".to_owned()),
        ("X-Amz-Target".to_owned(), "Nope.Nothing".to_owned()),
        ("X-Extra".to_owned(), "a".to_owned()),
        ("x-extra".to_owned(), "b".to_owned()),
    ];
    let built = c.build(&req, SERVICE, SystemTime::UNIX_EPOCH).unwrap();
    assert_eq!(header(&built, "content-type"), ["text/plain"]);
    assert_eq!(header(&built, "x-amz-target"), ["Nope.Nothing"]);
    assert_eq!(header(&built, "x-extra"), ["a", "b"]);
    assert!(built.headers().get("authorization").is_none());
    assert!(built.headers().get("x-amz-date").is_none());
}

#[test]
fn no_target_sends_no_target_header() {
    let c = client("http://127.0.0.1:5000");
    let req = WireRequest {
        target: None,
        headers: Vec::new(),
        body: b"{}".to_vec(),
        sign: true,
    };
    let built = c.build(&req, SERVICE, SystemTime::UNIX_EPOCH).unwrap();
    assert!(built.headers().get("x-amz-target").is_none());
    let auth = header(&built, "authorization")[0];
    assert!(
        auth.contains("SignedHeaders=content-type;host;x-amz-date,"),
        "{auth}"
    );
}

#[test]
fn invalid_header_is_reported_by_name_only() {
    let c = client("http://127.0.0.1:5000");
    let mut req = WireRequest::json(
        "GetUser",
        &serde_json::json!({"AccessToken": "secret-token"}),
        false,
    );
    req.headers = vec![("bad header".to_owned(), "v".to_owned())];
    let err = c.build(&req, SERVICE, SystemTime::UNIX_EPOCH).unwrap_err();
    assert_eq!(err.to_string(), "invalid request header `bad header`");
    req.headers = vec![("x-ok".to_owned(), "line\nbreak".to_owned())];
    let err = c.build(&req, SERVICE, SystemTime::UNIX_EPOCH).unwrap_err();
    assert_eq!(err.to_string(), "invalid request header `x-ok`");
}
