//! The reference model (pure): each user's MFA state, tokens and authenticator and the pool's MFA
//! configuration, stepping through a sequence and predicting each documented outcome with its fact.
//! Where the contract is silent a step has no prediction, and only targets are compared; where the
//! model cannot know what a step changed, it marks that state unknown rather than guess.

use std::collections::BTreeSet;

use serde_json::{json, Value as Json};

use super::action::{Action, Code, Contact, Factor, MfaSettings, PoolMfa, Sequence, TokenChoice};
use super::facts::{self, Fact};

/// Where a token comes from in the rendered scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenRef {
    /// `${U.access_token}`: the fixture's sign-in.
    Fixture(usize),
    /// `${U.id_token}`.
    FixtureId(usize),
    /// The access token a sign-in action (by index) captured.
    Captured(usize),
    Garbage,
}

/// Where a TOTP secret comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SecretRef {
    Fixture(usize),
    /// `$.SecretCode` captured by an AssociateSoftwareToken action (by index).
    Captured(usize),
}

/// One claim about an answer, rendered as part of an `expect:` block.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    Status(u16),
    Error(&'static str),
    Body(&'static str, Json),
    Absent(&'static str),
    Present(&'static str),
}

/// One `expect:` block: claims backed by one fact.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub fact: Fact,
    pub expects: Vec<Expect>,
}

fn predict(fact: Fact, expects: Vec<Expect>) -> Vec<Prediction> {
    vec![Prediction { fact, expects }]
}

fn error(fact: Fact, kind: &'static str) -> Vec<Prediction> {
    predict(fact, vec![Expect::Status(400), Expect::Error(kind)])
}

/// What the model says of one action, and how the renderer must build it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Predicted {
    pub token: Option<TokenRef>,
    pub secret: Option<SecretRef>,
    /// Sign-in only: answer a SOFTWARE_TOKEN_MFA challenge in a second step.
    pub respond: bool,
    pub main: Vec<Prediction>,
    /// Predictions for the answer step of a sign-in.
    pub answer: Vec<Prediction>,
    /// The model state the action met, as far as it matters for the action (signatures, coverage).
    pub predicate: String,
    /// The call carries a token the model says is no good: its outcome depends on the token alone.
    pub token_failure: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Totp {
    None,
    Pending(SecretRef),
    Verified(SecretRef),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Revoked {
    No,
    SignOut,
    Disable,
}

#[derive(Debug, Clone)]
struct User {
    enabled: BTreeSet<Factor>,
    preferred: Option<Factor>,
    /// False once the model cannot tell what the factors are.
    mfa_known: bool,
    totp: Totp,
    phone: bool,
    email: bool,
    disabled: bool,
    tokens: Vec<(TokenRef, Revoked)>,
    codes_sent: BTreeSet<SecretRef>,
}

/// The whole model state.
#[derive(Debug, Clone)]
pub struct Model {
    mfa: PoolMfa,
    pool_totp: bool,
    /// False after a pool change whose effect is not documented.
    pool_known: bool,
    users: Vec<User>,
}

impl Model {
    pub fn new(seq: &Sequence) -> Model {
        let users = seq
            .setup
            .users
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let secret = SecretRef::Fixture(i);
                User {
                    enabled: BTreeSet::new(),
                    preferred: None,
                    mfa_known: true,
                    totp: if u.totp_verified {
                        Totp::Verified(secret)
                    } else {
                        Totp::None
                    },
                    phone: u.phone,
                    email: u.email,
                    disabled: false,
                    tokens: vec![(TokenRef::Fixture(i), Revoked::No)],
                    codes_sent: if u.totp_verified {
                        [secret].into()
                    } else {
                        BTreeSet::new()
                    },
                }
            })
            .collect();
        Model {
            mfa: if seq.setup.optional {
                PoolMfa::Optional
            } else {
                PoolMfa::Off
            },
            pool_totp: seq.setup.pool_totp,
            pool_known: true,
            users,
        }
    }

    /// Whether `action` can be rendered in this state (its user exists, its secret and codes do).
    pub fn allows(&self, action: &Action) -> bool {
        let Some(u) = action.user() else {
            return true;
        };
        let Some(user) = self.users.get(u) else {
            return false;
        };
        match *action {
            Action::Associate { .. } => !matches!(user.totp, Totp::Verified(_)),
            Action::Verify { code, .. } => match secret_of(user) {
                Some(s) => code != Code::Reused || user.codes_sent.contains(&s),
                None => false,
            },
            Action::SignIn { code, .. } => {
                code != Code::Reused
                    || secret_of(user).is_some_and(|s| user.codes_sent.contains(&s))
            }
            _ => true,
        }
    }

    /// Steps the model through `action` (index `index` in the sequence) and says what to expect.
    pub fn step(&mut self, index: usize, action: &Action) -> Predicted {
        let predicate = self.predicate(action);
        let main = match *action {
            Action::SetPreference {
                user,
                token,
                settings,
            } => self.with_token(user, token, |m| m.set_preference(user, &settings, false)),
            Action::AdminSetPreference { user, settings } => {
                self.set_preference(user, &settings, true)
            }
            Action::Associate { user, token } => self.with_token(user, token, |m| {
                m.users[user].totp = Totp::Pending(SecretRef::Captured(index));
                if !(m.pool_known && m.pool_totp) {
                    // S12 names an error for a pool without TOTP, but not for which call: unknown.
                    m.users[user].mfa_known = false;
                    Vec::new()
                } else {
                    predict(
                        facts::A3,
                        vec![Expect::Status(200), Expect::Present("$.SecretCode")],
                    )
                }
            }),
            Action::Verify { user, token, code } => {
                self.with_token(user, token, |m| m.verify(user, code))
            }
            Action::GetUser { user, token } => self.with_token(user, token, |m| m.read_back(user)),
            Action::AdminGetUser { .. } => Vec::new(),
            Action::SignIn { user, code } => return self.sign_in(index, user, code, predicate),
            Action::GlobalSignOut { user, token } => self.with_token(user, token, |m| {
                m.revoke(user, Revoked::SignOut);
                predict(facts::T10, vec![Expect::Status(200)])
            }),
            Action::AdminSignOut { user } => {
                self.revoke(user, Revoked::SignOut);
                predict(facts::T10, vec![Expect::Status(200)])
            }
            Action::Disable { user } => {
                self.users[user].disabled = true;
                self.revoke(user, Revoked::Disable);
                predict(facts::T6, vec![Expect::Status(200)])
            }
            Action::Enable { user } => {
                self.users[user].disabled = false;
                Vec::new()
            }
            Action::PoolConfig { mfa, totp } => {
                self.mfa = mfa;
                self.pool_totp = totp;
                // A pool that requires MFA with no factor on: what AWS does is not written down. (An
                // OPTIONAL pool that turns TOTP off is S12's case.)
                if mfa == PoolMfa::On && !totp {
                    self.pool_known = false;
                }
                Vec::new()
            }
            Action::AddContact { user, contact } => {
                self.contact(user, contact, true);
                Vec::new()
            }
            Action::RemoveContact { user, contact } => {
                let u = &mut self.users[user];
                let needs = match contact {
                    Contact::Phone => Factor::Sms,
                    Contact::Email => Factor::Email,
                };
                if u.enabled.contains(&needs) {
                    u.mfa_known = false;
                }
                self.contact(user, contact, false);
                Vec::new()
            }
        };
        let mut p = Predicted {
            main,
            ..Predicted::default()
        };
        if let Some(u) = action.user() {
            if let Some(t) = token_of(action) {
                p.token = Some(self.token_ref(u, t));
                p.token_failure = !predicate.ends_with("token=valid");
            }
            if let Action::Verify { .. } = action {
                p.secret = secret_of(&self.users[u]);
            }
        }
        p.predicate = predicate;
        p
    }

    fn contact(&mut self, user: usize, contact: Contact, on: bool) {
        match contact {
            Contact::Phone => self.users[user].phone = on,
            Contact::Email => self.users[user].email = on,
        }
    }

    /// The token the choice names now (before the action changes anything).
    fn token_ref(&self, user: usize, choice: TokenChoice) -> TokenRef {
        let u = &self.users[user];
        match choice {
            TokenChoice::Current => u.tokens.last().map_or(TokenRef::Fixture(user), |t| t.0),
            TokenChoice::First => TokenRef::Fixture(user),
            TokenChoice::Id => TokenRef::FixtureId(user),
            TokenChoice::Garbage => TokenRef::Garbage,
        }
    }

    /// Runs `body` when the token is valid; otherwise predicts the documented refusal and changes
    /// nothing (a call the model cannot judge leaves the user's MFA state unknown).
    fn with_token(
        &mut self,
        user: usize,
        choice: TokenChoice,
        body: impl FnOnce(&mut Model) -> Vec<Prediction>,
    ) -> Vec<Prediction> {
        let token = self.token_ref(user, choice);
        let revoked = self.users[user]
            .tokens
            .iter()
            .find(|t| t.0 == token)
            .map_or(Revoked::No, |t| t.1);
        match (choice, revoked) {
            (TokenChoice::Garbage, _) => error(facts::T1, "NotAuthorizedException"),
            (TokenChoice::Id, _) => {
                self.users[user].mfa_known = false;
                Vec::new()
            }
            (_, Revoked::SignOut) => error(facts::T3, "NotAuthorizedException"),
            (_, Revoked::Disable) => predict(facts::T6, vec![Expect::Status(400)]),
            (_, Revoked::No) => body(self),
        }
    }

    fn revoke(&mut self, user: usize, why: Revoked) {
        for t in &mut self.users[user].tokens {
            if t.1 == Revoked::No {
                t.1 = why;
            }
        }
    }

    fn set_preference(&mut self, user: usize, s: &MfaSettings, admin: bool) -> Vec<Prediction> {
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

    fn apply_settings(&mut self, user: usize, s: &MfaSettings) {
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

    fn verify(&mut self, user: usize, code: Code) -> Vec<Prediction> {
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

    fn read_back(&self, user: usize) -> Vec<Prediction> {
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

    fn sign_in(&mut self, index: usize, user: usize, code: Code, predicate: String) -> Predicted {
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

fn secret_of(u: &User) -> Option<SecretRef> {
    match u.totp {
        Totp::Pending(s) | Totp::Verified(s) => Some(s),
        Totp::None => None,
    }
}

fn token_of(action: &Action) -> Option<TokenChoice> {
    match *action {
        Action::SetPreference { token, .. }
        | Action::Associate { token, .. }
        | Action::Verify { token, .. }
        | Action::GetUser { token, .. }
        | Action::GlobalSignOut { token, .. } => Some(token),
        _ => None,
    }
}

/// Runs the model over a whole sequence, dropping actions it does not allow; returns the kept
/// actions and their predictions.
pub fn plan(seq: &Sequence) -> (Sequence, Vec<Predicted>) {
    let mut m = Model::new(seq);
    let mut kept = Vec::new();
    let mut out = Vec::new();
    for a in &seq.actions {
        if !m.allows(a) {
            continue;
        }
        let index = kept.len();
        out.push(m.step(index, a));
        kept.push(*a);
    }
    (
        Sequence {
            setup: seq.setup.clone(),
            actions: kept,
        },
        out,
    )
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
