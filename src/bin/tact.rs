//! `tact`: the command-line face of the core. The commands live in `tact::cli`.

fn main() -> std::process::ExitCode {
    tact::cli::main()
}
