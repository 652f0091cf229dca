//! The parsed, validated form of a scenario file. Every node that a later error can point at keeps its span.

use std::path::PathBuf;

use crate::span::Span;

/// A value with the place it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Node<T> {
    pub fn new(value: T, span: Span) -> Self {
        Node { value, span }
    }
}

/// One scenario file, loaded and validated against the service model.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Path as given by the user (used in every message).
    pub path: PathBuf,
    /// The file's text, kept so errors found later (drift, failed expectations) can show the source line.
    pub source: String,
    pub name: Node<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// Targets this scenario applies to; `None` means every target.
    pub targets: Option<Vec<Node<String>>>,
    pub fixtures: Fixtures,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Default)]
pub struct Fixtures {
    pub pool: PoolFixture,
    pub client: ClientFixture,
    /// In file order.
    pub users: Vec<UserFixture>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MfaConfiguration {
    #[default]
    Off,
    Optional,
    On,
}

impl MfaConfiguration {
    pub(crate) fn as_wire(&self) -> &'static str {
        match self {
            MfaConfiguration::Off => "OFF",
            MfaConfiguration::Optional => "OPTIONAL",
            MfaConfiguration::On => "ON",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct PoolFixture {
    pub span: Span,
    pub mfa: MfaConfiguration,
    /// `UserPoolTier`: LITE, ESSENTIALS or PLUS; `None` leaves the target's default.
    pub tier: Option<String>,
    /// `SoftwareTokenMfaConfiguration.Enabled` through SetUserPoolMfaConfig.
    pub software_token_mfa: bool,
    /// `SmsMfaConfiguration` (SNS caller ARN, external id, message); `None` = not configured.
    pub sms_mfa: Option<SmsMfaFixture>,
    /// `EmailMfaConfiguration`; `None` = not configured.
    pub email_mfa: Option<EmailMfaFixture>,
    /// `EmailConfiguration` with `EmailSendingAccount: DEVELOPER`; `None` = the target's default sender.
    pub email_sending: Option<EmailSendingFixture>,
}

/// A pool that sends its email through the scenario's own SES identity (needed for email MFA on AWS).
#[derive(Debug, Clone, Default)]
pub struct EmailSendingFixture {
    /// `SourceArn`: the ARN of an SES identity verified in the target's account and region.
    pub source_arn: String,
    /// `From`, e.g. `cognito-drift <no-reply@example.com>`; `None` lets the target use the identity.
    pub from: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SmsMfaFixture {
    pub sns_caller_arn: String,
    pub external_id: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct EmailMfaFixture {
    pub message: Option<String>,
    pub subject: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ClientFixture {
    pub span: Span,
    /// `ExplicitAuthFlows`; defaults to ALLOW_USER_PASSWORD_AUTH + ALLOW_REFRESH_TOKEN_AUTH.
    pub auth_flows: Vec<String>,
}

impl Default for ClientFixture {
    fn default() -> Self {
        ClientFixture {
            span: Span::UNKNOWN,
            auth_flows: vec![
                "ALLOW_USER_PASSWORD_AUTH".into(),
                "ALLOW_REFRESH_TOKEN_AUTH".into(),
            ],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserStatus {
    /// AdminCreateUser (message suppressed) + AdminSetUserPassword(Permanent).
    #[default]
    Confirmed,
    /// SignUp without confirmation.
    Unconfirmed,
    /// AdminCreateUser with a temporary password only.
    ForceChangePassword,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TotpEnrolment {
    #[default]
    None,
    /// AssociateSoftwareToken only.
    Associated,
    /// AssociateSoftwareToken + VerifySoftwareToken with a real RFC 6238 code.
    Verified,
}

#[derive(Debug, Clone)]
pub struct UserFixture {
    /// The key in `fixtures.users`; also the variable prefix (`${alice.access_token}`).
    pub name: Node<String>,
    /// Attribute name → value, in file order (`phone_number`, `email`, `email_verified`, ...).
    pub attributes: Vec<(String, String)>,
    pub status: UserStatus,
    /// Sign in with InitiateAuth USER_PASSWORD_AUTH during setup (needed for `.access_token` etc.).
    pub sign_in: bool,
    /// TOTP enrolment during setup; needs `sign_in`.
    pub totp: TotpEnrolment,
}

/// A string that may contain `${variable}` references.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    Literal(String),
    /// A dotted variable name such as `alice.access_token`, `pool.id` or a capture name.
    Var {
        name: String,
        span: Span,
    },
}

/// A JSON-like value from the scenario, with spans and `${}` templates in its strings.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null(Span),
    Bool(bool, Span),
    Number(serde_json::Number, Span),
    String(Template),
    List(Vec<Value>, Span),
    /// Keys keep their own spans; order is file order.
    Map(Vec<(Node<String>, Value)>, Span),
}

#[derive(Debug, Clone)]
pub struct Step {
    pub name: Node<String>,
    pub action: Action,
    pub capture: Vec<Capture>,
    /// The first (or only) `expect:` block.
    pub expect: Option<Expect>,
    /// Further blocks when `expect:` is a list, each a claim with its own fact.
    pub more_expect: Vec<Expect>,
}

impl Step {
    /// Every expectation block of the step, in file order.
    pub(crate) fn expectations(&self) -> impl Iterator<Item = &Expect> {
        self.expect.iter().chain(&self.more_expect)
    }
}

#[derive(Debug, Clone)]
pub enum Action {
    /// A model operation; `input` was validated against the operation's input shape.
    Call {
        operation: Node<String>,
        input: Value,
    },
    /// An HTTP request sent as written, not validated: for malformed input.
    Raw(RawRequest),
}

#[derive(Debug, Clone)]
pub struct RawRequest {
    pub span: Span,
    /// Operation for the `X-Amz-Target` header; `None` together with `target_header: None` sends no header.
    pub operation: Option<Node<String>>,
    /// Overrides the whole `X-Amz-Target` value (e.g. an unknown target); wins over `operation`.
    pub target_header: Option<Template>,
    /// Extra or replacing headers (e.g. a wrong Content-Type). Names are case-insensitive.
    pub headers: Vec<(Node<String>, Template)>,
    pub body: RawBody,
    /// Sign with SigV4 (default: the model's auth for `operation`, unsigned when unknown).
    pub sign: Option<bool>,
}

#[derive(Debug, Clone)]
pub enum RawBody {
    /// Text sent byte for byte after `${}` substitution (may be malformed JSON on purpose).
    Text(Template),
    /// Bytes given in the file as base64 (`body_base64:`).
    Bytes(Vec<u8>),
    /// A YAML value serialised to JSON, without model validation (wrong types on purpose).
    Json(Value),
}

#[derive(Debug, Clone)]
pub struct Capture {
    /// Name usable as `${name}` in later steps.
    pub name: Node<String>,
    /// A simple JSON path: `$.A.B[0].C`.
    pub path: Node<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    Low,
    Medium,
    MediumHigh,
    High,
}

impl Confidence {
    pub fn as_str(&self) -> &'static str {
        match self {
            Confidence::Low => "LOW",
            Confidence::Medium => "MEDIUM",
            Confidence::MediumHigh => "MED-HIGH",
            Confidence::High => "HIGH",
        }
    }

    /// MEDIUM and LOW facts are reported as unconfirmed rather than failing a run.
    pub(crate) fn is_binding(&self) -> bool {
        matches!(self, Confidence::High | Confidence::MediumHigh)
    }
}

/// What real Cognito is documented to answer, with the fact it comes from.
#[derive(Debug, Clone)]
pub struct Expect {
    pub span: Span,
    pub status: Option<Node<u16>>,
    /// Error type as parsed by the awsJson1_1 rules; `Some("")`-free: absent means "not checked".
    pub error: Option<Node<String>>,
    /// A regular expression the error message must match (unanchored, like `grep -E`).
    pub message: Option<Node<String>>,
    /// Members that must appear in the success body with these values (subset match).
    pub body: Option<Value>,
    /// JSON paths (`$.UserMFASettingList`) that must not be in the body: absent, not merely empty.
    pub absent: Vec<Node<String>>,
    /// JSON paths that must be in the body, with any value (`[]`, `""` and `null` count).
    pub present: Vec<Node<String>>,
    /// JSON paths into `body` whose lists match in any order (same elements, same count).
    pub unordered: Vec<Node<String>>,
    /// Fact id in the contract notes (e.g. `T1`, `P4`).
    pub source: Node<String>,
    pub confidence: Confidence,
}
