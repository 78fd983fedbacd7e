//! Intent classification over named labels, with a "nothing fits" floor.

use super::model::Model;

/// An intent classifier learned from labelled examples.
pub struct IntentModel {
    labels: Vec<String>,
    model: Model,
}

/// Per-example similarities as well as per-intent scores, so callers can rank finer
/// units (templates) than intents.
pub struct Ranking {
    /// `(label index, score)`, best first.
    pub intents: Vec<(usize, f32)>,
    /// Similarity of the comment to each training example, in learning order (then one
    /// per intent name).
    pub examples: Vec<f32>,
}

impl IntentModel {
    /// Learns from `(text, label)` pairs; labels are kept in first-seen order.
    pub fn learn<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> IntentModel {
        let mut labels: Vec<String> = Vec::new();
        let mut data: Vec<(&str, usize)> = Vec::new();
        for (text, label) in pairs {
            let class = match labels.iter().position(|l| l == label) {
                Some(i) => i,
                None => {
                    labels.push(label.to_string());
                    labels.len() - 1
                }
            };
            data.push((text, class));
        }
        // An intent's name is one more example of it ("order_status" -> "order status"):
        // teams name intents by what the comments say, and with ten examples a class
        // gains from the one text that names it. Appended last, so the examples keep
        // their learning-order indices in [`Ranking::examples`].
        let names: Vec<String> = labels.iter().map(|l| l.replace(['_', '-'], " ")).collect();
        data.extend(names.iter().enumerate().map(|(c, n)| (n.as_str(), c)));
        let model = Model::learn(data, labels.len());
        IntentModel { labels, model }
    }

    /// Below this score the best intent is not trusted: the comment is about something no
    /// template covers, and suggesting noise would cost the CM's trust. Learned from how
    /// well the examples match their own intent when left out.
    pub fn nothing_fits(&self) -> f32 {
        self.model.floor()
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Scores every intent for `text`, best first.
    pub fn rank(&self, text: &str) -> Ranking {
        let (scores, examples) = self.model.scores(text);
        let mut intents: Vec<(usize, f32)> = scores.into_iter().enumerate().collect();
        intents.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Ranking { intents, examples }
    }
}
