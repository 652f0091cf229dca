//! Properties of the scenario loader: it never panics, and every diagnostic it returns points inside the
//! text it was given (or nowhere: `Span::UNKNOWN`).

use std::path::Path;
use std::sync::LazyLock;

use arbitrary::Arbitrary;

use crate::model::cognito;
use crate::scenario::KEY_LISTS;
use crate::span::Span;

/// A YAML document built from the scenario vocabulary, so structured fuzzing reaches the validator.
#[derive(Debug, Clone, Arbitrary)]
pub enum ScenarioDoc {
    Scalar(Word),
    List(Vec<ScenarioDoc>),
    Map(Vec<(Word, ScenarioDoc)>),
    /// A flow-style map on one line (`{ a: b }`).
    Flow(Vec<(Word, Word)>),
}

/// A key or scalar: mostly scenario words, sometimes anything.
#[derive(Debug, Clone, Arbitrary)]
pub enum Word {
    Known(u8),
    Any(String),
}

/// Words of the dictionary that are not scenario keys: fixture and variable names, operations and
/// members, values of every type, and YAML syntax and odd text the reader must survive.
const EXTRA_WORDS: &[&str] = &[
    "alice",
    "bob",
    "SetUserMFAPreference",
    "GetUser",
    "AccessToken",
    "SMSMfaSettings",
    "SoftwareTokenMfaSettings",
    "Enabled",
    "PreferredMfa",
    "true",
    "false",
    "null",
    "~",
    "1",
    "-1",
    "1.5",
    "0x1F",
    "yes",
    "OPTIONAL",
    "ON",
    "verified",
    "associated",
    "confirmed",
    "HIGH",
    "MED-HIGH",
    "T1",
    "400",
    "NotAuthorizedException",
    "${alice.access_token}",
    "${pool.id}",
    "${nope}",
    "${",
    "$${",
    "$.A.B[0]",
    "$.",
    "[",
    "]",
    "{",
    "}",
    "&a",
    "*a",
    "!!str",
    "|",
    ">",
    "- x",
    "# c",
    "'q'",
    "\"d\"",
    "a: b",
    "",
    " ",
    "\t",
    "😀",
    "é",
    "\u{feff}",
    "---",
    "...",
];

/// The dictionary: every scenario key, taken from the loader's own lists (once each, in their order),
/// then [`EXTRA_WORDS`].
static WORDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut words: Vec<&'static str> = Vec::new();
    for word in KEY_LISTS
        .iter()
        .flat_map(|list| list.iter())
        .chain(EXTRA_WORDS)
    {
        if !words.contains(word) {
            words.push(word);
        }
    }
    words
});

impl Word {
    fn text(&self) -> String {
        match self {
            Word::Known(i) => WORDS[usize::from(*i) % WORDS.len()].to_owned(),
            Word::Any(s) => s.clone(),
        }
    }
}

/// Block-style YAML for a generated document (deliberately not always valid YAML).
impl ScenarioDoc {
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0, 0);
        out
    }

    fn write(&self, out: &mut String, indent: usize, depth: usize) {
        let pad = " ".repeat(indent);
        match self {
            ScenarioDoc::Scalar(w) => {
                out.push_str(&pad);
                out.push_str(&w.text());
                out.push('\n');
            }
            ScenarioDoc::List(items) => {
                for item in items.iter().take(16) {
                    out.push_str(&pad);
                    out.push_str("-\n");
                    if depth < 10 {
                        item.write(out, indent + 2, depth + 1);
                    }
                }
            }
            ScenarioDoc::Map(entries) => {
                for (k, v) in entries.iter().take(16) {
                    out.push_str(&pad);
                    out.push_str(&k.text());
                    match v {
                        ScenarioDoc::Scalar(w) => {
                            out.push_str(": ");
                            out.push_str(&w.text());
                            out.push('\n');
                        }
                        ScenarioDoc::Flow(_) => {
                            out.push_str(": ");
                            v.write(out, 0, depth + 1);
                        }
                        _ => {
                            out.push_str(":\n");
                            if depth < 10 {
                                v.write(out, indent + 2, depth + 1);
                            }
                        }
                    }
                }
            }
            ScenarioDoc::Flow(entries) => {
                out.push_str(&pad);
                out.push_str("{ ");
                let parts: Vec<String> = entries
                    .iter()
                    .take(8)
                    .map(|(k, v)| format!("{}: {}", k.text(), v.text()))
                    .collect();
                out.push_str(&parts.join(", "));
                out.push_str(" }\n");
            }
        }
    }
}

/// Whether `span` is `Span::UNKNOWN` or a line and column inside `text` (the end of a line counts,
/// so does the start of the line after a final newline). Columns count characters.
#[cfg(test)]
fn span_inside(text: &str, span: Span) -> bool {
    Lines::of(text).inside(span)
}

/// The length in characters of each line of a text, counted once for all the spans checked in it.
struct Lines(Vec<usize>);

impl Lines {
    fn of(text: &str) -> Self {
        Lines(
            crate::diagnostic::source_lines(text)
                .map(|l| l.chars().count())
                .collect(),
        )
    }

    fn inside(&self, span: Span) -> bool {
        if span == Span::UNKNOWN {
            return true;
        }
        if span.line == 0 || span.column == 0 {
            return false;
        }
        match self.0.get(span.line as usize - 1) {
            Some(len) => (span.column as usize) <= len + 1,
            // The end of input: column 1 of the line after the last one.
            None => span.column == 1 && span.line as usize == self.0.len() + 1,
        }
    }
}

/// Loading never panics (the caller sees a panic as the failure), and each diagnostic's span is
/// inside the input; a successful load keeps the spans of its name and steps inside too.
pub fn check_scenario_load(text: &str) -> Result<(), String> {
    let path = Path::new("fuzz.yaml");
    let loaded = crate::scenario::load(path, text, cognito());
    let lines = Lines::of(text);
    match loaded {
        Ok(s) => {
            let spans = std::iter::once(s.name.span).chain(s.steps.iter().map(|st| st.name.span));
            for span in spans {
                if !lines.inside(span) {
                    return Err(format!("loaded scenario has span {span} outside the input"));
                }
            }
        }
        Err(diagnostics) => {
            if diagnostics.is_empty() {
                return Err("load failed without a diagnostic".into());
            }
            for d in &diagnostics {
                if !lines.inside(d.span) {
                    return Err(format!(
                        "diagnostic `{}` at {} lies outside the input ({} lines)",
                        d.title,
                        d.span,
                        lines.0.len()
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use arbitrary::Unstructured;

    use super::*;
    use crate::fuzz::source::iteration_bytes;

    #[test]
    fn old_mac_line_endings_keep_spans_inside() {
        // Found by the scenario_load fuzz target: YAML ends a line at a lone CR, and so must we.
        let text = "name: x\rsteps:\r  - nme: a\r    call: GetUser\r";
        check_scenario_load(text).unwrap();
        let err = crate::scenario::load(Path::new("cr.yaml"), text, cognito()).unwrap_err();
        assert!(err.iter().any(|d| d.span.line == 3), "{err:?}");
    }

    #[test]
    fn a_lone_cr_inside_a_quoted_scalar_ends_a_line_for_its_variables() {
        // Found by the scenario_load fuzz target (reduced): a `${` after a lone CR in a quoted
        // scalar was placed a line short, outside the input.
        check_scenario_load("steps:\n-\n    call: P\n    input: \"\r${\"").unwrap();
        let text = "name: x\nsteps:\n  - name: a\n    call: GetUser\n    input:\n      \
                    AccessToken: \"a\r ${alice.nope}\"\n";
        check_scenario_load(text).unwrap();
        let err = crate::scenario::load(Path::new("cr.yaml"), text, cognito()).unwrap_err();
        let undefined = err.iter().find(|d| d.title.contains("alice.nope")).unwrap();
        assert_eq!(undefined.span, Span::new(7, 2), "{err:?}");
    }

    #[test]
    fn spans_inside_and_outside() {
        let text = "ab\ncé\n";
        assert!(span_inside(text, Span::UNKNOWN));
        assert!(span_inside(text, Span::new(1, 3)));
        assert!(span_inside(text, Span::new(2, 3)));
        assert!(span_inside(text, Span::new(3, 1)));
        assert!(!span_inside(text, Span::new(2, 4)));
        assert!(!span_inside(text, Span::new(4, 1)));
        assert!(!span_inside(text, Span::new(1, 0)));
    }

    #[test]
    fn holds_for_the_committed_scenarios_and_broken_copies() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
        let files = crate::scenario::discover(&[root]).unwrap();
        assert!(!files.is_empty());
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            check_scenario_load(&text).unwrap();
            for cut in [text.len() / 3, text.len() / 2, text.len() - 1] {
                let mut end = cut;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                check_scenario_load(&text[..end]).unwrap();
            }
        }
    }

    #[test]
    fn every_scenario_key_is_in_the_dictionary_once() {
        for key in KEY_LISTS.iter().flat_map(|list| list.iter()) {
            assert!(
                WORDS.contains(key),
                "`{key}` is missing from the dictionary"
            );
        }
        for (i, word) in WORDS.iter().enumerate() {
            assert!(!WORDS[..i].contains(word), "`{word}` twice");
        }
        // `Word::Known(u8)` reaches every word.
        assert!(WORDS.len() <= usize::from(u8::MAX) + 1, "{}", WORDS.len());
    }

    #[test]
    fn holds_for_generated_documents() {
        for i in 0..200 {
            let bytes = iteration_bytes(2, i);
            let doc = ScenarioDoc::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
            check_scenario_load(&doc.to_yaml()).unwrap();
        }
    }
}
