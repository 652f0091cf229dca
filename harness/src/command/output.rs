//! Small shared helpers of the subcommands: messages on standard error, run ids, dates.

use std::io::Write;

use crate::Env;

/// A short random id naming this run's resources (`cognito-drift-<run-id>-...`).
pub fn run_id() -> String {
    let u = uuid::Uuid::new_v4().simple().to_string();
    u[..8].to_owned()
}

/// Today's UTC date as `YYYY-MM-DD`.
pub fn today() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}

/// A progress line on standard error.
pub fn progress(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

/// An `error: ...` line on standard error.
pub fn err(env: &Env, msg: &str) {
    let prefix = if env.color {
        "\x1b[31merror\x1b[0m"
    } else {
        "error"
    };
    let _ = writeln!(std::io::stderr(), "{prefix}: {msg}");
}

/// A multi-threaded tokio runtime, or the exit code after saying why there is none.
pub fn runtime(env: &Env) -> Result<tokio::runtime::Runtime, i32> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            err(env, &format!("failed to start the async runtime: {e}"));
            cognito_drift::exit::TARGET_FAULT
        })
}

/// The scenario files under `paths`, or the exit code after saying why there are none (an empty list
/// is an error unless `allow_empty`).
pub fn scenario_files(
    paths: &[std::path::PathBuf],
    env: &Env,
    allow_empty: bool,
) -> Result<Vec<std::path::PathBuf>, i32> {
    match cognito_drift::scenario::discover(paths) {
        Ok(f) if f.is_empty() && !allow_empty => {
            err(env, "no scenario files (*.yaml) found in the given paths");
            Err(cognito_drift::exit::USAGE)
        }
        Ok(f) => Ok(f),
        Err(e) => {
            err(env, &format!("failed to list scenario files: {e}"));
            Err(cognito_drift::exit::USAGE)
        }
    }
}
