//! `cognito-drift explore`: start every target, run random MFA sequences on all of them in lockstep,
//! shrink and confirm what differs, write it as scenarios with pending snapshots, and report.

use std::io::{IsTerminal as _, Write as _};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cognito_drift::exchange::{Client, Layer, Pacer, RetryPolicy};
use cognito_drift::exit;
use cognito_drift::explore::{
    self, Budget, ClientExecutor, Corpus, Options, Shape, Summary, Target,
};
use cognito_drift::run::ExecContext;
use indicatif::{ProgressBar, ProgressStyle};

use super::columns::columns;
use super::explore_found::{known, write_all};
use super::target::{self, Started};
use super::{err, progress};
use crate::cli::{ExploreArgs, ExploreFormat};
use crate::Env;

/// Sequences run when neither --sequences nor --duration is given.
const DEFAULT_SEQUENCES: u64 = 50;

pub fn explore(args: ExploreArgs, env: &Env) -> i32 {
    let runtime = match super::output::runtime(env) {
        Ok(r) => r,
        Err(code) => return code,
    };
    runtime.block_on(explore_async(&args, env))
}

/// A started target with its client.
pub(super) struct Live {
    pub(super) name: String,
    pub(super) started: Started,
    pub(super) client: Arc<Client>,
}

async fn start_all(args: &ExploreArgs, env: &Env) -> Result<Vec<Live>, i32> {
    let cols = columns(&args.on.targets, &args.on.endpoints, None).map_err(|m| {
        err(env, &m);
        exit::USAGE
    })?;
    if cols.iter().any(|c| c.name == "aws" && c.endpoint.is_none()) {
        err(env, "explore does not run against `aws` yet: it is for emulators (managed or --endpoint NAME=URL on loopback)");
        return Err(exit::USAGE);
    }
    let starts = cols
        .iter()
        .map(|c| target::start(&c.name, c.endpoint.as_deref(), env));
    let mut out = Vec::new();
    for (c, started) in cols.iter().zip(futures_join(starts).await) {
        let started = started.map_err(|e| {
            err(env, &e.message);
            e.code
        })?;
        let ep = target::emulator_endpoint(&started.url, &args.exchange.region);
        let mut client = Client::new(
            ep,
            Duration::from_secs(args.exchange.timeout),
            args.exchange.max_body,
        )
        .map_err(|e| {
            err(env, &format!("invalid endpoint for {}: {e}", c.name));
            exit::USAGE
        })?;
        if let Some(rate) = args.rate {
            client = client.with_layer(Arc::new(pacing(rate)));
        }
        out.push(Live {
            name: c.name.clone(),
            started,
            client: Arc::new(client),
        });
    }
    Ok(out)
}

/// Starts every target at once (installs and boots overlap).
async fn futures_join<F: std::future::Future>(fs: impl Iterator<Item = F>) -> Vec<F::Output> {
    let fs: Vec<_> = fs.map(Box::pin).collect();
    let mut out = Vec::new();
    // Polled together by a local join: each start mostly waits on a child process.
    let mut pending: Vec<_> = fs.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (i, slot) in pending.iter_mut().enumerate() {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        results[i] = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out.extend(results.into_iter().flatten());
    out
}

/// `--rate`: one bucket for every operation, no retries (an emulator's answer is what is judged).
fn pacing(rate: NonZeroU32) -> Layer {
    Layer {
        pacer: Some(Pacer::new([("all", rate)], [], "all")),
        retry: RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        },
        ..Layer::default()
    }
}

async fn explore_async(args: &ExploreArgs, env: &Env) -> i32 {
    let names: Vec<String> = match columns(&args.on.targets, &args.on.endpoints, None) {
        Ok(c) => c.into_iter().map(|c| c.name).collect(),
        Err(m) => {
            err(env, &m);
            return exit::USAGE;
        }
    };
    let known = match known(args, &names, env) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let mut corpus = match &args.corpus {
        Some(dir) => match Corpus::load(dir) {
            Ok(c) => c,
            Err(e) => {
                err(
                    env,
                    &format!("cannot read the corpus in {}: {e}", dir.display()),
                );
                return exit::USAGE;
            }
        },
        None => Corpus::default(),
    };
    let stop = Arc::new(AtomicBool::new(false));
    let live = tokio::select! {
        l = start_all(args, env) => l,
        _ = tokio::signal::ctrl_c() => {
            err(env, "interrupted while starting the targets");
            return exit::INTERRUPTED;
        }
    };
    let live = match live {
        Ok(l) => l,
        Err(code) => return code,
    };
    {
        let stop = stop.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                progress("interrupted: finishing the sequences in flight (their pools are deleted), then reporting");
                stop.store(true, Ordering::Relaxed);
            }
        });
    }
    let ctx = ExecContext::fresh(&args.exchange.region, None);
    let targets: Vec<Target> = live
        .iter()
        .map(|l| Target {
            name: l.name.clone(),
            exec: Arc::new(ClientExecutor {
                client: l.client.clone(),
                ctx: ctx.clone(),
            }),
        })
        .collect();
    let opts = Options {
        seed: args.seed,
        budget: match (args.sequences, args.duration) {
            (_, Some(d)) => Budget::Duration(d),
            (Some(n), None) => Budget::Sequences(n),
            (None, None) => Budget::Sequences(DEFAULT_SEQUENCES),
        },
        shape: Shape {
            users: args.users.clamp(1, explore::USER_NAMES.len()),
            max_steps: args.max_steps.max(1),
        },
        jobs: args.jobs.max(1),
        shrink_budget: args.shrink_budget,
        shrink_time: args.shrink_time,
    };
    let bar = progress_bar(opts.budget);
    // Without a terminal the bar is hidden: a line every 15 seconds says how far it got instead.
    let lines = !std::io::stderr().is_terminal();
    let mut last_line = std::time::Instant::now();
    let mut on_progress = |p: &explore::Progress| {
        if lines && last_line.elapsed() >= Duration::from_secs(15) {
            last_line = std::time::Instant::now();
            let phase = match p.shrinking {
                Some((done, of)) => format!(", shrinking {done}/{of}"),
                None => String::new(),
            };
            progress(&format!(
                "explore: {:.0}s, {} sequences, {} steps, {} findings{phase}",
                p.elapsed.as_secs_f64(),
                p.sequences,
                p.steps,
                p.findings
            ));
        }
        match (opts.budget, p.shrinking) {
            (_, Some((done, of))) => bar.set_message(format!("shrinking {done}/{of}")),
            (Budget::Duration(_), None) => bar.set_position(p.elapsed.as_secs()),
            (Budget::Sequences(_), None) => bar.set_position(p.sequences),
        }
        if p.shrinking.is_none() {
            bar.set_message(format!(
                "{} sequences, {} steps, {} findings",
                p.sequences, p.steps, p.findings
            ));
        }
    };
    let summary = explore::explore(
        &targets,
        &known,
        &mut corpus,
        &opts,
        &stop,
        &mut on_progress,
    )
    .await;
    bar.finish_and_clear();
    // Interrupted while shrinking, the findings confirmed so far are still written.
    let written = if args.no_write {
        Vec::new()
    } else {
        write_all(&summary, args, &live, &ctx).await
    };
    if let Some(dir) = &args.corpus {
        if let Err(e) = corpus.save(dir) {
            err(
                env,
                &format!("failed to write the corpus to {}: {e}", dir.display()),
            );
        }
    }
    let mut out = Vec::new();
    let _ = match args.format {
        ExploreFormat::Terminal => explore::write_terminal(&mut out, &summary, args.seed, &written),
        ExploreFormat::Json => explore::write_json(&mut out, &summary, args.seed, &written),
    };
    let _ = std::io::stdout().write_all(&out);
    drop(targets);
    drop(live);
    exit_code(&summary)
}

fn exit_code(s: &Summary) -> i32 {
    if s.interrupted {
        exit::INTERRUPTED
    } else if s.targets.values().any(|t| !t.faults.is_empty()) {
        exit::TARGET_FAULT
    } else if s.entries.iter().any(explore::writable) {
        exit::DRIFT
    } else {
        exit::OK
    }
}

fn progress_bar(budget: Budget) -> ProgressBar {
    let (len, unit) = match budget {
        Budget::Sequences(n) => (n, "sequences"),
        Budget::Duration(d) => (d.as_secs().max(1), "s"),
    };
    let bar = ProgressBar::new(len);
    let template = format!("{{bar:30}} {{pos}}/{{len}} {unit} {{msg}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}
