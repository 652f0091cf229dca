//! The AWS JSON 1.1 wire: request building, SigV4 signing, sending, and error parsing.

pub mod client;
pub mod error;
pub mod layer;
pub mod pace;
mod plain;
pub mod retry;
pub mod sign;
pub mod smithy;
pub mod wire;

pub use client::{Client, Endpoint};
pub use error::ExchangeError;
pub use layer::{operation_of, Layer, RequestGuard};
pub use pace::Pacer;
pub use retry::{RetryCounts, RetryPolicy, RetryStats};
pub use sign::{sign, SignError};
pub use smithy::{interpret, Interpreted};
pub use wire::{WireRequest, WireResponse};
