//! Targets the harness manages itself: install, start, ready, reset, stop.

mod cache;
mod error;
mod install;
mod moto;
mod process;
mod ready;
mod sys;

pub use cache::default_cache_dir;
pub use error::TargetError;
pub use moto::{ManagedMoto, MotoOptions, DEFAULT_MOTO_VERSION};
pub use ready::wait_ready;
