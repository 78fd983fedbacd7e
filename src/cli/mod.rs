//! The `tact` command line (native only): one module per command, all over the same core
//! the extension runs. Exit codes are part of the automation contract: 0 pass, 1 warn,
//! 2 block, 3 usage or input error.

#[macro_use]
mod out;
mod charter;
mod check;
pub mod eval;
mod eval_intents;
mod input;
mod suggest;
mod table;
mod tweet;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub use input::{read_text, CliError};

#[derive(Parser)]
#[command(
    name = "tact",
    version,
    about = "Check drafts against a brand charter, count tweets as X does, suggest replies"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a draft (text argument or standard input).
    Check(check::Args),
    /// Validate a charter file.
    #[command(subcommand)]
    Charter(charter::Command),
    /// Measure the engines on labelled data.
    #[command(subcommand)]
    Eval(eval::Command),
    /// Weighted length, validity and entities of a tweet, as X counts them.
    Tweet(tweet::Args),
    /// Suggest replies for a comment (text argument, standard input, or a CSV column).
    Suggest(suggest::Args),
}

/// Parses the command line of a Tact binary (`tact`, `tact-store`). A usage error prints
/// clap's message and gives exit status 3; `--help` and `--version`, which clap also
/// reports as errors, print to stdout and give 0.
pub fn parse_args<P: Parser>() -> Result<P, ExitCode> {
    P::try_parse().map_err(|err| {
        let code = if err.use_stderr() { 3 } else { 0 };
        let _ = err.print();
        ExitCode::from(code)
    })
}

/// Parses the arguments, runs the command and maps errors to exit status 3.
pub fn main() -> ExitCode {
    let cli = match parse_args::<Cli>() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Charter(command) => charter::run(command),
        Command::Eval(command) => eval::run(command),
        Command::Tweet(args) => tweet::run(args),
        Command::Suggest(args) => suggest::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("tact: {err}");
            ExitCode::from(3)
        }
    }
}
