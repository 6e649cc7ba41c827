//! Related-links mismatch (after Martinez-Romo & Araujo 2009): how far the headlines in the
//! page's link blocks are from the article's own topic, weighted by how related each block
//! claims to be.
//!
//! A block's weight is `claim × region × headline share`: a heading such as "Related" or "Lesen
//! Sie auch" claims the links are about this article; "Trending" or "Most read" claims much
//! less; navigation, header and footer blocks of section names ("Home", "Sport") weigh almost
//! nothing because their texts are not headlines. The page value is a weighted mean of block
//! mismatches shrunk towards 0 by a prior weight, so one lightly-weighted off-topic box (a
//! trending widget under an article with on-topic related links) is weak evidence, while a page
//! whose only recommendation blocks are off-topic headlines is strong evidence.

use super::context::Ctx;
use super::{log_count, prob, quote, Out, SignalModels};

/// Prior weight of "no evidence" in the weighted mean (shrinks lone, lightly-claimed blocks).
const PRIOR_WEIGHT: f64 = 0.5;
/// Topic distance at or above which a headline counts as off-topic in the evidence and share.
pub(crate) const OFF_TOPIC: f64 = 0.7;
/// Headline links a block needs to count fully as a recommendation block.
const MIN_BLOCK_LINKS: f64 = 3.0;
/// Words of article below which the article's topic is uncertain (values scale down).
const SOLID_ARTICLE_WORDS: f64 = 80.0;

/// Heading fragments claiming the links are about this article (multilingual, lower case).
const CLAIM_HIGH: &[&str] = &[
    "related",
    "more on this",
    "more about",
    "more on ",
    "see also",
    "read also",
    "also read",
    "read more about",
    "in this story",
    "similar",
    "lesen sie auch",
    "lesen sie mehr",
    "mehr zum thema",
    "zum thema",
    "auch interessant",
    "verwandt",
    "ähnlich",
    "lire aussi",
    "voir aussi",
    "sur le même sujet",
    "sur le meme sujet",
    "articles liés",
    "à lire",
    "leer también",
    "lea también",
    "relacionad",
    "más sobre",
    "leia também",
    "veja também",
    "leggi anche",
    "correlat",
    "lees ook",
    "gerelateerd",
    "meer over",
    "czytaj także",
    "czytaj też",
    "zobacz też",
    "читайте также",
    "по теме",
    "похожие",
    "相关",
    "相關",
    "関連",
    "관련",
];

/// Heading fragments of widgets that do not claim relatedness: popularity lists, latest news.
const CLAIM_LOW: &[&str] = &[
    "trending",
    "most read",
    "most popular",
    "most viewed",
    "most shared",
    "popular",
    "top stories",
    "top news",
    "latest",
    "breaking",
    "ranking",
    "meistgelesen",
    "meist gelesen",
    "beliebt",
    "neueste",
    "aktuell",
    "les plus lus",
    "populaire",
    "à la une",
    "dernières",
    "más leído",
    "lo más",
    "más vistos",
    "últimas",
    "più letti",
    "ultime",
    "meest gelezen",
    "populair",
    "laatste",
    "najpopularniejsze",
    "najnowsze",
    "популярное",
    "самое читаемое",
    "последние",
    "热门",
    "熱門",
    "最新",
    "人気",
    "ランキング",
    "랭킹",
    "인기",
];

/// Heading fragments of recommendation widgets: neither claim nor disclaim relatedness.
const CLAIM_MEDIUM: &[&str] = &[
    "recommend",
    "for you",
    "you may like",
    "you might like",
    "you may also",
    "you might also",
    "don't miss",
    "more stories",
    "more news",
    "more from",
    "sponsored",
    "around the web",
    "promoted",
    "partner",
    "empfohlen",
    "empfehlung",
    "anzeige",
    "recommand",
    "recomendad",
    "consigliat",
    "aanbevolen",
    "рекоменд",
    "推荐",
    "推薦",
    "おすすめ",
    "추천",
];

/// How related the block's heading claims its links are, 0..1.
pub(crate) fn claim(heading: Option<&str>) -> f64 {
    let Some(h) = heading else {
        return 0.5;
    };
    let h = h.to_lowercase();
    // The bytes present in the heading: a fragment whose first byte is absent cannot occur in
    // it, so most fragments are ruled out without a substring search.
    let mut present = [false; 256];
    for &b in h.as_bytes() {
        present[usize::from(b)] = true;
    }
    let contains = |k: &&str| {
        k.as_bytes()
            .first()
            .is_none_or(|&b| present[usize::from(b)])
            && h.contains(*k)
    };
    if CLAIM_HIGH.iter().any(contains) {
        1.0
    } else if CLAIM_LOW.iter().any(contains) {
        0.3
    } else if CLAIM_MEDIUM.iter().any(contains) {
        0.6
    } else {
        0.5
    }
}

/// Headline links a block needs before its off-topic share counts
/// (`related_block_off_topic_share`): with fewer, one stray link decides the share.
const MIN_SHARE_BLOCK_LINKS: usize = 4;
/// On-topic links assumed in every block before counting (shrinks the share of small blocks,
/// where two stray links make half).
const BLOCK_PRIOR: f64 = 1.0;

/// Adds `related_links_mismatch`, `related_links_mismatch_max`, `off_topic_link_share`,
/// `headline_links_log`, `related_block_off_topic_share`, `headline_topic_spread`.
pub(crate) fn compute(ctx: &Ctx<'_>, models: &dyn SignalModels, out: &mut Out) {
    let known = against_article(ctx, models, out);
    topic_spread(ctx, &known, models, out);
}

/// Headline-like links (score ≥ 0.5) a page needs before their topic spread counts.
const MIN_SPREAD_HEADLINES: usize = 8;
/// Headlines read for the topic spread (the first ones, in page order).
const MAX_SPREAD_HEADLINES: usize = 60;

/// `headline_topic_spread`: how much the page's headlines disagree about their topic, the
/// generalised Jensen-Shannon divergence of their topic distributions (entropy of the mean
/// minus the mean entropy), over the log of the number of topics. It needs no article: a
/// site's own lists lean to its beat, while a page whose link lists were filled from elsewhere
/// (stitched and spun copies, farms) scatters over topics. Evidence: how many topics the
/// headlines lean to, and one headline of each.
///
/// `known` holds the topic distributions [`against_article`] already computed, by headline
/// index (an empty entry where it computed none).
fn topic_spread(ctx: &Ctx<'_>, known: &[Vec<f64>], models: &dyn SignalModels, out: &mut Out) {
    let mut seen = rustc_hash::FxHashSet::default();
    let heads: Vec<(usize, &str)> = ctx
        .headlines
        .iter()
        .enumerate()
        .filter(|(_, h)| h.score >= 0.5 && seen.insert(h.text))
        .map(|(i, h)| (i, h.text))
        .take(MAX_SPREAD_HEADLINES)
        .collect();
    if heads.len() < MIN_SPREAD_HEADLINES {
        out.push("headline_topic_spread", 0.0, Vec::new());
        return;
    }
    let dists: Vec<Vec<f64>> = heads
        .iter()
        .map(|&(i, h)| match known.get(i) {
            Some(d) if !d.is_empty() => d.clone(),
            _ => models.topic_distribution(h),
        })
        .collect();
    let heads: Vec<&str> = heads.into_iter().map(|(_, h)| h).collect();
    let k = dists.first().map_or(0, Vec::len);
    if k < 2 || dists.iter().any(|d| d.len() != k) {
        out.push("headline_topic_spread", 0.0, Vec::new());
        return;
    }
    let value = topic_divergence(&dists, k);
    let ev = if out.detailed() && value > 0.0 {
        let topics = topics_leaned_to(&dists, k);
        let mut ev = vec![format!(
            "{} headlines lean to {topics} of {k} topics; divergence {value:.2}",
            dists.len()
        )];
        ev.extend(
            heads
                .iter()
                .zip(&dists)
                .filter_map(|(h, d)| {
                    let (t, p) = leading_topic(d)?;
                    Some((t, p, *h))
                })
                .scan(rustc_hash::FxHashSet::default(), |shown, (t, p, h)| {
                    Some(shown.insert(t).then(|| {
                        let name = topic_label(models, t);
                        format!("{} — {name} ({p:.2})", quote(h))
                    }))
                })
                .flatten()
                .take(5),
        );
        ev
    } else {
        Vec::new()
    };
    out.push("headline_topic_spread", value, ev);
}

/// The generalised Jensen-Shannon divergence of `k`-topic distributions (the entropy of their
/// mean minus their mean entropy) over `ln k`, 0 (all alike) to 1 (each certain of a different
/// topic).
pub(crate) fn topic_divergence(dists: &[Vec<f64>], k: usize) -> f64 {
    if dists.is_empty() || k < 2 {
        return 0.0;
    }
    let entropy = |p: &[f64]| -> f64 {
        -p.iter()
            .filter(|&&x| x > 0.0)
            .map(|&x| x * x.ln())
            .sum::<f64>()
    };
    let n = dists.len() as f64;
    let mut mean = vec![0.0; k];
    for d in dists {
        for (m, &v) in mean.iter_mut().zip(d) {
            *m += v / n;
        }
    }
    let mean_entropy = dists.iter().map(|d| entropy(d)).sum::<f64>() / n;
    ((entropy(&mean) - mean_entropy) / (k as f64).ln()).clamp(0.0, 1.0)
}

/// How many of the `k` topics are the most likely topic of at least one of `dists`.
pub(crate) fn topics_leaned_to(dists: &[Vec<f64>], k: usize) -> usize {
    let mut leaning = vec![false; k];
    for d in dists {
        if let Some((t, _)) = leading_topic(d) {
            if let Some(l) = leaning.get_mut(t) {
                *l = true;
            }
        }
    }
    leaning.iter().filter(|&&l| l).count()
}

/// The most likely topic of a distribution and its probability (none for an empty one).
pub(crate) fn leading_topic(dist: &[f64]) -> Option<(usize, f64)> {
    dist.iter()
        .copied()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// `headline_links_log`, with the count it is the log of.
fn push_headline_count(n: usize, out: &mut Out) {
    out.push_with("headline_links_log", log_count(n), || {
        vec![format!("{n} headline-like links in the page's link blocks")]
    });
}

/// Evidence for a related-links mismatch that no off-topic headline explains: how many
/// headline links in how many blocks, their weighted mean topic distance from the article, and
/// the three furthest from it.
fn spread_evidence(ctx: &Ctx<'_>, distances: &[f64], mean: f64, sum_h: &[f64]) -> Vec<String> {
    let blocks = sum_h.iter().filter(|&&h| h > 0.0).count();
    let mut far: Vec<(f64, &str)> = ctx
        .headlines
        .iter()
        .enumerate()
        .filter(|(_, hl)| hl.score >= 0.5)
        .map(|(i, hl)| (prob(distances.get(i).copied().unwrap_or(0.0)), hl.text))
        .collect();
    far.sort_by(|a, b| b.0.total_cmp(&a.0));
    far.dedup_by(|a, b| a.1 == b.1);
    let mut ev = vec![format!(
        "{} headline links, {blocks} block(s): weighted mean topic distance {mean:.2} from the \
         article; none off-topic (≥ {OFF_TOPIC})",
        ctx.headlines.len()
    )];
    ev.extend(
        far.iter()
            .take(3)
            .map(|(d, t)| format!("{} — topic distance {d:.2}", quote(t))),
    );
    ev
}

/// A topic's name for evidence: the model's name for it, or its index.
pub(crate) fn topic_label(models: &dyn SignalModels, t: usize) -> String {
    models
        .topic_name(t)
        .map_or_else(|| t.to_string(), str::to_owned)
}

/// The headlines against the article: the first five signals of [`compute`]. Returns the topic
/// distributions of the headlines that the comparison computed, by headline index (empty
/// entries, or none at all, where it computed none).
fn against_article(ctx: &Ctx<'_>, models: &dyn SignalModels, out: &mut Out) -> Vec<Vec<f64>> {
    let n_headlines = ctx.headlines.len();
    if ctx.article.trim().is_empty() || n_headlines == 0 {
        out.push("related_links_mismatch", 0.0, Vec::new());
        out.push("related_links_mismatch_max", 0.0, Vec::new());
        out.push("off_topic_link_share", 0.0, Vec::new());
        push_headline_count(n_headlines, out);
        out.push("related_block_off_topic_share", 0.0, Vec::new());
        return Vec::new();
    }
    let confidence = (ctx.article_words as f64 / SOLID_ARTICLE_WORDS).clamp(0.25, 1.0);
    let claims: Vec<f64> = ctx.blocks.iter().map(|b| claim(b.heading)).collect();

    // Per block: Σ h·d and Σ h over its headline links.
    let mut sum_hd = vec![0.0f64; ctx.blocks.len()];
    let mut sum_h = vec![0.0f64; ctx.blocks.len()];
    let mut count = vec![0usize; ctx.blocks.len()];
    let mut off_w = 0.0;
    let mut all_w = 0.0;
    let mut off_topic: Vec<(f64, usize, &str)> = Vec::new();
    let mut texts: Vec<&str> = ctx.headlines.iter().map(|h| h.text).collect();
    // The breadcrumb's category goes along (template.rs needs its distance too), so the
    // article is profiled once.
    let leaf = ctx.breadcrumb_leaf.filter(|_| ctx.article_words > 0);
    if let Some(leaf) = leaf {
        texts.push(leaf);
    }
    // So does the site's chrome.
    let chrome_at = texts.len();
    if !ctx.chrome.is_empty() {
        texts.push(&ctx.chrome);
    }
    let (distances, mut topics) = models.topic_distances_and_topics(&ctx.article, &texts);
    topics.truncate(n_headlines);
    if leaf.is_some() {
        ctx.breadcrumb_distance
            .set(distances.get(n_headlines).copied());
    }
    if !ctx.chrome.is_empty() {
        ctx.chrome_distance.set(distances.get(chrome_at).copied());
    }
    for (i, hl) in ctx.headlines.iter().enumerate() {
        let d = prob(distances.get(i).copied().unwrap_or(0.0));
        sum_hd[hl.block] += hl.score * d;
        sum_h[hl.block] += hl.score;
        count[hl.block] += 1;
        let rw = ctx.blocks[hl.block].region_weight * hl.score;
        all_w += rw;
        if d >= OFF_TOPIC {
            off_w += rw;
            off_topic.push((d, hl.block, hl.text));
        }
    }

    let mut num = 0.0;
    let mut den = PRIOR_WEIGHT;
    let mut max = 0.0f64;
    let mut max_block = 0;
    for (i, b) in ctx.blocks.iter().enumerate() {
        if sum_h[i] <= 0.0 {
            continue;
        }
        let mismatch = sum_hd[i] / sum_h[i];
        // One or two headline links (inline links, a "next article" teaser) are not a
        // recommendation block: weigh them down.
        let size = (count[i] as f64 / MIN_BLOCK_LINKS).min(1.0);
        let w = claims[i] * b.region_weight * b.headline_share * size;
        num += w * mismatch;
        den += w;
        let block_value = claims[i] * b.region_weight * size * mismatch;
        if b.headline_share >= 0.5 && block_value > max {
            max = block_value;
            max_block = i;
        }
    }
    let mismatch = (num / den) * confidence;
    let max = max * confidence;
    let share = if all_w > 0.0 {
        off_w / all_w * confidence
    } else {
        0.0
    };

    let evidence = if out.detailed() {
        off_topic.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut ev: Vec<String> = off_topic
            .iter()
            .map(|(d, bi, text)| {
                let b = &ctx.blocks[*bi];
                let head = b.heading.map_or_else(|| "(no heading)".to_owned(), quote);
                format!(
                    "{head} block ({}, claims relatedness {:.1}): {} — topic distance {d:.2} from the article",
                    b.region,
                    claims[*bi],
                    quote(text)
                )
            })
            .collect();
        if ev.is_empty() && mismatch > 0.0 {
            // No single headline is off-topic, yet the value is not 0: say what it is made of
            // (the weighted mean, and the headlines furthest from the article).
            ev = spread_evidence(ctx, &distances, num / den, &sum_h);
        }
        ev
    } else {
        Vec::new()
    };
    let max_evidence = if out.detailed() {
        let b = &ctx.blocks[max_block.min(ctx.blocks.len().saturating_sub(1))];
        let mut ev = vec![format!(
            "block {} ({}) has mean topic distance {:.2} from the article",
            b.heading.map_or_else(|| "(no heading)".to_owned(), quote),
            b.region,
            if sum_h[max_block] > 0.0 {
                sum_hd[max_block] / sum_h[max_block]
            } else {
                0.0
            }
        )];
        ev.extend(
            off_topic
                .iter()
                .filter(|(_, bi, _)| *bi == max_block)
                .take(4)
                .map(|(d, _, t)| format!("{} — topic distance {d:.2}", quote(t))),
        );
        ev
    } else {
        Vec::new()
    };
    let share_evidence = if out.detailed() && share > 0.0 {
        vec![format!(
            "{} of {} headline links are off-topic (distance ≥ {OFF_TOPIC})",
            off_topic.len(),
            n_headlines
        )]
    } else {
        Vec::new()
    };
    out.push("related_links_mismatch", mismatch, evidence);
    out.push("related_links_mismatch_max", max, max_evidence);
    out.push("off_topic_link_share", share, share_evidence);
    push_headline_count(n_headlines, out);

    // The single most off-topic recommendation block: in the content (or claiming to be
    // related), with enough headline links for a share to mean something.
    let mut block_n = vec![0usize; ctx.blocks.len()];
    let mut block_off = vec![0usize; ctx.blocks.len()];
    for (i, hl) in ctx.headlines.iter().enumerate() {
        if hl.score >= 0.5 {
            block_n[hl.block] += 1;
            if prob(distances.get(i).copied().unwrap_or(0.0)) >= OFF_TOPIC {
                block_off[hl.block] += 1;
            }
        }
    }
    let mut best: Option<(f64, usize)> = None;
    for (i, b) in ctx.blocks.iter().enumerate() {
        if block_n[i] < MIN_SHARE_BLOCK_LINKS {
            continue;
        }
        let claimed = claims[i] >= 0.6;
        // The share, shrunk for small blocks (one prior on-topic link) and weighted by the
        // block's claim: a popularity list is off-topic by nature, a "Related" block is not.
        let share =
            block_off[i] as f64 / (block_n[i] as f64 + BLOCK_PRIOR) * claims[i] * confidence;
        if (claimed || matches!(b.region, "main" | "body")) && best.is_none_or(|(s, _)| share > s) {
            best = Some((share, i));
        }
    }
    let block_ev = match best {
        Some((share, bi)) if out.detailed() && share > 0.0 => {
            let b = &ctx.blocks[bi];
            let mut ev = vec![format!(
                "block {} ({}): {} of {} headline links are off the article's topic",
                b.heading.map_or_else(|| "(no heading)".to_owned(), quote),
                b.region,
                block_off[bi],
                block_n[bi]
            )];
            ev.extend(
                off_topic
                    .iter()
                    .filter(|(_, obi, _)| *obi == bi)
                    .take(6)
                    .map(|(d, _, t)| format!("{} — topic distance {d:.2}", quote(t))),
            );
            ev
        }
        _ => Vec::new(),
    };
    out.push(
        "related_block_off_topic_share",
        best.map_or(0.0, |b| b.0),
        block_ev,
    );
    topics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_claim_relatedness() {
        assert_eq!(claim(Some("Related stories")), 1.0);
        assert_eq!(claim(Some("Lesen Sie auch")), 1.0);
        assert_eq!(claim(Some("Trending now")), 0.3);
        assert_eq!(claim(Some("Meistgelesen")), 0.3);
        assert_eq!(claim(Some("Recommended for you")), 0.6);
        assert_eq!(claim(None), 0.5);
        assert_eq!(claim(Some("Weather")), 0.5);
    }
}
