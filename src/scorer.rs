//! The whole pipeline behind one call: [`Scorer::score`]. Built once, immutable, shared by every
//! request (`Send + Sync`, behind an `Arc`).

use std::path::Path;

use crate::extract::{self, ads::AdMatcher, ExtractLimits, Page};
use crate::model::{self, Score};
use crate::read::{self, RawPage, ReadLimits};
use crate::signals::{self, text::TextModels, Explain};
use crate::Result;

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
