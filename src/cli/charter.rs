//! `tact charter lint FILE`: load and compile a charter, report the first problem with
//! its file, line, column and field, or a one-line summary when it is sound.

use super::check::engine;
use super::CliError;
use crate::charter::load;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Check that a charter loads and compiles.
    Lint {
        /// Charter file (TOML or JSON).
        file: PathBuf,
    },
}

pub fn run(command: Command) -> Result<ExitCode, CliError> {
    match command {
        Command::Lint { file } => {
            engine(Some(&file))?;
            let source = super::table::read_file(&file)?;
            let charter =
                load(&source, &file.display().to_string()).map_err(|e| CliError(e.to_string()))?;
            println!(
                "{}: ok ({} rules, languages: {})",
                file.display(),
                charter.rule.len(),
                charter
                    .charter
                    .languages
                    .iter()
                    .map(|l| format!("{l:?}").to_lowercase())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
