//! Reading what the user hands the CLI, with one-line errors instead of panics.

use std::fmt;
use std::io::Read;

/// An error the user can act on; printed as one line, exit status 3.
#[derive(Debug)]
pub struct CliError(pub String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CliError {}

/// The text argument, or all of standard input when it is absent. Invalid UTF-8 on
/// standard input is an error that says where the first bad byte is.
pub fn read_text(arg: Option<String>) -> Result<String, CliError> {
    if let Some(text) = arg {
        return Ok(text);
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| CliError(format!("cannot read standard input: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        CliError(format!(
            "standard input is not valid UTF-8 (first bad byte at offset {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })
}
