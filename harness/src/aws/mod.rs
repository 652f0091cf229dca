//! The real-AWS target: credentials, the account guard, the ownership guard on every request, quota
//! pacing, and the sweep of leftover user pools.

pub mod account;
pub mod config;
pub mod connect;
pub mod credentials;
pub mod ownership;
pub mod profile;
pub mod quotas;
pub mod sweep;
pub mod tags;

pub use account::{caller_identity, check_allowed, AccountError, CallerIdentity};
pub use config::{Allowlist, AwsSettings, ConfigError};
pub use connect::{connect, service_url, AwsOptions, AwsSession, ConnectError};
pub use credentials::{AwsEnv, CredentialsError};
pub use ownership::Ownership;
pub use quotas::Rates;
pub use sweep::{parse_age, sweep, AgeError, SweepError, SweepReport, Swept};
pub use tags::{judge, PoolFacts, Selection, Verdict, CREATED_AT_TAG, NAME_PREFIX, RUN_ID_TAG};
