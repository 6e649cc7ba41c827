//! Plain-text pages, as scrapers save them: the first non-empty line is the title (often with a
//! breadcrumb fused in front and a site tag behind), long sentence-like lines are the article,
//! and a short heading line followed by a run of headline-like lines is a link block
//! ("Related", "Trending", "Lesen Sie auch", ...), whatever the language.
//!
//! Everything is decided by line shape (length, word count, sentence punctuation, bullets),
//! not by the words on the line; a small multilingual list of heading words only breaks ties.
//!
//! * Title: line 1. If line 2 is contained in line 1, line 2 is the clean headline, what
//!   precedes it on line 1 is the breadcrumb and what follows is the suffix. Otherwise a
//!   breadcrumb trail is split off the front (a crumb glued to the headline, "StocksWhite
//!   House", is cut at the case change) and [`facts::split_title`] splits off the suffix.
//! * Link block: a heading-shaped line (at most 5 words, no sentence end, no bullet) over at
//!   least two headline-like lines (3+ words, at most 160 characters, at most two sentences),
//!   or a headless run of at least three bulleted lines. The entries keep one bullet style and
//!   stop at a blank line, a non-headline, or a much shorter heading-shaped line over more
//!   headlines (the next block's heading). Unbulleted runs where most entries end like
//!   sentences are prose, not a block. Date lines and counters between entries are skipped.
//! * Main text: lines of 12+ words, or 6+ words ending like a sentence, outside blocks.
//!   Hard-wrapped prose is joined back into paragraphs first.
//! * One-line facts (date lines, counters, bylines, datelines, dates in text) come from
//!   [`facts`].

use super::facts::{self, ends_sentence, word_units};
use super::{ExtractLimits, Link, LinkBlock, Page, PageStats, SourceInfo, Title};
use crate::read::Document;
use crate::Result;

/// A breadcrumb line counts while fewer paragraphs than this came before it.
const BREADCRUMB_WITHIN_PARAGRAPHS: usize = 3;

/// Visible lines kept in [`PageStats::visible_lines`].
const MAX_VISIBLE_LINES: usize = 5_000;
/// Characters kept of each visible line.
const MAX_LINE_CHARS: usize = 2_000;
/// Longest first line taken whole as the title.
const MAX_TITLE_CHARS: usize = 300;
/// Entries kept in one link block; longer runs are cut (and bound the work per line).
const MAX_BLOCK_ITEMS: usize = 1_000;
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

/// One non-blank line with its context and its shape, computed once.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    /// A blank line came right before it (only when blank lines carry structure).
    blank_before: bool,
    /// Bytes of bullet or list number in front ("- ", "1. "), 0 if none.
    bullet: usize,
    /// Characters.
    chars: usize,
    /// Ends like a sentence.
    sentence: bool,
    /// Could be an entry of a link block.
    headline: bool,
    /// Could be the heading over a link block.
    heading: bool,
    /// A short date line or counter: metadata that may sit between block entries.
    meta: bool,
}

impl<'a> Line<'a> {
    fn new(text: &'a str, blank_before: bool) -> Self {
        let mut l = Line {
            text,
            blank_before,
            bullet: bullet_len(text),
            chars: text.chars().count(),
            sentence: ends_sentence(text),
            headline: false,
            heading: false,
            meta: false,
        };
        // Both shapes need the one-line facts only for short lines.
        if l.chars <= MAX_HEADLINE_CHARS {
            let fact = facts::counters(text).is_some() || facts::date_line(text).is_some();
            l.headline = !fact && is_headline_like(&l);
            l.heading = !fact && is_heading_shape(&l);
            l.meta = fact;
        }
        l
    }
}

/// Extracts a [`Page`] from a plain-text document.
pub fn extract(doc: &Document, limits: &ExtractLimits) -> Result<Page> {
    let unwrapped = unwrap_hard_wrapped(&doc.text);
    let lines = lines_of(unwrapped.as_deref().unwrap_or(&doc.text));
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
        out.push(Line::new(t, pending_blank));
        pending_blank = false;
    }
    out
}

/// Continuation lines of hard-wrapped text start lower case at least once in this many (a
/// third; German capitalises its nouns, and English prose starts about three lines in four
/// lower case).
const MIN_WRAP_LOWER_SHARE_INV: usize = 3;

/// Hard-wrapped text (prose broken at a fixed width, as in mail, RFCs or some dumps) with its
/// wrapped lines joined back into one line per paragraph, or `None` if the text is not wrapped.
///
/// The text counts as wrapped when most lines of 40 characters or more stop short of 100 and
/// at least three of them are "full" (within 15 characters of the typical width) and go on in
/// the next line, and those next lines read like the middle of sentences (see
/// [`MIN_WRAP_LOWER_SHARE_INV`]). Then a full line joins the next line unless that one is blank
/// or bulleted.
fn unwrap_hard_wrapped(text: &str) -> Option<String> {
    let mut long: Vec<usize> = text
        .lines()
        .map(|l| clean(l).chars().count())
        .filter(|n| *n >= 40)
        .collect();
    if long.len() < 5 || long.iter().filter(|n| **n <= 100).count() * 10 < long.len() * 9 {
        return None;
    }
    long.sort_unstable();
    let width = long[long.len() * 9 / 10];
    let full = |l: &str| {
        let n = l.chars().count();
        n >= 40 && n + 15 >= width && n <= 100
    };
    let continues = |next: &str| !next.is_empty() && bullet_len(next) == 0;
    let lines: Vec<&str> = text.lines().map(clean).collect();
    // A wrap breaks a sentence anywhere, so most continuation lines start with a lower-case
    // word; a list of headlines of one width ("Jimmy Fallon Is A Terrible Liar") starts every
    // line with a capital. Lines starting without case (digits, CJK) do not count.
    let (mut joins, mut cased, mut lower) = (0usize, 0usize, 0usize);
    for w in lines.windows(2) {
        if full(w[0]) && continues(w[1]) {
            joins += 1;
            match w[1].chars().next() {
                Some(c) if c.is_lowercase() => {
                    cased += 1;
                    lower += 1;
                }
                Some(c) if c.is_uppercase() => cased += 1,
                _ => {}
            }
        }
    }
    if joins < 3 || (cased >= 3 && lower * MIN_WRAP_LOWER_SHARE_INV < cased) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for (i, l) in lines.iter().enumerate() {
        out.push_str(l);
        let join = full(l) && lines.get(i + 1).is_some_and(|n| continues(n));
        out.push(if join { ' ' } else { '\n' });
    }
    Some(out)
}

fn clean(l: &str) -> &str {
    l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\0')
}

/// Sections a flattened navigation menu has at least ("Politics | World | U.S. | Tech").
const MIN_MENU_SECTIONS: usize = 4;
/// Menu lines skipped above the title (a dump may carry a main and a section menu).
const MAX_MENU_LINES: usize = 2;

/// Whether `line` is a site's navigation menu flattened onto one line ("Politics | World |
/// U.S. | Tech | Odd News"): at least [`MIN_MENU_SECTIONS`] short sections between pipes or
/// dots, none a sentence. Text dumps often start with one; it is chrome, not the title. A
/// trail from the home page ("Home | News | Asia") is a breadcrumb instead.
fn is_menu_line(line: &str) -> bool {
    if facts::breadcrumb(line).is_some() {
        return false;
    }
    let section = |p: &str| {
        p.chars().next().is_some_and(char::is_alphanumeric)
            && p.chars().any(char::is_alphabetic)
            && p.chars().count() <= 25
            && word_units(p) <= 3
            // a one- or two-word section ending in a full stop is an abbreviation ("U.S.")
            && (!ends_sentence(p) || word_units(p) <= 2)
    };
    [" | ", " · ", " • "].iter().any(|sep| {
        let mut n = 0usize;
        line.split(sep).map(str::trim).all(|p| {
            n += 1;
            section(p)
        }) && n >= MIN_MENU_SECTIONS
    })
}

/// Fills `page.title` and `page.breadcrumb` from the first line(s) below any navigation menu;
/// returns the index of the first body line.
fn title(lines: &[Line<'_>], page: &mut Page) -> usize {
    let menus = lines
        .iter()
        .take(MAX_MENU_LINES)
        .take_while(|l| is_menu_line(l.text))
        .count()
        .min(lines.len() - 1);
    menus + title_below_menus(&lines[menus..], page)
}

/// [`title`] on the lines below the menus.
fn title_below_menus(lines: &[Line<'_>], page: &mut Page) -> usize {
    let raw = lines[0].text;
    // A first line far too long for a title is the text itself: the title is its start, and
    // the line stays in the body.
    if lines[0].chars > MAX_TITLE_CHARS {
        let cut = raw
            .char_indices()
            .nth(MAX_TITLE_CHARS)
            .map_or(raw.len(), |(i, _)| i);
        let head = &raw[..cut];
        let head = head.rsplit_once(' ').map_or(head, |(h, _)| h).trim_end();
        page.title = Title {
            text: head.to_owned(),
            raw: head.to_owned(),
            source: "first_line",
            ..Title::default()
        };
        return 0;
    }
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
        let mut site_tag: Option<&str> = None;
        // A breadcrumb fused in front: "Home > StocksWhite House says ...". A site tag behind
        // such a trail ("Label: Home | NewsHeadline | Site") is cut first, so that the trail
        // can be read; it stays the title's suffix.
        if let Some((crumbs, rest)) = fused_trail(raw) {
            page.breadcrumb = crumbs;
            headline = rest;
        } else if let (head, Some(tag)) = facts::split_title(raw) {
            if let Some((crumbs, rest)) = fused_trail(head) {
                page.breadcrumb = crumbs;
                headline = rest;
                site_tag = Some(tag);
            }
        }
        let (text, suffix) = match site_tag {
            Some(tag) => (headline, Some(tag)),
            None => facts::split_title(headline),
        };
        t.text = text.to_owned();
        t.suffix = suffix.map(str::to_owned);
    }
    page.title = t;
    next
}

/// A breadcrumb trail at the start of `line` whose last crumb runs into the headline (more than
/// five words, or a case change inside its first word: "StocksWhite House says"): the crumbs
/// and the headline.
fn fused_trail(line: &str) -> Option<(Vec<String>, &str)> {
    let mut crumbs = facts::breadcrumb(line)?;
    let last = crumbs.pop()?;
    // A short headline can be fused too ("Home > InternationalSymptoms & Cures"); a one-word
    // rest is more likely a name such as "YouTube".
    let fused = split_fused(&last).filter(|(_, rest)| word_units(rest) >= 2);
    if word_units(&last) <= 5 && fused.is_none() {
        return None;
    }
    // `last` is a trimmed piece of `line`, so it is found; the fallback keeps all.
    let start = line.rfind(last.as_str()).unwrap_or(0);
    let last_in_line = &line[start..];
    match split_fused(last_in_line) {
        Some((crumb, rest)) => {
            crumbs.push(crumb.to_owned());
            Some((crumbs, rest))
        }
        None => Some((crumbs, last_in_line)),
    }
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

/// Headline shape: at least three words, at most [`MAX_HEADLINE_CHARS`], at most two sentences
/// ("X. What to know." is a headline, a paragraph is not). Counter and date lines are excluded
/// by the caller.
fn is_headline_like(l: &Line<'_>) -> bool {
    let body = &l.text[l.bullet..];
    let stops = body
        .split_inclusive(['.', '!', '?', '。', '！', '？'])
        .filter(|s| s.trim().chars().count() > 3 && ends_sentence(s))
        .count();
    l.chars <= MAX_HEADLINE_CHARS && word_units(body) >= 3 && stops <= 2
}

/// Heading shape: short (at most 5 words, 50 characters), no bullet, no sentence end, no
/// brackets, not a byline. Counter and date lines are excluded by the caller.
fn is_heading_shape(l: &Line<'_>) -> bool {
    let t = l.text;
    let t_no_colon = t.trim_end_matches([':', '：']);
    l.chars <= 50
        && (1..=5).contains(&word_units(t))
        && l.bullet == 0
        && !l.sentence
        && t.chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || !c.is_ascii())
        && !t_no_colon.contains(['(', ')', '[', ']'])
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
    let (heading, start) = if first.heading {
        (Some(first.text), 1)
    } else if first.bullet > 0 {
        (None, 0)
    } else {
        return None;
    };
    let first_bulleted = lines.get(start).is_some_and(|l| l.bullet > 0);
    let mut end = start;
    let mut item_chars = 0;
    let mut items: Vec<&Line<'_>> = Vec::new();
    while let Some(l) = lines.get(end) {
        // A blank line ends the run, except right after the heading.
        if (l.blank_before && end > start) || items.len() >= MAX_BLOCK_ITEMS {
            break;
        }
        // A time stamp or counter under an entry, with the block going on after it.
        if l.meta
            && !items.is_empty()
            && lines
                .get(end + 1)
                .is_some_and(|x| x.headline && !x.blank_before && (x.bullet > 0) == first_bulleted)
        {
            end += 1;
            continue;
        }
        if !l.headline {
            break;
        }
        // Items keep the bullet style of the first item: a change starts something new.
        let bulleted = l.bullet > 0;
        if bulleted != first_bulleted || (heading.is_none() && !bulleted) {
            break;
        }
        // A much shorter heading-shaped line over further headlines is the next heading.
        let n = items.len();
        if n >= 2
            && l.heading
            && l.chars * 2 * n <= item_chars
            && lines.get(end + 1).is_some_and(|x| x.headline)
            && lines.get(end + 2).is_some_and(|x| x.headline)
        {
            break;
        }
        item_chars += l.chars;
        items.push(l);
        end += 1;
    }
    let needed = if heading.is_some() { 2 } else { 3 };
    if items.len() < needed {
        return None;
    }
    let sentences = items.iter().filter(|l| l.sentence).count();
    let shaped = first_bulleted || sentences * 2 <= items.len();
    let tiebreak = heading.is_some_and(has_heading_word) && sentences * 4 <= items.len() * 3;
    if !(shaped || tiebreak) {
        return None;
    }
    let links = items
        .iter()
        .map(|l| Link {
            text: l.text[l.bullet..].trim().to_owned(),
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

fn is_paragraph(t: &str) -> bool {
    let words = word_units(t);
    (words >= 12 && t.chars().count() >= 60) || (words >= 6 && ends_sentence(t))
}

/// Walks the body lines: link blocks, paragraphs, and the one-line facts.
fn body(lines: &[Line<'_>], limits: &ExtractLimits, page: &mut Page) {
    let mut links_left = limits.max_links;
    let mut i = 0;
    while i < lines.len() {
        // A trail from the home page above two headline-shaped lines (the title repeated) is
        // the breadcrumb, not a block heading.
        if page.breadcrumb.is_empty() && page.main_text.len() < BREADCRUMB_WITHIN_PARAGRAPHS {
            if let Some(c) = facts::root_breadcrumb(lines[i].text) {
                page.breadcrumb = c;
                i += 1;
                continue;
            }
        }
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
        if let Some(row) = facts::counters(t) {
            page.counters.extend(row.into_iter().map(str::to_owned));
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
        // The trail sits above the story, but a text dump often has a teaser or a summary
        // above the trail too; deep in the article a `>` line is something else.
        if page.breadcrumb.is_empty() && page.main_text.len() < BREADCRUMB_WITHIN_PARAGRAPHS {
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
