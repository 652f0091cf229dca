//! `${variable}` templates in scenario strings, with the exact position of each variable.

use super::ast::{Template, TemplatePart};
use super::reader::Ctx;
use super::yaml::Yaml;
use crate::diagnostic::Position;
use crate::span::Span;

impl Template {
    /// A template with no variables.
    #[cfg(test)]
    pub(crate) fn literal(text: impl Into<String>, span: Span) -> Self {
        Template {
            parts: vec![TemplatePart::Literal(text.into())],
            span,
        }
    }

    /// The variables referenced, in order, with their positions.
    pub fn vars(&self) -> impl Iterator<Item = (&str, Span)> {
        self.parts.iter().filter_map(|part| match part {
            TemplatePart::Var { name, span } => Some((name.as_str(), *span)),
            TemplatePart::Literal(_) => None,
        })
    }

    /// The text when the template has no variables.
    pub fn as_literal(&self) -> Option<String> {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                TemplatePart::Literal(s) => text.push_str(s),
                TemplatePart::Var { .. } => return None,
            }
        }
        Some(text)
    }

    /// Substitutes every variable with `lookup`; the first unknown name is returned as the error.
    pub fn render<F, S>(&self, mut lookup: F) -> Result<String, String>
    where
        F: FnMut(&str) -> Option<S>,
        S: AsRef<str>,
    {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                TemplatePart::Literal(s) => text.push_str(s),
                TemplatePart::Var { name, .. } => match lookup(name) {
                    Some(value) => text.push_str(value.as_ref()),
                    None => return Err(name.clone()),
                },
            }
        }
        Ok(text)
    }
}

/// Parses the string value of `node`; `$${` is a literal `${`. Problems are reported to `ctx`.
pub(crate) fn parse_template(ctx: &mut Ctx<'_>, text: &str, node: &Yaml) -> Template {
    let positions = var_positions(ctx.source, text, node);
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    let mut occurrence = 0;
    while let Some(at) = rest.find('$') {
        literal.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("$${") {
            literal.push_str("${");
            rest = after;
            occurrence += 1;
        } else if let Some(body) = tail.strip_prefix("${") {
            let span = positions
                .as_ref()
                .and_then(|p| p.get(occurrence).copied())
                .unwrap_or(node.span);
            occurrence += 1;
            let Some(end) = body.find('}') else {
                ctx.push(
                    ctx.diagnostic(
                        "unterminated variable",
                        span,
                        "this `${` has no closing `}`",
                    )
                    .with_help("write `$${` for a literal `${`"),
                );
                literal.push_str(tail);
                rest = "";
                break;
            };
            let name = &body[..end];
            if !is_var_name(name) {
                literal.push_str(&tail[..end + 3]);
                rest = &body[end + 1..];
                ctx.push(
                    ctx.diagnostic(
                        format!("invalid variable name `{name}`"),
                        span,
                        "expected letters, digits, `_`, `-` and `.`",
                    )
                    .with_help("write `$${` for a literal `${`"),
                );
                continue;
            }
            if !literal.is_empty() {
                parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
            }
            parts.push(TemplatePart::Var {
                name: name.to_owned(),
                span,
            });
            rest = &body[end + 1..];
        } else {
            literal.push('$');
            rest = &tail[1..];
        }
    }
    literal.push_str(rest);
    if !literal.is_empty() || parts.is_empty() {
        parts.push(TemplatePart::Literal(literal));
    }
    Template {
        parts,
        span: node.span,
    }
}

fn is_var_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.ends_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Where each `${` of the decoded `text` sits in the file, found by matching the n-th `${` of the
/// scalar's raw source; `None` when the raw text is unknown or does not line up (escapes, aliases).
fn var_positions(source: &str, text: &str, node: &Yaml) -> Option<Vec<Span>> {
    let wanted = text.matches("${").count();
    if wanted == 0 {
        return Some(Vec::new());
    }
    let (start, end) = node.bytes?;
    let raw = source.get(start..end)?;
    let mut spans = Vec::with_capacity(wanted);
    // Line breaks as YAML counts them: a lone `\r` in a quoted scalar ends a line too (found by the
    // `scenario_load` fuzz target: counting it as a column put every later `${` a line short).
    let mut at = Position::new(node.span.line, node.span.column);
    for (i, c) in raw.char_indices() {
        if c == '$' && raw[i + 1..].starts_with('{') {
            spans.push(Span::new(at.line, at.column));
        }
        at.step(c);
    }
    (spans.len() == wanted).then_some(spans)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::scenario::yaml::YamlKind;

    /// Parses the value of the only key in a one-entry YAML map.
    fn template_of(src: &str) -> (Template, Vec<String>) {
        let doc: Yaml = serde_saphyr::from_str(src).unwrap();
        let YamlKind::Map(entries) = &doc.kind else {
            panic!("not a map")
        };
        let value = &entries[0].1;
        let YamlKind::Str(text) = &value.kind else {
            panic!("not a string")
        };
        let mut ctx = Ctx::new(Path::new("t.yaml"), src);
        let template = parse_template(&mut ctx, text, value);
        (
            template,
            ctx.diagnostics
                .into_iter()
                .map(|d| format!("{} {}", d.span, d.title))
                .collect(),
        )
    }

    fn var(name: &str, line: u32, column: u32) -> TemplatePart {
        TemplatePart::Var {
            name: name.into(),
            span: Span::new(line, column),
        }
    }

    #[test]
    fn plain_scalar_variables_get_their_own_columns() {
        let (t, errors) = template_of("k: Bearer ${alice.access_token} and ${pool.id}\n");
        assert!(errors.is_empty());
        assert_eq!(
            t.parts,
            [
                TemplatePart::Literal("Bearer ".into()),
                var("alice.access_token", 1, 11),
                TemplatePart::Literal(" and ".into()),
                var("pool.id", 1, 37),
            ]
        );
        assert_eq!(t.span, Span::new(1, 4));
    }

    #[test]
    fn quoted_scalars_count_from_the_quote() {
        let (t, _) = template_of("key: \"tab\\t${x}\"\n");
        assert_eq!(t.parts[1], var("x", 1, 12));
        let (t, _) = template_of("key: 'it''s ${x}'\n");
        assert_eq!(t.parts[1], var("x", 1, 13));
    }

    #[test]
    fn block_scalars_point_at_the_right_line() {
        let (t, _) = template_of(
            "body: |\n  {\"AccessToken\": \"${a.access_token}\",\n   \"x\": \"${b}\"}\n",
        );
        let vars: Vec<(&str, Span)> = t.vars().collect();
        assert_eq!(
            vars,
            [
                ("a.access_token", Span::new(2, 20)),
                ("b", Span::new(3, 10))
            ]
        );
    }

    #[test]
    fn dollar_dollar_brace_is_a_literal() {
        let (t, errors) = template_of("k: cost $$5 and $${not} ${v}\n");
        assert!(errors.is_empty());
        assert_eq!(
            t.parts,
            [
                TemplatePart::Literal("cost $$5 and ${not} ".into()),
                var("v", 1, 25)
            ]
        );
        assert_eq!(t.as_literal(), None);
    }

    #[test]
    fn unterminated_and_invalid_variables_are_reported_where_they_start() {
        let (_, errors) = template_of("k: ok ${a} then ${broken\n");
        assert_eq!(errors, ["1:17 unterminated variable"]);
        let (t, errors) = template_of("k: x ${ a }\n");
        assert_eq!(t.vars().count(), 0);
        assert_eq!(t.as_literal().as_deref(), Some("x ${ a }"));
        assert_eq!(errors, ["1:6 invalid variable name ` a `"]);
        let (_, errors) = template_of("k: ${}\n");
        assert_eq!(errors, ["1:4 invalid variable name ``"]);
    }

    #[test]
    fn render_substitutes_and_names_the_missing_variable() {
        let (t, _) = template_of("k: a${x}b${y}\n");
        assert_eq!(t.render(|n| (n == "x").then_some("1")), Err("y".to_owned()));
        assert_eq!(t.render(|n| Some(n.to_uppercase())).unwrap(), "aXbY");
        assert_eq!(
            Template::literal("z", Span::UNKNOWN)
                .as_literal()
                .as_deref(),
            Some("z")
        );
    }
}
