//! Rendering of every file error: title, `--> file:line:col`, gutter, caret, help.

mod message;
mod render;
mod suggest;
mod token;

pub use message::Diagnostic;
pub use render::{render, render_all};
pub use suggest::did_you_mean;
