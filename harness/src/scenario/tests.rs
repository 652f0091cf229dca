//! Loading whole scenario files: a valid one into the AST, malformed ones into rendered diagnostics.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use super::ast::{
    Action, Confidence, MfaConfiguration, RawBody, TemplatePart, TotpEnrolment, UserStatus, Value,
};
use super::load;
use crate::diagnostic::render_all;
use crate::model::cognito;
use crate::span::Span;

const VALID: &str = r#"name: totp-preferred-after-verification
description: A verified TOTP authenticator can be made the preferred factor.
tags: [totp, set-user-mfa-preference]
targets: [moto]
fixtures:
  pool:
    mfa: OPTIONAL
    tier: ESSENTIALS
    software_token_mfa: true
    email_mfa: { subject: Your code, message: "code {####}" }
  users:
    alice:
      attributes: { email: alice@example.com, email_verified: true }
      sign_in: true
      totp: verified
    bob:
      status: unconfirmed
steps:
  - name: prefer totp
    call: SetUserMFAPreference
    input:
      AccessToken: ${alice.access_token}
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true }
    expect:
      status: 200
      source: S2
  - name: read back
    call: GetUser
    input: { AccessToken: "${alice.access_token}" }
    capture:
      preferred: $.PreferredMfaSetting
    expect:
      body: { PreferredMfaSetting: SOFTWARE_TOKEN_MFA }
      source: G4
      confidence: MED-HIGH
  - name: wrong json type
    raw:
      operation: SetUserMFAPreference
      headers: { Content-Type: application/x-amz-json-1.1 }
      json: { AccessToken: "${alice.access_token}", SoftwareTokenMfaSettings: "${preferred}" }
      sign: false
    expect:
      status: 400
      error: SerializationException
      message: "^Start of structure"
      source: P5
      confidence: MEDIUM
"#;

fn errors(src: &str) -> String {
    let path = Path::new("scenarios/bad.yaml");
    match load(path, src, cognito()) {
        Ok(_) => panic!("expected errors for:\n{src}"),
        Err(diagnostics) => render_all(&diagnostics, src, false),
    }
}

#[test]
fn a_valid_scenario_loads_into_the_ast() {
    let s = load(Path::new("ok.yaml"), VALID, cognito()).unwrap();
    assert_eq!(s.name.value, "totp-preferred-after-verification");
    assert_eq!(s.name.span, Span::new(1, 7));
    assert_eq!(s.tags, ["totp", "set-user-mfa-preference"]);
    assert_eq!(
        s.targets
            .unwrap()
            .iter()
            .map(|t| t.value.as_str())
            .collect::<Vec<_>>(),
        ["moto"]
    );
    assert_eq!(s.source, VALID);

    let pool = &s.fixtures.pool;
    assert_eq!(
        (pool.mfa, pool.tier.as_deref(), pool.software_token_mfa),
        (MfaConfiguration::Optional, Some("ESSENTIALS"), true)
    );
    assert_eq!(
        pool.email_mfa.as_ref().unwrap().message.as_deref(),
        Some("code {####}")
    );
    assert!(pool.sms_mfa.is_none());
    assert_eq!(
        s.fixtures.client.auth_flows,
        ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    );
    let [alice, bob] = &s.fixtures.users[..] else {
        panic!("two users expected")
    };
    assert_eq!(
        alice.attributes,
        [
            ("email".into(), "alice@example.com".into()),
            ("email_verified".into(), "true".into())
        ]
    );
    assert_eq!(
        (alice.sign_in, alice.totp, alice.status),
        (true, TotpEnrolment::Verified, UserStatus::Confirmed)
    );
    assert_eq!(
        (bob.name.value.as_str(), bob.status, bob.sign_in),
        ("bob", UserStatus::Unconfirmed, false)
    );

    assert_eq!(s.steps.len(), 3);
    let Action::Call { operation, input } = &s.steps[0].action else {
        panic!("call expected")
    };
    assert_eq!(operation.value, "SetUserMFAPreference");
    let Value::Map(members, span) = input else {
        panic!("map expected")
    };
    assert_eq!(*span, Span::new(22, 7));
    assert_eq!(members[0].0.value, "AccessToken");
    let Value::String(token) = &members[0].1 else {
        panic!("string expected")
    };
    assert_eq!(
        token.parts,
        [TemplatePart::Var {
            name: "alice.access_token".into(),
            span: Span::new(22, 20)
        }]
    );
    let expect = s.steps[0].expect.as_ref().unwrap();
    assert_eq!(
        (
            expect.status.as_ref().unwrap().value,
            expect.source.value.as_str()
        ),
        (200, "S2")
    );
    assert_eq!(expect.confidence, Confidence::High);

    let read_back = &s.steps[1];
    assert_eq!(read_back.capture[0].name.value, "preferred");
    assert_eq!(read_back.capture[0].path.value, "$.PreferredMfaSetting");
    assert_eq!(
        read_back.expect.as_ref().unwrap().confidence,
        Confidence::MediumHigh
    );

    let Action::Raw(raw) = &s.steps[2].action else {
        panic!("raw expected")
    };
    assert_eq!(
        raw.operation.as_ref().unwrap().value,
        "SetUserMFAPreference"
    );
    assert_eq!(raw.headers[0].0.value, "Content-Type");
    assert_eq!(raw.sign, Some(false));
    let RawBody::Json(body) = &raw.body else {
        panic!("json body expected")
    };
    let vars: Vec<_> = super::variables_in(body).into_iter().cloned().collect();
    assert_eq!(
        vars[1],
        TemplatePart::Var {
            name: "preferred".into(),
            span: Span::new(40, 80)
        }
    );
    assert_eq!(
        s.steps[2]
            .expect
            .as_ref()
            .unwrap()
            .error
            .as_ref()
            .unwrap()
            .value,
        "SerializationException"
    );
}

#[test]
fn the_documented_example_loads() {
    let doc = include_str!("../../../docs/scenario-format.md");
    let start = doc.find("```yaml\n").unwrap() + "```yaml\n".len();
    let example = &doc[start..start + doc[start..].find("```").unwrap()];
    if let Err(errors) = load(Path::new("doc.yaml"), example, cognito()) {
        panic!("{}", render_all(&errors, example, false));
    }
}

#[test]
fn unknown_keys_get_suggestions() {
    insta::assert_snapshot!(errors(
        "name: x\ndesciption: y\nfixtures:\n  pool: { mfa: OFF, sofware_token_mfa: true }\n  user: {}\nsteps:\n  - name: a\n    call: GetUser\n    input: { AccessToken: t }\n    expcet: { source: T1 }\n"
    ));
}

#[test]
fn yaml_syntax_error_points_at_the_problem() {
    insta::assert_snapshot!(errors("name: x\nsteps:\n  - name: a\n    call: [GetUser\n"));
}

#[test]
fn missing_and_mistyped_top_level_keys() {
    insta::assert_snapshot!(errors("name: Not Kebab\ntags: totp\n"));
}

#[test]
fn duplicate_steps_and_users() {
    insta::assert_snapshot!(errors(
        "name: x\nfixtures:\n  users:\n    alice: {}\n    alice: { sign_in: true }\nsteps:\n  - name: same\n    call: GetUser\n    input: { AccessToken: t }\n  - name: same\n    call: GetUser\n    input: { AccessToken: t }\n"
    ));
}

#[test]
fn bad_enum_values_and_totp_without_sign_in() {
    insta::assert_snapshot!(errors(
        "name: x\nfixtures:\n  pool:\n    mfa: optional\n  users:\n    alice:\n      totp: verifed\n    bob:\n      totp: associated\nsteps:\n  - name: a\n    call: GetUser\n    input: { AccessToken: t }\n    expect: { source: T1, confidence: HIGHEST }\n"
    ));
}

#[test]
fn steps_need_exactly_one_action_and_raw_one_body() {
    insta::assert_snapshot!(errors(
        "name: x\nsteps:\n  - name: both\n    call: GetUser\n    raw: { body: '' }\n  - name: neither\n  - name: two bodies\n    raw:\n      body: '{'\n      json: {}\n  - name: no body\n    raw: { operation: GetUser }\n  - name: bad base64\n    raw: { body_base64: '!!!' }\n    input: {}\n"
    ));
}

#[test]
fn operations_and_input_are_checked_against_the_model() {
    insta::assert_snapshot!(errors(
        "name: x\nfixtures:\n  users: { alice: { sign_in: true } }\nsteps:\n  - name: typo op\n    call: SetUserMfaPreference\n  - name: bad input\n    call: SetUserMFAPreference\n    input:\n      AccesToken: ${alice.access_token}\n      SoftwareTokenMfaSettings: { Enabled: \"yes\", PreferredMfa: 1 }\n"
    ));
}

#[test]
fn undefined_variables_point_at_the_variable() {
    insta::assert_snapshot!(errors(
        "name: x\nfixtures:\n  users:\n    alice: { sign_in: true }\n    bob: {}\nsteps:\n  - name: first\n    call: GetUser\n    input: { AccessToken: \"Bearer ${alice.acces_token}\" }\n  - name: second\n    call: GetUser\n    input: { AccessToken: \"${bob.access_token}${later}\" }\n    capture: { later: $.Username }\n  - name: third\n    raw:\n      target: ${region}\n      body: |\n        {\"AccessToken\": \"${alice.totp_code}\",\n         \"x\": \"${unterminated\"\n"
    ));
}

#[test]
fn expectations_are_checked() {
    insta::assert_snapshot!(errors(
        "name: x\nsteps:\n  - name: a\n    call: GetUser\n    input: { AccessToken: t }\n    capture: { pool: $.A, tok: Username, tok: $.B }\n    expect:\n      status: 700\n      message: \"(unclosed\"\n      source: t1\n  - name: b\n    call: GetUser\n    input: { AccessToken: t }\n    expect: { status: \"200\" }\n"
    ));
}

#[test]
fn empty_and_non_map_files() {
    insta::assert_snapshot!(errors(""));
    insta::assert_snapshot!(errors("- just\n- a list\n"));
}

#[test]
fn unknown_auth_flow_and_capture_reuse() {
    insta::assert_snapshot!(errors(
        "name: x\nfixtures:\n  client: { auth_flows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKENS_AUTH] }\nsteps:\n  - name: a\n    call: GetUser\n    input: { AccessToken: t }\n    capture: { u: $.Username }\n  - name: b\n    call: GetUser\n    input: { AccessToken: t }\n    capture: { u: $.Username }\n"
    ));
}

#[test]
fn multiple_documents_and_alias_bombs_are_refused() {
    let two = errors("name: a\n---\nname: b\n");
    assert!(
        two.contains("error: a scenario file holds one YAML document"),
        "{two}"
    );
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let prev = format!("*a{}", i - 1);
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            [prev.as_str(); 10].join(", ")
        ));
    }
    let out = errors(&bomb);
    assert!(out.starts_with("error: "), "{out}");
    assert!(!out.contains("bad.yaml:0"), "{out}");
}

#[test]
fn rejects_non_finite_numbers_and_deep_nesting() {
    let out = errors("name: x\nsteps: [{ name: a, raw: { json: .nan } }]\n");
    assert!(
        out.contains("error: invalid YAML") || out.contains("cannot be sent as JSON"),
        "{out}"
    );
    let deep = format!("name: x\nsteps: {}{}\n", "[".repeat(200), "]".repeat(200));
    let out = errors(&deep);
    assert!(
        out.starts_with("error: scenario file is too large or too deeply nested"),
        "{out}"
    );
}

#[test]
fn load_file_reports_unreadable_and_non_utf8_files() {
    let missing = super::load_file(Path::new("/nonexistent/scenario.yaml"), cognito()).unwrap_err();
    assert_eq!(missing[0].title, "cannot read scenario file");
    assert_eq!(missing[0].span, Span::UNKNOWN);

    let dir = std::env::temp_dir().join(format!("cognito-drift-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, b"name: x\nsteps: [\xff]\n").unwrap();
    let errors = super::load_file(&bad, cognito()).unwrap_err();
    assert_eq!(
        (errors[0].title.as_str(), errors[0].span),
        ("scenario file is not valid UTF-8", Span::new(2, 9))
    );
    // Old Mac line endings: the invalid byte is on the line the renderer shows as line 2.
    std::fs::write(&bad, b"name: x\rsteps: [\xff]\r").unwrap();
    let errors = super::load_file(&bad, cognito()).unwrap_err();
    assert_eq!(errors[0].span, Span::new(2, 9));

    let good = dir.join("good.yaml");
    std::fs::write(&good, VALID).unwrap();
    let loaded = super::load_file(&good, cognito()).unwrap();
    assert_eq!(loaded.path, good);
    std::fs::remove_dir_all(&dir).unwrap();
}
