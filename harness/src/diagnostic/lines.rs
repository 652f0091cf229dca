//! Lines as YAML counts them: `\r\n`, a lone `\r` and `\n` each end a line, so a span's line number
//! finds the same text in the renderer as in the parser (files with old Mac line endings included).

/// The lines of `text`, split at every YAML line break, without the breaks; like [`str::lines`], a
/// final line break does not start another line.
pub fn source_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = (!text.is_empty()).then_some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.find(['\r', '\n']) {
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
}
