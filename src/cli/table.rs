//! Reading columns of a CSV file by header name, with errors that name the file, the
//! line and the column.

use super::CliError;
use std::path::Path;

/// The values of one column, naming file, line and column on any error.
pub(crate) fn read_column(path: &Path, column: &str) -> Result<Vec<String>, CliError> {
    Ok(read_columns(path, &[column])?
        .into_iter()
        .filter_map(|mut row| row.pop())
        .collect())
}

/// The values of several columns, row by row, in the order asked.
pub(crate) fn read_columns(path: &Path, columns: &[&str]) -> Result<Vec<Vec<String>>, CliError> {
    let file = path.display();
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| CliError(format!("{file}: cannot open: {e}")))?;
    let headers = reader
        .headers()
        .map_err(|e| CliError(format!("{file}: cannot read the header row: {e}")))?
        .clone();
    let index: Vec<usize> = columns
        .iter()
        .map(|name| {
            headers.iter().position(|h| h == *name).ok_or_else(|| {
                CliError(format!(
                    "{file}:1: no column {name:?}; the header has {}",
                    headers.iter().collect::<Vec<_>>().join(", ")
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| CliError(format!("{file}: {e}")))?;
        let line = record.position().map_or(0, |p| p.line());
        let row = index
            .iter()
            .zip(columns)
            .map(|(&i, name)| {
                record.get(i).map(str::to_string).ok_or_else(|| {
                    CliError(format!("{file}:{line}: the row has no {name:?} field"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        rows.push(row);
    }
    Ok(rows)
}
