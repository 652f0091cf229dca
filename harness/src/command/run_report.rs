//! Writing a run's report: the format asked for, to standard output or a file, plus the Markdown
//! step summary.

use std::io::Write;

use cognito_drift::report::{html, json, junit, markdown, terminal};
use cognito_drift::verdict::ScenarioReport;

use crate::cli::{Format, ReportArgs};
use crate::Env;

/// The report; `retries` (aws only) follows the terminal summary, apart from the verdicts.
pub(super) fn write_report(
    args: &ReportArgs,
    target: &str,
    reports: &[ScenarioReport],
    retries: Option<&str>,
    env: &Env,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    match args.format {
        Format::Terminal => {
            terminal::write_summary(
                &mut buf,
                reports,
                target,
                env.color && args.output.is_none(),
                args.verbose,
            )?;
            if let Some(line) = retries {
                writeln!(buf, "{line}")?;
            }
        }
        Format::Junit => junit::write(&mut buf, reports, target).map_err(std::io::Error::other)?,
        Format::Markdown => markdown::write(&mut buf, reports, target)?,
        Format::Json => json::write(&mut buf, reports, target)?,
        Format::Html => html::write(&mut buf, reports, target)?,
    }
    if let Some(path) = &args.summary {
        let mut summary = Vec::new();
        markdown::write(&mut summary, reports, target)?;
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?
            .write_all(&summary)?;
    }
    match &args.output {
        Some(path) => {
            std::fs::write(path, &buf)?;
            let mut summary = terminal::summary(reports, target);
            if let Some(line) = retries {
                summary = format!("{summary}\n{line}");
            }
            writeln!(
                std::io::stderr(),
                "{summary}\nreport written to {}",
                path.display()
            )
        }
        None => std::io::stdout().write_all(&buf),
    }
}
