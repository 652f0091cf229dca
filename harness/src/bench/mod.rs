//! Measuring the harness's request rate: a closed-loop load generator over the normal exchange
//! [`Client`](crate::exchange::Client), the fixture it needs, and an instant-reply server that shows
//! the harness's own ceiling. Used by `cognito-drift bench` and `just bench`.

mod fixture;
mod instant;
mod load;
mod stats;

pub use fixture::{Fixture, FixtureError, OPERATIONS};
pub use instant::{serve_instant, InstantServer};
pub use load::{drive, LoadOptions};
pub use stats::{percentile, LoadResult};
