//! The HTML report of one run: summary tiles, a table of scenarios, then each scenario's details (drift
//! by JSON path, contract findings with fact and confidence, known divergences, faults, notes).

use std::fmt::Write as _;
use std::io::{self, Write};

use super::document::{DriftDoc, FindingDoc, RunDocument, ScenarioDoc};
use super::html_page::{badge, counts, page};
use super::markdown::{folded_counts, headline, known_count};
use super::style::{anchor, cut, html, value_text};
use crate::verdict::ScenarioReport;

/// Values longer than this are cut.
const MAX_VALUE: usize = 600;

pub fn write(w: &mut dyn Write, reports: &[ScenarioReport], target: &str) -> io::Result<()> {
    w.write_all(render(&RunDocument::new(reports, target)).as_bytes())
}

pub fn render(doc: &RunDocument) -> String {
    let mut body = counts(
        doc.summary.total,
        doc.summary.by_status.iter().map(|(s, n)| (s.as_str(), *n)),
    );
    body.push_str("<h2>Scenarios</h2>\n<table class=\"wide\">\n<tr><th>scenario</th><th>status</th><th>steps</th><th>known divergences</th><th>details</th><th>time</th></tr>\n");
    for s in &doc.scenarios {
        let _ = writeln!(
            body,
            "<tr><td><a href=\"#{}\">{}</a></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{:.2}s</td></tr>",
            anchor(&[&s.name]),
            html(&s.name),
            badge(&s.status),
            s.steps.len(),
            known_count(s),
            html(&headline(s)),
            s.elapsed_ms as f64 / 1000.0
        );
    }
    body.push_str("</table>\n<h2>Details</h2>\n");
    for s in &doc.scenarios {
        let section = scenario_section(s, &anchor(&[&s.name]), None);
        if s.failed {
            body.push_str(&section);
        } else {
            // Scenarios that did not fail keep their details, folded.
            let _ = writeln!(
                body,
                "<details class=\"quiet\"><summary>{} {}{}</summary>",
                html(&s.name),
                badge(&s.status),
                html(&folded_counts(s))
            );
            body.push_str(&section);
            body.push_str("</details>\n");
        }
    }
    page(
        &format!("cognito-drift on {}", doc.target),
        &format!(
            "{} scenarios, {} failed",
            doc.summary.total, doc.summary.failed
        ),
        &body,
    )
}

/// One scenario's section: heading with its status, steps, drift, findings, ledger, fault and notes.
/// `extra` is HTML added at the end (the matrix adds the differences between targets there).
pub(crate) fn scenario_section(s: &ScenarioDoc, id: &str, extra: Option<&str>) -> String {
    let mut out = format!(
        "<section class=\"scenario\" id=\"{}\">\n<h3>{} {} <span class=\"path\">{}</span></h3>\n",
        html(id),
        html(&s.name),
        badge(&s.status),
        html(&s.path)
    );
    if let Some(f) = &s.fault {
        match f.partial_text() {
            Some(partial) => {
                let _ = writeln!(
                    out,
                    "<p><b>Not supported by the target</b>: {} (line {}). The steps before it were verified.</p>\n<pre class=\"diagnostic\">{}</pre>",
                    html(&partial),
                    f.line,
                    html(f.rendered.trim_end())
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "<p><b>Target fault</b> during <code>{}</code> (line {}):</p>\n<pre class=\"diagnostic\">{}</pre>",
                    html(&f.during),
                    f.line,
                    html(f.rendered.trim_end())
                );
            }
        }
    }
    for d in &s.diagnostics {
        let _ = writeln!(
            out,
            "<p><b>Scenario error</b> at line {}:{}: {}</p>\n<pre class=\"diagnostic\">{}</pre>",
            d.line,
            d.column,
            html(&d.title),
            html(d.rendered.trim_end())
        );
    }
    if s.status == "new" {
        out.push_str("<p>No snapshot yet: record one with <code>cognito-drift record</code> and review it.</p>\n");
    }
    if !s.steps.is_empty() {
        out.push_str("<table>\n<tr><th>#</th><th>step</th><th>operation</th><th>status</th><th>error</th></tr>\n");
        for (i, st) in s.steps.iter().enumerate() {
            let _ = writeln!(
                out,
                "<tr><td class=\"num\">{i}</td><td>{}</td><td><code>{}</code></td><td class=\"num\">{}</td><td>{}</td></tr>",
                html(&st.name),
                html(&st.operation),
                st.status,
                st.error.as_deref().map(html).unwrap_or_default()
            );
        }
        out.push_str("</table>\n");
    }
    if !s.drift.is_empty() {
        out.push_str("<p><b>Drift from the snapshot</b></p>\n");
        out.push_str(&drift_table(&s.drift, "snapshot", "actual"));
    }
    if !s.findings.is_empty() {
        out.push_str("<p><b>Contract findings</b></p>\n");
        out.push_str(&findings_table(&s.findings));
    }
    if !s.gone.is_empty() || !s.notes.is_empty() {
        out.push_str("<ul>\n");
        for g in &s.gone {
            let _ = writeln!(
                out,
                "<li><span class=\"gone\">Divergence gone — remove it:</span> ledger line {} (<code>{}</code>) no longer reproduces: {}</li>",
                g.ledger_line,
                html(&g.path),
                html(&g.reason)
            );
        }
        for n in &s.notes {
            let _ = writeln!(out, "<li class=\"note\">note: {}</li>", html(n));
        }
        out.push_str("</ul>\n");
    }
    if let Some(extra) = extra {
        out.push_str(extra);
    }
    out.push_str("</section>\n");
    out
}

/// Differences by JSON path; `left`/`right` name the two sides.
pub(crate) fn drift_table(drift: &[DriftDoc], left: &str, right: &str) -> String {
    let mut out = format!(
        "<table class=\"wide\">\n<tr><th>JSON path</th><th>step</th><th>kind</th><th>{}</th><th>{}</th></tr>\n",
        html(left),
        html(right)
    );
    for d in drift {
        let _ = writeln!(
            out,
            "<tr><td class=\"jpath\"><code>{}</code></td><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
            html(&d.path),
            html(d.step.as_deref().unwrap_or("")),
            d.kind,
            html(&value_text(d.expected.as_ref(), MAX_VALUE)),
            html(&value_text(d.actual.as_ref(), MAX_VALUE)),
        );
    }
    out.push_str("</table>\n");
    out
}

fn findings_table(findings: &[FindingDoc]) -> String {
    let mut out = String::from("<table class=\"wide\">\n<tr><th>verdict</th><th>step</th><th>JSON path</th><th>expected</th><th>actual</th><th>fact</th><th>confidence</th><th>ledger</th></tr>\n");
    for f in findings {
        let (class, verdict) = match (&f.known, f.binding) {
            (Some(_), _) => ("verdict-known", "known divergence"),
            (None, true) => ("verdict-violation", "violation"),
            (None, false) => ("verdict-unconfirmed", "unconfirmed"),
        };
        let ledger = f.known.as_ref().map_or(String::new(), |k| {
            let mut t = html(&k.reason);
            if let Some(r) = &k.review_by {
                let _ = write!(t, " <span class=\"note\">(review by {})</span>", html(r));
            }
            if let Some(l) = &k.link {
                let _ = write!(t, " <span class=\"note\">{}</span>", html(l));
            }
            t
        });
        let _ = writeln!(
            out,
            "<tr><td class=\"{class}\">{verdict}</td><td>{}<br><span class=\"note\">line {}</span></td><td class=\"jpath\"><code>{}</code></td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{ledger}</td></tr>",
            html(&f.step),
            f.line,
            html(&f.path),
            html(&f.expected),
            html(&cut(&f.actual, MAX_VALUE)),
            html(&f.fact),
            f.confidence,
        );
    }
    out.push_str("</table>\n");
    out
}
