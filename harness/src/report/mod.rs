//! Reports, one module per format, each writing to any `io::Write`. Every file position is rendered by
//! the one diagnostic renderer, so the terminal and JUnit show the same text. Markdown, JSON and HTML
//! render [`document::RunDocument`], the run as plain data; `matrix` holds the conformance matrix across
//! targets and `coverage` the generated coverage page.

pub mod coverage;
mod details;
pub mod document;
pub mod html;
mod html_page;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod matrix;
mod style;
pub mod terminal;

#[cfg(test)]
pub(crate) mod fixture;

pub use details::details;

#[cfg(test)]
mod tests;
