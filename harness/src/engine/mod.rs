//! The engine: the one way every command (run, record, matrix, fuzz record, explore) and the tests
//! turn scenarios and a target into verdicts. It drives the layers in their order — [`crate::run`]
//! executes and records observations, [`crate::verdict`] judges them — and no layer calls back up.

mod config;
mod confirm;
mod instances;
mod load;
mod suite;

pub use config::{run_id, today, RunConfig};
pub use confirm::run_confirmed;
pub use load::{applies_to, load_all};
pub use suite::run_all;
