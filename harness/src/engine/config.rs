//! One run's configuration, put together once (by a command from its flags, or by a test) and handed
//! to every scenario of the run.

use std::sync::Arc;

use crate::run::ExecContext;
use crate::verdict::ledger::Divergence;
use crate::verdict::VerifyOptions;

/// Everything the engine needs besides the scenarios and the target's client.
#[derive(Debug, Clone)]
pub struct RunConfig {
    pub exec: ExecContext,
    pub verify: VerifyOptions,
    /// The target's divergence ledger.
    pub ledger: Arc<Vec<Divergence>>,
    /// Scenarios run at once (each in its own pool).
    pub jobs: usize,
    /// Re-runs that confirm a drift or contract verdict (0: never).
    pub confirm: usize,
    /// Scenarios that may share a pool do so (`plan::shared_pool_key`); `false`: `--isolate`.
    pub share: bool,
}

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

impl ExecContext {
    /// A fresh run id in `region`; fixture passwords seeded by `secret_seed`, or by a random value.
    pub fn fresh(region: &str, secret_seed: Option<String>) -> Self {
        ExecContext {
            run_id: run_id(),
            region: region.to_owned(),
            secret: secret_seed.unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string()),
            pools: None,
        }
    }
}
