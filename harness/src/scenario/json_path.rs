//! The small JSON path language of `capture:`: `$`, `.Member` and `[index]`.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    Member(String),
    Index(usize),
}

/// A parsed capture path such as `$.Devices[0].DeviceKey`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonPath {
    pub segments: Vec<PathSegment>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at character {position}")]
pub struct JsonPathError {
    /// 0-based character offset of the problem.
    pub position: usize,
    pub message: String,
}

impl JsonPath {
    pub fn parse(text: &str) -> Result<Self, JsonPathError> {
        let chars: Vec<char> = text.chars().collect();
        let fail = |position: usize, message: &str| JsonPathError {
            position,
            message: message.to_owned(),
        };
        if chars.first() != Some(&'$') {
            return Err(fail(0, "a path starts with `$`"));
        }
        let mut segments = Vec::new();
        let mut i = 1;
        while i < chars.len() {
            match chars[i] {
                '.' => {
                    let start = i + 1;
                    let mut end = start;
                    while end < chars.len() && !matches!(chars[end], '.' | '[' | ']') {
                        end += 1;
                    }
                    if end == start {
                        return Err(fail(start, "expected a member name after `.`"));
                    }
                    segments.push(PathSegment::Member(chars[start..end].iter().collect()));
                    i = end;
                }
                '[' => {
                    let start = i + 1;
                    let end = start
                        + chars[start..]
                            .iter()
                            .take_while(|c| c.is_ascii_digit())
                            .count();
                    if end == start || chars.get(end) != Some(&']') {
                        return Err(fail(
                            start,
                            "expected `[` index `]` with a non-negative integer",
                        ));
                    }
                    let digits: String = chars[start..end].iter().collect();
                    let index = digits
                        .parse()
                        .map_err(|_| fail(start, "index is too large"))?;
                    segments.push(PathSegment::Index(index));
                    i = end + 1;
                }
                _ => return Err(fail(i, "expected `.member` or `[index]`")),
            }
        }
        Ok(JsonPath { segments })
    }

    /// The value at this path, if every step exists.
    pub fn select<'v>(&self, value: &'v serde_json::Value) -> Option<&'v serde_json::Value> {
        self.segments
            .iter()
            .try_fold(value, |current, segment| match segment {
                PathSegment::Member(name) => current.get(name),
                PathSegment::Index(index) => current.get(index),
            })
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for segment in &self.segments {
            match segment {
                PathSegment::Member(name) => write!(f, ".{name}")?,
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_members_and_indexes_and_prints_them_back() {
        let path = JsonPath::parse("$.Devices[0].DeviceKey").unwrap();
        assert_eq!(
            path.segments,
            [
                PathSegment::Member("Devices".into()),
                PathSegment::Index(0),
                PathSegment::Member("DeviceKey".into())
            ]
        );
        assert_eq!(path.to_string(), "$.Devices[0].DeviceKey");
        assert_eq!(JsonPath::parse("$").unwrap().segments, []);
    }

    #[test]
    fn selects_values() {
        let body = serde_json::json!({"A": [{"B": 1}, {"B": 2}]});
        assert_eq!(
            JsonPath::parse("$.A[1].B").unwrap().select(&body),
            Some(&serde_json::json!(2))
        );
        assert_eq!(JsonPath::parse("$.A[2]").unwrap().select(&body), None);
        assert_eq!(JsonPath::parse("$.Z").unwrap().select(&body), None);
        assert_eq!(JsonPath::parse("$").unwrap().select(&body), Some(&body));
    }

    #[test]
    fn reports_where_a_path_goes_wrong() {
        assert_eq!(JsonPath::parse("A.B").unwrap_err().position, 0);
        assert_eq!(JsonPath::parse("$.").unwrap_err().position, 2);
        assert_eq!(JsonPath::parse("$.A[x]").unwrap_err().position, 4);
        assert_eq!(JsonPath::parse("$.A[1").unwrap_err().position, 4);
        assert_eq!(
            JsonPath::parse("$A").unwrap_err().message,
            "expected `.member` or `[index]`"
        );
    }
}
