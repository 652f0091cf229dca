//! Observations: a wire answer turned into an observation (or a fault), normalised for snapshots,
//! and the record of a whole scenario's execution that the verdict judges.

mod answer;
mod fold;
mod jwt;
mod normaliser;
mod observed;
mod off_protocol;
mod pieces;
mod record;
mod refusal;
mod shape;
mod volatile;

pub use answer::{observe, OffProtocol};
pub use fold::{fold_content_type, fold_error_forms, is_wire_detail, WIRE};
pub use jwt::{decode_jwt, looks_like_jwt};
pub use normaliser::Normaliser;
pub use observed::Observation;
pub use off_protocol::{pool_is_gone, text_observation};
pub use record::{Execution, Fault, FaultKind, StepRecord};
pub use refusal::refusal;
