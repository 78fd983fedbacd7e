//! `tact`: the command-line face of the core. The commands live in `tact::cli`.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    tact::cli::main()
}

// Cargo builds every binary before a package's wasm32 integration tests; the CLI is native
// only, so on wasm32 the binary is empty.
#[cfg(target_arch = "wasm32")]
fn main() {}
