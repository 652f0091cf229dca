//! `cognito-drift run` and `record`: start the target, run the suite, write the report, pick the exit code.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use cognito_drift::exchange::Client;
use cognito_drift::exit;
use cognito_drift::report::{junit, terminal};
use cognito_drift::run::{self, ExecContext, ScenarioReport, SnapshotMode, Status, VerifyOptions};

use super::output::{run_id, today};
use super::{err, progress, target};
use crate::cli::{Format, RunArgs};
use crate::Env;

pub fn run(args: RunArgs, mode: SnapshotMode, env: &Env) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            err(env, &format!("failed to start the async runtime: {e}"));
            return exit::TARGET_FAULT;
        }
    };
    runtime.block_on(run_async(args, mode, env))
}

async fn run_async(args: RunArgs, mode: SnapshotMode, env: &Env) -> i32 {
    let files = match run::discover(&args.paths) {
        Ok(f) if !f.is_empty() => f,
        Ok(_) => {
            err(env, "no scenario files (*.yaml) found in the given paths");
            return exit::USAGE;
        }
        Err(e) => {
            err(env, &format!("failed to list scenario files: {e}"));
            return exit::USAGE;
        }
    };
    let (mut scenarios, mut failed) = run::load_all(&files, &args.target);
    if let Some(shard) = args.shard {
        scenarios.retain(|s| shard.contains(&s.name.value));
        failed.retain(|r| shard.contains(&r.name));
        progress(&format!(
            "shard {shard}: {} scenario(s)",
            scenarios.len() + failed.len()
        ));
    }
    let ledger = match run::load_ledger(&args.snapshots, &args.target) {
        Ok(l) => Arc::new(l),
        Err(e) => {
            err(env, &format!("invalid divergence ledger: {e}"));
            return exit::USAGE;
        }
    };
    // The managed target lives until it is dropped below: dropping it stops the server.
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
    let exec = ExecContext {
        run_id: run_id(),
        region: args.region.clone(),
        secret: uuid::Uuid::new_v4().simple().to_string(),
    };
    let model = cognito_drift::model::cognito();
    let opts = VerifyOptions {
        snapshot_dir: args.snapshots.clone(),
        target: args.target.clone(),
        target_version: started.version.clone(),
        harness_version: env!("CARGO_PKG_VERSION").to_owned(),
        model_version: format!("botocore {}", model.source_version()),
        today: today(),
        mode,
    };
    let color = env.color;
    let on_done = move |r: &ScenarioReport| {
        let _ = writeln!(std::io::stderr(), "{}", terminal::line(r, color));
    };
    let interrupted;
    let mut reports = tokio::select! {
        reports = run::run_all(scenarios, client, exec, opts, ledger, args.jobs, &on_done) => { interrupted = false; reports }
        _ = tokio::signal::ctrl_c() => { interrupted = true; Vec::new() }
    };
    drop(started);
    if interrupted {
        err(env, "interrupted: the managed target was stopped");
        return exit::INTERRUPTED;
    }
    for r in &failed {
        on_done(r);
    }
    reports.append(&mut failed);
    if let Err(e) = write_report(&args, &reports, env) {
        err(env, &format!("failed to write the report: {e}"));
        return exit::USAGE;
    }
    exit_code(&reports, mode)
}

fn write_report(args: &RunArgs, reports: &[ScenarioReport], env: &Env) -> std::io::Result<()> {
    let mut buf = Vec::new();
    match args.format {
        Format::Terminal => terminal::write_summary(
            &mut buf,
            reports,
            &args.target,
            env.color && args.output.is_none(),
            args.verbose,
        )?,
        Format::Junit => {
            junit::write(&mut buf, reports, &args.target).map_err(std::io::Error::other)?
        }
    }
    match &args.output {
        Some(path) => {
            std::fs::write(path, &buf)?;
            let summary = terminal::summary(reports, &args.target);
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
