//! The end-of-run report of `fuzz`: totals, outcome classes by count, payload kinds, and each failure
//! with the files written for it, as terminal text written to any `io::Write`.

use std::io::{self, Write};

use super::live::{LiveOptions, Summary};
use super::record::Written;

/// Writes the report of a session of `opts` on `target`; `written[i]` is what was written for
/// `summary.found[i]` (empty when nothing was written).
pub fn write_summary(
    w: &mut dyn Write,
    s: &Summary,
    opts: &LiveOptions,
    target: &str,
    written: &[Result<Written, String>],
) -> io::Result<()> {
    let secs = s.elapsed.as_secs_f64().max(0.001);
    writeln!(
        w,
        "fuzzed {} on {target}: {} payloads (seed {}), {} requests in {secs:.1}s ({:.1} requests/s)",
        opts.operation,
        s.iterations,
        opts.seed,
        s.requests,
        s.requests as f64 / secs
    )?;
    let mut classes: Vec<_> = s.classes.iter().collect();
    classes.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
    writeln!(w, "outcome classes ({}):", classes.len())?;
    for (class, stats) in classes {
        let flag = if stats.violations.is_empty() {
            " "
        } else {
            "!"
        };
        writeln!(
            w,
            " {flag}{:>7}  {class}  (first at #{}, {})",
            stats.count,
            stats.first_iteration,
            stats.example.kind.as_str()
        )?;
    }
    let kinds: Vec<String> = s
        .kinds
        .iter()
        .map(|(k, n)| format!("{} {n}", k.as_str()))
        .collect();
    writeln!(w, "payload kinds: {}", kinds.join(", "))?;
    if s.found.is_empty() {
        return writeln!(w, "no oracle failures");
    }
    writeln!(w, "oracle failures ({}), each shrunk:", s.found.len())?;
    for (i, f) in s.found.iter().enumerate() {
        writeln!(
            w,
            "  {}: {}\n    {} (#{}, {} payload, {} → {} bytes in {} requests)",
            f.failure.slug(),
            f.failure,
            f.class,
            f.iteration,
            f.payload.kind.as_str(),
            f.original_len,
            f.payload.len(),
            f.shrink_requests
        )?;
        match written.get(i) {
            Some(Ok(wr)) => {
                write!(w, "    wrote {}", wr.scenario.display())?;
                match (&wr.pending_snapshot, &wr.note) {
                    (Some(p), _) => writeln!(w, " and {}", p.display())?,
                    (None, Some(note)) => writeln!(w, " ({note})")?,
                    (None, None) => writeln!(w)?,
                }
            }
            Some(Err(e)) => writeln!(w, "    failed to write the scenario: {e}")?,
            None => {}
        }
    }
    if written.iter().any(Result::is_ok) {
        writeln!(
            w,
            "review: read each scenario and its .snap.new; accept (cargo insta review) to keep it as a regression test, or delete both"
        )?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::path::PathBuf;
    use std::time::Duration;

    use super::*;
    use crate::fuzz::{
        Body, Budget, ClassStats, Doc, Failure, Found, MutationKind, OutcomeClass, OutcomeKind,
        Payload, Violation,
    };

    fn opts() -> LiveOptions {
        LiveOptions {
            operation: "SetUserMFAPreference".into(),
            seed: 7,
            budget: Budget::Iterations(1000),
            rate: None,
            latency_bound: Duration::from_secs(2),
            shrink_budget: 200,
        }
    }

    fn payload(kind: MutationKind, body: Body) -> Payload {
        Payload {
            operation: "SetUserMFAPreference".into(),
            kind,
            body,
        }
    }

    fn class(status: u16, error: Option<&str>, template: &str, kind: OutcomeKind) -> OutcomeClass {
        OutcomeClass {
            status: Some(status),
            error: error.map(str::to_owned),
            template: template.into(),
            kind,
        }
    }

    fn stats(count: u64, first: u64, kind: MutationKind, violations: Vec<Violation>) -> ClassStats {
        ClassStats {
            count,
            first_iteration: first,
            example: payload(kind, Body::Json(Doc::Object(Vec::new()))),
            violations,
        }
    }

    /// A session with three classes (two tied on count, one failing), two payload kinds and no failure.
    fn clean() -> Summary {
        let mut s = Summary {
            iterations: 1000,
            requests: 1000,
            elapsed: Duration::from_millis(2500),
            ..Summary::default()
        };
        s.classes.insert(
            class(200, None, "{}", OutcomeKind::Success),
            stats(600, 0, MutationKind::Valid, Vec::new()),
        );
        s.classes.insert(
            class(
                400,
                Some("InvalidParameterException"),
                "# validation error detected: Value '*' at '*' failed",
                OutcomeKind::Error,
            ),
            stats(200, 3, MutationKind::Boundary, Vec::new()),
        );
        s.classes.insert(
            class(400, Some("SerializationException"), "", OutcomeKind::Error),
            stats(200, 1, MutationKind::TypeConfused, Vec::new()),
        );
        s.kinds.insert(MutationKind::Valid, 600);
        s.kinds.insert(MutationKind::Boundary, 200);
        s.kinds.insert(MutationKind::TypeConfused, 150);
        s.kinds.insert(MutationKind::RawBody, 50);
        s
    }

    /// The clean session plus two failing classes, and four distinct failures found, each shrunk.
    fn failing() -> Summary {
        let mut s = clean();
        s.requests = 1240;
        let fault = class(
            500,
            None,
            "status # with a non-json body",
            OutcomeKind::Fault,
        );
        let internal = class(400, Some("InternalErrorException"), "*", OutcomeKind::Error);
        let ok = class(200, None, "{}", OutcomeKind::Success);
        let five = vec![Violation::ServerError, Violation::NotProtocol];
        let undocumented = vec![Violation::UndocumentedError(
            "InternalErrorException".into(),
        )];
        s.classes.insert(
            fault.clone(),
            stats(4, 17, MutationKind::RawBody, five.clone()),
        );
        s.classes.insert(
            internal.clone(),
            stats(9, 40, MutationKind::Boundary, undocumented.clone()),
        );
        let found = |violations: Vec<Violation>,
                     class: &OutcomeClass,
                     iteration,
                     original_len,
                     body: Body,
                     shrink_requests| Found {
            failure: Failure::new(violations, class).unwrap(),
            class: class.clone(),
            iteration,
            original_len,
            payload: payload(
                match body {
                    Body::Raw(_) => MutationKind::RawBody,
                    Body::Json(_) => MutationKind::Boundary,
                },
                body,
            ),
            shrink_requests,
        };
        let json = |members: usize| {
            Body::Json(Doc::Object(
                (0..members).map(|i| (format!("M{i}"), Doc::Null)).collect(),
            ))
        };
        s.found = vec![
            found(five, &fault, 17, 120, Body::Raw(b"{\"".to_vec()), 80),
            found(undocumented, &internal, 40, 64, json(1), 60),
            found(
                vec![Violation::Differs {
                    other: "400 InvalidParameterException".into(),
                }],
                &ok,
                51,
                90,
                json(0),
                50,
            ),
            found(vec![Violation::Slow], &ok, 77, 33, json(2), 50),
        ];
        s
    }

    fn render(s: &Summary, written: &[Result<Written, String>]) -> String {
        let mut out = Vec::new();
        write_summary(&mut out, s, &opts(), "moto", written).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_clean_session() {
        insta::assert_snapshot!(render(&clean(), &[]));
    }

    #[test]
    fn failures_with_what_was_written_for_each() {
        let scenario = |n: &str| PathBuf::from(format!("scenarios/found/{n}.yaml"));
        let written = vec![
            Ok(Written {
                scenario: scenario("a"),
                pending_snapshot: Some(PathBuf::from("snapshots/moto/a.snap.new")),
                note: None,
            }),
            Ok(Written {
                scenario: scenario("b"),
                pending_snapshot: None,
                note: Some("no snapshot written: an identical one exists".into()),
            }),
            Ok(Written {
                scenario: scenario("c"),
                pending_snapshot: None,
                note: None,
            }),
            Err("permission denied".into()),
        ];
        insta::assert_snapshot!(render(&failing(), &written));
    }

    #[test]
    fn failures_not_written() {
        insta::assert_snapshot!(render(&failing(), &[]));
    }
}
