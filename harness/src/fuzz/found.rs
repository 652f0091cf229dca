//! A minimised failing payload written as a ready scenario: a `raw:` step whose body names the fixture
//! variables (`${alice.access_token}`), so it loads with the normal loader and replays with fresh tokens.

use base64::Engine as _;

use super::doc::{Payload, Var};

/// The fixture every fuzz session and every found scenario uses: one signed-in user in a fresh pool.
pub const FIXTURE_YAML: &str = "fixtures:\n  users:\n    alice:\n      sign_in: true\n";

/// What a found scenario records about where it came from.
#[derive(Debug, Clone)]
pub struct FoundInfo<'a> {
    pub target: &'a str,
    pub seed: u64,
    pub iteration: u64,
    /// The failure and outcome class, already normalised (no secrets).
    pub failure: &'a str,
    pub outcome: &'a str,
    pub original_len: usize,
}

/// `fuzz-<operation>-<failure>-<hash>`: stable for the same payload, operation and failure.
pub fn scenario_name(payload: &Payload, failure_slug: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for b in payload.template().iter().chain(failure_slug.as_bytes()) {
        hash ^= u32::from(*b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!(
        "fuzz-{}-{failure_slug}-{hash:08x}",
        kebab(&payload.operation)
    )
}

/// `SetUserMFAPreference` → `set-user-mfa-preference`.
pub fn kebab(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('-');
            }
        }
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.push('-');
        }
    }
    out
}

/// The scenario file text for a found payload.
pub fn scenario_yaml(name: &str, payload: &Payload, info: &FoundInfo<'_>) -> String {
    let (body_key, body_value, note) = match body_template(payload) {
        Some(text) => ("body", yaml_quoted(&text), ""),
        None => (
            "body_base64",
            yaml_quoted(&base64::engine::general_purpose::STANDARD.encode(payload.render(|v| format!("${{{}}}", v.name())))),
            " The body cannot be written as a template (not UTF-8, or `$` right before a variable), so it is base64 and fixture values appear as their variable names.",
        ),
    };
    let description = format!(
        "Found by `cognito-drift fuzz --target {} --operation {} --seed {}` (iteration {}, {} payload), minimised from {} to {} bytes: {}. Outcome: {}.{note} Review the pending snapshot: accept it to keep this scenario as a regression test, or delete both files.",
        info.target,
        payload.operation,
        info.seed,
        info.iteration,
        payload.kind.as_str(),
        info.original_len,
        payload.len(),
        info.failure,
        info.outcome,
    );
    let targets = if is_kebab(info.target) {
        format!("targets: [{}]\n", info.target)
    } else {
        String::new()
    };
    format!(
        "name: {name}\ndescription: {}\ntags: [fuzz, found]\n{targets}{FIXTURE_YAML}steps:\n  - name: fuzz payload\n    raw:\n      operation: {}\n      {body_key}: {body_value}\n",
        yaml_quoted(&description),
        payload.operation,
    )
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The body as scenario template text: literal `${` escaped as `$${`, markers as `${name}`.
/// `None` when the body is not UTF-8 or a literal `$` comes right before a variable (inexpressible).
pub fn body_template(payload: &Payload) -> Option<String> {
    let text = String::from_utf8(payload.template()).ok()?;
    let mut pieces: Vec<(bool, String)> = vec![(false, text)];
    for var in Var::ALL {
        let marker = var.marker();
        pieces = pieces
            .into_iter()
            .flat_map(|(is_var, s)| {
                if is_var {
                    return vec![(true, s)];
                }
                let mut out = Vec::new();
                for (i, part) in s.split(marker.as_str()).enumerate() {
                    if i > 0 {
                        out.push((true, var.name().to_owned()));
                    }
                    out.push((false, part.to_owned()));
                }
                out
            })
            .collect();
    }
    let mut out = String::new();
    for (i, (is_var, s)) in pieces.iter().enumerate() {
        if *is_var {
            out.push_str("${");
            out.push_str(s);
            out.push('}');
        } else {
            let next_is_var = pieces.get(i + 1).is_some_and(|(v, _)| *v);
            if next_is_var && s.ends_with('$') {
                return None;
            }
            out.push_str(&s.replace("${", "$${"));
        }
    }
    Some(out)
}

/// A YAML double-quoted scalar; everything outside printable ASCII and ordinary letters is escaped.
pub fn yaml_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            ' '..='~' => out.push(c),
            c if plain_letter(c) => out.push(c),
            c if u32::from(c) <= 0xFF => out.push_str(&format!("\\x{:02X}", u32::from(c))),
            c if u32::from(c) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push_str(&format!("\\U{:08X}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// Printable non-ASCII that every YAML reader takes as content (no line breaks, BOMs or specials).
fn plain_letter(c: char) -> bool {
    matches!(u32::from(c), 0xA1..=0x1FFF | 0x2070..=0xD7FF | 0xE000..=0xFEFE | 0xFF00..=0xFFFD)
        && !c.is_control()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
