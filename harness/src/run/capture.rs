//! The small JSON path language of `capture:` (`$`, `.Member`, `["member"]`, `[index]`), pure.

/// Follows `path` into `value`; `None` when any part is missing or the path is malformed.
pub fn select<'a>(value: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    let mut rest = path.strip_prefix('$')?;
    let mut cur = value;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            cur = cur.get(&r[..end])?;
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix("[\"") {
            let end = r.find("\"]")?;
            cur = cur.get(&r[..end])?;
            rest = &r[end + 2..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            cur = cur.get(r[..end].parse::<usize>().ok()?)?;
            rest = &r[end + 1..];
        } else {
            return None;
        }
    }
    Some(cur)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn follows_members_indexes_and_quoted_names() {
        let v = json!({"A": {"B": [{"C": 1}, {"C": 2}]}, "odd key": true});
        assert_eq!(select(&v, "$"), Some(&v));
        assert_eq!(select(&v, "$.A.B[1].C"), Some(&json!(2)));
        assert_eq!(select(&v, "$[\"odd key\"]"), Some(&json!(true)));
        assert_eq!(select(&v, "$.A.B[2]"), None);
        assert_eq!(select(&v, "$.Nope"), None);
        assert_eq!(select(&v, "A.B"), None);
    }
}
