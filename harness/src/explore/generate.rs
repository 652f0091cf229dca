//! Drawing sequences from a seed. Choices come from `arbitrary::Unstructured` over a SplitMix64 byte
//! stream (the same source and `Draw` helper the live fuzzer uses), not from proptest: proptest's
//! strategies shrink by their own value trees, while a sequence must shrink by the model (dropping a
//! step changes what later steps mean), so the explorer only needs reproducible choices, which
//! `arbitrary` gives with no runner around it. Each action is drawn in the state the model is in, so
//! preconditions hold by construction; one seed and index always give the same sequence.

use arbitrary::Unstructured;

use super::action::{
    Action, Code, Contact, FactorSetting, MfaSettings, PoolMfa, Sequence, Setup, TokenChoice,
    UserSetup,
};
use super::model::Model;
use crate::fuzz::draw::Draw;
use crate::fuzz::iteration_bytes;

/// The shape of what is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub users: usize,
    pub max_steps: usize,
}

/// Sequence `index` of a run seeded with `seed`.
pub fn fresh(seed: u64, index: u64, shape: Shape) -> Sequence {
    let bytes = iteration_bytes(seed, index);
    let mut u = Unstructured::new(&bytes);
    let mut d = Draw::new(&mut u);
    let setup = draw_setup(&mut d, shape.users);
    let len = usize::try_from(d.int(1, shape.max_steps.max(1) as i64)).unwrap_or(1);
    let mut seq = Sequence {
        setup,
        actions: Vec::new(),
    };
    extend(&mut d, &mut seq, len);
    seq
}

/// A mutation of `base` (a corpus entry): keep a prefix, then draw a new tail, or insert one action.
pub fn mutate(base: &Sequence, seed: u64, index: u64, shape: Shape) -> Sequence {
    let bytes = iteration_bytes(seed ^ 0x6D75_7461_7465, index);
    let mut u = Unstructured::new(&bytes);
    let mut d = Draw::new(&mut u);
    let mut seq = base.clone();
    let n = seq.actions.len();
    if d.chance(1, 2) && n > 0 {
        let keep = d.index(n + 1);
        seq.actions.truncate(keep);
        let room = shape.max_steps.saturating_sub(keep).max(1);
        let add = usize::try_from(d.int(1, room as i64)).unwrap_or(1);
        extend(&mut d, &mut seq, add);
    } else {
        let at = d.index(n + 1);
        let mut prefix = Sequence {
            setup: seq.setup.clone(),
            actions: seq.actions[..at].to_vec(),
        };
        extend(&mut d, &mut prefix, 1);
        prefix.actions.extend_from_slice(&seq.actions[at..]);
        prefix.actions.truncate(shape.max_steps.max(1));
        seq = prefix;
    }
    seq
}

fn draw_setup(d: &mut Draw<'_, '_>, users: usize) -> Setup {
    let pool_totp = d.chance(4, 5);
    // OPTIONAL with no factor on is not a documented pool: only with TOTP.
    let optional = pool_totp && d.chance(3, 4);
    let users = (0..users.clamp(1, super::action::USER_NAMES.len()))
        .map(|_| UserSetup {
            totp_verified: pool_totp && d.chance(1, 3),
            phone: d.chance(1, 3),
            email: d.chance(1, 4),
        })
        .collect();
    Setup {
        optional,
        pool_totp,
        users,
    }
}

/// Appends `n` actions drawn in the model's state after the sequence so far.
fn extend(d: &mut Draw<'_, '_>, seq: &mut Sequence, n: usize) {
    let mut model = Model::new(seq);
    for (i, a) in seq.actions.iter().enumerate() {
        if model.allows(a) {
            model.step(i, a);
        }
    }
    let users = seq.setup.users.len();
    let target = seq.actions.len() + n;
    let mut tries = 0;
    while seq.actions.len() < target && tries < n * 8 {
        tries += 1;
        let a = draw_action(d, users);
        if model.allows(&a) {
            model.step(seq.actions.len(), &a);
            seq.actions.push(a);
        }
    }
}

fn draw_action(d: &mut Draw<'_, '_>, users: usize) -> Action {
    let user = d.index(users);
    let token = draw_token(d);
    // Weighted: the MFA calls and read-backs most, account and pool changes less.
    match d.int(0, 27) {
        0..=5 => Action::SetPreference {
            user,
            token,
            settings: draw_settings(d),
        },
        6..=7 => Action::AdminSetPreference {
            user,
            settings: draw_settings(d),
        },
        8..=9 => Action::Associate { user, token },
        10..=11 => Action::Verify {
            user,
            token,
            code: draw_code(d),
        },
        12..=14 => Action::GetUser { user, token },
        15 => Action::AdminGetUser { user },
        16..=18 => Action::SignIn {
            user,
            code: if d.chance(1, 5) {
                Code::Reused
            } else {
                Code::Right
            },
        },
        19 => Action::GlobalSignOut { user, token },
        20 => Action::AdminSignOut { user },
        21 => Action::Disable { user },
        22 => Action::Enable { user },
        23..=24 => Action::PoolConfig {
            mfa: [PoolMfa::Off, PoolMfa::Optional, PoolMfa::On][d.index(3)],
            totp: d.chance(3, 4),
        },
        25..=26 => Action::AddContact {
            user,
            contact: draw_contact(d),
        },
        _ => Action::RemoveContact {
            user,
            contact: draw_contact(d),
        },
    }
}

fn draw_token(d: &mut Draw<'_, '_>) -> TokenChoice {
    match d.int(0, 19) {
        0..=14 => TokenChoice::Current,
        15..=17 => TokenChoice::First,
        18 => TokenChoice::Id,
        _ => TokenChoice::Garbage,
    }
}

fn draw_code(d: &mut Draw<'_, '_>) -> Code {
    match d.int(0, 9) {
        0..=6 => Code::Right,
        7..=8 => Code::Wrong,
        _ => Code::Reused,
    }
}

fn draw_contact(d: &mut Draw<'_, '_>) -> Contact {
    if d.chance(2, 3) {
        Contact::Phone
    } else {
        Contact::Email
    }
}

fn draw_bool(d: &mut Draw<'_, '_>) -> Option<bool> {
    [None, Some(true), Some(false)][d.index(3)]
}

/// Every Enabled × PreferredMfa combination per factor, members absent included; most requests
/// carry one or two factors.
fn draw_settings(d: &mut Draw<'_, '_>) -> MfaSettings {
    let factor = |d: &mut Draw<'_, '_>, p: u32| {
        d.chance(p, 10).then(|| FactorSetting {
            enabled: if d.chance(4, 5) {
                Some(d.chance(1, 2))
            } else {
                draw_bool(d)
            },
            preferred: if d.chance(3, 5) {
                Some(d.chance(1, 2))
            } else {
                draw_bool(d)
            },
        })
    };
    let sms = factor(d, 4);
    let totp = factor(d, 6);
    let email = factor(d, 2);
    let webauthn = d.chance(1, 10).then(|| draw_bool(d));
    MfaSettings {
        sms,
        totp,
        email,
        webauthn,
    }
}
