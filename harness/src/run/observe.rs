//! Turning a wire response into an [`Observation`], or a target fault when it is outside the protocol.

use std::collections::BTreeMap;

use crate::exchange::wire::WireResponse;
use crate::exchange::{interpret, Interpreted};
use crate::observation::Observation;

/// Response headers kept in observations: the ones that carry protocol meaning.
const KEPT_HEADERS: &[&str] = &["content-type", "x-amzn-errortype"];

/// `Err` holds the fault reason (HTML, non-JSON, no error type...).
pub fn observe(resp: &WireResponse) -> Result<Observation, String> {
    let headers: BTreeMap<String, String> = resp
        .headers
        .iter()
        .filter(|(k, _)| KEPT_HEADERS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    match interpret(resp) {
        Interpreted::Success(body) => Ok(Observation {
            status: resp.status,
            error: None,
            message: None,
            body,
            headers,
        }),
        Interpreted::Error {
            error_type,
            message,
            body,
        } => Ok(Observation {
            status: resp.status,
            error: Some(error_type),
            message,
            body,
            headers,
        }),
        Interpreted::Fault(reason) => Err(reason),
    }
}
