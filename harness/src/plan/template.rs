//! `${variable}` substitution into scenario values (pure).

use crate::plan::Bindings;
use crate::scenario::ast::{Template, TemplatePart, Value};
use crate::span::Span;

/// A variable that has no value at send time (the loader checks names; this catches values a target
/// never returned, e.g. a capture path that matched nothing).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("variable `{name}` has no value")]
pub struct RenderError {
    pub name: String,
    pub span: Span,
}

/// A template on its own: a lone `${var}` keeps the variable's JSON type; anything else is a string,
/// substituted by the loader's [`Template::render`].
pub fn render_template(t: &Template, vars: &Bindings) -> Result<serde_json::Value, RenderError> {
    if let [TemplatePart::Var { name, span }] = t.parts.as_slice() {
        return vars.get(name).cloned().ok_or_else(|| RenderError {
            name: name.clone(),
            span: *span,
        });
    }
    t.render(|name| vars.get(name).map(as_text))
        .map(serde_json::Value::String)
        .map_err(|name| {
            let span = t
                .vars()
                .find(|(n, _)| *n == name)
                .map_or(t.span, |(_, s)| s);
            RenderError { name, span }
        })
}

/// A variable's value inside a longer string: strings as they are, anything else as JSON text.
fn as_text(v: &serde_json::Value) -> std::borrow::Cow<'_, str> {
    match v {
        serde_json::Value::String(s) => std::borrow::Cow::Borrowed(s),
        other => std::borrow::Cow::Owned(other.to_string()),
    }
}

/// A template rendered as text (raw bodies and headers).
pub fn render_text(t: &Template, vars: &Bindings) -> Result<String, RenderError> {
    Ok(match render_template(t, vars)? {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    })
}

pub fn render_value(v: &Value, vars: &Bindings) -> Result<serde_json::Value, RenderError> {
    Ok(match v {
        Value::Null(_) => serde_json::Value::Null,
        Value::Bool(b, _) => serde_json::Value::Bool(*b),
        Value::Number(n, _) => serde_json::Value::Number(n.clone()),
        Value::String(t) => render_template(t, vars)?,
        Value::List(items, _) => serde_json::Value::Array(
            items
                .iter()
                .map(|i| render_value(i, vars))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(entries, _) => {
            let mut map = serde_json::Map::new();
            for (k, v) in entries {
                map.insert(k.value.clone(), render_value(v, vars)?);
            }
            serde_json::Value::Object(map)
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::plan::Sensitivity;
    use serde_json::json;

    fn lit(s: &str) -> TemplatePart {
        TemplatePart::Literal(s.into())
    }
    fn var(s: &str) -> TemplatePart {
        TemplatePart::Var {
            name: s.into(),
            span: Span::new(3, 9),
        }
    }
    fn tpl(parts: Vec<TemplatePart>) -> Template {
        Template {
            parts,
            span: Span::new(3, 5),
        }
    }

    #[test]
    fn lone_variable_keeps_its_json_type() {
        let mut vars = Bindings::default();
        vars.set("n", json!(42), Sensitivity::Plain);
        assert_eq!(
            render_template(&tpl(vec![var("n")]), &vars).unwrap(),
            json!(42)
        );
    }

    #[test]
    fn mixed_template_concatenates_text() {
        let mut vars = Bindings::default();
        vars.set_str("pool.id", "us-east-1_abc", Sensitivity::Plain);
        vars.set("n", json!(7), Sensitivity::Plain);
        let t = tpl(vec![lit("id="), var("pool.id"), lit("/"), var("n")]);
        assert_eq!(
            render_template(&t, &vars).unwrap(),
            json!("id=us-east-1_abc/7")
        );
    }

    #[test]
    fn missing_variable_reports_its_span() {
        let err = render_template(&tpl(vec![var("alice.access_token")]), &Bindings::default())
            .unwrap_err();
        assert_eq!(err.name, "alice.access_token");
        assert_eq!(err.span, Span::new(3, 9));
    }
}
