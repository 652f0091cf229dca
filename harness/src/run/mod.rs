//! Running scenarios against a target.
