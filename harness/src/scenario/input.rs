//! Checks a `call:` step's input against the operation's input shape: members, types, required members.
//!
//! Pattern, length and enum constraints are deliberately not enforced: sending values the service
//! must reject is what many scenarios test.

use super::ast::{Node, Value};
use super::reader::Ctx;
use crate::diagnostic::did_you_mean;
use crate::model::{Model, Shape};
use crate::span::Span;

const RAW_NOTE: &str = "use a `raw:` step to send input the model forbids";

/// Validates `input` against the input shape of `operation`; missing members are reported at `owner`
/// (the `input:` key, or the operation name when there is no input).
pub(crate) fn check_input(
    ctx: &mut Ctx<'_>,
    model: &Model,
    operation: &str,
    input: &Value,
    owner: Span,
) {
    let checker = Checker { model, operation };
    match model.input_shape(operation) {
        Some((name, shape)) => checker.check(ctx, (name, shape), input, "", owner),
        None => {
            if !matches!(input, Value::Map(entries, _) if entries.is_empty()) {
                ctx.error(
                    format!("{operation} takes no input"),
                    input.span(),
                    "the model defines no input shape for this operation",
                );
            }
        }
    }
}

struct Checker<'m> {
    model: &'m Model,
    operation: &'m str,
}

impl Checker<'_> {
    /// Checks `value` at `path`; `owner` is the key holding it, where missing members are reported.
    fn check(
        &self,
        ctx: &mut Ctx<'_>,
        (shape_name, shape): (&str, &Shape),
        value: &Value,
        path: &str,
        owner: Span,
    ) {
        let fits = match (shape, value) {
            (Shape::Document, _) => true,
            (Shape::Structure { .. }, Value::Map(entries, _)) => {
                self.structure(ctx, (shape_name, shape), entries, path, owner);
                true
            }
            (Shape::List { member, .. }, Value::List(items, _)) => {
                if let Some(item_shape) = self.model.shape(member) {
                    for (i, item) in items.iter().enumerate() {
                        self.check(
                            ctx,
                            (member, item_shape),
                            item,
                            &format!("{path}[{i}]"),
                            item.span(),
                        );
                    }
                }
                true
            }
            (
                Shape::Map {
                    value: value_shape, ..
                },
                Value::Map(entries, _),
            ) => {
                if let Some(item_shape) = self.model.shape(value_shape) {
                    for (key, item) in entries {
                        self.check(
                            ctx,
                            (value_shape, item_shape),
                            item,
                            &join(path, &key.value),
                            key.span,
                        );
                    }
                }
                true
            }
            (Shape::String { .. } | Shape::Blob { .. }, Value::String(_)) => true,
            (Shape::Boolean, Value::Bool(..)) => true,
            (Shape::Integer { .. } | Shape::Long { .. }, Value::Number(n, _)) => !n.is_f64(),
            (Shape::Float | Shape::Double | Shape::Timestamp, Value::Number(..)) => true,
            _ => false,
        };
        if !fits {
            self.wrong_type(ctx, shape_name, shape, value, path);
        }
    }

    fn structure(
        &self,
        ctx: &mut Ctx<'_>,
        (shape_name, shape): (&str, &Shape),
        entries: &[(Node<String>, Value)],
        path: &str,
        owner: Span,
    ) {
        for (key, value) in entries {
            match shape.member(&key.value) {
                Some(member) => match self.model.shape(&member.shape) {
                    Some(member_shape) => self.check(
                        ctx,
                        (&member.shape, member_shape),
                        value,
                        &join(path, &key.value),
                        key.span,
                    ),
                    None => ctx.error(
                        format!("member `{}` has no shape in the model", key.value),
                        key.span,
                        format!("shape `{}` is missing", member.shape),
                    ),
                },
                None => {
                    let d = ctx
                        .diagnostic(
                            format!("unknown member `{}` in {} input", key.value, self.operation),
                            key.span,
                            format!("not a member of {shape_name}"),
                        )
                        .with_suggestion(did_you_mean(&key.value, shape.member_names()));
                    let d = if d.help.is_none() {
                        d.with_note(format!(
                            "{shape_name} has: {}",
                            shape.member_names().collect::<Vec<_>>().join(", ")
                        ))
                    } else {
                        d
                    };
                    ctx.push(d);
                }
            }
        }
        if let Shape::Structure { required, .. } = shape {
            for name in required
                .iter()
                .filter(|r| !entries.iter().any(|(k, _)| &k.value == *r))
            {
                let d = ctx
                    .diagnostic(
                        format!(
                            "missing required member `{}` in {} input",
                            join(path, name),
                            self.operation
                        ),
                        owner,
                        format!("{shape_name} requires `{name}`"),
                    )
                    .with_note(RAW_NOTE);
                ctx.push(d);
            }
        }
    }

    fn wrong_type(
        &self,
        ctx: &mut Ctx<'_>,
        shape_name: &str,
        shape: &Shape,
        value: &Value,
        path: &str,
    ) {
        let expected = match shape {
            Shape::Structure { .. } | Shape::Map { .. } => "a map",
            Shape::List { .. } => "a list",
            Shape::String { .. } => "a string",
            Shape::Blob { .. } => "a base64 string",
            Shape::Boolean => "`true` or `false`",
            Shape::Integer { .. } | Shape::Long { .. } => "an integer",
            Shape::Float | Shape::Double => "a number",
            Shape::Timestamp => "a number (epoch seconds)",
            Shape::Document => "any value",
        };
        let what = if path.is_empty() {
            "input".to_owned()
        } else {
            format!("`{path}`")
        };
        let mut d = ctx.diagnostic(
            format!("wrong type for {what} in {} input", self.operation),
            value.span(),
            format!(
                "expected {expected} ({shape_name}), found {}",
                value.describe()
            ),
        );
        d = match (shape, value) {
            (Shape::String { .. }, Value::Number(..) | Value::Bool(..)) => {
                d.with_help("quote it to send a string")
            }
            (Shape::Boolean, Value::String(t))
                if matches!(t.as_literal().as_deref(), Some("true" | "false")) =>
            {
                d.with_help("remove the quotes to send a boolean")
            }
            (_, Value::Null(_)) => d.with_help("leave the member out to omit it"),
            _ => d,
        };
        ctx.push(d.with_note(RAW_NOTE));
    }
}

fn join(path: &str, member: &str) -> String {
    if path.is_empty() {
        member.to_owned()
    } else {
        format!("{path}.{member}")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::cognito;
    use crate::scenario::value::to_value;
    use crate::scenario::yaml::Yaml;

    fn errors(operation: &str, src: &str) -> Vec<String> {
        let doc: Yaml = serde_saphyr::from_str(src).unwrap();
        let mut ctx = Ctx::new(Path::new("i.yaml"), src);
        let value = to_value(&mut ctx, &doc);
        check_input(&mut ctx, cognito(), operation, &value, Span::new(1, 1));
        ctx.diagnostics
            .into_iter()
            .map(|d| format!("{} {} | {}", d.span, d.title, d.label))
            .collect()
    }

    #[test]
    fn valid_input_passes_without_enforcing_constraints() {
        let src = "AccessToken: \"not a valid token!\"\nSoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false }\n";
        assert_eq!(errors("SetUserMFAPreference", src), Vec::<String>::new());
    }

    #[test]
    fn nested_members_lists_and_types_are_checked() {
        let src = "UserPoolId: p\nUsername: u\nUserAttributes:\n  - Name: email\n    Valu: x\n  - 5\nForceAliasCreation: \"true\"\n";
        assert_eq!(
            errors("AdminCreateUser", src),
            [
                "5:5 unknown member `Valu` in AdminCreateUser input | not a member of AttributeType",
                "6:5 wrong type for `UserAttributes[1]` in AdminCreateUser input | expected a map (AttributeType), found an integer",
                "7:21 wrong type for `ForceAliasCreation` in AdminCreateUser input | expected `true` or `false` (ForceAliasCreation), found a string",
            ]
        );
    }

    #[test]
    fn missing_required_members_point_at_the_key_that_holds_them() {
        let src = "UserAttributes:\n  - Value: x\n";
        let found = errors("AdminUpdateUserAttributes", src);
        assert!(found.contains(&"2:5 missing required member `UserAttributes[0].Name` in AdminUpdateUserAttributes input | AttributeType requires `Name`".to_owned()), "{found:#?}");
        assert!(
            found
                .iter()
                .any(|e| e.starts_with("1:1 missing required member `UserPoolId`")),
            "{found:#?}"
        );
    }

    #[test]
    fn integers_maps_and_operations_without_input() {
        let src = "AccessToken: t\nLimit: 1.5\n";
        assert_eq!(
            errors("ListDevices", src),
            ["2:8 wrong type for `Limit` in ListDevices input | expected an integer (QueryLimitType), found a number"]
        );
        let src = "ClientId: c\nUsername: u\nClientMetadata: { a: b, c: 1 }\n";
        assert_eq!(
            errors("ResendConfirmationCode", src),
            ["3:28 wrong type for `ClientMetadata.c` in ResendConfirmationCode input | expected a string (StringType), found an integer"]
        );
    }
}
