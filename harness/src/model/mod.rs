//! The Cognito service model generated from botocore (`just model`), loaded without I/O.

mod embedded;
mod parse;
mod types;

pub use embedded::cognito;
pub use parse::{parse, ModelError};
pub use types::{Auth, Member, Model, Operation, Shape};
