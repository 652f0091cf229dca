//! The AWS JSON 1.1 wire: request building, SigV4 signing, sending, and error parsing.

pub mod wire;
