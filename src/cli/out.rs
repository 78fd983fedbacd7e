//! Standard output for every command. A reader that stops early (`tact eval … | head`)
//! closes the pipe, and `println!` would then panic. Here a closed pipe silences the rest
//! of the output instead: the command still runs to its end, so its exit status (pass,
//! warn, block) stays true for scripts that read it.

use super::CliError;
use std::io::{ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once a write found the pipe closed: nobody reads what follows.
static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `args` to standard output; a closed pipe is not an error, any other failure is.
pub(crate) fn write(args: std::fmt::Arguments) -> Result<(), CliError> {
    if CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    match std::io::stdout().lock().write_fmt(args) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => {
            CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(CliError(format!("cannot write to standard output: {e}"))),
        Ok(()) => Ok(()),
    }
}

/// `print!` through [`write`]: gives `Result<(), CliError>`.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::out::write(format_args!($($arg)*)) };
}

/// `println!` through [`write`]: gives `Result<(), CliError>`.
macro_rules! outln {
    () => { $crate::cli::out::write(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::out::write(format_args!("{}\n", format_args!($($arg)*))) };
}
