//! Flags of the commands that run scenarios or talk to targets one request at a time: run, record,
//! matrix, sweep, support, init, bench.

use std::path::PathBuf;

use clap::Args;

use super::{AwsArgs, ExchangeArgs, ReportArgs, TargetArgs, TargetsArgs};

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files or folders.
    #[arg(default_value = "scenarios")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub target: TargetArgs,
    /// Folder holding `<target>/<scenario>.snap` files.
    #[arg(long, default_value = "snapshots")]
    pub snapshots: PathBuf,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Scenarios run at once.
    #[arg(long, short, default_value_t = 4)]
    pub jobs: usize,
    /// Give every scenario a user pool of its own. Without it, scenarios whose steps never read or
    /// change pool-level state share one pool per pool fixture (each with its own client and users).
    #[arg(long)]
    pub isolate: bool,
    /// Processes of the managed target to start and spread the scenarios over (each scenario runs
    /// wholly on one). Default: for moto, one per core up to 2; 1 for other targets, for an
    /// --endpoint you run and for aws.
    #[arg(long, value_name = "N")]
    pub instances: Option<usize>,
    /// Run only shard K of N (1-based), by a stable hash of each scenario's name (FNV-1a mod N).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<cognito_drift::run::Shard>,
    #[command(flatten)]
    pub exchange: ExchangeArgs,
    /// Re-run a scenario whose verdict is drift or contract this many times (fresh pool each) before
    /// reporting it; re-runs that disagree make it `flaky` (reported, not failed). 0 never re-runs.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub confirm: usize,
    /// Seeds the fixture passwords instead of a random value (tests use it to recognise them on the
    /// wire). Never use a fixed seed against a shared target.
    #[arg(long, hide = true, env = "COGNITO_DRIFT_SECRET_SEED")]
    pub secret_seed: Option<String>,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// Scenario files or folders.
    #[arg(default_value = "scenarios")]
    pub paths: Vec<PathBuf>,
    /// Targets, comma-separated; each is a managed emulator unless --endpoint names it.
    #[arg(long, value_delimiter = ',', default_value = "moto")]
    pub targets: Vec<String>,
    /// `NAME=URL`: target NAME is an emulator you run at URL (loopback only); repeatable. A NAME not in
    /// --targets is added to the matrix.
    #[arg(long = "endpoint", value_name = "NAME=URL")]
    pub endpoints: Vec<String>,
    /// Compare every target with the recorded snapshots of this target (e.g. `aws`); it is not run.
    /// Without it, targets are compared with the first target.
    #[arg(long)]
    pub reference: Option<String>,
    /// Folder for matrix.md, matrix.json, matrix.junit.xml and matrix.html.
    #[arg(long, default_value = "target/cognito-drift/matrix")]
    pub output_dir: PathBuf,
    /// Folder holding `<target>/<scenario>.snap` files and the ledgers.
    #[arg(long, default_value = "snapshots")]
    pub snapshots: PathBuf,
    /// Scenarios run at once on each target (targets run concurrently).
    #[arg(long, short, default_value_t = 4)]
    pub jobs: usize,
    /// Give every scenario a user pool of its own. Without it, scenarios whose steps never read or
    /// change pool-level state share one pool per pool fixture (each with its own client and users).
    #[arg(long)]
    pub isolate: bool,
    /// Processes of each managed target to spread its scenarios over (1 for an --endpoint target).
    /// The targets already run side by side, so the default is 1.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub instances: usize,
    /// Re-run a scenario whose verdict is drift or contract this many times before reporting it;
    /// re-runs that disagree make it `flaky`. 0 never re-runs.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub confirm: usize,
    #[command(flatten)]
    pub exchange: ExchangeArgs,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Only `aws` can be swept.
    #[arg(long, short, default_value = "aws")]
    pub target: String,
    /// A loopback stand-in for AWS (tests).
    #[arg(long)]
    pub endpoint: Option<String>,
    /// Delete pools whose creation tag is at least this old (`2h`, `90m`, `1d`).
    #[arg(long, default_value = "2h")]
    pub older_than: String,
    /// List what would be deleted without deleting anything.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub exchange: ExchangeArgs,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
pub struct SupportArgs {
    #[command(flatten)]
    pub on: TargetsArgs,
    /// Only these operations (repeatable); default every operation of the model.
    #[arg(long = "operation", value_name = "NAME")]
    pub operations: Vec<String>,
    /// Write support.md and support.json here (e.g. `docs`) instead of Markdown to standard output.
    #[arg(long)]
    pub output_dir: Option<PathBuf>,
    /// Operations called at once on each target (each on a fixture of its own).
    #[arg(long, short, default_value_t = 4)]
    pub jobs: usize,
    /// Per-request timeout in seconds.
    #[arg(long, default_value_t = 10)]
    pub timeout: u64,
    /// Region used in signatures and pool ids.
    #[arg(long, default_value = "us-east-1")]
    pub region: String,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write into (created when missing); nothing in it is ever overwritten.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Emulators the pull-request workflow runs the suite on, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "moto")]
    pub targets: Vec<String>,
    /// The action the workflows use, as `OWNER/REPO@REF` (where your team gets cognito-drift from).
    #[arg(long, default_value = "OWNER/cognito-drift@main")]
    pub action: String,
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
