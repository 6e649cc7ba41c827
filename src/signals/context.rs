//! What several signal families need from one page, computed once: the article text used for
//! topic comparison, the headline-like links with their block's weights, the visible lines and
//! the word tokens of the visible text.

use std::cell::Cell;

use rustc_hash::FxHashSet;

use crate::extract::Page;
use crate::read::DocumentKind;

use super::script::{self, Script};
use super::text;
use super::text::hashing::ascii_alnum_run;

/// Characters of the article (title + main text) handed to the topic model.
const ARTICLE_CHARS: usize = 6_000;
/// Words of visible text tokenised for the statistics.
const MAX_WORDS: usize = 50_000;
/// Visible lines considered.
const MAX_LINES: usize = 20_000;
/// Bytes of one visible line considered (a megabyte-long "line" is cut).
const MAX_LINE_BYTES: usize = 8 * 1024;
/// Bytes of visible text considered in all (bounds every per-page pass).
const MAX_TEXT_BYTES: usize = 1 << 20;
/// Bytes of main text read for its terms (bounds the coherence work on huge pages; stitched
/// pages show their pattern in the first few thousand words).
const MAIN_TERM_BYTES: usize = 24 * 1024;
/// Headline-like links considered (model calls cost time).
pub(crate) const MAX_HEADLINES: usize = 160;

/// A link block as the signals see it.
pub(crate) struct BlockInfo<'a> {
    /// The heading over the block, if any.
    pub heading: Option<&'a str>,
    /// The region it sits in (`nav`, `aside`, ...).
    pub region: &'static str,
    /// How much the region suggests recommendations rather than navigation, 0..1.
    pub region_weight: f64,
    /// Mean headline-likeness of its links, 0..1.
    pub headline_share: f64,
    /// Whether its heading discloses paid links ("Sponsored", "Anzeige"): an honest ad
    /// widget, not ads posing as stories.
    pub disclosed: bool,
}

/// A link whose text looks like a headline.
pub(crate) struct Headline<'a> {
    /// Index into [`Ctx::blocks`].
    pub block: usize,
    /// The anchor text, trimmed.
    pub text: &'a str,
    /// Headline-likeness, 0..1.
    pub score: f64,
}

/// Per-page shared state.
pub(crate) struct Ctx<'a> {
    /// The page.
    pub page: &'a Page,
    /// Whether the page was read as plain text.
    pub is_text: bool,
    /// Title and main text, capped, for topic comparison.
    pub article: String,
    /// Words in the main text.
    pub article_words: usize,
    /// Characters in the main text.
    pub main_chars: usize,
    /// Link blocks, in page order.
    pub blocks: Vec<BlockInfo<'a>>,
    /// Headline-like links (score > 0) outside blocks that disclose paid links, in page order,
    /// capped at [`MAX_HEADLINES`].
    pub headlines: Vec<Headline<'a>>,
    /// Headline-like link texts of blocks that disclose paid links (read by no headline
    /// signal; the promo snippets skip them too).
    pub disclosed_headlines: Vec<&'a str>,
    /// Visible lines, trimmed, non-empty.
    pub lines: Vec<&'a str>,
    /// Words of the visible text, in order, capped.
    pub words: Vec<&'a str>,
    /// Characters of visible text (from the extractor, or of `lines` when it has none).
    pub visible_chars: usize,
    /// The dominant script of the title and main text.
    pub script: Option<Script>,
    /// Hashed terms of the main text ([`text::for_each_term`]), paragraph after paragraph,
    /// over its first [`MAIN_TERM_BYTES`].
    pub main_terms: Vec<u64>,
    /// Each main-text paragraph read: its index in `page.main_text` and where its terms end
    /// in `main_terms` (they start where the previous paragraph's end).
    pub main_paras: Vec<(usize, usize)>,
    /// The breadcrumb's leaf category: the last crumb after the root that is not the article's
    /// own title and reads like a category (at most 6 words, 60 chars).
    pub breadcrumb_leaf: Option<&'a str>,
    /// The topic distance of [`Ctx::breadcrumb_leaf`] from the article, when `links` already
    /// computed it with the headlines' (the article is profiled once for both).
    pub breadcrumb_distance: Cell<Option<f64>>,
    /// The site's own words around the article: the first visible lines that are neither main
    /// text, nor a headline link, nor the headline itself, up to [`MAX_CHROME_BYTES`]; empty
    /// when it or the article has fewer than [`MIN_CHROME_WORDS`] words.
    pub chrome: String,
    /// Words in [`Ctx::chrome`].
    pub chrome_words: usize,
    /// The topic distance of [`Ctx::chrome`] from the article, when `links` already computed
    /// it with the headlines'.
    pub chrome_distance: Cell<Option<f64>>,
}

/// Words of chrome (and of article) needed before the page around the article says what the
/// site is about.
pub(crate) const MIN_CHROME_WORDS: usize = 40;
/// Most chrome text kept, in bytes: the first lines around the article (menus, section names,
/// sidebar heads) say what the site is about; a long footer adds little.
pub(crate) const MAX_CHROME_BYTES: usize = 4_000;

impl<'a> Ctx<'a> {
    /// Computes the shared state of `page`.
    pub fn new(page: &'a Page) -> Self {
        let is_text = page.source.kind == DocumentKind::Text;

        let mut main_terms: Vec<u64> = Vec::new();
        let mut main_paras: Vec<(usize, usize)> = Vec::new();
        let mut term_budget = MAIN_TERM_BYTES;
        for (i, p) in page.main_text.iter().enumerate() {
            if term_budget == 0 {
                break;
            }
            let p = cut(p, term_budget);
            term_budget -= p.len();
            text::for_each_term(p, |t| main_terms.push(t));
            main_paras.push((i, main_terms.len()));
        }

        let mut article = String::with_capacity(ARTICLE_CHARS.min(1 << 12));
        push_capped(&mut article, &page.title.text, ARTICLE_CHARS);
        let mut article_words = 0;
        let mut main_chars = 0;
        for p in &page.main_text {
            article_words += count_words(p, usize::MAX);
            main_chars += p.chars().count();
            push_capped(&mut article, p, ARTICLE_CHARS);
        }

        // Each link's headline score, block after block (used for the shares and the headlines).
        let link_scores: Vec<f64> = page
            .link_blocks
            .iter()
            .flat_map(|b| b.links.iter().map(|l| headline_score(&l.text)))
            .collect();
        let mut next_score = 0;
        let blocks: Vec<BlockInfo<'a>> = page
            .link_blocks
            .iter()
            .map(|b| {
                let n = b.links.len().max(1) as f64;
                let scores = &link_scores[next_score..next_score + b.links.len()];
                next_score += b.links.len();
                let share = scores.iter().sum::<f64>() / n;
                let heading = b
                    .heading
                    .as_deref()
                    .map(str::trim)
                    .filter(|h| !h.is_empty());
                BlockInfo {
                    heading,
                    region: b.region,
                    region_weight: region_weight(b.region),
                    headline_share: share,
                    disclosed: heading.is_some_and(crate::extract::ads::discloses_ads),
                }
            })
            .collect();

        // A widget whose heading discloses paid links ("Sponsored", "From Around the Web") is
        // an honest ad slot, on real news sites as on scraped ones: its links are not the site's
        // headlines, so no headline signal reads them (they stay out of the chrome too).
        let mut headlines = Vec::new();
        let mut disclosed_headlines: Vec<&'a str> = Vec::new();
        let mut scores = link_scores.iter();
        'outer: for (i, b) in page.link_blocks.iter().enumerate() {
            let disclosed = blocks.get(i).is_some_and(|b| b.disclosed);
            for l in &b.links {
                if headlines.len() + disclosed_headlines.len() >= MAX_HEADLINES {
                    break 'outer;
                }
                let score = scores.next().copied().unwrap_or(0.0);
                if score > 0.0 {
                    if disclosed {
                        disclosed_headlines.push(l.text.trim());
                    } else {
                        headlines.push(Headline {
                            block: i,
                            text: l.text.trim(),
                            score,
                        });
                    }
                }
            }
        }

        let mut budget = MAX_TEXT_BYTES;
        let mut take_line = |l: &'a str| -> Option<&'a str> {
            let l = cut(l.trim(), MAX_LINE_BYTES.min(budget));
            budget -= l.len();
            (!l.is_empty()).then_some(l)
        };
        let mut lines: Vec<&'a str> = page
            .stats
            .visible_lines
            .iter()
            .filter_map(|l| take_line(l))
            .take(MAX_LINES)
            .collect();
        if lines.is_empty() {
            // An extractor that gives no visible lines: rebuild them from the parts.
            lines.extend(
                std::iter::once(page.title.text.as_str())
                    .chain(page.main_text.iter().map(String::as_str))
                    .chain(
                        page.link_blocks
                            .iter()
                            .flat_map(|b| b.links.iter().map(|l| l.text.as_str())),
                    )
                    .filter_map(take_line)
                    .take(MAX_LINES),
            );
        }
        let words: Vec<&'a str> = lines
            .iter()
            .flat_map(|l| alnum_words(l))
            .take(MAX_WORDS)
            .collect();
        let visible_chars = if page.stats.visible_chars > 0 {
            page.stats.visible_chars
        } else {
            lines.iter().map(|l| l.chars().count()).sum()
        };

        let script = {
            let mut counts = script::ScriptCounts::default();
            counts.add_str(&page.title.text, 2_000);
            counts.add_strs(page.main_text.iter().map(String::as_str), 4_000);
            counts.dominant()
        };

        let title = page.title.text.trim();
        // Skip the root ("Home") and crumbs that are the article's own title.
        let breadcrumb_leaf = page.breadcrumb.iter().skip(1).map(|c| c.trim()).rfind(|c| {
            let words = c.split_whitespace().count();
            !c.is_empty() && words <= 6 && *c != title && c.chars().count() <= 60
        });

        let (chrome, chrome_words) = if article_words >= MIN_CHROME_WORDS {
            let link_texts = headlines.iter().map(|h| h.text);
            chrome_text(
                page,
                &lines,
                link_texts.chain(disclosed_headlines.iter().copied()),
            )
        } else {
            (String::new(), 0)
        };

        Ctx {
            page,
            is_text,
            article,
            article_words,
            main_chars,
            blocks,
            headlines,
            disclosed_headlines,
            lines,
            words,
            visible_chars,
            script,
            main_terms,
            main_paras,
            breadcrumb_leaf,
            breadcrumb_distance: Cell::new(None),
            chrome,
            chrome_words,
            chrome_distance: Cell::new(None),
        }
    }
}

/// [`Ctx::chrome`] and its word count, from the page's visible lines.
fn chrome_text<'h>(
    page: &'h Page,
    lines: &[&str],
    headlines: impl Iterator<Item = &'h str>,
) -> (String, usize) {
    let skip: FxHashSet<&str> = page
        .main_text
        .iter()
        .map(|p| p.trim())
        .chain(headlines)
        .collect();
    // The headline is the article's, even where the page fuses it to a breadcrumb line.
    let title = page.title.text.trim();
    let title = (title.split_whitespace().nth(2).is_some()).then_some(title);
    let mut chrome = String::new();
    let mut words = 0usize;
    for &line in lines {
        // A plain-text page writes its link lists as bulleted lines ("- Headline").
        let bare = line.trim_start_matches(['-', '*', '•', '·', '>', '–', '—', ' ']);
        if skip.contains(line) || skip.contains(bare) || title.is_some_and(|t| line.contains(t)) {
            continue;
        }
        if chrome.len() + line.len() > MAX_CHROME_BYTES {
            break;
        }
        words += alnum_words(line).count();
        chrome.push_str(line);
        chrome.push('\n');
    }
    if words < MIN_CHROME_WORDS {
        return (String::new(), 0);
    }
    (chrome, words)
}

/// The maximal runs of alphanumeric chars of `text`, in order: the non-empty pieces of
/// `text.split(|c: char| !c.is_alphanumeric())`, with ASCII bytes classified without decoding.
pub(crate) fn alnum_words(text: &str) -> AlnumWords<'_> {
    AlnumWords { text, pos: 0 }
}

/// Iterator of [`alnum_words`].
pub(crate) struct AlnumWords<'a> {
    text: &'a str,
    pos: usize,
}

/// The non-ASCII char starting at byte `i` of `text`: whether it is alphanumeric, and its
/// length in bytes.
#[inline]
fn non_ascii_class(text: &str, i: usize) -> (bool, usize) {
    match text.get(i..).and_then(|t| t.chars().next()) {
        Some(c) => (c.is_alphanumeric(), c.len_utf8()),
        None => (false, 1),
    }
}

impl<'a> Iterator for AlnumWords<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        let mut i = self.pos;
        // Skip to the first alphanumeric char. For ASCII, `char::is_alphanumeric` is exactly
        // `is_ascii_alphanumeric`.
        let start = loop {
            let Some(&b) = bytes.get(i) else {
                self.pos = len;
                return None;
            };
            if b < 0x80 {
                if b.is_ascii_alphanumeric() {
                    break i;
                }
                i += 1;
            } else {
                let (alnum, n) = non_ascii_class(self.text, i);
                if alnum {
                    break i;
                }
                i += n;
            }
        };
        loop {
            // The word's run of ASCII letters and digits, one table lookup a byte.
            i += ascii_alnum_run(bytes.get(i..).unwrap_or_default());
            match bytes.get(i) {
                Some(&b) if b >= 0x80 => {
                    let (alnum, n) = non_ascii_class(self.text, i);
                    if !alnum {
                        break;
                    }
                    i += n;
                }
                _ => break,
            }
        }
        self.pos = i;
        Some(&self.text[start..i])
    }
}

/// `text.split_whitespace().take(max).count()`, counted as word starts (a non-space after a
/// space) over runs of ASCII bytes without branching or decoding: word counts run over every
/// paragraph and line of a page.
pub(crate) fn count_words(text: &str, max: usize) -> usize {
    /// For ASCII, `char::is_whitespace` is exactly tab, LF, VT, FF, CR and space.
    /// As 0 or 1, with no branch, so the run below vectorises.
    #[inline]
    fn ascii_space(b: u8) -> u8 {
        u8::from(b == b' ') | u8::from(b.wrapping_sub(b'\t') < 5)
    }
    /// Bytes counted between two checks against `max`.
    const RUN: usize = 256;
    let bytes = text.as_bytes();
    let (mut n, mut prev_space, mut i) = (0usize, true, 0usize);
    while i < bytes.len() && n < max {
        let rest = &bytes[i..bytes.len().min(i + RUN)];
        let ascii = rest.iter().position(|&b| b >= 0x80).unwrap_or(rest.len());
        if let Some(&first) = rest.get(..ascii).and_then(<[u8]>::first) {
            let run = &rest[..ascii];
            n += usize::from(prev_space && ascii_space(first) == 0);
            let starts: u32 = run
                .iter()
                .zip(&run[1..])
                .map(|(&a, &b)| u32::from(ascii_space(a) & !ascii_space(b) & 1))
                .sum();
            n += starts as usize;
            prev_space = ascii_space(run[run.len() - 1]) == 1;
            i += ascii;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        let space = c.is_whitespace();
        n += usize::from(prev_space && !space);
        prev_space = space;
        i += c.len_utf8();
    }
    n.min(max)
}

/// `text` cut to at most `max` bytes, on a character boundary.
pub(crate) fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Appends `text` (and a separating newline) to `buf` until `buf` holds about `cap` bytes,
/// cutting on a character boundary.
fn push_capped(buf: &mut String, text: &str, cap: usize) {
    if buf.len() >= cap {
        return;
    }
    if !buf.is_empty() {
        buf.push('\n');
    }
    buf.push_str(cut(text, cap.saturating_sub(buf.len())));
}

/// How much a region suggests a block of recommendations rather than site navigation.
pub(crate) fn region_weight(region: &str) -> f64 {
    match region {
        "main" => 1.0,
        "body" => 0.8,
        "aside" => 0.6,
        "header" | "footer" => 0.15,
        "nav" => 0.1,
        _ => 0.5,
    }
}

/// How much a link text looks like a headline (several words, not a menu item or a URL),
/// 0..1. Scripts written without spaces count two characters as a word.
pub(crate) fn headline_score(text: &str) -> f64 {
    let t = text.trim();
    if t.is_empty() || t.len() > 600 {
        return 0.0;
    }
    let lower_start = t.get(..8).unwrap_or(t).to_ascii_lowercase();
    if lower_start.starts_with("http") || lower_start.starts_with("www.") {
        return 0.0;
    }
    let mut letters = 0usize;
    let mut unspaced = 0usize;
    for c in t.chars() {
        if c.is_alphabetic() {
            letters += 1;
            if script::of(c).is_some_and(Script::unspaced) {
                unspaced += 1;
            }
        }
    }
    if letters < 4 {
        return 0.0;
    }
    let words = if unspaced * 2 > letters {
        unspaced as f64 / 2.0
    } else {
        count_words(t, usize::MAX) as f64
    };
    if words < 3.0 {
        0.0
    } else if words < 4.0 {
        0.5
    } else if words < 5.0 {
        0.8
    } else if words <= 30.0 {
        1.0
    } else {
        0.5
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_items_are_not_headlines() {
        assert_eq!(headline_score("Home"), 0.0);
        assert_eq!(headline_score("Contact us"), 0.0);
        assert_eq!(headline_score("https://example.com/a/b/c/d"), 0.0);
        assert!(headline_score("Council approves budget for new bridge over river") > 0.9);
        assert!(headline_score("市议会批准新桥梁建设预算方案") > 0.9);
    }

    #[test]
    fn alnum_words_match_split() {
        for t in [
            "",
            "   ",
            "Hello, world! It's 2024-05-01; naïve café — ΣΟΦΙΑ 市议会 x²  ½ Ⅻ",
            "..a..b..",
            "\u{a0}nbsp\u{a0}joined\u{200b}zero width",
        ] {
            let want: Vec<&str> = t
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(alnum_words(t).collect::<Vec<_>>(), want, "{t}");
        }
    }

    #[test]
    fn count_words_matches_split_whitespace() {
        for t in [
            "",
            "   ",
            "one",
            " two  words ",
            "tab\tvt\u{b}ff\u{c}cr\r\nlf",
            "\u{1c}unit\u{1f}separators are not spaces",
            "nbsp\u{a0}ideographic\u{3000}em\u{2003}space\u{85}nel — naïve café 市议会",
        ]
        .into_iter()
        .map(str::to_owned)
        // long texts cross the counter's runs of ASCII in and out of words
        .chain((1..40).map(|k| "ab ".repeat(k * 7) + &"é\u{3000}x".repeat(k) + &"z".repeat(k * 13)))
        {
            let t = t.as_str();
            for max in [0, 1, 2, 3, 41, 100, 300, usize::MAX] {
                let want = t.split_whitespace().take(max).count();
                assert_eq!(count_words(t, max), want, "{t:?} max {max}");
            }
        }
    }

    #[test]
    fn push_capped_respects_char_boundaries() {
        let mut s = String::new();
        push_capped(&mut s, "ééééé", 5);
        assert!(s.len() <= 5);
        assert!(s.chars().all(|c| c == 'é'));
    }
}
