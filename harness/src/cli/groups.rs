//! Flag groups shared by the commands (flattened into each): the target, the exchange, the report,
//! and the settings of `--target aws`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

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

/// Several targets at once (`explore`, `support`): managed emulators unless `--endpoint` says where
/// the user runs one.
#[derive(Debug, Clone, Args)]
pub struct TargetsArgs {
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
}
