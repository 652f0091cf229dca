//! `cognito-drift run` and `record`: start the target, run the suite through the engine, write the
//! report, exit by the library's policy. On `aws`, this run's leftover pools are deleted after the
//! suite, including after SIGINT/SIGTERM.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use cognito_drift::aws::{AwsSession, Ownership};
use cognito_drift::engine::{self, RunConfig};
use cognito_drift::exchange::Client;
use cognito_drift::exit;
use cognito_drift::report::terminal;
use cognito_drift::run::ExecContext;
use cognito_drift::scenario::ast::Scenario;
use cognito_drift::verdict::{ledger, ScenarioReport, SnapshotMode, VerifyOptions};

use super::aws_cleanup::cleanup_run;
use super::output::err_because;
use super::output::interrupt;
use super::run_report::write_report;
use super::target::{self, Started};
use super::{err, progress};
use crate::cli::RunArgs;
use crate::Env;

pub fn run(args: RunArgs, mode: SnapshotMode, env: &Env) -> i32 {
    let runtime = match super::output::runtime(env) {
        Ok(r) => r,
        Err(code) => return code,
    };
    runtime.block_on(run_async(args, mode, env))
}

async fn run_async(args: RunArgs, mode: SnapshotMode, env: &Env) -> i32 {
    let (scenarios, mut failed) = match select(&args, env) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let ledger = match ledger::load(&args.snapshots, &args.target.name) {
        Ok(l) => Arc::new(l),
        Err(e) => {
            err_because(env, "invalid divergence ledger", &e);
            return exit::USAGE;
        }
    };
    let run_id = engine::run_id();
    let connected = match connect(&args, &run_id, env).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let config = RunConfig {
        exec: ExecContext {
            run_id: run_id.clone(),
            ..ExecContext::fresh(&args.exchange.region, args.secret_seed.clone())
        },
        verify: VerifyOptions::new(
            args.snapshots.clone(),
            &args.target.name,
            &connected.version,
            connected.lock.clone(),
            engine::today(),
            mode,
        ),
        ledger,
        jobs: args.jobs,
        confirm: args.confirm,
        share: !args.isolate,
    };
    let color = env.color;
    let on_done = move |r: &ScenarioReport| {
        let _ = writeln!(std::io::stderr(), "{}", terminal::line(r, color));
    };
    let outcome = suite(scenarios, connected.clients.clone(), config, on_done, env).await;
    let cleanup = match &connected.aws {
        Some(session) => Some(cleanup_run(session, &run_id, outcome.is_err(), env).await),
        None => None,
    };
    let retries = connected.aws.as_ref().map(|s| s.stats.counts().summary());
    let interrupted_what = if connected.aws.is_some() {
        "this run's user pools were deleted"
    } else {
        "the managed target was stopped"
    };
    // Dropping the managed target stops the server.
    drop(connected);
    let mut reports = match outcome {
        Ok(reports) => reports,
        Err(Stopped::Signal(signal)) => {
            err(env, &format!("interrupted by {signal}: {interrupted_what}"));
            return exit::INTERRUPTED;
        }
        Err(Stopped::Internal(message)) => {
            err(env, &message);
            return exit::INTERNAL;
        }
    };
    for r in &failed {
        on_done(r);
    }
    reports.append(&mut failed);
    if let Err(e) = write_report(
        &args.report,
        &args.target.name,
        &reports,
        retries.as_deref(),
        env,
    ) {
        err_because(env, "failed to write the report", &e);
        return exit::REPORT;
    }
    match cleanup {
        Some(Err(())) => exit::TARGET_FAULT,
        _ => exit::for_verdicts(
            reports.iter().map(|r| r.status),
            matches!(mode, SnapshotMode::Record { .. }),
        ),
    }
}

/// The scenarios to run (those of this shard) and a verdict for each file that does not load.
fn select(args: &RunArgs, env: &Env) -> Result<(Vec<Scenario>, Vec<ScenarioReport>), i32> {
    let files = super::output::scenario_files(&args.paths, env, false)?;
    let (mut scenarios, mut failed) = engine::load_all(&files, &args.target.name);
    if let Some(shard) = args.shard {
        scenarios.retain(|s| shard.contains(&s.name.value));
        failed.retain(|r| shard.contains(&r.name));
        progress(&format!(
            "shard {shard}: {} scenario(s)",
            scenarios.len() + failed.len()
        ));
    }
    Ok((scenarios, failed))
}

/// A target ready for the suite: its client and what snapshots record of it. The managed target
/// lives as long as this does.
struct Connected {
    /// One per instance of the target.
    clients: Vec<Arc<Client>>,
    version: String,
    lock: Option<String>,
    aws: Option<AwsSession>,
    #[allow(dead_code)]
    managed: Vec<Started>,
}

async fn connect(args: &RunArgs, run_id: &str, env: &Env) -> Result<Connected, i32> {
    let ex = &args.exchange;
    if args.target.name == target::AWS {
        let target = target::AwsTarget {
            endpoint: args.target.endpoint.as_deref(),
            region: &ex.region,
            timeout: ex.timeout,
            max_body: ex.max_body,
            args: &args.aws,
        };
        let session = target::start_aws(&target, Ownership::for_run(run_id))
            .await
            .map_err(|e| {
                err(env, &e.message);
                e.code
            })?;
        let client = session.fresh_client().map_err(|e| {
            err_because(env, "invalid endpoint", &e);
            exit::USAGE
        })?;
        if args.instances.is_some_and(|n| n > 1) {
            progress("aws: --instances is ignored: AWS is one target");
        }
        return Ok(Connected {
            clients: vec![Arc::new(client)],
            version: ex.region.clone(),
            lock: None,
            aws: Some(session),
            managed: Vec::new(),
        });
    }
    let endpoint = args.target.endpoint.as_deref();
    let instances = args
        .instances
        .unwrap_or_else(|| target::default_instances(&args.target.name, endpoint, env.cores));
    if endpoint.is_some() && instances > 1 {
        progress("--instances is ignored with --endpoint: the harness starts no process there");
    }
    let started = target::start_many(&args.target.name, endpoint, instances.max(1), env)
        .await
        .map_err(|e| {
            err(env, &e.message);
            e.code
        })?;
    let mut clients = Vec::new();
    for s in &started {
        let endpoint = target::emulator_endpoint(&s.url, &ex.region);
        let client =
            Client::new(endpoint, Duration::from_secs(ex.timeout), ex.max_body).map_err(|e| {
                err_because(env, "invalid endpoint", &e);
                exit::USAGE
            })?;
        clients.push(Arc::new(client));
    }
    let first = started.first().ok_or(exit::INTERNAL)?;
    Ok(Connected {
        clients,
        version: first.version.clone(),
        lock: first.lock.clone(),
        aws: None,
        managed: started,
    })
}

/// Why the suite did not hand back its verdicts.
enum Stopped {
    Signal(&'static str),
    Internal(String),
}

/// Runs the suite on a runtime of its own: on an interrupt, shutting that runtime down stops every
/// scenario task at once (dropping the suite's future alone would leave its tasks running).
async fn suite(
    scenarios: Vec<Scenario>,
    clients: Vec<Arc<Client>>,
    config: RunConfig,
    on_done: impl Fn(&ScenarioReport) + Send + Sync + 'static,
    env: &Env,
) -> Result<Vec<ScenarioReport>, Stopped> {
    let suite_rt = super::output::runtime(env)
        .map_err(|_| Stopped::Internal("the suite's runtime did not start".to_owned()))?;
    let suite = suite_rt
        .spawn(async move { engine::run_all(scenarios, &clients, &config, &on_done).await });
    let outcome = tokio::select! {
        reports = suite => reports.map_err(|e| Stopped::Internal(format!(
            "internal error: the suite stopped unexpectedly ({e}); this is a bug in cognito-drift, please report it with the output of `cognito-drift --version`"
        ))),
        signal = interrupt() => Err(Stopped::Signal(signal)),
    };
    suite_rt.shutdown_background();
    outcome
}
