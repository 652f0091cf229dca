//! The documented facts the reference model encodes, each with its id in `../shared/aws-contract.md`
//! and the confidence given there. `docs/explore.md` lists the same table (a unit test checks it).

use crate::scenario::ast::Confidence;

/// One fact the model predicts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    pub id: &'static str,
    pub confidence: Confidence,
    /// What the model takes from the fact, in one line.
    pub says: &'static str,
}

const fn fact(id: &'static str, confidence: Confidence, says: &'static str) -> Fact {
    Fact {
        id,
        confidence,
        says,
    }
}

use Confidence::{High, Low, Medium, MediumHigh};

pub const T1: Fact = fact(
    "T1",
    MediumHigh,
    "a pattern-valid string that is no token: 400 NotAuthorizedException",
);
pub const T3: Fact = fact(
    "T3",
    High,
    "an access token revoked by GlobalSignOut or AdminUserGlobalSignOut: 400 NotAuthorizedException",
);
pub const T6: Fact = fact(
    "T6",
    High,
    "AdminDisableUser succeeds and revokes all the user's access tokens: a later call with one fails (400)",
);
pub const T6_SIGN_IN: Fact = fact(
    "T6",
    Medium,
    "a disabled user's sign-in: 400 NotAuthorizedException",
);
pub const T10: Fact = fact(
    "T10",
    High,
    "GlobalSignOut / AdminUserGlobalSignOut succeed and revoke only that user's tokens",
);
pub const S2: Fact = fact(
    "S2",
    High,
    "SetUserMFAPreference cannot make TOTP preferred before an authenticator is verified (400)",
);
pub const S3: Fact = fact(
    "S3",
    Medium,
    "TOTP enabled or preferred without a verified authenticator: 400 InvalidParameterException",
);
pub const S4: Fact = fact(
    "S4",
    Medium,
    "SMS enabled or preferred without a phone_number: 400 InvalidParameterException",
);
pub const S5: Fact = fact(
    "S5",
    Medium,
    "an unverified phone_number is enough to turn SMS MFA on (the call succeeds)",
);
pub const S8: Fact = fact(
    "S8",
    Low,
    "PreferredMfa true with Enabled false: 400 InvalidParameterException",
);
pub const S11_DISABLE: Fact = fact(
    "S11",
    MediumHigh,
    "turning factors off is accepted (200, empty body)",
);
pub const S11_OPTIONAL: Fact = fact(
    "S11",
    High,
    "an OPTIONAL pool prompts only users with a factor chosen: no factor, tokens at once",
);
pub const S12: Fact = fact(
    "S12",
    High,
    "a verified TOTP authenticator stays in use after the pool turns TOTP off",
);
pub const A1: Fact = fact(
    "A1",
    MediumHigh,
    "an ON pool with TOTP: a user without factors gets MFA_SETUP at sign-in",
);
pub const A1_VERIFIED: Fact = fact(
    "A1",
    Medium,
    "an ON pool: a user with a verified authenticator gets SOFTWARE_TOKEN_MFA without a preference",
);
pub const A3: Fact = fact(
    "A3",
    MediumHigh,
    "Associate and Verify (right code: Status SUCCESS) with an access token, then TOTP preferred: sign-in asks SOFTWARE_TOKEN_MFA, the code gives tokens",
);
pub const A9: Fact = fact(
    "A9",
    MediumHigh,
    "a TOTP code already used once, answering SOFTWARE_TOKEN_MFA: 400 ExpiredCodeException",
);
pub const A10: Fact = fact(
    "A10",
    Medium,
    "VerifySoftwareToken with a wrong code: 400 EnableSoftwareTokenMFAException",
);
pub const G1: Fact = fact(
    "G1",
    MediumHigh,
    "GetUser omits UserMFASettingList and PreferredMfaSetting when no factor is on, and lists what is on",
);
pub const G2: Fact = fact(
    "G2",
    MediumHigh,
    "verifying an authenticator adds nothing to UserMFASettingList and sets no preference",
);
pub const M11: Fact = fact(
    "M11",
    High,
    "a successful SetUserMFAPreference answers 200 with an empty body",
);

/// Every fact above, for the documentation and its test.
pub const ALL: &[Fact] = &[
    T1,
    T3,
    T6,
    T6_SIGN_IN,
    T10,
    S2,
    S3,
    S4,
    S5,
    S8,
    S11_DISABLE,
    S11_OPTIONAL,
    S12,
    A1,
    A1_VERIFIED,
    A3,
    A9,
    A10,
    G1,
    G2,
    M11,
];
