//! The divergence ledger: known departures of one target from the documented contract
//! (`snapshots/<target>/divergences.yaml`). A known divergence does not fail a run; an entry that no
//! longer reproduces does ("divergence gone — remove it"); an expired one warns.
//!
//! An entry is identified by a JSON path into the scenario's observation document (the snapshot body),
//! the same paths drift is reported at: `$.steps[0].message`, `$.steps[1].body.UserMFASettingList`.
//! A contract deviation is located at `$.steps[<i>].<check>` (see [`location`]); an entry covers every
//! location at or under its path.
//!
//! A model-conformance finding is located at its JSON path in the step's body
//! (`$.steps[2].body.SecretCode`) and known only to an entry that names its rule (`rule: min`); an
//! entry without `rule` covers `expect:` deviations only, so neither kind hides the other.
//!
//! Members outside the model that a target adds to every answer of an operation are known once, by
//! an entry with `operation:` instead of `scenario:`, a path into the answer body (`$.UserStatus`) and
//! `rule: unknown-member`. Those are warnings, so such an entry is never reported gone.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::contract::{Check, Deviation};
use crate::model::Rule;
use crate::scenario::{JsonPath, PathSegment};

/// One known departure.
#[derive(Debug, Clone, PartialEq)]
pub struct Divergence {
    /// Empty for an operation-wide entry.
    pub scenario: String,
    /// For an operation-wide entry: every answer of this operation, `path` being into the body.
    pub operation: Option<String>,
    /// Where in the observation document, e.g. `$.steps[2].message`.
    pub path: String,
    /// The step index the path starts with.
    pub step_index: usize,
    /// The step's name, for readers; the consistency test checks it against the scenario.
    pub step: Option<String>,
    pub reason: String,
    pub link: Option<String>,
    /// `YYYY-MM-DD`; after this date the entry warns until someone looks again.
    pub review_by: Option<String>,
    /// Line of the entry in the ledger file.
    pub line: u32,
    /// The model rule this entry knows (conformance findings); `None` for `expect:` deviations.
    pub rule: Option<Rule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEntry {
    #[serde(default)]
    scenario: Option<Spanned<String>>,
    #[serde(default)]
    operation: Option<Spanned<String>>,
    /// The old key; kept only to explain the migration.
    #[serde(default)]
    check: Option<Spanned<String>>,
    #[serde(default)]
    path: Option<Spanned<String>>,
    #[serde(default)]
    step: Option<String>,
    reason: Spanned<String>,
    #[serde(default)]
    link: Option<String>,
    #[serde(default)]
    review_by: Option<Spanned<String>>,
    #[serde(default)]
    rule: Option<Spanned<String>>,
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
    let fail = |line: u64, message: String| LedgerError {
        file: file.to_owned(),
        line,
        message,
    };
    if text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#')
    }) {
        return Ok(Vec::new());
    }
    let raw: Vec<RawEntry> = serde_saphyr::from_str(text).map_err(|e| {
        let line = e.location().map_or(0, |l| l.line());
        let first = e.to_string().lines().next().unwrap_or_default().to_owned();
        fail(line, format!("not a valid ledger entry list: {first}"))
    })?;
    raw.into_iter()
        .map(|r| {
            let line = r
                .scenario
                .as_ref()
                .or(r.operation.as_ref())
                .map_or(r.reason.referenced.line(), |s| s.referenced.line());
            if let Some(check) = &r.check {
                return Err(fail(
                    check.referenced.line(),
                    format!(
                        "`check` is replaced by `path`: write `path: $.steps[<step index>].{}`",
                        Check::parse(&check.value)
                            .map(|c| location_segment(c).to_owned())
                            .unwrap_or_else(|| check.value.clone())
                    ),
                ));
            }
            let path = r.path.ok_or_else(|| {
                fail(
                    line,
                    "missing `path` (e.g. `path: $.steps[0].message`)".into(),
                )
            })?;
            let step_index = match (&r.scenario, &r.operation) {
                (Some(_), None) => {
                    step_index(&path.value).map_err(|m| fail(path.referenced.line(), m))?
                }
                (None, Some(_)) => 0,
                _ => {
                    return Err(fail(
                        line,
                        "an entry names either a `scenario` or an `operation`".into(),
                    ))
                }
            };
            if r.reason.value.trim().is_empty() {
                return Err(fail(
                    r.reason.referenced.line(),
                    "`reason` must say why the target departs".into(),
                ));
            }
            if let Some(date) = &r.review_by {
                if !is_date(&date.value) {
                    return Err(fail(
                        date.referenced.line(),
                        format!("`review-by` must be YYYY-MM-DD, not `{}`", date.value),
                    ));
                }
            }
            let rule = match &r.rule {
                None => None,
                Some(name) => Some(Rule::parse(&name.value).ok_or_else(|| {
                    let names: Vec<&str> = Rule::ALL.iter().map(Rule::as_str).collect();
                    fail(
                        name.referenced.line(),
                        format!(
                            "unknown `rule` `{}`: one of {}",
                            name.value,
                            names.join(", ")
                        ),
                    )
                })?),
            };
            let body_path = JsonPath::parse(&path.value).is_ok() && !path.value.starts_with("$.steps");
            if r.operation.is_some() && (rule != Some(Rule::UnknownMember) || !body_path) {
                return Err(fail(
                    line,
                    "an `operation` entry knows members outside the model: `rule: unknown-member` and a `path` into the answer body, like `$.UserStatus`".into(),
                ));
            }
            Ok(Divergence {
                rule,
                scenario: r.scenario.map(|s| s.value).unwrap_or_default(),
                operation: r.operation.map(|o| o.value),
                path: path.value,
                step_index,
                step: r.step,
                reason: r.reason.value,
                link: r.link,
                review_by: r.review_by.map(|d| d.value),
                line: u32::try_from(line).unwrap_or(u32::MAX),
            })
        })
        .collect()
}

/// The step index a ledger path starts with; the path must be `$.steps[<i>]...`.
fn step_index(path: &str) -> Result<usize, String> {
    let parsed =
        JsonPath::parse(path).map_err(|e| format!("`path` `{path}` is not a JSON path: {e}"))?;
    match parsed.segments.as_slice() {
        [PathSegment::Member(steps), PathSegment::Index(i), ..] if steps == "steps" => Ok(*i),
        _ => Err(format!(
            "`path` must point into a step of the observation document, like `$.steps[0].message`, not `{path}`"
        )),
    }
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

/// Where a failed check of step `step` sits in the observation document: `$.steps[2].message`.
pub(crate) fn location(step: usize, check: Check) -> String {
    format!("$.steps[{step}].{}", location_segment(check))
}

/// Where a deviation of step `step` sits: a model check at its body path (`$.steps[2].body.SecretCode`),
/// an `expect:` check at its check ([`location`]).
pub(crate) fn location_of(step: usize, dev: &Deviation) -> String {
    match dev.body_path.as_deref().and_then(|p| p.strip_prefix('$')) {
        Some(rest) => format!("$.steps[{step}].body{rest}"),
        None => location(step, dev.check),
    }
}

/// Where a failed check shows in a step's observation: members that should be absent or present are in
/// the answer's body.
fn location_segment(check: Check) -> &'static str {
    match check {
        Check::Absent | Check::Present | Check::Model(_) => "body",
        other => other.as_str(),
    }
}

/// Whether `location` is at or under `path` (`$.steps[1]` covers `$.steps[1].body.A`, not `$.steps[10]`).
pub(crate) fn covers(path: &str, location: &str) -> bool {
    location
        .strip_prefix(path)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

/// Finds the entry for a finding of `rule` (`None`: an `expect:` deviation) at a location in one
/// scenario's observation document, if the ledger knows it.
pub(crate) fn lookup<'a>(
    ledger: &'a [Divergence],
    scenario: &str,
    location: &str,
    rule: Option<Rule>,
) -> Option<&'a Divergence> {
    ledger.iter().find(|d| {
        d.operation.is_none()
            && d.scenario == scenario
            && d.rule == rule
            && covers(&d.path, location)
    })
}

/// The operation-wide entry for a model finding of `rule` at `body_path` in an answer of `operation`.
pub(crate) fn lookup_operation<'a>(
    ledger: &'a [Divergence],
    operation: &str,
    body_path: &str,
    rule: Rule,
) -> Option<&'a Divergence> {
    ledger.iter().find(|d| {
        d.operation.as_deref() == Some(operation)
            && d.rule == Some(rule)
            && covers(&d.path, body_path)
    })
}

/// Any entry at or above a location, whatever it knows: what explains a difference between targets.
pub(crate) fn lookup_any<'a>(
    ledger: &'a [Divergence],
    scenario: &str,
    location: &str,
) -> Option<&'a Divergence> {
    ledger
        .iter()
        .find(|d| d.operation.is_none() && d.scenario == scenario && covers(&d.path, location))
}

/// Whether an entry's review date has passed (`today` is `YYYY-MM-DD`; ISO dates sort as text).
pub(crate) fn is_expired(d: &Divergence, today: &str) -> bool {
    d.review_by.as_deref().is_some_and(|r| r < today)
}

/// `snapshots/<target>/divergences.yaml`, or an empty ledger when there is none.
pub fn load(snapshot_dir: &std::path::Path, target: &str) -> Result<Vec<Divergence>, LedgerError> {
    let path = snapshot_dir.join(target).join("divergences.yaml");
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&path.display().to_string(), &text),
        Err(_) => Ok(Vec::new()),
    }
}

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;
