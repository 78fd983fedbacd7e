//! Reserve quality on the development sets (../shared/data/reserve) and on Tact's own
//! brand-reply sets, with the thresholds of the reserve issue. Prints the real figures,
//! overall and per functionality, so a regression shows where it comes from.

use tact::charter::Engine;
use tact::cli::eval::{evaluate, Scores};
use tact::text::lang::Lang;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/reserve/");
const OWN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/");

fn rows(path: &str, group: Option<&str>) -> Vec<(String, bool, String)> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let headers = reader.headers().expect("header line").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{path}: no column {name}"))
    };
    let (text, label) = (col("text"), col("reserve"));
    let group = group.map(col);
    reader
        .records()
        .map(|r| {
            let r = r.expect("CSV row");
            let g = group.map_or(String::new(), |g| r[g].to_string());
            (r[text].to_string(), &r[label] == "1", g)
        })
        .collect()
}

fn run(name: &str, path: &str, lang: Lang, group: Option<&str>) -> Scores {
    let (all, groups) = evaluate(&Engine::default(), &rows(path, group), Some(lang));
    println!("== {name}\n{}", all.line("overall"));
    if group.is_some() {
        for (g, s) in &groups {
            println!("{}", s.line(g));
        }
    }
    all
}

/// The threshold for the functional test suites: recall ≥ 0.85 with a
/// false-positive rate ≤ 0.10.
fn assert_suite(name: &str, file: &str, lang: Lang) {
    let s = run(name, &format!("{DATA}{file}"), lang, Some("functionality"));
    assert!(
        s.recall() >= 0.85 && s.fpr() <= 0.10,
        "{name}: recall {:.3} fpr {:.3}",
        s.recall(),
        s.fpr()
    );
}

#[test]
fn hatecheck_english() {
    assert_suite("HateCheck EN", "en/hatecheck_dev.csv", Lang::En);
}

#[test]
fn mhc_french() {
    assert_suite("MHC FR", "fr/mhc_dev.csv", Lang::Fr);
}

#[test]
fn davidson_english() {
    let s = run(
        "Davidson EN",
        &format!("{DATA}en/davidson_dev.csv"),
        Lang::En,
        None,
    );
    assert!(s.f1() >= 0.90, "f1 {:.3}", s.f1());
}

#[test]
fn mlma_french_is_reported() {
    let s = run(
        "MLMA FR (no threshold)",
        &format!("{DATA}fr/mlma_dev.csv"),
        Lang::Fr,
        None,
    );
    assert!(s.tp + s.fp + s.tn + s.fn_ > 1000, "the set was read");
}

#[test]
fn own_brand_replies() {
    for (lang, code) in [(Lang::Fr, "fr"), (Lang::En, "en")] {
        let path = format!("{OWN}brand_replies_{code}.csv");
        let s = run(&format!("brand replies {code}"), &path, lang, None);
        assert!(s.fp + s.tn >= 100, "at least 100 replies");
        assert!(s.fpr() <= 0.02, "{code}: fpr {:.3}", s.fpr());
    }
}
