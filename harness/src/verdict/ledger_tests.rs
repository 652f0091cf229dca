//! Unit tests of `verdict::ledger`.
#![allow(clippy::unwrap_used)]

use super::*;

const LEDGER: &str = "\
# comment
- scenario: garbage-token
  path: $.steps[0].message
  step: set preference
  reason: moto echoes the token instead of \"Invalid Access Token\"
  review-by: 2027-01-31
- scenario: empty-token
  path: $.steps[1]
  reason: moto answers NotAuthorizedException
  link: https://github.com/getmoto/moto/issues/1
";

#[test]
fn parses_entries_with_their_lines_and_step_index() {
    let l = parse("d.yaml", LEDGER).unwrap();
    assert_eq!(l.len(), 2);
    assert_eq!((l[0].step_index, l[0].line), (0, 2));
    assert_eq!(l[0].step.as_deref(), Some("set preference"));
    assert_eq!(
        (l[1].step_index, l[1].line, l[1].review_by.as_deref()),
        (1, 7, None)
    );
    assert!(l[1].link.is_some());
}

#[test]
fn lookup_matches_at_or_under_the_entry_path() {
    let l = parse("d.yaml", LEDGER).unwrap();
    assert!(lookup(&l, "garbage-token", &location(0, Check::Message), None).is_some());
    assert!(lookup(&l, "garbage-token", &location(0, Check::Error), None).is_none());
    assert!(lookup(&l, "garbage-token", &location(1, Check::Message), None).is_none());
    assert!(lookup(&l, "empty-token", "$.steps[1].body.A[0]", None).is_some());
    assert!(lookup(&l, "empty-token", "$.steps[10].error", None).is_none());
    assert!(lookup(&l, "other", &location(0, Check::Message), None).is_none());
}

#[test]
fn model_findings_need_an_entry_naming_their_rule() {
    let text = "- scenario: s\n  path: $.steps[2].body.SecretCode\n  rule: min\n  reason: r\n";
    let l = parse("d.yaml", text).unwrap();
    assert_eq!(l[0].rule, Some(Rule::Min));
    let at = "$.steps[2].body.SecretCode";
    assert!(lookup(&l, "s", at, Some(Rule::Min)).is_some());
    assert!(lookup(&l, "s", at, Some(Rule::Pattern)).is_none());
    assert!(
        lookup(&l, "s", at, None).is_none(),
        "an expect: check is not known by it"
    );
    assert!(lookup_any(&l, "s", at).is_some());
    let plain = parse("d.yaml", LEDGER).unwrap();
    assert!(lookup(&plain, "empty-token", "$.steps[1].body.A", Some(Rule::Type)).is_none());
    let e = parse(
        "d.yaml",
        "- scenario: s\n  path: $.steps[0]\n  rule: size\n  reason: r\n",
    )
    .unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.message.contains("unknown `rule` `size`"), "{e}");
}

#[test]
fn operation_entries_know_members_outside_the_model_in_every_answer() {
    let text = "- operation: GetUser\n  path: $.UserStatus\n  rule: unknown-member\n  reason: r\n";
    let l = parse("d.yaml", text).unwrap();
    assert_eq!(
        (l[0].operation.as_deref(), l[0].scenario.as_str()),
        (Some("GetUser"), "")
    );
    assert!(lookup_operation(&l, "GetUser", "$.UserStatus", Rule::UnknownMember).is_some());
    assert!(lookup_operation(&l, "AdminGetUser", "$.UserStatus", Rule::UnknownMember).is_none());
    assert!(lookup_operation(&l, "GetUser", "$.Enabled", Rule::UnknownMember).is_none());
    assert!(lookup(&l, "", "$.UserStatus", Some(Rule::UnknownMember)).is_none());
    assert!(lookup_any(&l, "", "$.UserStatus").is_none());
    for bad in [
        "- operation: GetUser\n  path: $.UserStatus\n  rule: type\n  reason: r\n",
        "- operation: GetUser\n  path: $.UserStatus\n  reason: r\n",
        "- operation: GetUser\n  scenario: s\n  path: $.steps[0]\n  reason: r\n",
        "- path: $.steps[0]\n  reason: r\n",
    ] {
        assert!(parse("d.yaml", bad).is_err(), "{bad}");
    }
}

#[test]
fn a_model_deviation_is_located_at_its_body_path() {
    let v = crate::model::Violation {
        path: "$.SecretCode".into(),
        rule: Rule::Min,
        shape: "SecretCodeType".into(),
        expected: "at least 16 characters".into(),
        actual: "12 characters".into(),
    };
    let dev = Deviation::from_violation(&v, crate::span::Span::new(3, 4), str::to_owned);
    assert_eq!(location_of(2, &dev), "$.steps[2].body.SecretCode");
    assert_eq!(dev.source, "model");
    assert!(dev.is_binding());
    let warn = Deviation::from_violation(
        &crate::model::Violation {
            rule: Rule::UnknownMember,
            ..v
        },
        crate::span::Span::new(3, 4),
        str::to_owned,
    );
    assert!(!warn.is_binding());
}

#[test]
fn covers_respects_segment_boundaries() {
    assert!(covers("$.steps[0].body", "$.steps[0].body"));
    assert!(covers("$.steps[0].body", "$.steps[0].body[\"a b\"]"));
    assert!(!covers("$.steps[0].body", "$.steps[0].bodyX"));
    assert!(!covers("$.steps[1]", "$.steps[12].status"));
}

#[test]
fn expiry_compares_dates() {
    let l = parse("d.yaml", LEDGER).unwrap();
    assert!(!is_expired(&l[0], "2027-01-31"));
    assert!(is_expired(&l[0], "2027-02-01"));
    assert!(!is_expired(&l[1], "2099-01-01"));
}

#[test]
fn bad_entries_are_errors_with_lines() {
    let e = parse("d.yaml", "- scenario: a\n  path: $.step[0]\n  reason: r\n").unwrap_err();
    assert_eq!(e.line, 2);
    assert!(e.message.contains("like `$.steps[0].message`"), "{e}");
    let e = parse("d.yaml", "- scenario: a\n  path: steps[0]\n  reason: r\n").unwrap_err();
    assert!(e.message.contains("not a JSON path"), "{e}");
    let e = parse(
        "d.yaml",
        "- scenario: a\n  path: $.steps[0]\n  reason: r\n  review-by: 31.12.2027\n",
    )
    .unwrap_err();
    assert_eq!(e.line, 4);
    let e = parse(
        "d.yaml",
        "- scenario: a\n  path: $.steps[0]\n  reason: r\n  why: x\n",
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("d.yaml:"), "{e}");
    assert!(e.line > 0, "{e}");
    let e = parse(
        "d.yaml",
        "- scenario: a\n  step: b\n  check: body\n  reason: r\n",
    )
    .unwrap_err();
    assert_eq!(e.line, 3);
    assert!(
        e.message.contains("`path: $.steps[<step index>].body`"),
        "{e}"
    );
}

#[test]
fn a_file_of_comments_is_an_empty_ledger() {
    assert!(parse("d.yaml", "# nothing yet\n\n").unwrap().is_empty());
}
