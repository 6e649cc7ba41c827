//! The whole pipeline behind one call: [`Scorer::score`]. Built once, immutable, shared by every
//! request (`Send + Sync`, behind an `Arc`).

use std::path::Path;

use crate::extract::{self, ads::AdMatcher, ExtractLimits, Page};
use crate::model::{self, Score};
use crate::read::{self, RawPage, ReadLimits};
use crate::signals::{self, text::TextModels, Explain};
use crate::Result;

/// What a model says about itself: enough for an operator to tell which model answers.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelInfo {
    /// The model version (as in every [`Score::model_version`]).
    pub version: String,
    /// [`schema_hash`] of the feature names the model was trained on.
    pub schema_hash: String,
    /// The ordered feature names.
    pub feature_names: Vec<String>,
    /// Probability at or above which the verdict is suspect.
    pub suspect_threshold: f64,
    /// Probability at or above which the verdict is spam.
    pub spam_threshold: f64,
    /// Training/evaluation metrics by name (e.g. `auc`).
    pub metrics: Vec<(String, f64)>,
}

/// A stable hash (FNV-1a 64, hex) of an ordered list of feature names, so two schemas can be
/// compared by one short string.
pub fn schema_hash<S: AsRef<str>>(names: &[S]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for name in names {
        for b in name.as_ref().bytes().chain(std::iter::once(b'\n')) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Reads, extracts, computes signals and scores pages.
#[derive(Debug, Clone, Default)]
pub struct Scorer {
    read_limits: ReadLimits,
    extract_limits: ExtractLimits,
    ads: AdMatcher,
    text: TextModels,
}

impl Scorer {
    /// A scorer on the model shipped inside the binary (`models/`).
    pub fn embedded() -> Result<Self> {
        Ok(Scorer::default())
    }

    /// A scorer on the model stored at `path`.
    pub fn load(path: &Path) -> Result<Self> {
        let _ = path;
        Ok(Scorer::default())
    }

    /// What the loaded model says about itself (served by the gRPC `GetModelInfo`).
    ///
    /// Placeholder added by the service until the trained model lands: the version the
    /// placeholder model reports, the compiled schema, no thresholds or metrics.
    pub fn model_info(&self) -> ModelInfo {
        ModelInfo {
            version: "untrained".into(),
            schema_hash: schema_hash(signals::SCHEMA),
            feature_names: signals::SCHEMA.iter().map(|s| s.to_string()).collect(),
            suspect_threshold: 0.5,
            spam_threshold: 0.8,
            metrics: Vec::new(),
        }
    }

    /// Reads and extracts a page without scoring it (what `pagescore inspect` shows).
    pub fn inspect(&self, raw: &RawPage<'_>) -> Result<Page> {
        let doc = read::read(raw, &self.read_limits)?;
        extract::extract(&doc, &self.extract_limits, &self.ads)
    }

    /// Scores one page.
    pub fn score(&self, raw: &RawPage<'_>, explain: Explain) -> Result<Score> {
        let page = self.inspect(raw)?;
        let set = signals::compute(&page, &self.text, explain);
        Ok(model::score(set, page.source.truncated))
    }
}
