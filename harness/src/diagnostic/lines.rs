//! Lines as YAML counts them: `\r\n`, a lone `\r` and `\n` each end a line, so a span's line number
//! finds the same text in the renderer as in the parser (files with old Mac line endings included).

/// The lines of `text`, split at every YAML line break, without the breaks; like [`str::lines`], a
/// final line break does not start another line.
pub fn source_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = (!text.is_empty()).then_some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        // memchr's two-byte search: a `char` pattern decoded every character of every line.
        match memchr::memchr2(b'\r', b'\n', current.as_bytes()) {
            Some(i) => {
                let skip = if current[i..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                let after = &current[i + skip..];
                rest = (!after.is_empty()).then_some(after);
                Some(&current[..i])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// Line `n` (1-based) of `text`, if it has one.
pub fn source_line(text: &str, n: u32) -> Option<&str> {
    source_lines(text).nth((n as usize).checked_sub(1)?)
}

/// A line and column (1-based, columns in characters) moved forward over text one character at a
/// time, breaking lines where [`source_lines`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    after_cr: bool,
}

impl Position {
    pub fn new(line: u32, column: u32) -> Self {
        Position {
            line,
            column,
            after_cr: false,
        }
    }

    /// The position of the character after `c`.
    pub fn step(&mut self, c: char) {
        match c {
            // `\r\n` is one break, taken at the `\r`.
            '\n' if self.after_cr => {}
            '\n' | '\r' => {
                self.line = self.line.saturating_add(1);
                self.column = 1;
            }
            _ => self.column = self.column.saturating_add(1),
        }
        self.after_cr = c == '\r';
    }

    /// The position just after `text`, starting from this one.
    pub fn after(mut self, text: &str) -> Self {
        text.chars().for_each(|c| self.step(c));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_yaml_line_break_ends_a_line() {
        let lines: Vec<&str> = source_lines("a\r\nb\rc\nd").collect();
        assert_eq!(lines, ["a", "b", "c", "d"]);
        assert_eq!(source_lines("a\n").collect::<Vec<_>>(), ["a"]);
        assert_eq!(source_lines("a\n\nb\r").collect::<Vec<_>>(), ["a", "", "b"]);
        assert_eq!(source_lines("").count(), 0);
        assert_eq!(source_line("x\ry", 2), Some("y"));
        assert_eq!(source_line("x\ry", 3), None);
        assert_eq!(source_line("x", 0), None);
    }

    #[test]
    fn positions_break_lines_where_the_lines_do() {
        let at = |text: &str| {
            let p = Position::new(1, 1).after(text);
            (p.line, p.column)
        };
        assert_eq!(at(""), (1, 1));
        assert_eq!(at("ab"), (1, 3));
        assert_eq!(at("a\nb"), (2, 2));
        assert_eq!(at("a\r\nb"), (2, 2));
        assert_eq!(at("a\rb"), (2, 2));
        assert_eq!(at("a\r\rb"), (3, 2));
        assert_eq!(at("é\r"), (2, 1));
        for text in ["a\r\nb\rc\nd", "x\r", "\n\r\n\r"] {
            let p = Position::new(1, 1).after(text);
            let lines = source_lines(text).count() + usize::from(text.ends_with(['\r', '\n']));
            assert_eq!(p.line as usize, lines.max(1), "{text:?}");
        }
    }
}
