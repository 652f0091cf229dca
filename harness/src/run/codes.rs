//! TOTP codes and forged tokens a step uses, bound just before it is sent.

use super::build::step_variables;
use super::execute::Run;
use crate::observation::Fault;
use crate::plan::Sensitivity;
use crate::scenario::ast::{Scenario, Step, TotpEnrolment};
use crate::span::Span;

/// How many times running `s` must wait for a fresh TOTP time step (up to 30 s each): every code
/// after the first for one secret — a `totp: verified` fixture sends one, and each step that sends
/// `${owner.totp_code}` another. Pure: the engine starts the scenarios with the most waits first.
pub fn totp_waits(s: &Scenario) -> usize {
    let mut codes: std::collections::BTreeMap<String, usize> = s
        .fixtures
        .users
        .iter()
        .filter(|u| u.totp == TotpEnrolment::Verified)
        .map(|u| (u.name.value.clone(), 1))
        .collect();
    for step in &s.steps {
        for name in step_variables(step) {
            if let Some(owner) = name.strip_suffix(".totp_code") {
                *codes.entry(owner.to_owned()).or_default() += 1;
            }
        }
    }
    codes.values().map(|n| n.saturating_sub(1)).sum()
}

impl Run<'_> {
    /// Binds `<owner>.totp_code` for every user or captured secret whose code this step uses, each
    /// from a fresh time step.
    pub(super) async fn bind_fresh_codes(&mut self, step: &Step) -> Result<(), Fault> {
        for name in step_variables(step) {
            let Some(owner) = name.strip_suffix(".totp_code") else {
                continue;
            };
            let code = self
                .fresh_code(owner, &step.name.value, step.name.span)
                .await?;
            self.vars.set_str(name, &code, Sensitivity::Plain);
        }
        Ok(())
    }

    /// Binds every forged token this step uses (`${alice.forged.expired}` ...), once per run.
    pub(super) fn bind_forged(&mut self, step: &Step) -> Result<(), Fault> {
        for name in step_variables(step) {
            if self.vars.get(&name).is_some() {
                continue;
            }
            if let Err(e) = crate::plan::bind_forged(&mut self.vars, &name) {
                let message = format!("cannot forge `{name}`: {e}");
                return Err(self.fault_at(&step.name.value, step.name.span, &message));
            }
        }
        self.register_bindings();
        Ok(())
    }

    /// After a step sent `${U.totp_code}`, that code becomes `${U.totp_code_last}`.
    pub(super) fn remember_sent_codes(&mut self, step: &Step) {
        for name in step_variables(step) {
            let Some(user) = name.strip_suffix(".totp_code") else {
                continue;
            };
            if let Some(code) = self.vars.get_str(&name).map(str::to_owned) {
                self.vars
                    .set_str(format!("{user}.totp_code_last"), &code, Sensitivity::Plain);
            }
        }
    }

    /// An RFC 6238 code from a time step not used before in this run, for `owner`'s secret: a
    /// fixture user's `totp_secret`, or a capture that holds a secret itself.
    pub(super) async fn fresh_code(
        &mut self,
        owner: &str,
        during: &str,
        span: Span,
    ) -> Result<String, Fault> {
        let secret = self
            .vars
            .get_str(&format!("{owner}.totp_secret"))
            .or_else(|| self.vars.get_str(owner))
            .unwrap_or_default()
            .to_owned();
        match self
            .totp
            .fresh_code(&secret, self.slot.as_deref_mut())
            .await
        {
            Ok(code) => Ok(code),
            Err(e) => Err(self.fault_at(during, span, &e.to_string())),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A scenario whose user `alice` has `totp` enrolment, with `steps` steps that each send a code.
    fn scenario(totp: &str, steps: usize) -> Scenario {
        let mut src = format!(
            "name: x\nfixtures:\n  pool: {{ mfa: OPTIONAL, software_token_mfa: true }}\n  users: {{ alice: {{ sign_in: true, totp: {totp} }} }}\nsteps:\n"
        );
        for n in 0..steps {
            src.push_str(&format!(
                "  - name: verify {n}\n    call: VerifySoftwareToken\n    input: {{ AccessToken: \"${{alice.access_token}}\", UserCode: \"${{alice.totp_code}}\" }}\n"
            ));
        }
        crate::scenario::load(
            std::path::Path::new("x.yaml"),
            &src,
            crate::model::cognito(),
        )
        .unwrap()
    }

    #[test]
    fn each_code_after_the_first_for_one_secret_is_a_wait() {
        assert_eq!(totp_waits(&scenario("associated", 1)), 0);
        assert_eq!(totp_waits(&scenario("associated", 2)), 1);
        assert_eq!(totp_waits(&scenario("verified", 1)), 1);
        assert_eq!(totp_waits(&scenario("verified", 2)), 2);
    }
}
