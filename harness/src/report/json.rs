//! The JSON report: [`RunDocument`] as pretty JSON, its field names the documented interface.

use std::io::{self, Write};

use super::document::RunDocument;
use crate::verdict::ScenarioReport;

pub fn write(w: &mut dyn Write, reports: &[ScenarioReport], target: &str) -> io::Result<()> {
    let doc = RunDocument::new(reports, target);
    serde_json::to_writer_pretty(&mut *w, &doc)?;
    writeln!(w)
}
