//! The subcommands, one file each; this file only dispatches and holds what they share.

mod aws_cleanup;
mod bench;
mod check;
mod columns;
mod coverage;
mod explore;
mod explore_found;
mod fuzz;
mod init;
mod matrix;
mod orphans;
mod output;
mod run;
mod run_report;
mod serve;
mod support;
mod sweep;
mod target;

use crate::cli::{Cli, Command};
use crate::Env;
use cognito_drift::exit;
use cognito_drift::verdict::SnapshotMode;

pub use output::{err, progress};

pub fn dispatch(cli: Cli, env: &Env) -> i32 {
    match cli.command {
        Command::Serve { target } => serve::serve(&target, env),
        Command::Bench(args) => bench::bench(args, env),
        Command::Check { paths } => check::check(&paths, env),
        Command::Matrix(args) => matrix::matrix(args, env),
        Command::Coverage {
            scenarios,
            snapshots,
            unreachable,
            output,
            check,
        } => coverage::coverage(
            coverage::CoverageOptions {
                scenarios,
                snapshots,
                unreachable,
                output,
                check,
            },
            env,
        ),
        Command::Orphans { paths, snapshots } => orphans::orphans(&paths, &snapshots, env),
        Command::Fuzz(args) => fuzz::fuzz(args, env),
        Command::Init(args) => init::init(args, env),
        Command::Explore(args) => explore::explore(args, env),
        Command::Run(args) => run::run(
            args,
            SnapshotMode::Verify {
                write_pending: !env.ci,
            },
            env,
        ),
        Command::Sweep(args) => sweep::sweep(args, env),
        Command::Support(args) => support::support(args, env),
        Command::Record { run: args, accept } => {
            if env.ci {
                err(env, "`record` writes snapshots, and CI is set: CI only verifies. Record locally and commit.");
                return exit::USAGE;
            }
            run::run(args, SnapshotMode::Record { accept }, env)
        }
    }
}
