//! `matrix.junit.xml`: one test suite per target, one test case per scenario; the differences from the
//! baseline go to the test case's output.

use std::fmt::Write as _;
use std::io::Write;

use quick_junit::Report;

use super::{Matrix, TargetRun};
use crate::report::junit::suite;
use crate::report::style::value_text;

pub fn write(
    w: impl Write,
    targets: &[TargetRun],
    m: &Matrix,
) -> Result<(), quick_junit::SerializeError> {
    let mut report = Report::new("cognito-drift matrix");
    for t in targets {
        report.add_test_suite(suite(&t.reports, &t.name, |r| {
            between_text(m, &r.name, &t.name)
        }));
    }
    report.serialize(w)
}

fn between_text(m: &Matrix, scenario: &str, target: &str) -> Option<String> {
    let row = m.scenarios.iter().find(|r| r.name == scenario)?;
    let b = row
        .between
        .iter()
        .find(|b| b.target == target && b.state == "differs")?;
    let mut out = format!("\ndifferences from {}:\n", b.against);
    for d in &b.differences {
        let _ = writeln!(out, "  {}", d.diff.path);
        let _ = writeln!(
            out,
            "    {}: {}",
            b.against,
            value_text(d.diff.expected.as_ref(), 200)
        );
        let _ = writeln!(
            out,
            "    {target}: {}",
            value_text(d.diff.actual.as_ref(), 200)
        );
        if let Some(k) = &d.known {
            let _ = writeln!(
                out,
                "    known ({} ledger line {}): {}",
                k.target, k.ledger_line, k.reason
            );
        }
    }
    Some(out)
}
