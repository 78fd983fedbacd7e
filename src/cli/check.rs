//! `tact check`: the draft's verdict (placeholder list until the charter engine lands).

use super::{read_text, CliError};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The draft; read from standard input when absent.
    text: Option<String>,
}

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let text = read_text(args.text)?;
    let report = crate::placeholder::check(&text);
    println!("{}", report.verdict.as_str());
    Ok(ExitCode::from(report.verdict as u8))
}
