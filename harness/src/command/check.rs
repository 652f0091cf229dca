//! `cognito-drift check`: load and validate scenario files without sending anything.

use std::io::Write;

use cognito_drift::diagnostic::render;
use cognito_drift::exit;

use crate::Env;

pub fn check(paths: &[std::path::PathBuf], env: &Env) -> i32 {
    let files = match super::output::scenario_files(paths, env, true) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (ok, failed) = cognito_drift::engine::load_all(&files, "-");
    let mut out = std::io::stderr().lock();
    for r in &failed {
        for d in &r.diagnostics {
            let _ = writeln!(out, "{}", render(d, &r.source, env.color));
        }
    }
    let _ = writeln!(
        out,
        "{} scenario files: {} valid, {} with errors",
        files.len(),
        ok.len(),
        failed.len()
    );
    if failed.is_empty() {
        exit::OK
    } else {
        exit::USAGE
    }
}
