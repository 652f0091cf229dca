//! The one text layout for file errors, in the style of rustc and hurl.

use std::fmt::Write as _;

use super::message::{Diagnostic, Severity};
use super::token::token_len;

const TAB_WIDTH: usize = 4;

/// ANSI styles; all empty when colour is off so the layout code is the same either way.
struct Palette {
    error: &'static str,
    warning: &'static str,
    note: &'static str,
    title: &'static str,
    gutter: &'static str,
    caret: &'static str,
    emphasis: &'static str,
    reset: &'static str,
}

impl Palette {
    fn new(color: bool) -> Self {
        if color {
            Palette {
                error: "\x1b[1;31m",
                warning: "\x1b[1;33m",
                note: "\x1b[1;36m",
                title: "\x1b[1m",
                gutter: "\x1b[1;34m",
                caret: "\x1b[1;31m",
                emphasis: "\x1b[1m",
                reset: "\x1b[0m",
            }
        } else {
            Palette {
                error: "",
                warning: "",
                note: "",
                title: "",
                gutter: "",
                caret: "",
                emphasis: "",
                reset: "",
            }
        }
    }
}

/// Renders a diagnostic against the text of its file; ends with a newline.
///
/// Never panics: unknown spans, lines past the end, columns past the line end, tabs and
/// multi-byte characters all render (columns count characters).
pub fn render(d: &Diagnostic, source: &str, color: bool) -> String {
    let p = Palette::new(color);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{}{}{}: {}{}",
        match d.severity {
            Severity::Error => p.error,
            Severity::Warning => p.warning,
            Severity::Note => p.note,
        },
        d.severity.as_str(),
        p.reset,
        p.title,
        d.title,
        p.reset
    );

    let line_text = d
        .span
        .is_known()
        .then(|| super::source_line(source, d.span.line))
        .flatten();
    let width = if d.span.is_known() {
        digits(d.span.line)
    } else {
        1
    };
    let pad = " ".repeat(width);
    let path = d.path.display();
    if d.span.is_known() {
        let _ = writeln!(out, "{pad}{}-->{} {path}:{}", p.gutter, p.reset, d.span);
    } else {
        let _ = writeln!(out, "{pad}{}-->{} {path}", p.gutter, p.reset);
    }

    let bar = format!("{}|{}", p.gutter, p.reset);
    let has_footer = d.help.is_some() || !d.notes.is_empty();
    match line_text {
        Some(text) => {
            let chars: Vec<char> = text.chars().collect();
            let start = (d.span.column.max(1) as usize - 1).min(chars.len());
            let shown = display(&chars);
            let before = display_width(&chars[..start]);
            let carets = display_width(&chars[start..start + token_len(&chars, start)]).max(1);

            let _ = writeln!(out, "{pad} {bar}");
            let number = format!("{:>width$}", d.span.line);
            if shown.is_empty() {
                let _ = writeln!(out, "{}{number}{} {bar}", p.gutter, p.reset);
            } else {
                let _ = writeln!(out, "{}{number}{} {bar} {shown}", p.gutter, p.reset);
            }
            let indent = " ".repeat(before);
            let mut label_lines = d.label.lines();
            let first = label_lines.next().unwrap_or("");
            let sep = if first.is_empty() { "" } else { " " };
            let _ = writeln!(
                out,
                "{pad} {bar} {indent}{}{}{sep}{first}{}",
                p.caret,
                "^".repeat(carets),
                p.reset
            );
            let hang = " ".repeat(before + carets + 1);
            for line in label_lines {
                let _ = writeln!(out, "{pad} {bar} {hang}{}{line}{}", p.caret, p.reset);
            }
            if has_footer {
                let _ = writeln!(out, "{pad} {bar}");
            }
        }
        None if !d.label.is_empty() => footer(&mut out, &pad, &p, None, &d.label),
        None => {}
    }
    if let Some(help) = &d.help {
        footer(&mut out, &pad, &p, Some("help"), help);
    }
    for note in &d.notes {
        footer(&mut out, &pad, &p, Some("note"), note);
    }
    out
}

/// Renders several diagnostics for the same file, separated by blank lines.
pub fn render_all(diagnostics: &[Diagnostic], source: &str, color: bool) -> String {
    diagnostics
        .iter()
        .map(|d| render(d, source, color))
        .collect::<Vec<_>>()
        .join("\n")
}

fn footer(out: &mut String, pad: &str, p: &Palette, kind: Option<&str>, text: &str) {
    let head = match kind {
        Some(kind) => format!("{}{kind}{}: ", p.emphasis, p.reset),
        None => String::new(),
    };
    let hang = " ".repeat(pad.len() + 3 + kind.map_or(0, |k| k.len() + 2));
    for (i, line) in text.lines().enumerate() {
        if i == 0 {
            let _ = writeln!(out, "{pad} {}={} {head}{line}", p.gutter, p.reset);
        } else {
            let _ = writeln!(out, "{hang}{line}");
        }
    }
}

fn digits(n: u32) -> usize {
    n.to_string().len()
}

fn char_width(c: char) -> usize {
    if c == '\t' {
        TAB_WIDTH
    } else {
        1
    }
}

fn display_width(chars: &[char]) -> usize {
    chars.iter().map(|&c| char_width(c)).sum()
}

/// The line as shown in the gutter: tabs expanded, control characters made visible.
fn display(chars: &[char]) -> String {
    let mut shown = String::with_capacity(chars.len());
    for &c in chars {
        match c {
            '\t' => shown.push_str(&" ".repeat(TAB_WIDTH)),
            c if c.is_control() => shown.push('\u{fffd}'),
            c => shown.push(c),
        }
    }
    shown.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::span::Span;

    const SOURCE: &str = "name: totp\nsteps:\n  - name: prefer totp\n    call: SetUserMFAPreference\n    input:\n      AccesToken: ${alice.access_token}\n";

    fn unknown_member() -> Diagnostic {
        Diagnostic::new(
            "unknown member `AccesToken` in SetUserMFAPreference input",
            Path::new("scenarios/foo.yaml"),
            Span::new(6, 7),
            "not a member of SetUserMFAPreferenceRequest",
        )
        .with_suggestion(Some("AccessToken"))
    }

    #[test]
    fn severity_picks_the_headline_word() {
        let src = "steps:\n  - name: x\n";
        let d = Diagnostic::new(
            "known divergence",
            Path::new("a.yaml"),
            Span::new(2, 11),
            "l",
        );
        assert!(render(&d, src, false).starts_with("error: known divergence"));
        let note = d.clone().with_severity(Severity::Note);
        assert!(render(&note, src, false).starts_with("note: known divergence"));
        let warn = d.with_severity(Severity::Warning);
        assert!(render(&warn, src, true).contains("\x1b[1;33mwarning\x1b[0m"));
    }

    #[test]
    fn unknown_member_with_help() {
        insta::assert_snapshot!(render(&unknown_member(), SOURCE, false));
    }

    #[test]
    fn wide_gutter_and_notes_without_help() {
        let source = format!("{}key: value\n", "\n".repeat(11));
        let d = Diagnostic::new("bad value", Path::new("f.yaml"), Span::new(12, 6), "here")
            .with_note("first note")
            .with_note("second note\nspans two lines");
        insta::assert_snapshot!(render(&d, &source, false));
    }

    #[test]
    fn unknown_span_has_no_gutter() {
        let d = Diagnostic::new(
            "cannot read file",
            Path::new("missing.yaml"),
            Span::UNKNOWN,
            "no such file",
        );
        insta::assert_snapshot!(render(&d, "", false));
    }

    #[test]
    fn line_past_the_end_of_the_file() {
        let d = Diagnostic::new(
            "unexpected end of input",
            Path::new("f.yaml"),
            Span::new(9, 1),
            "file ends here",
        );
        insta::assert_snapshot!(render(&d, "a: 1\n", false));
    }

    #[test]
    fn tabs_and_multibyte_characters_keep_the_caret_aligned() {
        let source = "\tname: \"h\u{e9}llo w\u{f6}rld\" # \u{1f600}\n";
        let d = Diagnostic::new(
            "bad name",
            Path::new("f.yaml"),
            Span::new(1, 8),
            "expected [a-z0-9-]+",
        );
        insta::assert_snapshot!(render(&d, source, false));
        let after_emoji = Diagnostic::new("x", Path::new("f.yaml"), Span::new(1, 2), "y");
        let line = render(&after_emoji, "\u{1f600}\u{1f600}abc", false);
        assert!(
            line.contains("1 | \u{1f600}\u{1f600}abc\n  |  ^^^^ y"),
            "{line}"
        );
    }

    #[test]
    fn column_past_the_end_of_the_line_points_just_after_it() {
        let d = Diagnostic::new(
            "missing value",
            Path::new("f.yaml"),
            Span::new(1, 80),
            "expected a value",
        );
        let out = render(&d, "key:", false);
        assert!(
            out.contains("1 | key:\n  |     ^ expected a value"),
            "{out}"
        );
    }

    #[test]
    fn multi_line_label_hangs_under_the_first_line() {
        let d = Diagnostic::new(
            "expectation failed",
            Path::new("s.yaml"),
            Span::new(2, 11),
            "actual: string <OFF>\nexpected: string <ON>",
        );
        insta::assert_snapshot!(render(&d, "steps:\n  status: ON\n", false));
    }

    #[test]
    fn color_wraps_the_parts_in_ansi_codes() {
        let out = render(&unknown_member(), SOURCE, true);
        assert!(
            out.starts_with("\x1b[1;31merror\x1b[0m\x1b[1m: unknown member"),
            "{out:?}"
        );
        assert!(out.contains("\x1b[1;31m^^^^^^^^^^ not a member"), "{out:?}");
        assert!(out.contains("\x1b[1mhelp\x1b[0m: did you mean"), "{out:?}");
        let plain = render(&unknown_member(), SOURCE, false);
        assert!(!plain.contains('\x1b'));
    }

    #[test]
    fn control_characters_are_not_echoed() {
        let d = Diagnostic::new("x", Path::new("f"), Span::new(1, 1), "y");
        assert!(!render(&d, "a\x1b[2Jb", false).contains('\x1b'));
    }

    #[test]
    fn render_all_separates_with_blank_lines() {
        let d = unknown_member();
        let both = render_all(&[d.clone(), d.clone()], SOURCE, false);
        assert_eq!(
            both,
            format!(
                "{}\n{}",
                render(&d, SOURCE, false),
                render(&d, SOURCE, false)
            )
        );
    }
}
