//! Client-side request pacing: one token bucket per quota category, shared by every request of a run,
//! so the harness stays under the service's rate limits instead of learning them from throttling.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// Rate limits by category and the category of each operation.
#[derive(Debug)]
pub struct Pacer {
    limiters: HashMap<String, Arc<DefaultDirectRateLimiter>>,
    category_of: HashMap<String, String>,
    /// Category for operations the table does not name.
    fallback: String,
}

impl Pacer {
    /// `rates` are requests per second per category; `table` maps operations to categories.
    /// An operation whose category has no rate uses `fallback`'s rate; a missing `fallback` rate means
    /// such operations are not paced.
    pub fn new<'a>(
        rates: impl IntoIterator<Item = (&'a str, NonZeroU32)>,
        table: impl IntoIterator<Item = (&'a str, &'a str)>,
        fallback: &str,
    ) -> Pacer {
        let limiters = rates
            .into_iter()
            .map(|(category, rps)| {
                (
                    category.to_owned(),
                    Arc::new(RateLimiter::direct(Quota::per_second(rps))),
                )
            })
            .collect();
        let category_of = table
            .into_iter()
            .map(|(op, cat)| (op.to_owned(), cat.to_owned()))
            .collect();
        Pacer {
            limiters,
            category_of,
            fallback: fallback.to_owned(),
        }
    }

    /// The category an operation is paced under.
    pub fn category(&self, operation: &str) -> &str {
        self.category_of
            .get(operation)
            .filter(|c| self.limiters.contains_key(c.as_str()))
            .map_or(self.fallback.as_str(), String::as_str)
    }

    /// Waits until `operation`'s category has room for one more request.
    pub async fn wait(&self, operation: &str) {
        if let Some(limiter) = self.limiters.get(self.category(operation)) {
            limiter.until_ready().await;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn nz(n: u32) -> NonZeroU32 {
        NonZeroU32::new(n).unwrap()
    }

    fn pacer() -> Pacer {
        Pacer::new(
            [("Slow", nz(5)), ("Fast", nz(1000)), ("Other", nz(1000))],
            [("AdminUpdateUserAttributes", "Slow"), ("GetUser", "Fast")],
            "Other",
        )
    }

    #[test]
    fn operations_map_to_categories_with_a_fallback() {
        let p = pacer();
        assert_eq!(p.category("AdminUpdateUserAttributes"), "Slow");
        assert_eq!(p.category("GetUser"), "Fast");
        assert_eq!(p.category("SomethingNew"), "Other");
    }

    #[tokio::test]
    async fn a_category_is_held_to_its_rate() {
        let p = pacer();
        let started = Instant::now();
        // A 5 rps bucket admits a burst of 5, then one every 200 ms: 8 requests take about 600 ms.
        for _ in 0..8 {
            p.wait("AdminUpdateUserAttributes").await;
        }
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(550), "{took:?}");
        assert!(took < Duration::from_millis(2000), "{took:?}");
    }

    #[tokio::test]
    async fn categories_do_not_share_a_bucket() {
        let p = pacer();
        for _ in 0..5 {
            p.wait("AdminUpdateUserAttributes").await;
        }
        let started = Instant::now();
        for _ in 0..50 {
            p.wait("GetUser").await;
        }
        assert!(started.elapsed() < Duration::from_millis(150));
    }
}
