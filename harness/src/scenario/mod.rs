//! Scenario files: YAML with spans, validated against the service model.

pub mod ast;
