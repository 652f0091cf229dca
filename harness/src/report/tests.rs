//! The run reports (Markdown, JSON, HTML) on a small fixed set of scenario reports.
#![allow(clippy::unwrap_used)]

use super::document::RunDocument;
use super::fixture::reports;
use super::{html, json, markdown};

#[test]
fn markdown_run_report() {
    insta::assert_snapshot!(markdown::render(&RunDocument::new(
        &reports("moto"),
        "moto"
    )));
}

#[test]
fn json_run_report() {
    let mut buf = Vec::new();
    json::write(&mut buf, &reports("moto"), "moto").unwrap();
    let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
    insta::assert_json_snapshot!(v);
}

#[test]
fn json_summary_counts_and_failures() {
    let doc = RunDocument::new(&reports("moto"), "moto");
    assert_eq!((doc.summary.total, doc.summary.failed), (5, 3));
    assert_eq!(doc.schema, "cognito-drift/run/v1");
    let contract = &doc.scenarios[2];
    assert_eq!(contract.findings[0].path, "$.steps[0].status");
    assert!(contract.findings[0].binding && !contract.findings[1].binding);
    assert_eq!(contract.gone[0].ledger_line, 4);
}

#[test]
fn html_run_report_is_self_contained_and_escaped() {
    let page = html::render(&RunDocument::new(&reports("moto"), "moto"));
    assert!(page.starts_with("<!DOCTYPE html>") && page.trim_end().ends_with("</html>"));
    assert!(!page.contains("<script") && !page.contains("<link"));
    assert!(!page.contains("http://") && !page.contains("https://"));
    assert!(page.contains("<style>"));
    assert!(page.contains("&lt;b&gt;Bad Gateway&lt;/b&gt;"));
    assert!(page.contains("<code>$.steps[1].body.UserMFASettingList</code>"));
    assert!(page.contains("Divergence gone — remove it:"));
    assert!(page.contains("verdict-violation"));
    assert!(page.contains(">T1<"), "fact id shown");
    assert!(page.contains("MED-HIGH"), "confidence shown");
}

#[test]
fn terminal_details_only_for_what_needs_attention() {
    use super::terminal;
    let reports = reports("moto");
    let render = |verbose: bool| {
        let mut buf = Vec::new();
        terminal::write_summary(&mut buf, &reports, "moto", false, verbose).unwrap();
        String::from_utf8(buf).unwrap()
    };
    let quiet = render(false);
    // The passing scenario with a known divergence and the skipped one show no details...
    for r in reports.iter().filter(|r| !r.status.is_failure()) {
        assert!(
            !quiet.contains(&format!("--- {} on moto", r.name)),
            "{}:\n{quiet}",
            r.name
        );
    }
    // ...every failed one does, and the summary counts what was folded away.
    for r in reports.iter().filter(|r| r.status.is_failure()) {
        assert!(
            quiet.contains(&format!("--- {} on moto", r.name)),
            "{}:\n{quiet}",
            r.name
        );
    }
    assert!(
        quiet.contains(
            "in scenarios that did not fail: 1 known divergence, 1 note (--verbose shows them)"
        ),
        "{quiet}"
    );
    let verbose = render(true);
    for r in &reports {
        if !super::details(r, false).is_empty() {
            assert!(
                verbose.contains(&format!("--- {} on moto", r.name)),
                "{verbose}"
            );
        }
    }
    assert!(verbose.contains("(shown above)"), "{verbose}");
}

#[test]
fn markdown_and_html_fold_the_details_of_passing_scenarios() {
    let doc = RunDocument::new(&reports("moto"), "moto");
    let md = markdown::render(&doc);
    assert!(
        md.contains("<details><summary>✅ garbage-token — pass: 1 known divergence</summary>"),
        "{md}"
    );
    let page = html::render(&doc);
    assert!(
        page.contains("<details class=\"quiet\"><summary>garbage-token"),
        "{page}"
    );
    // Failed scenarios stay open.
    let failed = doc.scenarios.iter().find(|s| s.failed).unwrap();
    assert!(
        !md.contains(&format!("<summary>❌ {}", failed.name)),
        "{md}"
    );
}
