//! The shell shared by the HTML reports: one self-contained page with inline CSS, no script and no
//! external request, readable in any browser and as an attachment.

use super::style::{html, status_class};

const CSS: &str = r#"
:root { --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#ffffff; --soft:#f6f8fa;
  --pass:#1a7f37; --pass-bg:#dafbe1; --fail:#cf222e; --fail-bg:#ffebe9; --warn:#9a6700; --warn-bg:#fff8c5;
  --info:#0969da; --info-bg:#ddf4ff; --mute-bg:#eff2f5; --fault:#8250df; --fault-bg:#fbefff; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1320px; margin: 0 auto; padding: 24px 28px 64px; }
header { border-bottom: 1px solid var(--line); padding-bottom: 12px; margin-bottom: 20px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 8px; }
.sub { color: var(--muted); margin: 0; }
code, pre { font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
code { background: var(--soft); border-radius: 4px; padding: 1px 4px; overflow-wrap: anywhere; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow-x: auto; white-space: pre-wrap; }
.counts { display: flex; flex-wrap: wrap; gap: 10px; margin: 14px 0 4px; }
.count { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 96px; background: var(--soft); }
.count b { display: block; font-size: 22px; line-height: 1.2; }
.count span { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
table { border-collapse: collapse; margin: 8px 0 16px; }
table.wide { width: 100%; }
th, td { border: 1px solid var(--line); padding: 6px 9px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.jpath code { overflow-wrap: normal; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:nth-child(even) td { background: #fbfcfd; }
.badge { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.st-pass { color: var(--pass); background: var(--pass-bg); border-color: #aceebb; }
.st-drift, .st-error { color: var(--fail); background: var(--fail-bg); border-color: #ffcecb; }
.st-contract, .st-new { color: var(--warn); background: var(--warn-bg); border-color: #f5e0a0; }
.st-fault { color: var(--fault); background: var(--fault-bg); border-color: #ecd8ff; }
.st-skipped, .st-unsupported, .st-other { color: var(--muted); background: var(--mute-bg); border-color: var(--line); }
td.cell { text-align: center; }
td.cell a { text-decoration: none; }
.known { color: var(--muted); font-size: 12px; display: block; }
.verdict-violation { color: var(--fail); font-weight: 600; }
.verdict-known { color: var(--muted); }
.verdict-unconfirmed { color: var(--warn); }
section.scenario { border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 8px; margin: 16px 0; }
section.scenario > h3 { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.path { color: var(--muted); font-weight: normal; font-size: 12.5px; }
.note { color: var(--muted); }
.gone { color: var(--fail); font-weight: 600; }
ul { margin: 6px 0 12px; padding-left: 22px; }
a { color: var(--info); }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { .count { break-inside: avoid; } section.scenario { break-inside: avoid; } }
"#;

/// A whole page around `body` (already HTML).
pub fn page(title: &str, subtitle: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n\
         <header><h1>{t}</h1><p class=\"sub\">{s}</p></header>\n{body}\
         <footer>cognito-drift {v}. Every value shown was normalised before it was stored: volatile ids are \
         numbered placeholders and secrets are labels.</footer>\n</main>\n</body>\n</html>\n",
        t = html(title),
        s = html(subtitle),
        v = html(env!("CARGO_PKG_VERSION")),
    )
}

/// Statuses with their own colour; any other status is grey.
const COLOURED: &[&str] = &[
    "pass",
    "drift",
    "contract",
    "new",
    "fault",
    "error",
    "skipped",
    "unsupported",
];

fn class_of(status: &str) -> String {
    if COLOURED.contains(&status) {
        status_class(status)
    } else {
        "st-other".to_owned()
    }
}

/// A coloured pill with the status word (colour carries the meaning; no emoji font is needed).
pub(crate) fn badge(status: &str) -> String {
    let class = class_of(status);
    format!("<span class=\"badge {class}\">{}</span>", html(status))
}

/// Summary tiles: total, then one per status.
pub fn counts<'a>(total: usize, by_status: impl Iterator<Item = (&'a str, usize)>) -> String {
    let mut out = format!(
        "<div class=\"counts\"><div class=\"count\"><b>{total}</b><span>total</span></div>"
    );
    for (status, n) in super::style::ordered(by_status) {
        out.push_str(&format!(
            "<div class=\"count {}\"><b>{n}</b><span>{}</span></div>",
            class_of(status),
            html(status)
        ));
    }
    out.push_str("</div>\n");
    out
}
