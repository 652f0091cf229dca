//! Which operations of the service model a target implements: each operation is called once with a
//! model-valid input built on a live fixture (pool, client, signed-in user), and its answer is
//! classified. `cognito-drift support` writes the table; users pick an emulator with it.

mod classify;
mod probe;
mod table;

pub use classify::{classify, Support};
pub use probe::{probe_target, OnProbed, ProbeOptions};
pub use table::{Column, Row, SupportTable, SCHEMA};
