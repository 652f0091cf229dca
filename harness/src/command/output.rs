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
