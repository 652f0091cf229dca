//! How the harness marks the user pools it creates, and the rule for which pools it may delete:
//! only those with BOTH the `cognito-drift-<run-id>-` name and matching run-id and creation-time tags.

use std::collections::BTreeMap;
use std::time::Duration;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Every pool the harness creates is named `cognito-drift-<run-id>-<scenario>`.
pub const NAME_PREFIX: &str = "cognito-drift-";
/// Tag holding the run id that created the pool.
pub const RUN_ID_TAG: &str = "cognito-drift:run-id";
/// Tag holding the pool's creation time (RFC 3339, UTC).
pub const CREATED_AT_TAG: &str = "cognito-drift:created-at";

/// The name prefix of one run's pools.
pub(crate) fn run_prefix(run_id: &str) -> String {
    format!("{NAME_PREFIX}{run_id}-")
}

/// The creation-time tag value for `at`.
pub fn created_at_value(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(at)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// What the sweep knows of a pool: its name and its tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolFacts {
    pub id: String,
    pub name: String,
    pub tags: BTreeMap<String, String>,
}

/// Whether a pool is ours to delete, and if not, why it is left alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Delete { run_id: String, age: Duration },
    Keep(String),
}

/// Which pools a sweep deletes: leftovers of any run older than `older_than`, or one run's pools
/// whatever their age (the cleanup after an interrupt).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    OlderThan(Duration),
    Run(String),
}

/// Applies the ownership rule (pure). A pool is deleted only when its name starts with
/// `cognito-drift-<run-id>-` for the run id in its tag, its creation tag parses, and the selection
/// picks it.
pub fn judge(pool: &PoolFacts, selection: &Selection, now: OffsetDateTime) -> Verdict {
    let keep = |why: &str| Verdict::Keep(why.to_owned());
    if !pool.name.starts_with(NAME_PREFIX) {
        return keep("name does not start with cognito-drift-");
    }
    let (Some(run_id), Some(created)) = (pool.tags.get(RUN_ID_TAG), pool.tags.get(CREATED_AT_TAG))
    else {
        return keep("not tagged by cognito-drift");
    };
    if run_id.is_empty() || !pool.name.starts_with(&run_prefix(run_id)) {
        return keep("name does not carry the run id of its tag");
    }
    let Ok(created) = OffsetDateTime::parse(created, &Rfc3339) else {
        return keep("creation tag is not an RFC 3339 time");
    };
    let age = Duration::try_from(now - created).unwrap_or(Duration::ZERO);
    match selection {
        Selection::Run(wanted) if wanted == run_id => Verdict::Delete {
            run_id: run_id.clone(),
            age,
        },
        Selection::Run(_) => keep("belongs to another run"),
        Selection::OlderThan(limit) if age >= *limit => Verdict::Delete {
            run_id: run_id.clone(),
            age,
        },
        Selection::OlderThan(_) => keep("younger than --older-than"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-27 12:00 UTC);

    fn pool(name: &str, tags: &[(&str, &str)]) -> PoolFacts {
        PoolFacts {
            id: "us-east-1_abc".into(),
            name: name.into(),
            tags: tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    fn tagged(name: &str, run: &str, created: &str) -> PoolFacts {
        pool(name, &[(RUN_ID_TAG, run), (CREATED_AT_TAG, created)])
    }

    const TWO_HOURS: Duration = Duration::from_secs(7200);

    #[test]
    fn old_tagged_pools_with_matching_names_are_deleted() {
        let p = tagged("cognito-drift-ab12-totp", "ab12", "2026-11-27T09:00:00Z");
        assert_eq!(
            judge(&p, &Selection::OlderThan(TWO_HOURS), NOW),
            Verdict::Delete {
                run_id: "ab12".into(),
                age: Duration::from_secs(3 * 3600)
            }
        );
    }

    #[test]
    fn anything_short_of_name_and_both_tags_is_kept() {
        let old = "2026-11-20T00:00:00Z";
        let cases = [
            (
                pool("cognito-drift-ab12-x", &[]),
                "not tagged by cognito-drift",
            ),
            (
                pool("cognito-drift-ab12-x", &[(RUN_ID_TAG, "ab12")]),
                "not tagged by cognito-drift",
            ),
            (
                pool("cognito-drift-ab12-x", &[(CREATED_AT_TAG, old)]),
                "not tagged by cognito-drift",
            ),
            (
                tagged("customer-pool", "ab12", old),
                "name does not start with cognito-drift-",
            ),
            (
                tagged("cognito-drift-zz99-x", "ab12", old),
                "name does not carry the run id of its tag",
            ),
            (
                tagged("cognito-drift-ab12x-y", "ab12", old),
                "name does not carry the run id of its tag",
            ),
            (
                tagged("cognito-drift--x", "", old),
                "name does not carry the run id of its tag",
            ),
            (
                tagged("cognito-drift-ab12-x", "ab12", "last tuesday"),
                "creation tag is not an RFC 3339 time",
            ),
            (
                tagged("cognito-drift-ab12-x", "ab12", "2026-11-27T11:00:00Z"),
                "younger than --older-than",
            ),
        ];
        for (p, why) in cases {
            assert_eq!(
                judge(&p, &Selection::OlderThan(TWO_HOURS), NOW),
                Verdict::Keep(why.into()),
                "{p:?}"
            );
        }
    }

    #[test]
    fn a_run_selection_takes_its_own_pools_at_any_age() {
        let young = tagged("cognito-drift-ab12-x", "ab12", "2026-11-27T11:59:59Z");
        assert!(matches!(
            judge(&young, &Selection::Run("ab12".into()), NOW),
            Verdict::Delete { .. }
        ));
        assert_eq!(
            judge(&young, &Selection::Run("cd34".into()), NOW),
            Verdict::Keep("belongs to another run".into())
        );
        let untagged = pool("cognito-drift-ab12-x", &[]);
        assert!(matches!(
            judge(&untagged, &Selection::Run("ab12".into()), NOW),
            Verdict::Keep(_)
        ));
    }

    #[test]
    fn creation_values_are_utc_rfc3339_to_the_second() {
        let at = datetime!(2026-11-27 13:04:05.678 +01:00);
        assert_eq!(created_at_value(at), "2026-11-27T12:04:05Z");
    }
}
