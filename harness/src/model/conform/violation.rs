//! What an answer that breaks its model shape is reported as: where (JSON path), which rule, and the
//! shape that imposes it.

use std::fmt;

/// The model rule an answer breaks. Each maps to a botocore/Smithy source (see `docs/conformance.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// The JSON type differs from the shape's type (a timestamp sent as a string, a number as text...).
    Type,
    /// A structure's `required` member is missing or `null`.
    Required,
    /// A string outside the shape's `enum` values.
    Enum,
    /// A string that does not match the shape's `pattern` as a whole.
    Pattern,
    /// Shorter (strings, blobs, lists, maps) or smaller (numbers) than the shape's `min`.
    Min,
    /// Longer or larger than the shape's `max`.
    Max,
    /// A member the structure does not define: a warning, since AWS adds output members over time.
    UnknownMember,
    /// An error type neither listed for the operation nor a protocol error.
    ErrorType,
}

impl Rule {
    pub const ALL: [Rule; 8] = [
        Rule::Type,
        Rule::Required,
        Rule::Enum,
        Rule::Pattern,
        Rule::Min,
        Rule::Max,
        Rule::UnknownMember,
        Rule::ErrorType,
    ];

    /// The kebab-case name used in reports and in ledger entries (`rule: min`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Rule::Type => "type",
            Rule::Required => "required",
            Rule::Enum => "enum",
            Rule::Pattern => "pattern",
            Rule::Min => "min",
            Rule::Max => "max",
            Rule::UnknownMember => "unknown-member",
            Rule::ErrorType => "error-type",
        }
    }

    pub fn parse(s: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Unknown members are reported, never failed: the model may simply be older than the service.
    pub(crate) fn is_warning(&self) -> bool {
        matches!(self, Rule::UnknownMember)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One place where an answer breaks its model shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Violation {
    /// JSON path into the answer body: `$.SecretCode`, `$.UserAttributes[0].Name`.
    pub path: String,
    pub rule: Rule,
    /// The model shape that imposes the rule (`SecretCodeType`; the structure for `required` and
    /// `unknown-member`; `<Operation>.errors` for `error-type`).
    pub shape: String,
    /// What the model allows, in words: `at least 16 characters`.
    pub expected: String,
    /// What the answer holds, in words; never the value of a `sensitive` shape.
    pub actual: String,
}

impl Violation {
    pub(crate) fn is_warning(&self) -> bool {
        self.rule.is_warning()
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {} ({}): expected {}, actual {}",
            self.rule, self.path, self.shape, self.expected, self.actual
        )
    }
}
