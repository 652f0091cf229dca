//! Why the guard refused a request, one kind per rule. The exchange layer takes a refusal as text
//! ([`RequestGuard::admit`](crate::exchange::RequestGuard::admit)), so the messages are its words.

/// A request the ownership rules do not let through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Refusal {
    #[error("a sweep never creates user pools")]
    SweepCreates,
    #[error("on a real account, user pools must be named `{prefix}…` (got `{name}`)")]
    PoolName { prefix: String, name: String },
    #[error("UserPoolTags is not an object")]
    TagsNotAnObject,
    #[error("user pool `{0}` was not created by this run")]
    ForeignPool(String),
    #[error("app client `{0}` was not created by this run")]
    ForeignClient(String),
    #[error("resource `{0}` is not a pool of this run")]
    ForeignResource(String),
    #[error("the cognito-drift tags of a pool may not be changed")]
    OurTags,
    #[error("more than one X-Amz-Target header")]
    TwoTargets,
    #[error("a body that is not a JSON object may not name a resource")]
    UnreadableNamesResource,
    #[error("resource key `{0}` in an unusual case")]
    UnusualCase(String),
}
