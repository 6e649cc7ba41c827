//! Plain-text pages, as scrapers save them: the first non-empty line is the title (often with a
//! breadcrumb fused in front and a site tag behind), long sentence-like lines are the article,
//! and a short heading line followed by a run of headline-like lines is a link block
//! ("Related", "Trending", "Lesen Sie auch", ...), whatever the language.
//!
//! Everything is decided by line shape (length, word count, sentence punctuation, bullets),
//! not by the words on the line; a small multilingual list of heading words only breaks ties.

use super::facts::{self, ends_sentence, word_units};
use super::{ExtractLimits, Link, LinkBlock, Page, PageStats, SourceInfo, Title};
use crate::read::Document;
use crate::Result;

/// Visible lines kept in [`PageStats::visible_lines`].
const MAX_VISIBLE_LINES: usize = 5_000;
/// Characters kept of each visible line.
const MAX_LINE_CHARS: usize = 2_000;
/// Longest line that can still be a headline in a link block.
const MAX_HEADLINE_CHARS: usize = 160;

/// Heading words used only to accept a borderline block (items that end like sentences).
const HEADING_WORDS: &[&str] = &[
    "related",
    "more",
    "read",
    "also",
    "recommended",
    "recommendation",
    "recommendations",
    "trending",
    "popular",
    "ranking",
    "latest",
    "top",
    "see",
    "news",
    "stories",
    "weitere",
    "lesen",
    "auch",
    "mehr",
    "meistgelesen",
    "empfehlungen",
    "voir",
    "aussi",
    "lire",
    "plus",
    "populaires",
    "relacionados",
    "relacionadas",
    "más",
    "leídos",
    "noticias",
    "también",
];

/// One non-blank line with its context.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    /// A blank line came right before it (only when blank lines carry structure).
    blank_before: bool,
}

/// Extracts a [`Page`] from a plain-text document.
pub fn extract(doc: &Document, limits: &ExtractLimits) -> Result<Page> {
    let lines = lines_of(&doc.text);
    let mut page = Page {
        url: doc.url.clone(),
        source: SourceInfo::of(doc),
        ..Page::default()
    };
    page.stats = stats(&doc.text, &lines);
    if lines.is_empty() {
        return Ok(page);
    }

    let body_start = title(&lines, &mut page);
    body(&lines[body_start..], limits, &mut page);
    page.stats.links = page.link_blocks.iter().map(|b| b.links.len()).sum();
    page.stats.anchor_chars = page
        .link_blocks
        .iter()
        .flat_map(|b| &b.links)
        .map(|l| l.text.chars().count())
        .sum();
    Ok(page)
}

/// The non-blank lines, trimmed. Blank lines mark structure unless the whole text is
/// double-spaced (then they mean nothing).
fn lines_of(text: &str) -> Vec<Line<'_>> {
    let (mut blank, mut full) = (0usize, 0usize);
    for l in text.lines() {
        if clean(l).is_empty() {
            blank += 1;
        } else {
            full += 1;
        }
    }
    let double_spaced = full >= 4 && blank * 5 >= full * 4;
    let mut out = Vec::with_capacity(full);
    let mut pending_blank = false;
    for l in text.lines() {
        let t = clean(l);
        if t.is_empty() {
            pending_blank = !out.is_empty() && !double_spaced;
            continue;
        }
        out.push(Line {
            text: t,
            blank_before: pending_blank,
        });
        pending_blank = false;
    }
    out
}

fn clean(l: &str) -> &str {
    l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\0')
}

/// Fills `page.title` and `page.breadcrumb` from the first line(s); returns the index of the
/// first body line.
fn title(lines: &[Line<'_>], page: &mut Page) -> usize {
    let raw = lines[0].text;
    let mut next = 1;
    let mut t = Title {
        raw: raw.to_owned(),
        source: "first_line",
        ..Title::default()
    };

    // A first line that is only a breadcrumb: the title is the line after it.
    if let Some(crumbs) = facts::breadcrumb(raw).filter(|c| c.iter().all(|p| word_units(p) <= 5)) {
        if let Some(second) = lines.get(1).filter(|l| !ends_sentence(l.text)) {
            page.breadcrumb = crumbs;
            let (text, suffix) = facts::split_title(second.text);
            t.raw = second.text.to_owned();
            t.text = text.to_owned();
            t.suffix = suffix.map(str::to_owned);
            page.title = t;
            return 2;
        }
    }

    // The second line repeats the headline cleanly: what is around it on the first line is
    // breadcrumb (before) and site tag (after).
    let repeat = lines.get(1).map(|l| l.text).filter(|second| {
        second.chars().count() >= 10 && word_units(second) >= 3 && raw.contains(second)
    });
    if let Some(second) = repeat {
        let pos = raw.find(second).unwrap_or(0);
        let prefix = raw[..pos].trim();
        let tail = raw[pos + second.len()..]
            .trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, '-' | '|' | '–' | '—' | '_' | '·' | ':')
            })
            .trim();
        t.text = second.to_owned();
        t.suffix = (!tail.is_empty()).then(|| tail.to_owned());
        if !prefix.is_empty() {
            page.breadcrumb = crumbs_of(prefix);
        }
        next = 2;
    } else {
        let mut headline = raw;
        // A breadcrumb fused in front: "Home > StocksWhite House says ...".
        if let Some(mut crumbs) = facts::breadcrumb(raw) {
            if let Some(last) = crumbs.pop() {
                if word_units(&last) > 5 {
                    // `last` is a trimmed piece of `raw`, so it is found; the fallback keeps all.
                    let start = raw.rfind(last.as_str()).unwrap_or(0);
                    let last_in_raw = &raw[start..];
                    match split_fused(last_in_raw) {
                        Some((crumb, rest)) => {
                            crumbs.push(crumb.to_owned());
                            headline = rest;
                        }
                        None => headline = last_in_raw,
                    }
                    page.breadcrumb = crumbs;
                }
            }
        }
        let (text, suffix) = facts::split_title(headline);
        t.text = text.to_owned();
        t.suffix = suffix.map(str::to_owned);
    }
    page.title = t;
    next
}

/// The breadcrumb parts of a prefix cut off a title line.
fn crumbs_of(prefix: &str) -> Vec<String> {
    if let Some(c) = facts::breadcrumb(prefix) {
        return c;
    }
    let body = prefix.split_once(':').map_or(prefix, |(_, r)| r).trim();
    if body.is_empty() || word_units(body) > 5 {
        Vec::new()
    } else {
        vec![body.to_owned()]
    }
}

/// Splits "StocksWhite House says ..." at the lower-to-upper case change inside its first
/// word: the tail of a breadcrumb glued to a headline.
fn split_fused(s: &str) -> Option<(&str, &str)> {
    let first_word = s.split_whitespace().next()?;
    let mut prev_lower = 0usize;
    for (i, c) in first_word.char_indices() {
        if c.is_uppercase() && prev_lower >= 2 && i >= 3 {
            return Some((&s[..i], &s[i..]));
        }
        if c.is_lowercase() {
            prev_lower += 1;
        } else {
            prev_lower = 0;
        }
    }
    None
}

/// A bullet or list number at the start of a line, if any: "- ", "* ", "• ", "1. ", "2) ".
fn bullet_len(s: &str) -> usize {
    for b in ["- ", "* ", "• ", "· ", "– ", "— ", "▪ ", "► ", "> "] {
        if s.starts_with(b) {
            return b.len();
        }
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &s.as_bytes()[digits..];
        if rest.len() > 2 && matches!(rest[0], b'.' | b')') && rest[1] == b' ' {
            return digits + 2;
        }
    }
    0
}

fn is_headline_like(l: &Line<'_>) -> bool {
    let t = l.text;
    let chars = t.chars().count();
    if chars > MAX_HEADLINE_CHARS || facts::counter(t).is_some() || facts::date_line(t).is_some() {
        return false;
    }
    let body = &t[bullet_len(t)..];
    // At most two sentences: a headline may be "X. What to know." but not a paragraph.
    let stops = body
        .split_inclusive(['.', '!', '?', '。', '！', '？'])
        .filter(|s| s.trim().chars().count() > 3 && ends_sentence(s))
        .count();
    word_units(body) >= 3 && stops <= 2
}

fn is_heading_shape(l: &Line<'_>) -> bool {
    let t = l.text;
    let t_no_colon = t.trim_end_matches([':', '：']);
    t.chars().count() <= 50
        && (1..=5).contains(&word_units(t))
        && bullet_len(t) == 0
        && !ends_sentence(t)
        && t.chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || !c.is_ascii())
        && !t_no_colon.contains(['(', ')', '[', ']'])
        && facts::counter(t).is_none()
        && facts::date_line(t).is_none()
        && facts::byline(t).is_none()
}

fn has_heading_word(t: &str) -> bool {
    t.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| HEADING_WORDS.contains(&w.to_lowercase().as_str()))
}

/// The link block starting at `lines[0]`, if any: `(block, lines used)`.
fn block_at(lines: &[Line<'_>]) -> Option<(LinkBlock, usize)> {
    let first = lines.first()?;
    let (heading, start) = if is_heading_shape(first) {
        (Some(first.text), 1)
    } else if bullet_len(first.text) > 0 {
        (None, 0)
    } else {
        return None;
    };
    let mut end = start;
    while let Some(l) = lines.get(end) {
        // A blank line ends the run, except right after the heading.
        if l.blank_before && end > start {
            break;
        }
        if !is_headline_like(l) {
            break;
        }
        // Items keep the bullet style of the first item: a change starts something new.
        let bulleted = bullet_len(l.text) > 0;
        if end > start && bulleted != (bullet_len(lines[start].text) > 0) {
            break;
        }
        if heading.is_none() && !bulleted {
            break;
        }
        // A much shorter heading-shaped line over further headlines is the next heading.
        if end >= start + 2 && is_next_heading(&lines[start..end], &lines[end..]) {
            break;
        }
        end += 1;
    }
    let items = &lines[start..end];
    let needed = if heading.is_some() { 2 } else { 3 };
    if items.len() < needed {
        return None;
    }
    let bulleted = items.iter().all(|l| bullet_len(l.text) > 0);
    let sentences = items.iter().filter(|l| ends_sentence(l.text)).count();
    let shaped = bulleted || sentences * 2 <= items.len();
    let tiebreak = heading.is_some_and(has_heading_word) && sentences * 4 <= items.len() * 3;
    if !(shaped || tiebreak) {
        return None;
    }
    let links = items
        .iter()
        .map(|l| Link {
            text: l.text[bullet_len(l.text)..].trim().to_owned(),
            href: None,
            external: false,
        })
        .collect();
    Some((
        LinkBlock {
            heading: heading.map(|h| h.trim_end_matches([':', '：']).trim().to_owned()),
            region: "body",
            links,
        },
        end,
    ))
}

/// Whether `rest[0]`, met after the `items` of a block, is the heading of a new block: heading
/// shaped, at most half the mean item length, with two headline-like lines after it.
fn is_next_heading(items: &[Line<'_>], rest: &[Line<'_>]) -> bool {
    let Some(line) = rest.first() else {
        return false;
    };
    if !is_heading_shape(line) || rest.len() < 3 || !rest[1..3].iter().all(is_headline_like) {
        return false;
    }
    let mean = items.iter().map(|l| l.text.chars().count()).sum::<usize>() / items.len().max(1);
    line.text.chars().count() * 2 <= mean
}

fn is_paragraph(t: &str) -> bool {
    let words = word_units(t);
    (words >= 12 && t.chars().count() >= 60) || (words >= 6 && ends_sentence(t))
}

/// Walks the body lines: link blocks, paragraphs, and the one-line facts.
fn body(lines: &[Line<'_>], limits: &ExtractLimits, page: &mut Page) {
    let mut links_left = limits.max_links;
    let mut i = 0;
    while i < lines.len() {
        if let Some((mut block, used)) = block_at(&lines[i..]) {
            if block.links.len() > links_left {
                block.links.truncate(links_left);
                page.stats.limit_hit = true;
            }
            links_left -= block.links.len();
            if !block.links.is_empty() {
                page.link_blocks.push(block);
            }
            i += used;
            continue;
        }
        let t = lines[i].text;
        i += 1;
        if let Some(d) = facts::date_line(t) {
            page.dates.push(d);
            continue;
        }
        if let Some(c) = facts::counter(t) {
            page.counters.push(c.to_owned());
            continue;
        }
        if let Some(b) = facts::byline(t) {
            page.bylines.push(b.to_owned());
            continue;
        }
        if is_paragraph(t) {
            if let Some(d) = facts::dateline(t) {
                page.datelines.push(d.to_owned());
            }
            facts::find_dates(t, &mut page.dates);
            page.main_text.push(t.to_owned());
            continue;
        }
        if page.breadcrumb.is_empty() && page.main_text.is_empty() {
            if let Some(c) = facts::breadcrumb(t) {
                page.breadcrumb = c;
            }
        }
    }
}

/// Size figures and the capped visible lines.
fn stats(text: &str, lines: &[Line<'_>]) -> PageStats {
    let visible_chars = lines.iter().map(|l| l.text.chars().count()).sum();
    let visible_lines = lines
        .iter()
        .take(MAX_VISIBLE_LINES)
        .map(|l| match l.text.char_indices().nth(MAX_LINE_CHARS) {
            Some((cut, _)) => l.text[..cut].to_owned(),
            None => l.text.to_owned(),
        })
        .collect();
    PageStats {
        source_chars: text.chars().count(),
        visible_chars,
        visible_lines,
        limit_hit: lines.len() > MAX_VISIBLE_LINES,
        ..PageStats::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fused_split() {
        assert_eq!(
            split_fused("NewsPort strike ends"),
            Some(("News", "Port strike ends"))
        );
        assert_eq!(split_fused("Port strike ends"), None);
        assert_eq!(split_fused("McDonald opens"), None);
    }

    #[test]
    fn bullets() {
        assert_eq!(bullet_len("- item"), 2);
        assert_eq!(bullet_len("12. item"), 4);
        assert_eq!(bullet_len("2024 was a year"), 0);
        assert_eq!(bullet_len("Plain"), 0);
    }
}
