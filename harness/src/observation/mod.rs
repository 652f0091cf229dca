//! Observations of each step and their normalisation for snapshots.

mod fold;
mod jwt;
mod normaliser;
mod observed;
mod pieces;
mod shape;
mod volatile;

pub use fold::{fold_content_type, fold_error_forms, is_wire_detail, WIRE};
pub use jwt::{decode_jwt, looks_like_jwt};
pub use normaliser::Normaliser;
pub use observed::Observation;
