//! Unit tests of `verdict::contract`.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::scenario::ast::Node;
use serde_json::json;

fn expect() -> Expect {
    Expect {
        span: Span::new(10, 5),
        status: Some(Node::new(400, Span::new(11, 15))),
        error: Some(Node::new(
            "NotAuthorizedException".into(),
            Span::new(12, 14),
        )),
        message: Some(Node::new(
            "^Invalid Access Token$".into(),
            Span::new(13, 16),
        )),
        body: None,
        absent: Vec::new(),
        present: Vec::new(),
        unordered: Vec::new(),
        source: Node::new("T1".into(), Span::new(14, 15)),
        confidence: Confidence::MediumHigh,
    }
}

fn obs(status: u16, error: Option<&str>, message: Option<&str>) -> Observation {
    Observation {
        status,
        error: error.map(Into::into),
        message: message.map(Into::into),
        body: json!({}),
        headers: Default::default(),
        wire: Default::default(),
    }
}

#[test]
fn matching_observation_has_no_deviation() {
    let o = obs(
        400,
        Some("NotAuthorizedException"),
        Some("Invalid Access Token"),
    );
    assert!(check(&expect(), &o, None).is_empty());
}

#[test]
fn each_failed_part_is_reported_at_its_own_line() {
    let o = obs(200, None, None);
    let d = check(&expect(), &o, None);
    let lines: Vec<_> = d.iter().map(|d| (d.check, d.span.line)).collect();
    assert_eq!(
        lines,
        vec![
            (Check::Status, 11),
            (Check::Error, 12),
            (Check::Message, 13)
        ]
    );
    assert_eq!(d[1].actual, "no error (status 200)");
    assert!(d
        .iter()
        .all(|d| d.source == "T1" && d.confidence == Confidence::MediumHigh));
}

#[test]
fn message_is_a_regex_not_an_exact_string() {
    let mut e = expect();
    e.message = Some(Node::new("Invalid Access".into(), Span::new(13, 16)));
    let o = obs(
        400,
        Some("NotAuthorizedException"),
        Some("Invalid Access Token"),
    );
    assert!(check(&e, &o, None).is_empty());
    let o = obs(
        400,
        Some("NotAuthorizedException"),
        Some("<access-token:alice>"),
    );
    assert_eq!(
        check(&e, &o, None)[0].actual,
        "message \"<access-token:alice>\""
    );
}

#[test]
fn absent_members_must_be_missing_not_merely_empty() {
    let mut e = expect();
    e.status = None;
    e.error = None;
    e.message = None;
    e.absent = vec![
        Node::new("$.UserMFASettingList".into(), Span::new(15, 9)),
        Node::new("$.PreferredMfaSetting".into(), Span::new(16, 9)),
    ];
    let mut o = obs(200, None, None);
    o.body = json!({"Username": "alice"});
    assert!(check(&e, &o, None).is_empty());
    o.body = json!({"Username": "alice", "UserMFASettingList": []});
    let d = check(&e, &o, None);
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].check, d[0].span.line), (Check::Absent, 15));
    assert_eq!(d[0].actual, "$.UserMFASettingList present: []");
    assert_eq!(d[0].expected, "no member at $.UserMFASettingList");
    o.body = json!({"PreferredMfaSetting": null});
    assert_eq!(
        check(&e, &o, None)[0].span.line,
        16,
        "null is sent, so present"
    );
    assert_eq!(Check::parse("absent"), Some(Check::Absent));
}

#[test]
fn present_members_may_be_empty_but_not_missing() {
    let mut e = expect();
    (e.status, e.error, e.message) = (None, None, None);
    e.present = vec![Node::new(
        "$.ChallengeParameters.CODE_DELIVERY_DESTINATION".into(),
        Span::new(17, 9),
    )];
    let mut o = obs(200, None, None);
    o.body = json!({"ChallengeParameters": {"CODE_DELIVERY_DESTINATION": ""}});
    assert!(check(&e, &o, None).is_empty());
    o.body = json!({"ChallengeParameters": {}});
    let d = check(&e, &o, None);
    assert_eq!(
        (d.len(), d[0].check, d[0].span.line),
        (1, Check::Present, 17)
    );
    assert_eq!(
        d[0].actual,
        "no member at $.ChallengeParameters.CODE_DELIVERY_DESTINATION"
    );
    assert_eq!(Check::parse("present"), Some(Check::Present));
}

#[test]
fn unordered_lists_match_in_any_order_but_keep_their_counts() {
    let mut e = expect();
    (e.status, e.error, e.message) = (None, None, None);
    e.body = Some(crate::scenario::ast::Value::Null(Span::new(18, 9)));
    e.unordered = vec![Node::new("$.L".into(), Span::new(19, 9))];
    let expected = json!({"L": ["A", "B", "A"], "M": ["X", "Y"]});
    let mut o = obs(200, None, None);
    o.body = json!({"L": ["B", "A", "A"], "M": ["X", "Y"]});
    assert!(check(&e, &o, Some(&expected)).is_empty());
    o.body = json!({"L": ["B", "B", "A"], "M": ["X", "Y"]});
    assert_eq!(check(&e, &o, Some(&expected))[0].check, Check::Body);
    o.body = json!({"L": ["A", "B", "A", "C"], "M": ["X", "Y"]});
    assert_eq!(check(&e, &o, Some(&expected)).len(), 1, "extra element");
    o.body = json!({"L": ["A", "A", "B"], "M": ["Y", "X"]});
    assert_eq!(
        check(&e, &o, Some(&expected)).len(),
        1,
        "M is not unordered"
    );
}

#[test]
fn subset_ignores_extra_members_but_not_missing_ones() {
    assert!(is_subset(
        &json!({"A": {"B": 1}}),
        &json!({"A": {"B": 1, "C": 2}, "D": 3})
    ));
    assert!(!is_subset(&json!({"A": {"B": 1}}), &json!({"A": {}})));
    assert!(!is_subset(&json!({"L": []}), &json!({})));
    assert!(!is_subset(&json!([1]), &json!([1, 2])));
}
