//! `tact-store`: the team store and sync server. The HTTP API lands with the team-sync issue;
//! until then the binary only reports its version so the workspace builds end to end.

fn main() {
    println!("tact-store {}", env!("CARGO_PKG_VERSION"));
}
