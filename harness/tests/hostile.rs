#![allow(clippy::unwrap_used)]

//! Hostile scenario files: every file in `tests/hostile/` must be rejected with diagnostics that point
//! at `file:line:col`, show the line and a caret, and suggest a fix where one is near. The rendered
//! errors are insta snapshots (`tests/snapshots/hostile__*.snap`). Inputs too big to commit are
//! generated here; for those the error kind is asserted (the loader's budget must stop them).

use std::path::{Path, PathBuf};

use cognito_drift::diagnostic::{render_all, Diagnostic};
use cognito_drift::model::cognito;
use cognito_drift::scenario::{load, read_source};
use cognito_drift::span::Span;

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/hostile")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// Reads and loads `path` as the binary does, naming it `display` in diagnostics.
fn reject(path: &Path, display: &Path) -> (Vec<Diagnostic>, String) {
    let bytes = std::fs::read(path).expect("readable");
    let text = match read_source(path) {
        Ok(text) => text,
        Err(diags) => {
            let diags = diags
                .into_iter()
                .map(|mut d| {
                    d.path = display.to_owned();
                    d
                })
                .collect();
            return (diags, String::from_utf8_lossy(&bytes).into_owned());
        }
    };
    match load(display, &text, cognito()) {
        Ok(s) => panic!("{} loaded as scenario `{}`", path.display(), s.name.value),
        Err(diags) => (diags, text),
    }
}

#[test]
fn there_are_at_least_thirty_hostile_files() {
    assert!(corpus().len() >= 30, "{} files", corpus().len());
}

#[test]
fn every_hostile_file_is_rejected_with_a_located_diagnostic() {
    for path in corpus() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let display = Path::new("hostile").join(path.file_name().unwrap());
        let (diags, text) = reject(&path, &display);
        assert!(!diags.is_empty(), "{name}: no diagnostic");
        let rendered = render_all(&diags, &text, false);
        for d in &diags {
            if d.span != Span::UNKNOWN {
                let at = format!(
                    "--> {}:{}:{}",
                    display.display(),
                    d.span.line,
                    d.span.column
                );
                assert!(rendered.contains(&at), "{name}: no `{at}` in\n{rendered}");
            }
        }
        assert!(
            diags.iter().any(|d| d.span != Span::UNKNOWN),
            "{name}: no diagnostic has a position:\n{rendered}"
        );
        if !text.is_empty() {
            assert!(rendered.contains('^'), "{name}: no caret:\n{rendered}");
        }
        insta::assert_snapshot!(name, rendered);
    }
}

/// The titles of what loading `text` reports.
fn titles(text: &str) -> Vec<String> {
    match load(Path::new("generated.yaml"), text, cognito()) {
        Ok(_) => panic!("generated input loaded"),
        Err(diags) => diags.into_iter().map(|d| d.title).collect(),
    }
}

const TOO_BIG: &str = "scenario file is too large or too deeply nested";

#[test]
fn deep_nesting_is_stopped_by_the_budget() {
    for depth in [200, 100_000] {
        let text = format!(
            "name: deep\nsteps:\n  - name: a\n    call: GetUser\n    input: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        assert_eq!(titles(&text), [TOO_BIG], "depth {depth}");
        let text = format!("name: deep\nsteps:\n{}x\n", "- ".repeat(depth));
        assert_eq!(titles(&text), [TOO_BIG], "block depth {depth}");
    }
}

#[test]
fn wide_alias_bombs_are_stopped_by_the_budget() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..30 {
        let prev = format!("*a{}", i - 1);
        text.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            [prev.as_str(); 10].join(", ")
        ));
    }
    text.push_str("name: bomb\nsteps: *a29\n");
    assert_eq!(titles(&text), [TOO_BIG]);
}

#[test]
fn huge_files_are_stopped_by_the_budget() {
    let many_nodes = format!("name: huge\nsteps:\n{}", "  - x\n".repeat(2_000_000));
    assert_eq!(titles(&many_nodes), [TOO_BIG], "two million list items");
    let long_scalar = format!(
        "name: huge\ndescription: {}\nsteps: []\n",
        "y".repeat(20 << 20)
    );
    assert_eq!(titles(&long_scalar), [TOO_BIG], "a 20 MB scalar");
}

#[test]
fn an_oversized_file_on_disk_is_refused_before_it_is_read() {
    let dir = std::env::temp_dir().join(format!("cognito-drift-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.yaml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(2 << 30).unwrap();
    let diags = read_source(&path).expect_err("a 2 GiB file is refused");
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].title, "scenario file is too large");
}
