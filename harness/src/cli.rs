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
    /// Measure the harness's request rate against a target (see docs/performance.md).
    Bench(BenchArgs),
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
    /// Run only shard K of N (1-based), by a stable hash of each scenario's name (FNV-1a mod N).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<cognito_drift::run::Shard>,
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
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Target name: a managed emulator, `instant` (the built-in instant-reply server), or any name
    /// with --endpoint.
    #[arg(long, short, default_value = "moto")]
    pub target: String,
    /// Use an emulator you run yourself at this URL instead of a managed one (loopback only).
    #[arg(long)]
    pub endpoint: Option<String>,
    /// The request sent in a loop: GetUser or SetUserMFAPreference, with a valid access token.
    #[arg(long, default_value = "GetUser")]
    pub operation: String,
    /// Requests in flight at once (one connection each).
    #[arg(long, short, default_value_t = 1)]
    pub concurrency: usize,
    /// How long to send, in seconds.
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,
    /// Print the result as one JSON object on standard output.
    #[arg(long)]
    pub json: bool,
    /// Only serve the instant-reply server at this loopback address until Ctrl-C (for wrk).
    #[arg(long, value_name = "ADDR", conflicts_with_all = ["endpoint", "json"])]
    pub serve_instant: Option<std::net::SocketAddr>,
    /// Region used in signatures and pool ids.
    #[arg(long, default_value = "us-east-1")]
    pub region: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Terminal,
    Junit,
}
