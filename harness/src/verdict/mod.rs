//! Verdicts: snapshot comparison, contract expectations.
