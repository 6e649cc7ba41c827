//! Clickbait language in the page's headlines: the title (and a differing `<h1>`) and the link
//! texts that look like headlines, scored by the clickbait classifier.
//!
//! Real news sites carry clickbait too, in honestly labelled sponsored widgets that are nothing
//! but clickbait and ads. `clickbait_in_news_blocks` adds the placement that scraper templates
//! give it: clickbait mixed in among plain news headlines, posing as one of the stories.

use rustc_hash::FxHashMap;

use super::context::Ctx;
use super::{placement, prob, quote, Out, SignalModels};

/// Probability at or above which a headline counts as clickbait (share and evidence).
const CLICKBAIT: f64 = 0.5;
/// A headline below this clickbait probability reads as plain news.
const NEWS_LIKE: f64 = 0.3;

/// Adds `clickbait_title`, `clickbait_max`, `clickbait_mean`, `clickbait_share`,
/// `clickbait_in_news_blocks`, `clickbait_beside_article`.
pub(crate) fn compute(ctx: &Ctx<'_>, models: &dyn SignalModels, out: &mut Out) {
    let page = ctx.page;
    let title = page.title.text.trim();
    let mut scored: Vec<(&str, f64, &'static str)> = Vec::with_capacity(ctx.headlines.len() + 2);
    let title_p = if title.is_empty() {
        0.0
    } else {
        let p = prob(models.clickbait(title));
        scored.push((title, p, "title"));
        p
    };
    if let Some(h1) = page.title.h1.as_deref().map(str::trim) {
        if !h1.is_empty() && h1 != title {
            scored.push((h1, prob(models.clickbait(h1)), "h1"));
        }
    }
    // Link headlines from blocks that are not plain navigation.
    // A headline repeated in several links is scored once (the model is a pure function).
    let mut seen: FxHashMap<&str, f64> = FxHashMap::default();
    // (block, text, probability) of every scored link, for the placement signal
    let mut links: Vec<(usize, &str, f64)> = Vec::with_capacity(ctx.headlines.len());
    for hl in &ctx.headlines {
        if hl.score >= 0.5 && ctx.blocks[hl.block].region_weight >= 0.5 {
            let p = *seen
                .entry(hl.text)
                .or_insert_with(|| prob(models.clickbait(hl.text)));
            scored.push((hl.text, p, "link"));
            links.push((hl.block, hl.text, p));
        }
    }

    let n = scored.len();
    let (max, mean, share) = if n == 0 {
        (0.0, 0.0, 0.0)
    } else {
        let max = scored.iter().map(|s| s.1).fold(0.0, f64::max);
        let mean = scored.iter().map(|s| s.1).sum::<f64>() / n as f64;
        let hits = scored.iter().filter(|s| s.1 >= CLICKBAIT).count();
        (max, mean, hits as f64 / n as f64)
    };

    let detailed = out.detailed();
    let ev = |v: &[(&str, f64, &'static str)]| -> Vec<String> {
        v.iter()
            .map(|(t, p, w)| format!("{w} {} — clickbait probability {p:.2}", quote(t)))
            .collect()
    };
    let title_ev = if detailed && title_p > 0.0 {
        ev(&scored[..1])
    } else {
        Vec::new()
    };
    let list_ev = if detailed {
        let mut hits: Vec<_> = scored
            .iter()
            .copied()
            .filter(|s| s.1 >= CLICKBAIT)
            .collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1));
        if hits.is_empty() {
            // Nothing reaches the line, yet max and mean are not 0: quote the nearest.
            let nearest = scored.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1));
            let mut v = vec![format!(
                "none of {n} headlines has clickbait probability ≥ {CLICKBAIT}; the highest:"
            )];
            v.extend(ev(nearest.as_slice()));
            v
        } else {
            ev(&hits)
        }
    } else {
        Vec::new()
    };
    let share_ev = if detailed && share > 0.0 {
        vec![format!(
            "{} of {n} headlines have clickbait probability ≥ {CLICKBAIT}",
            (share * n as f64).round()
        )]
    } else {
        Vec::new()
    };
    out.push("clickbait_title", title_p, title_ev);
    out.push("clickbait_max", max, list_ev.clone());
    out.push("clickbait_mean", mean, list_ev);
    out.push("clickbait_share", share, share_ev);
    clickbait_in_news_blocks(ctx, &links, out);
    placement::push_beside_article(
        ctx,
        &links,
        CLICKBAIT,
        ctx.article_words >= placement::ARTICLE_WORDS,
        ("clickbait_beside_article", "clickbait"),
        out,
    );
}

/// `clickbait_in_news_blocks`: clickbait links (probability ≥ [`CLICKBAIT`]) posing among plain
/// news headlines (below [`NEWS_LIKE`]); see `placement.rs`.
fn clickbait_in_news_blocks(ctx: &Ctx<'_>, links: &[(usize, &str, f64)], out: &mut Out) {
    placement::push_posing_among_news(
        ctx,
        links,
        (CLICKBAIT, NEWS_LIKE),
        ("clickbait_in_news_blocks", "clickbait"),
        out,
    );
}
