//! JUnit XML through quick-junit: one suite per target, one test case per scenario.

use std::io::Write;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::details;
use crate::verdict::{ScenarioReport, Status};

pub fn write(
    w: impl Write,
    reports: &[ScenarioReport],
    target: &str,
) -> Result<(), quick_junit::SerializeError> {
    let mut report = Report::new("cognito-drift");
    report.add_test_suite(suite(reports, target, |_| None));
    report.serialize(w)
}

/// The suite of one target; `extra` adds text to a scenario's output (the matrix adds the differences
/// from the other targets).
pub fn suite(
    reports: &[ScenarioReport],
    target: &str,
    extra: impl Fn(&ScenarioReport) -> Option<String>,
) -> TestSuite {
    let mut suite = TestSuite::new(target);
    for r in reports {
        let status = match r.status {
            Status::Pass | Status::Flaky => TestCaseStatus::success(),
            Status::Skipped => TestCaseStatus::skipped(),
            Status::Unsupported => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(format!("unsupported on {}", r.target));
                s.set_description(details(r, false));
                s
            }
            Status::ScenarioError | Status::TargetFault => failure(NonSuccessKind::Error, r),
            _ if r.status.is_failure() => failure(NonSuccessKind::Failure, r),
            _ => TestCaseStatus::skipped(),
        };
        let mut case = TestCase::new(r.name.as_str(), status);
        case.set_classname(format!("{}.{}", target, r.path.display()));
        case.set_time(r.elapsed);
        let mut out = if r.status.is_failure() {
            String::new()
        } else {
            details(r, false)
        };
        if let Some(more) = extra(r) {
            out.push_str(&more);
        }
        if !out.is_empty() {
            case.set_system_out(out);
        }
        suite.add_test_case(case);
    }
    suite
}

fn failure(kind: NonSuccessKind, r: &ScenarioReport) -> TestCaseStatus {
    let mut s = TestCaseStatus::non_success(kind);
    s.set_message(format!("{} on {}", r.status.as_str(), r.target));
    s.set_type(r.status.as_str());
    s.set_description(details(r, false));
    s
}
