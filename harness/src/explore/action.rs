//! The vocabulary of exploration: a sequence is a fixture (pool and users) plus actions, each naming
//! the user it concerns and, for token-authorised calls, which token it carries.

use serde::{Deserialize, Serialize};

/// Fixture user names, in order; `--users U` takes the first U.
pub const USER_NAMES: [&str; 4] = ["alice", "bob", "carol", "dave"];

/// One MFA factor a user can turn on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Factor {
    Sms,
    Totp,
    Email,
}

impl Factor {
    pub const ALL: [Factor; 3] = [Factor::Sms, Factor::Totp, Factor::Email];

    /// The name GetUser uses in `UserMFASettingList` and `PreferredMfaSetting` (G4).
    pub fn wire(self) -> &'static str {
        match self {
            Factor::Sms => "SMS_MFA",
            Factor::Totp => "SOFTWARE_TOKEN_MFA",
            Factor::Email => "EMAIL_OTP",
        }
    }

    /// The SetUserMFAPreference member that carries this factor's settings.
    pub fn member(self) -> &'static str {
        match self {
            Factor::Sms => "SMSMfaSettings",
            Factor::Totp => "SoftwareTokenMfaSettings",
            Factor::Email => "EmailMfaSettings",
        }
    }
}

/// One factor's settings object: each member may be absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct FactorSetting {
    pub enabled: Option<bool>,
    pub preferred: Option<bool>,
}

/// The four settings objects of (Admin)SetUserMFAPreference; `None` leaves the member out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct MfaSettings {
    pub sms: Option<FactorSetting>,
    pub totp: Option<FactorSetting>,
    pub email: Option<FactorSetting>,
    /// `WebAuthnMfaSettings` has `Enabled` only (M6); `Some(None)` sends an empty object.
    pub webauthn: Option<Option<bool>>,
}

impl MfaSettings {
    pub fn get(&self, f: Factor) -> Option<FactorSetting> {
        match f {
            Factor::Sms => self.sms,
            Factor::Totp => self.totp,
            Factor::Email => self.email,
        }
    }
}

/// Which token a token-authorised call carries, of the action's user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TokenChoice {
    /// The most recently issued access token.
    Current,
    /// The access token from the fixture's sign-in (revoked after a sign-out or a disable).
    First,
    /// The fixture's ID token where an access token belongs.
    Id,
    /// A string that matches the token pattern but is no token (T1).
    Garbage,
}

/// Which TOTP code a verification or an MFA answer sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Code {
    /// A fresh RFC 6238 code for the user's current secret.
    Right,
    /// `000000`: wrong unless the clock says otherwise (one in a million).
    Wrong,
    /// The code sent last for that secret.
    Reused,
}

/// A contact attribute that SMS and email MFA need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Contact {
    Phone,
    Email,
}

impl Contact {
    pub fn attribute(self) -> &'static str {
        match self {
            Contact::Phone => "phone_number",
            Contact::Email => "email",
        }
    }

    pub fn example(self, user: &str) -> String {
        match self {
            Contact::Phone => "+15555550100".to_owned(),
            Contact::Email => format!("{user}@example.com"),
        }
    }
}

/// The pool's `MfaConfiguration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PoolMfa {
    Off,
    Optional,
    On,
}

impl PoolMfa {
    pub fn wire(self) -> &'static str {
        match self {
            PoolMfa::Off => "OFF",
            PoolMfa::Optional => "OPTIONAL",
            PoolMfa::On => "ON",
        }
    }
}

/// One step of a sequence (it may become two scenario steps: sign-in and its MFA answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    SetPreference {
        user: usize,
        token: TokenChoice,
        settings: MfaSettings,
    },
    AdminSetPreference {
        user: usize,
        settings: MfaSettings,
    },
    Associate {
        user: usize,
        token: TokenChoice,
    },
    Verify {
        user: usize,
        token: TokenChoice,
        code: Code,
    },
    GetUser {
        user: usize,
        token: TokenChoice,
    },
    AdminGetUser {
        user: usize,
    },
    /// InitiateAuth (USER_PASSWORD_AUTH), answered with a TOTP code when the model expects that
    /// challenge; any other challenge is recorded as it comes.
    SignIn {
        user: usize,
        code: Code,
    },
    GlobalSignOut {
        user: usize,
        token: TokenChoice,
    },
    AdminSignOut {
        user: usize,
    },
    Disable {
        user: usize,
    },
    Enable {
        user: usize,
    },
    PoolConfig {
        mfa: PoolMfa,
        totp: bool,
    },
    AddContact {
        user: usize,
        contact: Contact,
    },
    RemoveContact {
        user: usize,
        contact: Contact,
    },
}

impl Action {
    /// The operation name, for signatures and reports.
    pub fn kind(&self) -> &'static str {
        match self {
            Action::SetPreference { .. } => "SetUserMFAPreference",
            Action::AdminSetPreference { .. } => "AdminSetUserMFAPreference",
            Action::Associate { .. } => "AssociateSoftwareToken",
            Action::Verify { .. } => "VerifySoftwareToken",
            Action::GetUser { .. } => "GetUser",
            Action::AdminGetUser { .. } => "AdminGetUser",
            Action::SignIn { .. } => "InitiateAuth",
            Action::GlobalSignOut { .. } => "GlobalSignOut",
            Action::AdminSignOut { .. } => "AdminUserGlobalSignOut",
            Action::Disable { .. } => "AdminDisableUser",
            Action::Enable { .. } => "AdminEnableUser",
            Action::PoolConfig { .. } => "SetUserPoolMfaConfig",
            Action::AddContact { .. } => "AdminUpdateUserAttributes",
            Action::RemoveContact { .. } => "AdminDeleteUserAttributes",
        }
    }

    /// The user the action concerns (`None` for pool actions).
    pub fn user(&self) -> Option<usize> {
        match *self {
            Action::SetPreference { user, .. }
            | Action::AdminSetPreference { user, .. }
            | Action::Associate { user, .. }
            | Action::Verify { user, .. }
            | Action::GetUser { user, .. }
            | Action::AdminGetUser { user }
            | Action::SignIn { user, .. }
            | Action::GlobalSignOut { user, .. }
            | Action::AdminSignOut { user }
            | Action::Disable { user }
            | Action::Enable { user }
            | Action::AddContact { user, .. }
            | Action::RemoveContact { user, .. } => Some(user),
            Action::PoolConfig { .. } => None,
        }
    }

    /// The same action for another user (used when a user is dropped while shrinking).
    pub fn with_user(mut self, new: usize) -> Action {
        match &mut self {
            Action::SetPreference { user, .. }
            | Action::AdminSetPreference { user, .. }
            | Action::Associate { user, .. }
            | Action::Verify { user, .. }
            | Action::GetUser { user, .. }
            | Action::AdminGetUser { user }
            | Action::SignIn { user, .. }
            | Action::GlobalSignOut { user, .. }
            | Action::AdminSignOut { user }
            | Action::Disable { user }
            | Action::Enable { user }
            | Action::AddContact { user, .. }
            | Action::RemoveContact { user, .. } => *user = new,
            Action::PoolConfig { .. } => {}
        }
        self
    }
}

/// How a fixture user starts: always confirmed and signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct UserSetup {
    pub totp_verified: bool,
    pub phone: bool,
    pub email: bool,
}

/// The pool and users a sequence starts from. The pool is never `ON` at first: the fixture signs
/// every user in, and an `ON` pool would answer with MFA_SETUP.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Setup {
    pub optional: bool,
    pub pool_totp: bool,
    pub users: Vec<UserSetup>,
}

/// A whole generated sequence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sequence {
    pub setup: Setup,
    pub actions: Vec<Action>,
}
