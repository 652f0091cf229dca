//! The `cognito-drift` binary: reads the environment once, then hands plain options to the library.

use std::io::IsTerminal;
use std::path::PathBuf;

mod cli;
mod command;
mod settings;

/// Everything the process learns from its environment, read once here.
#[derive(Debug, Clone)]
pub struct Env {
    /// `CI` is set: never write snapshots.
    pub ci: bool,
    pub color: bool,
    pub cache_dir: PathBuf,
    /// `RUST_LOG`: which log events reach standard error (default `warn`).
    pub log_filter: String,
    /// Cores this process may use: the default number of a managed target's instances.
    pub cores: usize,
}

impl Env {
    fn read() -> Env {
        let truthy =
            |k: &str| std::env::var(k).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
        let cache_dir = std::env::var_os("COGNITO_DRIFT_CACHE")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                cognito_drift::emulator::default_cache_dir(
                    std::env::var_os("XDG_CACHE_HOME").as_deref(),
                    std::env::var_os("HOME").as_deref(),
                )
            });
        Env {
            ci: truthy("CI"),
            color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            cache_dir,
            log_filter: std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".to_owned()),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// Log events go to standard error, filtered by `RUST_LOG` (env-filter syntax); a bad filter falls
/// back to `warn` rather than failing the run.
fn init_logging(env: &Env) {
    let filter = tracing_subscriber::EnvFilter::try_new(&env.log_filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

fn main() {
    let env = Env::read();
    init_logging(&env);
    let cwd = std::env::current_dir().unwrap_or_default();
    let cli = match settings::parse(
        std::env::args_os().collect(),
        settings::default_exists(&cwd),
        env.color,
    ) {
        Ok(cli) => cli,
        Err(code) => std::process::exit(code),
    };
    let code = command::dispatch(cli, &env);
    std::process::exit(code);
}
