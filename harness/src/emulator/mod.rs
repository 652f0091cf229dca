//! Targets the harness manages itself: install, start, ready, reset, stop.

mod cache;
mod cognito_local;
mod error;
mod install;
mod kind;
mod launch;
mod lock;
mod managed;
mod ministack;
mod moto;
mod process;
mod ready;
mod sys;
mod venv;

pub use cache::default_cache_dir;
pub use error::TargetError;
pub use kind::{
    TargetKind, UnknownTarget, COGNITO_LOCAL_VERSION, DEFAULT_MOTO_VERSION, MINISTACK_VERSION,
};
pub use lock::lock_digest;
pub use managed::{ManagedOptions, ManagedTarget};
pub use ready::wait_ready;
