//! Flags of the commands that generate what they send: `fuzz` (payloads) and `explore` (sequences).

use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::{parse_duration, ExchangeArgs, TargetArgs, TargetsArgs};

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

/// Output of `explore`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExploreFormat {
    Terminal,
    Json,
}

#[derive(Debug, Args)]
pub struct ExploreArgs {
    #[command(flatten)]
    pub on: TargetsArgs,
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
