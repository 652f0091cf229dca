//! `cognito-drift coverage`: render docs/coverage.md from the scenarios, the recorded snapshots, the
//! ledgers and docs/unreachable.yaml (no network). `--check` verifies instead of writing.

use std::io::Write;
use std::path::PathBuf;

use cognito_drift::exit;
use cognito_drift::report::coverage;

use super::{err, progress};
use crate::Env;

#[derive(Debug)]
pub struct CoverageOptions {
    pub scenarios: PathBuf,
    pub snapshots: PathBuf,
    pub unreachable: PathBuf,
    pub output: Option<PathBuf>,
    pub check: bool,
}

pub fn coverage(o: CoverageOptions, env: &Env) -> i32 {
    let input = match coverage::read(&o.scenarios, &o.snapshots, &o.unreachable) {
        Ok(i) => i,
        Err(m) => {
            err(env, &m);
            return exit::USAGE;
        }
    };
    let page = coverage::render(&input);
    for p in &page.problems {
        err(env, p);
    }
    let code = if page.problems.is_empty() {
        exit::OK
    } else {
        exit::DRIFT
    };
    match (&o.output, o.check) {
        (Some(path), true) => {
            if std::fs::read_to_string(path).ok().as_deref() == Some(page.markdown.as_str()) {
                code
            } else {
                err(
                    env,
                    &format!("{} is out of date: run `just coverage`", path.display()),
                );
                exit::DRIFT
            }
        }
        (Some(path), false) => match std::fs::write(path, &page.markdown) {
            Ok(()) => {
                progress(&format!("wrote {}", path.display()));
                code
            }
            Err(e) => {
                err(env, &format!("failed to write {}: {e}", path.display()));
                exit::USAGE
            }
        },
        (None, _) => {
            let _ = std::io::stdout().write_all(page.markdown.as_bytes());
            code
        }
    }
}
