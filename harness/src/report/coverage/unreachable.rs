//! `docs/unreachable.yaml`: why a documented exception has no triggering scenario on a target (pure).
//!
//! ```yaml
//! - exception: ForbiddenException
//!   target: "*"          # every target without its own entry
//!   reason: raised by an AWS WAF web ACL; emulators have no WAF
//! ```

use serde::Deserialize;
use serde_saphyr::Spanned;

/// One reason, for one target or for every target (`*`).
#[derive(Debug, Clone, PartialEq)]
pub struct Unreachable {
    pub exception: String,
    pub target: String,
    pub reason: String,
    pub line: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    exception: Spanned<String>,
    target: String,
    reason: String,
}

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct UnreachableError {
    pub file: String,
    pub line: u64,
    pub message: String,
}

/// Parses the file; `exceptions` are the operation's documented errors, which every entry must name.
pub fn parse(
    file: &str,
    text: &str,
    exceptions: &[String],
) -> Result<Vec<Unreachable>, UnreachableError> {
    let fail = |line, message| UnreachableError {
        file: file.to_owned(),
        line,
        message,
    };
    let raw: Vec<RawEntry> = serde_saphyr::from_str(text).map_err(|e| {
        let first = e.to_string().lines().next().unwrap_or_default().to_owned();
        fail(e.location().map_or(0, |l| l.line()), first)
    })?;
    let mut out: Vec<Unreachable> = Vec::new();
    for r in raw {
        let line = r.exception.referenced.line();
        if !exceptions.contains(&r.exception.value) {
            let hint = crate::diagnostic::did_you_mean(
                &r.exception.value,
                exceptions.iter().map(String::as_str),
            )
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
            return Err(fail(
                line,
                format!(
                    "`{}` is not a documented error of the operation{hint}",
                    r.exception.value
                ),
            ));
        }
        if r.reason.trim().is_empty() {
            return Err(fail(line, "`reason` is empty".into()));
        }
        if out
            .iter()
            .any(|u| u.exception == r.exception.value && u.target == r.target)
        {
            return Err(fail(
                line,
                format!("`{}` on `{}` is listed twice", r.exception.value, r.target),
            ));
        }
        out.push(Unreachable {
            exception: r.exception.value,
            target: r.target,
            reason: r.reason.trim().to_owned(),
            line,
        });
    }
    Ok(out)
}

/// The reason for `exception` on `target`: the target's own entry, else the `*` entry.
pub fn reason<'a>(
    list: &'a [Unreachable],
    exception: &str,
    target: &str,
) -> Option<&'a Unreachable> {
    let of = |t: &str| {
        list.iter()
            .find(|u| u.exception == exception && u.target == t)
    };
    of(target).or_else(|| of("*"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn errors() -> Vec<String> {
        vec!["ForbiddenException".into(), "InternalErrorException".into()]
    }

    #[test]
    fn a_target_entry_wins_over_the_star() {
        let text = "- exception: ForbiddenException\n  target: \"*\"\n  reason: needs WAF\n\
                    - exception: ForbiddenException\n  target: moto\n  reason: moto has no WAF\n";
        let l = parse("u.yaml", text, &errors()).unwrap();
        assert_eq!(
            reason(&l, "ForbiddenException", "moto").unwrap().reason,
            "moto has no WAF"
        );
        assert_eq!(reason(&l, "ForbiddenException", "aws").unwrap().line, 1);
        assert!(reason(&l, "InternalErrorException", "moto").is_none());
    }

    #[test]
    fn unknown_exceptions_and_duplicates_are_errors_with_lines() {
        let e = parse(
            "u.yaml",
            "- exception: ForbidenException\n  target: x\n  reason: r\n",
            &errors(),
        )
        .unwrap_err();
        assert_eq!(e.line, 1);
        assert!(
            e.message.contains("did you mean `ForbiddenException`?"),
            "{e}"
        );
        let dup = "- exception: ForbiddenException\n  target: x\n  reason: r\n\
                   - exception: ForbiddenException\n  target: x\n  reason: r\n";
        assert_eq!(parse("u.yaml", dup, &errors()).unwrap_err().line, 4);
        assert!(parse(
            "u.yaml",
            "- exception: ForbiddenException\n  reason: r\n",
            &errors()
        )
        .is_err());
    }
}
