//! `matrix.html`: one self-contained page with counts per target, the scenario × target table (each cell
//! links to its details), and per scenario the differences between targets and each cell's details.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Between, Matrix, Row};
use crate::report::html::{drift_table, scenario_section};
use crate::report::html_page::{badge, counts, page};
use crate::report::style::{anchor, html, ordered};

pub fn write(w: &mut dyn Write, m: &Matrix) -> io::Result<()> {
    w.write_all(render(m).as_bytes())
}

pub fn render(m: &Matrix) -> String {
    let mut body = String::new();
    let cells = m.cell_counts();
    body.push_str(&counts(
        m.scenarios.len() * m.targets.len(),
        cells.iter().map(|(s, n)| (*s, *n)),
    ));
    body.push_str("<h2>Targets</h2>\n<table>\n<tr><th>target</th><th>version</th><th>scenarios</th><th>failed</th><th>statuses</th><th>answers vs model</th></tr>\n");
    for t in &m.targets {
        let statuses: Vec<String> =
            ordered(t.summary.by_status.iter().map(|(s, n)| (s.as_str(), *n)))
                .into_iter()
                .map(|(s, n)| format!("{} {n}", badge(s)))
                .collect();
        let _ = writeln!(
            body,
            "<tr><td><b>{}</b></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            html(&t.name),
            html(&t.version),
            t.summary.total,
            t.summary.failed,
            statuses.join(" "),
            html(&t.conformance.text())
        );
    }
    body.push_str("</table>\n");
    let _ = writeln!(
        body,
        "<h2>Conformance matrix</h2>\n<p class=\"sub\">Each cell is the scenario's verdict on that target against the target's own snapshot; \
         “known” counts contract departures in the target's ledger; “≠ N” counts JSON paths that differ from {}; \
         “model” is each answer checked against the service model before normalisation.</p>",
        baseline_html(m)
    );
    body.push_str("<table class=\"wide\">\n<tr><th>scenario</th>");
    for t in &m.targets {
        let _ = write!(
            body,
            "<th>{}</th><th>{} model</th>",
            html(&t.name),
            html(&t.name)
        );
    }
    body.push_str("</tr>\n");
    for row in &m.scenarios {
        let _ = write!(
            body,
            "<tr><td><a href=\"#{}\">{}</a></td>",
            anchor(&[&row.name]),
            html(&row.name)
        );
        for c in &row.cells {
            let mut extra = String::new();
            if c.known_divergences > 0 {
                let _ = write!(extra, "{} known", c.known_divergences);
            }
            if let Some(b) = row
                .between
                .iter()
                .find(|b| b.target == c.target && b.state == "differs")
            {
                if !extra.is_empty() {
                    extra.push_str(" · ");
                }
                let _ = write!(extra, "≠ {}", b.differences.len());
            }
            let _ = write!(
                body,
                "<td class=\"cell\"><a href=\"#{}\">{}</a>{}</td>",
                anchor(&[&row.name, &c.target]),
                badge(&c.status),
                if extra.is_empty() {
                    String::new()
                } else {
                    format!("<span class=\"known\">{}</span>", html(&extra))
                }
            );
            let _ = write!(body, "<td>{}</td>", html(&c.conformance.text()));
        }
        body.push_str("</tr>\n");
    }
    body.push_str("</table>\n");
    for row in &m.scenarios {
        body.push_str(&row_section(row));
    }
    if let Some(s) = &m.support {
        body.push_str(&support_section(s));
    }
    let names: Vec<&str> = m.targets.iter().map(|t| t.name.as_str()).collect();
    page(
        "cognito-drift conformance matrix",
        &format!("{} scenarios on {}", m.scenarios.len(), names.join(", ")),
        &body,
    )
}

/// The recorded operation support, folded: one row per operation, one column per target.
fn support_section(s: &crate::support::SupportTable) -> String {
    let mut out = format!(
        "<h2>Operation support</h2>\n<p class=\"sub\">Every operation of the model called once per target, recorded {} by <code>cognito-drift support</code>.</p>\n<details><summary>{}</summary>\n<table class=\"wide\">\n<tr><th>operation</th>",
        html(&s.recorded),
        html(
            &s.implemented_counts()
                .iter()
                .map(|(t, n)| format!("{t}: {n} of {} implemented", s.operations.len()))
                .collect::<Vec<_>>()
                .join(" · ")
        )
    );
    for c in &s.columns {
        let _ = write!(out, "<th>{} {}</th>", html(&c.target), html(&c.version));
    }
    out.push_str("</tr>\n");
    for row in &s.operations {
        let _ = write!(out, "<tr><td><code>{}</code></td>", html(&row.operation));
        for c in &s.columns {
            let _ = write!(out, "<td>{}</td>", html(&s.cell_text(row, &c.target)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n</details>\n");
    out
}

fn baseline_html(m: &Matrix) -> String {
    match m.baseline.kind {
        "reference" => format!(
            "the recorded snapshots of <b>{}</b> (not run)",
            html(&m.baseline.name)
        ),
        _ => format!("<b>{}</b> (the first target)", html(&m.baseline.name)),
    }
}

fn row_section(row: &Row) -> String {
    let mut out = format!(
        "<h2 id=\"{}\">{} <span class=\"path\">{}</span></h2>\n",
        anchor(&[&row.name]),
        html(&row.name),
        html(&row.path)
    );
    let mut same = Vec::new();
    for b in &row.between {
        match b.state {
            "differs" => out.push_str(&between_block(b)),
            "same" => same.push(b.target.as_str()),
            _ => {
                let _ = writeln!(
                    out,
                    "<p class=\"note\">{} vs {}: not compared ({}).</p>",
                    html(&b.target),
                    html(&b.against),
                    html(b.reason.as_deref().unwrap_or_default())
                );
            }
        }
    }
    if let (false, Some(b)) = (same.is_empty(), row.between.first()) {
        let _ = writeln!(
            out,
            "<p class=\"note\">Same answers as {}: {}.</p>",
            html(&b.against),
            html(&same.join(", "))
        );
    }
    for c in &row.cells {
        let mut doc = c.report.clone();
        doc.name = format!("{} on {}", row.name, c.target);
        out.push_str(&scenario_section(
            &doc,
            &anchor(&[&row.name, &c.target]),
            None,
        ));
    }
    out
}

fn between_block(b: &Between) -> String {
    let mut out = format!(
        "<p><b>{} differs from {}</b> at {} JSON path{}</p>\n",
        html(&b.target),
        html(&b.against),
        b.differences.len(),
        if b.differences.len() == 1 { "" } else { "s" }
    );
    let docs: Vec<_> = b.differences.iter().map(|d| d.diff.clone()).collect();
    out.push_str(&drift_table(&docs, &b.against, &b.target));
    let known: Vec<String> = b
        .differences
        .iter()
        .filter_map(|d| {
            let k = d.known.as_ref()?;
            Some(format!(
                "<li><code>{}</code>: known in {}'s ledger (line {}): {}</li>",
                html(&d.diff.path),
                html(&k.target),
                k.ledger_line,
                html(&k.reason)
            ))
        })
        .collect();
    if !known.is_empty() {
        let _ = writeln!(out, "<ul class=\"note\">{}</ul>", known.join(""));
    }
    out
}
