//! JUnit XML through quick-junit: one suite per target, one test case per scenario.

use std::io::Write;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::details;
use crate::run::{ScenarioReport, Status};

pub fn write(
    w: impl Write,
    reports: &[ScenarioReport],
    target: &str,
) -> Result<(), quick_junit::SerializeError> {
    let mut report = Report::new("cognito-drift");
    let mut suite = TestSuite::new(target);
    for r in reports {
        let status = match r.status {
            Status::Pass | Status::Flaky => TestCaseStatus::success(),
            Status::Skipped => TestCaseStatus::skipped(),
            Status::ScenarioError | Status::TargetFault => failure(NonSuccessKind::Error, r),
            Status::New | Status::Drift | Status::ContractViolation => {
                failure(NonSuccessKind::Failure, r)
            }
        };
        let mut case = TestCase::new(r.name.as_str(), status);
        case.set_classname(format!("{}.{}", target, r.path.display()));
        case.set_time(r.elapsed);
        let text = details(r, false);
        if !text.is_empty() && matches!(r.status, Status::Pass | Status::Flaky) {
            case.set_system_out(text);
        }
        suite.add_test_case(case);
    }
    report.add_test_suite(suite);
    report.serialize(w)
}

fn failure(kind: NonSuccessKind, r: &ScenarioReport) -> TestCaseStatus {
    let mut s = TestCaseStatus::non_success(kind);
    s.set_message(format!("{} on {}", r.status.as_str(), r.target));
    s.set_type(r.status.as_str());
    s.set_description(details(r, false));
    s
}
