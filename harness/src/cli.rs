//! Command-line arguments (clap derive), turned into plain options for the library.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "cognito-drift",
    version,
    about = "Catch drift between Cognito emulators, recorded snapshots and the documented contract."
)]
pub struct Cli {
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
    /// List snapshot files that belong to no scenario (and leftovers of interrupted writes); deletes nothing.
    Orphans {
        /// Scenario files or folders.
        #[arg(default_value = "scenarios")]
        paths: Vec<PathBuf>,
        /// Folder holding `<target>/<scenario>.snap` files.
        #[arg(long, default_value = "snapshots")]
        snapshots: PathBuf,
    },
    /// Load and validate scenario files without sending anything.
    Check {
        /// Scenario files or folders.
        #[arg(default_value = "scenarios")]
        paths: Vec<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files or folders.
    #[arg(default_value = "scenarios")]
    pub paths: Vec<PathBuf>,
    /// Target name; picks the snapshot folder and, without --endpoint, the emulator the harness manages.
    #[arg(long, short, default_value = "moto")]
    pub target: String,
    /// Use an emulator you run yourself at this URL instead of a managed one (loopback only).
    #[arg(long)]
    pub endpoint: Option<String>,
    /// Folder holding `<target>/<scenario>.snap` files.
    #[arg(long, default_value = "snapshots")]
    pub snapshots: PathBuf,
    /// Report format on standard output or --output.
    #[arg(long, value_enum, default_value_t = Format::Terminal)]
    pub format: Format,
    /// Write the report to this file (the terminal still shows progress).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Scenarios run at once (each in its own user pool).
    #[arg(long, short, default_value_t = 4)]
    pub jobs: usize,
    /// Per-request timeout in seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Largest response body accepted, in bytes.
    #[arg(long, default_value_t = 4 * 1024 * 1024)]
    pub max_body: usize,
    /// Region used in signatures and pool ids.
    #[arg(long, default_value = "us-east-1")]
    pub region: String,
    /// Show details for passing scenarios too (known divergences, notes).
    #[arg(long, short)]
    pub verbose: bool,
    /// Re-run a scenario whose verdict is drift or contract this many times (fresh pool each) before
    /// reporting it; re-runs that disagree make it `flaky` (reported, not failed). 0 never re-runs.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub confirm: usize,
    /// Seeds the fixture passwords instead of a random value (tests use it to recognise them on the
    /// wire). Never use a fixed seed against a shared target.
    #[arg(long, hide = true, env = "COGNITO_DRIFT_SECRET_SEED")]
    pub secret_seed: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Terminal,
    Junit,
}
