//! Cognito's request-rate quota categories: the default rates (aws-contract.md Q1), which category each
//! operation counts against, and overrides from the command line or the AWS config file.

use std::collections::BTreeMap;
use std::num::NonZeroU32;

use crate::exchange::Pacer;

/// Default requests per second per category, account and Region (contract Q1, HIGH). `Unlisted` is
/// ours: a cautious rate for operations the table below does not place.
pub(crate) const DEFAULT_RATES: &[(&str, u32)] = &[
    ("UserAuthentication", 120),
    ("UserCreation", 50),
    ("UserRead", 120),
    ("UserUpdate", 25),
    ("UserToken", 120),
    ("UserAccountRecovery", 30),
    ("UserResourceRead", 50),
    ("UserResourceUpdate", 25),
    ("UserList", 30),
    ("UserPoolRead", 15),
    ("UserPoolUpdate", 15),
    (UNLISTED, 5),
];

/// The category of operations missing from [`CATEGORY_OF`].
pub(crate) const UNLISTED: &str = "Unlisted";

/// Operation → category. Q1 names the members of the auth and creation categories (HIGH); the rest is
/// inferred from the category names (LOW, contract Q2): reads of a user → UserRead, writes → UserUpdate,
/// pool and app-client configuration → UserPoolRead/UserPoolUpdate.
pub(crate) const CATEGORY_OF: &[(&str, &[&str])] = &[
    (
        "UserAuthentication",
        &[
            "AdminInitiateAuth",
            "InitiateAuth",
            "AdminRespondToAuthChallenge",
            "RespondToAuthChallenge",
        ],
    ),
    (
        "UserCreation",
        &[
            "SignUp",
            "ConfirmSignUp",
            "AdminCreateUser",
            "AdminConfirmSignUp",
        ],
    ),
    (
        "UserAccountRecovery",
        &[
            "ForgotPassword",
            "ConfirmForgotPassword",
            "ResendConfirmationCode",
        ],
    ),
    (
        "UserRead",
        &[
            "AdminGetUser",
            "GetUser",
            "AdminGetDevice",
            "GetDevice",
            "AdminListDevices",
            "ListDevices",
            "AdminListGroupsForUser",
            "AdminListUserAuthEvents",
            "GetUserAuthFactors",
            "ListWebAuthnCredentials",
        ],
    ),
    (
        "UserUpdate",
        &[
            "AdminAddUserToGroup",
            "AdminDeleteUser",
            "AdminDeleteUserAttributes",
            "AdminDisableProviderForUser",
            "AdminDisableUser",
            "AdminEnableUser",
            "AdminForgetDevice",
            "AdminLinkProviderForUser",
            "AdminRemoveUserFromGroup",
            "AdminResetUserPassword",
            "AdminSetUserMFAPreference",
            "AdminSetUserPassword",
            "AdminSetUserSettings",
            "AdminUpdateAuthEventFeedback",
            "AdminUpdateDeviceStatus",
            "AdminUpdateUserAttributes",
            "AdminUserGlobalSignOut",
            "AssociateSoftwareToken",
            "ChangePassword",
            "CompleteWebAuthnRegistration",
            "ConfirmDevice",
            "DeleteUser",
            "DeleteUserAttributes",
            "DeleteWebAuthnCredential",
            "ForgetDevice",
            "GetUserAttributeVerificationCode",
            "GlobalSignOut",
            "SetUserMFAPreference",
            "SetUserSettings",
            "StartWebAuthnRegistration",
            "UpdateAuthEventFeedback",
            "UpdateDeviceStatus",
            "UpdateUserAttributes",
            "VerifySoftwareToken",
            "VerifyUserAttribute",
        ],
    ),
    ("UserToken", &["GetTokensFromRefreshToken", "RevokeToken"]),
    ("UserList", &["ListUsers", "ListUsersInGroup"]),
    (
        "UserResourceRead",
        &[
            "GetGroup",
            "ListGroups",
            "DescribeIdentityProvider",
            "GetIdentityProviderByIdentifier",
            "ListIdentityProviders",
            "DescribeResourceServer",
            "ListResourceServers",
        ],
    ),
    (
        "UserResourceUpdate",
        &[
            "CreateGroup",
            "UpdateGroup",
            "DeleteGroup",
            "CreateIdentityProvider",
            "UpdateIdentityProvider",
            "DeleteIdentityProvider",
            "CreateResourceServer",
            "UpdateResourceServer",
            "DeleteResourceServer",
        ],
    ),
    (
        "UserPoolRead",
        &[
            "DescribeUserPool",
            "ListUserPools",
            "GetUserPoolMfaConfig",
            "DescribeUserPoolClient",
            "ListUserPoolClients",
            "ListUserPoolClientSecrets",
            "DescribeUserPoolDomain",
            "DescribeRiskConfiguration",
            "GetCSVHeader",
            "GetSigningCertificate",
            "GetUICustomization",
            "GetLogDeliveryConfiguration",
            "ListTagsForResource",
            "DescribeUserImportJob",
            "ListUserImportJobs",
            "DescribeManagedLoginBranding",
            "DescribeManagedLoginBrandingByClient",
            "DescribeTerms",
            "ListTerms",
        ],
    ),
    (
        "UserPoolUpdate",
        &[
            "CreateUserPool",
            "UpdateUserPool",
            "DeleteUserPool",
            "SetUserPoolMfaConfig",
            "AddCustomAttributes",
            "CreateUserPoolClient",
            "UpdateUserPoolClient",
            "DeleteUserPoolClient",
            "AddUserPoolClientSecret",
            "DeleteUserPoolClientSecret",
            "CreateUserPoolDomain",
            "UpdateUserPoolDomain",
            "DeleteUserPoolDomain",
            "SetRiskConfiguration",
            "SetUICustomization",
            "SetLogDeliveryConfiguration",
            "TagResource",
            "UntagResource",
            "CreateUserImportJob",
            "StartUserImportJob",
            "StopUserImportJob",
            "CreateManagedLoginBranding",
            "UpdateManagedLoginBranding",
            "DeleteManagedLoginBranding",
            "CreateTerms",
            "UpdateTerms",
            "DeleteTerms",
        ],
    ),
];

/// Why a rate setting was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    #[error("unknown quota category `{name}`{hint}")]
    UnknownCategory { name: String, hint: String },
    #[error("`{0}` is not CATEGORY=RATE with a whole number of requests per second above 0")]
    Malformed(String),
}

/// Requests per second per category, starting from the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rates(BTreeMap<String, NonZeroU32>);

impl Default for Rates {
    fn default() -> Self {
        Rates(
            DEFAULT_RATES
                .iter()
                .filter_map(|&(c, r)| Some((c.to_owned(), NonZeroU32::new(r)?)))
                .collect(),
        )
    }
}

impl Rates {
    /// Sets one category's rate; the name must be a known category.
    pub fn set(&mut self, category: &str, rps: u32) -> Result<(), RateError> {
        let Some(slot) = self.0.get_mut(category) else {
            let hint = crate::diagnostic::did_you_mean(category, self.0.keys().map(String::as_str))
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            return Err(RateError::UnknownCategory {
                name: category.to_owned(),
                hint,
            });
        };
        *slot = NonZeroU32::new(rps)
            .ok_or_else(|| RateError::Malformed(format!("{category}={rps}")))?;
        Ok(())
    }

    /// Applies a `CATEGORY=RATE` setting from the command line.
    pub fn apply(&mut self, setting: &str) -> Result<(), RateError> {
        let malformed = || RateError::Malformed(setting.to_owned());
        let (category, rate) = setting.split_once('=').ok_or_else(malformed)?;
        let rate: u32 = rate.trim().parse().map_err(|_| malformed())?;
        self.set(category.trim(), rate)
    }

    pub fn get(&self, category: &str) -> Option<NonZeroU32> {
        self.0.get(category).copied()
    }

    /// The pacer for a Cognito client.
    pub fn pacer(&self) -> Pacer {
        Pacer::new(
            self.0.iter().map(|(c, r)| (c.as_str(), *r)),
            CATEGORY_OF
                .iter()
                .flat_map(|(cat, ops)| ops.iter().map(move |op| (*op, *cat))),
            UNLISTED,
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_table_places_every_model_operation_exactly_once() {
        let model = crate::model::cognito();
        let mut seen = HashSet::new();
        for (cat, ops) in CATEGORY_OF {
            assert!(DEFAULT_RATES.iter().any(|(c, _)| c == cat), "{cat}");
            for op in *ops {
                assert!(model.operation(op).is_some(), "{op} is not in the model");
                assert!(seen.insert(*op), "{op} is listed twice");
            }
        }
        let missing: Vec<&str> = model
            .operation_names()
            .filter(|op| !seen.contains(op))
            .collect();
        assert!(missing.is_empty(), "not placed: {missing:?}");
    }

    #[test]
    fn defaults_follow_the_documented_quotas() {
        let r = Rates::default();
        for (cat, rps) in [
            ("UserUpdate", 25),
            ("UserCreation", 50),
            ("UserAuthentication", 120),
            ("UserRead", 120),
            ("UserPoolRead", 15),
            ("UserPoolUpdate", 15),
        ] {
            assert_eq!(r.get(cat).map(NonZeroU32::get), Some(rps), "{cat}");
        }
        let p = r.pacer();
        assert_eq!(p.category("SetUserMFAPreference"), "UserUpdate");
        assert_eq!(p.category("InitiateAuth"), "UserAuthentication");
        assert_eq!(p.category("NotAnOperation"), UNLISTED);
    }

    #[test]
    fn settings_override_known_categories_only() {
        let mut r = Rates::default();
        r.apply("UserUpdate=5").unwrap();
        assert_eq!(r.get("UserUpdate").map(NonZeroU32::get), Some(5));
        assert_eq!(
            r.apply("UserUpdat=5").unwrap_err().to_string(),
            "unknown quota category `UserUpdat` (did you mean `UserUpdate`?)"
        );
        for bad in ["UserUpdate", "UserUpdate=0", "UserUpdate=fast", "=3"] {
            assert!(r.apply(bad).is_err(), "{bad}");
        }
    }
}
