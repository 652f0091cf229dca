//! The divergence ledger: known departures of one target from the documented contract
//! (`snapshots/<target>/divergences.yaml`). A known divergence does not fail a run; an entry that no
//! longer reproduces does ("divergence gone — remove it"); an expired one warns.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::contract::Check;

/// One known departure.
#[derive(Debug, Clone, PartialEq)]
pub struct Divergence {
    pub scenario: String,
    pub step: String,
    pub check: Check,
    pub reason: String,
    pub link: Option<String>,
    /// `YYYY-MM-DD`; after this date the entry warns until someone looks again.
    pub review_by: Option<String>,
    /// Line of the entry in the ledger file.
    pub line: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEntry {
    scenario: Spanned<String>,
    step: String,
    check: Spanned<String>,
    reason: String,
    #[serde(default)]
    link: Option<String>,
    #[serde(default)]
    review_by: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct LedgerError {
    pub file: String,
    pub line: u64,
    pub message: String,
}

/// Parses a ledger file's text (pure). An empty file is an empty ledger.
pub fn parse(file: &str, text: &str) -> Result<Vec<Divergence>, LedgerError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let raw: Vec<RawEntry> = serde_saphyr::from_str(text).map_err(|e| LedgerError {
        file: file.to_owned(),
        line: 0,
        message: e.to_string(),
    })?;
    raw.into_iter()
        .map(|r| {
            let line = r.scenario.referenced.line();
            let check = Check::parse(&r.check.value).ok_or_else(|| LedgerError {
                file: file.to_owned(),
                line: r.check.referenced.line(),
                message: format!(
                    "`check` must be status, error, message or body, not `{}`",
                    r.check.value
                ),
            })?;
            if let Some(date) = &r.review_by {
                if !is_date(date) {
                    return Err(LedgerError {
                        file: file.to_owned(),
                        line,
                        message: format!("`review-by` must be YYYY-MM-DD, not `{date}`"),
                    });
                }
            }
            Ok(Divergence {
                scenario: r.scenario.value,
                step: r.step,
                check,
                reason: r.reason,
                link: r.link,
                review_by: r.review_by,
                line: u32::try_from(line).unwrap_or(u32::MAX),
            })
        })
        .collect()
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.chars()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Finds the entry for one failed check, if the ledger knows it.
pub fn lookup<'a>(
    ledger: &'a [Divergence],
    scenario: &str,
    step: &str,
    check: Check,
) -> Option<&'a Divergence> {
    ledger
        .iter()
        .find(|d| d.scenario == scenario && d.step == step && d.check == check)
}

/// Whether an entry's review date has passed (`today` is `YYYY-MM-DD`; ISO dates sort as text).
pub fn is_expired(d: &Divergence, today: &str) -> bool {
    d.review_by.as_deref().is_some_and(|r| r < today)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const LEDGER: &str = "\
- scenario: garbage-token
  step: set preference
  check: message
  reason: moto echoes the token instead of \"Invalid Access Token\"
  review-by: 2027-01-31
- scenario: empty-token
  step: send
  check: error
  reason: moto answers NotAuthorizedException
";

    #[test]
    fn parses_entries_with_their_lines() {
        let l = parse("d.yaml", LEDGER).unwrap();
        assert_eq!(l.len(), 2);
        assert_eq!((l[0].check, l[0].line), (Check::Message, 1));
        assert_eq!(
            (l[1].check, l[1].line, l[1].review_by.as_deref()),
            (Check::Error, 6, None)
        );
        assert!(lookup(&l, "garbage-token", "set preference", Check::Message).is_some());
        assert!(lookup(&l, "garbage-token", "set preference", Check::Error).is_none());
    }

    #[test]
    fn expiry_compares_dates() {
        let l = parse("d.yaml", LEDGER).unwrap();
        assert!(!is_expired(&l[0], "2027-01-31"));
        assert!(is_expired(&l[0], "2027-02-01"));
        assert!(!is_expired(&l[1], "2099-01-01"));
    }

    #[test]
    fn bad_check_and_unknown_keys_are_errors_with_lines() {
        let e = parse(
            "d.yaml",
            "- scenario: a\n  step: b\n  check: mesage\n  reason: r\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("`mesage`"));
        assert!(parse(
            "d.yaml",
            "- scenario: a\n  step: b\n  check: body\n  reason: r\n  why: x\n"
        )
        .is_err());
    }
}
