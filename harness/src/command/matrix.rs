//! `cognito-drift matrix`: every scenario on every target in one pass (targets concurrently), then the
//! conformance matrix as matrix.md, matrix.json, matrix.junit.xml and matrix.html, and the table on
//! standard output. Snapshots are only read here: record a target with `record --target NAME`.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use cognito_drift::exchange::Client;
use cognito_drift::exit;
use cognito_drift::observation::{Fault, FaultKind};
use cognito_drift::report::matrix::{self, Matrix, Reference, TargetRun};
use cognito_drift::report::terminal;
use cognito_drift::run::ExecContext;
use cognito_drift::scenario::ast::Scenario;
use cognito_drift::span::Span;
use cognito_drift::support::SupportTable;
use cognito_drift::verdict::ledger::Divergence;
use cognito_drift::verdict::snapshot;
use cognito_drift::verdict::{self, ScenarioReport, SnapshotMode, VerifyOptions};

use super::columns::{columns, Column};
use super::output::err_because;
use super::target::StartError;
use super::{err, progress, target};
use crate::cli::MatrixArgs;
use crate::Env;
use cognito_drift::engine::{self, today, RunConfig};

pub fn matrix(args: MatrixArgs, env: &Env) -> i32 {
    let runtime = match super::output::runtime(env) {
        Ok(r) => r,
        Err(code) => return code,
    };
    runtime.block_on(matrix_async(args, env))
}

async fn matrix_async(args: MatrixArgs, env: &Env) -> i32 {
    let columns = match columns(&args.targets, &args.endpoints, args.reference.as_deref()) {
        Ok(c) => c,
        Err(m) => {
            err(env, &m);
            return exit::USAGE;
        }
    };
    let files = match super::output::scenario_files(&args.paths, env, false) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (scenarios, failed) = engine::load_all(&files, &columns[0].name);
    let reference = match &args.reference {
        Some(name) => match load_reference(&args.snapshots, name, &scenarios) {
            Ok(r) => Some(r),
            Err(m) => {
                err(env, &m);
                return exit::USAGE;
            }
        },
        None => None,
    };
    let mut ledgers = Vec::new();
    for c in &columns {
        match cognito_drift::verdict::ledger::load(&args.snapshots, &c.name) {
            Ok(l) => ledgers.push(l),
            Err(e) => {
                err_because(env, "invalid divergence ledger", &e);
                return exit::USAGE;
            }
        }
    }
    let args = Arc::new(args);
    let mut tasks = Vec::new();
    for (column, ledger) in columns.into_iter().zip(ledgers) {
        let (args, env, scenarios) = (args.clone(), env.clone(), scenarios.clone());
        tasks.push(tokio::spawn(async move {
            run_column(column, ledger, scenarios, &args, &env).await
        }));
    }
    let joined = tokio::select! {
        all = join(tasks) => all,
        _ = tokio::signal::ctrl_c() => {
            err(env, "interrupted: the managed targets are being stopped");
            return exit::INTERRUPTED;
        }
    };
    let mut runs = Vec::new();
    for result in joined {
        match result {
            Ok(mut t) => {
                t.reports
                    .extend(failed.iter().map(|f| with_target(f, &t.name)));
                runs.push(t);
            }
            Err(e) => {
                err(env, &e.message);
                return e.code;
            }
        }
    }
    let mut m = Matrix::build(&runs, reference.as_ref());
    m.support = recorded_support().and_then(|t| {
        let names: Vec<&str> = m.targets.iter().map(|t| t.name.as_str()).collect();
        t.restricted(&names)
    });
    if let Err(e) = write_files(&args.output_dir, &runs, &m) {
        err(
            env,
            &format!(
                "failed to write the matrix into {}: {e}",
                args.output_dir.display()
            ),
        );
        return exit::USAGE;
    }
    let _ = std::io::stdout().write_all(matrix::markdown::table(&m).as_bytes());
    for t in &runs {
        progress(&terminal::summary(&t.reports, &t.name));
    }
    progress(&format!(
        "matrix written to {} (matrix.md, matrix.json, matrix.junit.xml, matrix.html)",
        args.output_dir.display()
    ));
    exit::for_verdicts(Matrix::statuses(&runs), false)
}

async fn join(
    tasks: Vec<tokio::task::JoinHandle<Result<TargetRun, StartError>>>,
) -> Vec<Result<TargetRun, StartError>> {
    let mut out = Vec::new();
    for t in tasks {
        out.push(
            t.await
                .unwrap_or_else(|e| {
                    Err(StartError {
                        code: exit::INTERNAL,
                        message: format!("internal error: a target run stopped ({e}); this is a bug in cognito-drift, please report it"),
                    })
                }),
        );
    }
    out
}

/// Starts one target, runs every scenario on it, and stops it. A target that does not start becomes
/// a column of faults; an unknown target name stops the whole matrix (a usage error).
async fn run_column(
    column: Column,
    ledger: Vec<Divergence>,
    scenarios: Vec<Scenario>,
    args: &MatrixArgs,
    env: &Env,
) -> Result<TargetRun, StartError> {
    let name = column.name.clone();
    let instances = if column.endpoint.is_some() {
        1
    } else {
        args.instances.max(1)
    };
    let started = match target::start_many(&name, column.endpoint.as_deref(), instances, env).await
    {
        Ok(s) => s,
        Err(e) if e.code == exit::USAGE => return Err(e),
        Err(e) => {
            err(env, &e.message);
            let reports = scenarios
                .iter()
                .map(|s| not_started(s, &name, &e.message))
                .collect();
            return Ok(TargetRun {
                name,
                version: "unknown".into(),
                reports,
                ledger,
            });
        }
    };
    let mut clients = Vec::new();
    for s in &started {
        let endpoint = target::emulator_endpoint(&s.url, &args.exchange.region);
        let client = Client::new(
            endpoint,
            Duration::from_secs(args.exchange.timeout),
            args.exchange.max_body,
        )
        .map_err(|e| StartError {
            code: exit::USAGE,
            message: format!("invalid endpoint for {name}: {e}"),
        })?;
        clients.push(Arc::new(client));
    }
    let Some(first) = started.first() else {
        return Err(StartError {
            code: exit::INTERNAL,
            message: format!("internal error: no instance of {name} started"),
        });
    };
    let config = RunConfig {
        exec: ExecContext::fresh(&args.exchange.region, None),
        // The matrix only reads snapshots: record a target with `record --target NAME`.
        verify: VerifyOptions::new(
            args.snapshots.clone(),
            &name,
            &first.version,
            first.lock.clone(),
            today(),
            SnapshotMode::Verify {
                write_pending: false,
            },
        ),
        ledger: Arc::new(ledger.clone()),
        jobs: args.jobs,
        confirm: args.confirm,
        share: !args.isolate,
    };
    let prefix = name.clone();
    let on_done = move |r: &ScenarioReport| {
        let _ = writeln!(std::io::stderr(), "[{prefix}] {}", terminal::line(r, false));
    };
    let reports = engine::run_all(scenarios, &clients, &config, &on_done).await;
    let version = first.version.clone();
    drop(started);
    Ok(TargetRun {
        name,
        version,
        reports,
        ledger,
    })
}

/// The recorded snapshot bodies of the reference target for the loaded scenarios.
fn load_reference(dir: &Path, name: &str, scenarios: &[Scenario]) -> Result<Reference, String> {
    if !dir.join(name).is_dir() {
        return Err(format!(
            "no recorded snapshots for the reference `{name}`: {} is not a folder",
            dir.join(name).display()
        ));
    }
    let mut r = Reference {
        name: name.to_owned(),
        ..Reference::default()
    };
    for s in scenarios {
        let path = snapshot::snapshot_path(dir, name, &s.name.value);
        match snapshot::read(&path) {
            Ok(Some(snap)) => {
                r.snapshots.insert(s.name.value.clone(), snap.body);
            }
            Ok(None) => {}
            Err(e) => return Err(format!("reference `{name}`: {e}")),
        }
    }
    Ok(r)
}

fn with_target(r: &ScenarioReport, target: &str) -> ScenarioReport {
    let mut r = r.clone();
    r.target = target.to_owned();
    r
}

/// The report of a scenario on a target that never started.
fn not_started(s: &Scenario, target: &str, message: &str) -> ScenarioReport {
    let fault = Fault {
        during: "start of the target".into(),
        span: Span::UNKNOWN,
        message: message.to_owned(),
        kind: FaultKind::Target,
        ..Fault::default()
    };
    verdict::not_run(s, target, fault)
}

fn write_files(dir: &Path, runs: &[TargetRun], m: &Matrix) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut md = Vec::new();
    matrix::markdown::write(&mut md, m)?;
    std::fs::write(dir.join("matrix.md"), md)?;
    let mut json = Vec::new();
    matrix::json::write(&mut json, m)?;
    std::fs::write(dir.join("matrix.json"), json)?;
    let mut xml = Vec::new();
    matrix::junit::write(&mut xml, runs, m).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("matrix.junit.xml"), xml)?;
    let mut html = Vec::new();
    matrix::html::write(&mut html, m)?;
    std::fs::write(dir.join("matrix.html"), html)
}

/// The operation support recorded by `cognito-drift support` (embedded: the matrix page shows it
/// for the targets it has).
fn recorded_support() -> Option<SupportTable> {
    serde_json::from_str(include_str!("../../../docs/support.json")).ok()
}
