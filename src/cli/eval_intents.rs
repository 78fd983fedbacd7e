//! `tact eval intents`: the few-shot intent protocol on a labelled CSV.

use super::table::read_columns;
use super::CliError;
use crate::reply::eval::{few_shot, FewShotReport};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// CSV file with a header row.
    file: PathBuf,
    /// Column holding the comment text.
    #[arg(long, default_value = "text")]
    text_column: String,
    /// Column holding the intent label.
    #[arg(long, default_value = "category")]
    label_column: String,
    /// Examples per intent used as template examples.
    #[arg(long, default_value_t = 10)]
    shots: usize,
    /// Seeds of the random split; each seed is one run, the mean is printed last.
    #[arg(long, num_args = 1.., default_values_t = [1u64, 2, 3])]
    seed: Vec<u64>,
    /// Label of out-of-scope rows (never shots; measured for "nothing fits").
    #[arg(long)]
    out_of_scope: Option<String>,
    /// Output: a line of figures per seed, or JSON.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: Args) -> Result<ExitCode, CliError> {
    let rows = read_rows(&args)?;
    let reports: Vec<FewShotReport> = args
        .seed
        .iter()
        .map(|&seed| few_shot(&rows, args.shots, seed, args.out_of_scope.as_deref()))
        .collect();
    match args.format {
        Format::Json => {
            let json = serde_json::to_string_pretty(&reports)
                .map_err(|e| CliError(format!("cannot write JSON: {e}")))?;
            outln!("{json}")?;
        }
        Format::Text => {
            for r in &reports {
                out!(
                    "seed {}: {} intents, {} shots, {} tested: top-1 {:.4}, top-3 {:.4}",
                    r.seed,
                    r.intents,
                    r.shots,
                    r.tested,
                    r.top1,
                    r.top3
                )?;
                if let Some(o) = &r.out_of_scope {
                    out!(
                        "; out-of-scope rejected {:.4} of {}, top-1 with floor {:.4}",
                        o.rejected,
                        o.rows,
                        o.top1_with_floor
                    )?;
                }
                outln!()?;
            }
            let n = reports.len().max(1) as f64;
            outln!(
                "mean: top-1 {:.4}, top-3 {:.4}",
                reports.iter().map(|r| r.top1).sum::<f64>() / n,
                reports.iter().map(|r| r.top3).sum::<f64>() / n
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads `(text, label)` pairs.
fn read_rows(args: &Args) -> Result<Vec<(String, String)>, CliError> {
    let rows = read_columns(&args.file, &[&args.text_column, &args.label_column])?;
    Ok(rows
        .into_iter()
        .filter_map(|row| match <[String; 2]>::try_from(row) {
            Ok([text, label]) => Some((text, label)),
            Err(_) => None,
        })
        .collect())
}
