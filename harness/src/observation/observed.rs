//! What one step observed, in a form that can be normalised, snapshotted and compared.

use serde::{Deserialize, Serialize};

/// The outcome of one step as the harness understands it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Observation {
    pub status: u16,
    /// Error type in its normal form, by the awsJson1_1 rules (`None` on success).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
    /// Error message from `message` or `Message` (`None` on success or when absent).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub message: Option<String>,
    /// The JSON body (`null` for an empty body).
    pub body: serde_json::Value,
    /// Chosen response headers (lower-case names), e.g. `content-type`, `x-amzn-errortype`.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty", default)]
    pub headers: std::collections::BTreeMap<String, String>,
    /// Wire detail: the raw form of each error-type carrier whose normal form differs from it, by its
    /// place (`body.__type`, `headers.x-amzn-errortype`). A change here alone is protocol-equivalent: a
    /// note, never drift (see [`super::fold`]).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty", default)]
    pub wire: std::collections::BTreeMap<String, String>,
}
