//! `tact charter lint FILE`: load and compile a charter, report the first problem with
//! its file, line, column and field, or a one-line summary when it is sound.

use super::check::engine;
use super::suggest::{lint_line, load_templates};
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
        /// Reply templates (TOML) to check against the charter: each one that breaks it
        /// is listed, and the exit code is 1 (warn).
        #[arg(long)]
        templates: Option<PathBuf>,
    },
}

pub fn run(command: Command) -> Result<ExitCode, CliError> {
    match command {
        Command::Lint { file, templates } => {
            let engine = engine(Some(&file))?;
            let source = super::table::read_file(&file)?;
            let charter =
                load(&source, &file.display().to_string()).map_err(|e| CliError(e.to_string()))?;
            outln!(
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
            )?;
            let Some(path) = templates else {
                return Ok(ExitCode::SUCCESS);
            };
            let library = load_templates(&path)?;
            let lints = library.lint_charter(&engine);
            for lint in &lints {
                outln!("{}", lint_line(&path, lint))?;
            }
            if lints.is_empty() {
                outln!(
                    "{}: ok ({} templates)",
                    path.display(),
                    library.templates.len()
                )?;
                Ok(ExitCode::SUCCESS)
            } else {
                Ok(ExitCode::from(1))
            }
        }
    }
}
