//! `cognito-drift support`: call every operation of the model once on each target and write the
//! support table (Markdown and JSON).

use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

use cognito_drift::exchange::Client;
use cognito_drift::exit;
use cognito_drift::run::ExecContext;
use cognito_drift::support::{self, Column, OnProbed, ProbeOptions, Support, SupportTable};

use super::columns::columns;
use super::output::err_because;
use super::{err, progress, target};
use crate::cli::SupportArgs;
use crate::Env;
use cognito_drift::engine::{run_id, today};

pub fn support(args: SupportArgs, env: &Env) -> i32 {
    let runtime = match super::output::runtime(env) {
        Ok(r) => r,
        Err(code) => return code,
    };
    runtime.block_on(async {
        tokio::select! {
            code = support_async(&args, env) => code,
            _ = tokio::signal::ctrl_c() => {
                err(env, "interrupted: the managed targets were stopped");
                exit::INTERRUPTED
            }
        }
    })
}

async fn support_async(args: &SupportArgs, env: &Env) -> i32 {
    let columns = match columns(&args.on.targets, &args.on.endpoints, None) {
        Ok(c) => c,
        Err(m) => {
            err(env, &m);
            return exit::USAGE;
        }
    };
    let model = cognito_drift::model::cognito();
    for op in &args.operations {
        if model.operation(op).is_none() {
            err(env, &format!("unknown operation `{op}`"));
            return exit::USAGE;
        }
    }
    let opts = ProbeOptions {
        jobs: args.jobs,
        operations: args.operations.clone(),
    };
    let mut probes = Vec::new();
    for column in &columns {
        let started = match target::start(&column.name, column.endpoint.as_deref(), env).await {
            Ok(s) => s,
            Err(e) => {
                err(env, &e.message);
                return e.code;
            }
        };
        let endpoint = target::emulator_endpoint(&started.url, &args.region);
        let client = match Client::new(endpoint, Duration::from_secs(args.timeout), 4 << 20) {
            Ok(c) => Arc::new(c),
            Err(e) => {
                err_because(env, "invalid endpoint", &e);
                return exit::USAGE;
            }
        };
        let ctx = ExecContext {
            run_id: run_id(),
            region: args.region.clone(),
            secret: uuid::Uuid::new_v4().simple().to_string(),
            pools: None,
        };
        let name = column.name.clone();
        let on_done: OnProbed = Arc::new(move |op: &str, s: &Support| {
            tracing::info!(target = %name, operation = op, answer = s.answer(), "probed");
        });
        progress(&format!("{}: calling every operation ...", column.name));
        let results = support::probe_target(client, &ctx, &opts, on_done).await;
        let implemented = results.iter().filter(|(_, s)| s.is_implemented()).count();
        progress(&format!(
            "{}: {implemented} of {} operations implemented",
            column.name,
            results.len()
        ));
        probes.push((
            Column {
                target: column.name.clone(),
                version: started.version.clone(),
                lock: started.lock.clone(),
            },
            results,
        ));
        drop(started);
    }
    let table = SupportTable::new(
        &today(),
        &format!("botocore {}", model.source_version()),
        probes,
    );
    let markdown = table.markdown();
    let json = match serde_json::to_string_pretty(&table) {
        Ok(j) => j + "\n",
        Err(e) => {
            err_because(env, "failed to write the table as JSON", &e);
            return exit::USAGE;
        }
    };
    match &args.output_dir {
        Some(dir) => {
            let write = |name: &str, text: &str| std::fs::write(dir.join(name), text);
            if let Err(e) = std::fs::create_dir_all(dir)
                .and_then(|()| write("support.md", &markdown))
                .and_then(|()| write("support.json", &json))
            {
                err(
                    env,
                    &format!("failed to write into `{}`: {e}", dir.display()),
                );
                return exit::USAGE;
            }
            progress(&format!(
                "wrote {0}/support.md and {0}/support.json",
                dir.display()
            ));
        }
        None => {
            let _ = std::io::stdout().write_all(markdown.as_bytes());
        }
    }
    exit::OK
}
