//! The reference model, fact by fact, continued: sign-in challenges and codes, the pool changing
//! under a verified authenticator, read-backs, what silence leaves unknown, and the doc page.

use super::tests::{facts_of, get, last, seq, totp, PLAIN, VERIFIED};
use super::*;
use crate::explore::action::{FactorSetting, UserSetup};
use crate::scenario::ast::Confidence;

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
