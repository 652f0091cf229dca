//! Tests of `smithy.rs`.

use super::*;
use serde_json::json;

fn resp(status: u16, headers: &[(&str, &str)], body: &[u8]) -> WireResponse {
    WireResponse::canned(status, headers, body)
}

fn error_parts(i: Interpreted) -> (String, Option<String>, Value) {
    match i {
        Interpreted::Error {
            error_type,
            message,
            body,
        } => (error_type, message, body),
        other => panic!("expected an error, got {other:?}"),
    }
}

fn fault(i: Interpreted) -> String {
    match i {
        Interpreted::Fault(reason) => reason,
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[test]
fn sanitizes_every_wire_form() {
    assert_eq!(
        sanitize_error_type("com.amazon.coral.service#SerializationException"),
        "SerializationException"
    );
    assert_eq!(
        sanitize_error_type("NotAuthorizedException:"),
        "NotAuthorizedException"
    );
    assert_eq!(
        sanitize_error_type("Name:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
        "Name"
    );
    assert_eq!(
        sanitize_error_type("aws.protocoltests#FooError:http://internal.amazon.com/x#y"),
        "FooError"
    );
    assert_eq!(sanitize_error_type("Plain"), "Plain");
    assert_eq!(sanitize_error_type(":"), "");
}

#[test]
fn success_with_json_body() {
    let r = resp(200, &[], br#"{"UserPools":[]}"#);
    assert_eq!(
        interpret(&r),
        Interpreted::Success(json!({"UserPools": []}))
    );
}

#[test]
fn success_with_empty_body_is_null() {
    assert_eq!(
        interpret(&resp(200, &[], b"")),
        Interpreted::Success(Value::Null)
    );
    assert_eq!(
        interpret(&resp(204, &[], b" \n")),
        Interpreted::Success(Value::Null)
    );
}

#[test]
fn real_cognito_error_with_header_trailing_colon() {
    let r = resp(
        400,
        &[
            ("x-amzn-errortype", "NotAuthorizedException:"),
            ("x-amzn-errormessage", "Incorrect username or password."),
        ],
        br#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#,
    );
    let (t, m, body) = error_parts(interpret(&r));
    assert_eq!(t, "NotAuthorizedException");
    assert_eq!(m.as_deref(), Some("Incorrect username or password."));
    assert_eq!(body["__type"], "NotAuthorizedException");
}

#[test]
fn header_wins_over_body() {
    let r = resp(
        400,
        &[(
            "X-Amzn-Errortype",
            "FromHeader:http://internal.amazon.com/coral",
        )],
        br#"{"__type":"FromBody","code":"FromCode"}"#,
    );
    assert_eq!(error_parts(interpret(&r)).0, "FromHeader");
}

#[test]
fn namespaced_type_and_capital_message() {
    let r = resp(
        400,
        &[],
        br#"{"__type":"com.amazon.coral.service#SerializationException","Message":"Start of structure or map found where not expected."}"#,
    );
    let (t, m, _) = error_parts(interpret(&r));
    assert_eq!(t, "SerializationException");
    assert_eq!(
        m.as_deref(),
        Some("Start of structure or map found where not expected.")
    );
}

#[test]
fn body_code_is_the_last_resort_and_error_message_is_read() {
    let r = resp(
        404,
        &[],
        br#"{"code":"BadRequest","errorMessage":"The server did not understand the operation that was requested."}"#,
    );
    let (t, m, _) = error_parts(interpret(&r));
    assert_eq!(t, "BadRequest");
    assert_eq!(
        m.as_deref(),
        Some("The server did not understand the operation that was requested.")
    );
}

#[test]
fn lower_case_message_is_preferred() {
    let r = resp(
        400,
        &[],
        br#"{"__type":"X","message":"low","Message":"cap"}"#,
    );
    assert_eq!(error_parts(interpret(&r)).1.as_deref(), Some("low"));
}

#[test]
fn missing_or_null_message_is_none() {
    let r = resp(
        400,
        &[],
        br#"{"__type":"SerializationException","message":null}"#,
    );
    assert_eq!(error_parts(interpret(&r)).1, None);
    let r = resp(400, &[], br#"{"__type":"UnknownOperationException"}"#);
    assert_eq!(error_parts(interpret(&r)).1, None);
}

#[test]
fn empty_header_type_falls_back_to_body() {
    let r = resp(
        400,
        &[("x-amzn-errortype", ":")],
        br#"{"__type":"InvalidParameterException"}"#,
    );
    assert_eq!(error_parts(interpret(&r)).0, "InvalidParameterException");
}

#[test]
fn header_type_with_empty_body() {
    let r = resp(
        400,
        &[("x-amzn-errortype", "ResourceNotFoundException")],
        b"",
    );
    let (t, m, body) = error_parts(interpret(&r));
    assert_eq!(t, "ResourceNotFoundException");
    assert_eq!(m, None);
    assert_eq!(body, Value::Null);
}

#[test]
fn error_json_without_type_is_a_fault() {
    let reason = fault(interpret(&resp(
        400,
        &[],
        br#"{"message":"Rate exceeded"}"#,
    )));
    assert_eq!(reason, "status 400 json answer with no error type");
    let reason = fault(interpret(&resp(500, &[], b"")));
    assert_eq!(reason, "status 500 and an empty body with no error type");
}

#[test]
fn non_string_type_is_ignored() {
    let reason = fault(interpret(&resp(400, &[], br#"{"__type":42}"#)));
    assert!(reason.contains("no error type"), "{reason}");
}

#[test]
fn json_under_a_non_json_content_type_is_a_fault() {
    let reason = fault(interpret(&resp(
        200,
        &[("content-type", "text/html")],
        br#"{"UserPool":{}}"#,
    )));
    assert_eq!(
        reason,
        "status 200 with content-type `text/html`, not json (expected `application/x-amz-json-1.1`)"
    );
    for ok in [
        "application/json",
        "Application/X-Amz-JSON-1.1",
        "application/x-amz-json-1.0; charset=utf-8",
    ] {
        let r = resp(200, &[("content-type", ok)], b"{}");
        assert_eq!(interpret(&r), Interpreted::Success(json!({})), "{ok}");
    }
    let empty = resp(200, &[("content-type", "text/plain")], b"");
    assert_eq!(interpret(&empty), Interpreted::Success(Value::Null));
}

#[test]
fn html_500_is_a_fault_quoting_the_body() {
    let r = resp(
        500,
        &[("content-type", "text/html; charset=utf-8")],
        b"<!doctype html>\n<html><title>500 Internal Server Error</title></html>",
    );
    assert_eq!(
        fault(interpret(&r)),
        "status 500 with a non-json body, content-type `text/html; charset=utf-8`: \
         `<!doctype html>\\n<html><title>500 Internal Server Error</title></html>`"
    );
}

#[test]
fn xml_403_is_a_fault() {
    let r = resp(
        403,
        &[("content-type", "text/xml")],
        b"<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>",
    );
    let reason = fault(interpret(&r));
    assert!(reason.starts_with("status 403 with a non-json body, content-type `text/xml`"));
    assert!(reason.contains("<Code>AccessDenied</Code>"), "{reason}");
}

#[test]
fn plain_text_2xx_is_a_fault_too() {
    let reason = fault(interpret(&resp(200, &[], b"OK")));
    assert_eq!(
        reason,
        "status 200 with a non-json body, content-type `none`: `OK`"
    );
}

#[test]
fn long_body_is_cut_at_80_chars() {
    let body = "x".repeat(200);
    let reason = fault(interpret(&resp(502, &[], body.as_bytes())));
    let quoted = reason.rsplit('`').nth(1).unwrap();
    assert_eq!(quoted, format!("{}…", "x".repeat(80)));
}

#[test]
fn invalid_utf8_is_decoded_lossily_and_flagged() {
    let reason = fault(interpret(&resp(500, &[], b"bad \xff\xfe\x01 bytes")));
    assert!(reason.contains("(invalid utf-8)"), "{reason}");
    assert!(
        reason.contains("bad \u{fffd}\u{fffd}\\u{1} bytes"),
        "{reason}"
    );
}
