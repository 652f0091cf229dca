//! `cognito-drift bench`: set up a pool and user, then send one request in a closed loop through the
//! normal exchange client and report the rate (the harness's half of `just bench`).

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use cognito_drift::bench::{self, Fixture, LoadOptions, LoadResult};
use cognito_drift::exchange::Client;
use cognito_drift::exit;

use super::output::err_because;
use super::{err, progress, target};
use crate::cli::BenchArgs;
use crate::Env;
use cognito_drift::engine::run_id;

/// The pseudo-target served by [`bench::serve_instant`].
const INSTANT: &str = "instant";

pub fn bench(args: BenchArgs, env: &Env) -> i32 {
    if !bench::OPERATIONS.contains(&args.operation.as_str()) {
        err(
            env,
            &format!(
                "unknown bench operation `{}`: use one of {}",
                args.operation,
                bench::OPERATIONS.join(", ")
            ),
        );
        return exit::USAGE;
    }
    if !(args.duration > 0.0 && args.duration.is_finite()) || args.concurrency == 0 {
        err(env, "--duration and --concurrency must be positive");
        return exit::USAGE;
    }
    let runtime = match super::output::runtime(env) {
        Ok(r) => r,
        Err(code) => return code,
    };
    match args.serve_instant {
        Some(addr) => runtime.block_on(serve(addr, env)),
        None => runtime.block_on(measure(args, env)),
    }
}

/// Serves the instant-reply server until Ctrl-C, printing its address once it listens.
async fn serve(addr: std::net::SocketAddr, env: &Env) -> i32 {
    if !addr.ip().is_loopback() {
        err(env, "--serve-instant takes a loopback address");
        return exit::USAGE;
    }
    match bench::serve_instant(addr).await {
        Ok(server) => {
            progress(&format!("instant-reply server at http://{}", server.addr));
            let _ = tokio::signal::ctrl_c().await;
            exit::OK
        }
        Err(e) => {
            err(env, &format!("failed to listen on {addr}: {e}"));
            exit::TARGET_FAULT
        }
    }
}

async fn measure(args: BenchArgs, env: &Env) -> i32 {
    // Each of these lives until the end of the measurement: dropping one stops its server.
    let mut _instant = None;
    let mut _managed = None;
    let url = match (&args.endpoint, args.target.as_str()) {
        (Some(url), _) => url.clone(),
        (None, INSTANT) => match bench::serve_instant(([127, 0, 0, 1], 0).into()).await {
            Ok(server) => {
                let url = format!("http://{}", server.addr);
                _instant = Some(server);
                url
            }
            Err(e) => {
                err_because(env, "failed to start the instant-reply server", &e);
                return exit::TARGET_FAULT;
            }
        },
        (None, name) => match target::start(name, None, env).await {
            Ok(started) => {
                let url = started.url.clone();
                _managed = Some(started);
                url
            }
            Err(e) => {
                err(env, &e.message);
                return e.code;
            }
        },
    };
    let endpoint = target::emulator_endpoint(&url, &args.region);
    let client = match Client::new(endpoint, Duration::from_secs(30), 4 * 1024 * 1024) {
        Ok(c) => Arc::new(c),
        Err(e) => {
            err_because(env, "invalid endpoint", &e);
            return exit::USAGE;
        }
    };
    let fixture = if args.target == INSTANT {
        Fixture::offline()
    } else {
        let secret = uuid::Uuid::new_v4().simple().to_string();
        Fixture::set_up(
            &client,
            &format!("bench-{}", run_id()),
            &args.region,
            &secret,
        )
        .await
    };
    let fixture = match fixture {
        Ok(f) => f,
        Err(e) => {
            err(env, &e.to_string());
            return exit::TARGET_FAULT;
        }
    };
    let request = match fixture.request(&args.operation) {
        Ok(r) => Arc::new(r),
        Err(e) => {
            err(env, &e.to_string());
            return exit::USAGE;
        }
    };
    let opts = LoadOptions {
        concurrency: args.concurrency,
        duration: Duration::from_secs_f64(args.duration),
    };
    let result = bench::drive(client.clone(), request, opts).await;
    if args.target != INSTANT {
        fixture.tear_down(&client).await;
    }
    report(&args, &result, env);
    if result.failed > 0 || result.requests == 0 {
        err(
            env,
            &format!(
                "{} of {} requests failed: the rate is not a valid measurement",
                result.failed, result.requests
            ),
        );
        return exit::TARGET_FAULT;
    }
    exit::OK
}

fn report(args: &BenchArgs, r: &LoadResult, env: &Env) {
    progress(&format!(
        "{} on {} at concurrency {}: {} requests in {:.2} s = {:.1}/s, {} failed; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        args.operation,
        args.target,
        r.concurrency,
        r.requests,
        r.elapsed_s,
        r.rate,
        r.failed,
        r.latency_ms.p50,
        r.latency_ms.p99,
        r.latency_ms.max
    ));
    if args.json {
        let doc = serde_json::json!({
            "operation": args.operation,
            "target": args.target,
            "result": r,
        });
        if writeln!(std::io::stdout(), "{doc}").is_err() {
            err(env, "failed to write the result");
        }
    }
}
