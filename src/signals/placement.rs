//! Text of another register posing as content: a classifier's hit (an ad, a clickbait line)
//! inside a list of links that otherwise read as plain news headlines, or in the link lists
//! beside an article. Shared by `ads.rs` (`promo_in_news_blocks`, `promo_beside_article`) and
//! `clickbait.rs` (`clickbait_in_news_blocks`, `clickbait_beside_article`).
//!
//! A block whose heading discloses paid links ("Sponsored", "Anzeige") never counts. Among news
//! headlines, a block of nothing but hits (a shop's product grid, a clickbait widget) does not
//! count either: the tell is the odd one out among real stories. Beside an article, the tell is
//! the page itself: ad copy in a shop's lists is the shop, in the "popular" list under a news
//! story it is a scraper selling space. The raw shares of the classifiers cannot say which, as
//! an additive model sees each signal alone.

use rustc_hash::FxHashSet;

use super::context::Ctx;
use super::{confidence_count, quote, Out};

/// A block counts as a news list when at least this share of its other headlines read as news.
const NEWS_BLOCK_SHARE: f64 = 0.6;
/// Headlines a block needs besides the hit to count as a news list.
const NEWS_BLOCK_MIN: usize = 3;
/// Words of main text that make a page an article for [`push_beside_article`]: a few
/// paragraphs of prose, more than a shop's blurb or a listing's teasers.
pub(crate) const ARTICLE_WORDS: usize = 200;

/// Pushes `name`: the links of `scored` (block index, text, probability) with probability ≥
/// `hit` that pose among news in their block (the others there below `news_like`), counted by
/// confidence ([`confidence_count`]), with each one as evidence.
pub(crate) fn push_posing_among_news(
    ctx: &Ctx<'_>,
    scored: &[(usize, &str, f64)],
    (hit, news_like): (f64, f64),
    (name, what): (&'static str, &str),
    out: &mut Out,
) {
    // per block: (links, news-like links)
    let mut per_block = vec![(0usize, 0usize); ctx.blocks.len()];
    for &(b, _, p) in scored {
        if let Some(c) = per_block.get_mut(b) {
            c.0 += 1;
            if p < news_like {
                c.1 += 1;
            }
        }
    }
    let hits: Vec<&(usize, &str, f64)> = scored
        .iter()
        .filter(|(b, _, p)| {
            *p >= hit
                && ctx.blocks.get(*b).is_some_and(|b| !b.disclosed)
                && per_block.get(*b).is_some_and(|&(n, news)| {
                    news >= NEWS_BLOCK_MIN && news as f64 >= NEWS_BLOCK_SHARE * (n - 1) as f64
                })
        })
        .collect();
    let ev = if out.detailed() {
        hits.iter()
            .map(|(b, t, p)| {
                let heading = heading_of(ctx, *b);
                let (n, news) = per_block.get(*b).copied().unwrap_or_default();
                format!(
                    "{} ({what} probability {p:.2}) among {news} news headlines of {n} in {heading}",
                    quote(t)
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    out.push(name, confidence_count(hits.iter().map(|h| h.2)), ev);
}

/// Pushes `name`: the distinct links of `scored` (block index, text, probability) with
/// probability ≥ `hit`, outside blocks that disclose paid links, counted by confidence
/// ([`confidence_count`]), when the page is an article (`is_article`, judged by the caller);
/// 0 on any other page.
pub(crate) fn push_beside_article(
    ctx: &Ctx<'_>,
    scored: &[(usize, &str, f64)],
    hit: f64,
    is_article: bool,
    (name, what): (&'static str, &str),
    out: &mut Out,
) {
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let hits: Vec<&(usize, &str, f64)> = if is_article {
        scored
            .iter()
            .filter(|(b, t, p)| {
                *p >= hit && ctx.blocks.get(*b).is_some_and(|b| !b.disclosed) && seen.insert(t)
            })
            .collect()
    } else {
        Vec::new()
    };
    let ev = if out.detailed() {
        hits.iter()
            .map(|(b, t, p)| {
                let heading = heading_of(ctx, *b);
                format!(
                    "{} ({what} probability {p:.2}) in {heading}, beside a {}-word article",
                    quote(t),
                    ctx.article_words
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    out.push(name, confidence_count(hits.iter().map(|h| h.2)), ev);
}

/// The quoted heading of block `b`, for evidence.
fn heading_of(ctx: &Ctx<'_>, b: usize) -> String {
    ctx.blocks
        .get(b)
        .and_then(|b| b.heading)
        .map_or_else(|| "an untitled block".to_string(), quote)
}
