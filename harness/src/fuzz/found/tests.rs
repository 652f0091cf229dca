use arbitrary::Unstructured;

use super::*;
use crate::fuzz::doc::{Body, Doc};
use crate::fuzz::generate::{Generator, MutationKind};
use crate::fuzz::source::iteration_bytes;
use crate::model::cognito;
use crate::plan::{render_text, Bindings, Sensitivity};
use crate::scenario::ast::{Action, RawBody};

const TOKEN: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln";

fn value(v: Var) -> String {
    match v {
        Var::AccessToken => TOKEN.into(),
        Var::PoolId => "us-east-1_abc".into(),
        Var::ClientId => "client123".into(),
        Var::Username => "alice".into(),
    }
}

fn bindings() -> Bindings {
    let mut b = Bindings::default();
    for v in Var::ALL {
        b.set_str(v.name(), &value(v), Sensitivity::Plain);
    }
    b
}

fn info() -> FoundInfo<'static> {
    FoundInfo {
        target: "moto",
        seed: 1,
        iteration: 2,
        failure: "server error (5xx); answer outside the AWS JSON 1.1 protocol",
        outcome: "500 fault \"status # with a non-json body\"",
        original_len: 99,
    }
}

/// Writes the scenario, loads it with the normal loader and checks the body it would send.
fn round_trip(payload: &Payload) {
    let name = scenario_name(payload, "5xx");
    let yaml = scenario_yaml(&name, payload, &info());
    let path = std::path::Path::new("scenarios/found/x.yaml");
    let scenario = crate::scenario::load(path, &yaml, cognito())
        .unwrap_or_else(|d| panic!("written scenario does not load: {d:?}\n{yaml}"));
    assert_eq!(scenario.name.value, name);
    let Action::Raw(raw) = &scenario.steps[0].action else {
        panic!("a found scenario has one raw step");
    };
    assert_eq!(raw.operation.as_ref().unwrap().value, payload.operation);
    match &raw.body {
        RawBody::Text(t) => {
            let sent = render_text(t, &bindings()).unwrap();
            assert_eq!(sent.into_bytes(), payload.render(value), "{yaml}");
        }
        RawBody::Bytes(b) => {
            assert!(body_template(payload).is_none());
            assert_eq!(b, &payload.render(|v| format!("${{{}}}", v.name())));
        }
        RawBody::Json(_) => panic!("found scenarios use body or body_base64"),
    }
    assert!(!yaml.contains(TOKEN));
}

#[test]
fn generated_payloads_of_every_kind_load_and_send_the_same_body() {
    for op in ["SetUserMFAPreference", "AdminCreateUser", "GetUser"] {
        let g = Generator::new(cognito(), op).unwrap();
        for kind in MutationKind::ALL {
            for i in 0..25 {
                let bytes = iteration_bytes(42, i);
                round_trip(&g.generate_kind(kind, &mut Unstructured::new(&bytes)));
            }
        }
    }
}

#[test]
fn awkward_bodies_still_load() {
    let raw = |b: &[u8]| Payload {
        operation: "SetUserMFAPreference".into(),
        kind: MutationKind::RawBody,
        body: Body::Raw(b.to_vec()),
    };
    let mut dollar_before_var = b"{\"a\":\"$".to_vec();
    dollar_before_var.extend_from_slice(Var::AccessToken.marker().as_bytes());
    for body in [
        &b""[..],
        b"${not a var} $${ $ {",
        b"\x00\x01\x7f\xc2\x85 \xe2\x80\xa8 \xef\xbb\xbf \xef\xbf\xbe",
        b"\"quoted\" 'single' \\ \t\r\n# not a comment: - [x] &a *a !tag",
        b"\xff\xfe not utf-8",
        "漢字 😀 e\u{301} \u{202e}".as_bytes(),
        &dollar_before_var,
    ] {
        round_trip(&raw(body));
    }
    let with_var = Payload {
        operation: "SetUserMFAPreference".into(),
        kind: MutationKind::Valid,
        body: Body::Json(Doc::Object(vec![
            ("AccessToken".into(), Doc::Str("pre${x}".into())),
            ("Token".into(), Doc::Var(Var::AccessToken)),
        ])),
    };
    round_trip(&with_var);
}

#[test]
fn names_are_kebab_case_and_stable() {
    assert_eq!(kebab("SetUserMFAPreference"), "set-user-mfa-preference");
    assert_eq!(kebab("AdminInitiateAuth"), "admin-initiate-auth");
    let p = Payload {
        operation: "GetUser".into(),
        kind: MutationKind::Valid,
        body: Body::Json(Doc::Object(Vec::new())),
    };
    let a = scenario_name(&p, "5xx");
    assert!(a.starts_with("fuzz-get-user-5xx-"), "{a}");
    assert_eq!(a, scenario_name(&p, "5xx"));
    assert_ne!(a, scenario_name(&p, "not-json"));
}

#[test]
fn template_escapes_literal_variables() {
    let p = Payload {
        operation: "GetUser".into(),
        kind: MutationKind::RawBody,
        body: Body::Raw(format!("${{x}}{}", Var::PoolId.marker()).into_bytes()),
    };
    assert_eq!(body_template(&p).unwrap(), "$${x}${pool.id}");
}
