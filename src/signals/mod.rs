//! Stage 3, signals: named numbers computed from a [`Page`], each with evidence a person can
//! check. The order of [`SCHEMA`] is the model's feature order.
//!
//! Every value is finite and on a scale fit for a standardised logistic model (a bounded
//! fraction, a probability, or `ln(1 + count)`); an empty page gives zeros. Evidence strings are
//! only built when [`Explain::Detailed`] is asked for.
//!
//! One file per signal family:
//! * `links.rs`: related-links mismatch (topic distance between the article and the headlines
//!   in its link blocks, weighted by how related each block claims to be);
//! * `clickbait.rs`: clickbait language in the page's headlines;
//! * `ads.rs`: promotional snippets posing as content, and the extractor's ad markers;
//! * `placement.rs`: an ad or clickbait line posing among news headlines or beside an article
//!   (used by both);
//! * `template.rs`: artifacts of scraper templates (counters, breadcrumb, title-script junk,
//!   contradicting dates, foreign wire datelines);
//! * `stats.rs`: text statistics from the web-spam and corpus-filtering literature;
//! * `coherence.rs`: whether the main text alternates between unrelated stories (stitched
//!   articles).
//!
//! Shared per-page work (tokenising the visible text, finding headline-like links) happens
//! once, in `context.rs`. The text models are reached through the [`SignalModels`] trait so
//! tests (and experiments) can inject a stub topic distance or classifier; [`compute`] uses the
//! shipped [`TextModels`].

use serde::Serialize;

mod ads;
mod clickbait;
mod coherence;
mod context;
mod links;
mod placement;
mod script;
mod stats;
mod template;
pub mod text;

use crate::extract::Page;
use context::Ctx;
use text::TextModels;

/// The signal names, in the model's feature order. Names are stable: a model trained on one
/// schema refuses another.
pub const SCHEMA: &[&str] = &[
    // links.rs
    "related_links_mismatch",
    "related_links_mismatch_max",
    "off_topic_link_share",
    "headline_links_log",
    "related_block_off_topic_share",
    "headline_topic_spread",
    // clickbait.rs
    "clickbait_title",
    "clickbait_max",
    "clickbait_mean",
    "clickbait_share",
    "clickbait_in_news_blocks",
    "clickbait_beside_article",
    // ads.rs
    "promo_max",
    "promo_share",
    "promo_in_news_blocks",
    "promo_beside_article",
    "ad_selectors_log",
    "ad_hosts_log",
    "ad_sponsored_log",
    // template.rs
    "counters_log",
    "counter_value_log",
    "breadcrumb_mismatch",
    "chrome_topic_mismatch",
    "title_script_junk",
    "date_visible_after_text",
    "date_sources_spread",
    "date_in_future",
    "wire_dateline",
    "wire_dateline_foreign_host",
    // stats.rs
    "is_plain_text",
    "page_words_log",
    "title_words_log",
    "avg_word_len",
    "compression_ratio",
    "anchor_text_fraction",
    "visible_text_fraction",
    "stopword_fraction",
    "chrome_language_mismatch",
    "duplicate_line_fraction",
    "top_2gram_share",
    "top_3gram_share",
    "lines_end_punct_fraction",
    "short_lines_fraction",
    "main_text_share",
    "external_links_fraction",
    // coherence.rs
    "main_text_topic_returns",
    "main_text_topic_spread",
    "main_text_language_mix",
];

/// The signals that measure a sign of spam (off-topic links, clickbait, promo text, a fake
/// counter, a wrong category, date or script, a stitched text): more of the sign never argues
/// for a real page. `pagescore train --monotone` fits each of them a shape that may rise but
/// never fall, and measures it from the page without the sign (contribution 0 when absent,
/// never below). Not in the shipped model: on our corpus the free shapes score better out of
/// fold (AUC 0.9768 against 0.9751, recall at 1% FPR 0.826 against 0.819), mostly because a
/// maximum and a mean of one sign read together (one block far more off-topic than the others)
/// need opposite slopes. Left free always: counts, ad markers that real ad-funded sites carry
/// too, and text statistics unusual at both ends.
pub const INCREASING: &[&str] = &[
    "related_links_mismatch",
    "related_links_mismatch_max",
    "off_topic_link_share",
    "related_block_off_topic_share",
    "headline_topic_spread",
    "clickbait_title",
    "clickbait_max",
    "clickbait_mean",
    "clickbait_share",
    "clickbait_in_news_blocks",
    "clickbait_beside_article",
    "promo_max",
    "promo_share",
    "promo_in_news_blocks",
    "promo_beside_article",
    "counter_value_log",
    "breadcrumb_mismatch",
    "chrome_topic_mismatch",
    "title_script_junk",
    "date_visible_after_text",
    "date_sources_spread",
    "date_in_future",
    "wire_dateline_foreign_host",
    "chrome_language_mismatch",
    "main_text_topic_returns",
    "main_text_topic_spread",
    "main_text_language_mix",
];

/// The signal families, named as the kinds of evidence a reader looks for, each with the first
/// of its signals in [`SCHEMA`]; a family runs up to the next one's first signal. Signals of
/// one family are correlated (three views of one related block), so their contributions are
/// read best summed: one may be negative only because a sibling took the shared evidence.
pub const FAMILIES: &[(&str, &str)] = &[
    ("related_links", "related_links_mismatch"),
    ("clickbait", "clickbait_title"),
    ("ad_snippets", "promo_max"),
    ("template_artifacts", "counters_log"),
    ("text_statistics", "is_plain_text"),
    ("coherence", "main_text_topic_returns"),
];

/// The family of a signal of [`SCHEMA`] (one of [`FAMILIES`]); `None` for another name.
pub fn family_of(name: &str) -> Option<&'static str> {
    // The family of each schema position, worked out once (the service asks for every page).
    static BY_POSITION: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let by_position = BY_POSITION.get_or_init(|| {
        SCHEMA
            .iter()
            .enumerate()
            .map(|(at, _)| {
                FAMILIES
                    .iter()
                    .rev()
                    .find(|(_, first)| {
                        SCHEMA
                            .iter()
                            .position(|s| s == first)
                            .is_some_and(|f| f <= at)
                    })
                    .map_or("", |(family, _)| *family)
            })
            .collect()
    });
    let at = SCHEMA.iter().position(|s| *s == name)?;
    by_position.get(at).copied().filter(|f| !f.is_empty())
}

/// One named signal.
#[derive(Debug, Clone, Serialize)]
pub struct Signal {
    /// Its name, one of [`SCHEMA`].
    pub name: &'static str,
    /// Its value.
    pub value: f64,
    /// Evidence strings a person can check (empty unless evidence was asked for).
    pub evidence: Vec<String>,
}

/// All signals of one page, in [`SCHEMA`] order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SignalSet {
    /// The signals.
    pub signals: Vec<Signal>,
}

impl SignalSet {
    /// The values, in schema order: the model's feature vector.
    pub fn values(&self) -> Vec<f64> {
        self.signals.iter().map(|s| s.value).collect()
    }

    /// The signal called `name`, if any.
    pub fn get(&self, name: &str) -> Option<&Signal> {
        self.signals.iter().find(|s| s.name == name)
    }
}

/// Whether to collect evidence strings (costs time; the service asks per request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Explain {
    /// Values only.
    #[default]
    Skip,
    /// Values and evidence.
    Detailed,
}

/// The text models the signals consult, as a trait so a test can inject a stub (for example a
/// topic distance on word overlap) and check the signal logic without trained models.
///
/// Implementations may return anything; the signals clamp results to 0..1 and treat a
/// non-finite result as 0.
pub trait SignalModels {
    /// Probability that a headline is clickbait, 0..1.
    fn clickbait(&self, headline: &str) -> f64;
    /// Probability that a snippet is promotional or ad text, 0..1.
    fn promo(&self, text: &str) -> f64;
    /// How far apart two texts are in topic, 0 (same topic) to 1 (unrelated).
    fn topic_distance(&self, a: &str, b: &str) -> f64;
    /// The topic distance of `article` to each of `texts`, in order. Override it when the
    /// article's representation can be computed once for all texts.
    fn topic_distances(&self, article: &str, texts: &[&str]) -> Vec<f64> {
        texts
            .iter()
            .map(|t| self.topic_distance(article, t))
            .collect()
    }
    /// [`SignalModels::topic_distances`], plus the topic distribution of each of `texts` where
    /// computing the distance produced one (an empty entry where it did not), so a caller that
    /// needs the distributions too does not compute them twice. By default no distributions.
    fn topic_distances_and_topics(
        &self,
        article: &str,
        texts: &[&str],
    ) -> (Vec<f64>, Vec<Vec<f64>>) {
        (
            self.topic_distances(article, texts),
            vec![Vec::new(); texts.len()],
        )
    }
    /// The topic distribution of a short text (a headline); empty when there is no topic model.
    fn topic_distribution(&self, text: &str) -> Vec<f64> {
        let _ = text;
        Vec::new()
    }
    /// The name of topic `i` of [`SignalModels::topic_distribution`], for evidence.
    fn topic_name(&self, i: usize) -> Option<&str> {
        let _ = i;
        None
    }
    /// How much a term (a hash from [`text::for_each_term`]) says about what a text is about,
    /// such as its inverse document frequency; every term weighs 1 by default.
    fn term_weight(&self, term: u64) -> f64 {
        let _ = term;
        1.0
    }
}

impl SignalModels for TextModels {
    fn clickbait(&self, headline: &str) -> f64 {
        self.clickbait.probability(headline)
    }
    fn promo(&self, text: &str) -> f64 {
        self.promo.probability(text)
    }
    fn topic_distance(&self, a: &str, b: &str) -> f64 {
        self.topics.distance(a, b)
    }
    fn topic_distances(&self, article: &str, texts: &[&str]) -> Vec<f64> {
        self.topics.distances(article, texts)
    }
    fn topic_distances_and_topics(
        &self,
        article: &str,
        texts: &[&str],
    ) -> (Vec<f64>, Vec<Vec<f64>>) {
        self.topics.distances_and_topics(article, texts)
    }
    fn topic_distribution(&self, text: &str) -> Vec<f64> {
        self.topics.distribution(text)
    }
    fn topic_name(&self, i: usize) -> Option<&str> {
        self.topics.topic_names().get(i).map(String::as_str)
    }
    fn term_weight(&self, term: u64) -> f64 {
        f64::from(self.topics.term_idf(term))
    }
}

/// Computes every signal of `page` with the shipped text models.
pub fn compute(page: &Page, text: &TextModels, explain: Explain) -> SignalSet {
    compute_with(page, text, explain)
}

/// Computes every signal of `page`, consulting `models` for the text classifiers and the topic
/// distance. The output is in [`SCHEMA`] order, every value finite.
pub fn compute_with(page: &Page, models: &dyn SignalModels, explain: Explain) -> SignalSet {
    let ctx = Ctx::new(page);
    let mut out = Out::new(explain);
    links::compute(&ctx, models, &mut out);
    clickbait::compute(&ctx, models, &mut out);
    ads::compute(&ctx, models, &mut out);
    template::compute(&ctx, models, &mut out);
    stats::compute(&ctx, &mut out);
    coherence::compute(&ctx, models, &mut out);
    debug_assert_eq!(
        out.signals.iter().map(|s| s.name).collect::<Vec<_>>(),
        SCHEMA,
        "signal families must emit SCHEMA in order"
    );
    SignalSet {
        signals: out.signals,
    }
}

/// Most evidence strings kept per signal.
const MAX_EVIDENCE: usize = 8;
/// Longest quoted text in an evidence string, in characters.
const MAX_QUOTE: usize = 120;

/// Collects signals in order, enforcing finiteness and the evidence policy.
pub(crate) struct Out {
    explain: Explain,
    signals: Vec<Signal>,
}

impl Out {
    fn new(explain: Explain) -> Self {
        Out {
            explain,
            signals: Vec::with_capacity(SCHEMA.len()),
        }
    }

    /// Whether evidence is wanted (check before building strings).
    pub(crate) fn detailed(&self) -> bool {
        self.explain == Explain::Detailed
    }

    /// Adds a signal; a non-finite value becomes 0, evidence is dropped unless detailed and
    /// capped at [`MAX_EVIDENCE`] strings, and a zero value carries no evidence.
    pub(crate) fn push(&mut self, name: &'static str, value: f64, evidence: Vec<String>) {
        // `+ 0.0` makes a zero `+0.0` (an empty float sum is `-0.0`): protobuf does not carry
        // the sign of a zero, and the service must answer what the engine computes, bit for bit.
        let value = if value.is_finite() { value + 0.0 } else { 0.0 };
        let evidence = if self.detailed() && value != 0.0 {
            let mut e = evidence;
            e.truncate(MAX_EVIDENCE);
            e
        } else {
            Vec::new()
        };
        self.signals.push(Signal {
            name,
            value,
            evidence,
        });
    }

    /// [`Out::push`] with the evidence built only when it is kept (evidence asked for and the
    /// value not 0), so the batch path formats nothing.
    pub(crate) fn push_with(
        &mut self,
        name: &'static str,
        value: f64,
        evidence: impl FnOnce() -> Vec<String>,
    ) {
        let kept = self.detailed() && value.is_finite() && value != 0.0;
        self.push(name, value, if kept { evidence() } else { Vec::new() });
    }
}

/// A model output made safe: clamped to 0..1, non-finite as 0.
pub(crate) fn prob(p: f64) -> f64 {
    if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// `text` quoted for evidence, cut at [`MAX_QUOTE`] characters.
pub(crate) fn quote(text: &str) -> String {
    let t = text.trim();
    match t.char_indices().nth(MAX_QUOTE) {
        Some((i, _)) => format!("\"{}…\"", &t[..i]),
        None => format!("\"{t}\""),
    }
}

/// `ln(1 + n)`, the scale used for every count.
pub(crate) fn log_count(n: usize) -> f64 {
    (n as f64).ln_1p()
}

/// `ln(1 + Σ (2p − 1))` over classifier hits of probability `p ≥ 0.5`: a count in which a
/// borderline hit (0.5) weighs nothing and a sure one (1.0) weighs one, so the many
/// borderline hits a classifier makes on real pages' link texts do not add up to evidence.
pub(crate) fn confidence_count(hits: impl Iterator<Item = f64>) -> f64 {
    hits.map(|p| (2.0 * p - 1.0).clamp(0.0, 1.0))
        .sum::<f64>()
        .ln_1p()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn increasing_signals_are_distinct_schema_signals() {
        for (i, name) in INCREASING.iter().enumerate() {
            assert!(SCHEMA.contains(name), "{name} is not in the schema");
            assert!(!INCREASING[..i].contains(name), "{name} twice");
        }
    }

    #[test]
    fn every_signal_has_the_family_of_its_stage_file() {
        // The families start in schema order, so each is one contiguous run.
        let starts: Vec<usize> = FAMILIES
            .iter()
            .map(|(_, first)| SCHEMA.iter().position(|s| s == first).expect("in SCHEMA"))
            .collect();
        assert_eq!(starts[0], 0);
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
        assert!(SCHEMA.iter().all(|s| family_of(s).is_some()));
        for (signal, family) in [
            ("related_links_mismatch", "related_links"),
            ("headline_topic_spread", "related_links"),
            ("clickbait_beside_article", "clickbait"),
            ("promo_max", "ad_snippets"),
            ("ad_sponsored_log", "ad_snippets"),
            ("counters_log", "template_artifacts"),
            ("wire_dateline_foreign_host", "template_artifacts"),
            ("external_links_fraction", "text_statistics"),
            ("main_text_topic_spread", "coherence"),
        ] {
            assert_eq!(family_of(signal), Some(family), "{signal}");
        }
        assert_eq!(family_of("no_such_signal"), None);
    }
}
