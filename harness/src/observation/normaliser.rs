//! Replaces secrets and run-specific values in observations by placeholders, so snapshots are stable and safe.
//!
//! One `Normaliser` serves one scenario run: placeholders are numbered per kind by first appearance, so the
//! same pool id is `<user-pool-id:1>` in every step of that scenario.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::jwt::{decode_jwt, looks_like_jwt, EMBEDDED_JWT};
use super::pieces::{placeholder, Boundary, Pieces};
use super::volatile::{self, ClaimRule, KeyRule, UUID};
use super::Observation;

/// Rewrites observations, JSON values and text with consistent placeholders (pure: no I/O).
#[derive(Debug, Clone, Default)]
pub struct Normaliser {
    /// Registered secrets and their placeholders, longest value first.
    secrets: Vec<(String, String)>,
    /// Registered run values and their placeholders, longest value first.
    known: Vec<(String, String)>,
    /// Next number per placeholder kind.
    counters: BTreeMap<String, usize>,
    /// UUIDs met without registration, and their `<uuid:N>`.
    uuids: BTreeMap<String, String>,
    /// Every placeholder this normaliser has written.
    written: BTreeSet<String>,
}

impl Normaliser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a secret (token, password, TOTP secret, session): every occurrence becomes `<label>`.
    pub fn secret(&mut self, label: &str, value: &str) {
        if value.is_empty() || self.secrets.iter().any(|(v, _)| v == value) {
            return;
        }
        let placeholder = placeholder(label);
        self.written.insert(placeholder.clone());
        self.secrets.push((value.to_string(), placeholder));
        sort_longest_first(&mut self.secrets);
    }

    /// Registers a volatile run value such as a pool id and returns its `<kind:N>`.
    ///
    /// A value registered twice keeps its first placeholder, whatever the kind.
    pub fn known(&mut self, kind: &str, value: &str) -> String {
        if let Some((_, placeholder)) = self.known.iter().find(|(v, _)| v == value) {
            return placeholder.clone();
        }
        let placeholder = self.next_placeholder(kind);
        if !value.is_empty() {
            self.known.push((value.to_string(), placeholder.clone()));
            sort_longest_first(&mut self.known);
        }
        placeholder
    }

    /// Normalises every part of an observation except the status and the error type, which are never volatile.
    pub fn observation(&mut self, obs: &Observation) -> Observation {
        Observation {
            status: obs.status,
            error: obs.error.clone(),
            message: obs.message.as_deref().map(|m| self.text(m)),
            body: self.value(&obs.body),
            headers: obs
                .headers
                .iter()
                .map(|(name, value)| {
                    let value = match volatile::header_placeholder(name) {
                        Some(fixed) => fixed.to_string(),
                        None => self.text(value),
                    };
                    (name.clone(), value)
                })
                .collect(),
        }
    }

    /// Normalises a JSON value: whole-string JWTs are decoded, then the text and key-name rules apply.
    pub fn value(&mut self, v: &Value) -> Value {
        self.walk(None, v)
    }

    /// Normalises free text: registered secrets, embedded JWTs, loopback ports, Node.js frame positions,
    /// registered run values, then UUIDs.
    pub fn text(&mut self, s: &str) -> String {
        self.pieces(s).join()
    }

    fn pieces(&mut self, s: &str) -> Pieces {
        let mut pieces = Pieces::split(s, |m| self.protects(m));
        for (value, placeholder) in &self.secrets {
            pieces.replace_literal(value, placeholder, Boundary::Anywhere);
        }
        pieces.replace_regex(&EMBEDDED_JWT, |m| {
            looks_like_jwt(m).then(|| volatile::JWT.to_string())
        });
        pieces.replace_regex(&volatile::LOOPBACK_PORT, |m| {
            Some(volatile::loopback_port(m))
        });
        pieces.replace_regex(&volatile::NODE_INTERNAL_FRAME, |m| {
            Some(volatile::node_internal_frame(m))
        });
        for (value, placeholder) in &self.known {
            pieces.replace_literal(value, placeholder, Boundary::Word);
        }
        pieces.replace_regex(&UUID, |m| Some(self.uuid(m)));
        pieces
    }

    /// A placeholder-shaped run is left alone unless it hides a registered value this normaliser did not write.
    fn protects(&self, run: &str) -> bool {
        self.written.contains(run)
            || !self
                .secrets
                .iter()
                .chain(&self.known)
                .any(|(value, _)| run.contains(value.as_str()))
    }

    /// A value that is secret by its key: its registered label if it is exactly one, else `fixed`.
    /// A UUID-shaped token or session still gets `fixed`, so the snapshot says what the value is.
    fn opaque(&mut self, s: &str, fixed: &str) -> Value {
        if let Some((_, label)) = self.secrets.iter().find(|(value, _)| value == s) {
            return Value::from(label.clone());
        }
        let pieces = self.pieces(s);
        let already_normalised = pieces.is_one_placeholder() && pieces.join() == s;
        Value::from(if already_normalised {
            s.to_owned()
        } else {
            fixed.to_owned()
        })
    }

    fn walk(&mut self, key: Option<&str>, v: &Value) -> Value {
        let rule = key.map_or(KeyRule::None, volatile::key_rule);
        match v {
            Value::String(s) => self.string(rule, s),
            Value::Number(_) if rule == KeyRule::Date => Value::from(volatile::DATE),
            Value::Array(items) => items.iter().map(|item| self.walk(None, item)).collect(),
            Value::Object(members) => {
                Value::Object(self.members(members, |n, k, v| n.walk(Some(k), v)))
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => v.clone(),
        }
    }

    fn string(&mut self, rule: KeyRule, s: &str) -> Value {
        match rule {
            KeyRule::Opaque(fixed) if !s.is_empty() => self.opaque(s, fixed),
            KeyRule::Token(fixed) if !s.is_empty() => match decode_jwt(s) {
                Some((header, claims)) => self.jwt(&header, &claims),
                None => self.opaque(s, fixed),
            },
            KeyRule::Date if volatile::is_iso_8601(s) => Value::from(volatile::DATE),
            _ => match decode_jwt(s) {
                Some((header, claims)) => self.jwt(&header, &claims),
                None => Value::from(self.text(s)),
            },
        }
    }

    /// `{"jwt": {"header": .., "claims": ..}}` with the volatile header field and claims as placeholders.
    fn jwt(&mut self, header: &Value, claims: &Value) -> Value {
        let header = match header {
            Value::Object(members) => Value::Object(self.members(members, |n, k, v| match k {
                "kid" => Value::from(volatile::KID),
                _ => n.walk(Some(k), v),
            })),
            other => self.walk(None, other),
        };
        let claims = match claims {
            Value::Object(members) => Value::Object(self.members(members, Self::claim)),
            other => self.walk(None, other),
        };
        json!({ "jwt": { "header": header, "claims": claims } })
    }

    fn claim(&mut self, name: &str, v: &Value) -> Value {
        match (volatile::claim_rule(name), v) {
            (ClaimRule::Sub, Value::String(s)) => Value::from(self.known("sub", s)),
            (ClaimRule::Epoch, Value::Number(_) | Value::String(_)) => Value::from(volatile::EPOCH),
            (ClaimRule::Uuid, Value::String(s)) => Value::from(self.uuid(s)),
            (ClaimRule::Hash, Value::String(_)) => Value::from(volatile::HASH),
            _ => self.walk(Some(name), v),
        }
    }

    fn members(
        &mut self,
        members: &Map<String, Value>,
        mut each: impl FnMut(&mut Self, &str, &Value) -> Value,
    ) -> Map<String, Value> {
        members
            .iter()
            .map(|(k, v)| {
                let key = self.text(k);
                (key, each(self, k, v))
            })
            .collect()
    }

    /// The placeholder of a UUID-like identifier: its registered one, else `<uuid:N>` by first appearance.
    fn uuid(&mut self, s: &str) -> String {
        if let Some((_, placeholder)) = self.known.iter().find(|(v, _)| v == s) {
            return placeholder.clone();
        }
        if let Some(placeholder) = self.uuids.get(s) {
            return placeholder.clone();
        }
        let placeholder = self.next_placeholder("uuid");
        self.uuids.insert(s.to_string(), placeholder.clone());
        placeholder
    }

    fn next_placeholder(&mut self, kind: &str) -> String {
        let kind = placeholder(kind).trim_matches(['<', '>']).to_string();
        let counter = self.counters.entry(kind.clone()).or_insert(0);
        *counter += 1;
        let placeholder = format!("<{kind}:{counter}>");
        self.written.insert(placeholder.clone());
        placeholder
    }
}

fn sort_longest_first(entries: &mut [(String, String)]) {
    entries.sort_by(|(a, _), (b, _)| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
}

#[cfg(test)]
mod tests;
