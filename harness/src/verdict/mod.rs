//! Verdicts: snapshot comparison, contract expectations.

pub mod diff;
