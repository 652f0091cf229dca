//! Observations of each step and their normalisation for snapshots.

mod observed;

pub use observed::Observation;
