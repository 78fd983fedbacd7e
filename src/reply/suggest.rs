//! From a comment to the best few replies of a library, filled in.

use super::classify::IntentModel;
use super::fill::{fill, FillContext};
use super::template::{Action, Library, TemplateLang};
use crate::text::lang::{self, Lang};
use serde::{Deserialize, Serialize};

/// How much a template's own examples weigh against its intent's score when ranking the
/// templates of one intent (the intent decides; the examples order its templates).
const OWN_EXAMPLES: f32 = 0.25;

/// A library learned for suggesting: build once per library change, query per comment.
pub struct Suggester {
    library: Library,
    model: IntentModel,
    /// Template of each training example, in the model's learning order.
    example_template: Vec<usize>,
}

/// What Tact proposes for one comment.
/// Serialised by the reply module and read back by the page module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestions {
    pub lang: Lang,
    /// The comment's intent; `None` when nothing fits.
    pub intent: Option<String>,
    /// Score of that intent (blended similarity, 0–1).
    pub confidence: f32,
    pub suggestions: Vec<Suggestion>,
}

/// One template, ready to insert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub template: String,
    pub score: f32,
    /// The filled reply; empty when the template is only an action.
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
}

impl Suggester {
    /// Learns the library's examples (each example teaches each intent of its template).
    pub fn new(library: Library) -> Suggester {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        let mut example_template = Vec::new();
        for (t, template) in library.templates.iter().enumerate() {
            for example in &template.examples {
                for intent in &template.intents {
                    pairs.push((example, intent));
                    example_template.push(t);
                }
            }
        }
        let model = IntentModel::learn(pairs);
        Suggester {
            library,
            model,
            example_template,
        }
    }

    pub fn library(&self) -> &Library {
        &self.library
    }

    /// The `top` best replies for `comment`, in its guessed language.
    pub fn suggest(&self, comment: &str, ctx: &FillContext, top: usize) -> Suggestions {
        self.suggest_in(comment, None, ctx, top)
    }

    /// Like [`Suggester::suggest`], with the language forced when `lang` is given.
    pub fn suggest_in(
        &self,
        comment: &str,
        lang: Option<Lang>,
        ctx: &FillContext,
        top: usize,
    ) -> Suggestions {
        let lang = lang.unwrap_or_else(|| lang::guess(comment).lang);
        let ranking = self.model.rank(comment);
        let labels = self.model.labels();
        let (best, confidence) = ranking.intents.first().copied().unwrap_or((0, 0.0));
        let floor = self.model.nothing_fits();
        if confidence < floor || labels.is_empty() {
            return Suggestions {
                lang,
                intent: None,
                confidence,
                suggestions: Vec::new(),
            };
        }
        let intent_score = |name: &str| {
            ranking
                .intents
                .iter()
                .find(|&&(i, _)| labels[i] == name)
                .map_or(0.0, |&(_, s)| s)
        };
        let mut own = vec![0.0f32; self.library.templates.len()];
        for (e, &t) in self.example_template.iter().enumerate() {
            own[t] = own[t].max(ranking.examples.get(e).copied().unwrap_or(0.0));
        }
        let fits = |l: TemplateLang| match (l, lang) {
            (TemplateLang::Any, _) | (_, Lang::Unknown) => true,
            (TemplateLang::Fr, l) => l == Lang::Fr,
            (TemplateLang::En, l) => l == Lang::En,
        };
        let mut ranked: Vec<(usize, f32)> = self
            .library
            .templates
            .iter()
            .enumerate()
            .filter(|(_, t)| fits(t.lang))
            .filter_map(|(i, t)| {
                let intent = t
                    .intents
                    .iter()
                    .map(|n| intent_score(n))
                    .fold(0.0, f32::max);
                (intent >= floor)
                    .then(|| (i, (1.0 - OWN_EXAMPLES) * intent + OWN_EXAMPLES * own[i]))
            })
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let suggestions = ranked
            .into_iter()
            .take(top)
            .map(|(i, score)| {
                let t = &self.library.templates[i];
                let fill_lang = match t.lang {
                    TemplateLang::Fr => Lang::Fr,
                    TemplateLang::En => Lang::En,
                    TemplateLang::Any => lang,
                };
                Suggestion {
                    template: t.id.clone(),
                    score,
                    text: t
                        .text
                        .as_deref()
                        .map(|text| fill(text, fill_lang, ctx))
                        .unwrap_or_default(),
                    action: t.action,
                }
            })
            .collect();
        Suggestions {
            lang,
            intent: Some(labels[best].clone()),
            confidence,
            suggestions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggester() -> Suggester {
        Suggester::new(Library::default_library())
    }

    #[test]
    fn late_order_gets_an_order_status_reply_with_the_name() {
        let ctx = FillContext {
            author: Some("Sam".into()),
            hour: Some(9),
            ..FillContext::default()
        };
        let out = suggester().suggest_in(
            "Ordered two weeks ago and my parcel still hasn't arrived",
            Some(Lang::En),
            &ctx,
            3,
        );
        assert_eq!(out.intent.as_deref(), Some("order_status"));
        assert!(out.suggestions.len() <= 3 && !out.suggestions.is_empty());
        assert!(out.suggestions[0].template.starts_with("order-"));
        assert!(out.suggestions[0].text.starts_with("Good morning Sam"));
        assert!(out.suggestions.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn crisis_escalates_and_spam_is_an_action_without_text() {
        let s = suggester();
        let ctx = FillContext::default();
        let crisis = s.suggest_in(
            "Mon avocat va vous attaquer en justice",
            Some(Lang::Fr),
            &ctx,
            3,
        );
        assert_eq!(crisis.intent.as_deref(), Some("crisis"));
        assert_eq!(crisis.suggestions[0].action, Some(Action::Escalate));
        assert!(crisis.suggestions[0].text.contains("message privé"));
        let spam = s.suggest(
            "Earn $300 a day from home, crypto trading, DM me 💰",
            &ctx,
            3,
        );
        assert_eq!(spam.intent.as_deref(), Some("spam"));
        assert_eq!(spam.suggestions[0].action, Some(Action::Hide));
        assert_eq!(spam.suggestions[0].text, "");
    }

    #[test]
    fn suggestions_follow_the_comment_language() {
        let out = suggester().suggest_in(
            "Bravo pour le service, toujours au top",
            Some(Lang::Fr),
            &FillContext::default(),
            5,
        );
        assert_eq!(out.intent.as_deref(), Some("praise"));
        assert!(out.suggestions.iter().all(|s| s.template.ends_with("-fr")));
    }

    #[test]
    fn nothing_fits_an_unrelated_comment() {
        let out = suggester().suggest("xq zzv plorp", &FillContext::default(), 3);
        assert_eq!(out.intent, None);
        assert!(out.suggestions.is_empty());
        let json = serde_json::to_value(&out).unwrap_or_default();
        assert!(json["intent"].is_null() && json["suggestions"].as_array().is_some());
    }
}
