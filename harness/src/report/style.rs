//! What the Markdown and HTML reports share: a symbol per status, escaping, compact JSON values.

use serde_json::Value as Json;

/// A symbol for a status word; statuses added later get a neutral dot.
pub(crate) fn symbol(status: &str) -> &'static str {
    match status {
        "pass" => "✅",
        "drift" => "❌",
        "contract" => "⚠️",
        "new" => "🆕",
        "fault" => "💥",
        "error" => "🛑",
        "skipped" => "⏭️",
        "unsupported" => "🚫",
        _ => "•",
    }
}

/// Statuses in reading order (pass first, skipped last); statuses added later come after these.
const ORDER: &[&str] = &[
    "pass",
    "drift",
    "contract",
    "unsupported",
    "new",
    "fault",
    "error",
    "skipped",
];

/// `(status, count)` pairs in reading order.
pub(crate) fn ordered<'a>(counts: impl Iterator<Item = (&'a str, usize)>) -> Vec<(&'a str, usize)> {
    let mut v: Vec<_> = counts.collect();
    v.sort_by_key(|(s, _)| (ORDER.iter().position(|o| o == s).unwrap_or(ORDER.len()), *s));
    v
}

/// A value for a table cell: compact JSON, cut after `max` characters; `(absent)` for none.
pub(crate) fn value_text(v: Option<&Json>, max: usize) -> String {
    let Some(v) = v else {
        return "(absent)".to_owned();
    };
    cut(&v.to_string(), max)
}

/// `text`, cut to `max` characters with an ellipsis and the full length.
pub(crate) fn cut(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{head}… ({n} chars)")
}

/// Text safe inside HTML elements and attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text safe inside a Markdown table cell: pipes escaped, line breaks as `<br>`, tags neutralised.
pub(crate) fn md_cell(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('\n', "<br>")
}

/// Inline code for a Markdown table cell (backticks inside are replaced by a look-alike).
pub(crate) fn md_code(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!(
        "`{}`",
        text.replace('`', "ˋ")
            .replace('|', "\\|")
            .replace('\n', " ")
    )
}

/// A CSS class name for a status: `st-<status>` from its letters only.
pub(crate) fn status_class(status: &str) -> String {
    let clean: String = status
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    format!("st-{clean}")
}

/// An id for an HTML anchor from a scenario (and target) name.
pub(crate) fn anchor(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| {
            p.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("--")
}

/// `text` as a Markdown fenced block: tildes, one more than the longest run of them in the text.
pub(crate) fn md_block(text: &str) -> String {
    let longest = text.split(|c| c != '~').map(str::len).max().unwrap_or(0);
    let fence = "~".repeat(longest.max(2) + 1);
    format!("{fence}text\n{}\n{fence}\n", text.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escaping_neutralises_markup_and_table_syntax() {
        assert_eq!(
            html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(md_cell("a|b\nc <x> \""), "a\\|b<br>c &lt;x&gt; \"");
        assert_eq!(md_code("x`y|z"), "`xˋy\\|z`");
        assert_eq!(md_code(""), "");
    }

    #[test]
    fn long_values_are_cut_with_their_length() {
        assert_eq!(value_text(None, 10), "(absent)");
        assert_eq!(value_text(Some(&json!([1])), 10), "[1]");
        assert_eq!(cut("abcdefghij", 5), "abcd… (10 chars)");
    }

    #[test]
    fn classes_and_anchors_keep_only_safe_characters() {
        assert_eq!(status_class("pass"), "st-pass");
        assert_eq!(status_class("a b\"<"), "st-ab");
        assert_eq!(anchor(&["sms x", "moto"]), "sms-x--moto");
        assert_eq!(symbol("unheard-of"), "•");
        let o = ordered([("skipped", 1), ("zzz", 2), ("drift", 3), ("pass", 4)].into_iter());
        assert_eq!(
            o,
            vec![("pass", 4), ("drift", 3), ("skipped", 1), ("zzz", 2)]
        );
    }
}
