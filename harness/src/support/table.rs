//! The support table: one row per operation, one column per target; JSON to keep, Markdown to read
//! (pure).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::classify::Support;

/// Layout version of the JSON form.
pub const SCHEMA: &str = "cognito-drift/support/v1";

/// A target as probed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub target: String,
    pub version: String,
    /// The lock digest of a managed target's install; `None` for an endpoint the user runs.
    pub lock: Option<String>,
}

/// One operation across the targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub operation: String,
    /// Keyed by target name.
    pub targets: BTreeMap<String, Support>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportTable {
    pub schema: String,
    /// `YYYY-MM-DD`.
    pub recorded: String,
    /// The model the operations come from (`botocore 1.43.11`).
    pub model: String,
    pub columns: Vec<Column>,
    pub operations: Vec<Row>,
}

impl SupportTable {
    /// A table of the given targets' probes; operations in the order of the first probe.
    pub fn new(
        recorded: &str,
        model: &str,
        probes: Vec<(Column, Vec<(String, Support)>)>,
    ) -> SupportTable {
        let mut rows: Vec<Row> = Vec::new();
        let mut columns = Vec::new();
        for (column, results) in probes {
            for (operation, support) in results {
                match rows.iter_mut().find(|r| r.operation == operation) {
                    Some(row) => {
                        row.targets.insert(column.target.clone(), support);
                    }
                    None => rows.push(Row {
                        operation,
                        targets: BTreeMap::from([(column.target.clone(), support)]),
                    }),
                }
            }
            columns.push(column);
        }
        SupportTable {
            schema: SCHEMA.to_owned(),
            recorded: recorded.to_owned(),
            model: model.to_owned(),
            columns,
            operations: rows,
        }
    }

    /// How many operations each target implements, in column order.
    pub(crate) fn implemented_counts(&self) -> Vec<(String, usize)> {
        self.columns
            .iter()
            .map(|c| {
                let n = self
                    .operations
                    .iter()
                    .filter(|r| {
                        r.targets
                            .get(&c.target)
                            .is_some_and(Support::is_implemented)
                    })
                    .count();
                (c.target.clone(), n)
            })
            .collect()
    }

    /// The table restricted to these targets (in this order); `None` when it has none of them.
    pub fn restricted(&self, targets: &[&str]) -> Option<SupportTable> {
        let columns: Vec<Column> = targets
            .iter()
            .filter_map(|t| self.columns.iter().find(|c| c.target == *t).cloned())
            .collect();
        if columns.is_empty() {
            return None;
        }
        let operations = self
            .operations
            .iter()
            .map(|r| Row {
                operation: r.operation.clone(),
                targets: r
                    .targets
                    .iter()
                    .filter(|(t, _)| columns.iter().any(|c| &c.target == *t))
                    .map(|(t, s)| (t.clone(), s.clone()))
                    .collect(),
            })
            .collect();
        Some(SupportTable {
            columns,
            operations,
            ..self.clone()
        })
    }

    /// The counts and the operation × target table in Markdown (also the matrix page's section).
    pub(crate) fn markdown_tables(&self) -> String {
        let mut out = String::new();
        out.push_str("| target | version | lock | implemented |\n|---|---|---|---:|\n");
        let counts = self.implemented_counts();
        for (c, (_, n)) in self.columns.iter().zip(&counts) {
            let lock = c
                .lock
                .as_deref()
                .map(|l| format!("`{}`", short(l)))
                .unwrap_or_else(|| "—".to_owned());
            let _ = writeln!(
                out,
                "| {} | {} | {lock} | {n} of {} |",
                c.target,
                c.version,
                self.operations.len()
            );
        }
        out.push_str("\n| operation |");
        for c in &self.columns {
            let _ = write!(out, " {} |", c.target);
        }
        out.push_str("\n|---|");
        for _ in &self.columns {
            out.push_str("---|");
        }
        out.push('\n');
        for row in &self.operations {
            let _ = write!(out, "| `{}` |", row.operation);
            for c in &self.columns {
                let _ = write!(out, " {} |", self.cell_text(row, &c.target));
            }
            out.push('\n');
        }
        out
    }

    /// One cell's words (`✅ 200`, `❌ not implemented (400 InvalidAction)`, `⚠️ fault (…)`, `—`).
    pub(crate) fn cell_text(&self, row: &Row, target: &str) -> String {
        row.targets
            .get(target)
            .map(cell)
            .unwrap_or_else(|| "—".to_owned())
    }

    /// The Markdown page (`docs/support.md`).
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        out.push_str("# Operation support per emulator\n\n");
        out.push_str("Generated by `cognito-drift support` (`just support`); do not edit by hand. Each operation of the\n");
        out.push_str("service model was called once, on a fresh pool with an app client and a signed-in user, with an\n");
        out.push_str("input that is valid by the model; the answer is classified:\n\n");
        out.push_str("- ✅ **implemented**: an answer of the protocol (a success, or an error with a type), shown as\n");
        out.push_str("  status and error type. An error can still mean the input did not fit the fixture (an unknown\n");
        out.push_str("  group, a provider that does not exist): the operation is there.\n");
        out.push_str("- ❌ **not implemented**: the target says so (cognito-local `Unsupported`, ministack\n");
        out.push_str("  `InvalidAction`, `UnknownOperationException`, 501).\n");
        out.push_str("- ⚠️ **fault**: no answer of the protocol. moto answers every operation it lacks with an HTML\n");
        out.push_str("  500 page (and so does an operation it has when it crashes), so on moto a fault is nearly\n");
        out.push_str("  always a missing operation.\n\n");
        let _ = writeln!(
            out,
            "Recorded {} against the model of {}.\n",
            self.recorded, self.model
        );
        out.push_str(&self.markdown_tables());
        out
    }
}

fn cell(s: &Support) -> String {
    match s {
        Support::Implemented { answer } => format!("✅ {answer}"),
        Support::NotImplemented { answer } => format!("❌ not implemented ({answer})"),
        Support::Fault { answer } => format!("⚠️ fault ({answer})"),
    }
}

fn short(digest: &str) -> &str {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    &hex[..hex.len().min(12)]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn col(t: &str) -> Column {
        Column {
            target: t.into(),
            version: "1".into(),
            lock: Some("sha256:0123456789abcdef".into()),
        }
    }

    #[test]
    fn rows_merge_targets_and_count_what_is_implemented() {
        let ok = |a: &str| Support::Implemented { answer: a.into() };
        let no = Support::NotImplemented {
            answer: "400 InvalidAction".into(),
        };
        let t = SupportTable::new(
            "2026-12-02",
            "botocore 1",
            vec![
                (
                    col("a"),
                    vec![("GetUser".into(), ok("200")), ("X".into(), no.clone())],
                ),
                (
                    col("b"),
                    vec![
                        ("GetUser".into(), ok("400 NotAuthorizedException")),
                        ("X".into(), ok("200")),
                    ],
                ),
            ],
        );
        assert_eq!(t.operations.len(), 2);
        assert_eq!(t.implemented_counts(), [("a".into(), 1), ("b".into(), 2)]);
        let md = t.markdown();
        assert!(
            md.contains("| `X` | ❌ not implemented (400 InvalidAction) | ✅ 200 |"),
            "{md}"
        );
        assert!(md.contains("| a | 1 | `0123456789ab` | 1 of 2 |"), "{md}");
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<SupportTable>(&json).unwrap(), t);
    }
}
