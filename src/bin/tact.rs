//! `tact`: the command-line face of the core, for linting content calendars and scripting.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "tact",
    version,
    about = "Check drafts against a brand charter, count tweets, suggest replies"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a draft with the built-in placeholder word list (the charter engine replaces it).
    Check {
        /// The draft; read from standard input when absent.
        text: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { text } => {
            let text = text.unwrap_or_default();
            let report = tact::placeholder::check(&text);
            println!("{}", report.verdict.as_str());
            ExitCode::SUCCESS
        }
    }
}
