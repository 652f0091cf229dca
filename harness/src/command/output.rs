//! Small shared helpers of the subcommands: messages on standard error, the runtime, interrupts.

use std::io::Write;

use crate::Env;

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
            err_because(env, "failed to start the async runtime", &e);
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
            err_because(env, "failed to list scenario files", &e);
            Err(cognito_drift::exit::USAGE)
        }
    }
}

/// Resolves on the first SIGINT or SIGTERM, naming it.
pub async fn interrupt() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            return tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            };
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    "SIGINT"
}

/// An error and every cause under it, `outer: cause: root cause`: the one way a source chain is
/// printed, so no cause is dropped and none is printed twice.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        // A message that already quotes its cause (`…: {source}`) is not repeated.
        if !text.ends_with(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

/// `error: <what>: <the error's whole chain>` on standard error.
pub fn err_because(env: &Env, what: &str, e: &dyn std::error::Error) {
    err(env, &format!("{what}: {}", chain(e)));
}
