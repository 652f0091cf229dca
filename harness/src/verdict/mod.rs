//! Verdicts: snapshot comparison, contract expectations and the divergence ledger.

pub mod contract;
pub mod diff;
pub mod ledger;
pub mod snapshot;
