//! `cognito-drift serve`: start a managed emulator and keep it running for other tools (the bench
//! scripts, an application's own tests), printing where it listens. It stops on Ctrl-C or SIGTERM,
//! and with the harness if the harness dies.

use std::io::Write;

use cognito_drift::exit;

use super::output::interrupt;
use super::{err, target};
use crate::Env;

pub fn serve(name: &str, env: &Env) -> i32 {
    let runtime = match super::output::runtime(env) {
        Ok(r) => r,
        Err(code) => return code,
    };
    runtime.block_on(async {
        let started = match target::start(name, None, env).await {
            Ok(s) => s,
            Err(e) => {
                err(env, &e.message);
                return e.code;
            }
        };
        // One machine-readable line on stdout: `<url> <target> <version>`.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{} {name} {}", started.url, started.version);
        let _ = out.flush();
        drop(out);
        let signal = interrupt().await;
        drop(started);
        let _ = writeln!(std::io::stderr(), "{signal}: stopped {name}");
        exit::OK
    })
}
