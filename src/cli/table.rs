//! Reading files the CLI is handed: charters and CSV batches, with errors that name the
//! file, the row and the column.

use super::CliError;
use std::path::Path;

/// The whole file as UTF-8 text.
pub fn read_file(path: &Path) -> Result<String, CliError> {
    let bytes = std::fs::read(path)
        .map_err(|e| CliError(format!("cannot read {}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        CliError(format!(
            "{} is not valid UTF-8 (first bad byte at offset {}); save it as UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// The named columns of every row of a CSV file with a header line, in row order.
pub fn read_columns(path: &Path, names: &[&str]) -> Result<Vec<Vec<String>>, CliError> {
    let file = std::fs::File::open(path)
        .map_err(|e| CliError(format!("cannot read {}: {e}", path.display())))?;
    let mut reader = csv::Reader::from_reader(std::io::BufReader::new(file));
    let headers = reader
        .headers()
        .map_err(|e| {
            CliError(format!(
                "{}: cannot read the header line: {e}",
                path.display()
            ))
        })?
        .clone();
    let mut indices = Vec::with_capacity(names.len());
    for name in names {
        let index = headers
            .iter()
            .position(|h| h.trim() == *name)
            .ok_or_else(|| {
                let known: Vec<&str> = headers.iter().collect();
                CliError(format!(
                    "{}: no column named \"{name}\" (columns: {}); pick one with --column",
                    path.display(),
                    known.join(", ")
                ))
            })?;
        indices.push(index);
    }
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(n + 2, |p| p.line() as usize);
            CliError(format!("{}:{line}: {e}", path.display()))
        })?;
        let row = indices
            .iter()
            .map(|&i| record.get(i).unwrap_or_default().to_string())
            .collect();
        rows.push(row);
    }
    Ok(rows)
}
