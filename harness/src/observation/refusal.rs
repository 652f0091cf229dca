//! Recognising an emulator's "I do not implement this" answer, so that a scenario needing a missing
//! operation or feature ends as unsupported instead of as a target fault or as drift.

use crate::observation::Observation;

/// What the emulator said it does not support, when `obs` is such a refusal:
/// - cognito-local answers 500 `CognitoLocal#Unsupported`, "Cognito Local unsupported feature: …",
///   for an operation it lacks and for features of operations it has (e.g. `AuthFlow`s);
/// - ministack answers 400 `InvalidAction`, "Unknown Cognito IDP action: …", for an operation it lacks.
pub fn refusal(obs: &Observation) -> Option<String> {
    let message = obs.message.as_deref()?;
    let error = obs.error.as_deref()?;
    let cognito_local =
        error == "Unsupported" && message.starts_with("Cognito Local unsupported feature");
    let ministack = error == "InvalidAction" && message.starts_with("Unknown Cognito");
    (cognito_local || ministack).then(|| message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(status: u16, error: &str, message: &str) -> Observation {
        Observation {
            status,
            error: Some(error.to_owned()),
            message: Some(message.to_owned()),
            body: serde_json::Value::Null,
            headers: Default::default(),
            wire: Default::default(),
        }
    }

    #[test]
    fn cognito_local_unsupported_operation() {
        let m =
            "Cognito Local unsupported feature: Unsupported x-amz-target header \"GlobalSignOut\"";
        assert_eq!(refusal(&obs(500, "Unsupported", m)).as_deref(), Some(m));
    }

    #[test]
    fn ministack_unknown_action() {
        let m = "Unknown Cognito IDP action: GetLogDeliveryConfiguration";
        assert_eq!(refusal(&obs(400, "InvalidAction", m)).as_deref(), Some(m));
    }

    #[test]
    fn ordinary_errors_and_successes_are_not_refusals() {
        assert_eq!(
            refusal(&obs(400, "NotAuthorizedException", "Invalid Access Token")),
            None
        );
        assert_eq!(refusal(&obs(400, "InvalidAction", "Bad input")), None);
        let mut ok = obs(200, "", "");
        ok.error = None;
        ok.message = None;
        assert_eq!(refusal(&ok), None);
    }
}
