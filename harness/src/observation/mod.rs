//! Observations of each step and their normalisation for snapshots.

mod jwt;
mod normaliser;
mod observed;
mod pieces;
mod volatile;

pub use jwt::{decode_jwt, looks_like_jwt};
pub use normaliser::Normaliser;
pub use observed::Observation;
