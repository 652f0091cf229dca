//! Reports, one module per format, each writing to any `io::Write`. Every file position is rendered by
//! the one diagnostic renderer, so the terminal and JUnit show the same text.

mod details;
pub mod junit;
pub mod terminal;

pub use details::details;
