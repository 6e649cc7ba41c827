//! The whole pipeline behind one call: [`Scorer::score`]. Built once, immutable, shared by every
//! request (`Send + Sync`, behind an `Arc`).

use crate::extract::{self, ExtractLimits, Page};
use crate::model::{self, Score};
use crate::read::{self, RawPage, ReadLimits};
use crate::signals::{self, Explain};
use crate::Result;

/// Reads, extracts, computes signals and scores pages.
#[derive(Debug, Clone, Default)]
pub struct Scorer {
    read_limits: ReadLimits,
    extract_limits: ExtractLimits,
}

impl Scorer {
    /// A scorer with default limits.
    pub fn new() -> Self {
        Scorer::default()
    }

    /// Reads and extracts a page without scoring it (what `pagescore inspect` shows).
    pub fn inspect(&self, raw: &RawPage<'_>) -> Result<Page> {
        let doc = read::read(raw, &self.read_limits)?;
        extract::extract(&doc, &self.extract_limits)
    }

    /// Scores one page.
    pub fn score(&self, raw: &RawPage<'_>, explain: Explain) -> Result<Score> {
        let page = self.inspect(raw)?;
        let set = signals::compute(&page, explain);
        Ok(model::score(set, page.source.truncated))
    }
}
