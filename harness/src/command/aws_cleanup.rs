//! After a run on `aws`: the interrupt that stops it, and the sweep of this run's leftover pools.

use std::time::Duration;

use time::OffsetDateTime;

use cognito_drift::aws::{self, AwsSession, Selection};

use super::output::err_because;
use super::{err, progress};
use crate::Env;

/// Deletes whatever pools of this run are still there (teardown missed them: an interrupt, a panic, a
/// failed DeleteUserPool). After an interrupt a second pass catches a CreateUserPool that was in
/// flight when the suite stopped. `Err` when a pool of this run could not be deleted.
pub(super) async fn cleanup_run(
    session: &AwsSession,
    run_id: &str,
    interrupted: bool,
    env: &Env,
) -> Result<(), ()> {
    let client = match session.fresh_client() {
        Ok(c) => c,
        Err(e) => {
            err_because(env, "cleanup", &e);
            return Err(());
        }
    };
    let selection = Selection::Run(run_id.to_owned());
    let passes = if interrupted { 2 } else { 1 };
    let mut ok = true;
    for pass in 0..passes {
        if pass > 0 {
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        match aws::sweep(
            &client,
            &session.guard,
            &selection,
            OffsetDateTime::now_utc(),
            false,
        )
        .await
        {
            Ok(report) => {
                for p in &report.deleted {
                    progress(&format!(
                        "cleanup: deleted leftover pool {} ({})",
                        p.id, p.name
                    ));
                }
                for p in &report.failed {
                    err(
                        env,
                        &format!(
                            "cleanup: could not delete {} ({}): {}",
                            p.id, p.name, p.reason
                        ),
                    );
                    ok = false;
                }
            }
            Err(e) => {
                err_because(env, "cleanup: listing this run's pools failed", &e);
                ok = false;
            }
        }
    }
    if ok {
        Ok(())
    } else {
        Err(())
    }
}
