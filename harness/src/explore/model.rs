//! The reference model (pure): each user's MFA state, tokens and authenticator and the pool's MFA
//! configuration, stepping through a sequence and predicting each documented outcome with its fact.
//! Where the contract is silent a step has no prediction, and only targets are compared; where the
//! model cannot know what a step changed, it marks that state unknown rather than guess.

use std::collections::BTreeSet;

use serde_json::{json, Value as Json};

use super::action::{Action, Code, Contact, Factor, MfaSettings, PoolMfa, Sequence, TokenChoice};
use super::facts::{self, Fact};

mod factors;
mod sign_in;

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

#[cfg(test)]
#[path = "model_flow_tests.rs"]
mod flow_tests;
