//! The scenario suite against every managed target: one test per scenario file and target (so
//! `cargo test --test scenarios cognito_local` selects one target), verified against the committed
//! snapshots and the contract (known divergences come from each target's ledger). A scenario whose
//! `targets:` excludes a target passes without running there.
//!
//! The first test of a target starts that target's whole suite in the background, [`JOBS`] scenarios
//! at once as `cognito-drift run` does, its own file first; every test then waits for its own file's
//! verdict only. libtest runs two tests at a time on two cores, and most of a scenario is waiting (on
//! the emulator, or for a fresh TOTP time step): run one by one, those waits add up.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

use cognito_drift::emulator::TargetKind;
use cognito_drift::report::details;
use cognito_drift::verdict::ScenarioReport;
use rstest::rstest;

/// Scenarios run at once on one target (the default of `cognito-drift run --jobs`).
const JOBS: usize = 4;

/// What became of one scenario file on one target: its verdict, `None` when the file's `targets:`
/// excludes the target, or the message of the panic that ended its run.
type Outcome = Result<Option<ScenarioReport>, String>;

/// One target's suite: the scenario files it runs (relative to the workspace root) and the outcome
/// of each once it is in.
struct Suite {
    files: Vec<PathBuf>,
    done: Mutex<HashMap<PathBuf, Outcome>>,
    arrived: Condvar,
}

impl Suite {
    fn put(&self, path: PathBuf, outcome: Outcome) {
        self.done.lock().unwrap().insert(path, outcome);
        self.arrived.notify_all();
    }

    fn wait(&self, path: &Path) -> Outcome {
        assert!(
            self.files.iter().any(|f| f == path),
            "{} is not among the files scenario::discover finds",
            path.display()
        );
        let mut done = self.done.lock().unwrap();
        loop {
            if let Some(outcome) = done.remove(path) {
                return outcome;
            }
            done = self.arrived.wait(done).unwrap();
        }
    }
}

/// The workspace-relative path of a scenario file.
fn relative(path: &Path) -> PathBuf {
    let root = std::fs::canonicalize(common::root()).unwrap();
    let path = std::fs::canonicalize(path).unwrap();
    path.strip_prefix(&root).unwrap().to_owned()
}

/// Starts `kind`'s suite once (with `first` at the head of the queue) and returns it.
fn suite(kind: TargetKind, first: &Path) -> &'static Suite {
    static SUITES: [OnceLock<Arc<Suite>>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let slot = TargetKind::ALL.iter().position(|k| *k == kind).unwrap();
    SUITES[slot].get_or_init(|| {
        let server = common::shared(kind);
        let root = common::root();
        let mut files: Vec<PathBuf> = cognito_drift::scenario::discover(&[root.join("scenarios")])
            .expect("scenario files")
            .iter()
            .map(|f| relative(f))
            .collect();
        files.sort_by_key(|f| f != first);
        let suite = Arc::new(Suite {
            files: files.clone(),
            done: Mutex::default(),
            arrived: Condvar::new(),
        });
        let background = suite.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().expect("runtime");
            rt.block_on(async {
                let permits = Arc::new(tokio::sync::Semaphore::new(JOBS));
                let mut tasks = Vec::new();
                for file in files {
                    let (permits, suite) = (permits.clone(), background.clone());
                    let (path, key) = (root.join(&file), file.clone());
                    let task = tokio::spawn(async move {
                        let _permit = permits.acquire_owned().await.unwrap();
                        let report = common::run_scenario_on(
                            &path,
                            kind.name(),
                            &server.url,
                            &server.version,
                        )
                        .await;
                        suite.put(key, Ok(report));
                    });
                    tasks.push((file, task));
                }
                for (file, task) in tasks {
                    if let Err(e) = task.await {
                        background.put(file, Err(format!("its run panicked: {e}")));
                    }
                }
            });
        });
        suite
    })
}

#[rstest]
#[case::moto(TargetKind::Moto)]
#[case::cognito_local(TargetKind::CognitoLocal)]
#[case::ministack(TargetKind::Ministack)]
fn scenario(#[files("../scenarios/**/*.yaml")] path: PathBuf, #[case] kind: TargetKind) {
    let file = relative(&path);
    let outcome = suite(kind, &file).wait(&file);
    let Some(report) = outcome.unwrap_or_else(|e| panic!("{} on {kind}: {e}", file.display()))
    else {
        return;
    };
    assert!(
        !report.status.is_failure(),
        "{} on {kind}: {}\n{}",
        report.name,
        report.status.as_str(),
        details(&report, false)
    );
}
