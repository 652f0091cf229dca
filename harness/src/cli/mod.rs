//! Command-line arguments (clap derive), turned into plain options for the library.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

mod generate;
mod groups;
mod suite;

pub use generate::{ExploreArgs, ExploreFormat, FuzzArgs};
pub use groups::{AwsArgs, ExchangeArgs, Format, ReportArgs, TargetArgs, TargetsArgs};
pub use suite::{BenchArgs, InitArgs, MatrixArgs, RunArgs, SupportArgs, SweepArgs};

#[derive(Debug, Parser)]
#[command(
    name = "cognito-drift",
    version,
    about = "Catch drift between Cognito emulators, recorded snapshots and the documented contract."
)]
pub struct Cli {
    /// Defaults for run, record, matrix and fuzz: each key is a flag's long name, and flags given here
    /// win (default: `cognito-drift.yaml` in the working directory, when there is one).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenarios against a target and verify them against snapshots and the contract.
    Run(RunArgs),
    /// Run scenarios and write what was observed as pending snapshots (`.snap.new`) to review.
    Record {
        #[command(flatten)]
        run: RunArgs,
        /// Write `.snap` files directly instead of `.snap.new` (only after reading what changed).
        #[arg(long)]
        accept: bool,
    },
    /// Run every scenario on every target and write the conformance matrix (md, json, junit, html).
    Matrix(MatrixArgs),
    /// Render docs/coverage.md from scenarios, snapshots and ledgers (no network).
    Coverage {
        /// Scenario folder.
        #[arg(long, default_value = "scenarios")]
        scenarios: PathBuf,
        /// Folder holding `<target>/<scenario>.snap` files and the ledgers.
        #[arg(long, default_value = "snapshots")]
        snapshots: PathBuf,
        /// Reasons for exceptions no scenario reaches.
        #[arg(long, default_value = "docs/unreachable.yaml")]
        unreachable: PathBuf,
        /// Write here instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Verify --output is up to date instead of writing it.
        #[arg(long, requires = "output")]
        check: bool,
    },
    /// Delete user pools that earlier runs left in an AWS account (only pools named and tagged by cognito-drift).
    Sweep(SweepArgs),
    /// List snapshot files that belong to no scenario (and leftovers of interrupted writes); deletes nothing.
    Orphans {
        /// Scenario files or folders.
        #[arg(default_value = "scenarios")]
        paths: Vec<PathBuf>,
        /// Folder holding `<target>/<scenario>.snap` files.
        #[arg(long, default_value = "snapshots")]
        snapshots: PathBuf,
    },
    /// Measure the harness's request rate against a target (see docs/performance.md).
    Bench(BenchArgs),
    /// Start a managed emulator and keep it running until Ctrl-C; prints `<url> <target> <version>`.
    Serve {
        /// moto, cognito-local or ministack.
        #[arg(long, short, default_value = "moto")]
        target: String,
    },
    /// Load and validate scenario files without sending anything.
    Check {
        /// Scenario files or folders.
        #[arg(default_value = "scenarios")]
        paths: Vec<PathBuf>,
    },
    /// Send model-generated payloads to a live target; shrink each oracle failure into a scenario.
    Fuzz(FuzzArgs),
    /// Call every operation of the model once on each target and write which ones it implements.
    Support(SupportArgs),
    /// Start a project: starter scenarios, snapshots/, cognito-drift.yaml and GitHub workflows.
    Init(InitArgs),
    /// Run random MFA operation sequences on several targets in lockstep, judged by a model of the
    /// documented contract and by each other; shrink each new finding into a scenario.
    Explore(ExploreArgs),
}

/// `90`, `90s`, `500ms`, `2m`, `1h`.
pub(crate) fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a duration such as 90s, 2m or 1h"))?;
    match unit {
        "" | "s" => Ok(Duration::from_secs(n)),
        "ms" => Ok(Duration::from_millis(n)),
        "m" => Ok(Duration::from_secs(n * 60)),
        "h" => Ok(Duration::from_secs(n * 3600)),
        other => Err(format!(
            "unknown duration unit `{other}`: use ms, s, m or h"
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert!(parse_duration("2 weeks").is_err());
        assert!(parse_duration("m").is_err());
    }

    #[test]
    fn fuzz_flags_parse() {
        let cli = Cli::try_parse_from([
            "cognito-drift",
            "fuzz",
            "--seed",
            "7",
            "--duration",
            "2m",
            "--rate",
            "50",
        ])
        .unwrap();
        let Command::Fuzz(args) = cli.command else {
            panic!("not fuzz");
        };
        assert_eq!(args.seed, 7);
        assert_eq!(args.duration, Some(Duration::from_secs(120)));
        assert!(Cli::try_parse_from([
            "cognito-drift",
            "fuzz",
            "--iterations",
            "5",
            "--duration",
            "1s"
        ])
        .is_err());
    }
}
