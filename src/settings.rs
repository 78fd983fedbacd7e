//! What the CM configured in the options page, as the page layer receives it.
//!
//! Stored by the extension in `chrome.storage.local` as JSON; every field has a default so
//! a fresh install (no settings at all) works with the built-in packs.

pub use crate::charter::Mode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// In intern mode reserve and personal-data findings block, and "send anyway" on a
    /// blocking finding needs a written reason.
    pub mode: Mode,
    /// Per-network switch (`x`, `facebook`); a network absent from the map is on.
    pub sites: BTreeMap<String, bool>,
    /// The brand's own accounts (`@cafelumiere`, "Café Lumière"): posting from another one
    /// is worth saying.
    pub brand_accounts: Vec<String>,
    /// The charter's source (TOML or JSON) and the name it was loaded from; `None` means the
    /// built-in packs only.
    pub charter: Option<String>,
    pub charter_file: Option<String>,
    /// The brand's name and the CM's signature or initials, for `{brand}` and `{agent}`
    /// in suggested replies.
    pub brand: Option<String>,
    pub agent: Option<String>,
    /// The team's reply templates (TOML) and the name they were loaded from; `None` means
    /// the built-in library.
    pub templates: Option<String>,
    pub templates_file: Option<String>,
}

impl Settings {
    /// Reads settings leniently: unknown or broken stored settings fall back to defaults
    /// rather than switching the guard off.
    pub fn from_json(json: &str) -> Settings {
        crate::config::from_json(json).unwrap_or_default()
    }

    pub fn enabled_on(&self, network: &str) -> bool {
        self.sites.get(network).copied().unwrap_or(true)
    }

    /// Whether `account` (a handle or display name read from the page) is one of the
    /// brand's. Case, surrounding spaces and a leading `@` do not matter. With no brand
    /// accounts declared, every account counts as the brand's.
    pub fn is_brand_account(&self, account: &str) -> bool {
        let clean = |s: &str| s.trim().trim_start_matches('@').to_lowercase();
        let account = clean(account);
        self.brand_accounts.is_empty()
            || self
                .brand_accounts
                .iter()
                .any(|b| !b.trim().is_empty() && account.contains(&clean(b)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_or_broken_settings_mean_defaults() {
        assert_eq!(Settings::from_json("{}"), Settings::default());
        assert_eq!(Settings::from_json("not json"), Settings::default());
        let s = Settings::from_json(r#"{"mode":"intern","sites":{"x":false}}"#);
        assert_eq!(s.mode, Mode::Intern);
        assert!(!s.enabled_on("x"));
        assert!(s.enabled_on("facebook"));
    }

    #[test]
    fn brand_accounts_match_handles_and_names() {
        let s = Settings {
            brand_accounts: vec!["@CafeLumiere".into()],
            ..Settings::default()
        };
        assert!(s.is_brand_account("Café Lumière @cafelumiere"));
        assert!(!s.is_brand_account("Camille @camille_perso"));
        assert!(Settings::default().is_brand_account("anyone"));
    }
}
