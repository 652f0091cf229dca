//! Reading the YAML tree with a schema in hand: typed getters that report problems instead of failing.

use std::path::Path;

use super::ast::Node;
use super::yaml::{Yaml, YamlKind};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::span::Span;

/// State of one load: where errors point and the errors found so far.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    pub path: &'a Path,
    pub source: &'a str,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    pub fn new(path: &'a Path, source: &'a str) -> Self {
        Ctx {
            path,
            source,
            diagnostics: Vec::new(),
        }
    }

    pub fn diagnostic(
        &self,
        title: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(title, self.path, span, label)
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn error(&mut self, title: impl Into<String>, span: Span, label: impl Into<String>) {
        let d = self.diagnostic(title, span, label);
        self.push(d);
    }

    /// Reports a value of the wrong YAML type, with a hint when quoting would fix it.
    pub(crate) fn wrong_type(&mut self, key: &str, expected: &str, found: &Yaml) {
        let mut d = self.diagnostic(
            format!("wrong type for `{key}`"),
            found.span,
            format!("expected {expected}, found {}", found.kind.describe()),
        );
        if expected == "a string" {
            if let Some(text) = scalar_text(found) {
                d = d.with_help(format!("quote it: `\"{text}\"`"));
            }
        }
        self.push(d);
    }

    /// Reads a map whose keys must come from `allowed`; `null` counts as an empty map.
    pub fn fields<'y>(
        &mut self,
        node: &'y Yaml,
        key: &str,
        what: &str,
        allowed: &[&str],
    ) -> Option<Fields<'y>> {
        let entries = match &node.kind {
            YamlKind::Map(entries) => entries,
            YamlKind::Null => {
                return Some(Fields {
                    span: node.span,
                    entries: Vec::new(),
                })
            }
            _ => {
                self.wrong_type(key, "a map", node);
                return None;
            }
        };
        let mut fields = Fields {
            span: node.span,
            entries: Vec::new(),
        };
        for (k, v) in entries {
            let Some(name) = self.key(k) else { continue };
            if !allowed.contains(&name.value.as_str()) {
                let mut d = self
                    .diagnostic(
                        format!("unknown key `{}` in {what}", name.value),
                        name.span,
                        format!("not a {what} key"),
                    )
                    .with_suggestion(did_you_mean(&name.value, allowed.iter().copied()));
                if d.help.is_none() {
                    d = d.with_note(format!("expected one of: {}", allowed.join(", ")));
                }
                self.push(d);
                continue;
            }
            if self.duplicate(&fields.entries, &name) {
                continue;
            }
            fields.entries.push((name, v));
        }
        Some(fields)
    }

    /// A map key as a string; scalars other than strings are turned into their text.
    pub fn key(&mut self, key: &Yaml) -> Option<Node<String>> {
        match scalar_text(key) {
            Some(text) => Some(Node::new(text, key.span)),
            None => {
                self.error(
                    "unsupported map key",
                    key.span,
                    format!("keys must be strings, found {}", key.kind.describe()),
                );
                None
            }
        }
    }

    /// Reports `name` if it is already among `seen`; returns whether it was a duplicate.
    pub(crate) fn duplicate<T>(&mut self, seen: &[(Node<String>, T)], name: &Node<String>) -> bool {
        let Some((first, _)) = seen.iter().find(|(k, _)| k.value == name.value) else {
            return false;
        };
        let d = self
            .diagnostic(
                format!("duplicate key `{}`", name.value),
                name.span,
                "defined again here",
            )
            .with_note(format!(
                "first defined at line {}, column {}",
                first.span.line, first.span.column
            ));
        self.push(d);
        true
    }

    pub fn string(&mut self, key: &str, node: &Yaml) -> Option<Node<String>> {
        match &node.kind {
            YamlKind::Str(s) => Some(Node::new(s.clone(), node.span)),
            _ => {
                self.wrong_type(key, "a string", node);
                None
            }
        }
    }

    /// Any scalar as text (`true`, `5`, `x`), for values that are strings on the wire anyway.
    pub fn text(&mut self, key: &str, node: &Yaml) -> Option<Node<String>> {
        match scalar_text(node) {
            Some(text) if node.kind != YamlKind::Null => Some(Node::new(text, node.span)),
            _ => {
                self.wrong_type(key, "a string", node);
                None
            }
        }
    }

    pub(crate) fn boolean(&mut self, key: &str, node: &Yaml) -> Option<bool> {
        match node.kind {
            YamlKind::Bool(b) => Some(b),
            _ => {
                self.wrong_type(key, "`true` or `false`", node);
                None
            }
        }
    }

    pub fn list<'y>(&mut self, key: &str, node: &'y Yaml) -> Option<&'y [Yaml]> {
        match &node.kind {
            YamlKind::Seq(items) => Some(items),
            _ => {
                self.wrong_type(key, "a list", node);
                None
            }
        }
    }

    pub(crate) fn string_list(&mut self, key: &str, node: &Yaml) -> Option<Vec<Node<String>>> {
        let items = self.list(key, node)?;
        Some(
            items
                .iter()
                .filter_map(|item| self.string(key, item))
                .collect(),
        )
    }

    /// One of a fixed set of spellings; a near miss gets a suggestion.
    pub(crate) fn choice<T: Copy>(
        &mut self,
        key: &str,
        node: &Yaml,
        choices: &[(&str, T)],
    ) -> Option<T> {
        let names = || choices.iter().map(|(name, _)| *name);
        let Some(text) = scalar_text(node).filter(|_| node.kind != YamlKind::Null) else {
            self.wrong_type(key, "a string", node);
            return None;
        };
        if let Some((_, value)) = choices.iter().find(|(name, _)| *name == text) {
            return Some(*value);
        }
        let listing = names().collect::<Vec<_>>().join(", ");
        let d = self
            .diagnostic(
                format!("invalid value `{text}` for `{key}`"),
                node.span,
                format!("expected one of: {listing}"),
            )
            .with_suggestion(did_you_mean(&text, names()));
        self.push(d);
        None
    }

    /// Checks a string against a simple character-class rule and reports it otherwise.
    pub(crate) fn check_name(
        &mut self,
        key: &str,
        node: &Node<String>,
        rule: &str,
        valid: impl Fn(&str) -> bool,
    ) -> bool {
        if valid(&node.value) {
            return true;
        }
        self.error(
            format!("invalid {key} `{}`", node.value),
            node.span,
            format!("expected {rule}"),
        );
        false
    }
}

/// The keys of a map that passed the schema check, with their values.
#[derive(Debug)]
pub(crate) struct Fields<'y> {
    pub span: Span,
    pub entries: Vec<(Node<String>, &'y Yaml)>,
}

impl<'y> Fields<'y> {
    pub fn get(&self, key: &str) -> Option<&'y Yaml> {
        self.entries
            .iter()
            .find(|(k, _)| k.value == key)
            .map(|(_, v)| *v)
    }

    pub(crate) fn key_span(&self, key: &str) -> Option<Span> {
        self.entries
            .iter()
            .find(|(k, _)| k.value == key)
            .map(|(k, _)| k.span)
    }

    /// The value of a key that must be present; reports it as missing otherwise.
    pub(crate) fn required(&self, ctx: &mut Ctx<'_>, key: &str, what: &str) -> Option<&'y Yaml> {
        let found = self.get(key);
        if found.is_none() {
            ctx.error(
                format!("missing `{key}` in {what}"),
                self.span,
                format!("this {what} has no `{key}`"),
            );
        }
        found
    }
}

/// The text of a scalar node as written (`null` for null); `None` for lists and maps.
pub(crate) fn scalar_text(node: &Yaml) -> Option<String> {
    match &node.kind {
        YamlKind::Null => Some("null".to_owned()),
        YamlKind::Bool(b) => Some(b.to_string()),
        YamlKind::Int(i) => Some(i.to_string()),
        YamlKind::UInt(u) => Some(u.to_string()),
        YamlKind::Float(f) => Some(f.to_string()),
        YamlKind::Str(s) => Some(s.clone()),
        YamlKind::Seq(_) | YamlKind::Map(_) => None,
    }
}

/// `[a-z0-9-]+`.
pub(crate) fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// `[A-Za-z_][A-Za-z0-9_-]*`: user names and capture names, usable as the first part of `${a.b}`.
pub(crate) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}
