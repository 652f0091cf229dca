//! The `expect:` block of a step: what real Cognito answers, and the fact that says so.

use super::ast::{Confidence, Expect, Node, Value};
use super::json_path::{JsonPath, PathSegment};
use super::reader::Ctx;
use super::value::to_value;
use super::yaml::{Yaml, YamlKind};

pub(super) const EXPECT_KEYS: &[&str] = &[
    "status",
    "error",
    "message",
    "body",
    "absent",
    "present",
    "unordered",
    "source",
    "confidence",
];
const CONFIDENCE: &[(&str, Confidence)] = &[
    ("HIGH", Confidence::High),
    ("MED-HIGH", Confidence::MediumHigh),
    ("MEDIUM", Confidence::Medium),
    ("LOW", Confidence::Low),
];

/// `expect:` is one block or a list of blocks, each a claim with its own `source`.
pub(crate) fn expectations(ctx: &mut Ctx<'_>, node: &Yaml) -> Vec<Expect> {
    let YamlKind::Seq(items) = &node.kind else {
        return expect(ctx, node).into_iter().collect();
    };
    if items.is_empty() {
        ctx.error(
            "empty `expect` list",
            node.span,
            "add a block with a `source`, or remove `expect`",
        );
    }
    items.iter().filter_map(|item| expect(ctx, item)).collect()
}

fn expect(ctx: &mut Ctx<'_>, node: &Yaml) -> Option<Expect> {
    let f = ctx.fields(node, "expect", "expect", EXPECT_KEYS)?;
    let status = f.get("status").and_then(|v| status(ctx, v));
    let error = f.get("error").and_then(|v| ctx.string("error", v));
    let message = f.get("message").and_then(|v| ctx.string("message", v));
    if let Some(m) = &message {
        if let Err(err) = regex::Regex::new(&m.value) {
            let d = ctx
                .diagnostic(
                    "invalid regular expression in `message`",
                    m.span,
                    "does not compile",
                )
                .with_note(err.to_string());
            ctx.push(d);
        }
    }
    let body = f.get("body").map(|v| to_value(ctx, v));
    let absent = f
        .get("absent")
        .map(|v| paths(ctx, "absent", v))
        .unwrap_or_default();
    let present = f
        .get("present")
        .map(|v| paths(ctx, "present", v))
        .unwrap_or_default();
    for path in &present {
        if let Some(also) = absent.iter().find(|a| a.value == path.value) {
            let d = ctx
                .diagnostic(
                    format!("`{}` is both present and absent", path.value),
                    path.span,
                    "listed in `present` here",
                )
                .with_note(format!(
                    "also listed in `absent` at line {}, column {}",
                    also.span.line, also.span.column
                ));
            ctx.push(d);
        }
    }
    let unordered = f
        .get("unordered")
        .map(|v| paths(ctx, "unordered", v))
        .unwrap_or_default();
    for path in &unordered {
        check_unordered(ctx, path, body.as_ref());
    }
    let source = f
        .required(ctx, "source", "expect")
        .and_then(|v| ctx.text("source", v));
    if let Some(s) = &source {
        ctx.check_name(
            "fact id",
            s,
            "a letter and digits, like `T1` (an id from the contract notes)",
            is_fact_id,
        );
    }
    let confidence = match f.get("confidence") {
        Some(v) => ctx.choice("confidence", v, CONFIDENCE)?,
        None => Confidence::High,
    };
    Some(Expect {
        span: f.span,
        status,
        error,
        message,
        body,
        absent,
        present,
        unordered,
        source: source?,
        confidence,
    })
}

fn status(ctx: &mut Ctx<'_>, node: &Yaml) -> Option<Node<u16>> {
    let code = match node.kind {
        YamlKind::Int(i) => u16::try_from(i).ok().filter(|c| (100..=599).contains(c)),
        YamlKind::UInt(_) => None,
        _ => {
            ctx.wrong_type("status", "an HTTP status code", node);
            return None;
        }
    };
    if code.is_none() {
        ctx.error(
            "invalid HTTP status",
            node.span,
            "expected a number from 100 to 599",
        );
    }
    code.map(|c| Node::new(c, node.span))
}

/// `absent:`, `present:` or `unordered:`: a list of JSON paths that each name a member or an
/// element (not `$` itself).
fn paths(ctx: &mut Ctx<'_>, key: &str, node: &Yaml) -> Vec<Node<String>> {
    let Some(items) = ctx.list(key, node) else {
        return Vec::new();
    };
    let mut paths: Vec<Node<String>> = Vec::new();
    for item in items {
        let Some(path) = ctx.string(key, item) else {
            continue;
        };
        match JsonPath::parse(&path.value) {
            Err(err) => {
                let d = ctx
                    .diagnostic(
                        format!("invalid JSON path `{}` in `{key}`", path.value),
                        path.span,
                        err.message,
                    )
                    .with_note("paths are `$`, then `.Member` or `[index]` steps, e.g. `$.UserMFASettingList`");
                ctx.push(d);
            }
            Ok(p) if p.segments.is_empty() => ctx.error(
                format!("`{key}` needs a member path"),
                path.span,
                "`$` is the whole body, which is always there",
            ),
            Ok(_) => {
                if let Some(first) = paths.iter().find(|p| p.value == path.value) {
                    let d = ctx
                        .diagnostic(
                            format!("duplicate path `{}` in `{key}`", path.value),
                            path.span,
                            "listed again here",
                        )
                        .with_note(format!(
                            "first listed at line {}, column {}",
                            first.span.line, first.span.column
                        ));
                    ctx.push(d);
                } else {
                    paths.push(path);
                }
            }
        }
    }
    paths
}

/// An `unordered:` path must name a list written in this block's `body:`.
fn check_unordered(ctx: &mut Ctx<'_>, path: &Node<String>, body: Option<&Value>) {
    let Ok(parsed) = JsonPath::parse(&path.value) else {
        return;
    };
    let target = body.and_then(|b| value_at(b, &parsed.segments));
    if !matches!(target, Some(Value::List(..))) {
        let found = match target {
            None => "nothing there",
            Some(Value::Map(..)) => "a map there",
            Some(_) => "a scalar there",
        };
        let d = ctx
            .diagnostic(
                format!("`unordered` path `{}` is not a list in `body`", path.value),
                path.span,
                format!("expected a list written in `body:`, found {found}"),
            )
            .with_note("`unordered` makes a list of `body:` match in any order");
        ctx.push(d);
    }
}

/// The scenario value at `segments` (members of maps, elements of lists).
fn value_at<'v>(value: &'v Value, segments: &[PathSegment]) -> Option<&'v Value> {
    let Some((first, rest)) = segments.split_first() else {
        return Some(value);
    };
    let next = match (first, value) {
        (PathSegment::Member(m), Value::Map(entries, _)) => {
            entries.iter().find(|(k, _)| k.value == *m).map(|(_, v)| v)
        }
        (PathSegment::Index(i), Value::List(items, _)) => items.get(*i),
        _ => None,
    }?;
    value_at(next, rest)
}

/// `[A-Z][0-9]+`.
fn is_fact_id(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && {
        let rest = chars.as_str();
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())
    }
}
