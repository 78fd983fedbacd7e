//! The account guard: a reply that speaks for the brand, posted from an account that is not
//! the brand's (a CM's personal profile is one click away on both sites), is worth a warning.

use crate::report::{Finding, Severity};
use crate::text::offsets::byte_to_utf16;

/// Phrases by which a reply speaks for a company, in French and English.
const BRAND_VOICE: &[&str] = &[
    "notre équipe",
    "nos équipes",
    "notre service",
    "nous sommes désolés",
    "nous vous invitons",
    "écrivez-nous",
    "en message privé",
    "par message privé",
    "notre boutique",
    "nos boutiques",
    "our team",
    "our store",
    "we're sorry",
    "we are sorry",
    "please dm us",
    "send us a dm",
    "via private message",
    "our customer service",
    "notre service client",
];

/// Whether `text` reads like the brand talking: one of the brand voice phrases, or one of
/// the brand's own account names.
pub fn reads_like_brand(text: &str, brand_accounts: &[String]) -> bool {
    let lower = text.to_lowercase();
    BRAND_VOICE.iter().any(|p| lower.contains(p))
        || brand_accounts
            .iter()
            .map(|a| a.trim().trim_start_matches('@').to_lowercase())
            .any(|a| a.len() > 2 && lower.contains(&a))
}

/// A warning covering the whole draft when it speaks for the brand from `account`, which
/// the caller has found not to be a brand account. `message` is already localised.
pub fn foreign_account_finding(
    text: &str,
    brand_accounts: &[String],
    message: String,
) -> Option<Finding> {
    if text.trim().is_empty() || !reads_like_brand(text, brand_accounts) {
        return None;
    }
    Some(Finding {
        rule: "account".into(),
        category: "account".into(),
        severity: Severity::Warn,
        start: 0,
        end: byte_to_utf16(text, text.len()),
        byte_start: 0,
        byte_end: text.len(),
        excerpt: text.chars().take(60).collect(),
        message,
        suggestion: None,
        replaces: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brand_voice_is_recognised_in_both_languages() {
        let brand = vec!["@CafeLumiere".to_string()];
        assert!(reads_like_brand(
            "Bonjour, notre équipe regarde votre commande.",
            &brand
        ));
        assert!(reads_like_brand("Please DM us your order number", &brand));
        assert!(reads_like_brand("Merci de suivre cafelumiere !", &brand));
        assert!(!reads_like_brand("Trop bien ce concert hier soir", &brand));
    }

    #[test]
    fn the_finding_covers_the_draft() {
        let f =
            foreign_account_finding("😀 notre équipe arrive", &[], "m".into()).expect("finding");
        assert_eq!((f.start, f.end), (0, 22));
        assert!(foreign_account_finding("salut", &[], "m".into()).is_none());
    }
}
