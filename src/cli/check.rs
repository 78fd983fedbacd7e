//! `tact check`: a draft's verdict and findings, or one JSON line per row of a CSV.
//!
//! Exit status: 0 pass, 1 warn, 2 block (the worst row in a batch), 3 usage or input
//! error, so a team can lint a content calendar in its own CI.

use super::table::{read_columns, read_file};
use super::{read_text, CliError};
use crate::charter::{Context, Engine, Mode, Network};
use crate::report::{Report, Verdict};
use crate::text::lang::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The draft; read from standard input when absent (and no --input).
    text: Option<String>,
    /// Charter file (TOML or JSON); without it, the built-in packs with reserve at warn.
    #[arg(long)]
    charter: Option<PathBuf>,
    #[arg(long, value_enum)]
    network: Option<NetworkArg>,
    #[arg(long, value_enum, default_value = "auto")]
    lang: LangArg,
    #[arg(long, value_enum, default_value = "normal")]
    mode: ModeArg,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Check every row of this CSV file (with --column) instead of one draft.
    #[arg(long, requires = "column")]
    input: Option<PathBuf>,
    /// The CSV column holding the drafts.
    #[arg(long)]
    column: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum NetworkArg {
    X,
    Facebook,
    Linkedin,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LangArg {
    Fr,
    En,
    Auto,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ModeArg {
    Normal,
    Intern,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Jsonl,
}

/// The engine for `--charter FILE`, or the default one.
pub fn engine(charter: Option<&PathBuf>) -> Result<Engine, CliError> {
    match charter {
        None => Ok(Engine::default()),
        Some(path) => {
            let source = read_file(path)?;
            Engine::from_source(&source, &path.display().to_string())
                .map_err(|e| CliError(e.to_string()))
        }
    }
}

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let engine = engine(args.charter.as_ref())?;
    let ctx = Context {
        network: args.network.map(|n| match n {
            NetworkArg::X => Network::X,
            NetworkArg::Facebook => Network::Facebook,
            NetworkArg::Linkedin => Network::Linkedin,
        }),
        lang: match args.lang {
            LangArg::Fr => Some(Lang::Fr),
            LangArg::En => Some(Lang::En),
            LangArg::Auto => None,
        },
        mode: match args.mode {
            ModeArg::Normal => Mode::Normal,
            ModeArg::Intern => Mode::Intern,
        },
        ..Context::default()
    };
    let drafts = match (&args.input, &args.column) {
        (Some(path), Some(column)) => read_columns(path, &[column])?
            .into_iter()
            .map(|mut row| row.swap_remove(0))
            .collect(),
        _ => vec![read_text(args.text)?],
    };
    let mut worst = Verdict::Pass;
    for draft in &drafts {
        let report = engine.check(draft, &ctx);
        worst = worst.max(report.verdict);
        match args.format {
            Format::Text => out!("{}", render(draft, &report))?,
            Format::Json => outln!("{}", to_json(&report, true)?)?,
            Format::Jsonl => outln!("{}", to_json(&report, false)?)?,
        }
    }
    Ok(ExitCode::from(worst as u8))
}

fn to_json(report: &Report, pretty: bool) -> Result<String, CliError> {
    let json = if pretty {
        serde_json::to_string_pretty(report)
    } else {
        serde_json::to_string(report)
    };
    json.map_err(|e| CliError(format!("cannot write JSON: {e}")))
}

/// A readable report: the verdict, then each finding with its words marked in the line.
fn render(draft: &str, report: &Report) -> String {
    let mut out = format!("{}\n", report.verdict.as_str());
    for f in &report.findings {
        let line_start = draft[..f.byte_start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = draft[f.byte_start..]
            .find('\n')
            .map_or(draft.len(), |i| f.byte_start + i);
        let line = &draft[line_start..line_end];
        let pad = draft[line_start..f.byte_start].chars().count();
        let width = f.excerpt.chars().count().max(1);
        let severity = format!("{:?}", f.severity).to_lowercase();
        out.push_str(&format!(
            "\n{severity} {} ({}) at {}..{}: {}\n  {line}\n  {}{}\n",
            f.rule,
            f.category,
            f.start,
            f.end,
            f.message,
            " ".repeat(pad),
            "^".repeat(width)
        ));
        if let Some(s) = &f.suggestion {
            out.push_str(&format!("  suggestion: {s}\n"));
        }
    }
    out
}
