//! Reading the config file into keys and values with their positions; which keys exist is decided by
//! the command line's own definition (see `apply`), so this layer knows only the file's shape.

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::scenario::ast::Node;
use crate::scenario::load::parse_yaml;
use crate::scenario::reader::{scalar_text, Ctx};
use crate::scenario::yaml::{Yaml, YamlKind};
use crate::span::Span;

/// The file, with every key and value where it was written.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    /// Keys at the top level: defaults for every command that has the flag.
    pub top: Vec<Entry>,
    /// `run:`, `matrix:` ... sections: keys for that command only, winning over the top level.
    pub sections: Vec<(Node<String>, Vec<Entry>)>,
}

/// One `key: value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node<String>,
    pub value: Value,
}

/// A value as the command line would take it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `true` / `false`: a switch such as `--verbose`.
    Bool(Node<bool>),
    /// A single value, as text (`4`, `us-east-1`).
    One(Node<String>),
    /// A list: the flag repeated once per item.
    Many(Span, Vec<Node<String>>),
}

impl Value {
    pub fn span(&self) -> Span {
        match self {
            Value::Bool(n) => n.span,
            Value::One(n) => n.span,
            Value::Many(span, _) => *span,
        }
    }
}

/// Parses the file; `sections` are the keys that hold a map of their own (the subcommands' names).
///
/// Pure: the caller reads the file. Every problem found is returned, in file order.
pub fn parse(path: &Path, text: &str, sections: &[&str]) -> Result<ConfigFile, Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Ok(ConfigFile::default());
    }
    let doc = parse_yaml(path, text).map_err(|d| vec![*d])?;
    let mut ctx = Ctx::new(path, text);
    let mut file = ConfigFile::default();
    match &doc.kind {
        YamlKind::Map(entries) => {
            for (k, v) in entries {
                let Some(key) = ctx.key(k) else { continue };
                if sections.contains(&key.value.as_str()) && matches!(v.kind, YamlKind::Map(_)) {
                    if file.sections.iter().any(|(s, _)| s.value == key.value) {
                        duplicate(&mut ctx, &key);
                        continue;
                    }
                    let YamlKind::Map(inner) = &v.kind else {
                        continue;
                    };
                    let entries = section(&mut ctx, inner);
                    file.sections.push((key, entries));
                } else if let Some(entry) = entry(&mut ctx, key, v, &file.top) {
                    file.top.push(entry);
                }
            }
        }
        YamlKind::Null => {}
        _ => ctx.wrong_type("the config file", "a map of flag names to values", &doc),
    }
    if ctx.diagnostics.is_empty() {
        Ok(file)
    } else {
        let mut diagnostics = ctx.diagnostics;
        diagnostics.sort_by_key(|d| d.span);
        Err(diagnostics)
    }
}

fn section(ctx: &mut Ctx<'_>, inner: &[(Yaml, Yaml)]) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (k, v) in inner {
        let Some(key) = ctx.key(k) else { continue };
        if let Some(e) = entry(ctx, key, v, &entries) {
            entries.push(e);
        }
    }
    entries
}

fn entry(ctx: &mut Ctx<'_>, key: Node<String>, v: &Yaml, seen: &[Entry]) -> Option<Entry> {
    if seen.iter().any(|e| e.key.value == key.value) {
        duplicate(ctx, &key);
        return None;
    }
    let value = match &v.kind {
        YamlKind::Bool(b) => Value::Bool(Node::new(*b, v.span)),
        YamlKind::Seq(items) => {
            let mut values = Vec::new();
            for item in items {
                values.push(scalar(ctx, &key.value, item)?);
            }
            Value::Many(v.span, values)
        }
        _ => Value::One(scalar(ctx, &key.value, v)?),
    };
    Some(Entry { key, value })
}

fn scalar(ctx: &mut Ctx<'_>, key: &str, v: &Yaml) -> Option<Node<String>> {
    match (&v.kind, scalar_text(v)) {
        (YamlKind::Null, _) | (_, None) => {
            ctx.wrong_type(key, "a value or a list of values", v);
            None
        }
        (_, Some(text)) => Some(Node::new(text, v.span)),
    }
}

fn duplicate(ctx: &mut Ctx<'_>, key: &Node<String>) {
    ctx.error(
        format!("duplicate key `{}`", key.value),
        key.span,
        "defined again here",
    );
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> ConfigFile {
        parse(Path::new("c.yaml"), text, &["run", "matrix"]).unwrap()
    }

    #[test]
    fn keys_values_and_sections_keep_their_positions() {
        let file = parse_ok("jobs: 2\nverbose: true\nmatrix:\n  targets: [moto, ministack]\n");
        assert_eq!(file.top.len(), 2);
        assert_eq!(
            file.top[0].key,
            Node::new("jobs".to_owned(), Span::new(1, 1))
        );
        assert_eq!(
            file.top[0].value,
            Value::One(Node::new("2".to_owned(), Span::new(1, 7)))
        );
        assert_eq!(
            file.top[1].value,
            Value::Bool(Node::new(true, Span::new(2, 10)))
        );
        let (name, entries) = &file.sections[0];
        assert_eq!(name.value, "matrix");
        let Value::Many(_, items) = &entries[0].value else {
            panic!("not a list")
        };
        let names: Vec<&str> = items.iter().map(|n| n.value.as_str()).collect();
        assert_eq!(names, ["moto", "ministack"]);
        assert_eq!(items[1].span, Span::new(4, 19));
    }

    #[test]
    fn an_empty_file_sets_nothing() {
        assert!(parse_ok("").top.is_empty());
        assert!(parse_ok("# only comments\n").top.is_empty());
    }

    #[test]
    fn shape_errors_point_at_the_value() {
        let err = parse(
            Path::new("c.yaml"),
            "jobs: {a: 1}\njobs: 3\nregion: ~\n",
            &[],
        )
        .unwrap_err();
        let titles: Vec<(&str, Span)> = err.iter().map(|d| (d.title.as_str(), d.span)).collect();
        assert_eq!(
            titles,
            [
                ("wrong type for `jobs`", Span::new(1, 7)),
                ("wrong type for `region`", Span::new(3, 9)),
            ]
        );
        let err = parse(Path::new("c.yaml"), "- jobs\n", &[]).unwrap_err();
        assert_eq!(err[0].span, Span::new(1, 1));
        let err = parse(Path::new("c.yaml"), "jobs: 2\njobs: 3\n", &[]).unwrap_err();
        assert_eq!(err[0].title, "duplicate key `jobs`");
        assert_eq!(err[0].span, Span::new(2, 1));
    }
}
