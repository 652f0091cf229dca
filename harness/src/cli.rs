//! Command-line arguments (clap derive), turned into plain options for the library.

use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

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

#[derive(Debug, Args)]
pub struct SupportArgs {
    /// Targets, comma-separated; each is a managed emulator unless --endpoint names it.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "moto,cognito-local,ministack"
    )]
    pub targets: Vec<String>,
    /// `NAME=URL`: target NAME is an emulator you run at URL (loopback only); repeatable.
    #[arg(long = "endpoint", value_name = "NAME=URL")]
    pub endpoints: Vec<String>,
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
    /// Scenarios run at once (each in its own user pool).
    #[arg(long, short, default_value_t = 4)]
    pub jobs: usize,
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

/// The one target a command talks to.
#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    /// Target name; picks the snapshot folder and, without --endpoint, the emulator the harness manages.
    #[arg(long = "target", short = 't', default_value = "moto")]
    pub name: String,
    /// Use an emulator you run yourself at this URL instead of a managed one (loopback only).
    #[arg(long)]
    pub endpoint: Option<String>,
}

/// How requests reach a target: the same flags for every command that sends.
#[derive(Debug, Clone, Args)]
pub struct ExchangeArgs {
    /// Per-request timeout in seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Largest response body accepted, in bytes.
    #[arg(long, default_value_t = 4 * 1024 * 1024)]
    pub max_body: usize,
    /// Region used in signatures and pool ids.
    #[arg(long, default_value = "us-east-1")]
    pub region: String,
}

/// The report of a run: its format and where it goes.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Report format on standard output or --output.
    #[arg(long, value_enum, default_value_t = Format::Terminal)]
    pub format: Format,
    /// Write the report to this file (the terminal still shows progress).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Also append the Markdown report to this file (e.g. `$GITHUB_STEP_SUMMARY`).
    #[arg(long, value_name = "PATH")]
    pub summary: Option<PathBuf>,
    /// Show details for passing scenarios too (known divergences, notes).
    #[arg(long, short)]
    pub verbose: bool,
}

/// Settings of `--target aws` (ignored by emulators).
#[derive(Debug, Args)]
#[command(next_help_heading = "AWS target")]
pub struct AwsArgs {
    /// Shared-config profile for credentials (default: environment keys, then AWS_PROFILE or `default`).
    #[arg(long)]
    pub profile: Option<String>,
    /// An account id the harness may use (repeatable; added to COGNITO_DRIFT_AWS_ACCOUNTS).
    #[arg(long = "aws-account", value_name = "ID")]
    pub accounts: Vec<String>,
    /// YAML file with `accounts:` (the allowlist, added to COGNITO_DRIFT_AWS_ACCOUNTS) and `rates:`.
    #[arg(long, value_name = "PATH")]
    pub aws_config: Option<PathBuf>,
    /// Requests per second for one quota category, e.g. `--rate UserUpdate=10` (repeatable).
    #[arg(long = "rate", value_name = "CATEGORY=RPS")]
    pub rates: Vec<String>,
    /// Attempts per request when the service throttles or fails with 5xx (1 = no retries).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: u32,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Only `aws` can be swept.
    #[arg(long, short, default_value = "aws")]
    pub target: String,
    /// A loopback stand-in for AWS (tests).
    #[arg(long)]
    pub endpoint: Option<String>,
    #[arg(long, default_value = "us-east-1")]
    pub region: String,
    /// Delete pools whose creation tag is at least this old (`2h`, `90m`, `1d`).
    #[arg(long, default_value = "2h")]
    pub older_than: String,
    /// List what would be deleted without deleting anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Per-request timeout in seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
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
    /// Re-run a scenario whose verdict is drift or contract this many times before reporting it;
    /// re-runs that disagree make it `flaky`. 0 never re-runs.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub confirm: usize,
    #[command(flatten)]
    pub exchange: ExchangeArgs,
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
    /// GitHub-flavoured Markdown, fit for a step summary.
    Markdown,
    /// The run as JSON (`cognito-drift/run/v1`, fields documented in the README).
    Json,
    /// One self-contained HTML page.
    Html,
}

#[derive(Debug, Args)]
pub struct FuzzArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// The operation whose input is generated from the service model.
    #[arg(long, default_value = "SetUserMFAPreference")]
    pub operation: String,
    /// Seed of the payload sequence: the same seed sends the same payloads.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Payloads to send (default 1000 when --duration is not given).
    #[arg(long, conflicts_with = "duration")]
    pub iterations: Option<u64>,
    /// How long to fuzz: `90`, `90s`, `2m`, `1h`.
    #[arg(long, value_parser = parse_duration)]
    pub duration: Option<Duration>,
    /// A second target that must answer the same outcome class (status and error type).
    #[arg(long)]
    pub against: Option<String>,
    /// Where the --against target runs (loopback only); without it, the harness manages it.
    #[arg(long, requires = "against")]
    pub against_endpoint: Option<String>,
    /// Requests per second to each target.
    #[arg(long)]
    pub rate: Option<NonZeroU32>,
    /// Answers slower than this many milliseconds break the response-time oracle.
    #[arg(long, default_value_t = 5000)]
    pub latency_bound: u64,
    /// Requests spent shrinking each new failure.
    #[arg(long, default_value_t = 200)]
    pub shrink_budget: usize,
    /// Folder for found scenarios.
    #[arg(long, default_value = "scenarios/found")]
    pub found: PathBuf,
    /// Folder holding `<target>/<scenario>.snap` files (pending snapshots of found scenarios go there).
    #[arg(long, default_value = "snapshots")]
    pub snapshots: PathBuf,
    /// Also write the first payload of every outcome class here (the live corpus).
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Report failures without writing scenarios or snapshots.
    #[arg(long)]
    pub no_write: bool,
    #[command(flatten)]
    pub exchange: ExchangeArgs,
}

/// `90`, `90s`, `500ms`, `2m`, `1h`.
fn parse_duration(s: &str) -> Result<Duration, String> {
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

/// Output of `explore`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExploreFormat {
    Terminal,
    Json,
}

#[derive(Debug, Args)]
pub struct ExploreArgs {
    /// Comma-separated managed targets (moto, cognito-local, ministack).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "moto,cognito-local,ministack"
    )]
    pub targets: Vec<String>,
    /// NAME=URL: a target you run yourself (loopback only); repeatable.
    #[arg(long = "endpoint", value_name = "NAME=URL")]
    pub endpoints: Vec<String>,
    /// Seed of the sequences: the same seed draws the same sequences.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// How long to explore: `90`, `90s`, `5m` (shrinking comes after).
    #[arg(long, value_parser = parse_duration, conflicts_with = "sequences")]
    pub duration: Option<Duration>,
    /// Sequences to run (default 50 when --duration is not given).
    #[arg(long)]
    pub sequences: Option<u64>,
    /// Most actions in one sequence.
    #[arg(long, default_value_t = 12)]
    pub max_steps: usize,
    /// Fixture users per sequence (1-4), so effects across users show.
    #[arg(long, default_value_t = 2)]
    pub users: usize,
    /// Sequences in flight at once (each on every target).
    #[arg(long, short, default_value_t = 6)]
    pub jobs: usize,
    /// Requests per second to each target.
    #[arg(long)]
    pub rate: Option<NonZeroU32>,
    /// Replays spent shrinking each new finding.
    #[arg(long, default_value_t = 40)]
    pub shrink_budget: usize,
    /// Stop starting to shrink new findings after this long (`10m`); the rest are listed unshrunk.
    #[arg(long, value_parser = parse_duration)]
    pub shrink_time: Option<Duration>,
    /// Keep the coverage corpus in this folder between runs.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Folder for found scenarios.
    #[arg(long, default_value = "scenarios/found")]
    pub found: PathBuf,
    /// Folder holding `<target>/<scenario>.snap` files and the divergence ledgers.
    #[arg(long, default_value = "snapshots")]
    pub snapshots: PathBuf,
    /// Report findings without writing scenarios or snapshots.
    #[arg(long)]
    pub no_write: bool,
    #[arg(long, value_enum, default_value_t = ExploreFormat::Terminal)]
    pub format: ExploreFormat,
    #[command(flatten)]
    pub exchange: ExchangeArgs,
}
