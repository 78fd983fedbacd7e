use tact::reply::classify::IntentModel;
#[test]
fn prof() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/intents/banking77/train.csv");
    let mut r = csv::Reader::from_path(path).unwrap();
    let mut by: Vec<(String, Vec<String>)> = Vec::new();
    for rec in r.records().flatten() {
        let (t, l) = (rec[0].to_string(), rec[1].to_string());
        match by.iter_mut().find(|(x, _)| *x == l) {
            Some((_, v)) if v.len() < 10 => v.push(t),
            Some(_) => {}
            None => by.push((l, vec![t])),
        }
    }
    let pairs: Vec<(&str, &str)> = by.iter().flat_map(|(l, v)| v.iter().map(move |t| (t.as_str(), l.as_str()))).collect();
    let n = 30;
    let t0 = std::time::Instant::now();
    for _ in 0..n { std::hint::black_box(IntentModel::learn(pairs.iter().copied())); }
    println!("learn {:?}", t0.elapsed() / n);
    let m = IntentModel::learn(pairs.iter().copied());
    let t0 = std::time::Instant::now();
    for (t, _) in pairs.iter().take(300) { std::hint::black_box(m.rank(t)); }
    println!("rank {:?}", t0.elapsed() / 300);
}
