//! Medians and 99th percentiles for the benchmarks' machine-readable lines (criterion
//! reports means); shared by the benches that print them.

use std::time::Instant;

/// Median and 99th percentile, in µs per call, of 400 timed batches after a warm-up.
pub fn median_p99(mut f: impl FnMut()) -> (f64, f64) {
    let warm = Instant::now();
    let mut calls = 0u32;
    while warm.elapsed().as_millis() < 200 {
        f();
        calls += 1;
    }
    // Batches of about 50 µs, so the clock's resolution does not matter.
    let per_call = warm.elapsed().as_secs_f64() / f64::from(calls.max(1));
    let batch = ((50e-6 / per_call).ceil() as u32).max(1);
    let mut samples: Vec<f64> = (0..400)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..batch {
                f();
            }
            start.elapsed().as_secs_f64() * 1e6 / f64::from(batch)
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    (
        samples[samples.len() / 2],
        samples[samples.len() * 99 / 100],
    )
}
