//! Which operation a request really is, whatever it claims.

use super::refusal::Refusal;
use crate::exchange::{operation_of, WireRequest};

/// The operation the service will see: an `X-Amz-Target` among the request's own headers replaces
/// the default one (as the client sends it), so it is the one that counts.
pub(super) fn effective_operation(req: &WireRequest) -> Result<String, Refusal> {
    let overrides: Vec<&str> = req
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("x-amz-target"))
        .map(|(_, v)| v.as_str())
        .collect();
    let target = match overrides.as_slice() {
        [] => return Ok(operation_of(req).unwrap_or_default().to_owned()),
        [one] => *one,
        _ => return Err(Refusal::TwoTargets),
    };
    Ok(target
        .trim()
        .strip_prefix(crate::exchange::wire::TARGET_PREFIX)
        .and_then(|rest| rest.strip_prefix('.'))
        .unwrap_or_default()
        .to_owned())
}
