//! Which `${}` variables a step may use: fixture values plus captures of earlier steps.

use super::ast::{Fixtures, Template, TotpEnrolment};
use super::reader::Ctx;
use crate::diagnostic::did_you_mean;

/// Variables every scenario has, whatever its fixtures.
pub const BUILTIN_VARIABLES: [&str; 4] = ["pool.id", "pool.name", "client.id", "region"];

/// The variables defined at one point of a scenario, in definition order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    names: Vec<String>,
    /// Why a user's variable is missing (`bob.access_token` → "user `bob` has no `sign_in: true`").
    hints: Vec<(String, String)>,
}

impl Scope {
    pub fn from_fixtures(fixtures: &Fixtures) -> Self {
        let mut scope = Scope {
            names: BUILTIN_VARIABLES.map(String::from).to_vec(),
            hints: Vec::new(),
        };
        for user in &fixtures.users {
            let u = &user.name.value;
            let mut define = |suffix: &str, available: bool, why: &str| {
                let name = format!("{u}.{suffix}");
                if available {
                    scope.names.push(name);
                } else {
                    scope.hints.push((name, format!("user `{u}` {why}")));
                }
            };
            for suffix in ["username", "password", "sub"] {
                define(suffix, true, "");
            }
            for suffix in ["access_token", "id_token", "refresh_token"] {
                define(
                    suffix,
                    user.sign_in,
                    "does not sign in: add `sign_in: true`",
                );
            }
            define(
                "totp_secret",
                user.totp != TotpEnrolment::None,
                "has no TOTP secret: add `totp: associated` or `totp: verified`",
            );
            define(
                "totp_code",
                user.totp == TotpEnrolment::Verified,
                "has no verified TOTP: add `totp: verified`",
            );
        }
        scope
    }

    pub fn define(&mut self, name: &str) {
        self.names.push(name.to_owned());
    }

    pub fn contains(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// Reports every variable of `template` that is not defined here; `later` names captures of later steps.
    pub fn check(&self, ctx: &mut Ctx<'_>, template: &Template, later: &[(String, String)]) {
        for (name, span) in template.vars() {
            if self.contains(name) {
                continue;
            }
            let mut d = ctx.diagnostic(
                format!("undefined variable `{name}`"),
                span,
                "not defined at this step",
            );
            if let Some((_, why)) = self.hints.iter().find(|(n, _)| n == name) {
                d = d.with_note(why.clone());
            } else if let Some((_, step)) = later.iter().find(|(n, _)| n == name) {
                d = d.with_note(format!(
                    "`{name}` is captured by step `{step}`, which runs later"
                ));
            } else {
                d = d.with_suggestion(did_you_mean(name, self.names.iter().map(String::as_str)));
            }
            ctx.push(d);
        }
    }
}
