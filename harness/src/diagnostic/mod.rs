//! Rendering of every file error: title, `--> file:line:col`, gutter, caret, help.

mod lines;
mod message;
mod render;
mod suggest;
mod token;

pub use lines::{source_line, source_lines, Position};
pub use message::{Diagnostic, Severity};
pub use render::{render, render_all};
pub use suggest::did_you_mean;
