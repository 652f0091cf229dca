//! What a load run measured, summarised (pure).

use std::time::Duration;

use serde::Serialize;

/// Counts and latencies of one load run. Rates count every answered request, as wrk does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadResult {
    pub concurrency: usize,
    /// Answered requests, whatever their status.
    pub requests: u64,
    /// Answers that were not 2xx, plus transport errors.
    pub failed: u64,
    pub elapsed_s: f64,
    pub rate: f64,
    pub latency_ms: Latency,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Latency {
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
}

impl LoadResult {
    /// Summarises per-request latencies (`samples`, in any order) taken over `elapsed`.
    pub fn new(
        concurrency: usize,
        mut samples: Vec<Duration>,
        failed: u64,
        elapsed: Duration,
    ) -> LoadResult {
        samples.sort_unstable();
        let ms = |d: Option<Duration>| d.map_or(0.0, |d| d.as_secs_f64() * 1000.0);
        let requests = samples.len() as u64;
        let secs = elapsed.as_secs_f64();
        LoadResult {
            concurrency,
            requests,
            failed,
            elapsed_s: secs,
            rate: if secs > 0.0 {
                requests as f64 / secs
            } else {
                0.0
            },
            latency_ms: Latency {
                p50: ms(percentile(&samples, 50.0)),
                p90: ms(percentile(&samples, 90.0)),
                p99: ms(percentile(&samples, 99.0)),
                max: ms(samples.last().copied()),
            },
        }
    }
}

/// The nearest-rank percentile `p` (0–100) of sorted `samples`; `None` when there are none.
pub fn percentile<T: Copy>(sorted: &[T], p: f64) -> Option<T> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&v, 50.0), Some(50));
        assert_eq!(percentile(&v, 99.0), Some(99));
        assert_eq!(percentile(&v, 100.0), Some(100));
        assert_eq!(percentile(&v, 0.0), Some(1));
        assert_eq!(percentile(&[7], 90.0), Some(7));
        assert_eq!(percentile::<u32>(&[], 50.0), None);
    }

    #[test]
    fn rate_counts_every_answer_over_the_elapsed_time() {
        let samples = vec![
            Duration::from_millis(3),
            Duration::from_millis(1),
            Duration::from_millis(2),
            Duration::from_millis(4),
        ];
        let r = LoadResult::new(2, samples, 1, Duration::from_secs(2));
        assert_eq!(r.requests, 4);
        assert_eq!(r.failed, 1);
        assert!((r.rate - 2.0).abs() < 1e-9);
        assert!((r.latency_ms.p50 - 2.0).abs() < 1e-9);
        assert!((r.latency_ms.max - 4.0).abs() < 1e-9);
    }

    #[test]
    fn no_time_is_no_rate() {
        let r = LoadResult::new(1, Vec::new(), 0, Duration::ZERO);
        assert_eq!(r.rate, 0.0);
        assert_eq!(r.latency_ms.p99, 0.0);
    }
}
