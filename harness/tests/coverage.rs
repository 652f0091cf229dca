//! docs/coverage.md is what `just coverage` renders from the committed scenarios, snapshots, ledgers and
//! docs/unreachable.yaml, and every exception × target cell is filled. Verify only: it never writes.

#![allow(clippy::unwrap_used)]

mod common;

use cognito_drift::report::coverage;

#[test]
fn coverage_page_is_up_to_date_and_complete() {
    let root = common::root();
    let input = coverage::read(
        &root.join("scenarios"),
        &root.join("snapshots"),
        &root.join("docs/unreachable.yaml"),
    )
    .expect("coverage inputs read");
    let page = coverage::render(&input);
    assert!(
        page.problems.is_empty(),
        "docs/unreachable.yaml and the snapshots leave problems:\n{}",
        page.problems.join("\n")
    );
    let committed = std::fs::read_to_string(root.join("docs/coverage.md")).unwrap_or_default();
    assert!(
        committed == page.markdown,
        "docs/coverage.md is out of date: run `just coverage` and commit the result"
    );
}
