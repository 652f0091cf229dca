//! `cognito-drift fuzz`: start the target(s), build the fixture, fuzz one operation, write what failed.

use std::time::Duration;

use cognito_drift::exchange::Client;
use cognito_drift::exit;
use cognito_drift::fuzz::{
    self, Budget, Fixture, FoundOptions, LiveOptions, Side, Summary, Written,
};
use cognito_drift::run::ExecContext;
use indicatif::{ProgressBar, ProgressStyle};

use super::output::err_because;
use super::target::{self, Started};
use super::{err, progress};
use crate::cli::FuzzArgs;
use crate::Env;
use cognito_drift::engine::today;

/// Payloads sent when neither --iterations nor --duration is given.
const DEFAULT_ITERATIONS: u64 = 1000;

pub fn fuzz(args: FuzzArgs, env: &Env) -> i32 {
    let runtime = match super::output::runtime(env) {
        Ok(r) => r,
        Err(code) => return code,
    };
    runtime.block_on(async {
        tokio::select! {
            code = fuzz_async(&args, env) => code,
            _ = tokio::signal::ctrl_c() => {
                err(env, "interrupted: the managed targets were stopped");
                exit::INTERRUPTED
            }
        }
    })
}

/// A started target with its client and fixture.
struct Live {
    started: Started,
    client: Client,
    fixture: Fixture,
}

async fn live(name: &str, endpoint: Option<&str>, args: &FuzzArgs, env: &Env) -> Result<Live, i32> {
    let started = target::start(name, endpoint, env).await.map_err(|e| {
        err(env, &e.message);
        e.code
    })?;
    let ep = target::emulator_endpoint(&started.url, &args.exchange.region);
    let client = Client::new(
        ep,
        Duration::from_secs(args.exchange.timeout),
        args.exchange.max_body,
    )
    .map_err(|e| {
        err_because(env, "invalid endpoint", &e);
        exit::USAGE
    })?;
    let fixture = Fixture::create(&client, &ExecContext::fresh(&args.exchange.region, None))
        .await
        .map_err(|e| {
            err(env, &format!("{name}: {e}"));
            exit::TARGET_FAULT
        })?;
    Ok(Live {
        started,
        client,
        fixture,
    })
}

async fn fuzz_async(args: &FuzzArgs, env: &Env) -> i32 {
    let model = cognito_drift::model::cognito();
    if let Err(e) = fuzz::Generator::new(model, &args.operation) {
        err(env, &e.to_string());
        return exit::USAGE;
    }
    let primary = match live(
        &args.target.name,
        args.target.endpoint.as_deref(),
        args,
        env,
    )
    .await
    {
        Ok(l) => l,
        Err(code) => return code,
    };
    let other = match &args.against {
        Some(name) => match live(name, args.against_endpoint.as_deref(), args, env).await {
            Ok(l) => Some(l),
            Err(code) => return code,
        },
        None => None,
    };
    let opts = LiveOptions {
        operation: args.operation.clone(),
        seed: args.seed,
        budget: match (args.iterations, args.duration) {
            (_, Some(d)) => Budget::Duration(d),
            (Some(n), None) => Budget::Iterations(n),
            (None, None) => Budget::Iterations(DEFAULT_ITERATIONS),
        },
        rate: args.rate,
        latency_bound: Duration::from_millis(args.latency_bound),
        shrink_budget: args.shrink_budget,
    };
    let bar = progress_bar(opts.budget);
    let mut on_progress = |p: &fuzz::Progress<'_>| {
        if let Budget::Duration(_) = opts.budget {
            bar.set_position(p.started.elapsed().as_secs());
        } else {
            bar.set_position(p.iteration + 1);
        }
        bar.set_message(format!("{} classes, {} failures", p.classes, p.found));
        if p.new_class {
            bar.suspend(|| progress(&format!("  new class at #{}: {}", p.iteration, p.class)));
        }
    };
    let summary = fuzz::fuzz(
        model,
        side(&primary),
        other.as_ref().map(side),
        &opts,
        &mut on_progress,
    )
    .await;
    bar.finish_and_clear();
    let summary = match summary {
        Ok(s) => s,
        Err(e) => {
            err(env, &e.to_string());
            return exit::USAGE;
        }
    };
    let written = if args.no_write {
        Vec::new()
    } else {
        write_found(&summary, args, &primary).await
    };
    if let Some(dir) = &args.corpus {
        if let Err(e) = write_corpus(&summary, dir) {
            err(
                env,
                &format!("failed to write the corpus to {}: {e}", dir.display()),
            );
        }
    }
    for l in std::iter::once(&primary).chain(other.as_ref()) {
        if let Err(e) = l.fixture.delete(&l.client).await {
            progress(&format!("warning: teardown: {e}"));
        }
    }
    let _ = fuzz::write_summary(
        &mut std::io::stdout().lock(),
        &summary,
        &opts,
        &args.target.name,
        &written,
    );
    drop(other);
    drop(primary);
    if summary.found.is_empty() {
        exit::OK
    } else {
        exit::DRIFT
    }
}

fn side(l: &Live) -> Side<'_> {
    Side {
        client: &l.client,
        fixture: &l.fixture,
    }
}

fn progress_bar(budget: Budget) -> ProgressBar {
    let (len, unit) = match budget {
        Budget::Iterations(n) => (n, "payloads"),
        Budget::Duration(d) => (d.as_secs().max(1), "s"),
    };
    let bar = ProgressBar::new(len);
    let template = format!("{{bar:30}} {{pos}}/{{len}} {unit} {{per_sec}} {{msg}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

async fn write_found(
    summary: &Summary,
    args: &FuzzArgs,
    primary: &Live,
) -> Vec<Result<Written, String>> {
    let opts = FoundOptions {
        found_dir: args.found.clone(),
        snapshot_dir: args.snapshots.clone(),
        target: args.target.name.clone(),
        target_version: primary.started.version.clone(),
        target_lock: primary.started.lock.clone(),
        seed: args.seed,
        today: today(),
    };
    let ctx = ExecContext::fresh(&args.exchange.region, None);
    let mut out = Vec::new();
    for found in &summary.found {
        let w = fuzz::write_found(found, &opts, &primary.client, &ctx).await;
        out.push(w.map_err(|e| e.to_string()));
    }
    out
}

fn write_corpus(summary: &Summary, dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for stats in summary.classes.values() {
        let p = &stats.example;
        let name = fuzz::scenario_name(p, p.kind.as_str());
        std::fs::write(dir.join(format!("{name}.body")), p.template())?;
    }
    Ok(())
}
