//! Properties of the normaliser: normalising twice changes nothing, and no registered secret survives,
//! wherever it was put (strings, keys, text, inside longer words, inside JWT claims).

use std::sync::LazyLock;

use arbitrary::Arbitrary;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::json::ArbJson;
use crate::observation::Normaliser;

/// Secrets shaped like the real ones: a JWT access token, an opaque refresh token, a password, a session.
/// Built once: they are the same for every input.
static FIXED_SECRETS: LazyLock<Vec<(&'static str, String)>> = LazyLock::new(fixed_secrets);

/// A normaliser with only the fixed secrets registered (computing their placeholders decodes the JWT).
static FIXED_NORMALISER: LazyLock<Normaliser> = LazyLock::new(|| {
    let mut n = Normaliser::new();
    for (label, v) in FIXED_SECRETS.iter() {
        n.secret(label, v);
    }
    n
});

/// An unsigned token carrying the fixed password in a claim and the fixed session inside another
/// (the same for every input, so built once).
static TOKEN_WITH_SECRETS: LazyLock<String> = LazyLock::new(|| {
    let (password, session) = (&FIXED_SECRETS[2].1, &FIXED_SECRETS[3].1);
    let claims = json!({"username": password, "note": format!("x{session}y")});
    format!(
        "{}.{}.sig",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
});

/// Plants beyond this many are ignored: each plant walks the whole value and lengthens a string, so a
/// long list costs quadratic time and tests nothing a few plants in the same places do not.
pub(crate) const MAX_PLANTS: usize = 16;

fn fixed_secrets() -> Vec<(&'static str, String)> {
    let jwt = |claims: Value| {
        format!(
            "{}.{}.c2lnbmF0dXJl",
            URL_SAFE_NO_PAD.encode(r#"{"kid":"k1","alg":"RS256"}"#),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        )
    };
    vec![
        (
            "access-token:alice",
            jwt(
                json!({"sub": "0f0e0d0c-1111-2222-3333-444455556666", "token_use": "access", "username": "alice", "exp": 1_714_561_200}),
            ),
        ),
        (
            "refresh-token:alice",
            "Rt9-opaque-REFRESH-value-0042".to_owned(),
        ),
        ("password:alice", "Cd1!0123456789abcdefSECRET".to_owned()),
        (
            "session:alice",
            "AYABeSession0Value0With0Digits9".to_owned(),
        ),
    ]
}

/// Where a secret is put into the value.
#[derive(Debug, Clone, Arbitrary)]
pub struct Plant {
    /// Which secret (index into the secrets, modulo their number).
    pub secret: u8,
    /// Index of the string or key to put it into (modulo their number).
    pub target: u16,
    /// Character offset inside that string.
    pub offset: u16,
    pub into_key: bool,
}

/// A value and text to normalise, run values to register, and secrets planted here and there.
#[derive(Debug, Clone, Arbitrary)]
pub struct NormalizeInput {
    pub value: ArbJson,
    pub text: String,
    pub known: Vec<(u8, String)>,
    /// An extra secret of the fuzzer's choosing (kept to letters and digits with an upper-case `S`).
    pub extra_secret: Option<String>,
    pub plants: Vec<Plant>,
    /// Also put an access token JWT carrying a secret in a claim.
    pub jwt_with_secret: bool,
}

const KINDS: &[&str] = &["user-pool-id", "client-id", "username", "sub", "pool-name"];

impl NormalizeInput {
    /// The secrets (label, value) this input registers.
    pub fn secrets(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = FIXED_SECRETS
            .iter()
            .map(|(l, v)| ((*l).to_owned(), v.clone()))
            .collect();
        if let Some(raw) = &self.extra_secret {
            let kept: String = raw
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(40)
                .collect();
            if kept.len() >= 8 {
                out.push(("secret:extra".to_owned(), format!("S{kept}9")));
            }
        }
        out
    }

    fn known(&self) -> Vec<(&'static str, String)> {
        self.known
            .iter()
            .filter(|(_, v)| {
                v.len() >= 3
                    && v.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            })
            .map(|(k, v)| (KINDS[usize::from(*k) % KINDS.len()], v.clone()))
            .collect()
    }

    /// A normaliser with this input's registrations, made the same way every time.
    pub fn normaliser(&self) -> Normaliser {
        self.normaliser_with(&self.secrets())
    }

    fn normaliser_with(&self, secrets: &[(String, String)]) -> Normaliser {
        // Registering a secret and registering a run value touch different tables, so starting from a
        // copy of a normaliser that already holds the fixed secrets gives the same normaliser; their
        // second registration below is a no-op.
        let mut n = FIXED_NORMALISER.clone();
        for (kind, v) in self.known() {
            n.known(kind, &v);
        }
        for (label, v) in secrets {
            n.secret(label, v);
        }
        n
    }

    /// The value with the secrets planted (the first [`MAX_PLANTS`] plants).
    pub fn planted(&self) -> Value {
        self.planted_with(&self.secrets())
    }

    fn planted_with(&self, secrets: &[(String, String)]) -> Value {
        let mut v = self.value.to_value();
        if self.jwt_with_secret {
            let token = TOKEN_WITH_SECRETS.as_str();
            v = json!({"wrapped": v, "IdToken": token, "Note": format!("see {token} here")});
        }
        for plant in self.plants.iter().take(MAX_PLANTS) {
            let secret = &secrets[usize::from(plant.secret) % secrets.len()].1;
            plant_into(&mut v, plant, secret);
        }
        v
    }
}

fn plant_into(v: &mut Value, plant: &Plant, secret: &str) {
    let mut slots = 0usize;
    count(v, plant.into_key, &mut slots);
    if slots == 0 {
        *v = json!({"planted": v.take(), "Message": secret});
        return;
    }
    let mut target = usize::from(plant.target) % slots;
    insert(v, plant, secret, &mut target);
}

fn count(v: &Value, keys: bool, n: &mut usize) {
    match v {
        Value::String(_) if !keys => *n += 1,
        Value::Array(items) => items.iter().for_each(|i| count(i, keys, n)),
        Value::Object(m) => {
            if keys {
                *n += m.len();
            }
            m.values().for_each(|i| count(i, keys, n));
        }
        _ => {}
    }
}

/// `s` with `secret` inserted before its `offset`-th character (modulo its length plus one).
fn spliced(s: &str, offset: u16, secret: &str) -> String {
    let byte = if s.is_ascii() {
        // A character is a byte: no walk over the characters (planted strings grow long).
        usize::from(offset) % (s.len() + 1)
    } else {
        let at = usize::from(offset) % (s.chars().count() + 1);
        s.char_indices().nth(at).map_or(s.len(), |(i, _)| i)
    };
    let mut out = String::with_capacity(s.len() + secret.len());
    out.push_str(&s[..byte]);
    out.push_str(secret);
    out.push_str(&s[byte..]);
    out
}

/// Puts the secret into the `target`-th string (or key); returns true once done.
fn insert(v: &mut Value, plant: &Plant, secret: &str, target: &mut usize) -> bool {
    match v {
        Value::String(s) if !plant.into_key => {
            if *target == 0 {
                *s = spliced(s, plant.offset, secret);
                return true;
            }
            *target -= 1;
            false
        }
        Value::Array(items) => items.iter_mut().any(|i| insert(i, plant, secret, target)),
        Value::Object(m) => {
            if plant.into_key {
                if *target < m.len() {
                    rename_key(m, *target, spliced_key(m, *target, plant.offset, secret));
                    return true;
                }
                *target -= m.len();
            }
            m.values_mut().any(|i| insert(i, plant, secret, target))
        }
        _ => false,
    }
}

/// The key at `index` of `m` with `secret` spliced in.
fn spliced_key(m: &Map<String, Value>, index: usize, offset: u16, secret: &str) -> String {
    let key = m.keys().nth(index).map_or("", String::as_str);
    spliced(key, offset, secret)
}

/// Renames the key at `index` of `m` to `new` in place, as if the map were rebuilt in order with
/// that key renamed: if `new` is taken by an earlier key, that entry takes this value; if by a
/// later one, this entry keeps the later one's value, which goes (an insert overwrites).
fn rename_key(m: &mut Map<String, Value>, index: usize, new: String) {
    let Some(old) = m.keys().nth(index).cloned() else {
        return;
    };
    let Some(value) = m.shift_remove(&old) else {
        return;
    };
    match m.keys().position(|k| *k == new) {
        Some(taken) if taken < index => {
            m.insert(new, value);
        }
        Some(_) => {
            let later = m.shift_remove(&new).unwrap_or(Value::Null);
            m.shift_insert(index, new, later);
        }
        None => {
            m.shift_insert(index, new, value);
        }
    }
}

/// Every string and key of `v`.
fn texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| texts(i, out)),
        Value::Object(m) => {
            for (k, val) in m {
                out.push(k.clone());
                texts(val, out);
            }
        }
        _ => {}
    }
}

/// Normalising twice (same normaliser, or a fresh one with the same registrations) equals normalising
/// once, for values and for text; and no registered secret appears in any output string or key.
pub fn check_normalize(input: &NormalizeInput) -> Result<(), String> {
    let secrets = input.secrets();
    let value = input.planted_with(&secrets);
    let mut n = input.normaliser_with(&secrets);
    // Building a normaliser from the same registrations always gives the same one, so a copy made
    // before any use is the fresh normaliser (built once: registering is a good part of the cost).
    let mut fresh = n.clone();
    let once = n.value(&value);
    let twice = n.value(&once);
    if twice != once {
        return Err(format!(
            "value normalised twice differs:\n once  {once}\n twice {twice}"
        ));
    }
    let fresh = fresh.value(&once);
    if fresh != once {
        return Err(format!(
            "fresh normaliser changes the output:\n once  {once}\n fresh {fresh}"
        ));
    }
    let text = format!("{} {}", input.text, secrets[0].1);
    let text_once = n.text(&text);
    let text_twice = n.text(&text_once);
    if text_twice != text_once {
        return Err(format!(
            "text normalised twice differs: {text_once:?} → {text_twice:?}"
        ));
    }
    let mut out = vec![text_once];
    texts(&once, &mut out);
    // One search per secret over every output joined by NUL, which no secret contains (they are
    // letters, digits and URL-safe punctuation), so a match never spans two outputs.
    let all = out.join("\0");
    for (label, secret) in &secrets {
        if all.contains(secret.as_str()) {
            let s = out.iter().find(|s| s.contains(secret.as_str()));
            return Err(format!("secret `{label}` survives in {s:?}"));
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use arbitrary::Unstructured;

    use super::*;
    use crate::fuzz::source::iteration_bytes;

    #[test]
    fn holds_for_generated_inputs() {
        for i in 0..300 {
            let bytes = iteration_bytes(6, i);
            let input = NormalizeInput::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
            check_normalize(&input).unwrap();
        }
    }

    /// Starting from the shared copy gives the normaliser a from-scratch registration would.
    #[test]
    fn the_shared_start_registers_the_same() {
        for i in 0..100 {
            let bytes = iteration_bytes(6, i);
            let input = NormalizeInput::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
            let mut scratch = Normaliser::new();
            for (kind, v) in input.known() {
                scratch.known(kind, &v);
            }
            for (label, v) in input.secrets() {
                scratch.secret(&label, &v);
            }
            assert_eq!(format!("{scratch:?}"), format!("{:?}", input.normaliser()));
        }
    }

    /// The kept corpus of the `normalize` fuzz target still satisfies the properties with this normaliser.
    #[test]
    fn holds_for_the_fuzz_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/normalize");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let data = std::fs::read(entry.unwrap().path()).unwrap();
            let data = &data[..data.len().min(super::super::MAX_INPUT)];
            if let Ok(input) = Unstructured::new(data).arbitrary::<NormalizeInput>() {
                check_normalize(&input).unwrap();
                checked += 1;
            }
        }
        assert!(checked > 0, "no corpus input in {}", dir.display());
    }

    /// Renaming in place gives the map that rebuilding it in order with the key renamed gives,
    /// whichever key the new name collides with.
    #[test]
    fn renaming_a_key_is_rebuilding_the_map() {
        let rebuilt = |m: &Map<String, Value>, index: usize, new: &str| {
            let mut out = Map::new();
            for (i, (k, v)) in m.iter().enumerate() {
                out.insert(
                    if i == index {
                        new.to_owned()
                    } else {
                        k.clone()
                    },
                    v.clone(),
                );
            }
            out
        };
        let m: Map<String, Value> = ["a", "b", "c", "d"]
            .iter()
            .enumerate()
            .map(|(i, k)| ((*k).to_owned(), json!(i)))
            .collect();
        for index in 0..m.len() {
            for new in ["a", "b", "c", "d", "e"] {
                let mut renamed = m.clone();
                rename_key(&mut renamed, index, new.to_owned());
                let expected = rebuilt(&m, index, new);
                let order = |m: &Map<String, Value>| {
                    m.iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                };
                assert_eq!(order(&renamed), order(&expected), "index {index} to {new}");
            }
        }
    }

    #[test]
    fn planting_puts_the_secret_in_the_value() {
        let input = NormalizeInput {
            value: ArbJson::Object(vec![]),
            text: String::new(),
            known: vec![],
            extra_secret: Some("abcdefgh".into()),
            plants: vec![Plant {
                secret: 4,
                target: 0,
                offset: 0,
                into_key: false,
            }],
            jwt_with_secret: true,
        };
        let planted = input.planted().to_string();
        assert!(
            planted.contains("SabcdefghS9") || planted.contains("Sabcdefgh9"),
            "{planted}"
        );
        check_normalize(&input).unwrap();
    }
}
