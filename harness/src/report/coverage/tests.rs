#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::json;

use super::*;
use crate::scenario::ast::Scenario;

fn scenario(text: &str) -> Scenario {
    crate::scenario::load(Path::new("s.yaml"), text, crate::model::cognito()).unwrap()
}

fn input() -> CoverageInput {
    let a = scenario(
        "name: a\nfixtures:\n  users:\n    alice:\n      sign_in: true\nsteps:\n\
         - name: prefer sms\n  call: SetUserMFAPreference\n  input:\n    AccessToken: ${alice.access_token}\n    SMSMfaSettings: { Enabled: true, PreferredMfa: true }\n\
         - name: out\n  call: GlobalSignOut\n  input:\n    AccessToken: ${alice.access_token}\n\
         - name: revoked\n  call: SetUserMFAPreference\n  input:\n    AccessToken: ${alice.access_token}\n    WebAuthnMfaSettings: { Enabled: false }\n",
    );
    let b = scenario(
        "name: b\nsteps:\n- name: garbage\n  call: SetUserMFAPreference\n  input:\n    AccessToken: NOPE\n    SoftwareTokenMfaSettings: { Enabled: false }\n\
         - name: raw\n  raw:\n    operation: SetUserMFAPreference\n    json:\n      SMSMfaSettings: { Enabled: \"yes\" }\n",
    );
    let mut moto = BTreeMap::new();
    moto.insert(
        "a".to_owned(),
        json!({"steps": [{"status": 200}, {"status": 200}, {"status": 400, "error": "NotAuthorizedException"}]}),
    );
    moto.insert(
        "b".to_owned(),
        json!({"steps": [{"status": 400, "error": "NotAuthorizedException"}, {"status": 400, "error": "InvalidParameterException"}]}),
    );
    let exceptions = vec![
        "NotAuthorizedException".to_owned(),
        "InvalidParameterException".to_owned(),
        "ForbiddenException".to_owned(),
    ];
    let unreachable = parse_unreachable(
        "u.yaml",
        "- exception: ForbiddenException\n  target: \"*\"\n  reason: needs an AWS WAF web ACL\n",
        &exceptions,
    )
    .unwrap();
    CoverageInput {
        scenarios: vec![a, b],
        snapshots: BTreeMap::from([("moto".to_owned(), moto)]),
        ledgers: BTreeMap::new(),
        unreachable,
        exceptions,
    }
}

#[test]
fn request_values_are_attributed_to_their_steps() {
    let md = render(&input()).markdown;
    assert!(md.contains("| true | true | a (step 0) |"), "{md}");
    assert!(
        md.contains("| string \"yes\" | absent | b (step 1) |"),
        "{md}"
    );
    assert!(md.contains("| false | absent | b (step 0) |"), "{md}");
    assert!(md.contains("| false | a (step 2) |"), "webauthn: {md}");
    assert!(
        md.contains("| access token revoked by GlobalSignOut | a (step 2) |"),
        "{md}"
    );
    assert!(
        md.contains("| pattern-valid string that is not a JWT | b (step 0) |"),
        "{md}"
    );
    assert!(md.contains("| missing | b (step 1) |"), "{md}");
    assert!(
        md.contains("| forged: exp in the past (expired) | — |"),
        "{md}"
    );
}

#[test]
fn every_exception_cell_is_a_scenario_or_a_reason() {
    let c = render(&input());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert!(
        c.markdown
            .contains("| `NotAuthorizedException` | ✅ a (step 2), b (step 0) |"),
        "{}",
        c.markdown
    );
    assert!(c
        .markdown
        .contains("| `ForbiddenException` | not reached: needs an AWS WAF web ACL |"));
}

#[test]
fn gaps_and_stale_reasons_are_problems() {
    let mut i = input();
    i.exceptions.push("InternalErrorException".into());
    i.unreachable.push(Unreachable {
        exception: "InvalidParameterException".into(),
        target: "moto".into(),
        reason: "stale".into(),
        line: 7,
    });
    let c = render(&i);
    assert_eq!(c.problems.len(), 2, "{:?}", c.problems);
    assert!(c.problems[0].contains("docs/unreachable.yaml:7"));
    assert!(c.problems[1].contains("`InternalErrorException` on `moto`"));
    assert!(c.markdown.contains("**gap**"));
}
