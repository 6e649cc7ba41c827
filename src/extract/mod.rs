//! Stage 2, extraction: a decoded [`Document`] to a [`Page`], the plain description of what is on
//! the page that every signal reads. HTML and plain text produce the same structure.

use serde::Serialize;

pub mod ads;
pub mod facts;
pub mod html;
pub mod text;

use crate::read::{CharsetSource, Document, DocumentKind};
use crate::Result;
use ads::AdMatcher;

/// What is on a page. Every field is plain data; signals read it and never see markup.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Page {
    /// The page URL, if known.
    pub url: Option<String>,
    /// The title and where it came from.
    pub title: Title,
    /// The declared language (`<html lang>`, `content-language`), lower-case, if any.
    pub lang: Option<String>,
    /// `<link rel="canonical">` or `og:url`, if any.
    pub canonical_url: Option<String>,
    /// The article body as paragraphs, with navigation, footers, banners and link lists removed.
    pub main_text: Vec<String>,
    /// Groups of links that share a container, each with the heading over it.
    pub link_blocks: Vec<LinkBlock>,
    /// Every date found, with where it was found.
    pub dates: Vec<DateMention>,
    /// The breadcrumb trail, outermost first ("Home", "Stocks").
    pub breadcrumb: Vec<String>,
    /// Author lines ("By Jane Doe").
    pub bylines: Vec<String>,
    /// Wire-service datelines ("WASHINGTON (AP) —", "(Reuters)").
    pub datelines: Vec<String>,
    /// Engagement counters shown on the page ("Likes (63925)", "veryGood! (63925)").
    pub counters: Vec<String>,
    /// Markers of advertising: ad selectors, ad-network hosts, sponsored labels.
    pub ad_markers: Vec<AdMarker>,
    /// Size and composition figures used by the text-statistics signals.
    pub stats: PageStats,
    /// How the bytes were read.
    pub source: SourceInfo,
}

/// The page title.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Title {
    /// The headline itself, with any site-name suffix removed.
    pub text: String,
    /// What was split off the raw title ("- Site Name", "| News"), if anything.
    pub suffix: Option<String>,
    /// The title exactly as the page gives it.
    pub raw: String,
    /// Where the title came from: `title`, `og:title`, `h1`, or `first_line` for plain text.
    pub source: &'static str,
    /// The page's first `<h1>`, when it differs from the title.
    pub h1: Option<String>,
}

/// A group of links sharing a container, with the heading or label over it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LinkBlock {
    /// The heading or label over the block ("Related", "Trending Now"), if any.
    pub heading: Option<String>,
    /// Where the block sits: `nav`, `header`, `footer`, `aside`, `main`, or `body`.
    pub region: &'static str,
    /// The links, in page order.
    pub links: Vec<Link>,
}

/// One link in a link block.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Link {
    /// The anchor text (or the title/alt text when the anchor has none).
    pub text: String,
    /// The href as written, if any (plain-text link lists have none).
    pub href: Option<String>,
    /// Whether the link leaves the page's site (false when unknown).
    pub external: bool,
}

/// Where a date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// `<meta property="article:published_time">` and friends.
    Meta,
    /// JSON-LD `datePublished` / `dateModified`.
    JsonLd,
    /// A `<time datetime>` element.
    TimeElement,
    /// A visible line that is mostly a date ("Date:2025-04-15 02:44:08").
    VisibleLine,
    /// A date mentioned in running text ("Feb. 24, 2022").
    InText,
    /// A relative mention in the text ("last week", "Thursday").
    Relative,
}

/// A date found on the page.
#[derive(Debug, Clone, Serialize)]
pub struct DateMention {
    /// The text as found.
    pub raw: String,
    /// Where it was found.
    pub source: DateSource,
    /// The calendar date, when it can be resolved: (year, month, day).
    pub ymd: Option<(i32, u32, u32)>,
}

/// What kind of ad marker was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AdMarkerKind {
    /// An element matched by an EasyList generic element-hiding selector.
    AdSelector,
    /// A script or iframe from an ad network.
    AdNetworkHost,
    /// A link with `rel="sponsored"`.
    RelSponsored,
    /// A visible label such as "Sponsored", "Advertisement", "Promoted".
    Label,
}

/// One piece of advertising evidence.
#[derive(Debug, Clone, Serialize)]
pub struct AdMarker {
    /// What kind of marker.
    pub kind: AdMarkerKind,
    /// What was seen (the selector, host or label).
    pub evidence: String,
}

/// Size and composition figures of the page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageStats {
    /// Characters of markup (or text) read.
    pub source_chars: usize,
    /// Characters of visible text (outside script/style/tags).
    pub visible_chars: usize,
    /// Characters of visible text inside links.
    pub anchor_chars: usize,
    /// Elements seen.
    pub elements: usize,
    /// Links seen (`<a href>`).
    pub links: usize,
    /// Links that leave the site.
    pub external_links: usize,
    /// `<script>` elements.
    pub scripts: usize,
    /// The visible text as lines (block boundaries become newlines), capped; used for duplicate
    /// line and n-gram statistics.
    pub visible_lines: Vec<String>,
    /// Whether a structural limit (elements, depth) was hit and extraction stopped early.
    pub limit_hit: bool,
}

/// How the page's bytes were read, carried from the read stage.
#[derive(Debug, Clone, Serialize)]
pub struct SourceInfo {
    /// HTML or plain text.
    pub kind: DocumentKind,
    /// The charset used.
    pub charset: &'static str,
    /// How the charset was decided.
    pub charset_source: CharsetSource,
    /// What the charset decision saw on the way ("meta said koi8-r"), if anything.
    pub charset_note: Option<String>,
    /// Whether decoding met malformed bytes.
    pub had_decode_errors: bool,
    /// Whether the input was cut at the size limit.
    pub truncated: bool,
    /// Bytes of input (after gunzip, before truncation).
    pub input_bytes: usize,
}

impl Default for SourceInfo {
    fn default() -> Self {
        SourceInfo {
            kind: DocumentKind::Html,
            charset: "UTF-8",
            charset_source: CharsetSource::Default,
            charset_note: None,
            had_decode_errors: false,
            truncated: false,
            input_bytes: 0,
        }
    }
}

impl SourceInfo {
    /// The read-stage facts of `doc`.
    pub fn of(doc: &Document) -> Self {
        SourceInfo {
            kind: doc.kind,
            charset: doc.charset,
            charset_source: doc.charset_source,
            charset_note: doc.charset_note.clone(),
            had_decode_errors: doc.had_decode_errors,
            truncated: doc.truncated,
            input_bytes: doc.input_bytes,
        }
    }
}

/// Structural limits on extraction, so no page can exhaust memory or time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ExtractLimits {
    /// Elements processed; beyond this, extraction stops and `stats.limit_hit` is set.
    /// Default: 1,000,000.
    pub max_elements: usize,
    /// Open-element depth tracked; deeper elements are flattened into their ancestor.
    /// Default: 512.
    pub max_depth: usize,
    /// Links kept across all link blocks. Default: 20,000.
    pub max_links: usize,
}

impl Default for ExtractLimits {
    fn default() -> Self {
        ExtractLimits {
            max_elements: 1_000_000,
            max_depth: 512,
            max_links: 20_000,
        }
    }
}

/// Extracts a [`Page`] from a decoded document.
pub fn extract(doc: &Document, limits: &ExtractLimits, ads: &AdMatcher) -> Result<Page> {
    match doc.kind {
        DocumentKind::Html => html::extract(doc, limits, ads),
        DocumentKind::Text => text::extract(doc, limits),
    }
}
