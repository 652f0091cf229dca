//! Fixtures resolved into the concrete calls a scenario makes.
