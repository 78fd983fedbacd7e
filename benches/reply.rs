//! Reply suggestion speed: learning a library at load, and ranking one comment.
//! Targets (wasm): learn ≤ 30 ms, rank ≤ 200 µs; native should be well under.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use tact::reply::{FillContext, Library, Suggester};

/// A 77 × 10 library shaped like BANKING77's few-shot protocol, built from its data when
/// present (the shared data folder sits beside the repository), else synthetic.
fn banking_library() -> Library {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/intents/banking77/train.csv"
    );
    let mut by_label: Vec<(String, Vec<String>)> = Vec::new();
    if let Ok(mut reader) = csv::Reader::from_path(path) {
        for record in reader.records().flatten() {
            let (text, label) = (record[0].to_string(), record[1].to_string());
            match by_label.iter_mut().find(|(l, _)| *l == label) {
                Some((_, texts)) if texts.len() < 10 => texts.push(text),
                Some(_) => {}
                None => by_label.push((label, vec![text])),
            }
        }
    }
    if by_label.is_empty() {
        by_label = (0..77)
            .map(|i| {
                let texts = (0..10)
                    .map(|j| {
                        format!("how do I get my card number {i} working again after step {j}")
                    })
                    .collect();
                (format!("intent_{i}"), texts)
            })
            .collect();
    }
    let mut toml = String::new();
    for (label, texts) in &by_label {
        let examples: Vec<String> = texts.iter().map(|t| format!("{t:?}")).collect();
        toml.push_str(&format!(
            "[[template]]\nid = \"{label}\"\nintents = [\"{}\"]\nlang = \"en\"\ntext = \"Hello {{author}}\"\nexamples = [{}]\n\n",
            label.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
            examples.join(", ")
        ));
    }
    Library::from_toml(&toml, "banking77").unwrap_or_else(|e| panic!("{e}"))
}

fn bench(c: &mut Criterion) {
    let default = Library::default_library();
    let banking = banking_library();
    c.bench_function("learn default library", |b| {
        b.iter(|| Suggester::new(black_box(default.clone())))
    });
    c.bench_function("learn 77x10 library", |b| {
        b.iter(|| Suggester::new(black_box(banking.clone())))
    });
    let ctx = FillContext {
        author: Some("Marie".into()),
        hour: Some(19),
        ..FillContext::default()
    };
    let suggester = Suggester::new(default);
    c.bench_function("suggest (default library)", |b| {
        b.iter(|| {
            suggester.suggest(
                black_box("Ma commande n'est toujours pas arrivée, ça fait deux semaines !"),
                &ctx,
                3,
            )
        })
    });
    let suggester = Suggester::new(banking);
    c.bench_function("suggest (77x10 library)", |b| {
        b.iter(|| {
            suggester.suggest(
                black_box("I am still waiting on my card, it has been two weeks"),
                &ctx,
                3,
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
