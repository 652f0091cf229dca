//! The creation rule: a pool is created only under the run's name prefix, and carries both tags.

use serde_json::{Map, Value as Json};

use super::refusal::Refusal;
use super::Ownership;
use crate::aws::tags::{created_at_value, run_prefix, CREATED_AT_TAG, RUN_ID_TAG};

impl Ownership {
    /// Holds a creation to the run's name prefix and stamps both tags on it.
    pub(super) fn stamp_creation(
        &self,
        mut body: Map<String, Json>,
    ) -> Result<Map<String, Json>, Refusal> {
        let Some(run_id) = &self.run_id else {
            return Err(Refusal::SweepCreates);
        };
        let prefix = run_prefix(run_id);
        let name = body.get("PoolName").and_then(Json::as_str).unwrap_or("");
        if !name.starts_with(&prefix) {
            return Err(Refusal::PoolName {
                prefix,
                name: name.to_owned(),
            });
        }
        let tags = body
            .entry("UserPoolTags")
            .or_insert_with(|| Json::Object(Map::new()));
        let Json::Object(tags) = tags else {
            return Err(Refusal::TagsNotAnObject);
        };
        tags.insert(RUN_ID_TAG.to_owned(), Json::String(run_id.clone()));
        tags.insert(
            CREATED_AT_TAG.to_owned(),
            Json::String(created_at_value((self.clock)())),
        );
        Ok(body)
    }
}
