//! Scenario files: YAML with spans, validated against the service model.

pub mod ast;
mod expect;
mod files;
mod fixtures;
mod forged;
mod input;
mod json_path;
mod keys;
pub(crate) mod load;
pub(crate) mod reader;
mod steps;
mod template;
mod value;
mod variables;
pub(crate) mod yaml;

pub use files::{discover, load_files, LoadFailure};
pub use forged::{forged_variable, parse_forged_variable, Forgery};
pub use json_path::{JsonPath, JsonPathError, PathSegment};
pub(crate) use keys::KEY_LISTS;
pub use load::{load, load_file, read_source};
pub use value::variables_in;
pub use variables::BUILTIN_VARIABLES;

#[cfg(test)]
mod extension_tests;
#[cfg(test)]
mod flow_tests;
#[cfg(test)]
mod tests;
