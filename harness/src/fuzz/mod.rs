//! Fuzzing: model-driven payload generation, oracles, outcome classes, shrinking and found scenarios
//! for live targets, and the pure properties the cargo-fuzz targets in `fuzz/` assert.

mod doc;
pub(crate) mod draw;
mod fixture;
mod found;
mod generate;
#[cfg(test)]
mod instrument_tests;
mod live;
mod mutate;
mod oracle;
mod outcome;
pub mod props;
mod record;
mod shrink;
mod source;
mod summary;
mod tree;

pub use doc::{Body, Doc, Payload, Var};
pub use fixture::{signed, Fixture, FixtureError};
pub use found::{
    body_template, kebab, scenario_name, scenario_yaml, yaml_quoted, FoundInfo, FIXTURE_YAML,
};
pub use generate::{Generator, MutationKind, UnknownOperation};
pub use live::{fuzz, probe, Budget, ClassStats, Found, LiveOptions, Progress, Side, Summary};
pub use oracle::{check, compare, Failure, Judged, Violation, PROTOCOL_ERRORS};
pub use outcome::{mask, OutcomeClass, OutcomeKind};
pub use record::{write_found, FoundOptions, Written};
pub use shrink::{shrink, Shrinker};
pub use source::{iteration_bytes, BYTES_PER_ITERATION};
pub use summary::write_summary;
