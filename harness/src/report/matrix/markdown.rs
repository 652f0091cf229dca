//! `matrix.md` (also printed on standard output): the scenario × target table, the differences between
//! targets by JSON path, then the details of every cell with something to say.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Between, Cell, Matrix};
use crate::report::markdown::scenario_details;
use crate::report::style::{md_cell, md_code, ordered, symbol, value_text};

/// Values longer than this are cut in tables.
const MAX_VALUE: usize = 120;

pub fn write(w: &mut dyn Write, m: &Matrix) -> io::Result<()> {
    w.write_all(render(m).as_bytes())
}

pub fn render(m: &Matrix) -> String {
    let mut out = table(m);
    let differing: Vec<_> = m
        .scenarios
        .iter()
        .filter(|r| r.between.iter().any(|b| b.state == "differs"))
        .collect();
    if !differing.is_empty() {
        let _ = writeln!(
            out,
            "\n### Differences between targets\n\nEach table compares a target's normalised answers with {}.\n",
            baseline_words(m)
        );
        for row in differing {
            for b in row.between.iter().filter(|b| b.state == "differs") {
                let _ = writeln!(
                    out,
                    "#### {} on {}\n",
                    md_cell(&row.name),
                    md_code(&b.target)
                );
                between_table(&mut out, b);
            }
        }
    }
    let detailed: Vec<(&str, &Cell)> = m
        .scenarios
        .iter()
        .flat_map(|r| r.cells.iter().map(move |c| (r.name.as_str(), c)))
        .filter(|(_, c)| c.failed || !c.report.findings.is_empty() || !c.report.notes.is_empty())
        .collect();
    if !detailed.is_empty() {
        out.push_str("\n### Details\n\n");
        for (_, c) in detailed {
            scenario_details(&mut out, &c.report, "####", &format!(" on {}", c.target));
        }
    }
    if let Some(s) = &m.support {
        let _ = writeln!(
            out,
            "\n### Operation support\n\nEvery operation of the model called once per target, recorded {} by `cognito-drift support` (docs/support.md).\n",
            s.recorded
        );
        out.push_str(&s.markdown_tables());
    }
    out
}

/// The heading, the target line and the scenario × target table: what goes on standard output.
pub fn table(m: &Matrix) -> String {
    let mut out = String::from("## cognito-drift conformance matrix\n\n");
    let targets: Vec<String> = m
        .targets
        .iter()
        .map(|t| format!("{} ({})", md_code(&t.name), md_cell(&t.version)))
        .collect();
    let _ = writeln!(
        out,
        "Targets: {}. Differences between targets are measured against {}.\n",
        targets.join(", "),
        baseline_words(m)
    );
    let counts: Vec<String> = ordered(m.cell_counts().into_iter())
        .into_iter()
        .map(|(s, n)| format!("{} {n} {s}", symbol(s)))
        .collect();
    let _ = writeln!(
        out,
        "**{} cells**: {}\n",
        m.scenarios.len() * m.targets.len(),
        counts.join(" · ")
    );
    out.push_str("| scenario |");
    for t in &m.targets {
        let _ = write!(out, " {} | {} model |", md_cell(&t.name), md_cell(&t.name));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|---|".repeat(m.targets.len()));
    out.push('\n');
    for row in &m.scenarios {
        let _ = write!(out, "| {} |", md_cell(&row.name));
        for c in &row.cells {
            let b = row.between.iter().find(|b| b.target == c.target);
            let _ = write!(out, " {} | {} |", cell_text(c, b), c.conformance.text());
        }
        out.push('\n');
    }
    let _ = write!(out, "| **answers vs model** |");
    for t in &m.targets {
        let _ = write!(out, " | **{}** |", t.conformance.text());
    }
    out.push('\n');
    out.push_str(
        "\n<sub>✅ pass (matches its snapshot) · ❌ drift · ⚠️ contract deviation · 🚫 not supported · \
         💥 fault · 🆕 new (no snapshot) · ⏭️ skipped · 🛑 scenario error · \"N known\": known divergences \
         in the target's ledger · \"≠ N\": JSON paths that differ from the baseline · \"model\": answers \
         checked against the service model before normalisation (⚠️ N rules broken, warnings for members \
         outside the model, \"known\" in the ledger; see docs/conformance.md)</sub>\n",
    );
    out
}

fn cell_text(c: &Cell, b: Option<&Between>) -> String {
    let mut t = format!("{} {}", symbol(&c.status), c.status);
    if let Some(partial) = c.report.fault.as_ref().and_then(|f| f.partial_text()) {
        let _ = write!(t, " ({partial})");
    }
    if c.known_divergences > 0 {
        let _ = write!(t, " · {} known", c.known_divergences);
    }
    if let Some(b) = b.filter(|b| b.state == "differs") {
        let _ = write!(t, " · ≠ {}", b.differences.len());
    }
    t
}

pub(crate) fn baseline_words(m: &Matrix) -> String {
    match m.baseline.kind {
        "reference" => format!(
            "the recorded snapshots of {} (not run)",
            md_code(&m.baseline.name)
        ),
        _ => format!("{} (the first target)", md_code(&m.baseline.name)),
    }
}

fn between_table(out: &mut String, b: &Between) {
    let _ = writeln!(
        out,
        "| JSON path | step | {} | {} | known |",
        md_cell(&b.against),
        md_cell(&b.target)
    );
    out.push_str("|---|---|---|---|---|\n");
    for d in &b.differences {
        let known = d.known.as_ref().map_or(String::new(), |k| {
            format!("{} ledger: {}", md_cell(&k.target), md_cell(&k.reason))
        });
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {known} |",
            md_code(&d.diff.path),
            md_cell(d.diff.step.as_deref().unwrap_or("")),
            md_code(&value_text(d.diff.expected.as_ref(), MAX_VALUE)),
            md_code(&value_text(d.diff.actual.as_ref(), MAX_VALUE)),
        );
    }
    out.push('\n');
}
