//! Arbitrary JSON values of bounded depth.

use arbitrary::Arbitrary;
use serde_json::{Map, Number, Value};

/// Nesting past this depth becomes `null`.
const MAX_DEPTH: usize = 12;

/// A JSON value drawn by `arbitrary`.
#[derive(Debug, Clone, Arbitrary)]
pub enum ArbJson {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A short key from a small set, so objects share keys and diffs line up.
    Key(u8),
    List(Vec<ArbJson>),
    Object(Vec<(ArbKey, ArbJson)>),
}

/// Object keys: mostly from a small set (collisions), sometimes anything.
#[derive(Debug, Clone, Arbitrary)]
pub enum ArbKey {
    Common(u8),
    Any(String),
}

const KEYS: &[&str] = &[
    "a",
    "b",
    "AccessToken",
    "UserPoolId",
    "steps",
    "weird key",
    "",
    "$",
    "x.y",
    "[0]",
    "CreationDate",
    "Session",
];

impl ArbKey {
    fn text(&self) -> String {
        match self {
            ArbKey::Common(i) => KEYS[usize::from(*i) % KEYS.len()].to_owned(),
            ArbKey::Any(s) => s.clone(),
        }
    }
}

impl ArbJson {
    pub(crate) fn to_value(&self) -> Value {
        self.at(0)
    }

    fn at(&self, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        match self {
            ArbJson::Null => Value::Null,
            ArbJson::Bool(b) => Value::Bool(*b),
            ArbJson::Int(i) => Value::from(*i),
            ArbJson::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
            ArbJson::Str(s) => Value::String(s.clone()),
            ArbJson::Key(i) => Value::String(KEYS[usize::from(*i) % KEYS.len()].to_owned()),
            ArbJson::List(items) => items.iter().map(|v| v.at(depth + 1)).collect(),
            ArbJson::Object(members) => {
                let mut m = Map::new();
                for (k, v) in members {
                    m.insert(k.text(), v.at(depth + 1));
                }
                Value::Object(m)
            }
        }
    }
}
