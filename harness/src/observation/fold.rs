//! Protocol-equivalent folding: forms of an answer that every awsJson1.1 client reads the same way are
//! stored in one normal form, so a change between them is never drift.
//!
//! The error type may travel in the `X-Amzn-Errortype` header, the body's `__type` or the body's `code`,
//! each as `Name`, `ns#Name` or `Name:http://internal.amazon.com/...`; clients strip what follows the
//! first `:` and what precedes `#` (Smithy awsJson1_1 protocol, "Operation error serialization";
//! aws-contract.md P1, P3). The observation's `error` is the normal form by the parser's order. The body
//! members `__type` and `code` keep their place with their normal form (botocore reads only `__type`, so
//! a body that loses it is drift); the header is read by SDKs only before the body, which names the same
//! type, so it moves to the wire detail whole. Raw forms are kept as wire detail in
//! [`Observation::wire`], where a change is a note. Likewise a JSON media type (`application/json`,
//! `application/x-amz-json-1.0`, parameters such as `charset`) is stored as `application/x-amz-json-1.1`:
//! clients parse the body whatever the response says. Member order, whitespace and number spelling never
//! reach an observation at all: bodies are parsed JSON values. Rules and sources: `docs/normalisation.md`.

use serde_json::Value;

use super::Observation;
use crate::exchange::smithy::{is_json_type, sanitize_error_type};
use crate::exchange::wire::CONTENT_TYPE;

/// The observation member that holds wire detail.
pub const WIRE: &str = "wire";

/// The error-type carriers: where each sits in an observation, and its name as a wire-detail key.
const HEADER: &str = "x-amzn-errortype";
const BODY_MEMBERS: [&str; 2] = ["__type", "code"];

/// Folds every error-type carrier of an error observation into its normal form (pure): the header
/// moves whole to `wire`, and each body member that differs from its normal form keeps its raw form
/// there. Success answers are left alone: `__type` or `code` there is data.
pub fn fold_error_forms(obs: &mut Observation) {
    if obs.error.is_none() {
        return;
    }
    if let Some(raw) = obs.headers.remove(HEADER) {
        obs.wire.insert(format!("headers.{HEADER}"), raw);
    }
    if let Value::Object(members) = &mut obs.body {
        for key in BODY_MEMBERS {
            if let Some(Value::String(raw)) = members.get_mut(key) {
                if let Some(original) = fold(raw) {
                    obs.wire.insert(format!("body.{key}"), original);
                }
            }
        }
    }
}

/// Stores a JSON media type in the `content-type` header as `application/x-amz-json-1.1`, keeping a
/// differing raw form in `wire` (pure). Other media types (a raw step's HTML page) are left alone.
pub fn fold_content_type(obs: &mut Observation) {
    if let Some(raw) = obs.headers.get_mut("content-type") {
        if is_json_type(raw) && raw != CONTENT_TYPE {
            let original = std::mem::replace(raw, CONTENT_TYPE.to_owned());
            obs.wire.insert("headers.content-type".to_owned(), original);
        }
    }
}

/// Replaces `raw` by its normal form; returns the raw form when it differed.
fn fold(raw: &mut String) -> Option<String> {
    let normal = sanitize_error_type(raw).to_owned();
    (normal != *raw).then(|| std::mem::replace(raw, normal))
}

/// Whether a JSON path into an observation document (`$.steps[2].wire["body.__type"]`) is wire detail.
pub fn is_wire_detail(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("$.steps[") else {
        return false;
    };
    let after_index = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    after_index
        .strip_prefix("].")
        .and_then(|r| r.strip_prefix(WIRE))
        .is_some_and(|r| r.is_empty() || r.starts_with(['.', '[']))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn error(header: Option<&str>, body: Value) -> Observation {
        Observation {
            status: 400,
            error: Some("NotAuthorizedException".into()),
            message: None,
            body,
            headers: header
                .map(|h| BTreeMap::from([(HEADER.to_owned(), h.to_owned())]))
                .unwrap_or_default(),
            wire: BTreeMap::new(),
        }
    }

    fn folded(mut obs: Observation) -> Observation {
        fold_error_forms(&mut obs);
        obs
    }

    #[test]
    fn a_namespace_is_folded_and_kept_as_wire_detail() {
        let obs = folded(error(
            None,
            json!({"__type": "com.amazonaws.cognito#NotAuthorizedException", "message": "m"}),
        ));
        assert_eq!(
            obs.body,
            json!({"__type": "NotAuthorizedException", "message": "m"})
        );
        assert_eq!(
            obs.wire,
            BTreeMap::from([(
                "body.__type".to_owned(),
                "com.amazonaws.cognito#NotAuthorizedException".to_owned()
            )])
        );
    }

    #[test]
    fn a_suffix_after_a_colon_is_folded_in_every_carrier() {
        let obs = folded(error(
            Some("NotAuthorizedException:http://internal.amazon.com/coral/x/"),
            json!({"code": "NotAuthorizedException:", "__type": "NotAuthorizedException"}),
        ));
        assert_eq!(
            obs.headers.get(HEADER),
            None,
            "the header is wire detail only"
        );
        assert_eq!(
            obs.wire["headers.x-amzn-errortype"],
            "NotAuthorizedException:http://internal.amazon.com/coral/x/"
        );
        assert_eq!(obs.body["code"], "NotAuthorizedException");
        assert_eq!(obs.body["__type"], "NotAuthorizedException");
        assert_eq!(
            obs.wire.keys().collect::<Vec<_>>(),
            ["body.code", "headers.x-amzn-errortype"]
        );
    }

    #[test]
    fn forms_that_only_differ_on_the_wire_fold_to_the_same_observation() {
        let bare = folded(error(
            Some("NotAuthorizedException"),
            json!({"__type": "NotAuthorizedException"}),
        ));
        let dressed = folded(error(
            Some("NotAuthorizedException:"),
            json!({"__type": "aws.cognito#NotAuthorizedException"}),
        ));
        let strip = |mut o: Observation| {
            o.wire.clear();
            o
        };
        assert_eq!(strip(bare.clone()), strip(dressed.clone()));
        assert_eq!(bare.wire.len(), 1, "the header's raw form");
        assert_eq!(dressed.wire.len(), 2);
        let (wire, drift) = compared(bare, dressed);
        assert!(drift.is_empty(), "{drift:?}");
        assert_eq!(wire.len(), 2, "{wire:?}");
    }

    #[test]
    fn a_header_that_comes_or_goes_is_wire_detail_and_a_body_type_that_goes_is_drift() {
        let both = || {
            error(
                Some("NotAuthorizedException"),
                json!({"__type": "NotAuthorizedException"}),
            )
        };
        let body_only = error(None, json!({"__type": "NotAuthorizedException"}));
        let (wire, drift) = compared(both(), body_only);
        assert!(drift.is_empty(), "SDKs fall back to the body: {drift:?}");
        assert_eq!(wire, ["$.steps[0].wire"]);
        let header_only = error(Some("NotAuthorizedException"), json!({}));
        let (_, drift) = compared(both(), header_only);
        assert_eq!(
            drift,
            ["$.steps[0].body.__type"],
            "botocore reads only __type (P3)"
        );
    }

    #[test]
    fn a_change_of_normal_form_or_of_carrier_stays_visible() {
        let other = folded(error(
            None,
            json!({"__type": "ns#InvalidParameterException"}),
        ));
        assert_eq!(other.body["__type"], "InvalidParameterException");
        let header_only = folded(error(
            Some("NotAuthorizedException"),
            json!({"message": "m"}),
        ));
        assert_eq!(
            header_only.body.get("__type"),
            None,
            "a carrier is never invented"
        );
        assert_eq!(header_only.wire.len(), 1);
    }

    #[test]
    fn success_bodies_and_non_string_members_are_left_alone() {
        let mut ok = error(None, json!({"__type": "a#b", "code": 7}));
        ok.error = None;
        assert_eq!(folded(ok.clone()), ok);
        let typed = folded(error(None, json!({"code": 7})));
        assert_eq!(typed.body, json!({"code": 7}));
    }

    /// The paths where two answers' observation documents differ, split into wire detail and drift.
    fn compared(a: Observation, b: Observation) -> (Vec<String>, Vec<String>) {
        let doc = |o: Observation| json!({"steps": [serde_json::to_value(folded(o)).unwrap()]});
        crate::verdict::diff::diff(&doc(a), &doc(b))
            .into_iter()
            .map(|d| d.path)
            .partition(|p| is_wire_detail(p))
    }

    #[test]
    fn equivalent_forms_differ_only_in_wire_detail_and_other_types_are_drift() {
        let plain = || {
            error(
                Some("NotAuthorizedException"),
                json!({"__type": "NotAuthorizedException"}),
            )
        };
        let namespaced = error(
            Some("com.amazonaws.cognito#NotAuthorizedException"),
            json!({"__type": "com.amazonaws.cognito#NotAuthorizedException"}),
        );
        let (wire, drift) = compared(plain(), namespaced);
        assert!(drift.is_empty(), "{drift:?}");
        assert_eq!(
            wire,
            [
                "$.steps[0].wire[\"headers.x-amzn-errortype\"]",
                "$.steps[0].wire[\"body.__type\"]"
            ]
        );
        let mut other = error(
            Some("UserNotFoundException"),
            json!({"__type": "ns#UserNotFoundException"}),
        );
        other.error = Some("UserNotFoundException".into());
        let (_, drift) = compared(plain(), other);
        assert_eq!(
            drift,
            ["$.steps[0].error", "$.steps[0].body.__type"],
            "the normal form is what clients see, whichever carrier has it"
        );
    }

    #[test]
    fn json_media_types_fold_and_others_stay() {
        let typed = |ct: &str| {
            let mut o = error(None, json!({}));
            o.headers.insert("content-type".into(), ct.into());
            fold_content_type(&mut o);
            o
        };
        let plain = typed("application/x-amz-json-1.1");
        assert!(plain.wire.is_empty());
        for ct in [
            "application/json",
            "application/x-amz-json-1.0",
            "application/x-amz-json-1.1; charset=UTF-8",
        ] {
            let o = typed(ct);
            assert_eq!(o.headers["content-type"], CONTENT_TYPE, "{ct}");
            assert_eq!(o.wire["headers.content-type"], ct);
            let (wire, drift) = compared(plain.clone(), o);
            assert!(
                drift.is_empty() && wire.len() == 1,
                "{ct}: {wire:?} {drift:?}"
            );
        }
        let html = typed("text/html");
        assert_eq!(html.headers["content-type"], "text/html");
        assert!(html.wire.is_empty());
        let (_, drift) = compared(plain, html);
        assert_eq!(drift, ["$.steps[0].headers[\"content-type\"]"]);
    }

    #[test]
    fn wire_detail_paths() {
        assert!(is_wire_detail("$.steps[0].wire"));
        assert!(is_wire_detail("$.steps[12].wire[\"body.__type\"]"));
        assert!(!is_wire_detail("$.steps[0].wired"));
        assert!(!is_wire_detail("$.steps[0].body.wire"));
        assert!(!is_wire_detail("$.steps[0].error"));
        assert!(!is_wire_detail("$.wire"));
    }
}
