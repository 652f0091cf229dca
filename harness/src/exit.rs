//! Named process exit codes, documented in the README.

/// Every scenario passed (matches its snapshot and its contract).
pub const OK: i32 = 0;
/// At least one scenario drifted from its snapshot or violated a binding contract expectation.
pub const DRIFT: i32 = 1;
/// Bad command line or a scenario file that does not load.
pub const USAGE: i32 = 2;
/// The target misbehaved: unreachable, timed out, or answered outside the protocol (HTML, non-JSON).
pub const TARGET_FAULT: i32 = 3;
/// The verdicts are in, but the report could not be written (a full disk, a missing folder).
pub const REPORT: i32 = 4;
/// Stopped by Ctrl-C (the managed target is stopped first).
pub const INTERRUPTED: i32 = 130;
/// The harness itself failed (a panic inside a scenario's task): a bug to report, not a verdict.
pub const INTERNAL: i32 = 101;

/// The one exit policy of every command that produces verdicts, from the worst of them: scenario
/// errors (2), then internal errors (101), then target faults (3), then — unless `recording`, where
/// differences are what was asked for — any other failing verdict (1).
pub fn for_verdicts(
    statuses: impl IntoIterator<Item = crate::verdict::Status>,
    recording: bool,
) -> i32 {
    use crate::verdict::Status;
    let statuses: Vec<Status> = statuses.into_iter().collect();
    if statuses.contains(&Status::ScenarioError) {
        USAGE
    } else if statuses.contains(&Status::Internal) {
        INTERNAL
    } else if statuses.contains(&Status::TargetFault) {
        TARGET_FAULT
    } else if !recording && statuses.iter().any(crate::verdict::Status::is_failure) {
        DRIFT
    } else {
        OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Status::*;

    #[test]
    fn the_worst_verdict_picks_the_code() {
        assert_eq!(for_verdicts([Pass, Skipped, Flaky, Unsupported], false), OK);
        assert_eq!(for_verdicts([Pass, Drift], false), DRIFT);
        assert_eq!(for_verdicts([New], false), DRIFT);
        assert_eq!(for_verdicts([ContractViolation], false), DRIFT);
        assert_eq!(for_verdicts([New, TargetFault, Drift], false), TARGET_FAULT);
        assert_eq!(for_verdicts([TargetFault, Internal], false), INTERNAL);
        assert_eq!(for_verdicts([Internal, ScenarioError], false), USAGE);
        assert_eq!(for_verdicts([New, Drift], true), OK);
        assert_eq!(for_verdicts([New, TargetFault], true), TARGET_FAULT);
    }
}
