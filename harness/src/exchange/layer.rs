//! What wraps every send of a client bound to a real service: a guard that may refuse or amend a
//! request before it leaves, pacing per quota category, and retries of throttled or failed answers.

use std::borrow::Cow;
use std::sync::Arc;

use super::pace::Pacer;
use super::retry::{classify, jitter_unit, RetryPolicy, RetryStats};
use super::wire::{WireRequest, WireResponse, TARGET_PREFIX};

/// Decides, before sending, whether a request may leave, and learns from the answers.
pub trait RequestGuard: Send + Sync + std::fmt::Debug {
    /// `Ok(None)` sends the request as is, `Ok(Some(r))` sends `r` instead, `Err` refuses with a reason.
    fn admit(&self, req: &WireRequest) -> Result<Option<WireRequest>, String>;
    /// Sees the final answer to an admitted request.
    fn observe(&self, req: &WireRequest, resp: &WireResponse);
}

/// The layer a [`super::Client`] applies around each request when one is set.
#[derive(Debug, Default)]
pub struct Layer {
    pub guard: Option<Arc<dyn RequestGuard>>,
    pub pacer: Option<Pacer>,
    pub retry: RetryPolicy,
    pub stats: Arc<RetryStats>,
}

impl Layer {
    pub(crate) fn admit<'r>(&self, req: &'r WireRequest) -> Result<Cow<'r, WireRequest>, String> {
        match &self.guard {
            None => Ok(Cow::Borrowed(req)),
            Some(g) => Ok(g.admit(req)?.map_or(Cow::Borrowed(req), Cow::Owned)),
        }
    }

    pub(crate) async fn pace(&self, req: &WireRequest) {
        if let Some(p) = &self.pacer {
            p.wait(operation_of(req).unwrap_or_default()).await;
        }
    }

    /// After attempt `attempt` (1-based) answered `resp`: the delay before trying again, if any.
    pub(crate) fn retry_after(
        &self,
        attempt: u32,
        resp: &WireResponse,
    ) -> Option<std::time::Duration> {
        let reason = classify(resp)?;
        if attempt >= self.retry.max_attempts {
            self.stats.record_exhausted();
            return None;
        }
        self.stats.record_retry(reason);
        Some(self.retry.backoff(attempt, jitter_unit()))
    }

    pub fn observe(&self, req: &WireRequest, resp: &WireResponse) {
        if let Some(g) = &self.guard {
            g.observe(req, resp);
        }
    }
}

/// The Cognito operation a request calls, from its `X-Amz-Target`.
pub fn operation_of(req: &WireRequest) -> Option<&str> {
    req.target
        .as_deref()?
        .strip_prefix(TARGET_PREFIX)?
        .strip_prefix('.')
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn answer(status: u16, body: &str) -> WireResponse {
        WireResponse {
            status,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn operation_comes_from_the_target_header() {
        let req = WireRequest::json("GetUser", &serde_json::json!({}), false);
        assert_eq!(operation_of(&req), Some("GetUser"));
        let mut other = req.clone();
        other.target = Some("Other.GetUser".into());
        assert_eq!(operation_of(&other), None);
        other.target = None;
        assert_eq!(operation_of(&other), None);
    }

    #[test]
    fn retries_stop_at_the_attempt_limit_and_are_counted() {
        let layer = Layer {
            retry: RetryPolicy {
                max_attempts: 3,
                base: Duration::from_millis(10),
                cap: Duration::from_millis(10),
            },
            ..Layer::default()
        };
        let throttled = answer(400, r#"{"__type":"TooManyRequestsException"}"#);
        assert!(layer.retry_after(1, &throttled).is_some());
        assert!(layer.retry_after(2, &answer(502, "")).is_some());
        assert!(layer.retry_after(3, &throttled).is_none());
        assert!(layer.retry_after(1, &answer(400, "{}")).is_none());
        let c = layer.stats.counts();
        assert_eq!((c.throttled, c.server_errors, c.exhausted), (1, 1, 1));
    }

    #[derive(Debug)]
    struct RefuseAll;
    impl RequestGuard for RefuseAll {
        fn admit(&self, _: &WireRequest) -> Result<Option<WireRequest>, String> {
            Err("no".into())
        }
        fn observe(&self, _: &WireRequest, _: &WireResponse) {}
    }

    #[test]
    fn the_guard_decides_admission() {
        let req = WireRequest::json("GetUser", &serde_json::json!({}), false);
        assert!(matches!(Layer::default().admit(&req), Ok(Cow::Borrowed(_))));
        let layer = Layer {
            guard: Some(Arc::new(RefuseAll)),
            ..Layer::default()
        };
        assert_eq!(layer.admit(&req).unwrap_err(), "no");
    }
}
