//! The whole pipeline behind one call: [`Scorer::score`]. Built once, immutable, shared by every
//! request (`Send + Sync`; clones share the loaded model through an `Arc`).

use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use crate::extract::{self, ads::AdMatcher, ExtractLimits, Page};
use crate::model::artifact::{self, Bundle, Payload};
use crate::model::{Score, SpamModel};
use crate::read::{self, RawPage, ReadLimits};
use crate::signals::{self, text::TextModels, Explain, SignalSet};
use crate::{Error, Result};

/// The bundle shipped in `models/`, compiled into the binary.
static EMBEDDED_HEADER: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/models/pagescore-model.json"
));
static EMBEDDED_PAYLOAD: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/models/pagescore-model.bin"
));

#[derive(Debug)]
struct Loaded {
    bundle: Bundle,
    info: artifact::ModelInfo,
}

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

/// The schema hash of feature names (FNV-1a 64 of the names joined with `\n`, hex): see
/// [`crate::model::artifact`].
pub use crate::model::artifact::schema_hash;

/// Reads, extracts, computes signals and scores pages.
#[derive(Debug, Clone)]
pub struct Scorer {
    read_limits: ReadLimits,
    extract_limits: ExtractLimits,
    loaded: Arc<Loaded>,
}

impl Scorer {
    /// A scorer on the model shipped inside the binary (`models/`). Decoded once per process;
    /// later calls share it.
    pub fn embedded() -> Result<Self> {
        static EMBEDDED: OnceLock<std::result::Result<Arc<Loaded>, String>> = OnceLock::new();
        let loaded = EMBEDDED.get_or_init(|| {
            Bundle::from_bytes(EMBEDDED_HEADER, EMBEDDED_PAYLOAD)
                .map(|b| Arc::new(Loaded::new(b, "embedded")))
                .map_err(|e| match e {
                    Error::Model(m) => m,
                    other => other.to_string(),
                })
        });
        match loaded {
            Ok(l) => Ok(Self::with(Arc::clone(l))),
            Err(e) => Err(Error::Model(format!("embedded model: {e}"))),
        }
    }

    /// A scorer on the model stored at `path` (a model folder or its header file).
    pub fn load(path: &Path) -> Result<Self> {
        let bundle = Bundle::load(path)?;
        Ok(Self::with(Arc::new(Loaded::new(
            bundle,
            &path.display().to_string(),
        ))))
    }

    /// A scorer on an in-memory bundle.
    pub fn from_bundle(bundle: Bundle) -> Self {
        Self::with(Arc::new(Loaded::new(bundle, "memory")))
    }

    /// A scorer with the given ad matcher and text models and an untrained spam model (every
    /// page 0.5): what training uses to compute the signals it fits on.
    pub fn untrained(ads: AdMatcher, text: TextModels) -> Self {
        let model = SpamModel::untrained(signals::SCHEMA);
        let meta = crate::model::artifact::BundleMeta {
            trained_on: "1970-01-01".into(),
            data_fingerprint: "0000000000000000".into(),
            seed: 0,
            metrics: Default::default(),
            fit: None,
            notes: Vec::new(),
            text_report: None,
        };
        Self::from_bundle(Bundle::new(model, ads, text, meta))
    }

    fn with(loaded: Arc<Loaded>) -> Self {
        Scorer {
            read_limits: ReadLimits::default(),
            extract_limits: ExtractLimits::default(),
            loaded,
        }
    }

    /// The loaded bundle.
    pub fn bundle(&self) -> &Bundle {
        &self.loaded.bundle
    }

    /// Everything the header says about the loaded model, where it came from and when it
    /// loaded.
    pub fn model_details(&self) -> &artifact::ModelInfo {
        &self.loaded.info
    }

    fn payload(&self) -> &Payload {
        &self.loaded.bundle.payload
    }

    /// What the loaded model says about itself (served by the gRPC `GetModelInfo`): version,
    /// schema, thresholds and the metrics it shipped with (`cv_*` from cross-validation on the
    /// training corpus, `test_*` from the held-out corpus).
    pub fn model_info(&self) -> ModelInfo {
        let d = &self.loaded.info;
        let mut metrics = Vec::new();
        for (prefix, m) in [("cv", &d.metrics.cv), ("test", &d.metrics.test)] {
            let Some(m) = m else { continue };
            if let Some(auc) = m.roc_auc {
                metrics.push((format!("{prefix}_roc_auc"), auc));
            }
            let c = &m.at_spam;
            metrics.push((format!("{prefix}_precision"), c.precision()));
            metrics.push((format!("{prefix}_recall"), c.recall()));
            metrics.push((format!("{prefix}_f1"), c.f1()));
            metrics.push((format!("{prefix}_fpr"), c.fpr()));
            metrics.push((format!("{prefix}_pages"), m.pages as f64));
        }
        ModelInfo {
            version: d.model_version.clone(),
            schema_hash: d.schema_hash.clone(),
            feature_names: d.features.clone(),
            suspect_threshold: d.thresholds.suspect,
            spam_threshold: d.thresholds.spam,
            metrics,
        }
    }

    /// Reads and extracts a page without scoring it (what `pagescore inspect` shows).
    pub fn inspect(&self, raw: &RawPage<'_>) -> Result<Page> {
        let doc = read::read(raw, &self.read_limits)?;
        extract::extract(&doc, &self.extract_limits, &self.payload().ads)
    }

    /// Computes the signals of an extracted page.
    pub fn signals(&self, page: &Page, explain: Explain) -> SignalSet {
        signals::compute(page, &self.payload().text, explain)
    }

    /// Scores one page.
    pub fn score(&self, raw: &RawPage<'_>, explain: Explain) -> Result<Score> {
        let page = self.inspect(raw)?;
        Ok(self.score_page(&page, explain))
    }

    /// Scores a page that was already extracted.
    pub fn score_page(&self, page: &Page, explain: Explain) -> Score {
        let set = self.signals(page, explain);
        let header = &self.loaded.bundle.header;
        header
            .model
            .score(set, page.source.truncated, &header.model_version)
    }
}

impl Loaded {
    fn new(bundle: Bundle, source: &str) -> Self {
        let info = bundle.info(source, SystemTime::now());
        Loaded { bundle, info }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autotraits() {
        fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
        assert_send_sync::<Scorer>();
    }

    #[test]
    fn embedded_model_matches_this_build() {
        // Fails when signals::SCHEMA changed and models/ was not retrained.
        let scorer = Scorer::embedded().expect("embedded model loads");
        assert_eq!(scorer.model_info().feature_names, signals::SCHEMA);
        assert_eq!(
            scorer.model_info().schema_hash,
            schema_hash(signals::SCHEMA)
        );
    }
}
