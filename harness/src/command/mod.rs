//! The subcommands, one file each; this file only dispatches and holds what they share.

mod bench;
mod check;
mod output;
mod run;
mod target;

use crate::cli::{Cli, Command};
use crate::Env;
use cognito_drift::exit;
use cognito_drift::run::SnapshotMode;

pub use output::{err, progress};

pub fn dispatch(cli: Cli, env: &Env) -> i32 {
    match cli.command {
        Command::Bench(args) => bench::bench(args, env),
        Command::Check { paths } => check::check(&paths, env),
        Command::Run(args) => run::run(
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
            run::run(args, SnapshotMode::Record { accept }, env)
        }
    }
}
