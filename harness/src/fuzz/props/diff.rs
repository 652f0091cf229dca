//! Properties of the structural diff: a value never differs from itself, and swapping the sides swaps
//! `Missing` and `Added` over exactly the same paths.

use arbitrary::Arbitrary;
use serde_json::Value;

use super::json::ArbJson;
use crate::verdict::diff::{diff, DiffKind};

/// Two values; with `graft`, the second is the first with one subtree replaced, so they mostly agree.
#[derive(Debug, Clone, Arbitrary)]
pub struct DiffInput {
    pub a: ArbJson,
    pub b: ArbJson,
    pub graft: Option<Vec<u8>>,
}

impl DiffInput {
    pub fn values(&self) -> (Value, Value) {
        let a = self.a.to_value();
        let b = self.b.to_value();
        match &self.graft {
            None => (a, b),
            Some(route) => {
                let mut grafted = a.clone();
                graft(&mut grafted, route, b);
                (a, grafted)
            }
        }
    }
}

/// Replaces the node `route` leads to (each step picks a child modulo their number) with `b`.
fn graft(node: &mut Value, route: &[u8], b: Value) {
    let Some((step, rest)) = route.split_first() else {
        *node = b;
        return;
    };
    match node {
        Value::Array(items) if !items.is_empty() => {
            let i = usize::from(*step) % items.len();
            graft(&mut items[i], rest, b);
        }
        Value::Object(m) if !m.is_empty() => {
            let i = usize::from(*step) % m.len();
            if let Some(child) = m.values_mut().nth(i) {
                graft(child, rest, b);
            }
        }
        _ => *node = b,
    }
}

fn flip(kind: DiffKind) -> DiffKind {
    match kind {
        DiffKind::Missing => DiffKind::Added,
        DiffKind::Added => DiffKind::Missing,
        DiffKind::Changed => DiffKind::Changed,
    }
}

/// `diff(a, a)` is empty; `diff(a, b)` and `diff(b, a)` name the same paths with mirrored kinds and
/// swapped values; and the diff is empty exactly when the values are equal.
pub fn check_diff(a: &Value, b: &Value) -> Result<(), String> {
    for v in [a, b] {
        let own = diff(v, v);
        if !own.is_empty() {
            return Err(format!("diff of a value with itself is not empty: {own:?}"));
        }
    }
    let forward = diff(a, b);
    let backward = diff(b, a);
    if forward.is_empty() != (a == b) {
        return Err(format!(
            "diff is {} but the values are {}",
            if forward.is_empty() {
                "empty"
            } else {
                "not empty"
            },
            if a == b { "equal" } else { "different" }
        ));
    }
    let mut there: Vec<(String, DiffKind, Option<&Value>, Option<&Value>)> = forward
        .iter()
        .map(|d| {
            (
                d.path.clone(),
                d.kind,
                d.expected.as_ref(),
                d.actual.as_ref(),
            )
        })
        .collect();
    let mut back: Vec<(String, DiffKind, Option<&Value>, Option<&Value>)> = backward
        .iter()
        .map(|d| {
            (
                d.path.clone(),
                flip(d.kind),
                d.actual.as_ref(),
                d.expected.as_ref(),
            )
        })
        .collect();
    there.sort_by(|x, y| (&x.0, x.1).cmp(&(&y.0, y.1)));
    back.sort_by(|x, y| (&x.0, x.1).cmp(&(&y.0, y.1)));
    if there != back {
        return Err(format!(
            "diff is not symmetric:\n a→b {there:?}\n b→a (mirrored) {back:?}"
        ));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use arbitrary::Unstructured;
    use serde_json::json;

    use super::*;
    use crate::fuzz::source::iteration_bytes;

    #[test]
    fn holds_for_hand_picked_values() {
        check_diff(
            &json!({"a": [1, 2], "b": null}),
            &json!({"a": [1], "c": {}}),
        )
        .unwrap();
        check_diff(&json!(1), &json!("1")).unwrap();
        check_diff(&json!({"x y": 0.0}), &json!({"x y": -0.0})).unwrap();
    }

    #[test]
    fn holds_for_generated_values() {
        for i in 0..300 {
            let bytes = iteration_bytes(8, i);
            let input = DiffInput::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
            let (a, b) = input.values();
            check_diff(&a, &b).unwrap();
        }
    }
}
