//! `docs/coverage.md`, generated (pure rendering, no network) from the scenarios, the recorded
//! snapshots of every target, the divergence ledgers and `docs/unreachable.yaml`: which request values
//! the scenarios send, which documented exception each target was seen to answer, and why the others
//! are not reached.

mod inputs;
mod params;
mod render;
mod unreachable;

pub use inputs::read;
pub use render::{render, Coverage, CoverageInput};
pub use unreachable::{parse as parse_unreachable, Unreachable, UnreachableError};

#[cfg(test)]
mod tests;
