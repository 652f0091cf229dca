//! The reference model, fact by fact: each test builds the state a fact talks about and checks the
//! prediction names that fact with the outcome the contract notes give.

use super::*;
use crate::explore::action::{FactorSetting, Setup, UserSetup};
use crate::scenario::ast::Confidence;

fn seq(optional: bool, pool_totp: bool, users: &[UserSetup], actions: Vec<Action>) -> Sequence {
    Sequence {
        setup: Setup {
            optional,
            pool_totp,
            users: users.to_vec(),
        },
        actions,
    }
}

const PLAIN: UserSetup = UserSetup {
    totp_verified: false,
    phone: false,
    email: false,
};
const VERIFIED: UserSetup = UserSetup {
    totp_verified: true,
    phone: false,
    email: false,
};

fn totp(enabled: bool, preferred: bool) -> MfaSettings {
    MfaSettings {
        totp: Some(FactorSetting {
            enabled: Some(enabled),
            preferred: Some(preferred),
        }),
        ..MfaSettings::default()
    }
}

fn sms(enabled: bool, preferred: bool) -> MfaSettings {
    MfaSettings {
        sms: Some(FactorSetting {
            enabled: Some(enabled),
            preferred: Some(preferred),
        }),
        ..MfaSettings::default()
    }
}

/// The predictions of the last action of `s`.
fn last(s: &Sequence) -> Predicted {
    let (kept, p) = plan(s);
    assert_eq!(
        kept.actions.len(),
        s.actions.len(),
        "an action was not allowed"
    );
    p.last().cloned().unwrap_or_default()
}

fn facts_of(p: &[Prediction]) -> Vec<&'static str> {
    p.iter().map(|x| x.fact.id).collect()
}

fn get(user: usize, token: TokenChoice) -> Action {
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

#[test]
fn a3_totp_preferred_asks_for_the_code_and_the_code_gives_tokens() {
    let actions = vec![
        Action::Associate {
            user: 0,
            token: TokenChoice::Current,
        },
        Action::Verify {
            user: 0,
            token: TokenChoice::Current,
            code: Code::Right,
        },
        Action::SetPreference {
            user: 0,
            token: TokenChoice::Current,
            settings: totp(true, true),
        },
        Action::SignIn {
            user: 0,
            code: Code::Right,
        },
        get(0, TokenChoice::Current),
    ];
    let (_, p) = plan(&seq(true, true, &[PLAIN], actions));
    assert_eq!(facts_of(&p[0].main), ["A3"]);
    assert_eq!(p[1].secret, Some(SecretRef::Captured(0)));
    assert!(p[1].main[0]
        .expects
        .contains(&Expect::Body("$.Status", json!("SUCCESS"))));
    assert_eq!(facts_of(&p[2].main), ["A3", "M11"]);
    assert!(p[3].respond);
    assert_eq!(facts_of(&p[3].main), ["A3"]);
    assert_eq!(facts_of(&p[3].answer), ["A3"]);
    assert_eq!(p[4].token, Some(TokenRef::Captured(3)));
    assert!(p[4].main[0].expects.contains(&Expect::Body(
        "$.PreferredMfaSetting",
        json!("SOFTWARE_TOKEN_MFA")
    )));
}

#[test]
fn a9_reused_code_is_expired() {
    let actions = vec![
        Action::SetPreference {
            user: 0,
            token: TokenChoice::Current,
            settings: totp(true, true),
        },
        Action::SignIn {
            user: 0,
            code: Code::Reused,
        },
    ];
    let (_, p) = plan(&seq(true, true, &[VERIFIED], actions));
    assert_eq!(facts_of(&p[1].answer), ["A9"]);
    assert!(p[1].answer[0]
        .expects
        .contains(&Expect::Error("ExpiredCodeException")));
}

#[test]
fn a10_wrong_verification_code_and_reuse_needs_a_sent_code() {
    let actions = vec![
        Action::Associate {
            user: 0,
            token: TokenChoice::Current,
        },
        Action::Verify {
            user: 0,
            token: TokenChoice::Current,
            code: Code::Wrong,
        },
    ];
    let (_, p) = plan(&seq(true, true, &[PLAIN], actions));
    assert_eq!(facts_of(&p[1].main), ["A10"]);
    let reuse = seq(
        true,
        true,
        &[PLAIN],
        vec![
            Action::Associate {
                user: 0,
                token: TokenChoice::Current,
            },
            Action::Verify {
                user: 0,
                token: TokenChoice::Current,
                code: Code::Reused,
            },
        ],
    );
    assert_eq!(
        plan(&reuse).0.actions.len(),
        1,
        "no code was sent for the new secret"
    );
}

#[test]
fn a1_on_pool_without_factors_asks_for_setup() {
    let actions = vec![
        Action::PoolConfig {
            mfa: PoolMfa::On,
            totp: true,
        },
        Action::SignIn {
            user: 0,
            code: Code::Right,
        },
        Action::SignIn {
            user: 1,
            code: Code::Right,
        },
    ];
    let (_, p) = plan(&seq(true, true, &[PLAIN, VERIFIED], actions));
    assert!(p[1].main[0]
        .expects
        .contains(&Expect::Body("$.ChallengeName", json!("MFA_SETUP"))));
    assert_eq!(p[1].main[0].fact.confidence, Confidence::MediumHigh);
    assert!(p[2].respond);
    assert_eq!(p[2].main[0].fact.confidence, Confidence::Medium);
}

#[test]
fn s12_verified_totp_survives_the_pool_turning_totp_off() {
    let actions = vec![
        Action::SetPreference {
            user: 0,
            token: TokenChoice::Current,
            settings: totp(true, true),
        },
        Action::PoolConfig {
            mfa: PoolMfa::Optional,
            totp: false,
        },
    ];
    let (_, p) = plan(&seq(true, true, &[VERIFIED], actions.clone()));
    assert!(
        p[1].main.is_empty(),
        "the pool change itself is not documented"
    );
    let mut more = actions;
    more.push(Action::SignIn {
        user: 0,
        code: Code::Right,
    });
    let (_, p) = plan(&seq(true, true, &[VERIFIED], more));
    assert_eq!(facts_of(&p[2].main), ["S12"]);
    assert!(p[2].respond);
    // Requiring MFA with no factor on is not documented: the model stops predicting sign-ins.
    let (_, p) = plan(&seq(
        true,
        true,
        &[VERIFIED],
        vec![
            Action::PoolConfig {
                mfa: PoolMfa::On,
                totp: false,
            },
            Action::SignIn {
                user: 0,
                code: Code::Right,
            },
        ],
    ));
    assert!(p[1].main.is_empty());
}

#[test]
fn g1_read_back_lists_what_is_on_and_omits_the_rest() {
    let empty = last(&seq(
        true,
        true,
        &[PLAIN],
        vec![get(0, TokenChoice::Current)],
    ));
    assert_eq!(facts_of(&empty.main), ["G1"]);
    assert!(empty.main[0]
        .expects
        .contains(&Expect::Absent("$.UserMFASettingList")));
    assert!(empty.main[0]
        .expects
        .contains(&Expect::Absent("$.PreferredMfaSetting")));
}

#[test]
fn g2_verification_adds_nothing_to_the_list() {
    let p = last(&seq(
        true,
        true,
        &[VERIFIED],
        vec![get(0, TokenChoice::Current)],
    ));
    assert_eq!(facts_of(&p.main), ["G2"]);
    assert!(p.main[0]
        .expects
        .contains(&Expect::Absent("$.UserMFASettingList")));
}

#[test]
fn silence_leaves_the_state_unknown() {
    // Two factors preferred at once (S9 not found): no prediction, and no read-back prediction after.
    let two = MfaSettings {
        sms: Some(FactorSetting {
            enabled: Some(true),
            preferred: Some(true),
        }),
        totp: Some(FactorSetting {
            enabled: Some(true),
            preferred: Some(true),
        }),
        ..MfaSettings::default()
    };
    let phone = UserSetup {
        phone: true,
        ..VERIFIED
    };
    let (_, p) = plan(&seq(
        true,
        true,
        &[phone],
        vec![
            Action::SetPreference {
                user: 0,
                token: TokenChoice::Current,
                settings: two,
            },
            get(0, TokenChoice::Current),
        ],
    ));
    assert!(p[0].main.is_empty());
    assert!(p[1].main.is_empty());
    assert!(p[1].predicate.contains("mfa=?"));
}

#[test]
fn every_fact_is_listed_in_the_doc_page() {
    let doc = include_str!("../../../docs/explore.md");
    for f in facts::ALL {
        assert!(
            doc.contains(&format!("| {} |", f.id)),
            "docs/explore.md lacks fact {}",
            f.id
        );
        assert!(
            doc.contains(f.says),
            "docs/explore.md lacks the text of {}: {}",
            f.id,
            f.says
        );
    }
}
