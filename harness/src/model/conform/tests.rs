//! One test per rule, on the embedded Cognito model's real shapes, plus a small model for the rest.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};

use super::*;
use crate::model::parse;

fn rules(v: &[Violation]) -> Vec<(&str, Rule, &str)> {
    v.iter()
        .map(|v| (v.path.as_str(), v.rule, v.shape.as_str()))
        .collect()
}

const SECRET16: &str = "JBSWY3DPEHPK3PXPJBSWY3DP";

#[test]
fn a_conforming_answer_has_no_violation() {
    let body = json!({"SecretCode": SECRET16, "Session": "a-session-of-twenty-or-more"});
    assert!(validate_output("AssociateSoftwareToken", &body).is_empty());
    let body = json!({"Username": "alice", "UserAttributes": [{"Name": "sub", "Value": "x"}],
        "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"], "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA"});
    assert!(validate_output("GetUser", &body).is_empty());
    assert!(validate_output("SetUserMFAPreference", &json!({})).is_empty());
    assert!(
        validate_output("SetUserMFAPreference", &Value::Null).is_empty(),
        "an empty body is `{{}}`"
    );
    assert!(validate_output("NoSuchOperation", &json!(5)).is_empty());
}

#[test]
fn min_length_names_the_shape_and_hides_a_sensitive_value() {
    let v = validate_output(
        "AssociateSoftwareToken",
        &json!({"SecretCode": "asdfasdfasdf"}),
    );
    assert_eq!(rules(&v), [("$.SecretCode", Rule::Min, "SecretCodeType")]);
    assert_eq!(v[0].expected, "at least 16 characters");
    assert_eq!(v[0].actual, "12 characters");
    assert!(!v.iter().any(|v| v.to_string().contains("asdf")));
}

#[test]
fn pattern_must_match_the_whole_value() {
    let v = validate_output(
        "AssociateSoftwareToken",
        &json!({"SecretCode": "JBSWY3DPEHPK3PXP-JBSWY3DP"}),
    );
    assert_eq!(
        rules(&v),
        [("$.SecretCode", Rule::Pattern, "SecretCodeType")]
    );
    assert_eq!(v[0].actual, "a sensitive value");
}

#[test]
fn enum_values_limit_the_strings_of_an_answer() {
    let v = validate_output("InitiateAuth", &json!({"ChallengeName": "SMS_CODE"}));
    assert_eq!(
        rules(&v),
        [("$.ChallengeName", Rule::Enum, "ChallengeNameType")]
    );
    assert_eq!(v[0].actual, "\"SMS_CODE\"");
    let v = validate_output("VerifySoftwareToken", &json!({"Status": "success"}));
    assert_eq!(
        rules(&v),
        [("$.Status", Rule::Enum, "VerifySoftwareTokenResponseType")]
    );
    assert_eq!(v[0].expected, "one of SUCCESS, ERROR");
}

#[test]
fn a_timestamp_is_a_number_of_epoch_seconds() {
    let ok = json!({"Username": "a", "UserCreateDate": 1.7e9, "UserLastModifiedDate": 1700000000});
    assert!(validate_output("AdminGetUser", &ok).is_empty());
    let v = validate_output(
        "AdminGetUser",
        &json!({"Username": "a", "UserCreateDate": "2026-12-02T15:00:00Z"}),
    );
    assert_eq!(rules(&v), [("$.UserCreateDate", Rule::Type, "DateType")]);
    assert_eq!(v[0].actual, "string \"2026-12-02T15:00:00Z\"");
    assert!(v[0].expected.contains("epoch seconds"), "{}", v[0].expected);
}

#[test]
fn types_of_nested_members_lists_and_maps() {
    let body = json!({
        "Username": "a",
        "Enabled": "true",
        "UserAttributes": [{"Name": "sub", "Value": 5}, null, "x"],
        "UserMFASettingList": "SMS_MFA",
    });
    let v = validate_output("AdminGetUser", &body);
    assert_eq!(
        rules(&v),
        [
            ("$.Enabled", Rule::Type, "BooleanType"),
            (
                "$.UserAttributes[0].Value",
                Rule::Type,
                "AttributeValueType"
            ),
            ("$.UserAttributes[1]", Rule::Type, "AttributeType"),
            ("$.UserAttributes[2]", Rule::Type, "AttributeType"),
            ("$.UserMFASettingList", Rule::Type, "UserMFASettingListType"),
        ]
    );
    assert_eq!(
        v[1].actual, "number 5",
        "a number is shown even in a sensitive shape"
    );
    let v = validate_output(
        "InitiateAuth",
        &json!({"ChallengeParameters": {"USERNAME": 7, "weird key": "x"}}),
    );
    assert_eq!(
        rules(&v),
        [("$.ChallengeParameters.USERNAME", Rule::Type, "StringType")]
    );
    let v = validate_output(
        "InitiateAuth",
        &json!({"AuthenticationResult": {"ExpiresIn": 3600.5}}),
    );
    assert_eq!(
        rules(&v),
        [(
            "$.AuthenticationResult.ExpiresIn",
            Rule::Type,
            "IntegerType"
        )]
    );
}

#[test]
fn required_members_must_be_present_and_not_null() {
    let v = validate_output("GetUser", &json!({"Username": null}));
    assert_eq!(
        rules(&v),
        [
            ("$.Username", Rule::Required, "GetUserResponse"),
            ("$.UserAttributes", Rule::Required, "GetUserResponse"),
        ]
    );
    assert_eq!(
        (v[0].actual.as_str(), v[1].actual.as_str()),
        ("null", "absent")
    );
    let v = validate_output(
        "GetUser",
        &json!({"Username": "a", "UserAttributes": [{"Value": "v"}]}),
    );
    assert_eq!(
        rules(&v),
        [("$.UserAttributes[0].Name", Rule::Required, "AttributeType")]
    );
}

#[test]
fn unknown_members_are_warnings() {
    let v = validate_output(
        "SetUserMFAPreference",
        &json!({"Extra": 1, "odd key": true}),
    );
    assert_eq!(
        rules(&v),
        [
            (
                "$.Extra",
                Rule::UnknownMember,
                "SetUserMFAPreferenceResponse"
            ),
            (
                "$[\"odd key\"]",
                Rule::UnknownMember,
                "SetUserMFAPreferenceResponse"
            ),
        ]
    );
    assert!(v.iter().all(Violation::is_warning));
    assert!(!Rule::Min.is_warning());
}

const TINY: &str = r#"{
  "generatedFrom": {"package": "botocore", "version": "1", "file": "x.json"},
  "metadata": {"targetPrefix": "Svc"},
  "operations": {
    "Op": {"name": "Op", "output": {"shape": "Out"}, "errors": [{"shape": "Bad"}]},
    "Bare": {"name": "Bare"}
  },
  "shapes": {
    "Out": {"type": "structure", "members": {"N": {"shape": "Small"}, "L": {"shape": "Few"},
      "M": {"shape": "Dict"}, "B": {"shape": "Bytes"}, "D": {"shape": "Doc"}, "F": {"shape": "Real"},
      "Big": {"shape": "Long"}}},
    "Small": {"type": "integer", "min": 1, "max": 5},
    "Long": {"type": "long"},
    "Few": {"type": "list", "member": {"shape": "Word"}, "min": 1, "max": 2},
    "Dict": {"type": "map", "key": {"shape": "Word"}, "value": {"shape": "Word"}, "max": 1},
    "Word": {"type": "string", "pattern": "[a-z]+", "max": 3},
    "Bytes": {"type": "blob", "max": 2},
    "Doc": {"type": "structure", "members": {}, "document": true},
    "Real": {"type": "double"},
    "Bad": {"type": "structure", "members": {"message": {"shape": "Word"}, "reason": {"shape": "Small"}}, "exception": true}
  }
}"#;

#[test]
fn numeric_ranges_and_lengths_of_lists_maps_blobs_and_strings() {
    let m = parse(TINY).unwrap();
    let ok = json!({"N": 5, "L": ["ab"], "M": {"k": "v"}, "B": "AAA=", "D": [1, {"x": null}],
        "F": "NaN", "Big": -9007199254740993i64});
    assert!(
        m.validate_output("Op", &ok).is_empty(),
        "{:?}",
        m.validate_output("Op", &ok)
    );
    let bad = json!({"N": 6, "L": [], "M": {"a": "b", "C": "dddd"}, "B": "AAAAAA==", "F": "1.5", "Big": 1.0});
    let v = m.validate_output("Op", &bad);
    assert_eq!(
        sorted(rules(&v)),
        sorted(vec![
            ("$.B", Rule::Max, "Bytes"),
            ("$.Big", Rule::Type, "Long"),
            ("$.F", Rule::Type, "Real"),
            ("$.L", Rule::Min, "Few"),
            ("$.M", Rule::Max, "Dict"),
            ("$.M.C", Rule::Pattern, "Word"),
            ("$.M.C", Rule::Max, "Word"),
            ("$.N", Rule::Max, "Small"),
        ])
    );
    let v = m.validate_output("Op", &json!({"N": 0, "B": "not base64!"}));
    assert_eq!(
        sorted(rules(&v)),
        sorted(vec![
            ("$.B", Rule::Type, "Bytes"),
            ("$.N", Rule::Min, "Small")
        ])
    );
    let v = m.validate_output("Op", &json!([1]));
    assert_eq!(rules(&v), [("$", Rule::Type, "Out")]);
    let v = m.validate_output("Bare", &json!({"X": 1}));
    assert_eq!(
        rules(&v),
        [("$.X", Rule::UnknownMember, "Bare (no output shape)")]
    );
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

#[test]
fn error_types_must_be_listed_or_protocol_errors() {
    let m = parse(TINY).unwrap();
    assert!(m
        .validate_error("Op", "Bad", &json!({"__type": "Bad", "message": "abc"}))
        .is_empty());
    assert!(m
        .validate_error(
            "Op",
            "SerializationException",
            &json!({"__type": "x#SerializationException", "Message": "no"})
        )
        .is_empty());
    assert!(m.validate_error("Op", "Bad", &Value::Null).is_empty());
    let v = m.validate_error(
        "Op",
        "KeyError",
        &json!({"__type": "KeyError", "message": 5}),
    );
    assert_eq!(
        rules(&v),
        [
            ("$.__type", Rule::ErrorType, "Op.errors"),
            ("$.message", Rule::Type, "KeyError"),
        ]
    );
    let v = m.validate_error(
        "Op",
        "Bad",
        &json!({"__type": "Bad", "message": 5, "reason": 9, "extra": 1}),
    );
    assert_eq!(
        rules(&v),
        [
            ("$.message", Rule::Type, "Word"),
            ("$.reason", Rule::Max, "Small"),
            ("$.extra", Rule::UnknownMember, "Bad"),
        ]
    );
    let v = m.validate_error("Op", "Bad", &json!("text"));
    assert_eq!(rules(&v), [("$", Rule::Type, "Bad")]);
}

#[test]
fn cognito_errors_are_checked_against_the_operation_list() {
    let v = validate_error(
        "SetUserMFAPreference",
        "TooManyRequestsException",
        &json!({"__type": "TooManyRequestsException", "message": "slow down"}),
    );
    assert_eq!(
        rules(&v),
        [("$.__type", Rule::ErrorType, "SetUserMFAPreference.errors")],
        "M2: TooManyRequestsException is not modeled for SetUserMFAPreference"
    );
    let body = json!({"__type": "InvalidParameterException", "message": "m", "reasonCode": "INVALID_PARAMETER"});
    assert!(validate_answer(
        "SetUserMFAPreference",
        Some("InvalidParameterException"),
        &body
    )
    .is_empty());
}

#[test]
fn every_model_pattern_compiles_but_the_look_behind_one() {
    let model = crate::model::cognito();
    let mut broken: Vec<&str> = model
        .shapes
        .values()
        .filter_map(|s| match s {
            Shape::String {
                pattern: Some(p), ..
            } => Some(p.as_str()),
            _ => None,
        })
        .filter(|p| super::walk::whole_match(p).is_none())
        .collect();
    broken.sort_unstable();
    broken.dedup();
    assert_eq!(broken, [r"^[0-9A-Za-z\.\-_]*(?<!\.)$"]);
}

#[test]
fn rule_names_round_trip() {
    for r in Rule::ALL {
        assert_eq!(Rule::parse(r.as_str()), Some(r));
    }
    assert_eq!(Rule::parse("nope"), None);
}

use crate::model::Shape;
