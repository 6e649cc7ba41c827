//! Text classifiers trained with linfa: clickbait, promotional text, and the topic model that
//! related-links mismatch compares against.
//!
//! The API below is the contract the signals use; the bodies are placeholders until the trained
//! models land.

use serde::{Deserialize, Serialize};

/// The text models a signal computation needs. Loaded once with the model bundle.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TextModels {
    /// Clickbait headline classifier.
    pub clickbait: TextClassifier,
    /// Promotional / ad text classifier.
    pub promo: TextClassifier,
    /// Topic model used to compare an article with the headlines linked from it.
    pub topics: TopicModel,
}

/// A binary text classifier on hashed n-gram features.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TextClassifier {}

impl TextClassifier {
    /// Probability that `text` belongs to the positive class (0..1).
    pub fn probability(&self, text: &str) -> f64 {
        let _ = text;
        0.5
    }
}

/// A topic model: maps any text to a distribution over topics learned from news data, and
/// measures how far two texts are apart.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TopicModel {}

impl TopicModel {
    /// Topic names, in the order of [`TopicModel::distribution`].
    pub fn topic_names(&self) -> &[String] {
        &[]
    }

    /// The topic distribution of `text` (sums to 1; uniform when nothing is known).
    pub fn distribution(&self, text: &str) -> Vec<f64> {
        let _ = text;
        Vec::new()
    }

    /// How far apart two texts are in topic and vocabulary, 0 (same topic) to 1 (unrelated).
    pub fn distance(&self, a: &str, b: &str) -> f64 {
        let _ = (a, b);
        0.0
    }
}
