//! Which `${}` variables a step may use: fixture values plus captures of earlier steps.

use super::ast::{Capture, Fixtures, Template, TotpEnrolment, UserStatus};
use super::forged::{Forgery, SIMPLE_FORGERIES};
use super::json_path::{JsonPath, PathSegment};
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
    pub(crate) fn from_fixtures(fixtures: &Fixtures) -> Self {
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
                    let why = why.replace("USER", u);
                    scope.hints.push((name, format!("user `{u}` {why}")));
                }
            };
            for suffix in ["username", "password", "sub"] {
                define(suffix, true, "");
            }
            define(
                "temporary_password",
                user.status != UserStatus::Unconfirmed,
                "signs up with SignUp and has no temporary password: use `status: force_change_password`",
            );
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
                user.totp != TotpEnrolment::None,
                "has no TOTP secret: add `totp: associated` or `totp: verified`",
            );
            define(
                "totp_code_last",
                user.totp == TotpEnrolment::Verified,
                if user.totp == TotpEnrolment::None {
                    "has no TOTP secret: add `totp: verified`"
                } else {
                    "has no code sent yet: use `${USER.totp_code}` in an earlier step, or `totp: verified`"
                },
            );
            for suffix in SIMPLE_FORGERIES {
                define(
                    &format!("forged.{suffix}"),
                    user.sign_in,
                    "has no access token to forge: add `sign_in: true`",
                );
            }
            for other in fixtures.users.iter().filter(|o| o.name.value != *u) {
                let forgery = Forgery::SubOf(other.name.value.clone());
                define(
                    &format!("forged.{forgery}"),
                    user.sign_in,
                    "has no access token to forge: add `sign_in: true`",
                );
            }
            scope.hints.push((
                format!("{u}.forged.sub_of.{u}"),
                format!("a token forged with `{u}`'s own `sub` is `{u}`'s real token; name another user"),
            ));
        }
        scope
    }

    pub(crate) fn define(&mut self, name: &str) {
        if !self.contains(name) {
            self.names.push(name.to_owned());
        }
    }

    /// Defines a capture; a capture of `$.SecretCode` (AssociateSoftwareToken) also gets
    /// `${name.totp_code}`, a code computed from the captured secret.
    pub(crate) fn define_capture(&mut self, capture: &Capture) {
        let name = &capture.name.value;
        self.define(name);
        let code = format!("{name}.totp_code");
        let is_secret = JsonPath::parse(&capture.path.value).is_ok_and(
            |p| matches!(p.segments.last(), Some(PathSegment::Member(m)) if m == "SecretCode"),
        );
        if is_secret {
            self.define(&code);
            self.hints.push((
                format!("{name}.totp_code_last"),
                format!("no code for `{name}` was sent yet: use `${{{name}.totp_code}}` in an earlier step"),
            ));
        } else {
            self.hints.push((
                code,
                format!(
                    "capture `{name}` is `{}`, not a TOTP secret: `.totp_code` needs a capture of `$.SecretCode`",
                    capture.path.value
                ),
            ));
        }
    }

    /// After a step that sends `${U.totp_code}`, `${U.totp_code_last}` names that code.
    pub(crate) fn after_step<'t>(&mut self, templates: impl IntoIterator<Item = &'t Template>) {
        for template in templates {
            for (name, _) in template.vars() {
                if let Some(user) = name.strip_suffix(".totp_code") {
                    if self.contains(name) {
                        self.define(&format!("{user}.totp_code_last"));
                    }
                }
            }
        }
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
