//! The `steps:` list: each step's request (`call:` or `raw:`), captures and expectation.

use base64::Engine as _;

use super::ast::{Action, Capture, Expect, Node, RawBody, RawRequest, Step, Template, Value};
use super::input::check_input;
use super::json_path::JsonPath;
use super::reader::{scalar_text, Ctx, Fields};
use super::template::parse_template;
use super::value::to_value;
use super::yaml::{Yaml, YamlKind};
use crate::diagnostic::did_you_mean;
use crate::model::Model;
use crate::span::Span;

pub(super) const STEP_KEYS: &[&str] = &["name", "call", "input", "raw", "capture", "expect"];
pub(super) const RAW_KEYS: &[&str] = &[
    "operation",
    "target",
    "headers",
    "body",
    "body_base64",
    "json",
    "sign",
];
const BODY_FORMS: [&str; 3] = ["body", "body_base64", "json"];
/// A step as far as it could be read; parts that had errors are `None`.
///
/// Kept partial so later checks (duplicate names, variables, captures) still run on broken steps.
#[derive(Debug, Default)]
pub(crate) struct PartialStep {
    pub name: Option<Node<String>>,
    pub action: Option<Action>,
    pub capture: Vec<Capture>,
    pub expect: Vec<Expect>,
}

impl PartialStep {
    pub(crate) fn into_step(self) -> Option<Step> {
        let mut expect = self.expect.into_iter();
        Some(Step {
            name: self.name?,
            action: self.action?,
            capture: self.capture,
            expect: expect.next(),
            more_expect: expect.collect(),
        })
    }

    /// Every template that is sent or compared, for the variable check.
    pub(crate) fn templates(&self) -> Vec<&Template> {
        let mut found = Vec::new();
        match &self.action {
            Some(Action::Call { input, .. }) => collect(input, &mut found),
            Some(Action::Raw(raw)) => {
                found.extend(raw.target_header.iter());
                found.extend(raw.headers.iter().map(|(_, t)| t));
                match &raw.body {
                    RawBody::Text(t) => found.push(t),
                    RawBody::Json(v) => collect(v, &mut found),
                    RawBody::Bytes(_) => {}
                }
            }
            None => {}
        }
        for body in self.expect.iter().filter_map(|e| e.body.as_ref()) {
            collect(body, &mut found);
        }
        found
    }
}

/// Reads one item of `steps:`.
pub(crate) fn step(ctx: &mut Ctx<'_>, model: &Model, node: &Yaml) -> PartialStep {
    let Some(f) = ctx.fields(node, "step", "step", STEP_KEYS) else {
        return PartialStep::default();
    };
    let name = f
        .required(ctx, "name", "step")
        .and_then(|v| ctx.string("name", v));
    if let Some(name) = name.as_ref().filter(|n| n.value.trim().is_empty()) {
        ctx.error(
            "empty step name",
            name.span,
            "give the step a name that says what it does",
        );
    }
    PartialStep {
        name,
        action: action(ctx, model, &f),
        capture: f
            .get("capture")
            .map(|v| captures(ctx, v))
            .unwrap_or_default(),
        expect: f
            .get("expect")
            .map(|v| super::expect::expectations(ctx, v))
            .unwrap_or_default(),
    }
}

fn action(ctx: &mut Ctx<'_>, model: &Model, f: &Fields<'_>) -> Option<Action> {
    match (f.get("call"), f.get("raw")) {
        (Some(_), Some(_)) => {
            let span = f.key_span("raw").unwrap_or(f.span);
            let d = ctx
                .diagnostic(
                    "a step has either `call:` or `raw:`, not both",
                    span,
                    "`raw:` conflicts with `call:`",
                )
                .with_help("split this into two steps");
            ctx.push(d);
            None
        }
        (None, None) => {
            ctx.error(
                "step has nothing to send",
                f.span,
                "this step has neither `call:` nor `raw:`",
            );
            None
        }
        (Some(call), None) => {
            let input = f
                .get("input")
                .map(|v| (f.key_span("input").unwrap_or(v.span), v));
            self::call(ctx, model, call, input)
        }
        (None, Some(raw)) => {
            if let Some(span) = f.key_span("input") {
                let d = ctx
                    .diagnostic(
                        "`input` belongs to `call:` steps",
                        span,
                        "not used by `raw:`",
                    )
                    .with_help(
                        "put the request body in `raw:` as `json:`, `body:` or `body_base64:`",
                    );
                ctx.push(d);
            }
            self::raw(ctx, model, raw).map(Action::Raw)
        }
    }
}

fn call(
    ctx: &mut Ctx<'_>,
    model: &Model,
    call: &Yaml,
    input: Option<(Span, &Yaml)>,
) -> Option<Action> {
    let operation = ctx.string("call", call)?;
    let (input, owner) = match input {
        Some((key, node)) => (to_value(ctx, node), key),
        None => (Value::Map(Vec::new(), operation.span), operation.span),
    };
    if known_operation(ctx, model, &operation) {
        check_input(ctx, model, &operation.value, &input, owner);
    }
    Some(Action::Call { operation, input })
}

fn known_operation(ctx: &mut Ctx<'_>, model: &Model, operation: &Node<String>) -> bool {
    if model.operation(&operation.value).is_some() {
        return true;
    }
    let d = ctx
        .diagnostic(
            format!("unknown operation `{}`", operation.value),
            operation.span,
            "not an operation of the Cognito user-pools API",
        )
        .with_suggestion(did_you_mean(&operation.value, model.operation_names()));
    ctx.push(d);
    false
}

fn raw(ctx: &mut Ctx<'_>, model: &Model, node: &Yaml) -> Option<RawRequest> {
    let f = ctx.fields(node, "raw", "raw request", RAW_KEYS)?;
    let operation = f.get("operation").and_then(|v| ctx.string("operation", v));
    if let Some(op) = &operation {
        known_operation(ctx, model, op);
    }
    let target_header = f.get("target").and_then(|v| template(ctx, "target", v));
    let headers = f
        .get("headers")
        .map(|v| headers(ctx, v))
        .unwrap_or_default();
    let sign = f.get("sign").and_then(|v| ctx.boolean("sign", v));

    let forms: Vec<&str> = BODY_FORMS
        .into_iter()
        .filter(|k| f.get(k).is_some())
        .collect();
    for extra in forms.iter().skip(1) {
        let span = f.key_span(extra).unwrap_or(f.span);
        let d = ctx
            .diagnostic(
                "a raw request has one body",
                span,
                format!("`{extra}` conflicts with `{}`", forms[0]),
            )
            .with_help("keep one of `body`, `body_base64` and `json`");
        ctx.push(d);
    }
    let body = match forms.first().copied() {
        None => {
            let d = ctx
                .diagnostic(
                    "raw request has no body",
                    f.span,
                    "add `body`, `body_base64` or `json`",
                )
                .with_help("use `body: \"\"` to send an empty body");
            ctx.push(d);
            None
        }
        Some("body") => f.get("body").and_then(|v| body_text(ctx, v)),
        Some("body_base64") => f.get("body_base64").and_then(|v| body_bytes(ctx, v)),
        Some(_) => f.get("json").map(|v| RawBody::Json(to_value(ctx, v))),
    };
    let body = body.filter(|_| forms.len() == 1)?;
    Some(RawRequest {
        span: node.span,
        operation,
        target_header,
        headers,
        body,
        sign,
    })
}

fn template(ctx: &mut Ctx<'_>, key: &str, node: &Yaml) -> Option<Template> {
    let text = ctx.text(key, node)?;
    Some(parse_template(ctx, &text.value, node))
}

fn headers(ctx: &mut Ctx<'_>, node: &Yaml) -> Vec<(Node<String>, Template)> {
    let entries = match &node.kind {
        YamlKind::Map(entries) => entries,
        YamlKind::Null => return Vec::new(),
        _ => {
            ctx.wrong_type("headers", "a map of header names to values", node);
            return Vec::new();
        }
    };
    let mut headers: Vec<(Node<String>, Template)> = Vec::new();
    for (key, value) in entries {
        let Some(name) = ctx.key(key) else { continue };
        if let Some(first) = headers
            .iter()
            .find(|(k, _)| k.value.eq_ignore_ascii_case(&name.value))
        {
            let d = ctx
                .diagnostic(
                    format!("duplicate header `{}`", name.value),
                    name.span,
                    "defined again here",
                )
                .with_note(format!(
                    "header names are case-insensitive; first defined at line {}, column {}",
                    first.0.span.line, first.0.span.column
                ));
            ctx.push(d);
            continue;
        }
        if let Some(value) = template(ctx, &name.value, value) {
            headers.push((name, value));
        }
    }
    headers
}

fn body_text(ctx: &mut Ctx<'_>, node: &Yaml) -> Option<RawBody> {
    if let YamlKind::Str(text) = &node.kind {
        return Some(RawBody::Text(parse_template(ctx, text, node)));
    }
    let mut d = ctx.diagnostic(
        "wrong type for `body`",
        node.span,
        format!("expected text, found {}", node.kind.describe()),
    );
    d = match scalar_text(node) {
        Some(text) if node.kind != YamlKind::Null => d.with_help(format!("quote it: `\"{text}\"`")),
        _ => d.with_help("use `json:` to send a YAML value as JSON"),
    };
    ctx.push(d);
    None
}

fn body_bytes(ctx: &mut Ctx<'_>, node: &Yaml) -> Option<RawBody> {
    let text = ctx.string("body_base64", node)?;
    let compact: String = text.value.split_whitespace().collect();
    match base64::engine::general_purpose::STANDARD.decode(compact) {
        Ok(bytes) => Some(RawBody::Bytes(bytes)),
        Err(err) => {
            ctx.error(
                "invalid base64 in `body_base64`",
                node.span,
                format!(
                    "not valid base64: {}",
                    err.to_string().to_lowercase().trim_end_matches('.')
                ),
            );
            None
        }
    }
}

fn captures(ctx: &mut Ctx<'_>, node: &Yaml) -> Vec<Capture> {
    let entries = match &node.kind {
        YamlKind::Map(entries) => entries,
        YamlKind::Null => return Vec::new(),
        _ => {
            ctx.wrong_type("capture", "a map of names to JSON paths", node);
            return Vec::new();
        }
    };
    let mut seen: Vec<(Node<String>, ())> = Vec::new();
    let mut captures = Vec::new();
    for (key, value) in entries {
        let Some(name) = ctx.key(key) else { continue };
        if ctx.duplicate(&seen, &name) {
            continue;
        }
        seen.push((name.clone(), ()));
        let Some(path) = ctx.string(&name.value, value) else {
            continue;
        };
        if let Err(err) = JsonPath::parse(&path.value) {
            let d = ctx
                .diagnostic(format!("invalid capture path `{}`", path.value), path.span, err.message)
                .with_note("paths are `$`, then `.Member` or `[index]` steps, e.g. `$.Devices[0].DeviceKey`");
            ctx.push(d);
            continue;
        }
        captures.push(Capture { name, path });
    }
    captures
}

fn collect<'v>(value: &'v Value, found: &mut Vec<&'v Template>) {
    match value {
        Value::String(t) => found.push(t),
        Value::List(items, _) => items.iter().for_each(|v| collect(v, found)),
        Value::Map(entries, _) => entries.iter().for_each(|(_, v)| collect(v, found)),
        Value::Null(_) | Value::Bool(..) | Value::Number(..) => {}
    }
}
