//! The properties the cargo-fuzz targets in `fuzz/` assert, kept here so unit tests run them too.
//! Each returns `Err` with what broke; a fuzz target panics on it.

mod conform;
mod diff;
mod error;
mod json;
mod normalize;
mod scenario;

pub use conform::{build as build_conforming, check_validate_output, ConformInput};
pub use diff::{check_diff, DiffInput};
pub use error::{check_error_bytes, check_error_round_trip, ErrorBytes, ErrorCase};
pub use json::ArbJson;
pub use normalize::{check_normalize, NormalizeInput};
pub use scenario::{check_scenario_load, ScenarioDoc};

/// Inputs longer than this are cut: the properties are about structure, not size.
pub const MAX_INPUT: usize = 64 * 1024;
