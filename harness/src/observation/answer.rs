//! Turning a wire response into an [`Observation`], or a target fault when it is outside the protocol.

use std::collections::BTreeMap;

use crate::exchange::wire::WireResponse;
use crate::exchange::{interpret, Interpreted};
use crate::observation::{fold_content_type, fold_error_forms, Observation};

/// Response headers kept in observations: the ones that carry protocol meaning.
const KEPT_HEADERS: &[&str] = &["content-type", "x-amzn-errortype"];

/// An answer outside AWS JSON 1.1 (HTML, a body that is not JSON, an error without a type...): why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct OffProtocol {
    pub reason: String,
}

/// The observation of an answer, or why it is outside the protocol. Error-type carriers and the JSON
/// media type are folded into their normal form, raw forms kept as wire detail.
pub fn observe(resp: &WireResponse) -> Result<Observation, OffProtocol> {
    let headers: BTreeMap<String, String> = resp
        .headers
        .iter()
        .filter(|(k, _)| KEPT_HEADERS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    match interpret(resp) {
        Interpreted::Success(body) => {
            let mut obs = Observation {
                status: resp.status,
                body,
                headers,
                ..Observation::default()
            };
            fold_content_type(&mut obs);
            Ok(obs)
        }
        Interpreted::Error {
            error_type,
            message,
            body,
        } => {
            let mut obs = Observation {
                status: resp.status,
                error: Some(error_type),
                message,
                body,
                headers,
                ..Observation::default()
            };
            fold_error_forms(&mut obs);
            fold_content_type(&mut obs);
            Ok(obs)
        }
        Interpreted::Fault(reason) => Err(OffProtocol { reason }),
    }
}
