//! Payloads for one operation, built from its input shape in the service model and then mutated.

use arbitrary::Unstructured;
use base64::Engine as _;

use super::doc::{Body, Doc, Payload, Var};
use super::draw::Draw;
use super::mutate;
use crate::diagnostic::did_you_mean;
use crate::model::{Model, Shape};

/// Structures nest at most this deep in generated input; deeper optional members are left out.
const MAX_DEPTH: usize = 4;

/// How a payload departs from what the model allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MutationKind {
    /// Valid by the model.
    Valid,
    /// One value at an edge: empty, huge, unusual Unicode, pattern-breaking, extreme numbers.
    Boundary,
    /// One value of the wrong JSON type.
    TypeConfused,
    /// A member the shape does not have.
    UnknownMember,
    /// A required member left out.
    MissingRequired,
    /// A member sent twice.
    DuplicateKey,
    /// The JSON text cut, spliced or replaced byte-wise.
    RawBody,
}

impl MutationKind {
    pub const ALL: [MutationKind; 7] = [
        MutationKind::Valid,
        MutationKind::Boundary,
        MutationKind::TypeConfused,
        MutationKind::UnknownMember,
        MutationKind::MissingRequired,
        MutationKind::DuplicateKey,
        MutationKind::RawBody,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MutationKind::Valid => "valid",
            MutationKind::Boundary => "boundary",
            MutationKind::TypeConfused => "type-confused",
            MutationKind::UnknownMember => "unknown-member",
            MutationKind::MissingRequired => "missing-required",
            MutationKind::DuplicateKey => "duplicate-key",
            MutationKind::RawBody => "raw-body",
        }
    }
}

/// An operation the model does not define.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown operation `{operation}`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
pub struct UnknownOperation {
    pub operation: String,
    pub suggestion: Option<String>,
}

/// Builds payloads for one operation of a model (pure: the byte source decides everything).
#[derive(Debug, Clone)]
pub struct Generator<'m> {
    model: &'m Model,
    operation: String,
}

impl<'m> Generator<'m> {
    pub fn new(model: &'m Model, operation: &str) -> Result<Self, UnknownOperation> {
        if model.operation(operation).is_none() {
            return Err(UnknownOperation {
                operation: operation.to_owned(),
                suggestion: did_you_mean(operation, model.operation_names()).map(str::to_owned),
            });
        }
        Ok(Generator {
            model,
            operation: operation.to_owned(),
        })
    }

    pub fn operation(&self) -> &str {
        &self.operation
    }

    /// A payload of a kind the source picks.
    pub fn generate(&self, u: &mut Unstructured<'_>) -> Payload {
        let mut d = Draw::new(u);
        let kind = d.pick(&MutationKind::ALL).unwrap_or(MutationKind::Valid);
        self.build(kind, &mut d)
    }

    /// A payload of the given kind.
    pub(crate) fn generate_kind(&self, kind: MutationKind, u: &mut Unstructured<'_>) -> Payload {
        self.build(kind, &mut Draw::new(u))
    }

    fn build(&self, kind: MutationKind, d: &mut Draw<'_, '_>) -> Payload {
        let mut doc = self.valid(d);
        let body = match kind {
            MutationKind::Valid => Body::Json(doc),
            MutationKind::Boundary => {
                mutate::boundary(&mut doc, d);
                Body::Json(doc)
            }
            MutationKind::TypeConfused => {
                mutate::confuse_type(&mut doc, d);
                Body::Json(doc)
            }
            MutationKind::UnknownMember => {
                mutate::unknown_member(&mut doc, d);
                Body::Json(doc)
            }
            MutationKind::MissingRequired => {
                mutate::drop_required(&mut doc, &self.required(), d);
                Body::Json(doc)
            }
            MutationKind::DuplicateKey => {
                mutate::duplicate_key(&mut doc, d);
                Body::Json(doc)
            }
            MutationKind::RawBody => Body::Raw(mutate::raw(doc.to_text().into_bytes(), d)),
        };
        Payload {
            operation: self.operation.clone(),
            kind,
            body,
        }
    }

    /// The operation's required top-level members.
    fn required(&self) -> Vec<String> {
        match self.model.input_shape(&self.operation) {
            Some((_, Shape::Structure { required, .. })) => required.clone(),
            _ => Vec::new(),
        }
    }

    /// Input that the model accepts (patterns aside: strings are letters and digits).
    fn valid(&self, d: &mut Draw<'_, '_>) -> Doc {
        match self.model.input_shape(&self.operation) {
            Some((name, _)) => self.value(d, name, None, 0),
            None => Doc::Object(Vec::new()),
        }
    }

    fn value(&self, d: &mut Draw<'_, '_>, shape: &str, member: Option<&str>, depth: usize) -> Doc {
        if let Some(var) = member.and_then(Var::for_member) {
            if d.chance(9, 10) {
                return Doc::Var(var);
            }
        }
        let Some(shape) = self.model.shape(shape) else {
            return Doc::Null;
        };
        match shape {
            Shape::Structure {
                members, required, ..
            } => {
                let mut out = Vec::new();
                for (name, m) in members {
                    let needed = required.contains(name);
                    if needed || (depth < MAX_DEPTH && d.chance(1, 2)) {
                        out.push((name.clone(), self.value(d, &m.shape, Some(name), depth + 1)));
                    }
                }
                Doc::Object(out)
            }
            Shape::Document => Doc::Object(vec![("key".into(), Doc::Str(d.alnum(4)))]),
            Shape::String {
                enum_values,
                min,
                max,
                ..
            } => match d.pick(enum_values) {
                Some(v) => Doc::Str(v),
                None => {
                    let lo = min.unwrap_or(1).max(1);
                    let hi = max.unwrap_or(lo + 16).min(lo + 16).max(lo);
                    let len = usize::try_from(d.int(lo, hi)).unwrap_or(1);
                    Doc::Str(d.alnum(len))
                }
            },
            Shape::Integer { min, max } | Shape::Long { min, max } => {
                let lo = min.unwrap_or(0);
                Doc::Int(d.int(lo, max.unwrap_or(lo + 1000).min(lo + 1000)))
            }
            Shape::Float | Shape::Double => Doc::Float(d.int(0, 10_000) as f64 / 10.0),
            Shape::Boolean => Doc::Bool(d.chance(1, 2)),
            Shape::Timestamp => Doc::Int(1_700_000_000 + d.int(0, 1_000_000)),
            Shape::Blob { .. } => {
                let n = usize::try_from(d.int(1, 12)).unwrap_or(1);
                let bytes: Vec<u8> = (0..n).map(|_| d.byte()).collect();
                Doc::Str(base64::engine::general_purpose::STANDARD.encode(bytes))
            }
            Shape::List { member, .. } => {
                let n = if depth < MAX_DEPTH { d.int(0, 2) } else { 0 };
                Doc::List(
                    (0..n)
                        .map(|_| self.value(d, member, None, depth + 1))
                        .collect(),
                )
            }
            Shape::Map { key, value, .. } => {
                let n = if depth < MAX_DEPTH { d.int(0, 2) } else { 0 };
                let mut out = Vec::new();
                for _ in 0..n {
                    let k = match self.value(d, key, None, depth + 1) {
                        Doc::Str(s) => s,
                        _ => d.alnum(4),
                    };
                    out.push((k, self.value(d, value, None, depth + 1)));
                }
                Doc::Object(out)
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::fuzz::source::iteration_bytes;
    use crate::model::cognito;

    fn payload(seed: u64, i: u64, op: &str) -> Payload {
        let g = Generator::new(cognito(), op).unwrap();
        let bytes = iteration_bytes(seed, i);
        g.generate(&mut Unstructured::new(&bytes))
    }

    #[test]
    fn same_seed_gives_the_same_payloads() {
        let a: Vec<Payload> = (0..40)
            .map(|i| payload(11, i, "SetUserMFAPreference"))
            .collect();
        let b: Vec<Payload> = (0..40)
            .map(|i| payload(11, i, "SetUserMFAPreference"))
            .collect();
        let c: Vec<Payload> = (0..40)
            .map(|i| payload(12, i, "SetUserMFAPreference"))
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn every_mutation_kind_is_produced() {
        let kinds: BTreeSet<MutationKind> = (0..200)
            .map(|i| payload(1, i, "SetUserMFAPreference").kind)
            .collect();
        assert_eq!(kinds, MutationKind::ALL.into_iter().collect());
    }

    #[test]
    fn valid_payloads_follow_the_model() {
        let g = Generator::new(cognito(), "SetUserMFAPreference").unwrap();
        for i in 0..50 {
            let bytes = iteration_bytes(3, i);
            let p = g.generate_kind(MutationKind::Valid, &mut Unstructured::new(&bytes));
            let text = String::from_utf8(p.render(|_| "TOKEN".into())).unwrap();
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let obj = v.as_object().unwrap();
            assert!(obj.contains_key("AccessToken"), "{text}");
            for (k, member) in obj {
                assert!(
                    [
                        "AccessToken",
                        "SMSMfaSettings",
                        "SoftwareTokenMfaSettings",
                        "EmailMfaSettings",
                        "WebAuthnMfaSettings"
                    ]
                    .contains(&k.as_str()),
                    "{k}"
                );
                if k != "AccessToken" {
                    for (field, value) in member.as_object().unwrap() {
                        assert!(value.is_boolean(), "{field} in {text}");
                    }
                }
            }
        }
    }

    #[test]
    fn each_kind_departs_from_the_valid_payload_as_named() {
        let g = Generator::new(cognito(), "SetUserMFAPreference").unwrap();
        let gen = |kind, i| {
            let bytes = iteration_bytes(5, i);
            g.generate_kind(kind, &mut Unstructured::new(&bytes))
        };
        for i in 0..30 {
            let Body::Json(Doc::Object(members)) = gen(MutationKind::MissingRequired, i).body
            else {
                panic!("missing-required keeps a JSON object");
            };
            assert!(members.iter().all(|(k, _)| k != "AccessToken"));

            let Body::Json(Doc::Object(members)) = gen(MutationKind::DuplicateKey, i).body else {
                panic!("duplicate-key keeps a JSON object");
            };
            let keys: BTreeSet<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
            let nested_dup = members.iter().any(|(_, v)| match v {
                Doc::Object(m) => m.iter().map(|(k, _)| k).collect::<BTreeSet<_>>().len() < m.len(),
                _ => false,
            });
            assert!(keys.len() < members.len() || nested_dup);

            let raw = gen(MutationKind::RawBody, i);
            assert!(matches!(raw.body, Body::Raw(_)));
        }
    }

    #[test]
    fn unknown_operation_suggests_a_name() {
        let err = Generator::new(cognito(), "SetUserMfaPreference").unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("SetUserMFAPreference"));
        assert!(err.to_string().contains("did you mean"));
    }

    #[test]
    fn operations_with_nested_input_generate_within_depth() {
        for op in [
            "AdminCreateUser",
            "CreateUserPool",
            "UpdateUserPool",
            "InitiateAuth",
        ] {
            for i in 0..10 {
                let p = payload(9, i, op);
                assert_eq!(p.operation, op);
                assert!(p.len() < 2_000_000);
            }
        }
    }
}
