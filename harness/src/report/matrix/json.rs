//! `matrix.json`: [`Matrix`] as pretty JSON, its field names the documented interface.

use std::io::{self, Write};

use super::Matrix;

pub fn write(w: &mut dyn Write, m: &Matrix) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, m)?;
    writeln!(w)
}
