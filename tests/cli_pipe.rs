//! The CLI's output to a reader that stops early (`tact … | head`): no panic, the rest of
//! the output dropped, the exit status still the command's own.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `tact COMMAND --input CSV --column text --format jsonl` with standard output
/// closed before the command writes anything; returns its exit code and standard error.
fn run_with_closed_stdout(command: &str, csv: &str) -> (Option<i32>, String) {
    let path = std::env::temp_dir().join(format!("tact-pipe-{command}-{}.csv", std::process::id()));
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(csv.as_bytes()))
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_tact"))
        .args([command, "--column", "text", "--format", "jsonl", "--input"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start tact: {e}"));
    drop(child.stdout.take());
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("tact did not finish: {e}"));
    let _ = std::fs::remove_file(&path);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// More rows than a pipe buffer holds, so the writes must meet the closed pipe.
fn csv(rows: usize, text: &str) -> String {
    let mut csv = String::from("text\n");
    for _ in 0..rows {
        csv.push_str(text);
        csv.push('\n');
    }
    csv
}

#[test]
fn check_jsonl_to_a_closed_pipe_keeps_its_verdict() {
    let (code, stderr) =
        run_with_closed_stdout("check", &csv(3000, "Vous êtes des imbéciles franchement"));
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(code, Some(0), "an insult is not a pass, pipe or not");
    assert!(matches!(code, Some(1 | 2)), "exit {code:?}: {stderr}");
}

#[test]
fn suggest_jsonl_to_a_closed_pipe_exits_quietly() {
    let (code, stderr) = run_with_closed_stdout(
        "suggest",
        &csv(
            3000,
            "Where is my parcel? Ordered two weeks ago and still nothing",
        ),
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}
