//! A string cut into raw text and placeholders, so each rule rewrites only text that no rule has claimed yet.
//!
//! Keeping placeholders out of reach is what makes normalisation idempotent: `<access-token:alice>` is never
//! rewritten to `<access-token:<username:1>>`.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use memchr::memmem::Finder;
use regex::Regex;

/// The form of every placeholder the normaliser writes: `<kind>`, `<kind:detail>`, and either with a
/// shape class after a `~` (`<totp-secret:alice~base32-upper/32>`, `<session~base64/long>`). No space:
/// a placeholder stands for one word, so message patterns such as `User pool \S+ does not exist` match.
///
/// [`placeholder_runs`] finds its matches without a regex; this one is its definition, and the
/// tests check the two agree.
#[cfg(test)]
static PLACEHOLDER: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"<[a-z][a-z0-9-]*(?::[A-Za-z0-9_.@+:-]+)?(?:~[a-z0-9][a-z0-9_/.+-]*)?>")
        .expect("valid regex")
});

/// The placeholder-shaped runs of `s` as byte ranges, left to right: the matches of
/// `<[a-z][a-z0-9-]*(?::[A-Za-z0-9_.@+:-]+)?(?:~[a-z0-9][a-z0-9_/.+-]*)?>`.
///
/// Hand-written because no part of that pattern can end where the next one could start (a kind
/// never holds `:`, `~` or `>`; a detail never holds `~` or `>`; a shape never holds `>`), so
/// taking each part greedily is the only way to match, and a run can only start at a `<`. The
/// regex found every run with a searcher built for general patterns, on every string of every
/// observation (a tenth of the `normalize` fuzz target's time).
pub(crate) fn placeholder_runs(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = s.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(at) = memchr::memchr(b'<', &bytes[from..]).map(|i| from + i) {
            from = at + 1;
            if let Some(end) = run_at(bytes, at) {
                from = end;
                return Some((at, end));
            }
        }
        from = bytes.len();
        None
    })
}

/// The end of the placeholder-shaped run that starts with the `<` at `at`, if one does.
fn run_at(bytes: &[u8], at: usize) -> Option<usize> {
    let kind = |b: u8| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-');
    let detail = |b: u8| b.is_ascii_alphanumeric() || b"_.@+:-".contains(&b);
    let shape = |b: u8| matches!(b, b'a'..=b'z' | b'0'..=b'9') || b"_/.+-".contains(&b);
    let mut i = at + 1;
    if !bytes.get(i).is_some_and(u8::is_ascii_lowercase) {
        return None;
    }
    i += 1;
    skip_while(bytes, &mut i, kind);
    if bytes.get(i) == Some(&b':') {
        i += 1;
        if !skip_while(bytes, &mut i, detail) {
            return None;
        }
    }
    if bytes.get(i) == Some(&b'~') {
        i += 1;
        if !bytes
            .get(i)
            .is_some_and(|&b| matches!(b, b'a'..=b'z' | b'0'..=b'9'))
        {
            return None;
        }
        i += 1;
        skip_while(bytes, &mut i, shape);
    }
    (bytes.get(i) == Some(&b'>')).then_some(i + 1)
}

/// Moves `i` past the bytes that fit; whether it moved.
fn skip_while(bytes: &[u8], i: &mut usize, fits: impl Fn(u8) -> bool) -> bool {
    let start = *i;
    while bytes.get(*i).copied().is_some_and(&fits) {
        *i += 1;
    }
    *i > start
}

/// What separates a placeholder's shape class from its kind and detail.
pub(crate) const SHAPE_MARK: char = '~';

/// `label`'s placeholder with a shape class: `<kind:detail~shape>`, or `<kind:detail>` when the shape
/// only repeats the kind (`<uuid:1>` for a lower-case UUID).
pub(crate) fn shaped(label: &str, shape: &str) -> String {
    let mut out = placeholder(label);
    let kind = out[1..out.len() - 1].split(':').next().unwrap_or_default();
    let fits = |c: char| matches!(c, 'a'..='z' | '0'..='9' | '_' | '/' | '.' | '+' | '-');
    let starts_alnum = shape.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit());
    // The shape with every other character as `-`, compared with the kind without building it.
    let repeats_kind = shape.chars().count() == kind.len()
        && shape
            .chars()
            .zip(kind.bytes())
            .all(|(c, k)| (if fits(c) { c } else { '-' }) == char::from(k));
    if shape.is_empty() || repeats_kind || !starts_alnum {
        return out;
    }
    out.pop();
    out.push(SHAPE_MARK);
    out.extend(shape.chars().map(|c| if fits(c) { c } else { '-' }));
    out.push('>');
    out
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
    let mut out = String::with_capacity(label.len() + 8);
    out.push('<');
    if !kind.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.push_str("value-");
    }
    out.extend(kind.chars().map(|c| match c.to_ascii_lowercase() {
        c @ ('a'..='z' | '0'..='9' | '-') => c,
        _ => '-',
    }));
    if !detail.is_empty() {
        out.push(':');
        out.extend(detail.chars().map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '_' | '.' | '@' | '+' | ':' | '-' => c,
            _ => '_',
        }));
    }
    out.push('>');
    out
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

/// A part of the string being normalised: raw text is always a slice of the input, so cutting it
/// costs no copy; a placeholder is either one the input held (protected) or one a rule wrote.
#[derive(Debug, Clone, PartialEq)]
enum Piece<'a> {
    Raw(&'a str),
    Placed(Cow<'a, str>),
}

/// Raw text interleaved with placeholders.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pieces<'a> {
    parts: Vec<Piece<'a>>,
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

impl<'a> Pieces<'a> {
    /// Cuts `s` at every placeholder-shaped run that `protect` accepts.
    pub(crate) fn split(s: &'a str, protect: impl Fn(&str) -> bool) -> Self {
        let mut parts = Vec::with_capacity(1);
        let mut rest = 0;
        for (start, end) in placeholder_runs(s).filter(|&(start, end)| protect(&s[start..end])) {
            if start > rest {
                parts.push(Piece::Raw(&s[rest..start]));
            }
            parts.push(Piece::Placed(Cow::Borrowed(&s[start..end])));
            rest = end;
        }
        if rest < s.len() {
            parts.push(Piece::Raw(&s[rest..]));
        }
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
                Piece::Raw(s) => s,
                Piece::Placed(s) => s.as_ref(),
            })
            .collect()
    }

    /// Cuts each raw piece at the non-overlapping, ascending spans `find` returns. Pieces without a
    /// span stay where they are: most rules find nothing in most strings, and rebuilding the list for
    /// each of them was a good part of the normaliser's cost.
    fn rewrite(&mut self, mut find: impl FnMut(&str) -> Vec<(usize, usize, String)>) {
        let mut i = 0;
        while i < self.parts.len() {
            let raw = match self.parts[i] {
                Piece::Raw(raw) => raw,
                Piece::Placed(_) => {
                    i += 1;
                    continue;
                }
            };
            let spans = find(raw);
            if spans.is_empty() {
                i += 1;
                continue;
            }
            let mut cut = Vec::with_capacity(2 * spans.len() + 1);
            let mut rest = 0;
            for (start, end, placeholder) in spans {
                if start > rest {
                    cut.push(Piece::Raw(&raw[rest..start]));
                }
                cut.push(Piece::Placed(Cow::Owned(placeholder)));
                rest = end;
            }
            if rest < raw.len() {
                cut.push(Piece::Raw(&raw[rest..]));
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

    /// The scanner finds exactly the regex's matches, on strings dense in the characters that
    /// matter (every part's alphabet, the marks between parts, and characters none allows).
    #[test]
    fn placeholder_runs_are_the_regex_matches() {
        const ALPHABET: &[u8] = b"<<<>>>::~~aazz09--AZ_/.@+ x\xc3\xa9";
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let fixed = [
            "<a>",
            "<a:b~c>",
            "<a~>",
            "<a:>",
            "<a~b:c>",
            "<<a>>",
            "<a:b:c~d/e.f+g-h_i>",
            "x<A>y<b-1:Z@x.y~0>",
            "<totp-secret:alice~base32-upper/32>",
        ];
        let generated = (0..20_000).map(|_| {
            let len = usize::try_from(next() % 24).unwrap_or(0);
            let bytes: Vec<u8> = (0..len)
                .map(|_| ALPHABET[usize::try_from(next()).unwrap_or(0) % ALPHABET.len()])
                .collect();
            String::from_utf8_lossy(&bytes).into_owned()
        });
        for s in fixed.iter().map(|s| (*s).to_owned()).chain(generated) {
            let by_regex: Vec<(usize, usize)> = PLACEHOLDER
                .find_iter(&s)
                .map(|m| (m.start(), m.end()))
                .collect();
            let by_scan: Vec<(usize, usize)> = placeholder_runs(&s).collect();
            assert_eq!(by_scan, by_regex, "{s:?}");
        }
    }

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
