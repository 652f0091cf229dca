//! Forged tokens, `totp_code_last` and `expect.absent`: what loads and what is refused, with positions.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use super::load;
use crate::diagnostic::render_all;
use crate::model::cognito;
use crate::span::Span;

fn errors(src: &str) -> String {
    match load(Path::new("scenarios/bad.yaml"), src, cognito()) {
        Ok(_) => panic!("expected errors for:\n{src}"),
        Err(diagnostics) => render_all(&diagnostics, src, false),
    }
}

const USERS: &str = "name: x\nfixtures:\n  users:\n    alice: { sign_in: true, totp: associated }\n    bob: {}\n    carol: { sign_in: true, totp: verified }\nsteps:\n";

fn with_steps(steps: &str) -> String {
    format!("{USERS}{steps}")
}

#[test]
fn forged_tokens_of_signed_in_users_load() {
    let src = with_steps(
        "  - name: a\n    call: GetUser\n    input: { AccessToken: \"${alice.forged.alg_none}\" }\n  - name: b\n    call: GetUser\n    input: { AccessToken: \"${alice.forged.bad_signature}${alice.forged.expired}${alice.forged.sub_of.bob}${carol.forged.sub_of.alice}\" }\n",
    );
    if let Err(e) = load(Path::new("ok.yaml"), &src, cognito()) {
        panic!("{}", render_all(&e, &src, false));
    }
}

#[test]
fn forged_tokens_need_a_signed_in_user_and_another_known_user() {
    insta::assert_snapshot!(errors(&with_steps(
        "  - name: a\n    call: GetUser\n    input: { AccessToken: \"${bob.forged.alg_none}\" }\n  - name: b\n    call: GetUser\n    input: { AccessToken: \"${alice.forged.sub_of.alice}\" }\n  - name: c\n    call: GetUser\n    input: { AccessToken: \"${alice.forged.sub_of.dave}\" }\n  - name: d\n    call: GetUser\n    input: { AccessToken: \"${alice.forged.alg_none}\" }\n"
    )));
}

#[test]
fn totp_code_last_needs_a_code_sent_earlier() {
    let src = with_steps(
        "  - name: reuse too early\n    call: VerifySoftwareToken\n    input: { AccessToken: \"${alice.access_token}\", UserCode: \"${alice.totp_code_last}\" }\n  - name: send one\n    call: VerifySoftwareToken\n    input: { AccessToken: \"${alice.access_token}\", UserCode: \"${alice.totp_code}${alice.totp_code_last}\" }\n  - name: reuse it\n    call: VerifySoftwareToken\n    input: { AccessToken: \"${alice.access_token}\", UserCode: \"${alice.totp_code_last}${carol.totp_code_last}\" }\n  - name: never\n    call: VerifySoftwareToken\n    input: { AccessToken: \"${carol.access_token}\", UserCode: \"${bob.totp_code_last}\" }\n",
    );
    let out = errors(&src);
    let titles: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("error:") || l.starts_with("  -->") || l.contains("= note"))
        .collect();
    assert_eq!(
        titles,
        [
            "error: undefined variable `alice.totp_code_last`",
            "  --> scenarios/bad.yaml:10:63",
            "   = note: user `alice` has no code sent yet: use `${alice.totp_code}` in an earlier step, or `totp: verified`",
            "error: undefined variable `alice.totp_code_last`",
            "  --> scenarios/bad.yaml:13:81",
            "   = note: user `alice` has no code sent yet: use `${alice.totp_code}` in an earlier step, or `totp: verified`",
            "error: undefined variable `bob.totp_code_last`",
            "  --> scenarios/bad.yaml:19:63",
            "   = note: user `bob` has no TOTP secret: add `totp: verified`",
        ],
        "{out}"
    );
}

#[test]
fn absent_paths_are_parsed_and_checked() {
    let src = "name: x\nsteps:\n  - name: a\n    call: GetUser\n    input: { AccessToken: t }\n    expect:\n      absent: [$.UserMFASettingList, \"$.MFAOptions[0]\"]\n      source: G1\n      confidence: MED-HIGH\n";
    let s = load(Path::new("ok.yaml"), src, cognito()).unwrap();
    let absent = &s.steps[0].expect.as_ref().unwrap().absent;
    let paths: Vec<(&str, Span)> = absent.iter().map(|p| (p.value.as_str(), p.span)).collect();
    assert_eq!(
        paths,
        [
            ("$.UserMFASettingList", Span::new(7, 16)),
            ("$.MFAOptions[0]", Span::new(7, 38))
        ]
    );
    insta::assert_snapshot!(errors(
        "name: x\nsteps:\n  - name: a\n    call: GetUser\n    input: { AccessToken: t }\n    expect:\n      absent: [UserMFASettingList, $, $.A, $.A, 3]\n      source: G1\n  - name: b\n    call: GetUser\n    input: { AccessToken: t }\n    expect: { absent: $.A, source: G1 }\n"
    ));
}
