//! The subcommands: target set-up, running the suite, writing reports, choosing the exit code.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use cognito_drift::diagnostic::{did_you_mean, render};
use cognito_drift::exchange::{Client, Endpoint};
use cognito_drift::exit;
use cognito_drift::report::{junit, terminal};
use cognito_drift::run::{self, ExecContext, ScenarioReport, SnapshotMode, Status, VerifyOptions};
use cognito_drift::target::{ManagedMoto, MotoOptions};

use crate::cli::{Cli, Command, Format, RunArgs};
use crate::Env;

/// Targets the harness can manage itself.
const MANAGED_TARGETS: &[&str] = &["moto"];
/// The moto version the committed snapshots were recorded with.
const MOTO_VERSION: &str = cognito_drift::target::DEFAULT_MOTO_VERSION;
/// Credentials for emulators, which accept any key.
const EMULATOR_KEY: (&str, &str) = ("AKIDCOGNITODRIFT0000", "cognito-drift-emulator-secret");

pub fn dispatch(cli: Cli, env: &Env) -> i32 {
    match cli.command {
        Command::Check { paths } => check(&paths, env),
        Command::Run(args) => run(
            args,
            SnapshotMode::Verify {
                write_pending: !env.ci,
            },
            env,
        ),
        Command::Record { run: args, accept } => {
            if env.ci {
                err(env, "`record` writes snapshots, and CI is set: CI only verifies. Record locally and commit.");
                return exit::USAGE;
            }
            run(args, SnapshotMode::Record { accept }, env)
        }
    }
}

fn check(paths: &[std::path::PathBuf], env: &Env) -> i32 {
    let files = match run::discover(paths) {
        Ok(f) => f,
        Err(e) => {
            err(env, &format!("failed to list scenario files: {e}"));
            return exit::USAGE;
        }
    };
    let (ok, failed) = run::load_all(&files, "-");
    let mut out = std::io::stderr().lock();
    for r in &failed {
        for d in &r.diagnostics {
            let _ = writeln!(out, "{}", render(d, &r.source, env.color));
        }
    }
    let _ = writeln!(
        out,
        "{} scenario files: {} valid, {} with errors",
        files.len(),
        ok.len(),
        failed.len()
    );
    if failed.is_empty() {
        exit::OK
    } else {
        exit::USAGE
    }
}

fn run(args: RunArgs, mode: SnapshotMode, env: &Env) -> i32 {
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
    if args.endpoint.is_none() && !MANAGED_TARGETS.contains(&args.target.as_str()) {
        let hint = did_you_mean(&args.target, MANAGED_TARGETS.iter().copied())
            .map(|t| format!(" Did you mean `{t}`?"))
            .unwrap_or_default();
        err(env, &format!(
            "unknown target `{}`.{hint} Managed targets: {}. For an emulator you run yourself, pass --endpoint URL with --target NAME.",
            args.target,
            MANAGED_TARGETS.join(", ")
        ));
        return exit::USAGE;
    }
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
    let (scenarios, mut failed) = run::load_all(&files, &args.target);
    let ledger = match run::load_ledger(&args.snapshots, &args.target) {
        Ok(l) => Arc::new(l),
        Err(e) => {
            err(env, &format!("invalid divergence ledger: {e}"));
            return exit::USAGE;
        }
    };

    // The managed target lives until this function returns: dropping it stops the server.
    let mut managed = None;
    let (url, version) = match &args.endpoint {
        Some(url) => (url.clone(), "unknown".to_owned()),
        None => {
            progress(&format!(
                "starting managed {} {MOTO_VERSION} ...",
                args.target
            ));
            let opts = MotoOptions {
                version: MOTO_VERSION.to_owned(),
                cache_dir: env.cache_dir.clone(),
                env: Vec::new(),
                log_file: Some(env.cache_dir.join("logs").join("moto.log")),
                path: env.path.clone(),
            };
            match ManagedMoto::start(&opts).await {
                Ok(m) => {
                    let pair = (m.endpoint_url().to_owned(), m.version().to_owned());
                    progress(&format!("{} {} ready at {}", args.target, pair.1, pair.0));
                    managed = Some(m);
                    pair
                }
                Err(e) => {
                    err(
                        env,
                        &format!("failed to start managed {}: {e}", args.target),
                    );
                    return exit::TARGET_FAULT;
                }
            }
        }
    };
    let endpoint = Endpoint {
        url,
        region: args.region.clone(),
        credentials: aws_credential_types::Credentials::new(
            EMULATOR_KEY.0,
            EMULATOR_KEY.1,
            None,
            None,
            "cognito-drift-emulator",
        ),
        allow_remote: false,
    };
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
        target_version: version,
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
    drop(managed);
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

fn run_id() -> String {
    let u = uuid::Uuid::new_v4().simple().to_string();
    u[..8].to_owned()
}

fn today() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}

fn progress(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

fn err(env: &Env, msg: &str) {
    let prefix = if env.color {
        "\x1b[31merror\x1b[0m"
    } else {
        "error"
    };
    let _ = writeln!(std::io::stderr(), "{prefix}: {msg}");
}
