//! Output-shape conformance: whether an answer is what the model says an answer may hold.

mod check;
#[cfg(test)]
mod tests;
mod violation;
mod walk;

pub use check::{validate_answer, validate_error, validate_output, PROTOCOL_ERRORS};
pub use violation::{Rule, Violation};
pub(crate) use walk::whole_match;
