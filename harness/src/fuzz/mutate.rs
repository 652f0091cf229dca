//! The mutations that turn a valid payload into an edge case, each changing one thing.

use super::doc::Doc;
use super::draw::Draw;
use super::tree::{self, NodePath};

/// Strings at the edges: empty, long, unusual Unicode, and tokens that break Cognito's patterns.
fn boundary_string(d: &mut Draw<'_, '_>) -> Doc {
    const SAMPLES: &[&str] = &[
        "",
        " ",
        "ü",
        "漢字",
        "😀",
        "e\u{301}",
        "\u{202e}rtl",
        "\u{200b}",
        "\u{feff}",
        "\u{0}",
        "\n",
        "\\",
        "\"",
        "not a token",
        "eyJ.eyJ.",
        "a.b.c",
        "../../etc/passwd",
        "%00",
        "${x}",
        "<script>",
        "' OR '1'='1",
        "null",
        "true",
        "0",
    ];
    const LONG: &[usize] = &[129, 257, 2049, 65_537];
    if d.chance(1, 4) {
        let len = d.pick(LONG).unwrap_or(129);
        let unit = d.pick(&["A", "é", "😀"]).unwrap_or("A");
        return Doc::Str(unit.repeat(len));
    }
    Doc::Str(d.pick(SAMPLES).unwrap_or("").to_owned())
}

/// Numbers at the edges of what JSON, JavaScript, Java and Python hold.
fn boundary_number(d: &mut Draw<'_, '_>) -> Doc {
    match d.int(0, 9) {
        0 => Doc::Int(0),
        1 => Doc::Int(-1),
        2 => Doc::Int(i64::MAX),
        3 => Doc::Int(i64::MIN),
        4 => Doc::Float(1e308),
        5 => Doc::Float(-0.0),
        6 => Doc::Verbatim("1e400".into()),
        7 => Doc::Verbatim("123456789012345678901234567890".into()),
        8 => Doc::Verbatim("-0".into()),
        _ => Doc::Int(9_007_199_254_740_993),
    }
}

/// Replaces one scalar (or the whole body when there is none) by a value at an edge of its type.
pub fn boundary(doc: &mut Doc, d: &mut Draw<'_, '_>) {
    let leaves: Vec<NodePath> = tree::paths(doc)
        .into_iter()
        .filter(|p| {
            !matches!(
                tree::get(doc, p),
                Some(Doc::Object(_) | Doc::List(_)) | None
            )
        })
        .collect();
    let Some(path) = d.pick(&leaves) else {
        *doc = Doc::Object(vec![("AccessToken".into(), boundary_string(d))]);
        return;
    };
    if let Some(node) = tree::get_mut(doc, &path) {
        *node = match node {
            Doc::Int(_) | Doc::Float(_) | Doc::Verbatim(_) => boundary_number(d),
            Doc::Bool(_) | Doc::Null if d.chance(1, 2) => boundary_number(d),
            _ => boundary_string(d),
        };
    }
}

/// Replaces one node by a value of another JSON type.
pub(crate) fn confuse_type(doc: &mut Doc, d: &mut Draw<'_, '_>) {
    let all = tree::paths(doc);
    let inner: Vec<NodePath> = all.iter().filter(|p| !p.is_empty()).cloned().collect();
    let path = d.pick(&inner).unwrap_or_default();
    let Some(node) = tree::get_mut(doc, &path) else {
        return;
    };
    let choices: Vec<Doc> = [
        Doc::Null,
        Doc::Bool(true),
        Doc::Int(1),
        Doc::Float(1.5),
        Doc::Str("true".into()),
        Doc::List(vec![Doc::Str("x".into())]),
        Doc::Object(Vec::new()),
    ]
    .into_iter()
    .filter(|c| json_type(c) != json_type(node))
    .collect();
    if let Some(other) = d.pick(&choices) {
        *node = other;
    }
}

fn json_type(doc: &Doc) -> u8 {
    match doc {
        Doc::Null => 0,
        Doc::Bool(_) => 1,
        Doc::Int(_) | Doc::Float(_) | Doc::Verbatim(_) => 2,
        Doc::Str(_) | Doc::Var(_) => 3,
        Doc::List(_) => 4,
        Doc::Object(_) => 5,
    }
}

fn objects(doc: &Doc) -> Vec<NodePath> {
    tree::paths(doc)
        .into_iter()
        .filter(|p| matches!(tree::get(doc, p), Some(Doc::Object(_))))
        .collect()
}

/// Adds a member the shape lacks: a near miss of an existing name or a name no shape uses.
pub(crate) fn unknown_member(doc: &mut Doc, d: &mut Draw<'_, '_>) {
    const ODD: &[&str] = &[
        "Extra",
        "__type",
        "",
        "💥",
        "__proto__",
        "constructor",
        "accessToken",
        "ACCESSTOKEN",
    ];
    if !matches!(doc, Doc::Object(_)) {
        *doc = Doc::Object(Vec::new());
    }
    let path = d.pick(&objects(doc)).unwrap_or_default();
    let Some(Doc::Object(members)) = tree::get_mut(doc, &path) else {
        return;
    };
    let near_miss = members.get(d.index(members.len())).map(|(k, _)| k.clone());
    let name = match near_miss {
        Some(k) if d.chance(1, 2) => match d.int(0, 3) {
            0 => k.to_lowercase(),
            1 => k.to_uppercase(),
            2 => format!("{k} "),
            _ => format!("{k}X"),
        },
        _ => d.pick(ODD).unwrap_or("Extra").to_owned(),
    };
    let value = match d.int(0, 3) {
        0 => Doc::Bool(true),
        1 => Doc::Int(1),
        2 => Doc::Object(Vec::new()),
        _ => Doc::Str("x".into()),
    };
    let at = d.index(members.len() + 1);
    members.insert(at, (name, value));
}

/// Leaves out one required top-level member (every copy of it); without any, leaves out any member.
pub(crate) fn drop_required(doc: &mut Doc, required: &[String], d: &mut Draw<'_, '_>) {
    let Doc::Object(members) = doc else {
        return;
    };
    let present: Vec<String> = required
        .iter()
        .filter(|r| members.iter().any(|(k, _)| k == *r))
        .cloned()
        .collect();
    let victim = match d.pick(&present) {
        Some(r) => r,
        None => match members.get(d.index(members.len())) {
            Some((k, _)) => k.clone(),
            None => return,
        },
    };
    members.retain(|(k, _)| *k != victim);
}

/// Sends one member twice, the copy before or after the original, with the same or another value.
pub(crate) fn duplicate_key(doc: &mut Doc, d: &mut Draw<'_, '_>) {
    let candidates: Vec<NodePath> = objects(doc)
        .into_iter()
        .filter(|p| matches!(tree::get(doc, p), Some(Doc::Object(m)) if !m.is_empty()))
        .collect();
    let Some(path) = d.pick(&candidates) else {
        *doc = Doc::Object(vec![
            ("AccessToken".into(), Doc::Str("a".into())),
            ("AccessToken".into(), Doc::Str("b".into())),
        ]);
        return;
    };
    let Some(Doc::Object(members)) = tree::get_mut(doc, &path) else {
        return;
    };
    let i = d.index(members.len());
    let (key, value) = members[i].clone();
    let copy = match d.int(0, 2) {
        0 => value,
        1 => Doc::Null,
        _ => Doc::Str("duplicate".into()),
    };
    let at = if d.chance(1, 2) { i } else { i + 1 };
    members.insert(at, (key, copy));
}

/// Byte-level changes to the JSON text: cuts, splices, flips and whole replacements.
pub fn raw(mut bytes: Vec<u8>, d: &mut Draw<'_, '_>) -> Vec<u8> {
    const NOISE: &[u8] = b"{}[]\":,\\ \t\n\x00\xff\xc3\x80";
    let rounds = d.int(1, 3);
    for _ in 0..rounds {
        let len = bytes.len();
        let at = d.index(len + 1);
        match d.int(0, 7) {
            0 => bytes.truncate(at),
            1 => {
                let end = (at + d.index(16) + 1).min(len);
                bytes.drain(at.min(end)..end);
            }
            2 => {
                let b = d.pick(NOISE).unwrap_or(b'{');
                bytes.insert(at, b);
            }
            3 if at < len => bytes[at] ^= 1 << d.index(8),
            4 => {
                let end = (at + d.index(32) + 1).min(len);
                let copy = bytes[at.min(end)..end].to_vec();
                bytes.splice(at..at, copy);
            }
            5 => bytes
                .splice(0..0, b"\xef\xbb\xbf".iter().copied())
                .for_each(drop),
            6 => bytes.extend_from_slice(
                d.pick(&[&b"}"[..], b"garbage", b"{}", b"\x00"])
                    .unwrap_or(b"}"),
            ),
            _ => bytes = whole_body(d),
        }
    }
    bytes
}

fn whole_body(d: &mut Draw<'_, '_>) -> Vec<u8> {
    match d.int(0, 9) {
        0 => Vec::new(),
        1 => b"null".to_vec(),
        2 => b"[]".to_vec(),
        3 => b"1".to_vec(),
        4 => b"\"s\"".to_vec(),
        5 => b"{".to_vec(),
        6 => b"\xff\xfe{}".to_vec(),
        7 => b"{}{}".to_vec(),
        8 => {
            let depth = d.pick(&[64usize, 1_000, 5_000]).unwrap_or(64);
            let mut v = vec![b'['; depth];
            v.extend(std::iter::repeat_n(b']', depth));
            v
        }
        _ => b"{\"AccessToken\":\"\\ud800\"}".to_vec(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use arbitrary::Unstructured;

    use super::*;
    use crate::fuzz::source::iteration_bytes;

    fn with_draw<T>(seed: u64, f: impl FnOnce(&mut Draw<'_, '_>) -> T) -> T {
        let bytes = iteration_bytes(seed, 0);
        let mut u = Unstructured::new(&bytes);
        f(&mut Draw::new(&mut u))
    }

    fn sample() -> Doc {
        Doc::Object(vec![
            ("AccessToken".into(), Doc::Str("t".into())),
            (
                "SMSMfaSettings".into(),
                Doc::Object(vec![("Enabled".into(), Doc::Bool(true))]),
            ),
        ])
    }

    #[test]
    fn type_confusion_changes_a_json_type() {
        for seed in 0..30 {
            let mut doc = sample();
            with_draw(seed, |d| confuse_type(&mut doc, d));
            let before: Vec<u8> = tree::paths(&sample())
                .iter()
                .map(|p| json_type(tree::get(&sample(), p).unwrap()))
                .collect();
            let after: Vec<u8> = tree::paths(&sample())
                .iter()
                .filter_map(|p| tree::get(&doc, p).map(json_type))
                .collect();
            assert_ne!(before, after, "seed {seed}: {}", doc.to_text());
        }
    }

    #[test]
    fn unknown_member_adds_exactly_one_member() {
        for seed in 0..30 {
            let mut doc = sample();
            with_draw(seed, |d| unknown_member(&mut doc, d));
            assert_eq!(doc.size(), sample().size() + 1, "{}", doc.to_text());
        }
    }

    #[test]
    fn drop_required_removes_every_copy() {
        let mut doc = Doc::Object(vec![
            ("AccessToken".into(), Doc::Null),
            ("B".into(), Doc::Null),
            ("AccessToken".into(), Doc::Null),
        ]);
        with_draw(0, |d| drop_required(&mut doc, &["AccessToken".into()], d));
        assert_eq!(doc.to_text(), "{\"B\":null}");
    }

    #[test]
    fn raw_mutation_changes_the_bytes() {
        let text = sample().to_text().into_bytes();
        let changed = (0..30)
            .filter(|&seed| with_draw(seed, |d| raw(text.clone(), d)) != text)
            .count();
        assert!(changed >= 25, "{changed} of 30 changed");
    }

    #[test]
    fn boundary_replaces_a_scalar() {
        for seed in 0..30 {
            let mut doc = sample();
            with_draw(seed, |d| boundary(&mut doc, d));
            assert_eq!(doc.size(), sample().size());
        }
        let mut empty = Doc::Object(Vec::new());
        with_draw(1, |d| boundary(&mut empty, d));
        assert_eq!(empty.size(), 2);
    }
}
