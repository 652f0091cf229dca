//! The Cognito service model generated from botocore (`just model`), loaded without I/O.

pub mod conform;
mod embedded;
mod parse;
mod types;

pub use conform::{validate_answer, validate_error, validate_output, Rule, Violation};
pub use embedded::cognito;
pub use parse::{parse, ModelError};
pub use types::{Auth, Member, Model, Operation, Shape};
