//! The Cognito user-pools model, embedded at build time and parsed on first use.

use std::sync::OnceLock;

use super::parse::parse;
use super::types::Model;

const COGNITO_IDP: &str = include_str!("../../model/cognito-idp.json");

/// The embedded `cognito-idp` model; panics only if the file in the binary is corrupt (a build bug).
pub fn cognito() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| match parse(COGNITO_IDP) {
        Ok(model) => model,
        Err(err) => panic!("embedded cognito-idp model is corrupt: {err}"),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::{Auth, Shape};

    #[test]
    fn set_user_mfa_preference_is_token_authorised() {
        let model = cognito();
        let op = model.operation("SetUserMFAPreference").unwrap();
        assert_eq!(op.auth, Auth::NoAuth);
        assert_eq!(op.input.as_deref(), Some("SetUserMFAPreferenceRequest"));
        assert_eq!(op.output.as_deref(), Some("SetUserMFAPreferenceResponse"));
        assert_eq!(op.errors.len(), 8);
        assert!(op.errors.iter().any(|e| e == "ForbiddenException"));

        let Some(Shape::Structure {
            members,
            required,
            exception,
            ..
        }) = model.shape("SetUserMFAPreferenceRequest")
        else {
            panic!("SetUserMFAPreferenceRequest is not a structure");
        };
        let mut names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "AccessToken",
                "EmailMfaSettings",
                "SMSMfaSettings",
                "SoftwareTokenMfaSettings",
                "WebAuthnMfaSettings"
            ]
        );
        assert_eq!(required, &["AccessToken"]);
        assert!(!exception);
    }

    #[test]
    fn admin_set_user_mfa_preference_is_signed() {
        let model = cognito();
        assert_eq!(
            model.operation("AdminSetUserMFAPreference").unwrap().auth,
            Auth::SigV4
        );
        assert_eq!(model.target_prefix(), "AWSCognitoIdentityProviderService");
        assert_eq!(
            model.target_header("GetUser"),
            "AWSCognitoIdentityProviderService.GetUser"
        );
        assert!(!model.source_version().is_empty());
        assert!(model.operation_names().count() > 100);
    }

    #[test]
    fn token_model_type_keeps_its_pattern() {
        match cognito().shape("TokenModelType").unwrap() {
            Shape::String {
                pattern,
                sensitive,
                enum_values,
                ..
            } => {
                assert_eq!(pattern.as_deref(), Some("[A-Za-z0-9-_=.]+"));
                assert!(sensitive);
                assert!(enum_values.is_empty());
            }
            other => panic!("TokenModelType is a {}", other.type_name()),
        }
    }

    #[test]
    fn exceptions_and_documents_are_recognised() {
        let model = cognito();
        assert!(matches!(
            model.shape("InternalErrorException"),
            Some(Shape::Structure {
                exception: true,
                fault: true,
                ..
            })
        ));
        assert_eq!(model.shape("Document"), Some(&Shape::Document));
        assert!(matches!(model.shape("LongType"), Some(Shape::Long { .. })));
    }
}
