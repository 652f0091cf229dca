//! Rendering of every file error: title, `--> file:line:col`, gutter, caret, help.
