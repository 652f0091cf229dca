//! The reference model, fact by fact: each test builds the state a fact talks about and checks the
//! prediction names that fact with the outcome the contract notes give.

use super::*;
use crate::explore::action::{FactorSetting, Setup, UserSetup};
use crate::scenario::ast::Confidence;

pub(super) fn seq(
    optional: bool,
    pool_totp: bool,
    users: &[UserSetup],
    actions: Vec<Action>,
) -> Sequence {
    Sequence {
        setup: Setup {
            optional,
            pool_totp,
            users: users.to_vec(),
        },
        actions,
    }
}

pub(super) const PLAIN: UserSetup = UserSetup {
    totp_verified: false,
    phone: false,
    email: false,
};
pub(super) const VERIFIED: UserSetup = UserSetup {
    totp_verified: true,
    phone: false,
    email: false,
};

pub(super) fn totp(enabled: bool, preferred: bool) -> MfaSettings {
    MfaSettings {
        totp: Some(FactorSetting {
            enabled: Some(enabled),
            preferred: Some(preferred),
        }),
        ..MfaSettings::default()
    }
}

pub(super) fn sms(enabled: bool, preferred: bool) -> MfaSettings {
    MfaSettings {
        sms: Some(FactorSetting {
            enabled: Some(enabled),
            preferred: Some(preferred),
        }),
        ..MfaSettings::default()
    }
}

/// The predictions of the last action of `s`.
pub(super) fn last(s: &Sequence) -> Predicted {
    let (kept, p) = plan(s);
    assert_eq!(
        kept.actions.len(),
        s.actions.len(),
        "an action was not allowed"
    );
    p.last().cloned().unwrap_or_default()
}

pub(super) fn facts_of(p: &[Prediction]) -> Vec<&'static str> {
    p.iter().map(|x| x.fact.id).collect()
}

pub(super) fn get(user: usize, token: TokenChoice) -> Action {
    Action::GetUser { user, token }
}

#[test]
fn t1_garbage_token_is_not_authorized() {
    let p = last(&seq(
        true,
        true,
        &[PLAIN],
        vec![get(0, TokenChoice::Garbage)],
    ));
    assert_eq!(facts_of(&p.main), ["T1"]);
    assert!(p.main[0]
        .expects
        .contains(&Expect::Error("NotAuthorizedException")));
    assert_eq!(p.token, Some(TokenRef::Garbage));
}

#[test]
fn t3_and_t10_sign_out_revokes_only_that_users_tokens() {
    let actions = vec![
        Action::GlobalSignOut {
            user: 0,
            token: TokenChoice::Current,
        },
        get(0, TokenChoice::Current),
        get(1, TokenChoice::Current),
    ];
    let (_, p) = plan(&seq(true, true, &[PLAIN, PLAIN], actions));
    assert_eq!(facts_of(&p[0].main), ["T10"]);
    assert_eq!(facts_of(&p[1].main), ["T3"]);
    assert!(p[1].main[0]
        .expects
        .contains(&Expect::Error("NotAuthorizedException")));
    // Bob's token is still valid: his read-back is predicted from G1, not refused.
    assert_eq!(facts_of(&p[2].main), ["G1"]);
}

#[test]
fn t3_admin_sign_out_revokes_and_a_new_sign_in_gives_a_valid_token() {
    let actions = vec![
        Action::AdminSignOut { user: 0 },
        Action::SignIn {
            user: 0,
            code: Code::Right,
        },
        get(0, TokenChoice::Current),
        get(0, TokenChoice::First),
    ];
    let (_, p) = plan(&seq(true, true, &[PLAIN], actions));
    assert_eq!(facts_of(&p[1].main), ["S11"]);
    assert_eq!(p[2].token, Some(TokenRef::Captured(1)));
    assert_eq!(facts_of(&p[2].main), ["G1"]);
    assert_eq!(facts_of(&p[3].main), ["T3"]);
}

#[test]
fn t6_disable_revokes_tokens_and_refuses_sign_in() {
    let actions = vec![
        Action::Disable { user: 0 },
        get(0, TokenChoice::Current),
        Action::SignIn {
            user: 0,
            code: Code::Right,
        },
    ];
    let (_, p) = plan(&seq(true, true, &[PLAIN], actions));
    assert_eq!(facts_of(&p[0].main), ["T6"]);
    assert_eq!(p[1].main[0].expects, vec![Expect::Status(400)]);
    assert_eq!(p[2].main[0].fact.confidence, Confidence::Medium);
    assert!(p[2].main[0]
        .expects
        .contains(&Expect::Error("NotAuthorizedException")));
}

#[test]
fn s2_and_s3_totp_before_verification_is_refused() {
    let p = last(&seq(
        true,
        true,
        &[PLAIN],
        vec![Action::SetPreference {
            user: 0,
            token: TokenChoice::Current,
            settings: totp(true, true),
        }],
    ));
    assert_eq!(facts_of(&p.main), ["S2", "S3"]);
    let admin = last(&seq(
        true,
        true,
        &[PLAIN],
        vec![Action::AdminSetPreference {
            user: 0,
            settings: totp(true, true),
        }],
    ));
    // S2's sentence about the admin operation was removed: only the MEDIUM reports apply.
    assert_eq!(facts_of(&admin.main), ["S3"]);
}

#[test]
fn s4_sms_without_phone_and_s5_with_an_unverified_one() {
    let set = |users: &[UserSetup]| {
        last(&seq(
            true,
            true,
            users,
            vec![Action::SetPreference {
                user: 0,
                token: TokenChoice::Current,
                settings: sms(true, false),
            }],
        ))
    };
    assert_eq!(facts_of(&set(&[PLAIN]).main), ["S4"]);
    let phone = UserSetup {
        phone: true,
        ..PLAIN
    };
    assert_eq!(facts_of(&set(&[phone]).main), ["S5", "M11"]);
}

#[test]
fn s8_preferred_but_not_enabled() {
    let p = last(&seq(
        true,
        true,
        &[VERIFIED],
        vec![Action::AdminSetPreference {
            user: 0,
            settings: totp(false, true),
        }],
    ));
    assert_eq!(facts_of(&p.main), ["S8"]);
    assert_eq!(p.main[0].fact.confidence, Confidence::Low);
}

#[test]
fn s11_turning_off_is_accepted_and_an_optional_pool_gives_tokens_without_factors() {
    let p = last(&seq(
        false,
        false,
        &[PLAIN],
        vec![Action::SetPreference {
            user: 0,
            token: TokenChoice::Current,
            settings: sms(false, false),
        }],
    ));
    assert_eq!(facts_of(&p.main), ["S11", "M11"]);
    let s = last(&seq(
        true,
        true,
        &[PLAIN],
        vec![Action::SignIn {
            user: 0,
            code: Code::Right,
        }],
    ));
    assert_eq!(facts_of(&s.main), ["S11"]);
    assert!(!s.respond);
}
