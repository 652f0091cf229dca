//! The `cognito-drift` binary: reads the environment once, then hands plain options to the library.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Parser;

mod cli;
mod command;

/// Everything the process learns from its environment, read once here.
#[derive(Debug, Clone)]
pub struct Env {
    /// `CI` is set: never write snapshots.
    pub ci: bool,
    pub color: bool,
    pub cache_dir: PathBuf,
}

impl Env {
    fn read() -> Env {
        let truthy = |k: &str| std::env::var(k).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
        let cache_dir = std::env::var_os("COGNITO_DRIFT_CACHE")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("cognito-drift")))
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("cognito-drift")))
            .unwrap_or_else(|| std::env::temp_dir().join("cognito-drift"));
        Env {
            ci: truthy("CI"),
            color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            cache_dir,
        }
    }
}

fn main() {
    let cli = cli::Cli::parse();
    let env = Env::read();
    let code = command::dispatch(cli, &env);
    std::process::exit(code);
}
