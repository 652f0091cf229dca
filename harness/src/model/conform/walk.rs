//! Walks a JSON answer alongside its model shape and collects every rule it breaks (pure).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use base64::Engine as _;
use regex::Regex;
use serde_json::Value;

use super::violation::{Rule, Violation};
use crate::model::{Model, Shape};
use crate::verdict::diff::member_path;

/// Values shown in a violation are cut to this many characters.
const MAX_SHOWN: usize = 40;

pub(super) struct Walker<'m> {
    pub model: &'m Model,
    pub out: Vec<Violation>,
}

impl Walker<'_> {
    fn push(&mut self, path: &str, rule: Rule, shape: &str, expected: String, actual: String) {
        self.out.push(Violation {
            path: path.to_owned(),
            rule,
            shape: shape.to_owned(),
            expected,
            actual,
        });
    }

    /// Checks `value` (never `null` here: callers decide what `null` means) against shape `name`.
    pub fn value(&mut self, name: &str, value: &Value, path: &str) {
        let Some(shape) = self.model.shape(name) else {
            return;
        };
        match shape {
            Shape::Structure {
                members, required, ..
            } => match value {
                Value::Object(map) => self.structure(name, members, required, map, path, &[]),
                other => self.wrong_type(path, name, "a structure (JSON object)", other),
            },
            Shape::Document => {}
            Shape::String {
                pattern,
                min,
                max,
                enum_values,
                sensitive,
            } => match value {
                Value::String(s) => self.string(
                    name,
                    s,
                    path,
                    pattern.as_deref(),
                    (*min, *max),
                    enum_values,
                    *sensitive,
                ),
                other => self.wrong_type(path, name, "a string", other),
            },
            Shape::Integer { min, max } => self.integer(
                name,
                value,
                path,
                i64::from(i32::MIN),
                i64::from(i32::MAX),
                (*min, *max),
            ),
            Shape::Long { min, max } => {
                self.integer(name, value, path, i64::MIN, i64::MAX, (*min, *max))
            }
            Shape::Float | Shape::Double => {
                let special = matches!(value.as_str(), Some("NaN" | "Infinity" | "-Infinity"));
                if !value.is_number() && !special {
                    self.wrong_type(path, name, "a number", value);
                }
            }
            Shape::Boolean => {
                if !value.is_boolean() {
                    self.wrong_type(path, name, "a boolean", value);
                }
            }
            Shape::Timestamp => {
                if !value.is_number() {
                    self.wrong_type(
                        path,
                        name,
                        "a timestamp: a JSON number of epoch seconds",
                        value,
                    );
                }
            }
            Shape::Blob { min, max } => match value.as_str() {
                Some(text) => match base64::engine::general_purpose::STANDARD.decode(text) {
                    Ok(bytes) => self.length(name, path, bytes.len(), (*min, *max), "bytes"),
                    Err(_) => self.push(
                        path,
                        Rule::Type,
                        name,
                        "a blob: base64 text".into(),
                        "text that is not base64".into(),
                    ),
                },
                None => self.wrong_type(path, name, "a blob: base64 text", value),
            },
            Shape::List { member, min, max } => match value {
                Value::Array(items) => {
                    self.length(name, path, items.len(), (*min, *max), "elements");
                    for (i, item) in items.iter().enumerate() {
                        let at = format!("{path}[{i}]");
                        if item.is_null() {
                            self.wrong_type(
                                &at,
                                member,
                                &format!("a {}", self.type_of(member)),
                                item,
                            );
                        } else {
                            self.value(member, item, &at);
                        }
                    }
                }
                other => self.wrong_type(path, name, "a list (JSON array)", other),
            },
            Shape::Map {
                key,
                value: value_shape,
                min,
                max,
            } => match value {
                Value::Object(map) => {
                    self.length(name, path, map.len(), (*min, *max), "entries");
                    for (k, v) in map {
                        let at = member_path(path, k);
                        self.value(key, &Value::String(k.clone()), &at);
                        if v.is_null() {
                            self.wrong_type(
                                &at,
                                value_shape,
                                &format!("a {}", self.type_of(value_shape)),
                                v,
                            );
                        } else {
                            self.value(value_shape, v, &at);
                        }
                    }
                }
                other => self.wrong_type(path, name, "a map (JSON object)", other),
            },
        }
    }

    /// Members of a structure: required ones present and not `null`, known ones checked, unknown ones
    /// warned about. `protocol` names members the wire protocol adds (`__type` on errors).
    pub(crate) fn structure(
        &mut self,
        name: &str,
        members: &[(String, crate::model::Member)],
        required: &[String],
        map: &serde_json::Map<String, Value>,
        path: &str,
        protocol: &[&str],
    ) {
        for req in required {
            if map.get(req).is_none_or(Value::is_null) {
                let actual = if map.contains_key(req) {
                    "null"
                } else {
                    "absent"
                };
                self.push(
                    &member_path(path, req),
                    Rule::Required,
                    name,
                    format!("required member `{req}`"),
                    actual.into(),
                );
            }
        }
        for (key, v) in map {
            let at = member_path(path, key);
            match members.iter().find(|(m, _)| m == key) {
                // awsJson1.1 leaves unset members out; a `null` one is read as unset.
                Some(_) if v.is_null() => {}
                Some((_, member)) => self.value(&member.shape, v, &at),
                None if protocol.contains(&key.as_str()) => {}
                None => self.push(
                    &at,
                    Rule::UnknownMember,
                    name,
                    format!("only the members of `{name}`"),
                    format!("member `{key}` is not in the model"),
                ),
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn string(
        &mut self,
        name: &str,
        s: &str,
        path: &str,
        pattern: Option<&str>,
        bounds: (Option<i64>, Option<i64>),
        enum_values: &[String],
        sensitive: bool,
    ) {
        let shown = || {
            if sensitive {
                "a sensitive value".to_owned()
            } else {
                show(s)
            }
        };
        if !enum_values.is_empty() && !enum_values.iter().any(|e| e == s) {
            self.push(
                path,
                Rule::Enum,
                name,
                format!("one of {}", enum_values.join(", ")),
                shown(),
            );
        }
        self.length(name, path, s.chars().count(), bounds, "characters");
        if let Some(p) = pattern {
            if whole_match(p).is_some_and(|re| !re.is_match(s)) {
                self.push(
                    path,
                    Rule::Pattern,
                    name,
                    format!("text matching `{p}` as a whole"),
                    shown(),
                );
            }
        }
    }

    fn integer(
        &mut self,
        name: &str,
        v: &Value,
        path: &str,
        lo: i64,
        hi: i64,
        bounds: (Option<i64>, Option<i64>),
    ) {
        let kind = if lo == i64::MIN {
            "a long"
        } else {
            "an integer"
        };
        let Some(n) = v.as_i64().filter(|n| (lo..=hi).contains(n)) else {
            let expected = format!("{kind}: a JSON number without a fraction, from {lo} to {hi}");
            return self.wrong_type(path, name, &expected, v);
        };
        if let Some(min) = bounds.0.filter(|m| n < *m) {
            self.push(
                path,
                Rule::Min,
                name,
                format!("at least {min}"),
                n.to_string(),
            );
        }
        if let Some(max) = bounds.1.filter(|m| n > *m) {
            self.push(
                path,
                Rule::Max,
                name,
                format!("at most {max}"),
                n.to_string(),
            );
        }
    }

    fn length(
        &mut self,
        name: &str,
        path: &str,
        len: usize,
        bounds: (Option<i64>, Option<i64>),
        unit: &str,
    ) {
        let len = i64::try_from(len).unwrap_or(i64::MAX);
        if let Some(min) = bounds.0.filter(|m| len < *m) {
            self.push(
                path,
                Rule::Min,
                name,
                format!("at least {min} {unit}"),
                format!("{len} {unit}"),
            );
        }
        if let Some(max) = bounds.1.filter(|m| len > *m) {
            self.push(
                path,
                Rule::Max,
                name,
                format!("at most {max} {unit}"),
                format!("{len} {unit}"),
            );
        }
    }

    fn wrong_type(&mut self, path: &str, name: &str, expected: &str, actual: &Value) {
        let sensitive = matches!(
            self.model.shape(name),
            Some(Shape::String {
                sensitive: true,
                ..
            })
        );
        self.push(
            path,
            Rule::Type,
            name,
            expected.to_owned(),
            describe(actual, sensitive),
        );
    }

    fn type_of(&self, name: &str) -> &'static str {
        self.model.shape(name).map_or("value", Shape::type_name)
    }
}

/// A JSON value in words, for `actual`: its kind, and its text unless sensitive or long.
pub(super) fn describe(v: &Value, sensitive: bool) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(_) if sensitive => "a string (sensitive)".into(),
        Value::String(s) => format!("string {}", show(s)),
        Value::Array(a) => format!("a list of {}", a.len()),
        Value::Object(o) => format!("an object of {} members", o.len()),
    }
}

fn show(s: &str) -> String {
    if s.chars().count() <= MAX_SHOWN {
        format!("{s:?}")
    } else {
        let cut: String = s.chars().take(MAX_SHOWN).collect();
        format!("{cut:?}… ({} characters)", s.chars().count())
    }
}

/// The model pattern compiled to match a whole value, cached; `None` when the regex engine cannot
/// express it (look-behind), in which case the pattern rule is not checked.
pub(crate) fn whole_match(pattern: &str) -> Option<Regex> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    cache
        .entry(pattern.to_owned())
        .or_insert_with(|| Regex::new(&format!("^(?:{pattern})$")).ok())
        .clone()
}
