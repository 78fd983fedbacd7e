//! `tact suggest`: the best replies for a comment, or for every row of a CSV column.

use super::{read_text, CliError};
use crate::reply::template::Lint;
use crate::reply::{FillContext, Library, Suggester, Suggestions};
use crate::text::lang::Lang;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The comment; read from standard input when absent (and no --input).
    text: Option<String>,
    /// Template library (TOML); the built-in French and English one when absent.
    #[arg(long)]
    templates: Option<PathBuf>,
    /// Charter (TOML or JSON) the templates are checked against at load; the built-in
    /// packs when absent. Templates that break it are listed on standard error.
    #[arg(long)]
    charter: Option<PathBuf>,
    /// How many suggestions to give.
    #[arg(long, default_value_t = 3)]
    top: usize,
    /// Language of the comment: auto (guess), fr or en.
    #[arg(long, value_enum, default_value_t = LangArg::Auto)]
    lang: LangArg,
    /// Output: text, json (one comment) or jsonl (one line per CSV row).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// CSV file of comments (batch mode; the output is one JSON line per row).
    #[arg(long, requires = "column")]
    input: Option<PathBuf>,
    /// Column of --input holding the comments.
    #[arg(long)]
    column: Option<String>,
    /// Fill-in values.
    #[arg(long)]
    author: Option<String>,
    #[arg(long)]
    handle: Option<String>,
    #[arg(long)]
    brand: Option<String>,
    #[arg(long)]
    agent: Option<String>,
    #[arg(long)]
    link: Option<String>,
    /// Local hour (0–23) for the greeting.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..24))]
    hour: Option<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LangArg {
    Auto,
    Fr,
    En,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Jsonl,
}

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let library = match &args.templates {
        Some(path) => {
            let library = load_templates(path)?;
            let engine = super::check::engine(args.charter.as_ref())?;
            for lint in library.lint_charter(&engine) {
                eprintln!("{}", lint_line(path, &lint));
            }
            library
        }
        None => Library::default_library(),
    };
    let suggester = Suggester::new(library);
    let ctx = FillContext {
        author: args.author.clone(),
        handle: args.handle.clone(),
        brand: args.brand.clone(),
        agent: args.agent.clone(),
        link: args.link.clone(),
        hour: args.hour,
    };
    let lang = match args.lang {
        LangArg::Auto => None,
        LangArg::Fr => Some(Lang::Fr),
        LangArg::En => Some(Lang::En),
    };
    let suggest = |text: &str| suggester.suggest_in(text, lang, &ctx, args.top);
    if let (Some(input), Some(column)) = (&args.input, &args.column) {
        if matches!(args.format, Some(Format::Text | Format::Json)) {
            return Err(CliError(
                "--input writes one JSON line per row: use --format jsonl".into(),
            ));
        }
        for row in super::table::read_columns(input, &[column.as_str()])? {
            let text = row.into_iter().next().unwrap_or_default();
            outln!("{}", to_json(&suggest(&text), false)?)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let text = read_text(args.text)?;
    let out = suggest(&text);
    match args.format.unwrap_or(Format::Text) {
        Format::Json => outln!("{}", to_json(&out, true)?)?,
        Format::Jsonl => outln!("{}", to_json(&out, false)?)?,
        Format::Text => print_text(&out)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// A template library file, with load errors naming the file, line and field.
pub fn load_templates(path: &Path) -> Result<Library, CliError> {
    let source = super::table::read_file(path)?;
    Library::from_toml(&source, &path.display().to_string()).map_err(|e| CliError(e.to_string()))
}

/// `file:line: template "id": message`, the form editors and CI logs link from.
pub fn lint_line(path: &Path, lint: &Lint) -> String {
    format!(
        "{}:{}: template {:?}: {}",
        path.display(),
        lint.line,
        lint.template,
        lint.message
    )
}

fn to_json(out: &Suggestions, pretty: bool) -> Result<String, CliError> {
    let json = if pretty {
        serde_json::to_string_pretty(out)
    } else {
        serde_json::to_string(out)
    };
    json.map_err(|e| CliError(format!("cannot write JSON: {e}")))
}

fn print_text(out: &Suggestions) -> Result<(), CliError> {
    match &out.intent {
        None => outln!(
            "{}: nothing fits (best score {:.2})",
            out.lang.as_str(),
            out.confidence
        )?,
        Some(intent) => outln!("{}: {intent} ({:.2})", out.lang.as_str(), out.confidence)?,
    }
    for (i, s) in out.suggestions.iter().enumerate() {
        let action = s
            .action
            .map(|a| format!(" [{}]", format!("{a:?}").to_lowercase()))
            .unwrap_or_default();
        outln!("\n{}. {} ({:.2}){action}", i + 1, s.template, s.score)?;
        if !s.text.is_empty() {
            outln!("{}", s.text)?;
        }
    }
    Ok(())
}
