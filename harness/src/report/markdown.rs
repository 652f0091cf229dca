//! The Markdown report, fit for a GitHub step summary (`>> $GITHUB_STEP_SUMMARY`): a summary line, one
//! table row per scenario, then the details of every scenario with something to say.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::document::{DriftDoc, FindingDoc, RunDocument, ScenarioDoc, Summary};
use super::style::{md_block, md_cell, md_code, ordered, symbol, value_text};
use crate::verdict::ScenarioReport;

/// Values longer than this are cut in tables.
const MAX_VALUE: usize = 160;

pub fn write(w: &mut dyn Write, reports: &[ScenarioReport], target: &str) -> io::Result<()> {
    w.write_all(render(&RunDocument::new(reports, target)).as_bytes())
}

pub fn render(doc: &RunDocument) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## cognito-drift on {}\n", md_code(&doc.target));
    let _ = writeln!(out, "{}\n", summary_line(&doc.summary));
    out.push_str("| | scenario | status | steps | known divergences | details |\n");
    out.push_str("|---|---|---|---:|---:|---|\n");
    for s in &doc.scenarios {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            symbol(&s.status),
            md_cell(&s.name),
            s.status,
            s.steps.len(),
            known_count(s),
            md_cell(&headline(s))
        );
    }
    for s in doc.scenarios.iter().filter(|s| has_details(s) && s.failed) {
        out.push('\n');
        scenario_details(&mut out, s, "###", "");
    }
    // The details of scenarios that did not fail (known divergences, notes) stay, folded.
    for s in doc.scenarios.iter().filter(|s| has_details(s) && !s.failed) {
        let _ = writeln!(
            out,
            "\n<details><summary>{} {} — {}{}</summary>\n",
            symbol(&s.status),
            md_cell(&s.name),
            s.status,
            folded_counts(s)
        );
        scenario_details(&mut out, s, "###", "");
        out.push_str("</details>\n");
    }
    out
}

/// `: 2 known divergences, 1 note` for the summary of a folded section.
pub(crate) fn folded_counts(s: &ScenarioDoc) -> String {
    let mut parts = Vec::new();
    let known = known_count(s);
    if known > 0 {
        parts.push(plural(known, "known divergence"));
    }
    let other = s.findings.len() - known;
    if other > 0 {
        parts.push(plural(other, "finding"));
    }
    if !s.notes.is_empty() {
        parts.push(plural(s.notes.len(), "note"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join(", "))
    }
}

/// `**13 scenarios**: 11 pass · 1 drift · 1 contract`.
pub(crate) fn summary_line(s: &Summary) -> String {
    let parts: Vec<String> = ordered(s.by_status.iter().map(|(k, n)| (k.as_str(), *n)))
        .into_iter()
        .map(|(status, n)| format!("{} {n} {status}", symbol(status)))
        .collect();
    format!(
        "**{} scenario{}**: {}",
        s.total,
        if s.total == 1 { "" } else { "s" },
        parts.join(" · ")
    )
}

pub(crate) fn known_count(s: &ScenarioDoc) -> usize {
    s.findings.iter().filter(|f| f.known.is_some()).count()
}

/// A few words on why a scenario has its status.
pub(crate) fn headline(s: &ScenarioDoc) -> String {
    let mut parts = Vec::new();
    if let Some(f) = &s.fault {
        match f.partial_text() {
            Some(partial) => parts.push(partial),
            None => parts.push(format!("fault during {}", f.during)),
        }
    }
    if let Some(d) = s.diagnostics.first() {
        parts.push(d.title.clone());
    }
    if !s.drift.is_empty() {
        parts.push(plural(s.drift.len(), "difference"));
    }
    let unknown = s.findings.iter().filter(|f| f.known.is_none()).count();
    if unknown > 0 {
        parts.push(plural(unknown, "contract finding"));
    }
    if !s.gone.is_empty() {
        parts.push(plural(s.gone.len(), "divergence gone"));
    }
    if s.status == "new" {
        parts.push("no snapshot yet".to_owned());
    }
    parts.join("; ")
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn has_details(s: &ScenarioDoc) -> bool {
    s.failed || !s.findings.is_empty() || !s.notes.is_empty()
}

/// One scenario's details under a heading of level `h` (`###`); `on` follows the name (` on moto`).
pub(crate) fn scenario_details(out: &mut String, s: &ScenarioDoc, h: &str, on: &str) {
    let _ = writeln!(
        out,
        "{h} {} {}{} — {}\n",
        symbol(&s.status),
        md_cell(&s.name),
        md_cell(on),
        s.status
    );
    let _ = writeln!(out, "{}\n", md_code(&s.path));
    if let Some(f) = &s.fault {
        match f.partial_text() {
            Some(partial) => {
                let _ = writeln!(
                    out,
                    "**Not supported by the target**: {} (line {}). The steps before it were verified.\n\n{}",
                    md_cell(&partial),
                    f.line,
                    md_block(&f.rendered)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "**Target fault** during {} (line {}):\n\n{}",
                    md_code(&f.during),
                    f.line,
                    md_block(&f.rendered)
                );
            }
        }
    }
    for d in &s.diagnostics {
        let _ = writeln!(
            out,
            "**Scenario error** at line {}:{}: {}\n\n{}",
            d.line,
            d.column,
            md_cell(&d.title),
            md_block(&d.rendered)
        );
    }
    if s.status == "new" {
        out.push_str("No snapshot yet: record one with `cognito-drift record` and review it.\n\n");
    }
    if !s.drift.is_empty() {
        drift_table(out, &s.drift, "snapshot", "actual");
    }
    if !s.findings.is_empty() {
        findings_table(out, &s.findings);
    }
    for g in &s.gone {
        let _ = writeln!(
            out,
            "- **Divergence gone — remove it**: ledger line {} ({}) no longer reproduces: {}",
            g.ledger_line,
            md_code(&g.path),
            md_cell(&g.reason)
        );
    }
    for n in &s.notes {
        let _ = writeln!(out, "- note: {}", md_cell(n));
    }
    if !s.gone.is_empty() || !s.notes.is_empty() {
        out.push('\n');
    }
}

/// A table of differences by JSON path; `left`/`right` name the two sides.
pub(crate) fn drift_table(out: &mut String, drift: &[DriftDoc], left: &str, right: &str) {
    let _ = writeln!(out, "| JSON path | step | {left} | {right} |");
    out.push_str("|---|---|---|---|\n");
    for d in drift {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            md_code(&d.path),
            md_cell(d.step.as_deref().unwrap_or("")),
            md_code(&value_text(d.expected.as_ref(), MAX_VALUE)),
            md_code(&value_text(d.actual.as_ref(), MAX_VALUE)),
        );
    }
    out.push('\n');
}

fn findings_table(out: &mut String, findings: &[FindingDoc]) {
    out.push_str("| contract | JSON path | expected | actual | fact | confidence | ledger |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    for f in findings {
        let verdict = match (&f.known, f.binding) {
            (Some(_), _) => "known divergence",
            (None, true) => "**violation**",
            (None, false) if f.fact == crate::verdict::contract::Deviation::MODEL_SOURCE => {
                "warning"
            }
            (None, false) => "unconfirmed",
        };
        let ledger = f.known.as_ref().map_or(String::new(), |k| {
            let review = k
                .review_by
                .as_deref()
                .map_or(String::new(), |r| format!(" (review by {r})"));
            format!("{}{review}", md_cell(&k.reason))
        });
        let _ = writeln!(
            out,
            "| {verdict} | {} | {} | {} | {} | {} | {ledger} |",
            md_code(&f.path),
            md_cell(&f.expected),
            md_cell(&super::style::cut(&f.actual, MAX_VALUE)),
            md_code(&f.fact),
            f.confidence,
        );
    }
    out.push('\n');
}
