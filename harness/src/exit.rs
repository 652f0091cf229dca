//! Named process exit codes, documented in the README.

/// Every scenario passed (matches its snapshot and its contract).
pub const OK: i32 = 0;
/// At least one scenario drifted from its snapshot or violated a binding contract expectation.
pub const DRIFT: i32 = 1;
/// Bad command line or a scenario file that does not load.
pub const USAGE: i32 = 2;
/// The target misbehaved: unreachable, timed out, or answered outside the protocol (HTML, non-JSON).
pub const TARGET_FAULT: i32 = 3;
/// Stopped by Ctrl-C (the managed target is stopped first).
pub const INTERRUPTED: i32 = 130;
