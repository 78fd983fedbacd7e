//! `tact eval …`: measure the engines on labelled data with the same code the extension
//! runs. `reserve` scores the reserve pack; other evaluations join as sibling commands.

use super::table::read_columns;
use super::CliError;
use crate::charter::{Context, Engine};
use crate::text::lang::Lang;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Recall, false-positive rate, precision and F1 of the reserve pack on a CSV.
    Reserve(ReserveArgs),
    /// The few-shot intent protocol: template examples drawn from the file, top-1/top-3.
    Intents(super::eval_intents::Args),
}

#[derive(clap::Args)]
pub struct ReserveArgs {
    /// CSV file with a text column and a 0/1 label column.
    file: PathBuf,
    #[arg(long, default_value = "text")]
    text_column: String,
    #[arg(long, default_value = "reserve")]
    label_column: String,
    /// Also report per value of this column (e.g. `functionality`).
    #[arg(long)]
    by: Option<String>,
    /// The texts' language (guessed per text when absent).
    #[arg(long, value_parser = ["fr", "en"])]
    lang: Option<String>,
}

pub fn run(command: Command) -> Result<ExitCode, CliError> {
    match command {
        Command::Reserve(args) => reserve(args),
        Command::Intents(args) => super::eval_intents::run(args),
    }
}

/// Confusion counts for one group of rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scores {
    pub tp: usize,
    pub fp: usize,
    pub tn: usize,
    pub fn_: usize,
}

impl Scores {
    pub fn add(&mut self, label: bool, flagged: bool) {
        match (label, flagged) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (false, false) => self.tn += 1,
            (true, false) => self.fn_ += 1,
        }
    }

    fn ratio(a: usize, b: usize) -> f64 {
        if b == 0 {
            f64::NAN
        } else {
            a as f64 / b as f64
        }
    }

    pub fn recall(&self) -> f64 {
        Self::ratio(self.tp, self.tp + self.fn_)
    }
    pub fn fpr(&self) -> f64 {
        Self::ratio(self.fp, self.fp + self.tn)
    }
    pub fn precision(&self) -> f64 {
        Self::ratio(self.tp, self.tp + self.fp)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        2.0 * p * r / (p + r)
    }

    /// One aligned line: name, rows, then the four figures.
    pub fn line(&self, name: &str) -> String {
        let rows = self.tp + self.fp + self.tn + self.fn_;
        format!(
            "{name:<24} n={rows:<6} recall={:.3} fpr={:.3} precision={:.3} f1={:.3}",
            self.recall(),
            self.fpr(),
            self.precision(),
            self.f1()
        )
    }
}

/// Whether the reserve pack flags `text`.
pub fn flags(engine: &Engine, text: &str, lang: Option<Lang>) -> bool {
    let ctx = Context {
        lang,
        ..Context::default()
    };
    engine
        .check(text, &ctx)
        .findings
        .iter()
        .any(|f| f.rule == "reserve")
}

/// Scores of every row, overall and per group (group column value, or "" without one).
pub fn evaluate(
    engine: &Engine,
    rows: &[(String, bool, String)],
    lang: Option<Lang>,
) -> (Scores, BTreeMap<String, Scores>) {
    let mut all = Scores::default();
    let mut groups: BTreeMap<String, Scores> = BTreeMap::new();
    for (text, label, group) in rows {
        let flagged = flags(engine, text, lang);
        all.add(*label, flagged);
        groups
            .entry(group.clone())
            .or_default()
            .add(*label, flagged);
    }
    (all, groups)
}

fn reserve(args: ReserveArgs) -> Result<ExitCode, CliError> {
    let mut columns = vec![args.text_column.as_str(), args.label_column.as_str()];
    if let Some(by) = &args.by {
        columns.push(by);
    }
    let table = read_columns(&args.file, &columns)?;
    let mut rows = Vec::with_capacity(table.len());
    for (n, row) in table.into_iter().enumerate() {
        let label = match row[1].trim() {
            "1" => true,
            "0" => false,
            other => {
                return Err(CliError(format!(
                    "{}: row {}: label \"{other}\" in column {} is not 0 or 1",
                    args.file.display(),
                    n + 2,
                    args.label_column
                )))
            }
        };
        let group = row.get(2).cloned().unwrap_or_default();
        rows.push((row[0].clone(), label, group));
    }
    let lang = match args.lang.as_deref() {
        Some("fr") => Some(Lang::Fr),
        Some("en") => Some(Lang::En),
        _ => None,
    };
    let (all, groups) = evaluate(&Engine::default(), &rows, lang);
    outln!("{}", all.line("overall"))?;
    if args.by.is_some() {
        for (name, scores) in &groups {
            outln!("{}", scores.line(name))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
