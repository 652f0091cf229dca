//! The parts of a Smithy/botocore service model the harness needs: operations, their auth, and shapes.

use std::collections::{BTreeMap, HashMap};

/// A parsed service model; operations are kept sorted by name so listings and suggestions are stable.
#[derive(Debug, Clone)]
pub struct Model {
    pub(crate) source_version: String,
    pub(crate) target_prefix: String,
    pub(crate) operations: BTreeMap<String, Operation>,
    pub(crate) shapes: HashMap<String, Shape>,
}

impl Model {
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.get(name)
    }

    /// Operation names in alphabetical order.
    pub fn operation_names(&self) -> impl Iterator<Item = &str> {
        self.operations.keys().map(String::as_str)
    }

    pub fn shape(&self, name: &str) -> Option<&Shape> {
        self.shapes.get(name)
    }

    /// The botocore version the model was generated from (`generatedFrom.version`).
    pub fn source_version(&self) -> &str {
        &self.source_version
    }

    /// The `X-Amz-Target` prefix (`metadata.targetPrefix`), e.g. `AWSCognitoIdentityProviderService`.
    #[cfg(test)]
    pub(crate) fn target_prefix(&self) -> &str {
        &self.target_prefix
    }

    /// The full `X-Amz-Target` header value for an operation.
    pub(crate) fn target_header(&self, operation: &str) -> String {
        format!("{}.{operation}", self.target_prefix)
    }

    /// The input shape of an operation, when it has one.
    pub(crate) fn input_shape(&self, operation: &str) -> Option<(&str, &Shape)> {
        let name = self.operation(operation)?.input.as_deref()?;
        Some((name, self.shape(name)?))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub name: String,
    /// Input shape name.
    pub input: Option<String>,
    /// Output shape name.
    pub output: Option<String>,
    /// Error shape names, in model order.
    pub errors: Vec<String>,
    pub auth: Auth,
}

/// How a request for an operation is authorised on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Signed with AWS Signature Version 4.
    SigV4,
    /// Sent unsigned (`smithy.api#noAuth` / `authtype: none`): token-authorised or public operations.
    NoAuth,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Target shape name.
    pub shape: String,
}

impl Operation {
    /// Whether the model lists `error` among this operation's errors.
    pub(crate) fn lists_error(&self, error: &str) -> bool {
        self.errors.iter().any(|e| e == error)
    }
}

/// A model shape. Constraints are not enforced on scenario input (a scenario may send what AWS refuses);
/// [`crate::model::validate_output`] enforces them on answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Structure {
        /// In model order.
        members: Vec<(String, Member)>,
        required: Vec<String>,
        exception: bool,
        fault: bool,
    },
    /// A structure marked `document: true`: any JSON value.
    Document,
    String {
        pattern: Option<String>,
        min: Option<i64>,
        max: Option<i64>,
        enum_values: Vec<String>,
        sensitive: bool,
    },
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Long {
        min: Option<i64>,
        max: Option<i64>,
    },
    Float,
    Double,
    Boolean,
    /// Epoch seconds on the AWS JSON 1.1 wire.
    Timestamp,
    /// Base64 text on the AWS JSON 1.1 wire.
    Blob {
        min: Option<i64>,
        max: Option<i64>,
    },
    List {
        member: String,
        /// Fewest and most elements (Smithy `length` on a list).
        min: Option<i64>,
        max: Option<i64>,
    },
    Map {
        key: String,
        value: String,
        /// Fewest and most entries (Smithy `length` on a map).
        min: Option<i64>,
        max: Option<i64>,
    },
}

impl Shape {
    /// The model type name (`structure`, `string`, ...), as used in messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Shape::Structure { .. } => "structure",
            Shape::Document => "document",
            Shape::String { .. } => "string",
            Shape::Integer { .. } => "integer",
            Shape::Long { .. } => "long",
            Shape::Float => "float",
            Shape::Double => "double",
            Shape::Boolean => "boolean",
            Shape::Timestamp => "timestamp",
            Shape::Blob { .. } => "blob",
            Shape::List { .. } => "list",
            Shape::Map { .. } => "map",
        }
    }

    /// Member names of a structure, in model order; empty for other shapes.
    pub(crate) fn member_names(&self) -> impl Iterator<Item = &str> {
        let members: &[(String, Member)] = match self {
            Shape::Structure { members, .. } => members,
            _ => &[],
        };
        members.iter().map(|(name, _)| name.as_str())
    }

    /// A structure member by name.
    pub fn member(&self, name: &str) -> Option<&Member> {
        match self {
            Shape::Structure { members, .. } => {
                members.iter().find(|(n, _)| n == name).map(|(_, m)| m)
            }
            _ => None,
        }
    }
}
