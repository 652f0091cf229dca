//! `cognito-drift run` and `record`: start the target, run the suite, write the report, pick the exit code.
//! On `aws`, this run's leftover pools are deleted after the suite, including after SIGINT/SIGTERM.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;

use cognito_drift::aws::{self, AwsSession, Ownership, Selection};
use cognito_drift::exchange::Client;
use cognito_drift::exit;
use cognito_drift::report::{html, json, junit, markdown, terminal};
use cognito_drift::run::ExecContext;
use cognito_drift::verdict::{ScenarioReport, SnapshotMode, Status, VerifyOptions};

use super::output::{run_id, today};
use super::{err, progress, target};
use crate::cli::{Format, RunArgs};
use crate::Env;

pub fn run(args: RunArgs, mode: SnapshotMode, env: &Env) -> i32 {
    let runtime = match super::output::runtime(env) {
        Ok(r) => r,
        Err(code) => return code,
    };
    runtime.block_on(run_async(args, mode, env))
}

async fn run_async(args: RunArgs, mode: SnapshotMode, env: &Env) -> i32 {
    let files = match super::output::scenario_files(&args.paths, env, false) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (mut scenarios, mut failed) = cognito_drift::engine::load_all(&files, &args.target);
    if let Some(shard) = args.shard {
        scenarios.retain(|s| shard.contains(&s.name.value));
        failed.retain(|r| shard.contains(&r.name));
        progress(&format!(
            "shard {shard}: {} scenario(s)",
            scenarios.len() + failed.len()
        ));
    }
    let ledger = match cognito_drift::verdict::ledger::load(&args.snapshots, &args.target) {
        Ok(l) => Arc::new(l),
        Err(e) => {
            err(env, &format!("invalid divergence ledger: {e}"));
            return exit::USAGE;
        }
    };
    let run_id = run_id();
    // The managed target lives until it is dropped below: dropping it stops the server.
    let mut managed = None;
    let mut aws = None;
    let (client, version, lock) = if args.target == target::AWS {
        let target = target::AwsTarget {
            endpoint: args.endpoint.as_deref(),
            region: &args.region,
            timeout: args.timeout,
            max_body: args.max_body,
            args: &args.aws,
        };
        match target::start_aws(&target, Ownership::for_run(&run_id)).await {
            Ok(session) => {
                let client = match session.fresh_client() {
                    Ok(c) => Arc::new(c),
                    Err(e) => {
                        err(env, &format!("invalid endpoint: {e}"));
                        return exit::USAGE;
                    }
                };
                aws = Some(session);
                (client, args.region.clone(), None)
            }
            Err(e) => {
                err(env, &e.message);
                return e.code;
            }
        }
    } else {
        let started = match target::start(&args.target, args.endpoint.as_deref(), env).await {
            Ok(s) => s,
            Err(e) => {
                err(env, &e.message);
                return e.code;
            }
        };
        let endpoint = target::emulator_endpoint(&started.url, &args.region);
        let client = match Client::new(endpoint, Duration::from_secs(args.timeout), args.max_body) {
            Ok(c) => Arc::new(c),
            Err(e) => {
                err(env, &format!("invalid endpoint: {e}"));
                return exit::USAGE;
            }
        };
        let (version, lock) = (started.version.clone(), started.lock.clone());
        managed = Some(started);
        (client, version, lock)
    };
    let exec = ExecContext {
        run_id: run_id.clone(),
        region: args.region.clone(),
        secret: args
            .secret_seed
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string()),
    };
    let model = cognito_drift::model::cognito();
    let opts = VerifyOptions {
        snapshot_dir: args.snapshots.clone(),
        target: args.target.clone(),
        target_version: version,
        target_lock: lock,
        harness_version: env!("CARGO_PKG_VERSION").to_owned(),
        model_version: format!("botocore {}", model.source_version()),
        today: today(),
        mode,
    };
    let color = env.color;
    let on_done = move |r: &ScenarioReport| {
        let _ = writeln!(std::io::stderr(), "{}", terminal::line(r, color));
    };
    // The suite runs on its own runtime: on an interrupt, shutting that runtime down stops every
    // scenario task at once (dropping the suite's future alone would leave its tasks running).
    let suite_rt = match super::output::runtime(env) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let (jobs, confirm) = (args.jobs, args.confirm);
    let suite = suite_rt.spawn(async move {
        cognito_drift::engine::run_all(
            scenarios, client, exec, opts, ledger, jobs, confirm, &on_done,
        )
        .await
    });
    let outcome = tokio::select! {
        reports = suite => Ok(reports),
        signal = interrupt() => Err(signal),
    };
    suite_rt.shutdown_background();
    let cleanup = match &aws {
        Some(session) => Some(cleanup_run(session, &run_id, outcome.is_err(), env).await),
        None => None,
    };
    drop(managed);
    let mut reports = match outcome {
        Ok(Ok(reports)) => reports,
        Ok(Err(e)) => {
            err(env, &format!("the suite stopped unexpectedly: {e}"));
            return exit::TARGET_FAULT;
        }
        Err(signal) => {
            let what = if aws.is_some() {
                "this run's user pools were deleted"
            } else {
                "the managed target was stopped"
            };
            err(env, &format!("interrupted by {signal}: {what}"));
            return exit::INTERRUPTED;
        }
    };
    let retries = aws.as_ref().map(|s| s.stats.counts().summary());
    for r in &failed {
        on_done(r);
    }
    reports.append(&mut failed);
    if let Err(e) = write_report(&args, &reports, retries.as_deref(), env) {
        err(env, &format!("failed to write the report: {e}"));
        return exit::USAGE;
    }
    match cleanup {
        Some(Err(())) => exit::TARGET_FAULT,
        _ => exit_code(&reports, mode),
    }
}

/// Resolves on the first SIGINT or SIGTERM, naming it.
pub(super) async fn interrupt() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            return tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            };
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    "SIGINT"
}

/// Deletes whatever pools of this run are still there (teardown missed them: an interrupt, a panic, a
/// failed DeleteUserPool). After an interrupt a second pass catches a CreateUserPool that was in
/// flight when the suite stopped. `Err` when a pool of this run could not be deleted.
async fn cleanup_run(
    session: &AwsSession,
    run_id: &str,
    interrupted: bool,
    env: &Env,
) -> Result<(), ()> {
    let client = match session.fresh_client() {
        Ok(c) => c,
        Err(e) => {
            err(env, &format!("cleanup: {e}"));
            return Err(());
        }
    };
    let selection = Selection::Run(run_id.to_owned());
    let passes = if interrupted { 2 } else { 1 };
    let mut ok = true;
    for pass in 0..passes {
        if pass > 0 {
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        match aws::sweep(
            &client,
            &session.guard,
            &selection,
            OffsetDateTime::now_utc(),
            false,
        )
        .await
        {
            Ok(report) => {
                for p in &report.deleted {
                    progress(&format!(
                        "cleanup: deleted leftover pool {} ({})",
                        p.id, p.name
                    ));
                }
                for p in &report.failed {
                    err(
                        env,
                        &format!(
                            "cleanup: could not delete {} ({}): {}",
                            p.id, p.name, p.reason
                        ),
                    );
                    ok = false;
                }
            }
            Err(e) => {
                err(
                    env,
                    &format!("cleanup: listing this run's pools failed: {e}"),
                );
                ok = false;
            }
        }
    }
    if ok {
        Ok(())
    } else {
        Err(())
    }
}

/// The report; `retries` (aws only) follows the terminal summary, apart from the verdicts.
fn write_report(
    args: &RunArgs,
    reports: &[ScenarioReport],
    retries: Option<&str>,
    env: &Env,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    match args.format {
        Format::Terminal => {
            terminal::write_summary(
                &mut buf,
                reports,
                &args.target,
                env.color && args.output.is_none(),
                args.verbose,
            )?;
            if let Some(line) = retries {
                writeln!(buf, "{line}")?;
            }
        }
        Format::Junit => {
            junit::write(&mut buf, reports, &args.target).map_err(std::io::Error::other)?
        }
        Format::Markdown => markdown::write(&mut buf, reports, &args.target)?,
        Format::Json => json::write(&mut buf, reports, &args.target)?,
        Format::Html => html::write(&mut buf, reports, &args.target)?,
    }
    if let Some(path) = &args.summary {
        let mut summary = Vec::new();
        markdown::write(&mut summary, reports, &args.target)?;
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?
            .write_all(&summary)?;
    }
    match &args.output {
        Some(path) => {
            std::fs::write(path, &buf)?;
            let mut summary = terminal::summary(reports, &args.target);
            if let Some(line) = retries {
                summary = format!("{summary}\n{line}");
            }
            writeln!(
                std::io::stderr(),
                "{summary}\nreport written to {}",
                path.display()
            )
        }
        None => std::io::stdout().write_all(&buf),
    }
}

/// Scenario errors first (2), then target faults (3), then drift and contract violations (1).
fn exit_code(reports: &[ScenarioReport], mode: SnapshotMode) -> i32 {
    let any = |s: Status| reports.iter().any(|r| r.status == s);
    if any(Status::ScenarioError) {
        exit::USAGE
    } else if any(Status::TargetFault) {
        exit::TARGET_FAULT
    } else if matches!(mode, SnapshotMode::Record { .. }) {
        exit::OK
    } else if any(Status::Drift) || any(Status::New) || any(Status::ContractViolation) {
        exit::DRIFT
    } else {
        exit::OK
    }
}
