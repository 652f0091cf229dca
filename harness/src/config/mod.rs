//! The project config file (`cognito-drift.yaml`): defaults for the flags a team would otherwise repeat
//! on every command. Every key is the long name of a flag; flags given on the command line (or through
//! their environment variable) win over the file, and the file wins over the built-in defaults.

mod apply;
mod file;

#[cfg(test)]
mod apply_tests;

pub use apply::{defaults, CONFIG_COMMANDS};
pub use file::{parse, ConfigFile, Entry, Value};

/// The file `run`, `record`, `matrix` and `fuzz` read from the working directory when `--config` is
/// not given.
pub const DEFAULT_FILE: &str = "cognito-drift.yaml";
