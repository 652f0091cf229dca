//! `cognito-drift sweep`: delete user pools that earlier runs left in an AWS account, listing what was
//! deleted and what was left alone (and why).

use std::io::Write;

use cognito_drift::aws::{self, Ownership, Selection, SweepReport};
use cognito_drift::exit;
use time::OffsetDateTime;

use super::output::err_because;
use super::{err, target};
use crate::cli::SweepArgs;
use crate::Env;

pub fn sweep(args: SweepArgs, env: &Env) -> i32 {
    if args.target != target::AWS {
        err(
            env,
            &format!(
                "`sweep` cleans an AWS account: --target must be `aws`, not `{}` (emulators are reset instead)",
                args.target
            ),
        );
        return exit::USAGE;
    }
    let older_than = match aws::parse_age(&args.older_than) {
        Ok(d) => d,
        Err(e) => {
            err_because(env, "--older-than", &e);
            return exit::USAGE;
        }
    };
    let runtime = match super::output::runtime(env) {
        Ok(r) => r,
        Err(code) => return code,
    };
    runtime.block_on(async {
        let target = target::AwsTarget {
            endpoint: args.endpoint.as_deref(),
            region: &args.exchange.region,
            timeout: args.exchange.timeout,
            max_body: args.exchange.max_body,
            args: &args.aws,
        };
        let session = match target::start_aws(&target, Ownership::for_sweep()).await {
            Ok(s) => s,
            Err(e) => {
                err(env, &e.message);
                return e.code;
            }
        };
        let selection = Selection::OlderThan(older_than);
        let now = OffsetDateTime::now_utc();
        match aws::sweep(
            &session.client,
            &session.guard,
            &selection,
            now,
            args.dry_run,
        )
        .await
        {
            Ok(report) => {
                let mut out = Vec::new();
                let _ = write_listing(&mut out, &report, args.dry_run);
                let _ = std::io::stdout().write_all(&out);
                if report.failed.is_empty() {
                    exit::OK
                } else {
                    exit::TARGET_FAULT
                }
            }
            Err(e) => {
                err_because(env, "sweep stopped", &e);
                exit::TARGET_FAULT
            }
        }
    })
}

/// `deleted <id> <name>` / `kept <id> <name>: <why>` lines, then a count.
fn write_listing(w: &mut dyn Write, r: &SweepReport, dry_run: bool) -> std::io::Result<()> {
    let verb = if dry_run { "would delete" } else { "deleted" };
    for p in &r.deleted {
        writeln!(w, "{verb} {} {}", p.id, p.name)?;
    }
    for p in &r.failed {
        writeln!(w, "FAILED {} {}: {}", p.id, p.name, p.reason)?;
    }
    for p in &r.kept {
        writeln!(w, "kept {} {}: {}", p.id, p.name, p.reason)?;
    }
    writeln!(
        w,
        "sweep: {} {verb}, {} failed, {} left alone",
        r.deleted.len(),
        r.failed.len(),
        r.kept.len()
    )
}
