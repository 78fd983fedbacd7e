//! The one place the page layer reaches the checking engine.

use crate::charter::{Context, Engine, Mode, Network};
use crate::report::Report;
use crate::settings::Settings;
use crate::text::lang::Lang;

/// The compiled charter for one page.
pub struct Checker {
    engine: Engine,
    mode: Mode,
}

impl Checker {
    /// Compiles the CM's charter; one that does not load is reported (the error names the
    /// place) and the built-in packs are used instead, so the guard never switches off.
    pub fn new(settings: &Settings) -> (Checker, Option<String>) {
        let mode = settings.mode;
        let file = settings.charter_file.as_deref().unwrap_or("charter.toml");
        let (engine, error) = match settings.charter.as_deref().filter(|s| !s.trim().is_empty()) {
            None => (Engine::default(), None),
            Some(source) => match Engine::from_source(source, file) {
                Ok(engine) => (engine, None),
                Err(error) => (Engine::default(), Some(error.to_string())),
            },
        };
        (Checker { engine, mode }, error)
    }

    /// Checks a draft bound for `network` (a pack's network name), with messages in `locale`.
    pub fn check(&self, text: &str, network: &str, locale: Lang) -> Report {
        let context = Context {
            network: Network::parse(network),
            lang: None,
            author: None,
            mode: self.mode,
            locale: Some(locale),
        };
        self.engine.check(text, &context)
    }
}
