//! Loading a scenario file: YAML with spans, then the schema, the model and the variable checks.

use std::io::Read;
use std::path::Path;

use super::ast::{Fixtures, Node, Scenario};
use super::fixtures::fixtures;
use super::reader::{is_identifier, is_kebab, Ctx};
use super::steps::{step, PartialStep};
use super::variables::{Scope, BUILTIN_VARIABLES};
use super::yaml::{Yaml, YamlKind};
use crate::diagnostic::{Diagnostic, Position};
use crate::model::Model;
use crate::span::Span;

/// Largest scenario file read at all: well above the parser's scalar budget, far below memory trouble.
const MAX_FILE_BYTES: u64 = 16 << 20;

pub(super) const TOP_KEYS: &[&str] = &[
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
    let unreadable = |err: std::io::Error| {
        vec![Diagnostic::new(
            "cannot read scenario file",
            path,
            Span::UNKNOWN,
            err.to_string().to_lowercase(),
        )]
    };
    // Reads at most one byte past the limit, so a huge file or a device is refused without being read.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(vec![Diagnostic::new(
            "scenario file is too large",
            path,
            Span::UNKNOWN,
            format!(
                "more than {} MiB; a scenario is a few KiB",
                MAX_FILE_BYTES >> 20
            ),
        )]);
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let prefix = String::from_utf8_lossy(valid);
        let at = Position::new(1, 1).after(&prefix);
        vec![Diagnostic::new(
            "scenario file is not valid UTF-8",
            path,
            Span::new(at.line, at.column),
            "invalid byte here",
        )]
    })
}

/// Reads and loads a scenario file (the only I/O of this module).
pub fn load_file(path: &Path, model: &Model) -> Result<Scenario, Vec<Diagnostic>> {
    let text = read_source(path)?;
    load(path, &text, model)
}

const MAX_DEPTH: usize = 48;
const MAX_NODES: usize = 100_000;
const MAX_EVENTS: usize = 400_000;
const MAX_ALIASES: usize = 1_000;
const MAX_ANCHORS: usize = 1_000;
const MAX_SCALAR_BYTES: usize = 8 << 20;
const MAX_REPLAYED_EVENTS: usize = 100_000;
const MAX_ALIAS_DEPTH: usize = 16;

/// Limits that keep a hostile file (alias bombs, deep nesting, huge scalars) cheap to reject.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_nodes: MAX_NODES,
            max_events: MAX_EVENTS,
            max_aliases: MAX_ALIASES,
            max_anchors: MAX_ANCHORS,
            max_total_scalar_bytes: MAX_SCALAR_BYTES,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED_EVENTS,
            max_replay_stack_depth: MAX_ALIAS_DEPTH,
        },
    }
}

/// The YAML tree of `text` with spans, under the same limits as scenarios (the config file reuses it).
pub(crate) fn parse_yaml(path: &Path, text: &str) -> Result<Yaml, Box<Diagnostic>> {
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
    // The scanner's own nesting limit can stop very deep flow collections before the budget sees them.
    let scanner_limit = message.starts_with("recursion limit exceeded");
    let breach = budget_breach(err)
        .or_else(|| scanner_limit.then(|| format!("nested more than {MAX_DEPTH} levels deep")));
    if let Some(label) = breach {
        return Diagnostic::new(
            "scenario file is too large or too deeply nested",
            path,
            span,
            label,
        )
        .with_note("limits guard against alias bombs; a real scenario stays far below them");
    }
    Diagnostic::new("invalid YAML", path, span, message)
}

/// What limit stopped the parse, when a parser budget or alias-expansion limit did (wrappers looked
/// through); `None` for any other error.
fn budget_breach(err: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::budget::BudgetBreach as B;
    use serde_saphyr::Error as E;
    let mut err = err;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = err {
        err = error;
    }
    let label = match err {
        E::Budget { breach, .. } => match breach {
            B::Depth { .. } => format!("nested more than {MAX_DEPTH} levels deep"),
            B::Nodes { .. } => format!("more than {MAX_NODES} nodes"),
            B::Events { .. } => format!("more than {MAX_EVENTS} parser events"),
            B::ScalarBytes { .. } => format!("more than {} MiB of text", MAX_SCALAR_BYTES >> 20),
            B::Aliases { .. } => format!("more than {MAX_ALIASES} aliases"),
            B::Anchors { .. } => format!("more than {MAX_ANCHORS} anchors"),
            other => format!("limit breached: {other:?}"),
        },
        E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. } => {
            format!("aliases expand to more than {MAX_REPLAYED_EVENTS} events")
        }
        E::AliasReplayStackDepthExceeded { .. } => {
            format!("aliases nest more than {MAX_ALIAS_DEPTH} deep")
        }
        _ => return None,
    };
    Some(label)
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
