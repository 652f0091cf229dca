//! Properties of output-shape conformance: the validator never panics on any JSON, every violation it
//! reports points at a value that is there, and an answer built to satisfy a shape validates.

use arbitrary::{Arbitrary, Unstructured};
use base64::Engine as _;
use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::{Map, Value};

use super::json::ArbJson;
use crate::model::conform::whole_match;
use crate::model::{cognito, Model, Rule, Shape};
use crate::scenario::JsonPath;

/// Nesting past this depth keeps only required members and minimal lists.
const MAX_DEPTH: usize = 6;
/// Attempts at a string that meets its pattern and length before giving up.
const STRING_TRIES: usize = 8;

/// An operation (by index into the model's), and either any JSON as its answer or bytes that steer a
/// builder towards an answer that conforms.
#[derive(Debug, Clone, Arbitrary)]
pub enum ConformInput {
    Any {
        operation: u16,
        body: ArbJson,
    },
    AnyError {
        operation: u16,
        error: u8,
        body: ArbJson,
    },
    Built {
        operation: u16,
        choices: Vec<u8>,
    },
}

fn operation(model: &Model, index: u16) -> &str {
    let names: Vec<&str> = model.operation_names().collect();
    names[usize::from(index) % names.len()]
}

/// The property for one input (`Err` says what broke).
pub fn check_validate_output(input: &ConformInput) -> Result<(), String> {
    let model = cognito();
    match input {
        ConformInput::Any { operation: i, body } => {
            let body = body.to_value();
            located(&body, &model.validate_output(operation(model, *i), &body))
        }
        ConformInput::AnyError {
            operation: i,
            error,
            body,
        } => {
            let op = model
                .operation(operation(model, *i))
                .ok_or("no operation")?;
            let error = match op.errors.get(usize::from(*error) % (op.errors.len() + 1)) {
                Some(e) => e.as_str(),
                None => "UnlistedException",
            };
            let body = body.to_value();
            let found = model.validate_error(&op.name, error, &body);
            let unlisted = found.iter().any(|v| v.rule == Rule::ErrorType);
            if unlisted != (error == "UnlistedException") {
                return Err(format!(
                    "error type `{error}`: error-type reported {unlisted}"
                ));
            }
            located(&body, &found)
        }
        ConformInput::Built {
            operation: i,
            choices,
        } => {
            let op = operation(model, *i);
            let Some(shape) = model.operation(op).and_then(|o| o.output.clone()) else {
                return Ok(());
            };
            let mut u = Unstructured::new(choices);
            let Some(body) = build(model, &shape, &mut u, 0) else {
                return Ok(());
            };
            let found = model.validate_output(op, &body);
            match found.first() {
                None => Ok(()),
                Some(v) => Err(format!("{op}: a body built to conform breaks {v}\n{body}")),
            }
        }
    }
}

/// Every violation but a missing member points at a value in the body (when its path is one
/// [`JsonPath`] can read: no quoted member names).
fn located(body: &Value, found: &[crate::model::Violation]) -> Result<(), String> {
    for v in found {
        if matches!(v.rule, Rule::Required | Rule::ErrorType) || v.path.contains("[\"") {
            continue;
        }
        let path = JsonPath::parse(&v.path).map_err(|e| format!("bad path {}: {e:?}", v.path))?;
        let is_root_of_empty = v.path == "$" && body.is_null();
        if path.select(body).is_none() && !is_root_of_empty {
            return Err(format!("{v} points at nothing in {body}"));
        }
    }
    Ok(())
}

/// A value of shape `name` that meets every rule the validator checks, steered by `u`; `None` when
/// no such value was found (a pattern the generator cannot meet).
pub fn build(model: &Model, name: &str, u: &mut Unstructured<'_>, depth: usize) -> Option<Value> {
    let shape = model.shape(name)?;
    Some(match shape {
        Shape::Structure {
            members, required, ..
        } => {
            let mut out = Map::new();
            for (member, target) in members {
                let needed = required.contains(member);
                if !needed && (depth >= MAX_DEPTH || !u.arbitrary::<bool>().unwrap_or(false)) {
                    continue;
                }
                match build(model, &target.shape, u, depth + 1) {
                    Some(v) => {
                        out.insert(member.clone(), v);
                    }
                    None if needed => return None,
                    None => {}
                }
            }
            Value::Object(out)
        }
        Shape::Document => Value::Object(Map::new()),
        Shape::String {
            pattern,
            min,
            max,
            enum_values,
            ..
        } => {
            if !enum_values.is_empty() {
                let i = u.choose_index(enum_values.len()).unwrap_or(0);
                return Some(Value::String(enum_values[i].clone()));
            }
            Value::String(string(pattern.as_deref(), bounds(*min, *max, 24), u)?)
        }
        Shape::Integer { min, max } => {
            let lo = min.unwrap_or(i64::from(i32::MIN)).max(i64::from(i32::MIN));
            let hi = max.unwrap_or(i64::from(i32::MAX)).min(i64::from(i32::MAX));
            Value::from(u.int_in_range(lo..=hi.max(lo)).unwrap_or(lo))
        }
        Shape::Long { min, max } => {
            let (lo, hi) = (min.unwrap_or(i64::MIN), max.unwrap_or(i64::MAX));
            Value::from(u.int_in_range(lo..=hi.max(lo)).unwrap_or(lo))
        }
        Shape::Float | Shape::Double => {
            Value::from(f64::from(u.arbitrary::<i16>().unwrap_or(0)) / 8.0)
        }
        Shape::Boolean => Value::Bool(u.arbitrary().unwrap_or(false)),
        Shape::Timestamp => {
            let secs = u.int_in_range(0..=4_000_000_000u32).unwrap_or(0);
            if u.arbitrary().unwrap_or(false) {
                Value::from(f64::from(secs) + 0.5)
            } else {
                Value::from(secs)
            }
        }
        Shape::Blob { min, max } => {
            let (lo, hi) = bounds(*min, *max, 16);
            let n = u.int_in_range(lo..=hi).unwrap_or(lo);
            let bytes: Vec<u8> = (0..n).map(|_| u.arbitrary().unwrap_or(0)).collect();
            Value::String(base64::engine::general_purpose::STANDARD.encode(bytes))
        }
        Shape::List { member, min, max } => {
            let (lo, hi) = bounds(*min, *max, if depth >= MAX_DEPTH { 0 } else { 3 });
            let n = u.int_in_range(lo..=hi).unwrap_or(lo);
            let items: Option<Vec<Value>> =
                (0..n).map(|_| build(model, member, u, depth + 1)).collect();
            Value::Array(items?)
        }
        Shape::Map {
            key,
            value,
            min,
            max,
        } => {
            let (lo, hi) = bounds(*min, *max, if depth >= MAX_DEPTH { 0 } else { 3 });
            let n = u.int_in_range(lo..=hi).unwrap_or(lo);
            let mut out = Map::new();
            for _ in 0..n * 2 {
                if out.len() == n {
                    break;
                }
                if let Some(Value::String(k)) = build(model, key, u, depth + 1) {
                    out.insert(k, build(model, value, u, depth + 1)?);
                }
            }
            if out.len() < lo {
                return None;
            }
            Value::Object(out)
        }
    })
}

/// `min..=max` as lengths, the upper end at most `spread` past the lower.
fn bounds(min: Option<i64>, max: Option<i64>, spread: usize) -> (usize, usize) {
    let lo = usize::try_from(min.unwrap_or(0)).unwrap_or(0);
    let hi = max
        .and_then(|m| usize::try_from(m).ok())
        .unwrap_or(usize::MAX);
    (lo, hi.min(lo + spread).max(lo))
}

/// A string of `len` characters in bounds that matches `pattern` as a whole.
fn string(
    pattern: Option<&str>,
    (lo, hi): (usize, usize),
    u: &mut Unstructured<'_>,
) -> Option<String> {
    let parsed = pattern.and_then(|p| Some((whole_match(p)?, regex_syntax::parse(p).ok()?)));
    let Some((re, hir)) = parsed else {
        let n = u.int_in_range(lo..=hi).unwrap_or(lo);
        return Some(
            (0..n)
                .map(|i| char::from(b'a' + u8::try_from(i % 26).unwrap_or(0)))
                .collect(),
        );
    };
    for attempt in 0..STRING_TRIES {
        let mut s = String::new();
        let stretch = if attempt + 1 == STRING_TRIES {
            Some(lo + 4)
        } else {
            None
        };
        generate(&hir, u, &mut s, lo + 4, stretch);
        let len = s.chars().count();
        if (lo..=hi).contains(&len) && re.is_match(&s) {
            return Some(s);
        }
    }
    None
}

/// Appends text that `hir` matches; unbounded repetitions go at most `spread` past their minimum, or
/// exactly that far when `stretch` says so (the last attempt at a long enough string).
fn generate(
    hir: &Hir,
    u: &mut Unstructured<'_>,
    out: &mut String,
    spread: usize,
    stretch: Option<usize>,
) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => out.push_str(&String::from_utf8_lossy(&lit.0)),
        HirKind::Class(Class::Unicode(c)) => {
            let ranges = c.ranges();
            if let Some(r) = ranges.get(u.choose_index(ranges.len()).unwrap_or(0)) {
                let (a, b) = (u32::from(r.start()), u32::from(r.end()));
                let pick = u.int_in_range(a..=b).unwrap_or(a);
                out.push(char::from_u32(pick).unwrap_or(r.start()));
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            if let Some(r) = c.ranges().first() {
                out.push(char::from(r.start()));
            }
        }
        HirKind::Repetition(rep) => {
            let min = usize::try_from(rep.min).unwrap_or(0);
            let top = rep
                .max
                .and_then(|m| usize::try_from(m).ok())
                .unwrap_or(min + spread)
                .min(min + spread);
            let n = match stretch {
                Some(_) => top,
                None => u.int_in_range(min..=top).unwrap_or(min),
            };
            for _ in 0..n {
                generate(&rep.sub, u, out, spread, stretch);
            }
        }
        HirKind::Capture(c) => generate(&c.sub, u, out, spread, stretch),
        HirKind::Concat(parts) => {
            for p in parts {
                generate(p, u, out, spread, stretch);
            }
        }
        HirKind::Alternation(alts) => {
            if let Some(a) = alts.get(u.choose_index(alts.len()).unwrap_or(0)) {
                generate(a, u, out, spread, stretch);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn built_answers_conform_for_every_operation() {
        let model = cognito();
        let (mut tried, mut built) = (0, 0);
        for (i, op) in model.operation_names().enumerate() {
            let Some(shape) = model.operation(op).and_then(|o| o.output.clone()) else {
                continue;
            };
            for seed in 0u8..4 {
                let choices: Vec<u8> = (0..512u32)
                    .map(|b| (b as u8).wrapping_mul(31).wrapping_add(seed * 17))
                    .collect();
                tried += 1;
                if build(model, &shape, &mut Unstructured::new(&choices), 0).is_some() {
                    built += 1;
                }
                let input = ConformInput::Built {
                    operation: u16::try_from(i).unwrap(),
                    choices,
                };
                check_validate_output(&input).unwrap();
            }
        }
        assert!(built * 10 > tried * 9, "built {built} of {tried}");
    }

    #[test]
    fn a_secret_code_is_built_long_enough() {
        let mut u = Unstructured::new(&[0; 4]);
        let v = build(cognito(), "SecretCodeType", &mut u, 0).unwrap();
        assert!(v.as_str().unwrap().len() >= 16, "{v}");
        assert!(cognito()
            .validate_output(
                "AssociateSoftwareToken",
                &serde_json::json!({"SecretCode": v})
            )
            .is_empty());
    }

    #[test]
    fn any_json_is_validated_without_panic_and_violations_point_at_values() {
        for body in [
            ArbJson::Null,
            ArbJson::List(vec![ArbJson::Int(1)]),
            ArbJson::Object(vec![(
                super::super::json::ArbKey::Common(4),
                ArbJson::Float(1.5),
            )]),
        ] {
            for operation in [0u16, 7, 60, 200] {
                check_validate_output(&ConformInput::Any {
                    operation,
                    body: body.clone(),
                })
                .unwrap();
                for error in 0..4 {
                    check_validate_output(&ConformInput::AnyError {
                        operation,
                        error,
                        body: body.clone(),
                    })
                    .unwrap();
                }
            }
        }
    }
}
