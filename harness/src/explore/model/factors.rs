//! The model of a user's MFA factors: setting preferences (user and admin), verifying a software
//! token, and reading the settings back.

use super::*;

impl Model {
    pub(super) fn set_preference(
        &mut self,
        user: usize,
        s: &MfaSettings,
        admin: bool,
    ) -> Vec<Prediction> {
        let u = &self.users[user];
        let on = |f: Factor| {
            s.get(f)
                .is_some_and(|x| x.enabled == Some(true) || x.preferred == Some(true))
        };
        if Factor::ALL.iter().any(|&f| {
            s.get(f)
                .is_some_and(|x| x.preferred == Some(true) && x.enabled == Some(false))
        }) {
            return error(facts::S8, "InvalidParameterException");
        }
        if on(Factor::Totp) && !matches!(u.totp, Totp::Verified(_)) {
            let mut out = Vec::new();
            let preferred = s.totp.is_some_and(|x| x.preferred == Some(true));
            if preferred && !admin {
                out.extend(predict(facts::S2, vec![Expect::Status(400)]));
            }
            out.extend(error(facts::S3, "InvalidParameterException"));
            return out;
        }
        if on(Factor::Sms) && !u.phone {
            return error(facts::S4, "InvalidParameterException");
        }
        let preferring = Factor::ALL
            .iter()
            .filter(|&&f| s.get(f).is_some_and(|x| x.preferred == Some(true)))
            .count();
        let partial = Factor::ALL.iter().any(|&f| {
            s.get(f).is_some_and(|x| {
                x.enabled.is_none() || (x.enabled == Some(true) && x.preferred.is_none())
            })
        });
        let turns_off_required = self.mfa == PoolMfa::On
            && Factor::ALL.iter().any(|&f| {
                s.get(f).is_some_and(|x| x.enabled == Some(false)) && u.enabled.contains(&f)
            });
        // Undocumented: two preferred (S9), email at user level (S10), WebAuthn, absent members,
        // enabling in an OFF pool (S11), turning off in an ON pool (S7).
        let silent = preferring > 1
            || on(Factor::Email)
            || s.webauthn.is_some_and(|w| w != Some(false))
            || partial
            || (self.mfa == PoolMfa::Off && Factor::ALL.iter().any(|&f| on(f)))
            || turns_off_required;
        let fact = if on(Factor::Sms) {
            Some(facts::S5)
        } else if on(Factor::Totp) {
            Some(facts::A3)
        } else {
            Some(facts::S11_DISABLE)
        };
        self.apply_settings(user, s);
        if silent {
            self.users[user].mfa_known = false;
            return Vec::new();
        }
        let mut out = Vec::new();
        if let Some(f) = fact {
            out.extend(predict(f, vec![Expect::Status(200)]));
        }
        if !admin {
            out.extend(predict(facts::M11, vec![Expect::Body("$", json!({}))]));
        }
        out
    }

    pub(super) fn apply_settings(&mut self, user: usize, s: &MfaSettings) {
        let u = &mut self.users[user];
        for f in Factor::ALL {
            let Some(x) = s.get(f) else { continue };
            match x.enabled {
                Some(true) => {
                    u.enabled.insert(f);
                }
                Some(false) => {
                    u.enabled.remove(&f);
                    if u.preferred == Some(f) && x.preferred.is_none() {
                        u.mfa_known = false;
                    }
                }
                None => u.mfa_known = false,
            }
            match x.preferred {
                Some(true) => u.preferred = Some(f),
                Some(false) if u.preferred == Some(f) => u.preferred = None,
                _ => {}
            }
        }
    }

    pub(super) fn verify(&mut self, user: usize, code: Code) -> Vec<Prediction> {
        let u = &mut self.users[user];
        let (pending, secret) = match u.totp {
            Totp::Pending(s) => (true, s),
            Totp::Verified(s) => (false, s),
            Totp::None => return Vec::new(),
        };
        if !u.mfa_known {
            if code == Code::Right {
                u.codes_sent.insert(secret);
                u.totp = Totp::Verified(secret);
            }
            return Vec::new();
        }
        match code {
            Code::Right => {
                u.codes_sent.insert(secret);
                u.totp = Totp::Verified(secret);
                if pending {
                    predict(
                        facts::A3,
                        vec![
                            Expect::Status(200),
                            Expect::Body("$.Status", json!("SUCCESS")),
                        ],
                    )
                } else {
                    Vec::new()
                }
            }
            Code::Wrong if pending => error(facts::A10, "EnableSoftwareTokenMFAException"),
            Code::Wrong | Code::Reused => Vec::new(),
        }
    }

    pub(super) fn read_back(&self, user: usize) -> Vec<Prediction> {
        let u = &self.users[user];
        if !u.mfa_known {
            return Vec::new();
        }
        let mut expects = vec![Expect::Status(200)];
        if u.enabled.is_empty() {
            expects.push(Expect::Absent("$.UserMFASettingList"));
            expects.push(Expect::Absent("$.PreferredMfaSetting"));
        } else {
            let list: Vec<Json> = u.enabled.iter().map(|f| json!(f.wire())).collect();
            expects.push(Expect::Body("$.UserMFASettingList", Json::Array(list)));
            if let Some(p) = u.preferred {
                expects.push(Expect::Body("$.PreferredMfaSetting", json!(p.wire())));
            }
        }
        let fact = if matches!(u.totp, Totp::Verified(_)) && !u.enabled.contains(&Factor::Totp) {
            facts::G2
        } else {
            facts::G1
        };
        predict(fact, expects)
    }
}
