//! Promotional text posing as content or links ("Get 2 for the price of 1"), scored by the
//! promo classifier over link texts and short lines, plus the extractor's ad markers counted by
//! kind.
//!
//! The classifier knows the register of ad copy, not where it sits: a real shop is full of it.
//! `promo_in_news_blocks` adds the placement: ad copy slipped into a list of news headlines,
//! which is how scraper templates dress ads as stories.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::extract::AdMarkerKind;

use super::context::{count_words, Ctx};
use super::{log_count, placement, prob, quote, Out, SignalModels};

/// Probability at or above which a snippet counts as promotional (share and evidence).
const PROMO: f64 = 0.5;
/// Snippets scored per page (model calls cost time).
const MAX_SNIPPETS: usize = 240;
/// Longest snippet scored, in words: longer lines are article prose, not snippets.
const MAX_SNIPPET_WORDS: usize = 40;

/// Short promo paragraphs of its own (beyond a quarter of them) that make a page a shop.
const SHOP_MIN_PROMO_PARAGRAPHS: usize = 2;

/// A headline below this promo probability reads as news, not as an ad.
const NEWS_LIKE: f64 = 0.2;

/// Adds `promo_max`, `promo_share`, `promo_in_news_blocks`, `promo_beside_article`,
/// `ad_selectors_log`, `ad_hosts_log`, `ad_sponsored_log`.
pub(crate) fn compute(ctx: &Ctx<'_>, models: &dyn SignalModels, out: &mut Out) {
    // The links of a disclosed ad widget are honest ads, not snippets posing as content.
    let mut seen: FxHashSet<&str> = ctx.disclosed_headlines.iter().copied().collect();
    let mut snippets: Vec<(&str, &'static str)> = Vec::new();
    // Every headline-like link is scored once; the snippets below reuse the scores.
    // A text repeated in several links is scored once (the model is a pure function).
    let mut promo_of: FxHashMap<&str, f64> = FxHashMap::default();
    let headline_promo: Vec<f64> = ctx
        .headlines
        .iter()
        .map(|hl| {
            *promo_of
                .entry(hl.text)
                .or_insert_with(|| prob(models.promo(hl.text)))
        })
        .collect();
    let mut known: Vec<(&str, f64)> = Vec::new();
    for (hl, &p) in ctx.headlines.iter().zip(&headline_promo) {
        if hl.score >= 0.5 && seen.insert(hl.text) {
            snippets.push((hl.text, "link"));
            known.push((hl.text, p));
        }
    }
    let short = |t: &str| {
        let n = count_words(t, MAX_SNIPPET_WORDS + 1);
        (3..=MAX_SNIPPET_WORDS).contains(&n)
    };
    for p in &ctx.page.main_text {
        let p = p.trim();
        if short(p) && seen.insert(p) {
            snippets.push((p, "text"));
        }
    }
    for l in &ctx.lines {
        if short(l) && seen.insert(l) {
            snippets.push((l, "line"));
        }
    }
    snippets.truncate(MAX_SNIPPETS);

    let scored: Vec<(&str, &str, f64)> = snippets
        .iter()
        .enumerate()
        .map(|(i, (t, k))| {
            let p = match known.get(i) {
                Some(&(kt, p)) if kt == *t => p,
                _ => *promo_of.entry(t).or_insert_with(|| prob(models.promo(t))),
            };
            (*t, *k, p)
        })
        .collect();
    let n = scored.len();
    let max = scored.iter().map(|s| s.2).fold(0.0, f64::max);
    let hits = scored.iter().filter(|s| s.2 >= PROMO).count();
    let share = if n == 0 { 0.0 } else { hits as f64 / n as f64 };
    let promo_ev = if out.detailed() {
        let mut v: Vec<_> = scored.iter().filter(|s| s.2 >= PROMO).collect();
        v.sort_by(|a, b| b.2.total_cmp(&a.2));
        let mut lead = Vec::new();
        if v.is_empty() {
            // Nothing reaches the line, yet the max is not 0: quote the nearest.
            lead.push(format!(
                "none of {n} short snippets has promo probability ≥ {PROMO}; the highest:"
            ));
            v.extend(scored.iter().max_by(|a, b| a.2.total_cmp(&b.2)));
        }
        lead.extend(
            v.iter()
                .map(|(t, k, p)| format!("{k} {} — promo probability {p:.2}", quote(t))),
        );
        lead
    } else {
        Vec::new()
    };
    let share_ev = if out.detailed() && hits > 0 {
        vec![format!(
            "{hits} of {n} short snippets have promo probability ≥ {PROMO}"
        )]
    } else {
        Vec::new()
    };
    out.push("promo_max", max, promo_ev);
    out.push("promo_share", share, share_ev);
    promo_in_news_blocks(ctx, &headline_promo, out);
    // A page whose own short paragraphs are more than a quarter ad copy is a shop's or a
    // service's, where ad copy in the lists is what the site sells. It takes two such
    // paragraphs: one sign-off line ("Visit our website for ...") under an article whose other
    // paragraphs are long makes it no shop.
    let (text_n, text_hits) = scored
        .iter()
        .filter(|s| s.1 == "text")
        .fold((0usize, 0usize), |(n, h), s| {
            (n + 1, h + usize::from(s.2 >= PROMO))
        });
    let is_shop = text_hits >= SHOP_MIN_PROMO_PARAGRAPHS && text_hits * 4 > text_n;
    let is_article = ctx.article_words >= placement::ARTICLE_WORDS && !is_shop;
    let links: Vec<(usize, &str, f64)> = ctx
        .headlines
        .iter()
        .zip(&headline_promo)
        .filter(|(hl, _)| hl.score >= 0.5)
        .map(|(hl, &p)| (hl.block, hl.text, p))
        .collect();
    placement::push_beside_article(
        ctx,
        &links,
        PROMO,
        is_article,
        ("promo_beside_article", "promo"),
        out,
    );

    let markers = &ctx.page.ad_markers;
    let kinds: [(&'static str, &dyn Fn(AdMarkerKind) -> bool); 3] = [
        ("ad_selectors_log", &|k| k == AdMarkerKind::AdSelector),
        ("ad_hosts_log", &|k| k == AdMarkerKind::AdNetworkHost),
        ("ad_sponsored_log", &|k| {
            matches!(k, AdMarkerKind::RelSponsored | AdMarkerKind::Label)
        }),
    ];
    for (name, wanted) in kinds {
        let of_kind = markers.iter().filter(|m| wanted(m.kind));
        let count = of_kind.clone().count();
        let ev = if out.detailed() {
            let mut distinct: Vec<&str> = Vec::new();
            for m in of_kind {
                if !distinct.contains(&m.evidence.as_str()) {
                    distinct.push(&m.evidence);
                }
                if distinct.len() >= 8 {
                    break;
                }
            }
            let mut ev = vec![format!("{count} ad markers of this kind")];
            ev.extend(distinct.iter().map(|e| quote(e)));
            ev
        } else {
            Vec::new()
        };
        out.push(name, log_count(count), ev);
    }
}

/// `promo_in_news_blocks`: headline links that read as ads (promo probability ≥ [`PROMO`])
/// posing among news headlines (below [`NEWS_LIKE`]); see `placement.rs`.
fn promo_in_news_blocks(ctx: &Ctx<'_>, headline_promo: &[f64], out: &mut Out) {
    let scored: Vec<(usize, &str, f64)> = ctx
        .headlines
        .iter()
        .zip(headline_promo)
        .map(|(hl, &p)| (hl.block, hl.text, p))
        .collect();
    placement::push_posing_among_news(
        ctx,
        &scored,
        (PROMO, NEWS_LIKE),
        ("promo_in_news_blocks", "promo"),
        out,
    );
}
