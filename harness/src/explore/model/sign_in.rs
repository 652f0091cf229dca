//! The model of signing in (the challenges the pool and the user's factors call for) and the state
//! predicate an action meets.

use super::*;

impl Model {
    pub(super) fn sign_in(
        &mut self,
        index: usize,
        user: usize,
        code: Code,
        predicate: String,
    ) -> Predicted {
        let (mfa, pool_totp, pool_known) = (self.mfa, self.pool_totp, self.pool_known);
        let u = &mut self.users[user];
        let verified = matches!(u.totp, Totp::Verified(_));
        let tokens = || {
            predict(
                facts::S11_OPTIONAL,
                vec![
                    Expect::Status(200),
                    Expect::Present("$.AuthenticationResult.AccessToken"),
                ],
            )
        };
        let challenge = |fact| {
            predict(
                fact,
                vec![
                    Expect::Status(200),
                    Expect::Body("$.ChallengeName", json!("SOFTWARE_TOKEN_MFA")),
                ],
            )
        };
        let known = pool_known && u.mfa_known && !u.disabled;
        // The challenge the model expects (guessing where it must, to decide whether to answer it).
        let totp_challenge = verified
            && mfa != PoolMfa::Off
            && (u.preferred == Some(Factor::Totp) || (mfa == PoolMfa::On && u.enabled.is_empty()));
        let main = if u.disabled {
            error(facts::T6_SIGN_IN, "NotAuthorizedException")
        } else if !known {
            Vec::new()
        } else if mfa == PoolMfa::Optional && u.enabled.is_empty() && !verified {
            // A verified authenticator with nothing turned on is not "a factor chosen" in S11's
            // words, but neither does any fact say it is not: only users with no authenticator.
            tokens()
        } else if mfa != PoolMfa::Off
            && u.preferred == Some(Factor::Totp)
            && verified
            && u.enabled.len() == 1
        {
            challenge(if pool_totp { facts::A3 } else { facts::S12 })
        } else if mfa == PoolMfa::On && u.enabled.is_empty() && verified && !u.phone {
            challenge(facts::A1_VERIFIED)
        } else if mfa == PoolMfa::On && u.enabled.is_empty() && !verified && !u.phone && pool_totp {
            predict(
                facts::A1,
                vec![
                    Expect::Status(200),
                    Expect::Body("$.ChallengeName", json!("MFA_SETUP")),
                ],
            )
        } else {
            Vec::new()
        };
        let mut p = Predicted {
            main,
            predicate,
            ..Predicted::default()
        };
        if u.disabled {
            return p;
        }
        if totp_challenge {
            let secret = secret_of(u);
            p.respond = true;
            p.secret = secret;
            let reused = code == Code::Reused;
            if let Some(s) = secret {
                if !reused {
                    u.codes_sent.insert(s);
                }
            }
            if reused {
                p.answer = if known {
                    error(facts::A9, "ExpiredCodeException")
                } else {
                    Vec::new()
                };
                return p;
            }
            if known {
                p.answer = predict(
                    facts::A3,
                    vec![
                        Expect::Status(200),
                        Expect::Present("$.AuthenticationResult.AccessToken"),
                    ],
                );
            }
            u.tokens.push((TokenRef::Captured(index), Revoked::No));
        } else if !(mfa == PoolMfa::On && u.enabled.is_empty() && !verified) {
            u.tokens.push((TokenRef::Captured(index), Revoked::No));
        }
        p
    }

    /// The state an action meets, reduced to what its outcome can depend on: a read-back depends on
    /// the factors and the token, not on the pool; a sign-in on the pool, the factors and contacts.
    pub fn predicate(&self, action: &Action) -> String {
        let pool = if self.pool_known {
            format!(
                "pool={}{}",
                self.mfa.wire(),
                if self.pool_totp { "+totp" } else { "" }
            )
        } else {
            "pool=?".to_owned()
        };
        let Some(ui) = action.user() else {
            return pool;
        };
        let u = &self.users[ui];
        let totp = match u.totp {
            Totp::None => "totp=none",
            Totp::Pending(_) => "totp=associated",
            Totp::Verified(_) => "totp=verified",
        };
        let mfa = if u.mfa_known {
            let on: Vec<&str> = u.enabled.iter().map(|f| f.wire()).collect();
            format!(
                "on=[{}] pref={}",
                on.join(","),
                u.preferred.map_or("-", Factor::wire)
            )
        } else {
            "mfa=?".to_owned()
        };
        let contacts = format!("phone={} email={}", u8::from(u.phone), u8::from(u.email));
        let disabled = if u.disabled { "disabled" } else { "enabled" };
        let parts: Vec<&str> = match action {
            Action::SetPreference { settings, .. }
            | Action::AdminSetPreference { settings, .. } => {
                // Only the contact and authenticator a requested factor needs.
                let mut v = vec![pool.as_str(), mfa.as_str()];
                if settings.totp.is_some() {
                    v.push(totp);
                }
                if settings.sms.is_some() {
                    v.push(if u.phone { "phone=1" } else { "phone=0" });
                }
                if settings.email.is_some() {
                    v.push(if u.email { "email=1" } else { "email=0" });
                }
                v
            }
            Action::Associate { .. } => vec![&pool, totp],
            Action::Verify { .. } => vec![totp],
            Action::GetUser { .. } | Action::AdminGetUser { .. } => vec![totp, &mfa],
            Action::SignIn { .. } => vec![&pool, totp, &mfa, &contacts, disabled],
            Action::AddContact { .. } | Action::RemoveContact { .. } => vec![&contacts, &mfa],
            Action::Disable { .. } | Action::Enable { .. } | Action::AdminSignOut { .. } => {
                vec![disabled]
            }
            Action::GlobalSignOut { .. } | Action::PoolConfig { .. } => vec![],
        };
        let mut out = parts.join(" ");
        if let Some(t) = token_of(action) {
            if t != TokenChoice::Current && t != TokenChoice::First {
                out.clear();
            }
            let r = self.token_ref(ui, t);
            let state = match (t, u.tokens.iter().find(|x| x.0 == r).map(|x| x.1)) {
                (TokenChoice::Garbage, _) => "garbage",
                (TokenChoice::Id, _) => "id-token",
                (_, Some(Revoked::SignOut)) => "revoked",
                (_, Some(Revoked::Disable)) => "revoked-by-disable",
                _ => "valid",
            };
            // A refused token is all that matters to the outcome.
            if state != "valid" {
                out.clear();
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str("token=");
            out.push_str(state);
        }
        out
    }
}
