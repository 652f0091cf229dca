//! Minimising a finding's sequence: drop steps, then simplify each step's input, then drop users and
//! simplify the fixture, keeping a candidate only when a real replay shows the same signature.
//! Candidates come from a pure function; each round replays a batch of them at once and keeps the
//! first (in order) that still shows the finding.

use std::sync::atomic::{AtomicBool, Ordering};

use super::action::{Action, Code, Contact, FactorSetting, MfaSettings, Sequence, TokenChoice};
use super::judge::Signature;
use super::lockstep::{prepare, run_on, Target};
use super::model;
use super::render::Header;

/// What shrinking did.
#[derive(Debug, Clone)]
pub struct Shrunk {
    pub sequence: Sequence,
    /// Replays spent (each on the finding's targets).
    pub replays: usize,
}

/// A rough size: steps first, then users, then everything a step or the fixture carries.
pub fn size(s: &Sequence) -> (usize, usize, usize) {
    let fixture: usize = s
        .setup
        .users
        .iter()
        .map(|u| usize::from(u.totp_verified) + usize::from(u.phone) + usize::from(u.email))
        .sum::<usize>()
        + usize::from(s.setup.optional)
        + usize::from(s.setup.pool_totp);
    let inputs: usize = s.actions.iter().map(weight).sum();
    (s.actions.len(), s.setup.users.len(), fixture + inputs)
}

fn weight(a: &Action) -> usize {
    let token = |t: TokenChoice| usize::from(t != TokenChoice::Current);
    let code = |c: Code| usize::from(c != Code::Right);
    let settings = |s: &MfaSettings| {
        let f = |x: Option<FactorSetting>| {
            x.map_or(0, |x| {
                1 + usize::from(x.enabled.is_some()) + usize::from(x.preferred.is_some())
            })
        };
        f(s.sms) + f(s.totp) + f(s.email) + s.webauthn.map_or(0, |w| 1 + usize::from(w.is_some()))
    };
    match a {
        Action::SetPreference {
            token: t,
            settings: s,
            ..
        } => token(*t) + settings(s),
        Action::AdminSetPreference { settings: s, .. } => settings(s),
        Action::Verify {
            token: t, code: c, ..
        } => token(*t) + code(*c),
        Action::Associate { token: t, .. }
        | Action::GetUser { token: t, .. }
        | Action::GlobalSignOut { token: t, .. } => token(*t),
        Action::SignIn { code: c, .. } => code(*c),
        Action::AddContact { contact, .. } | Action::RemoveContact { contact, .. } => {
            usize::from(*contact != Contact::Phone)
        }
        _ => 0,
    }
}

/// Smaller sequences to try, in order: each without one step, then with one step simplified, then
/// without one user, then with a simpler fixture. Each is already planned through the model.
pub fn candidates(s: &Sequence) -> Vec<Sequence> {
    let mut out = Vec::new();
    for i in 0..s.actions.len() {
        let mut c = s.clone();
        c.actions.remove(i);
        out.push(c);
    }
    for i in 0..s.actions.len() {
        for simpler in simplify(&s.actions[i]) {
            let mut c = s.clone();
            c.actions[i] = simpler;
            out.push(c);
        }
    }
    if s.setup.users.len() > 1 {
        for u in 0..s.setup.users.len() {
            let mut c = s.clone();
            c.setup.users.remove(u);
            c.actions = s
                .actions
                .iter()
                .filter(|a| a.user() != Some(u))
                .map(|a| match a.user() {
                    Some(v) if v > u => a.with_user(v - 1),
                    _ => *a,
                })
                .collect();
            out.push(c);
        }
    }
    for u in 0..s.setup.users.len() {
        let user = s.setup.users[u];
        for flip in 0..3 {
            let mut c = s.clone();
            let x = &mut c.setup.users[u];
            match flip {
                0 if user.totp_verified => x.totp_verified = false,
                1 if user.phone => x.phone = false,
                2 if user.email => x.email = false,
                _ => continue,
            }
            out.push(c);
        }
    }
    let before = size(s);
    out.into_iter()
        .map(|c| model::plan(&c).0)
        .filter(|c| size(c) < before)
        .collect()
}

fn simplify(a: &Action) -> Vec<Action> {
    let mut out = Vec::new();
    let mut token = |t: TokenChoice, make: &dyn Fn(TokenChoice) -> Action| {
        if t != TokenChoice::Current {
            out.push(make(TokenChoice::Current));
        }
    };
    match *a {
        Action::SetPreference {
            user,
            token: t,
            settings,
        } => {
            token(t, &|t| Action::SetPreference {
                user,
                token: t,
                settings,
            });
            for s in simpler_settings(&settings) {
                out.push(Action::SetPreference {
                    user,
                    token: t,
                    settings: s,
                });
            }
        }
        Action::AdminSetPreference { user, settings } => {
            for s in simpler_settings(&settings) {
                out.push(Action::AdminSetPreference { user, settings: s });
            }
        }
        Action::Associate { user, token: t } => token(t, &|t| Action::Associate { user, token: t }),
        Action::GetUser { user, token: t } => token(t, &|t| Action::GetUser { user, token: t }),
        Action::GlobalSignOut { user, token: t } => {
            token(t, &|t| Action::GlobalSignOut { user, token: t })
        }
        Action::Verify {
            user,
            token: t,
            code,
        } => {
            token(t, &|t| Action::Verify {
                user,
                token: t,
                code,
            });
            if code != Code::Right {
                out.push(Action::Verify {
                    user,
                    token: t,
                    code: Code::Right,
                });
            }
        }
        Action::SignIn { user, code } if code != Code::Right => {
            out.push(Action::SignIn {
                user,
                code: Code::Right,
            });
        }
        _ => {}
    }
    out
}

/// The settings with one member left out, or one inner member left out.
fn simpler_settings(s: &MfaSettings) -> Vec<MfaSettings> {
    let mut out = Vec::new();
    let slots: [fn(&mut MfaSettings) -> &mut Option<FactorSetting>; 3] =
        [|s| &mut s.sms, |s| &mut s.totp, |s| &mut s.email];
    for slot in slots {
        let mut c = *s;
        if let Some(x) = *slot(&mut c) {
            *slot(&mut c) = None;
            out.push(c);
            for drop_enabled in [true, false] {
                let mut c = *s;
                let mut y = x;
                if drop_enabled && y.enabled.is_some() {
                    y.enabled = None;
                } else if !drop_enabled && y.preferred.is_some() {
                    y.preferred = None;
                } else {
                    continue;
                }
                *slot(&mut c) = Some(y);
                out.push(c);
            }
        }
    }
    if s.webauthn.is_some() {
        let mut c = *s;
        c.webauthn = None;
        out.push(c);
    }
    out
}

/// Whether `seq` shows `sig` when replayed on `targets`.
pub async fn reproduces(seq: &Sequence, sig: &Signature, targets: &[Target], name: &str) -> bool {
    let header = Header {
        name: name.to_owned(),
        ..Header::default()
    };
    let Ok(p) = prepare(seq, &header) else {
        return false;
    };
    let outcome = run_on(&p, targets).await;
    outcome.findings.iter().any(|f| f.signature == *sig)
}

/// Shrinks `seq` (which showed `sig`) within `budget` replays, `batch` candidates at a time. After a
/// candidate is kept, the next round starts from the same place in the candidate list (the earlier
/// ones just failed on a larger sequence), wrapping around, so a pass costs about one replay per step.
pub async fn shrink(
    seq: &Sequence,
    sig: &Signature,
    targets: &[Target],
    budget: usize,
    batch: usize,
    stop: &AtomicBool,
) -> Shrunk {
    let mut current = model::plan(seq).0;
    let mut replays = 0;
    let mut start = 0;
    'outer: while replays < budget {
        let mut cands = candidates(&current);
        if cands.is_empty() {
            break;
        }
        let offset = start.min(cands.len());
        cands.rotate_left(offset);
        for (c, chunk) in cands.chunks(batch.max(1)).enumerate() {
            let take = chunk.len().min(budget.saturating_sub(replays));
            if take == 0 || stop.load(Ordering::Relaxed) {
                break 'outer;
            }
            let handles: Vec<_> = chunk[..take]
                .iter()
                .enumerate()
                .map(|(i, cand)| {
                    let (cand, sig, targets) = (cand.clone(), sig.clone(), targets.to_vec());
                    tokio::spawn(async move {
                        reproduces(&cand, &sig, &targets, &format!("explore-shrink-{i}")).await
                    })
                })
                .collect();
            replays += take;
            let mut found = None;
            for (i, h) in handles.into_iter().enumerate() {
                if h.await.unwrap_or(false) && found.is_none() {
                    found = Some(i);
                }
            }
            if let Some(i) = found {
                current = chunk[i].clone();
                start = (offset + c * batch.max(1) + i) % cands.len().max(1);
                continue 'outer;
            }
        }
        break;
    }
    Shrunk {
        sequence: current,
        replays,
    }
}
