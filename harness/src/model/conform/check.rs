//! Conformance of answers to the model: success bodies against the operation's output shape, error
//! bodies against the errors it lists (pure; the rules and their sources are in `docs/conformance.md`).

use serde_json::{Map, Value};

use super::violation::{Rule, Violation};
use super::walk::{describe, Walker};
use crate::model::{cognito, Model, Shape};

/// Errors any AWS JSON 1.1 service may answer on top of an operation's modeled errors (Smithy's
/// awsJson1.1 protocol and the AWS common errors; the model does not list them per operation).
pub const PROTOCOL_ERRORS: &[&str] = &[
    "SerializationException",
    "UnknownOperationException",
    "InternalFailure",
    "ServiceUnavailable",
    "ThrottlingException",
    "ValidationException",
    "AccessDeniedException",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "IncompleteSignature",
    "MissingAuthenticationToken",
    "MissingAuthenticationTokenException",
    "RequestExpired",
    "RequestEntityTooLargeException",
];

/// Members of an error body that the protocol adds beside the error shape's own: the type
/// (`__type`, `code`) and botocore's other spelling of the message (P3).
const ERROR_PROTOCOL_MEMBERS: &[&str] = &["__type", "code", "Message"];

impl Model {
    /// Every rule a success body of `operation` breaks (empty for an operation the model lacks).
    /// An empty body counts as `{}`.
    pub fn validate_output(&self, operation: &str, body: &Value) -> Vec<Violation> {
        let Some(op) = self.operation(operation) else {
            return Vec::new();
        };
        let empty = Value::Object(Map::new());
        let body = if body.is_null() { &empty } else { body };
        let mut walker = Walker {
            model: self,
            out: Vec::new(),
        };
        match &op.output {
            Some(shape) => walker.value(shape, body, "$"),
            None => {
                let none = format!("{operation} (no output shape)");
                walker.structure(
                    &none,
                    &[],
                    &[],
                    body.as_object().unwrap_or(&Map::new()),
                    "$",
                    &[],
                );
            }
        }
        walker.out
    }

    /// Every rule an error answer of `operation` breaks: its type (`error_type`, as parsed from the
    /// wire) must be one the operation lists or a protocol error, its message a string, and the body
    /// a structure whose members the error shape defines.
    pub fn validate_error(
        &self,
        operation: &str,
        error_type: &str,
        body: &Value,
    ) -> Vec<Violation> {
        let Some(op) = self.operation(operation) else {
            return Vec::new();
        };
        let mut walker = Walker {
            model: self,
            out: Vec::new(),
        };
        let listed = op.lists_error(error_type);
        if !listed && !PROTOCOL_ERRORS.contains(&error_type) {
            walker.out.push(Violation {
                path: "$.__type".into(),
                rule: Rule::ErrorType,
                shape: format!("{operation}.errors"),
                expected: format!(
                    "an error {operation} lists ({}) or a protocol error",
                    op.errors.join(", ")
                ),
                actual: format!("`{error_type}`"),
            });
        }
        let map = match body {
            Value::Null => return walker.out,
            Value::Object(map) => map,
            other => {
                walker.out.push(type_violation(
                    "$",
                    error_type,
                    "an error structure (JSON object)",
                    other,
                ));
                return walker.out;
            }
        };
        for key in ["__type", "code"] {
            if let Some(v) = map.get(key).filter(|v| !v.is_string()) {
                walker.out.push(type_violation(
                    &format!("$.{key}"),
                    error_type,
                    "the error type as a string",
                    v,
                ));
            }
        }
        if let Some(v) = map
            .get("Message")
            .filter(|v| !v.is_string() && !v.is_null())
        {
            walker
                .out
                .push(type_violation("$.Message", error_type, "a string", v));
        }
        match self.shape(error_type) {
            Some(Shape::Structure {
                members, required, ..
            }) if listed => {
                walker.structure(
                    error_type,
                    members,
                    required,
                    map,
                    "$",
                    ERROR_PROTOCOL_MEMBERS,
                );
            }
            _ => {
                if let Some(v) = map
                    .get("message")
                    .filter(|v| !v.is_string() && !v.is_null())
                {
                    walker
                        .out
                        .push(type_violation("$.message", error_type, "a string", v));
                }
            }
        }
        walker.out
    }
}

fn type_violation(path: &str, shape: &str, expected: &str, actual: &Value) -> Violation {
    Violation {
        path: path.into(),
        rule: Rule::Type,
        shape: shape.into(),
        expected: expected.into(),
        actual: describe(actual, false),
    }
}

/// [`Model::validate_output`] on the embedded Cognito model: what `explore`, the live fuzzer and the
/// suite call on every success answer, before normalisation.
pub fn validate_output(operation: &str, body: &Value) -> Vec<Violation> {
    cognito().validate_output(operation, body)
}

/// [`Model::validate_error`] on the embedded Cognito model.
pub fn validate_error(operation: &str, error_type: &str, body: &Value) -> Vec<Violation> {
    cognito().validate_error(operation, error_type, body)
}

/// Either check, by whether the answer is an error: `error_type` is the type parsed from the wire.
pub fn validate_answer(operation: &str, error_type: Option<&str>, body: &Value) -> Vec<Violation> {
    match error_type {
        Some(e) => validate_error(operation, e, body),
        None => validate_output(operation, body),
    }
}
