//! A closed loop like wrk's: `concurrency` workers, each sending the same request again as soon as
//! the previous answer is read, until the duration is over.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::stats::LoadResult;
use crate::exchange::wire::WireRequest;
use crate::exchange::{interpret, Client, Interpreted};

#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    pub concurrency: usize,
    pub duration: Duration,
}

/// Sends `request` in a closed loop and measures it. Each answer is interpreted (JSON parsed, error
/// type read) as the runner does, so the rate includes the harness's per-request work.
pub async fn drive(
    client: Arc<Client>,
    request: Arc<WireRequest>,
    opts: LoadOptions,
) -> LoadResult {
    let started = Instant::now();
    let deadline = started + opts.duration;
    let workers: Vec<_> = (0..opts.concurrency.max(1))
        .map(|_| {
            let (client, request) = (client.clone(), request.clone());
            tokio::spawn(async move { worker(&client, &request, deadline).await })
        })
        .collect();
    let mut samples = Vec::new();
    let mut failed = 0;
    for w in workers {
        if let Ok((s, f)) = w.await {
            samples.extend(s);
            failed += f;
        }
    }
    LoadResult::new(opts.concurrency.max(1), samples, failed, started.elapsed())
}

async fn worker(client: &Client, request: &WireRequest, deadline: Instant) -> (Vec<Duration>, u64) {
    let mut samples = Vec::with_capacity(4096);
    let mut failed = 0;
    while Instant::now() < deadline {
        let sent = Instant::now();
        match client.send(request).await {
            Ok(resp) => {
                samples.push(sent.elapsed());
                if !matches!(interpret(&resp), Interpreted::Success(_)) {
                    failed += 1;
                }
            }
            Err(_) => failed += 1,
        }
    }
    (samples, failed)
}
