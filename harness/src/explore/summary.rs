//! The end-of-run report of `explore`, as terminal text or JSON, written to any `io::Write`.

use std::io::{self, Write};

use serde_json::json;

use super::engine::Summary;
use super::group::Entry;
use super::judge::Kind;
use super::write::Written;

fn status(e: &Entry) -> &'static str {
    match (e.known, e.confirmed) {
        (true, _) => "known",
        (false, Some(true)) => "confirmed",
        (false, Some(false)) => "flaky",
        (false, None) => "not shrunk",
    }
}

fn steps_of(e: &Entry) -> usize {
    e.shrunk.as_ref().unwrap_or(&e.example).actions.len()
}

/// Plain text for a terminal.
pub fn write_terminal(
    w: &mut dyn Write,
    s: &Summary,
    seed: u64,
    written: &[(usize, Result<Written, String>)],
) -> io::Result<()> {
    let secs = s.elapsed.as_secs_f64().max(0.001);
    let steps: usize = s.targets.values().map(|t| t.steps).sum();
    writeln!(
        w,
        "explored {} sequences (seed {seed}) in {:.1}s: {} steps on {} targets; corpus {} sequences, {} coverage points{}",
        s.sequences,
        secs,
        steps,
        s.targets.len(),
        s.corpus_size,
        s.coverage_points,
        if s.interrupted { " (interrupted)" } else { "" }
    )?;
    for (name, t) in &s.targets {
        let busy = t.busy.as_secs_f64().max(0.001);
        writeln!(
            w,
            "  {name}: {} steps ({:.1}/s), {} requests with fixtures and teardown ({:.1}/s; {:.1}/s inside one run){}{}",
            t.steps,
            t.steps as f64 / secs,
            t.requests,
            t.requests as f64 / secs,
            t.requests as f64 / busy,
            if t.unsupported.is_empty() {
                String::new()
            } else {
                let u: Vec<String> = t.unsupported.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
                format!("; unsupported: {}", u.join(", "))
            },
            if t.faults.is_empty() {
                String::new()
            } else {
                format!("; {} faults (first: sequence {} after {} steps: {})", t.faults.len(), t.faults[0].0, t.faults[0].1, t.faults[0].2)
            }
        )?;
    }
    for e in &s.render_errors {
        writeln!(w, "  internal: {e}")?;
    }
    let known = s.entries.iter().filter(|e| e.known).count();
    writeln!(
        w,
        "findings: {} distinct ({} new, {known} known from a ledger entry or a kept scenario); shrinking took {:.1}s",
        s.entries.len(),
        s.entries.len() - known,
        s.shrink_elapsed.as_secs_f64()
    )?;
    for kind in [Kind::Contract, Kind::Divergence, Kind::Unconfirmed] {
        let of: Vec<(usize, &Entry)> = s
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.signature.kind == kind)
            .collect();
        if of.is_empty() {
            continue;
        }
        writeln!(w, "{} ({}):", kind.as_str(), of.len())?;
        for (i, e) in of {
            writeln!(
                w,
                "  [{}] ×{} {} — {} steps (from {}), first in sequence {}",
                status(e),
                e.count,
                e.signature.key(),
                steps_of(e),
                e.example.actions.len(),
                e.first_sequence
            )?;
            writeln!(
                w,
                "      {} — {} in state [{}]; on {}; {} variant{}",
                e.scenario_name(),
                e.label,
                e.predicate,
                e.targets.iter().cloned().collect::<Vec<_>>().join(", "),
                e.variants.len(),
                if e.variants.len() == 1 { "" } else { "s" }
            )?;
            writeln!(w, "      {}", e.detail)?;
            if let Some((_, r)) = written.iter().find(|(j, _)| *j == i) {
                match r {
                    Ok(wr) => {
                        writeln!(w, "      wrote {}", wr.scenario.display())?;
                        for (t, snap) in &wr.snapshots {
                            match snap {
                                Ok(p) => writeln!(w, "        {t}: {}", p.display())?,
                                Err(m) => writeln!(w, "        {t}: {m}")?,
                            }
                        }
                    }
                    Err(m) => writeln!(w, "      not written: {m}")?,
                }
            }
        }
    }
    if written.iter().any(|(_, r)| r.is_ok()) {
        writeln!(
            w,
            "review: read each scenario and its .snap.new files; keep the real ones (move the snapshots into place, add ledger entries for binding departures) or delete them"
        )?;
    }
    Ok(())
}

/// The same as one JSON document.
pub fn write_json(
    w: &mut dyn Write,
    s: &Summary,
    seed: u64,
    written: &[(usize, Result<Written, String>)],
) -> io::Result<()> {
    let targets: serde_json::Map<String, serde_json::Value> = s
        .targets
        .iter()
        .map(|(n, t)| {
            (
                n.clone(),
                json!({
                    "steps": t.steps,
                    "requests": t.requests,
                    "sequences": t.sequences,
                    "busy_seconds": t.busy.as_secs_f64(),
                    "unsupported": t.unsupported,
                    "faults": t.faults.iter().map(|(i, n, m)| json!({"sequence": i, "steps": n, "message": m})).collect::<Vec<_>>(),
                }),
            )
        })
        .collect();
    let findings: Vec<serde_json::Value> = s
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let file = written
                .iter()
                .find(|(j, _)| *j == i)
                .and_then(|(_, r)| r.as_ref().ok())
                .map(|w| w.scenario.display().to_string());
            json!({
                "kind": e.signature.kind.as_str(),
                "fact": e.signature.fact,
                "action": e.signature.action,
                "outcomes": e.signature.outcomes,
                "name": e.scenario_name(),
                "first": {"action": e.label, "state": e.predicate},
                "targets": e.targets,
                "variants": e.variants,
                "count": e.count,
                "first_sequence": e.first_sequence,
                "status": status(e),
                "steps": steps_of(e),
                "original_steps": e.example.actions.len(),
                "detail": e.detail,
                "scenario": file,
            })
        })
        .collect();
    let doc = json!({
        "seed": seed,
        "sequences": s.sequences,
        "elapsed_seconds": s.elapsed.as_secs_f64(),
        "shrink_seconds": s.shrink_elapsed.as_secs_f64(),
        "interrupted": s.interrupted,
        "corpus": s.corpus_size,
        "coverage_points": s.coverage_points,
        "targets": targets,
        "findings": findings,
    });
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    writeln!(w)
}
