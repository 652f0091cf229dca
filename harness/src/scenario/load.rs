//! Loading a scenario file: YAML with spans, then the schema, the model and the variable checks.

use std::path::Path;

use super::ast::{Fixtures, Node, Scenario};
use super::fixtures::fixtures;
use super::reader::{is_identifier, is_kebab, Ctx};
use super::steps::{step, PartialStep};
use super::variables::{Scope, BUILTIN_VARIABLES};
use super::yaml::{Yaml, YamlKind};
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::span::Span;

const TOP_KEYS: &[&str] = &[
    "name",
    "description",
    "tags",
    "targets",
    "fixtures",
    "steps",
];

/// Parses and validates a scenario; on failure returns every problem found, in file order.
pub fn load(path: &Path, text: &str, model: &Model) -> Result<Scenario, Vec<Diagnostic>> {
    let doc = parse_yaml(path, text).map_err(|d| vec![*d])?;
    let mut ctx = Ctx::new(path, text);
    let scenario = scenario(&mut ctx, model, &doc);
    let mut diagnostics = ctx.diagnostics;
    match scenario {
        Some(scenario) if diagnostics.is_empty() => Ok(scenario),
        _ => {
            if diagnostics.is_empty() {
                diagnostics.push(Diagnostic::new("invalid scenario", path, Span::UNKNOWN, ""));
            }
            diagnostics.sort_by_key(|d| d.span);
            Err(diagnostics)
        }
    }
}

/// Reads a scenario file as UTF-8 text; unreadable or non-UTF-8 files become a diagnostic.
///
/// Rendering a diagnostic needs the text: callers that render should use this and [`load`]
/// rather than [`load_file`], which drops the text on failure.
pub fn read_source(path: &Path) -> Result<String, Vec<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|err| {
        let d = Diagnostic::new(
            "cannot read scenario file",
            path,
            Span::UNKNOWN,
            err.to_string().to_lowercase(),
        );
        vec![d]
    })?;
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let prefix = String::from_utf8_lossy(valid);
        let line = prefix.matches('\n').count() + 1;
        let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        vec![Diagnostic::new(
            "scenario file is not valid UTF-8",
            path,
            Span::new(clamp(line), clamp(column)),
            "invalid byte here",
        )]
    })
}

/// Reads and loads a scenario file (the only I/O of this module).
pub fn load_file(path: &Path, model: &Model) -> Result<Scenario, Vec<Diagnostic>> {
    let text = read_source(path)?;
    load(path, &text, model)
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Limits that keep a hostile file (alias bombs, deep nesting, huge scalars) cheap to reject.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_depth: 48,
            max_nodes: 100_000,
            max_events: 400_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_total_scalar_bytes: 8 * 1024 * 1024,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
            max_replay_stack_depth: 16,
        },
    }
}

fn parse_yaml(path: &Path, text: &str) -> Result<Yaml, Box<Diagnostic>> {
    serde_saphyr::from_str_with_options::<Yaml>(text, options())
        .map_err(|err| Box::new(yaml_error(path, &err)))
}

/// Turns a serde-saphyr error into a diagnostic at the error's position.
fn yaml_error(path: &Path, err: &serde_saphyr::Error) -> Diagnostic {
    let span = err.location().map_or(Span::UNKNOWN, |l| {
        Span::new(
            u32::try_from(l.line()).unwrap_or(0),
            u32::try_from(l.column()).unwrap_or(0),
        )
    });
    let message = err.without_snippet().to_string();
    let message = strip_position(&message);
    if message.contains("multiple YAML documents") {
        return Diagnostic::new(
            "a scenario file holds one YAML document",
            path,
            span,
            "a second document starts here",
        );
    }
    if message.starts_with("budget breached") {
        return Diagnostic::new(
            "scenario file is too large or too deeply nested",
            path,
            span,
            message,
        )
        .with_note("limits guard against alias bombs; a real scenario stays far below them");
    }
    Diagnostic::new("invalid YAML", path, span, message)
}

/// serde-saphyr appends "at line L, column C"; the renderer already shows the position.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(", column ") => &message[..at],
        _ => message,
    }
}

fn scenario(ctx: &mut Ctx<'_>, model: &Model, doc: &Yaml) -> Option<Scenario> {
    if doc.kind == YamlKind::Null {
        ctx.error(
            "empty scenario file",
            Span::new(1, 1),
            "expected `name:` and `steps:`",
        );
        return None;
    }
    let f = ctx.fields(doc, "scenario", "scenario", TOP_KEYS)?;
    let name = f
        .required(ctx, "name", "scenario")
        .and_then(|v| ctx.string("name", v));
    if let Some(n) = &name {
        ctx.check_name(
            "scenario name",
            n,
            "lowercase letters, digits and `-`",
            is_kebab,
        );
    }
    let description = f
        .get("description")
        .and_then(|v| ctx.string("description", v))
        .map(|n| n.value);
    let tags = f
        .get("tags")
        .and_then(|v| ctx.string_list("tags", v))
        .unwrap_or_default();
    let targets = f.get("targets").and_then(|v| ctx.string_list("targets", v));
    for target in targets.iter().flatten() {
        ctx.check_name(
            "target name",
            target,
            "lowercase letters, digits and `-`",
            is_kebab,
        );
    }
    let fixtures = fixtures(ctx, model, f.get("fixtures"));
    let steps = f
        .required(ctx, "steps", "scenario")
        .and_then(|v| steps(ctx, model, v, &fixtures));
    Some(Scenario {
        path: ctx.path.to_path_buf(),
        source: ctx.source.to_owned(),
        name: name?,
        description,
        tags: tags.into_iter().map(|t| t.value).collect(),
        targets,
        fixtures,
        steps: steps?,
    })
}

fn steps(
    ctx: &mut Ctx<'_>,
    model: &Model,
    node: &Yaml,
    fixtures: &Fixtures,
) -> Option<Vec<super::ast::Step>> {
    let items = ctx.list("steps", node)?;
    if items.is_empty() {
        ctx.error("scenario has no steps", node.span, "add at least one step");
        return None;
    }
    let partial: Vec<PartialStep> = items.iter().map(|item| step(ctx, model, item)).collect();
    check_names(ctx, &partial);
    check_variables(ctx, fixtures, &partial);
    partial.into_iter().map(PartialStep::into_step).collect()
}

fn check_names(ctx: &mut Ctx<'_>, steps: &[PartialStep]) {
    let mut seen: Vec<&Node<String>> = Vec::new();
    for name in steps.iter().filter_map(|s| s.name.as_ref()) {
        if let Some(first) = seen.iter().find(|n| n.value == name.value) {
            let d = ctx
                .diagnostic(
                    format!("duplicate step name `{}`", name.value),
                    name.span,
                    "used again here",
                )
                .with_note(format!(
                    "first used at line {}, column {}",
                    first.span.line, first.span.column
                ));
            ctx.push(d);
        } else {
            seen.push(name);
        }
    }
}

/// Checks each step's variables against fixtures and earlier captures, then adds its own captures.
fn check_variables(ctx: &mut Ctx<'_>, fixtures: &Fixtures, steps: &[PartialStep]) {
    let mut scope = Scope::from_fixtures(fixtures);
    let mut captured: Vec<&Node<String>> = Vec::new();
    let mut reserved: Vec<&str> = BUILTIN_VARIABLES
        .iter()
        .filter_map(|v| v.split('.').next())
        .collect();
    reserved.extend(fixtures.users.iter().map(|u| u.name.value.as_str()));
    for (i, step) in steps.iter().enumerate() {
        let later: Vec<(String, String)> = steps[i..]
            .iter()
            .flat_map(|s| {
                let step_name = s
                    .name
                    .as_ref()
                    .map_or_else(String::new, |n| n.value.clone());
                s.capture
                    .iter()
                    .map(move |c| (c.name.value.clone(), step_name.clone()))
            })
            .collect();
        for template in step.templates() {
            scope.check(ctx, template, &later);
        }
        scope.after_step(step.templates());
        for capture in &step.capture {
            let name = &capture.name;
            if !is_identifier(&name.value) || reserved.contains(&name.value.as_str()) {
                let label = if is_identifier(&name.value) {
                    "this name is taken by a fixture variable"
                } else {
                    "expected a letter or `_`, then letters, digits, `_` or `-`"
                };
                ctx.error(
                    format!("invalid capture name `{}`", name.value),
                    name.span,
                    label,
                );
            } else if let Some(first) = captured.iter().find(|c| c.value == name.value) {
                let d = ctx
                    .diagnostic(
                        format!("capture `{}` is already defined", name.value),
                        name.span,
                        "captured again here",
                    )
                    .with_note(format!(
                        "first captured at line {}, column {}",
                        first.span.line, first.span.column
                    ));
                ctx.push(d);
            } else {
                scope.define_capture(capture);
                captured.push(name);
            }
        }
    }
}
