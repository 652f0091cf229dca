//! The terminal report: one line per scenario as it finishes, details for failures, a summary.

use std::io::{self, Write};

use super::details;
use crate::verdict::{ScenarioReport, Status};

/// The line printed when a scenario finishes.
pub fn line(r: &ScenarioReport, color: bool) -> String {
    let label = match r.status {
        Status::Pass => paint("PASS", "32", color),
        Status::Skipped => paint("SKIP", "2", color),
        Status::New => paint("NEW ", "33", color),
        Status::Drift => paint("DRIFT", "31", color),
        Status::ContractViolation => paint("CONTRACT", "31", color),
        Status::ScenarioError => paint("ERROR", "31", color),
        Status::TargetFault => paint("FAULT", "35", color),
        Status::Unsupported => paint("UNSUP", "36", color),
        Status::Flaky => paint("FLAKY", "33", color),
        Status::Internal => paint("INTERNAL", "31", color),
    };
    let known = r.findings.iter().filter(|f| f.known.is_some()).count();
    let unconfirmed = r
        .findings
        .iter()
        .filter(|f| f.known.is_none() && !f.deviation.is_binding())
        .count();
    let mut extra = String::new();
    if known > 0 {
        extra.push_str(&format!(
            ", {known} known divergence{}",
            if known == 1 { "" } else { "s" }
        ));
    }
    if unconfirmed > 0 {
        extra.push_str(&format!(", {unconfirmed} unconfirmed"));
    }
    if let Some(f) = r.fault.as_ref().filter(|_| r.status == Status::Unsupported) {
        extra.push_str(&format!(": `{}` not supported: {}", f.during, f.message));
    } else if let Some(partial) = r.fault.as_ref().and_then(|f| f.partial_text()) {
        extra.push_str(&format!(" ({partial})"));
    }
    format!(
        "{label:>8} [{:>6.2}s] {} ({}){extra}",
        r.elapsed.as_secs_f64(),
        r.name,
        r.path.display()
    )
}

/// Details of the scenarios that need attention (failed, new or flaky; with `verbose`, every scenario
/// with details, such as the known divergences of a passing one), then the summary line. A green run
/// stays short: a line per scenario (printed as each finishes) and the summary.
pub fn write_summary(
    w: &mut dyn Write,
    reports: &[ScenarioReport],
    target: &str,
    color: bool,
    verbose: bool,
) -> io::Result<()> {
    for r in reports {
        let show = r.status.is_failure() || r.status == Status::Flaky || verbose;
        if !show {
            continue;
        }
        let text = details(r, color);
        if !text.is_empty() {
            writeln!(w, "\n--- {} on {} ({})", r.name, target, r.status.as_str())?;
            w.write_all(text.as_bytes())?;
        }
    }
    writeln!(w, "\n{}", summary(reports, target))?;
    if let Some(line) = timing(reports) {
        writeln!(w, "{line}")?;
    }
    if let Some(line) = quiet_counts(reports, verbose) {
        writeln!(w, "{line}")?;
    }
    Ok(())
}

/// What the details of passing scenarios would have said, counted: `48 known divergences,
/// 12 unconfirmed findings, 3 notes (--verbose shows them)`. `None` when there is nothing to count.
pub(crate) fn quiet_counts(reports: &[ScenarioReport], verbose: bool) -> Option<String> {
    let quiet: Vec<&ScenarioReport> = reports
        .iter()
        .filter(|r| !(r.status.is_failure() || r.status == Status::Flaky))
        .collect();
    let known: usize = quiet
        .iter()
        .map(|r| r.findings.iter().filter(|f| f.known.is_some()).count())
        .sum();
    let unconfirmed: usize = quiet
        .iter()
        .map(|r| {
            r.findings
                .iter()
                .filter(|f| f.known.is_none() && !f.deviation.confidence.is_binding())
                .count()
        })
        .sum();
    let notes: usize = quiet.iter().map(|r| r.notes.len()).sum();
    let mut parts = Vec::new();
    for (n, one, many) in [
        (known, "known divergence", "known divergences"),
        (unconfirmed, "unconfirmed finding", "unconfirmed findings"),
        (notes, "note", "notes"),
    ] {
        match n {
            0 => {}
            1 => parts.push(format!("1 {one}")),
            n => parts.push(format!("{n} {many}")),
        }
    }
    if parts.is_empty() {
        return None;
    }
    let tail = if verbose {
        "shown above"
    } else {
        "--verbose shows them"
    };
    Some(format!(
        "in scenarios that did not fail: {} ({tail})",
        parts.join(", ")
    ))
}

/// Where the run's time went, when it is worth a line: how the scenarios were spread over the
/// target's instances (`ran on 2 instances: 27 + 26 scenarios`) and the time spent waiting for fresh
/// TOTP time steps (`waited 41.2 s for fresh TOTP time steps in 5 scenarios, alongside the others`),
/// and how many shared a pool (`40 of 53 scenarios in shared pools`).
pub fn timing(reports: &[ScenarioReport]) -> Option<String> {
    let ran: Vec<&ScenarioReport> = reports
        .iter()
        .filter(|r| !matches!(r.status, Status::Skipped | Status::ScenarioError))
        .collect();
    let mut parts = Vec::new();
    let instances = ran.iter().map(|r| r.instance + 1).max().unwrap_or(0);
    if instances > 1 {
        let counts: Vec<String> = (0..instances)
            .map(|i| ran.iter().filter(|r| r.instance == i).count().to_string())
            .collect();
        parts.push(format!(
            "ran on {instances} instances: {} scenarios",
            counts.join(" + ")
        ));
    }
    let shared = ran.iter().filter(|r| r.shared_pool).count();
    if shared > 0 {
        parts.push(format!(
            "{shared} of {} scenarios in shared pools (--isolate: a pool each)",
            ran.len()
        ));
    }
    let waited: Vec<&&ScenarioReport> = ran.iter().filter(|r| !r.totp_wait.is_zero()).collect();
    if !waited.is_empty() {
        let total: f64 = waited.iter().map(|r| r.totp_wait.as_secs_f64()).sum();
        parts.push(format!(
            "waited {total:.1} s for fresh TOTP time steps in {} scenario{}, alongside the others",
            waited.len(),
            if waited.len() == 1 { "" } else { "s" }
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// `12 scenarios on moto: 11 passed, 1 drift, ...`.
pub fn summary(reports: &[ScenarioReport], target: &str) -> String {
    let count = |s: Status| reports.iter().filter(|r| r.status == s).count();
    let mut parts = vec![format!("{} passed", count(Status::Pass))];
    for (s, word) in [
        (Status::Drift, "drift"),
        (Status::New, "new"),
        (Status::ContractViolation, "contract violation"),
        (Status::ScenarioError, "scenario error"),
        (Status::TargetFault, "target fault"),
        (Status::Unsupported, "unsupported"),
        (Status::Skipped, "skipped"),
        (Status::Flaky, "flaky"),
    ] {
        let n = count(s);
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    format!(
        "{} scenarios on {target}: {}",
        reports.len(),
        parts.join(", ")
    )
}

fn paint(s: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn report(instance: usize, wait_ms: u64) -> ScenarioReport {
        let mut r = ScenarioReport::new(
            "s",
            std::path::Path::new("s.yaml"),
            String::new(),
            "moto",
            Status::Pass,
        );
        r.instance = instance;
        r.totp_wait = Duration::from_millis(wait_ms);
        r
    }

    #[test]
    fn timing_counts_instances_and_totp_waits_and_is_silent_otherwise() {
        assert_eq!(timing(&[report(0, 0), report(0, 0)]), None);
        assert_eq!(
            timing(&[report(0, 12_300), report(1, 0), report(1, 0)]).as_deref(),
            Some("ran on 2 instances: 1 + 2 scenarios; waited 12.3 s for fresh TOTP time steps in 1 scenario, alongside the others")
        );
        assert_eq!(
            timing(&[report(0, 1_000), report(0, 2_000)]).as_deref(),
            Some("waited 3.0 s for fresh TOTP time steps in 2 scenarios, alongside the others")
        );
        let mut shared = report(0, 0);
        shared.shared_pool = true;
        assert_eq!(
            timing(&[shared, report(0, 0), report(0, 0)]).as_deref(),
            Some("1 of 3 scenarios in shared pools (--isolate: a pool each)")
        );
    }
}
