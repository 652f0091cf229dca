//! Structural JSON diff by path, so drift is shown as `$.path`, `expected` and `actual` rather than as text.
//!
//! An absent member, `null` and `[]` are all different: Cognito omits members where emulators send empty
//! lists, and that is drift worth seeing.

use std::fmt::Write as _;

use serde_json::Value;

/// One place where the actual JSON differs from the expected JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    /// JSONPath-like location, e.g. `$.steps[2].body.UserMFASettingList[0]` or `$["weird key"]`.
    pub path: String,
    pub kind: DiffKind,
    /// `None` when the value is only in the actual JSON.
    pub expected: Option<Value>,
    /// `None` when the value is missing from the actual JSON.
    pub actual: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiffKind {
    /// Present on both sides with different values or types (not descended into on a type change).
    Changed,
    /// Expected but absent from the actual JSON.
    Missing,
    /// Only in the actual JSON.
    Added,
}

/// The differences between `expected` and `actual`, in the document order of `expected`, with members
/// found only in `actual` after the expected ones of the same object.
pub fn diff(expected: &Value, actual: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    walk("$", expected, actual, &mut out);
    out
}

fn walk(path: &str, expected: &Value, actual: &Value, out: &mut Vec<Difference>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                let path = member_path(path, key);
                match a.get(key) {
                    Some(av) => walk(&path, ev, av, out),
                    None => out.push(missing(path, ev)),
                }
            }
            for (key, av) in a.iter().filter(|(key, _)| !e.contains_key(*key)) {
                out.push(added(member_path(path, key), av));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            for index in 0..e.len().max(a.len()) {
                let path = format!("{path}[{index}]");
                match (e.get(index), a.get(index)) {
                    (Some(ev), Some(av)) => walk(&path, ev, av, out),
                    (Some(ev), None) => out.push(missing(path, ev)),
                    (None, Some(av)) => out.push(added(path, av)),
                    (None, None) => {}
                }
            }
        }
        _ if expected == actual => {}
        _ => out.push(Difference {
            path: path.to_string(),
            kind: DiffKind::Changed,
            expected: Some(expected.clone()),
            actual: Some(actual.clone()),
        }),
    }
}

fn missing(path: String, expected: &Value) -> Difference {
    Difference {
        path,
        kind: DiffKind::Missing,
        expected: Some(expected.clone()),
        actual: None,
    }
}

fn added(path: String, actual: &Value) -> Difference {
    Difference {
        path,
        kind: DiffKind::Added,
        expected: None,
        actual: Some(actual.clone()),
    }
}

/// `$.name` for identifier-like member names, `$["other name"]` (JSON-quoted) for the rest.
pub(crate) fn member_path(parent: &str, key: &str) -> String {
    let mut chars = key.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if identifier {
        format!("{parent}.{key}")
    } else {
        format!("{parent}[{}]", Value::from(key))
    }
}

/// Values longer than this many characters are cut when rendered.
const MAX_RENDERED_CHARS: usize = 120;

/// Renders differences for the terminal: the path, then `expected:` and `actual:` as compact JSON.
pub(crate) fn render_differences(diffs: &[Difference]) -> String {
    let mut out = String::new();
    for d in diffs {
        let _ = writeln!(out, "  {}", d.path);
        let _ = writeln!(out, "    expected: {}", render_value(d.expected.as_ref()));
        let _ = writeln!(out, "    actual:   {}", render_value(d.actual.as_ref()));
    }
    out
}

/// A value as compact JSON, cut after [`MAX_RENDERED_CHARS`]; `(absent)` for none.
pub fn render_value(value: Option<&Value>) -> String {
    let Some(value) = value else {
        return "(absent)".to_string();
    };
    let compact = value.to_string();
    let length = compact.chars().count();
    if length <= MAX_RENDERED_CHARS {
        return compact;
    }
    let head: String = compact.chars().take(MAX_RENDERED_CHARS - 20).collect();
    format!("{head}... ({length} chars)")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::json;

    use super::*;

    fn kinds(diffs: &[Difference]) -> Vec<(&str, DiffKind)> {
        diffs.iter().map(|d| (d.path.as_str(), d.kind)).collect()
    }

    #[test]
    fn absent_null_and_empty_list_all_differ() {
        let expected = json!({"a": null, "b": [], "c": null});
        let actual = json!({"a": [], "c": {}, "d": null});
        assert_eq!(
            kinds(&diff(&expected, &actual)),
            vec![
                ("$.a", DiffKind::Changed),
                ("$.b", DiffKind::Missing),
                ("$.c", DiffKind::Changed),
                ("$.d", DiffKind::Added),
            ]
        );
    }

    #[test]
    fn objects_are_compared_by_key_not_order() {
        assert!(diff(
            &json!({"a": 1, "b": [1, {"c": 2}]}),
            &json!({"b": [1, {"c": 2}], "a": 1})
        )
        .is_empty());
    }

    #[test]
    fn arrays_are_compared_by_index_with_extra_items_missing_or_added() {
        let d = diff(&json!({"l": [1, 2, 3]}), &json!({"l": [1, 5]}));
        assert_eq!(
            kinds(&d),
            vec![("$.l[1]", DiffKind::Changed), ("$.l[2]", DiffKind::Missing)]
        );
        assert_eq!(d[0].expected, Some(json!(2)));
        assert_eq!(d[0].actual, Some(json!(5)));
        assert_eq!(d[1].actual, None);
        let d = diff(&json!([]), &json!(["x"]));
        assert_eq!(kinds(&d), vec![("$[0]", DiffKind::Added)]);
    }

    #[test]
    fn a_type_change_is_reported_once_without_descending() {
        let d = diff(
            &json!({"x": {"deep": {"er": 1}}}),
            &json!({"x": [{"deep": 1}]}),
        );
        assert_eq!(kinds(&d), vec![("$.x", DiffKind::Changed)]);
        assert_eq!(d[0].actual, Some(json!([{"deep": 1}])));
    }

    #[test]
    fn numbers_keep_their_wire_form() {
        assert_eq!(
            kinds(&diff(&json!(1), &json!(1.0))),
            vec![("$", DiffKind::Changed)]
        );
    }

    #[test]
    fn paths_quote_member_names_that_are_not_identifiers() {
        let expected =
            json!({"steps": [{}, {"body": {"UserMFASettingList": ["SOFTWARE_TOKEN_MFA"]}}]});
        let actual = json!({"steps": [{}, {"body": {"UserMFASettingList": []}}], "weird key": 1, "cognito:x": 2});
        let paths: Vec<_> = diff(&expected, &actual)
            .into_iter()
            .map(|d| d.path)
            .collect();
        assert_eq!(
            paths,
            vec![
                r"$.steps[1].body.UserMFASettingList[0]",
                r#"$["weird key"]"#,
                r#"$["cognito:x"]"#
            ]
        );
        assert_eq!(member_path("$", "q\"uote"), r#"$["q\"uote"]"#);
        assert_eq!(member_path("$", "_a1"), "$._a1");
        assert_eq!(member_path("$", "1a"), r#"$["1a"]"#);
        assert_eq!(member_path("$", ""), r#"$[""]"#);
    }

    #[test]
    fn order_follows_expected_then_added_members() {
        let expected = json!({"z": 1, "a": {"y": 1, "b": 1}});
        let actual = json!({"new": 0, "a": {"c": 2, "b": 2}, "z": 2});
        assert_eq!(
            kinds(&diff(&expected, &actual)),
            vec![
                ("$.z", DiffKind::Changed),
                ("$.a.y", DiffKind::Missing),
                ("$.a.b", DiffKind::Changed),
                ("$.a.c", DiffKind::Added),
                ("$.new", DiffKind::Added),
            ]
        );
    }

    /// A small deterministic generator, so the properties below are checked on many shapes.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self, bound: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % bound
        }

        fn value(&mut self, depth: u32) -> Value {
            let choice = if depth == 0 {
                self.next(4)
            } else {
                self.next(6)
            };
            match choice {
                0 => Value::Null,
                1 => Value::from(self.next(2) == 0),
                2 => Value::from(self.next(3)),
                3 => Value::from(["a", "b", "weird key"][self.next(3) as usize]),
                4 => (0..self.next(4)).map(|_| self.value(depth - 1)).collect(),
                _ => (0..self.next(4))
                    .map(|_| {
                        (
                            ["k", "l", "m n", "o"][self.next(4) as usize].to_string(),
                            self.value(depth - 1),
                        )
                    })
                    .collect(),
            }
        }

        /// A copy of `v` with a few random edits, so pairs share structure.
        fn mutate(&mut self, v: &Value, depth: u32) -> Value {
            if self.next(8) == 0 {
                return self.value(depth);
            }
            match v {
                Value::Array(items) => {
                    let mut items: Vec<_> = items
                        .iter()
                        .map(|i| self.mutate(i, depth.saturating_sub(1)))
                        .collect();
                    if self.next(4) == 0 {
                        items.pop();
                    }
                    Value::Array(items)
                }
                Value::Object(members) => {
                    let mut kept = serde_json::Map::new();
                    for (k, v) in members {
                        if self.next(6) != 0 {
                            kept.insert(k.clone(), self.mutate(v, depth.saturating_sub(1)));
                        }
                    }
                    if self.next(4) == 0 {
                        kept.insert("added".into(), self.value(1));
                    }
                    Value::Object(kept)
                }
                other => other.clone(),
            }
        }
    }

    #[test]
    fn a_value_has_no_differences_with_itself() {
        let mut g = Gen(0x9E37_79B9_7F4A_7C15);
        for _ in 0..500 {
            let v = g.value(4);
            assert!(diff(&v, &v).is_empty(), "{v}");
        }
    }

    #[test]
    fn swapping_sides_swaps_missing_and_added_on_the_same_paths() {
        let swapped = |kind| match kind {
            DiffKind::Missing => DiffKind::Added,
            DiffKind::Added => DiffKind::Missing,
            DiffKind::Changed => DiffKind::Changed,
        };
        let mut g = Gen(0xD1B5_4A32_D192_ED03);
        let mut nonempty = 0;
        for _ in 0..500 {
            let a = g.value(4);
            let b = g.mutate(&a, 4);
            let forward: BTreeSet<_> = diff(&a, &b)
                .into_iter()
                .map(|d| (d.path, swapped(d.kind)))
                .collect();
            let backward: BTreeSet<_> =
                diff(&b, &a).into_iter().map(|d| (d.path, d.kind)).collect();
            assert_eq!(forward, backward, "a = {a}, b = {b}");
            nonempty += usize::from(!forward.is_empty());
        }
        assert!(
            nonempty > 100,
            "the generator should produce real differences, got {nonempty}"
        );
    }

    #[test]
    fn renders_path_expected_and_actual() {
        let d = diff(
            &json!({"steps": [{}, {"body": {"PreferredMfaSetting": "SOFTWARE_TOKEN_MFA"}}]}),
            &json!({"steps": [{}, {"body": {"Extra": [1, 2]}}]}),
        );
        let expected = concat!(
            "  $.steps[1].body.PreferredMfaSetting\n",
            "    expected: \"SOFTWARE_TOKEN_MFA\"\n",
            "    actual:   (absent)\n",
            "  $.steps[1].body.Extra\n",
            "    expected: (absent)\n",
            "    actual:   [1,2]\n",
        );
        assert_eq!(render_differences(&d), expected);
        assert_eq!(render_differences(&[]), "");
    }

    #[test]
    fn long_values_are_cut_with_their_length() {
        let long = Value::from("é".repeat(300));
        let rendered = render_value(Some(&long));
        assert_eq!(rendered.chars().count(), 100 + "... (302 chars)".len());
        assert!(rendered.starts_with("\"ééé"));
        assert!(rendered.ends_with("... (302 chars)"));
    }
}
