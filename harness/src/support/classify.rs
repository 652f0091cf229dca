//! Reading one answer as "implemented", "not implemented" or "fault" (pure).

use serde::{Deserialize, Serialize};

use crate::exchange::Interpreted;

/// What a target's answer to a model-valid call says about the operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "support", rename_all = "kebab-case")]
pub enum Support {
    /// An answer of the protocol: a success, or a modeled or protocol error. `answer` is the status
    /// and error type (`200`, `400 ResourceNotFoundException`), never a message (it may echo input).
    Implemented { answer: String },
    /// The target says it does not implement the operation.
    NotImplemented { answer: String },
    /// No answer of the protocol: none at all, HTML, non-JSON, an error without a type.
    Fault { answer: String },
}

impl Support {
    pub fn answer(&self) -> &str {
        match self {
            Support::Implemented { answer }
            | Support::NotImplemented { answer }
            | Support::Fault { answer } => answer,
        }
    }

    pub fn is_implemented(&self) -> bool {
        matches!(self, Support::Implemented { .. })
    }
}

/// Error types that mean "no such operation here", whatever the message.
const NOT_IMPLEMENTED_TYPES: &[&str] = &[
    "UnknownOperationException",
    "NotImplementedException",
    "NotImplemented",
    "InvalidAction",
];

/// Classifies an answer: `status` and its interpretation by a Smithy client.
/// - cognito-local: 500 `CognitoLocal#Unsupported`, "Cognito Local unsupported feature: …";
/// - ministack: 400 `InvalidAction`, "Unknown Cognito IDP action: …";
/// - LocalStack and the AWS frameworks: 501, or `UnknownOperationException` / `NotImplemented`;
/// - moto answers an operation it lacks with an HTML 500 page, which is a fault by the protocol.
pub fn classify(status: u16, interpreted: &Interpreted) -> Support {
    match interpreted {
        Interpreted::Success(_) => Support::Implemented {
            answer: status.to_string(),
        },
        Interpreted::Error {
            error_type,
            message,
            ..
        } => {
            let message = message.as_deref().unwrap_or_default();
            let cognito_local = error_type == "Unsupported"
                && message.starts_with("Cognito Local unsupported feature");
            // cognito-local also refuses features of operations it has ("unsupported feature:
            // MessageAction=…"); only the unknown `x-amz-target` means the operation is missing.
            if cognito_local && !message.contains("x-amz-target") {
                return Support::Implemented {
                    answer: format!("{status} {error_type} (a feature of the input)"),
                };
            }
            let refused = cognito_local
                || NOT_IMPLEMENTED_TYPES.contains(&error_type.as_str())
                || status == 501
                || message.to_ascii_lowercase().contains("not yet implemented");
            let answer = format!("{status} {error_type}");
            if refused {
                Support::NotImplemented { answer }
            } else {
                Support::Implemented { answer }
            }
        }
        Interpreted::Fault(_) if status == 501 => Support::NotImplemented {
            answer: status.to_string(),
        },
        Interpreted::Fault(_) => Support::Fault {
            answer: format!("{status} off-protocol"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn error(error_type: &str, message: &str) -> Interpreted {
        Interpreted::Error {
            error_type: error_type.to_owned(),
            message: Some(message.to_owned()),
            body: json!({}),
        }
    }

    #[test]
    fn successes_and_modeled_errors_are_implemented() {
        assert_eq!(
            classify(200, &Interpreted::Success(json!({}))),
            Support::Implemented {
                answer: "200".into()
            }
        );
        assert_eq!(
            classify(
                400,
                &error("ResourceNotFoundException", "User pool x does not exist.")
            ),
            Support::Implemented {
                answer: "400 ResourceNotFoundException".into()
            }
        );
    }

    #[test]
    fn each_emulators_refusal_is_not_implemented() {
        let cl = error(
            "Unsupported",
            "Cognito Local unsupported feature: Unsupported x-amz-target header \"GlobalSignOut\"",
        );
        assert!(matches!(classify(500, &cl), Support::NotImplemented { .. }));
        let feature = error(
            "Unsupported",
            "Cognito Local unsupported feature: MessageAction=RESEND",
        );
        assert_eq!(
            classify(500, &feature),
            Support::Implemented {
                answer: "500 Unsupported (a feature of the input)".into()
            }
        );
        let ms = error("InvalidAction", "Unknown Cognito IDP action: DescribeTerms");
        assert!(matches!(classify(400, &ms), Support::NotImplemented { .. }));
        let ls = error(
            "InternalFailure",
            "API action 'DescribeTerms' for service 'cognito-idp' not yet implemented",
        );
        assert!(matches!(classify(501, &ls), Support::NotImplemented { .. }));
        assert!(matches!(
            classify(400, &error("UnknownOperationException", "")),
            Support::NotImplemented { .. }
        ));
    }

    #[test]
    fn off_protocol_answers_are_faults_and_no_message_is_kept() {
        let html = Interpreted::Fault("status 500 with content-type `text/html`".into());
        assert_eq!(
            classify(500, &html),
            Support::Fault {
                answer: "500 off-protocol".into()
            }
        );
        let echo = error("NotAuthorizedException", "SECRET-TOKEN");
        assert!(!classify(400, &echo).answer().contains("SECRET"));
    }

    #[test]
    fn json_form_names_the_class() {
        let s = Support::NotImplemented {
            answer: "400 InvalidAction".into(),
        };
        let v = serde_json::to_value(&s).unwrap_or_default();
        assert_eq!(
            v,
            json!({"support": "not-implemented", "answer": "400 InvalidAction"})
        );
        assert_eq!(serde_json::from_value::<Support>(v).ok(), Some(s));
    }
}
