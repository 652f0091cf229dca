//! Captured TOTP secrets, temporary passwords, lists of `expect:` blocks, `present:`/`unordered:`
//! and the `email_sending` fixture: what loads and what is refused, with positions.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use super::ast::Scenario;
use super::load;
use crate::diagnostic::render_all;
use crate::model::cognito;
use crate::span::Span;

fn ok(src: &str) -> Scenario {
    load(Path::new("ok.yaml"), src, cognito())
        .unwrap_or_else(|e| panic!("{}", render_all(&e, src, false)))
}

/// The `error:`, `-->` and `= note`/`= help` lines of the rendered diagnostics.
fn headlines(src: &str) -> Vec<String> {
    let Err(diagnostics) = load(Path::new("scenarios/bad.yaml"), src, cognito()) else {
        panic!("expected errors for:\n{src}")
    };
    render_all(&diagnostics, src, false)
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("error:") || l.starts_with("-->") || l.starts_with("= "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn temporary_passwords_exist_for_users_created_by_an_administrator() {
    let head = "name: x\nfixtures:\n  users:\n    alice: { status: force_change_password }\n    bob: {}\n    carol: { status: unconfirmed }\nsteps:\n";
    ok(&format!("{head}  - name: a\n    call: InitiateAuth\n    input: {{ ClientId: c, AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {{ PASSWORD: \"${{alice.temporary_password}}${{bob.temporary_password}}\" }} }}\n"));
    let lines = headlines(&format!("{head}  - name: a\n    call: InitiateAuth\n    input: {{ ClientId: c, AuthFlow: USER_PASSWORD_AUTH, AuthParameters: {{ PASSWORD: \"${{carol.temporary_password}}\" }} }}\n"));
    assert_eq!(
        lines,
        [
            "error: undefined variable `carol.temporary_password`",
            "--> scenarios/bad.yaml:10:86",
            "= note: user `carol` signs up with SignUp and has no temporary password: use `status: force_change_password`",
        ]
    );
}

const SETUP: &str = "name: x\nsteps:\n  - name: associate\n    call: AssociateSoftwareToken\n    input: { Session: s }\n    capture: { secret: $.SecretCode, session: $.Session }\n";

#[test]
fn a_captured_secret_gives_totp_codes_in_later_steps() {
    let s = ok(&format!("{SETUP}  - name: verify\n    call: VerifySoftwareToken\n    input: {{ Session: \"${{session}}\", UserCode: \"${{secret.totp_code}}\" }}\n  - name: again\n    call: VerifySoftwareToken\n    input: {{ Session: \"${{session}}\", UserCode: \"${{secret.totp_code_last}}\" }}\n"));
    assert_eq!(s.steps.len(), 3);
}

#[test]
fn totp_codes_need_a_secret_capture_and_a_code_sent_before_reuse() {
    let lines = headlines(&format!("{SETUP}  - name: verify\n    call: VerifySoftwareToken\n    input: {{ UserCode: \"${{secret.totp_code_last}}${{session.totp_code}}\" }}\n"));
    assert_eq!(
        lines,
        [
            "error: undefined variable `secret.totp_code_last`",
            "--> scenarios/bad.yaml:9:25",
            "= note: no code for `secret` was sent yet: use `${secret.totp_code}` in an earlier step",
            "error: undefined variable `session.totp_code`",
            "--> scenarios/bad.yaml:9:49",
            "= note: capture `session` is `$.Session`, not a TOTP secret: `.totp_code` needs a capture of `$.SecretCode`",
        ]
    );
}

#[test]
fn expect_may_be_a_list_of_blocks_each_with_its_fact() {
    let s = ok("name: x\nsteps:\n  - name: a\n    call: GetUser\n    input: { AccessToken: t }\n    expect:\n      - status: 200\n        body: { L: [A, B] }\n        unordered: [$.L]\n        source: S11\n        confidence: MEDIUM\n      - present: [$.ChallengeParameters.CODE_DELIVERY_DESTINATION]\n        absent: [$.X]\n        source: A7\n");
    let blocks: Vec<_> = s.steps[0].expectations().collect();
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0].source.value, "S11");
    assert_eq!(blocks[0].unordered[0].span, Span::new(9, 21));
    assert_eq!(blocks[1].source.value, "A7");
    assert_eq!(blocks[1].present[0].span, Span::new(12, 19));
    assert_eq!(blocks[1].absent[0].value, "$.X");
}

#[test]
fn bad_present_unordered_and_empty_expect_lists_are_refused() {
    let lines = headlines("name: x\nsteps:\n  - name: a\n    call: GetUser\n    input: { AccessToken: t }\n    expect:\n      body: { L: [A], M: { N: 1 } }\n      present: [$.A, $]\n      absent: [$.A]\n      unordered: [$.M, $.Z]\n      source: S1\n  - name: b\n    call: GetUser\n    input: { AccessToken: t }\n    expect: []\n");
    assert_eq!(
        lines,
        [
            "error: `$.A` is both present and absent",
            "--> scenarios/bad.yaml:8:17",
            "= note: also listed in `absent` at line 9, column 16",
            "error: `present` needs a member path",
            "--> scenarios/bad.yaml:8:22",
            "error: `unordered` path `$.M` is not a list in `body`",
            "--> scenarios/bad.yaml:10:19",
            "= note: `unordered` makes a list of `body:` match in any order",
            "error: `unordered` path `$.Z` is not a list in `body`",
            "--> scenarios/bad.yaml:10:24",
            "= note: `unordered` makes a list of `body:` match in any order",
            "error: empty `expect` list",
            "--> scenarios/bad.yaml:15:13",
        ]
    );
}

#[test]
fn email_sending_needs_an_ses_identity_arn() {
    let s = ok("name: x\nfixtures:\n  pool:\n    email_sending:\n      source_arn: arn:aws:ses:us-east-1:123456789012:identity/example.com\n      from: cognito-drift <no-reply@example.com>\nsteps:\n  - name: a\n    call: ListUserPools\n    input: { MaxResults: 1 }\n");
    let sending = s.fixtures.pool.email_sending.unwrap();
    assert_eq!(
        sending.from.as_deref(),
        Some("cognito-drift <no-reply@example.com>")
    );
    let lines = headlines("name: x\nfixtures:\n  pool:\n    email_sending: { source_arn: arn:aws:iam::1:role/x }\nsteps:\n  - name: a\n    call: ListUserPools\n    input: { MaxResults: 1 }\n");
    assert_eq!(
        lines,
        [
            "error: `source_arn` is not an SES identity ARN",
            "--> scenarios/bad.yaml:4:34",
        ]
    );
}
