//! From a comment to the best few replies of a library, filled in.

use super::classify::IntentModel;
use super::fill::{fill, FillContext};
use super::template::{Action, Library, TemplateLang};
use crate::text::lang::{self, Lang};
use serde::Serialize;

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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestions {
    pub lang: Lang,
    /// The comment's intent; `None` when nothing fits.
    pub intent: Option<String>,
    /// Score of that intent (blended similarity, 0–1).
    pub confidence: f32,
    pub suggestions: Vec<Suggestion>,
}

/// One template, ready to insert.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
