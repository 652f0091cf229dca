//! How many characters of a YAML line the caret should cover, starting at an error's column.

/// Length in characters of the YAML token starting at `start` in `line` (0 when `start` is past the end).
///
/// Recognises quoted scalars, `${...}` variables, flow collections, block-scalar indicators,
/// anchors/aliases/tags, and plain scalars or keys (which end at `: `, ` #`, or a flow delimiter).
pub(crate) fn token_len(line: &[char], start: usize) -> usize {
    let Some(&first) = line.get(start) else {
        return 0;
    };
    let rest = &line[start..];
    match first {
        '"' => quoted(rest, '"').unwrap_or_else(|| trimmed_len(rest)),
        '\'' => quoted(rest, '\'').unwrap_or_else(|| trimmed_len(rest)),
        '$' if rest.get(1) == Some(&'{') => match rest.iter().position(|&c| c == '}') {
            Some(end) => end + 1,
            None => rest.iter().take_while(|c| !c.is_whitespace()).count(),
        },
        '[' | '{' => bracketed(rest).unwrap_or_else(|| trimmed_len(rest)),
        '|' | '>' | '&' | '*' | '!' => rest.iter().take_while(|c| !c.is_whitespace()).count(),
        '-' if rest.get(1).is_none_or(|c| c.is_whitespace()) => 1,
        _ => plain(rest, in_flow(&line[..start])),
    }
}

fn trimmed_len(chars: &[char]) -> usize {
    chars.len() - chars.iter().rev().take_while(|c| c.is_whitespace()).count()
}

/// Length of a quoted scalar including both quotes; `None` if it does not close on this line.
fn quoted(chars: &[char], quote: char) -> Option<usize> {
    let mut i = 1;
    while i < chars.len() {
        let c = chars[i];
        if quote == '"' && c == '\\' {
            i += 2;
            continue;
        }
        if c == quote {
            if quote == '\'' && chars.get(i + 1) == Some(&'\'') {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

fn bracketed(chars: &[char]) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            q @ ('"' | '\'') => {
                i += quoted(&chars[i..], q).unwrap_or(1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether `before` leaves a flow collection (`[` or `{`) open.
fn in_flow(before: &[char]) -> bool {
    let mut depth = 0i32;
    let mut i = 0;
    while i < before.len() {
        match before[i] {
            '[' | '{' => depth += 1,
            ']' | '}' => depth -= 1,
            q @ ('"' | '\'') => {
                i += quoted(&before[i..], q).unwrap_or(before.len());
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    depth > 0
}

fn plain(chars: &[char], flow: bool) -> usize {
    let mut end = chars.len();
    for (i, &c) in chars.iter().enumerate() {
        let next_is_blank = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        let prev_is_blank = i > 0 && chars[i - 1].is_whitespace();
        if (c == ':' && next_is_blank)
            || (c == '#' && prev_is_blank)
            || (flow && matches!(c, ',' | ']' | '}'))
        {
            end = i;
            break;
        }
    }
    trimmed_len(&chars[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn len_at(line: &str, column: usize) -> usize {
        let chars: Vec<char> = line.chars().collect();
        token_len(&chars, column - 1)
    }

    #[test]
    fn a_key_ends_at_its_colon() {
        assert_eq!(len_at("      AccesToken: ${alice.access_token}", 7), 10);
        assert_eq!(len_at("steps:", 1), 5);
    }

    #[test]
    fn a_plain_scalar_runs_to_a_comment_or_the_end() {
        assert_eq!(len_at("  - name: prefer totp   # why", 11), 11);
        assert_eq!(len_at("call: SetUserMFAPreferenc", 7), 19);
        assert_eq!(len_at("url: http://x:80/a", 6), 13);
    }

    #[test]
    fn quoted_scalars_include_their_quotes() {
        assert_eq!(len_at(r#"message: "a \" b" # c"#, 10), 8);
        assert_eq!(len_at("message: 'it''s' tail", 10), 7);
        assert_eq!(len_at("message: \"open", 10), 5);
    }

    #[test]
    fn variables_end_at_the_brace() {
        assert_eq!(
            len_at("  AccessToken: Bearer ${alice.acces_token} x", 23),
            20
        );
        assert_eq!(len_at("x: ${open and", 4), 6);
    }

    #[test]
    fn flow_collections_and_their_items() {
        assert_eq!(len_at("tags: [totp, {a: [1]}] # c", 7), 16);
        assert_eq!(len_at("tags: [totp, mfa]", 8), 4);
        assert_eq!(len_at("x: { Enabled: yes, PreferredMfa: true }", 6), 7);
        assert_eq!(len_at("x: { Enabled: yes, PreferredMfa: true }", 15), 3);
    }

    #[test]
    fn indicators_and_edges() {
        assert_eq!(len_at("body: |-", 7), 2);
        assert_eq!(len_at("- item", 1), 1);
        assert_eq!(len_at("*alias rest", 1), 6);
        assert_eq!(len_at("short", 6), 0);
        assert_eq!(len_at("short", 40), 0);
    }
}
