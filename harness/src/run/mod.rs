//! Executing scenarios against a target: fixtures, steps, captures, teardown. What comes back is an
//! execution record of normalised observations ([`crate::observation::Execution`]); judging it is the
//! verdict's work.

mod build;
mod codes;
mod execute;
mod send;
mod shard;
mod shared;
mod slot;
mod totp;

pub use codes::totp_waits;
pub(crate) use execute::register;
pub use execute::{execute, execute_in, ExecContext};
pub use shard::{Shard, ShardError};
pub use shared::SharedPools;
pub use slot::Slot;
pub use totp::{code_at, TotpClock};
