//! Text classifiers trained with linfa: clickbait, promotional text, and the topic model that
//! related-links mismatch compares against.

use serde::{Deserialize, Serialize};

/// The text models a signal computation needs. Loaded once with the model bundle.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TextModels {}
