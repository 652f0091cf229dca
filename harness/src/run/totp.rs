//! RFC 6238 codes for TOTP enrolment and MFA challenges, never reusing a code inside its 30 s step:
//! real Cognito rejects a code that was already used once (contract fact A9).

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use totp_rs::{Builder, Secret};

use super::slot::Slot;

const STEP: u64 = 30;

/// Remembers the last time step used per secret within one scenario run, and how long the run
/// waited for fresh steps.
#[derive(Debug, Default)]
pub struct TotpClock {
    last_step: HashMap<String, u64>,
    waited: Duration,
}

#[derive(Debug, thiserror::Error)]
#[error("the TOTP secret the target returned is not base32")]
pub struct BadSecret;

impl TotpClock {
    /// A code for `secret` in a step not used before, waiting for the next step when needed; while
    /// it waits, the scenario's `slot` is given back so other scenarios run meanwhile.
    pub(crate) async fn fresh_code(
        &mut self,
        secret: &str,
        mut slot: Option<&mut Slot>,
    ) -> Result<String, BadSecret> {
        loop {
            let now = now_secs();
            let step = now / STEP;
            if self.last_step.get(secret).is_some_and(|&last| last >= step) {
                let wait = Duration::from_secs((step + 1) * STEP - now) + Duration::from_millis(50);
                let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
                tracing::debug!(wait_ms, "waiting for a fresh TOTP time step");
                if let Some(slot) = slot.as_deref_mut() {
                    slot.give_back();
                }
                tokio::time::sleep(wait).await;
                self.waited += wait;
                if let Some(slot) = slot.as_deref_mut() {
                    slot.take_again().await;
                }
                continue;
            }
            self.last_step.insert(secret.to_owned(), step);
            return code_at(secret, now);
        }
    }

    /// The time spent sleeping for fresh time steps so far.
    pub fn waited(&self) -> Duration {
        self.waited
    }
}

/// The 6-digit SHA-1 code for `secret` at `unix_secs` (pure). Cognito hands out base32 secrets;
/// some emulators use lower case, so decoding is case-insensitive and padding-tolerant.
pub fn code_at(secret: &str, unix_secs: u64) -> Result<String, BadSecret> {
    let normalised: String = secret.trim_end_matches('=').to_ascii_uppercase();
    let secret = Secret::try_from_base32(&normalised).map_err(|_| BadSecret)?;
    let totp = Builder::new().with_secret(secret).build_noncompliant();
    Ok(totp.generate(unix_secs).to_string())
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 seed "12345678901234567890" (base32 below), truncated to 6 digits.
    #[test]
    fn matches_rfc_6238_vectors() {
        let seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assert_eq!(code_at(seed, 59).unwrap(), "287082");
        assert_eq!(code_at(seed, 1_111_111_109).unwrap(), "081804");
        assert_eq!(code_at(seed, 2_000_000_000).unwrap(), "279037");
    }

    #[test]
    fn lower_case_secrets_decode() {
        assert_eq!(
            code_at("asdfasdfasdf", 59).unwrap(),
            code_at("ASDFASDFASDF", 59).unwrap()
        );
    }

    #[test]
    fn non_base32_is_an_error() {
        assert!(code_at("not base32!", 59).is_err());
    }
}
