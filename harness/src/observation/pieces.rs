//! A string cut into raw text and placeholders, so each rule rewrites only text that no rule has claimed yet.
//!
//! Keeping placeholders out of reach is what makes normalisation idempotent: `<access-token:alice>` is never
//! rewritten to `<access-token:<username:1>>`.

use std::fmt;
use std::sync::{Arc, LazyLock};

use memchr::memmem::Finder;
use regex::Regex;

/// The form of every placeholder the normaliser writes: `<kind>`, `<kind:detail>`, and either with a
/// shape class after a `~` (`<totp-secret:alice~base32-upper/32>`, `<session~base64/long>`). No space:
/// a placeholder stands for one word, so message patterns such as `User pool \S+ does not exist` match.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<[a-z][a-z0-9-]*(?::[A-Za-z0-9_.@+:-]+)?(?:~[a-z0-9][a-z0-9_/.+-]*)?>")
        .expect("valid regex")
});

/// What separates a placeholder's shape class from its kind and detail.
pub(crate) const SHAPE_MARK: char = '~';

/// `label`'s placeholder with a shape class: `<kind:detail~shape>`, or `<kind:detail>` when the shape
/// only repeats the kind (`<uuid:1>` for a lower-case UUID).
pub(crate) fn shaped(label: &str, shape: &str) -> String {
    let bare = placeholder(label);
    let kind = bare
        .trim_matches(['<', '>'])
        .split(':')
        .next()
        .unwrap_or_default();
    let shape: String = shape
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '_' | '/' | '.' | '+' | '-' => c,
            _ => '-',
        })
        .collect();
    if shape.is_empty() || shape == kind || !shape.starts_with(|c: char| c.is_ascii_alphanumeric())
    {
        return bare;
    }
    format!("{}{SHAPE_MARK}{shape}>", &bare[..bare.len() - 1])
}

/// The `:detail` part of a placeholder-shaped run (empty when it has none): the only part that can carry
/// a caller's value, since kinds and shapes are written by the normaliser in lower case.
pub(crate) fn detail(run: &str) -> &str {
    let inner = run.trim_start_matches('<').trim_end_matches('>');
    let inner = inner.split_once(SHAPE_MARK).map_or(inner, |(head, _)| head);
    inner.split_once(':').map_or("", |(_, detail)| detail)
}

/// Turns a caller's label into one that fits the placeholder shape, so its placeholder stays protected.
pub(crate) fn placeholder(label: &str) -> String {
    let (kind, detail) = label.split_once(':').unwrap_or((label, ""));
    let mut kind: String = kind
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '-') => c,
            _ => '-',
        })
        .collect();
    if !kind.starts_with(|c: char| c.is_ascii_lowercase()) {
        kind.insert_str(0, "value-");
    }
    let detail: String = detail
        .chars()
        .map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '_' | '.' | '@' | '+' | ':' | '-' => c,
            _ => '_',
        })
        .collect();
    if detail.is_empty() {
        format!("<{kind}>")
    } else {
        format!("<{kind}:{detail}>")
    }
}

/// A registered value to find in raw text, with its searcher built once when it is registered (a
/// clone shares it). `str::find` built a searcher for every search: for a token-long needle that cost
/// more than the search on the short strings of an observation.
#[derive(Clone)]
pub(crate) struct Needle {
    text: String,
    finder: Arc<Finder<'static>>,
}

impl Needle {
    pub(crate) fn new(text: &str) -> Self {
        Needle {
            text: text.to_owned(),
            finder: Arc::new(Finder::new(text.as_bytes()).into_owned()),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the needle occurs in `haystack`.
    pub(crate) fn occurs_in(&self, haystack: &str) -> bool {
        self.find_from(haystack, 0).is_some()
    }

    /// The first occurrence at or after byte `from` of `haystack` (a char boundary).
    fn find_from(&self, haystack: &str, from: usize) -> Option<usize> {
        let rest = &haystack.as_bytes()[from..];
        if rest.len() < self.text.len() {
            return None;
        }
        self.finder.find(rest).map(|at| from + at)
    }
}

impl fmt::Debug for Needle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Raw(String),
    Placed(String),
}

/// Raw text interleaved with placeholders.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pieces {
    parts: Vec<Piece>,
    /// Whether a rule has rewritten anything since the split: if not, joining gives the input back.
    rewritten: bool,
}

/// Where a literal may match inside raw text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Boundary {
    /// Anywhere, even inside a longer word (secrets must never survive).
    Anywhere,
    /// Not glued to a letter or digit, so a username `User` leaves `UserNotFoundException` alone.
    Word,
}

impl Pieces {
    /// Cuts `s` at every placeholder-shaped run that `protect` accepts.
    pub(crate) fn split(s: &str, protect: impl Fn(&str) -> bool) -> Self {
        let mut pieces = Vec::new();
        if !s.contains('<') {
            // No placeholder can start: skip the regex (most strings take this path).
            if !s.is_empty() {
                pieces.push(Piece::Raw(s.to_owned()));
            }
            return Pieces::unrewritten(pieces);
        }
        let mut rest = 0;
        for m in PLACEHOLDER.find_iter(s).filter(|m| protect(m.as_str())) {
            if m.start() > rest {
                pieces.push(Piece::Raw(s[rest..m.start()].to_string()));
            }
            pieces.push(Piece::Placed(m.as_str().to_string()));
            rest = m.end();
        }
        if rest < s.len() {
            pieces.push(Piece::Raw(s[rest..].to_string()));
        }
        Pieces::unrewritten(pieces)
    }

    fn unrewritten(parts: Vec<Piece>) -> Self {
        Pieces {
            parts,
            rewritten: false,
        }
    }

    /// Whether a rule has rewritten anything since the split (`join` gives the input back if not).
    pub(crate) fn rewritten(&self) -> bool {
        self.rewritten
    }

    /// Replaces every occurrence of `needle` in raw text by `placeholder`.
    pub(crate) fn replace_literal(
        &mut self,
        needle: &Needle,
        placeholder: &str,
        boundary: Boundary,
    ) {
        if needle.text.is_empty() {
            return;
        }
        self.rewrite(|raw| {
            let mut spans = Vec::new();
            let mut from = 0;
            while let Some(start) = needle.find_from(raw, from) {
                let end = start + needle.text.len();
                if boundary == Boundary::Anywhere || at_word_edges(raw, start, end) {
                    spans.push((start, end, placeholder.to_string()));
                    from = end;
                } else {
                    from = start + raw[start..].chars().next().map_or(1, char::len_utf8);
                }
            }
            spans
        });
    }

    /// Replaces each match of `re` in raw text for which `place` returns a placeholder. `may_match`
    /// is a cheap necessary condition for a match (a literal every match contains): raw text that fails
    /// it is not searched at all.
    pub(crate) fn replace_regex(
        &mut self,
        re: &Regex,
        may_match: impl Fn(&str) -> bool,
        mut place: impl FnMut(&str) -> Option<String>,
    ) {
        self.rewrite(|raw| {
            if !may_match(raw) {
                return Vec::new();
            }
            re.find_iter(raw)
                .filter_map(|m| place(m.as_str()).map(|p| (m.start(), m.end(), p)))
                .collect()
        });
    }

    /// Whether the whole string is one placeholder.
    pub(crate) fn is_one_placeholder(&self) -> bool {
        matches!(self.parts.as_slice(), [Piece::Placed(_)])
    }

    pub(crate) fn join(&self) -> String {
        self.parts
            .iter()
            .map(|piece| match piece {
                Piece::Raw(s) | Piece::Placed(s) => s.as_str(),
            })
            .collect()
    }

    /// Cuts each raw piece at the non-overlapping, ascending spans `find` returns. Pieces without a
    /// span stay where they are: most rules find nothing in most strings, and rebuilding the list for
    /// each of them was a good part of the normaliser's cost.
    fn rewrite(&mut self, mut find: impl FnMut(&str) -> Vec<(usize, usize, String)>) {
        let mut i = 0;
        while i < self.parts.len() {
            let (raw, spans) = match &mut self.parts[i] {
                Piece::Raw(raw) => match find(raw) {
                    spans if spans.is_empty() => {
                        i += 1;
                        continue;
                    }
                    spans => (std::mem::take(raw), spans),
                },
                Piece::Placed(_) => {
                    i += 1;
                    continue;
                }
            };
            let mut cut = Vec::with_capacity(2 * spans.len() + 1);
            let mut rest = 0;
            for (start, end, placeholder) in spans {
                if start > rest {
                    cut.push(Piece::Raw(raw[rest..start].to_string()));
                }
                cut.push(Piece::Placed(placeholder));
                rest = end;
            }
            if rest < raw.len() {
                cut.push(Piece::Raw(raw[rest..].to_string()));
            }
            let added = cut.len();
            self.parts.splice(i..=i, cut);
            self.rewritten = true;
            i += added;
        }
    }
}

fn at_word_edges(raw: &str, start: usize, end: usize) -> bool {
    let glued = |inner: Option<char>, outer: Option<char>| {
        inner.is_some_and(|c| c.is_alphanumeric()) && outer.is_some_and(|c| c.is_alphanumeric())
    };
    let (first, last) = (
        raw[start..end].chars().next(),
        raw[start..end].chars().next_back(),
    );
    !glued(first, raw[..start].chars().next_back()) && !glued(last, raw[end..].chars().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_in_the_input_are_kept_apart_from_raw_text() {
        let mut pieces = Pieces::split("x <access-token:alice> alice", |_| true);
        pieces.replace_literal(&Needle::new("alice"), "<username:1>", Boundary::Word);
        assert_eq!(pieces.join(), "x <access-token:alice> <username:1>");
    }

    #[test]
    fn unprotected_placeholder_shapes_stay_raw() {
        let mut pieces = Pieces::split("<pool:abc>", |m| !m.contains("abc"));
        pieces.replace_literal(&Needle::new("abc"), "<pool-name:1>", Boundary::Word);
        assert_eq!(pieces.join(), "<pool:<pool-name:1>>");
    }

    #[test]
    fn word_boundary_skips_glued_matches_but_finds_later_ones() {
        let mut pieces = Pieces::split("UserNotFound: User, bobby bob", |_| true);
        pieces.replace_literal(&Needle::new("User"), "<username:1>", Boundary::Word);
        pieces.replace_literal(&Needle::new("bob"), "<username:2>", Boundary::Word);
        assert_eq!(
            pieces.join(),
            "UserNotFound: <username:1>, bobby <username:2>"
        );
    }

    /// `rewritten` says whether `join` can differ from the input: only a rule that found something sets it.
    #[test]
    fn rewritten_only_once_a_rule_finds_something() {
        let input = "x <access-token:alice> alice";
        let mut pieces = Pieces::split(input, |_| true);
        assert!(!pieces.rewritten());
        pieces.replace_literal(&Needle::new("bob"), "<username:2>", Boundary::Word);
        pieces.replace_literal(&Needle::new("alic"), "<username:3>", Boundary::Word);
        assert!(!pieces.rewritten());
        assert_eq!(pieces.join(), input);
        pieces.replace_literal(&Needle::new("alice"), "<username:1>", Boundary::Word);
        assert!(pieces.rewritten());
        assert_eq!(pieces.join(), "x <access-token:alice> <username:1>");
    }

    #[test]
    fn anywhere_replaces_inside_words() {
        let mut pieces = Pieces::split("xxSECRETyy", |_| true);
        pieces.replace_literal(&Needle::new("SECRET"), "<password>", Boundary::Anywhere);
        assert_eq!(pieces.join(), "xx<password>yy");
        assert!(!pieces.is_one_placeholder());
    }

    #[test]
    fn shaped_placeholders_keep_their_parts_apart() {
        let p = shaped("totp-secret:alice", "base32-upper/32");
        assert_eq!(p, "<totp-secret:alice~base32-upper/32>");
        assert!(Pieces::split(&p, |_| true).is_one_placeholder());
        assert_eq!(detail(&p), "alice");
        assert_eq!(shaped("uuid:1", "uuid"), "<uuid:1>");
        assert_eq!(shaped("session", "base64/long"), "<session~base64/long>");
        assert_eq!(detail("<session~base64/long>"), "");
        assert_eq!(
            shaped("forged-token:a:b", "jwt-rs256"),
            "<forged-token:a:b~jwt-rs256>"
        );
        assert_eq!(detail("<forged-token:a:b~jwt-rs256>"), "a:b");
    }

    #[test]
    fn labels_are_made_to_fit_the_placeholder_shape() {
        assert_eq!(placeholder("access-token:alice"), "<access-token:alice>");
        assert_eq!(placeholder("password:bob smith"), "<password:bob_smith>");
        assert_eq!(placeholder("Session"), "<session>");
        assert_eq!(placeholder("1st"), "<value-1st>");
        assert_eq!(placeholder(""), "<value->");
        for label in ["a b:c<d>", "x:y:z", "TOTP_Secret:alice@example.com"] {
            let p = placeholder(label);
            assert!(Pieces::split(&p, |_| true).is_one_placeholder(), "{p}");
        }
    }
}
