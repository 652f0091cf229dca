//! Deleting leftover user pools: list every pool, read the tags of those named `cognito-drift-…`,
//! and delete only those the ownership rule ([`judge`]) picks. Everything else is listed as kept.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Map, Value as Json};
use time::OffsetDateTime;

use super::ownership::Ownership;
use super::tags::{judge, run_prefix, PoolFacts, Selection, Verdict, NAME_PREFIX};
use crate::exchange::{Client, ExchangeError, WireRequest};

/// A pool the sweep looked at, and what it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Swept {
    pub id: String,
    pub name: String,
    /// Why it was kept, or the deletion error; empty for a deleted pool.
    pub reason: String,
}

/// What a sweep did, pool by pool.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub deleted: Vec<Swept>,
    pub kept: Vec<Swept>,
    /// Pools the rule picked but the service would not delete.
    pub failed: Vec<Swept>,
}

/// The listing itself failed (nothing was deleted after that point).
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("{operation} could not be sent")]
    Exchange {
        operation: &'static str,
        #[source]
        source: ExchangeError,
    },
    #[error("{operation} answered HTTP {status}: {body}")]
    Refused {
        operation: &'static str,
        status: u16,
        body: String,
    },
}

/// Lists the account's pools and deletes those `selection` picks (none when `dry_run`). `guard` must be
/// the client's own guard: a pool is adopted (made deletable) only after [`judge`] picked it.
pub async fn sweep(
    client: &Client,
    guard: &Ownership,
    selection: &Selection,
    now: OffsetDateTime,
    dry_run: bool,
) -> Result<SweepReport, SweepError> {
    let mut report = SweepReport::default();
    for (id, name) in list_pools(client).await? {
        let kept = |reason: &str| Swept {
            id: id.clone(),
            name: name.clone(),
            reason: reason.to_owned(),
        };
        let other_run = match selection {
            Selection::Run(run) => !name.starts_with(&run_prefix(run)),
            Selection::OlderThan(_) => false,
        };
        if !name.starts_with(NAME_PREFIX) {
            report
                .kept
                .push(kept("name does not start with cognito-drift-"));
            continue;
        }
        if other_run {
            report.kept.push(kept("belongs to another run"));
            continue;
        }
        let described = call(client, "DescribeUserPool", json!({"UserPoolId": id})).await?;
        let tags: Map<String, Json> = described
            .pointer("/UserPool/UserPoolTags")
            .and_then(Json::as_object)
            .cloned()
            .unwrap_or_default();
        let facts = PoolFacts {
            id: id.clone(),
            name: described
                .pointer("/UserPool/Name")
                .and_then(Json::as_str)
                .unwrap_or(&name)
                .to_owned(),
            tags: tags
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect::<BTreeMap<_, _>>(),
        };
        match judge(&facts, selection, now) {
            Verdict::Keep(reason) => report.kept.push(kept(&reason)),
            Verdict::Delete { .. } if dry_run => report.deleted.push(kept("")),
            Verdict::Delete { .. } => {
                guard.adopt(&id, tags);
                match call(client, "DeleteUserPool", json!({"UserPoolId": id})).await {
                    Ok(_) => report.deleted.push(kept("")),
                    Err(e) => report.failed.push(kept(&e.to_string())),
                }
            }
        }
    }
    Ok(report)
}

/// Every pool's id and name, following `NextToken`.
async fn list_pools(client: &Client) -> Result<Vec<(String, String)>, SweepError> {
    let mut pools = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let mut input = json!({"MaxResults": 60});
        if let Some(t) = &next {
            input["NextToken"] = json!(t);
        }
        let page = call(client, "ListUserPools", input).await?;
        for p in page
            .get("UserPools")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(id), Some(name)) = (
                p.get("Id").and_then(Json::as_str),
                p.get("Name").and_then(Json::as_str),
            ) {
                pools.push((id.to_owned(), name.to_owned()));
            }
        }
        next = page
            .get("NextToken")
            .and_then(Json::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        if next.is_none() {
            return Ok(pools);
        }
    }
}

async fn call(client: &Client, operation: &'static str, input: Json) -> Result<Json, SweepError> {
    let resp = client
        .send(&WireRequest::json(operation, &input, true))
        .await
        .map_err(|source| SweepError::Exchange { operation, source })?;
    if !(200..300).contains(&resp.status) {
        let mut body = String::from_utf8_lossy(&resp.body).into_owned();
        body.truncate(300);
        return Err(SweepError::Refused {
            operation,
            status: resp.status,
            body,
        });
    }
    Ok(serde_json::from_slice(&resp.body).unwrap_or_default())
}

/// Why an `--older-than` age was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgeError {
    #[error("`{text}` is not an age like 2h, 90m or 1d")]
    NotANumber {
        text: String,
        #[source]
        source: std::num::ParseIntError,
    },
    #[error("`{text}` has no unit: use s, m, h or d (e.g. 2h)")]
    NoUnit { text: String },
}

/// Parses `--older-than`: a whole number and a unit, `s`, `m`, `h` or `d` (e.g. `2h`, `90m`).
pub fn parse_age(text: &str) -> Result<Duration, AgeError> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().map_err(|source| AgeError::NotANumber {
        text: text.to_owned(),
        source,
    })?;
    let secs = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => {
            return Err(AgeError::NoUnit {
                text: text.to_owned(),
            })
        }
    };
    Ok(Duration::from_secs(n.saturating_mul(secs)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ages_parse_with_units() {
        assert_eq!(parse_age("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_age("90m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_age(" 1d "), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_age("0s"), Ok(Duration::ZERO));
        for bad in ["", "h", "2", "2 h", "2w", "-1h", "1.5h"] {
            assert!(parse_age(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_bad_age_says_why_and_keeps_the_number_error() {
        let err = parse_age("h").unwrap_err();
        assert_eq!(err.to_string(), "`h` is not an age like 2h, 90m or 1d");
        assert!(std::error::Error::source(&err).is_some());
        assert_eq!(
            parse_age("2").unwrap_err().to_string(),
            "`2` has no unit: use s, m, h or d (e.g. 2h)"
        );
    }
}
