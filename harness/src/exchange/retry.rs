//! Which answers deserve another attempt (throttling, server faults), how long to wait before it
//! (full-jitter exponential backoff), and how many retries a run needed — reported apart from drift.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::wire::WireResponse;

/// Why an answer is worth retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryReason {
    /// `TooManyRequestsException` (Cognito), `Throttling` (STS) or HTTP 429.
    Throttled,
    /// Any 5xx answer.
    ServerError,
}

/// Error type names that mean "slow down" (Cognito models `TooManyRequestsException`, contract Q3).
const THROTTLING_TYPES: &[&str] = &[
    "TooManyRequestsException",
    "ThrottlingException",
    "Throttling",
    "RequestLimitExceeded",
];

/// Classifies an answer (pure): `None` means it is final, whatever it says.
pub fn classify(resp: &WireResponse) -> Option<RetryReason> {
    if resp.status == 429 || error_type(resp).is_some_and(|t| THROTTLING_TYPES.contains(&t)) {
        return Some(RetryReason::Throttled);
    }
    (resp.status >= 500).then_some(RetryReason::ServerError)
}

/// The error type from `x-amzn-errortype`, the JSON `__type`, or a query-protocol `<Code>`,
/// with namespaces (`ns#Name`) and Coral suffixes (`Name:http://...`) stripped.
fn error_type(resp: &WireResponse) -> Option<&str> {
    let strip = |raw: &str| -> String {
        let name = raw.split(':').next().unwrap_or(raw);
        name.rsplit('#').next().unwrap_or(name).trim().to_owned()
    };
    let from_header = resp.header("x-amzn-errortype").map(strip);
    let from_body = || {
        let json: serde_json::Value = serde_json::from_slice(&resp.body).ok()?;
        json.get("__type")?.as_str().map(strip)
    };
    let from_xml = || {
        let text = std::str::from_utf8(&resp.body).ok()?;
        let start = text.find("<Code>")? + "<Code>".len();
        let end = text[start..].find("</Code>")? + start;
        Some(text[start..end].trim().to_owned())
    };
    let name = from_header.or_else(from_body).or_else(from_xml)?;
    THROTTLING_TYPES.iter().copied().find(|t| *t == name)
}

/// How many attempts and how long to wait between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included; 1 disables retries.
    pub max_attempts: u32,
    pub base: Duration,
    pub cap: Duration,
}

impl Default for RetryPolicy {
    /// Close to the SDKs' "standard" mode: 5 attempts, 200 ms base, 10 s cap.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// Full jitter: uniform in `[0, min(cap, base * 2^(retry-1))]`; `unit` is a uniform sample in `[0, 1)`.
    pub fn backoff(&self, retry: u32, unit: f64) -> Duration {
        let exp = self
            .base
            .saturating_mul(1u32 << retry.saturating_sub(1).min(20));
        exp.min(self.cap).mul_f64(unit.clamp(0.0, 1.0))
    }
}

/// A uniform sample in `[0, 1)` from the random bits of a v4 uuid (no extra RNG dependency).
pub fn jitter_unit() -> f64 {
    let bits = (uuid::Uuid::new_v4().as_u128() >> 64) as u64 >> 11;
    bits as f64 / (1u64 << 53) as f64
}

/// Counts shared by every request of a run.
#[derive(Debug, Default)]
pub struct RetryStats {
    throttled: AtomicU64,
    server_errors: AtomicU64,
    exhausted: AtomicU64,
}

/// A snapshot of [`RetryStats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetryCounts {
    /// Retries after a throttling answer.
    pub throttled: u64,
    /// Retries after a 5xx answer.
    pub server_errors: u64,
    /// Requests that were still throttled or failing when the attempts ran out.
    pub exhausted: u64,
}

impl RetryStats {
    pub fn record_retry(&self, reason: RetryReason) {
        let counter = match reason {
            RetryReason::Throttled => &self.throttled,
            RetryReason::ServerError => &self.server_errors,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn record_exhausted(&self) {
        self.exhausted.fetch_add(1, Ordering::Relaxed);
    }

    pub fn counts(&self) -> RetryCounts {
        RetryCounts {
            throttled: self.throttled.load(Ordering::Relaxed),
            server_errors: self.server_errors.load(Ordering::Relaxed),
            exhausted: self.exhausted.load(Ordering::Relaxed),
        }
    }
}

impl RetryCounts {
    /// `retries: 3 after throttling, 1 after a server error, 0 gave up` (not drift: the target was busy).
    pub fn summary(&self) -> String {
        format!(
            "retries (not drift): {} after throttling, {} after a server error, {} gave up",
            self.throttled, self.server_errors, self.exhausted
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> WireResponse {
        WireResponse::canned(status, headers, body.as_bytes())
    }

    #[test]
    fn throttling_is_recognised_in_every_encoding() {
        let cases = [
            resp(
                400,
                &[],
                r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#,
            ),
            resp(
                400,
                &[],
                r#"{"__type":"com.amazon#TooManyRequestsException"}"#,
            ),
            resp(
                400,
                &[("x-amzn-errortype", "TooManyRequestsException:")],
                "",
            ),
            resp(
                400,
                &[],
                "<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>",
            ),
            resp(429, &[], ""),
        ];
        for r in &cases {
            assert_eq!(classify(r), Some(RetryReason::Throttled), "{r:?}");
        }
    }

    #[test]
    fn server_faults_retry_and_client_errors_do_not() {
        assert_eq!(
            classify(&resp(500, &[], r#"{"__type":"InternalErrorException"}"#)),
            Some(RetryReason::ServerError)
        );
        assert_eq!(
            classify(&resp(503, &[], "")),
            Some(RetryReason::ServerError)
        );
        for body in [
            r#"{"__type":"NotAuthorizedException"}"#,
            r#"{"__type":"LimitExceededException"}"#,
            r#"{"__type":"TooManyRequestsExceptionNot"}"#,
            "not json",
        ] {
            assert_eq!(classify(&resp(400, &[], body)), None, "{body}");
        }
        assert_eq!(classify(&resp(200, &[], "{}")), None);
    }

    #[test]
    fn backoff_grows_exponentially_up_to_the_cap() {
        let p = RetryPolicy {
            max_attempts: 5,
            base: Duration::from_millis(100),
            cap: Duration::from_millis(1000),
        };
        let ceilings: Vec<_> = (1..=6).map(|n| p.backoff(n, 0.999_999)).collect();
        let ms: Vec<u128> = ceilings.iter().map(|d| d.as_millis()).collect();
        assert_eq!(ms, [99, 199, 399, 799, 999, 999]);
        assert_eq!(p.backoff(3, 0.0), Duration::ZERO);
        assert_eq!(p.backoff(3, 0.5), Duration::from_millis(200));
        assert_eq!(p.backoff(u32::MAX, 0.5), Duration::from_millis(500));
    }

    #[test]
    fn jitter_is_in_the_unit_interval_and_varies() {
        let samples: Vec<f64> = (0..64).map(|_| jitter_unit()).collect();
        assert!(samples.iter().all(|u| (0.0..1.0).contains(u)));
        assert!(samples.windows(2).any(|w| w[0] != w[1]));
    }

    #[test]
    fn stats_count_by_reason() {
        let s = RetryStats::default();
        s.record_retry(RetryReason::Throttled);
        s.record_retry(RetryReason::Throttled);
        s.record_retry(RetryReason::ServerError);
        s.record_exhausted();
        assert_eq!(
            s.counts(),
            RetryCounts {
                throttled: 2,
                server_errors: 1,
                exhausted: 1
            }
        );
        assert_eq!(
            s.counts().summary(),
            "retries (not drift): 2 after throttling, 1 after a server error, 1 gave up"
        );
    }
}
