//! The conformance matrix: every scenario on every target in one pass, and what differs between them.

mod compare;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
mod model;

pub use compare::{Between, BetweenDiff, KnownDoc};
pub use model::{
    Baseline, Cell, Conformance, Matrix, Reference, Row, TargetInfo, TargetRun, MATRIX_SCHEMA,
};

#[cfg(test)]
mod tests;
