//! SigV4 signing of a fully built request, delegated to `aws-sigv4` (never hand-rolled).

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{self, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;

/// The signing name of the Cognito user-pools API.
pub const SERVICE: &str = "cognito-idp";

/// Why a request could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("header `{0}` has a value that is not visible ascii and cannot be signed")]
    UnsignableHeader(String),
    #[error("invalid signing parameters")]
    Params(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("sigv4 signing failed")]
    Signing(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Adds `X-Amz-Date`, `Authorization` (and `X-Amz-Security-Token` for session credentials) to `req`,
/// covering every header already on it plus `host`, so the request must be final before this call.
pub fn sign(
    req: &mut http::Request<Vec<u8>>,
    creds: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Result<(), SignError> {
    let identity = creds.clone().into();
    let params: http_request::SigningParams<'_> = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| SignError::Params(Box::new(e)))?
        .into();

    let mut headers = Vec::with_capacity(req.headers().len());
    for (name, value) in req.headers() {
        let value = value
            .to_str()
            .map_err(|_| SignError::UnsignableHeader(name.to_string()))?;
        headers.push((name.as_str(), value));
    }
    let uri = req.uri().to_string();
    let signable = SignableRequest::new(
        req.method().as_str(),
        &uri,
        headers.into_iter(),
        SignableBody::Bytes(req.body()),
    )
    .map_err(|e| SignError::Signing(Box::new(e)))?;
    let (instructions, _signature) = http_request::sign(signable, &params)
        .map_err(|e| SignError::Signing(Box::new(e)))?
        .into_parts();
    instructions.apply_to_request_http1x(req);
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::time::Duration;

    /// 2015-08-30T12:36:00Z, the timestamp of every vector in the AWS signing test suite.
    fn suite_time() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160)
    }

    fn suite_creds() -> Credentials {
        Credentials::from_keys(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        )
    }

    fn suite_request(
        method: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> http::Request<Vec<u8>> {
        let mut builder = http::Request::builder()
            .method(method)
            .uri("https://example.amazonaws.com/");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(body.to_vec()).unwrap()
    }

    fn authorization(req: &http::Request<Vec<u8>>) -> &str {
        req.headers()["authorization"].to_str().unwrap()
    }

    /// Expected `Authorization` values copied from `aws-signing-test-suite/v4/*/header-signed-request.txt`.
    const GET_VANILLA: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    const POST_VANILLA: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b";

    #[test]
    fn golden_get_vanilla() {
        let mut req = suite_request("GET", &[("host", "example.amazonaws.com")], b"");
        sign(
            &mut req,
            &suite_creds(),
            "us-east-1",
            "service",
            suite_time(),
        )
        .unwrap();
        assert_eq!(authorization(&req), GET_VANILLA);
        assert_eq!(req.headers()["x-amz-date"], "20150830T123600Z");
    }

    #[test]
    fn golden_post_vanilla() {
        let mut req = suite_request("POST", &[("host", "example.amazonaws.com")], b"");
        sign(
            &mut req,
            &suite_creds(),
            "us-east-1",
            "service",
            suite_time(),
        )
        .unwrap();
        assert_eq!(authorization(&req), POST_VANILLA);
    }

    /// The crate source, when present, holds the suite itself; check our embedded copies against it.
    #[test]
    fn embedded_vectors_match_the_crate_suite_when_available() {
        let Some(suite) = find_suite() else {
            return;
        };
        for (name, expected) in [("get-vanilla", GET_VANILLA), ("post-vanilla", POST_VANILLA)] {
            let signed =
                std::fs::read_to_string(suite.join(name).join("header-signed-request.txt"))
                    .unwrap();
            let line = signed
                .lines()
                .find_map(|l| l.strip_prefix("Authorization:"))
                .unwrap();
            assert_eq!(line, expected, "{name}");
        }
    }

    fn find_suite() -> Option<PathBuf> {
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
        let registry = std::fs::read_dir(cargo_home.join("registry/src")).ok()?;
        registry
            .flatten()
            .flat_map(|index| {
                std::fs::read_dir(index.path())
                    .into_iter()
                    .flatten()
                    .flatten()
            })
            .filter(|e| e.file_name().to_string_lossy().starts_with("aws-sigv4-1."))
            .map(|e| e.path().join("aws-signing-test-suite/v4"))
            .find(|p| p.is_dir())
    }

    #[test]
    fn cognito_request_signs_target_and_content_type() {
        let mut req = http::Request::builder()
            .method("POST")
            .uri("http://127.0.0.1:5000/")
            .header("content-type", "application/x-amz-json-1.1")
            .header(
                "x-amz-target",
                "AWSCognitoIdentityProviderService.ListUserPools",
            )
            .body(br#"{"MaxResults":1}"#.to_vec())
            .unwrap();
        sign(&mut req, &suite_creds(), "eu-west-1", SERVICE, suite_time()).unwrap();
        let auth = authorization(&req);
        assert!(
            auth.contains("/20150830/eu-west-1/cognito-idp/aws4_request"),
            "{auth}"
        );
        assert!(
            auth.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target,"),
            "{auth}"
        );
    }

    #[test]
    fn body_changes_the_signature() {
        let sign_body = |body: &[u8]| {
            let mut req = suite_request("POST", &[("host", "example.amazonaws.com")], body);
            sign(
                &mut req,
                &suite_creds(),
                "us-east-1",
                "service",
                suite_time(),
            )
            .unwrap();
            authorization(&req).to_owned()
        };
        assert_ne!(sign_body(b"{}"), sign_body(b"{ }"));
        assert_eq!(sign_body(b""), POST_VANILLA);
    }

    #[test]
    fn session_token_is_added() {
        let creds = Credentials::from_keys("AKID", "secret", Some("the-session".into()));
        let mut req = suite_request("POST", &[], b"{}");
        sign(&mut req, &creds, "us-east-1", SERVICE, suite_time()).unwrap();
        assert_eq!(req.headers()["x-amz-security-token"], "the-session");
    }

    #[test]
    fn non_ascii_header_is_refused() {
        let mut req = suite_request("POST", &[], b"{}");
        req.headers_mut().insert(
            "x-odd",
            http::HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap(),
        );
        let err = sign(&mut req, &suite_creds(), "us-east-1", SERVICE, suite_time()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "header `x-odd` has a value that is not visible ascii and cannot be signed"
        );
    }
}
