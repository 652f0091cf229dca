//! Replaces secrets and run-specific values in observations by placeholders, so snapshots are stable and safe.
//!
//! One `Normaliser` serves one scenario run: placeholders are numbered per kind by first appearance, so the
//! same pool id is `<user-pool-id:1~region_9>` in every step of that scenario. Every placeholder keeps the
//! JSON type of the value it replaced (a timestamp number stays a number) and says its shape class
//! (format, alphabet, length; never content), so a change of type or shape is drift at its path and a
//! change of value within its shape is not. An alias (a username made unique in a shared pool) is
//! shown as the text it stands for, so sharing a pool changes no observation. The rules: `docs/normalisation.md`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::jwt::{decode_jwt, looks_like_jwt, may_embed_jwt, EMBEDDED_JWT};
use super::pieces::{self, placeholder, shaped, Boundary, Needle, Pieces};
use super::shape;
use super::volatile::{self, may_hold_uuid, ClaimRule, KeyRule, UUID};
use super::Observation;

/// Rewrites observations, JSON values and text with consistent placeholders (pure: no I/O).
#[derive(Debug, Clone, Default)]
pub struct Normaliser {
    /// Registered secrets and their placeholders, longest value first.
    secrets: Vec<(Needle, String)>,
    /// Registered run values and their placeholders, longest value first.
    known: Vec<(Needle, String)>,
    /// Registered aliases (a value and the text shown for it), longest value first.
    aliases: Vec<(Needle, String)>,
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

    /// Registers a secret (token, password, TOTP secret, session): every occurrence becomes
    /// `<label~shape>`, e.g. `<totp-secret:alice~base32-upper/32>`.
    pub fn secret(&mut self, label: &str, value: &str) {
        if value.is_empty() || self.secrets.iter().any(|(v, _)| v.as_str() == value) {
            return;
        }
        let placeholder = shaped(label, &shape::of_str(value));
        self.written.insert(placeholder.clone());
        insert_longest_first(&mut self.secrets, (Needle::new(value), placeholder));
    }

    /// Registers a volatile run value such as a pool id and returns its `<kind:N~shape>`.
    ///
    /// A value registered twice keeps its first placeholder, whatever the kind.
    pub fn known(&mut self, kind: &str, value: &str) -> String {
        if let Some((_, placeholder)) = self.known.iter().find(|(v, _)| v.as_str() == value) {
            return placeholder.clone();
        }
        let placeholder = self.next_placeholder(kind, &shape::of_str(value));
        if !value.is_empty() {
            insert_longest_first(&mut self.known, (Needle::new(value), placeholder.clone()));
        }
        placeholder
    }

    /// Registers an alias: every occurrence of `value` (as a word) is shown as `shown`, e.g. a username
    /// made unique in a shared pool (`ali03`) as its fixture name (`alice`).
    pub fn alias(&mut self, value: &str, shown: &str) {
        if value.is_empty()
            || value == shown
            || self.aliases.iter().any(|(v, _)| v.as_str() == value)
        {
            return;
        }
        insert_longest_first(&mut self.aliases, (Needle::new(value), shown.to_owned()));
    }

    /// Normalises every part of an observation except the status and the error type, which are never volatile.
    pub fn observation(&mut self, obs: &Observation) -> Observation {
        self.learn(&obs.body);
        Observation {
            status: obs.status,
            error: obs.error.clone(),
            message: obs.message.as_deref().map(|m| self.text(m)),
            body: self.value(&obs.body),
            headers: obs
                .headers
                .iter()
                .map(|(name, value)| {
                    let value = match volatile::header_placeholder(name, value) {
                        Some(fixed) => fixed,
                        None => self.text(value),
                    };
                    (name.clone(), value)
                })
                .collect(),
            wire: obs
                .wire
                .iter()
                .map(|(place, raw)| (place.clone(), self.text(raw)))
                .collect(),
        }
    }

    /// Normalises a JSON value: whole-string JWTs are decoded, then the text and key-name rules apply.
    pub fn value(&mut self, v: &Value) -> Value {
        self.learn(v);
        self.walk(None, v)
    }

    /// Registers the run values that the tokens inside `v` carry (each JWT's `sub` claim), before
    /// anything of `v` is rewritten: text that comes before a token then treats its `sub` as text
    /// after it does. Registering it only on reaching the token left an earlier copy raw in the
    /// first pass and replaced it in the second (found by the `normalize` fuzz target: a `sub`
    /// glued to `_`, which the UUID rule's word boundary does not take, in a key before the token).
    fn learn(&mut self, v: &Value) {
        match v {
            Value::String(s) => {
                if let Some((header, claims)) = decode_jwt(s) {
                    if let Some(Value::String(sub)) = claims.get("sub") {
                        self.known("sub", sub);
                    }
                    self.learn(&header);
                    self.learn(&claims);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.learn(item)),
            Value::Object(members) => {
                for (key, item) in members {
                    // A string that is secret by its key is replaced whole, never decoded (as in
                    // `string`). An object or array under such a key is walked as anywhere else,
                    // so the tokens in it are learnt too (found by the `normalize` fuzz target: a
                    // token inside `{"Session": {..}}` had its `sub` registered only by the walk).
                    if !matches!(
                        (volatile::key_rule(key), item),
                        (KeyRule::Opaque(_), Value::String(_))
                    ) {
                        self.learn(item);
                    }
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// Normalises free text: registered secrets, embedded JWTs, loopback ports, Node.js frame positions,
    /// registered run values, then UUIDs.
    ///
    /// A rule can miss a match whose surroundings a later rule changes: in `_________localhost:33`
    /// with `_________` registered, the port is glued to the run value until that becomes a
    /// placeholder (found by the `normalize` fuzz target). So text that changed is normalised again
    /// until it no longer changes: what a second normalisation would find is found by the first.
    /// Each changing pass turns raw text into placeholders it then protects, so this ends; the
    /// bound is a guard. A pass in which no rule rewrote anything hands its input back unjoined.
    pub fn text(&mut self, s: &str) -> String {
        if self.leaves_alone(s) {
            return s.to_owned();
        }
        self.text_by_rules(s)
    }

    /// [`Self::text`] without the shortcut: the rules, pass after pass.
    fn text_by_rules(&mut self, s: &str) -> String {
        const MAX_PASSES: usize = 8;
        let pieces = self.pieces(s);
        if !pieces.rewritten() {
            return s.to_owned();
        }
        let mut out = pieces.join();
        for _ in 1..MAX_PASSES {
            let again = {
                let pieces = self.pieces(&out);
                if !pieces.rewritten() {
                    break;
                }
                pieces.join()
            };
            if again == out {
                break;
            }
            out = again;
        }
        out
    }

    fn pieces<'s>(&mut self, s: &'s str) -> Pieces<'s> {
        let mut pieces = Pieces::split(s, |m| self.protects(m));
        for (value, placeholder) in &self.secrets {
            pieces.replace_literal(value, placeholder, Boundary::Anywhere);
        }
        pieces.replace_regex(&EMBEDDED_JWT, may_embed_jwt, |m| {
            looks_like_jwt(m).then(|| shaped(volatile::JWT, &shape::of_str(m)))
        });
        pieces.replace_regex(
            &volatile::LOOPBACK_PORT,
            volatile::may_hold_loopback_port,
            |m| Some(volatile::loopback_port(m)),
        );
        pieces.replace_regex(
            &volatile::NODE_INTERNAL_FRAME,
            volatile::may_hold_node_frame,
            |m| Some(volatile::node_internal_frame(m)),
        );
        for (value, shown) in &self.aliases {
            pieces.replace_literal(value, shown, Boundary::Word);
        }
        for (value, placeholder) in &self.known {
            pieces.replace_literal(value, placeholder, Boundary::Word);
        }
        pieces.replace_regex(&UUID, may_hold_uuid, |m| Some(self.uuid(m)));
        pieces
    }

    /// Whether no rule of [`Self::pieces`] can match anywhere in `s`, by each rule's own precheck run
    /// on the whole string: then `s` comes back as it is, without being cut into pieces (most
    /// strings of an observation). Every check asks whether some text occurs, so a string that
    /// fails one has no piece that passes it.
    fn leaves_alone(&self, s: &str) -> bool {
        let holds = |table: &[(Needle, String)]| table.iter().any(|(v, _)| v.occurs_in(s));
        !(holds(&self.secrets)
            || may_embed_jwt(s)
            || volatile::may_hold_loopback_port(s)
            || volatile::may_hold_node_frame(s)
            || holds(&self.aliases)
            || holds(&self.known)
            || may_hold_uuid(s))
    }

    /// A placeholder-shaped run is left alone unless it hides a registered value this normaliser did not
    /// write: a secret anywhere in it, or a run value in its `:detail` (kinds and shapes are ours).
    fn protects(&self, run: &str) -> bool {
        let detail = pieces::detail(run);
        self.written.contains(run)
            || !(self.secrets.iter().any(|(value, _)| value.occurs_in(run))
                || self.known.iter().any(|(value, _)| value.occurs_in(detail)))
    }

    /// Whether `s` is one placeholder already (normalising it again must keep it).
    fn is_placeholder(&mut self, s: &str) -> bool {
        let pieces = self.pieces(s);
        pieces.is_one_placeholder() && pieces.join() == s
    }

    /// A value that is secret by its key: its registered placeholder if it is exactly one, else
    /// `<kind~shape>`. A UUID-shaped token or session still gets its kind, so the snapshot says what the
    /// value is, and its shape, so it says what it looked like.
    fn opaque(&mut self, s: &str, kind: &str) -> Value {
        if let Some((_, label)) = self.secrets.iter().find(|(value, _)| value.as_str() == s) {
            return Value::from(label.clone());
        }
        Value::from(if self.is_placeholder(s) {
            s.to_owned()
        } else {
            shaped(kind, &shape::of_str(s))
        })
    }

    /// A timestamp written as a number stays a number: the canonical one of its epoch class.
    fn date_number(n: &serde_json::Number) -> Value {
        shape::of_epoch(n.as_f64().unwrap_or_default()).canonical_number()
    }

    /// A timestamp written as a string: `<date:iso8601>`, `<date:epoch-seconds>`..., or `None` if it is not one.
    fn date_string(s: &str) -> Option<Value> {
        shape::of_date_str(s)
            .map(|d| Value::from(placeholder(&format!("{}:{}", volatile::DATE, d.as_str()))))
    }

    fn walk(&mut self, key: Option<&str>, v: &Value) -> Value {
        let rule = key.map_or(KeyRule::None, volatile::key_rule);
        match v {
            Value::String(s) => self.string(rule, s),
            Value::Number(n) if rule == KeyRule::Date => Self::date_number(n),
            Value::Array(items) => items.iter().map(|item| self.walk(None, item)).collect(),
            Value::Object(members) if self.is_decoded_token(members) => {
                // Normalised already: its wrapper keys are ours, as a placeholder is.
                let wrapper = members.iter().map(|(jwt, inner)| {
                    let parts = inner.as_object().into_iter().flatten();
                    let parts = parts.map(|(k, part)| (k.clone(), self.walk(None, part)));
                    (jwt.clone(), Value::Object(parts.collect()))
                });
                Value::Object(wrapper.collect())
            }
            Value::Object(members) => {
                Value::Object(self.members(members, |n, k, v| n.walk(Some(k), v)))
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => v.clone(),
        }
    }

    fn string(&mut self, rule: KeyRule, s: &str) -> Value {
        let date = match rule {
            KeyRule::Date => Self::date_string(s),
            _ => None,
        };
        match rule {
            KeyRule::Opaque(kind) if !s.is_empty() => self.opaque(s, kind),
            KeyRule::Token(kind) if !s.is_empty() => match decode_jwt(s) {
                Some((header, claims)) => self.jwt(&header, &claims),
                None => self.opaque(s, kind),
            },
            _ => match (date, decode_jwt(s)) {
                (Some(date), _) => date,
                (None, Some((header, claims))) => self.jwt(&header, &claims),
                (None, None) => Value::from(self.text(s)),
            },
        }
    }

    /// `{"jwt": {"header": .., "claims": ..}}` with the volatile header field and claims as placeholders.
    fn jwt(&mut self, header: &Value, claims: &Value) -> Value {
        let header = match header {
            Value::Object(members) => Value::Object(self.members(members, |n, k, v| match k {
                "kid" => match v {
                    Value::String(s) if !n.is_placeholder(s) => {
                        Value::from(shaped(volatile::KID, &shape::of_str(s)))
                    }
                    other => n.walk(None, other),
                },
                _ => n.walk(Some(k), v),
            })),
            other => self.walk(None, other),
        };
        let claims = match claims {
            Value::Object(members) => Value::Object(self.members(members, Self::claim)),
            other => self.walk(None, other),
        };
        if !self.token_keys_are_safe() {
            // A secret that is part of a wrapper key must not survive in it (a pathological secret).
            let [jwt, head, body] = TOKEN_KEYS.map(|k| self.text(k));
            return json!({ jwt: { head: header, body: claims } });
        }
        json!({ "jwt": { "header": header, "claims": claims } })
    }

    /// Whether `members` is the wrapper [`Self::jwt`] writes, `{"jwt": {"header": {…}, "claims": {…}}}`.
    /// Its keys are the normaliser's own: a second pass must keep them, even when a run value happens to
    /// be `jwt`, `header` or `claims` (normalising twice would rename them otherwise).
    fn is_decoded_token(&self, members: &Map<String, Value>) -> bool {
        let [jwt, head, body] = TOKEN_KEYS;
        let Some(Value::Object(inner)) = members.get(jwt).filter(|_| members.len() == 1) else {
            return false;
        };
        inner.len() == 2
            && [head, body]
                .iter()
                .all(|k| inner.get(*k).is_some_and(Value::is_object))
            && self.token_keys_are_safe()
    }

    /// Whether no registered secret occurs in the wrapper keys, so they may be written as they are.
    fn token_keys_are_safe(&self) -> bool {
        !self
            .secrets
            .iter()
            .any(|(secret, _)| TOKEN_KEYS.iter().any(|k| secret.occurs_in(k)))
    }

    fn claim(&mut self, name: &str, v: &Value) -> Value {
        match (volatile::claim_rule(name), v) {
            (ClaimRule::Sub, Value::String(s)) => Value::from(self.known("sub", s)),
            (ClaimRule::Epoch, Value::Number(n)) => Self::date_number(n),
            (ClaimRule::Epoch, Value::String(s)) if !self.is_placeholder(s) => Self::date_string(s)
                .unwrap_or_else(|| Value::from(shaped(volatile::DATE, &shape::of_str(s)))),
            (ClaimRule::Uuid, Value::String(s)) => Value::from(self.uuid(s)),
            (ClaimRule::Hash, Value::String(s)) if !self.is_placeholder(s) => {
                Value::from(shaped(volatile::HASH, &shape::of_str(s)))
            }
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
        if let Some((_, placeholder)) = self.known.iter().find(|(v, _)| v.as_str() == s) {
            return placeholder.clone();
        }
        if let Some(placeholder) = self.uuids.get(s) {
            return placeholder.clone();
        }
        let placeholder = self.next_placeholder("uuid", &shape::of_str(s));
        self.uuids.insert(s.to_string(), placeholder.clone());
        placeholder
    }

    fn next_placeholder(&mut self, kind: &str, shape: &str) -> String {
        let kind = placeholder(kind);
        let kind = &kind[1..kind.len() - 1];
        let counter = match self.counters.get_mut(kind) {
            Some(counter) => counter,
            None => self.counters.entry(kind.to_owned()).or_insert(0),
        };
        *counter += 1;
        let placeholder = shaped(&format!("{kind}:{counter}"), shape);
        self.written.insert(placeholder.clone());
        placeholder
    }
}

/// The keys of a decoded token's wrapper: `{"jwt": {"header": …, "claims": …}}`.
const TOKEN_KEYS: [&str; 3] = ["jwt", "header", "claims"];

/// Inserts `entry` where it keeps `entries` ordered longest value first, then by value (the values
/// are distinct: each table skips a value it holds already).
fn insert_longest_first(entries: &mut Vec<(Needle, String)>, entry: (Needle, String)) {
    fn rank(s: &str) -> (std::cmp::Reverse<usize>, &str) {
        (std::cmp::Reverse(s.len()), s)
    }
    let at = {
        let new = rank(entry.0.as_str());
        entries.partition_point(|(needle, _)| rank(needle.as_str()) < new)
    };
    entries.insert(at, entry);
}

#[cfg(test)]
mod shape_tests;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod stability_tests;
