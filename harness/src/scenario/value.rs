//! Arbitrary YAML values (request input, raw JSON bodies, expected bodies) converted to [`Value`].

use super::ast::{Node, TemplatePart, Value};
use super::reader::Ctx;
use super::template::parse_template;
use super::yaml::{Yaml, YamlKind};

/// Converts a YAML node; strings become templates, duplicate keys and non-finite numbers are reported.
pub(crate) fn to_value(ctx: &mut Ctx<'_>, node: &Yaml) -> Value {
    match &node.kind {
        YamlKind::Null => Value::Null(node.span),
        YamlKind::Bool(b) => Value::Bool(*b, node.span),
        YamlKind::Int(i) => Value::Number((*i).into(), node.span),
        YamlKind::UInt(u) => Value::Number((*u).into(), node.span),
        YamlKind::Float(f) => match serde_json::Number::from_f64(*f) {
            Some(n) => Value::Number(n, node.span),
            None => {
                ctx.error(
                    "number cannot be sent as JSON",
                    node.span,
                    "JSON has no NaN or infinity",
                );
                Value::Null(node.span)
            }
        },
        YamlKind::Str(s) => Value::String(parse_template(ctx, s, node)),
        YamlKind::Seq(items) => Value::List(
            items.iter().map(|item| to_value(ctx, item)).collect(),
            node.span,
        ),
        YamlKind::Map(entries) => {
            let mut map: Vec<(Node<String>, Value)> = Vec::with_capacity(entries.len());
            for (key, value) in entries {
                let Some(name) = ctx.key(key) else { continue };
                if ctx.duplicate(&map, &name) {
                    continue;
                }
                let value = to_value(ctx, value);
                map.push((name, value));
            }
            Value::Map(map, node.span)
        }
    }
}

impl Value {
    pub fn span(&self) -> crate::span::Span {
        match self {
            Value::Null(span)
            | Value::Bool(_, span)
            | Value::Number(_, span)
            | Value::List(_, span)
            | Value::Map(_, span) => *span,
            Value::String(template) => template.span,
        }
    }

    /// What the value is, as said in "expected a boolean, found a string".
    pub fn describe(&self) -> &'static str {
        match self {
            Value::Null(_) => "null",
            Value::Bool(..) => "a boolean",
            Value::Number(n, _) if n.is_f64() => "a number",
            Value::Number(..) => "an integer",
            Value::String(_) => "a string",
            Value::List(..) => "a list",
            Value::Map(..) => "a map",
        }
    }
}

/// Every `${}` variable in a value, in document order.
pub fn variables_in(value: &Value) -> Vec<&TemplatePart> {
    let mut found = Vec::new();
    collect(value, &mut found);
    found
}

fn collect<'v>(value: &'v Value, found: &mut Vec<&'v TemplatePart>) {
    match value {
        Value::String(t) => found.extend(
            t.parts
                .iter()
                .filter(|p| matches!(p, TemplatePart::Var { .. })),
        ),
        Value::List(items, _) => items.iter().for_each(|v| collect(v, found)),
        Value::Map(entries, _) => entries.iter().for_each(|(_, v)| collect(v, found)),
        Value::Null(_) | Value::Bool(..) | Value::Number(..) => {}
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::plan::{render_value, Bindings, Sensitivity};
    use crate::span::Span;

    fn convert(src: &str) -> (Value, Vec<String>) {
        let doc: Yaml = serde_saphyr::from_str_with_options(
            src,
            serde_saphyr::options! { duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough },
        )
        .unwrap();
        let mut ctx = Ctx::new(Path::new("v.yaml"), src);
        let value = to_value(&mut ctx, &doc);
        (
            value,
            ctx.diagnostics
                .into_iter()
                .map(|d| format!("{} {}", d.span, d.title))
                .collect(),
        )
    }

    #[test]
    fn converts_to_json_with_substitution() {
        let (value, errors) = convert("a: [1, 2.5, true, ~]\nb: { c: \"${x}-y\" }\n");
        assert!(errors.is_empty());
        let mut vars = Bindings::default();
        vars.set_str("x", "X", Sensitivity::Plain);
        let json = render_value(&value, &vars).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"a": [1, 2.5, true, null], "b": {"c": "X-y"}})
        );
        let vars: Vec<_> = variables_in(&value).into_iter().cloned().collect();
        assert_eq!(
            vars,
            [TemplatePart::Var {
                name: "x".into(),
                span: Span::new(2, 10)
            }]
        );
        assert_eq!(
            render_value(&value, &Bindings::default()).unwrap_err().name,
            "x"
        );
    }

    #[test]
    fn duplicate_keys_are_reported_at_the_second_key() {
        let (value, errors) = convert("a: 1\nb: {x: 1, x: 2}\na: 2\n");
        assert_eq!(errors, ["2:11 duplicate key `x`", "3:1 duplicate key `a`"]);
        let json = render_value(&value, &Bindings::default()).unwrap();
        assert_eq!(json, serde_json::json!({"a": 1, "b": {"x": 1}}));
    }

    #[test]
    fn describes_values_for_messages() {
        let (value, _) = convert("[1, 1.5, x, {}, [], ~, false]");
        let Value::List(items, _) = value else {
            panic!("not a list")
        };
        let kinds: Vec<&str> = items.iter().map(Value::describe).collect();
        assert_eq!(
            kinds,
            [
                "an integer",
                "a number",
                "a string",
                "a map",
                "a list",
                "null",
                "a boolean"
            ]
        );
        assert_eq!(items[2].span(), Span::new(1, 10));
    }
}
