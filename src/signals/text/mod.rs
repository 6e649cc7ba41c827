//! Text classifiers trained with linfa: clickbait, promotional text, and the topic model that
//! related-links mismatch compares against.
//!
//! All three read text through [`hashing::Featuriser`] (hashed word and character n-grams), so
//! there is no vocabulary to ship; each model stores its featuriser settings and `f32` weights.
//! Training lives in [`train`] (run by `pagescore train`); scoring only needs the structs here.
//! An untrained (default) model answers neutrally: probability 0.5, distance 0.

use serde::{Deserialize, Serialize};

pub mod adcopy;
pub mod hashing;
pub mod train;
mod weights;

use hashing::{Featuriser, SparseVec};

pub use train::{train, TextModelsReport};

/// The text models a signal computation needs. Loaded once with the model bundle.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TextModels {
    /// Clickbait headline classifier.
    pub clickbait: TextClassifier,
    /// Promotional / ad text classifier.
    pub promo: TextClassifier,
    /// Topic model used to compare an article with the headlines linked from it.
    pub topics: TopicModel,
}

impl TextModels {
    /// Reads text models saved as JSON by [`TextModels::save_json`] (or `pagescore train`).
    pub fn load_json(path: &std::path::Path) -> crate::Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| crate::Error::io(path, e))?;
        Self::from_json(&bytes)
    }

    /// Parses text models from JSON bytes.
    pub fn from_json(bytes: &[u8]) -> crate::Result<Self> {
        let models: TextModels = serde_json::from_slice(bytes)
            .map_err(|e| crate::Error::Model(format!("text models: {e}")))?;
        models.check()?;
        Ok(models)
    }

    /// Writes the models as JSON (weights as base64, so the file stays small).
    pub fn save_json(&self, path: &std::path::Path) -> crate::Result<()> {
        let json = serde_json::to_vec(self)
            .map_err(|e| crate::Error::Internal(format!("text models: {e}")))?;
        std::fs::write(path, json).map_err(|e| crate::Error::io(path, e))
    }

    /// Checks that every weight table fits its featuriser, so scoring never indexes wrongly.
    pub fn check(&self) -> crate::Result<()> {
        self.clickbait.check("clickbait")?;
        self.promo.check("promo")?;
        self.topics.check()
    }
}

fn sigmoid(z: f32) -> f64 {
    1.0 / (1.0 + (-f64::from(z)).exp())
}

/// A binary text classifier on hashed n-gram features (logistic regression).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextClassifier {
    /// How text becomes features.
    pub featuriser: Featuriser,
    /// One weight per feature (empty when untrained).
    #[serde(with = "weights")]
    pub weights: Vec<f32>,
    /// The intercept.
    pub bias: f32,
}

impl TextClassifier {
    /// Probability that `text` belongs to the positive class (0..1).
    pub fn probability(&self, text: &str) -> f64 {
        if self.weights.is_empty() {
            return 0.5;
        }
        self.probability_of(&self.featuriser.features(text))
    }

    /// Probability for an already featurised text.
    pub fn probability_of(&self, x: &[(u32, f32)]) -> f64 {
        sigmoid(hashing::dot(x, &self.weights) + self.bias)
    }

    /// The words of `text` that push its score up most, with their share of the logit, best
    /// first (at most `k`). For evidence: "why is this headline clickbait".
    pub fn top_words(&self, text: &str, k: usize) -> Vec<(String, f32)> {
        if self.weights.is_empty() {
            return Vec::new();
        }
        let x = self.featuriser.features(text);
        let mut out: Vec<(String, f32)> = Vec::new();
        hashing::for_each_word(text, |w| {
            let word: String = w.iter().collect();
            if out.iter().any(|(o, _)| *o == word) {
                return;
            }
            // the word's own features (unigram and its character grams), at their weight in x
            let own = self.featuriser.features(&word);
            let score: f32 = own
                .iter()
                .filter_map(|&(i, _)| {
                    x.binary_search_by_key(&i, |c| c.0)
                        .ok()
                        .map(|p| x[p].1 * self.weights[i as usize])
                })
                .sum();
            out.push((word, score));
        });
        out.retain(|(_, s)| *s > 0.0);
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out.truncate(k);
        out
    }

    fn check(&self, name: &str) -> crate::Result<()> {
        if !self.weights.is_empty() && self.weights.len() != self.featuriser.dim() {
            return Err(crate::Error::Model(format!(
                "{name} classifier: {} weights for dimension {}",
                self.weights.len(),
                self.featuriser.dim()
            )));
        }
        Ok(())
    }
}

/// Words of a long text read for its topic distribution; the lead of an article says what it
/// is about, and the bound keeps scoring time flat on huge pages.
const LONG_TEXT_WORDS: usize = 600;
/// Words per chunk when a long text is read for its topic (about a headline plus standfirst,
/// the length the topic classifier was trained on).
const CHUNK_WORDS: usize = 60;

/// A topic model: maps any text to a distribution over topics learned from news data, and
/// measures how far two texts are apart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopicModel {
    /// Topic names, in class order.
    pub names: Vec<String>,
    /// How text becomes features for the topic classifier.
    pub featuriser: Featuriser,
    /// Multinomial logistic weights, feature-major: `weights[i * k + t]` for feature `i` and
    /// topic `t` of `k`.
    #[serde(with = "weights")]
    pub weights: Vec<f32>,
    /// One intercept per topic.
    #[serde(with = "weights")]
    pub bias: Vec<f32>,
    /// log2 of the size of the word-weight table.
    pub idf_bits: u8,
    /// Inverse document frequency per hashed (light-stemmed) word, learned from headlines and
    /// page texts: rare words say more about what a text is about.
    #[serde(with = "weights")]
    pub idf: Vec<f32>,
    /// How much topic divergence counts when two texts share no words (0..1); see
    /// [`TopicModel::distance`].
    pub topic_floor: f32,
}

impl TopicModel {
    /// Topic names, in the order of [`TopicModel::distribution`].
    pub fn topic_names(&self) -> &[String] {
        &self.names
    }

    fn trained(&self) -> bool {
        !self.names.is_empty() && !self.weights.is_empty()
    }

    fn distribution_of(&self, x: &[(u32, f32)]) -> Vec<f64> {
        let k = self.names.len();
        let mut z: Vec<f64> = self.bias.iter().map(|&b| f64::from(b)).collect();
        z.resize(k, 0.0);
        for &(i, v) in x {
            let row = i as usize * k;
            if let Some(w) = self.weights.get(row..row + k) {
                for (zt, &wt) in z.iter_mut().zip(w) {
                    *zt += f64::from(wt * v);
                }
            }
        }
        let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut sum = 0.0;
        for zt in &mut z {
            *zt = (*zt - max).exp();
            sum += *zt;
        }
        for zt in &mut z {
            *zt /= sum;
        }
        z
    }

    /// The topic distribution of `text` (sums to 1; uniform when the text has no words; empty
    /// when the model is untrained). A long text is read in chunks of its first 600 words and
    /// the chunk distributions are averaged.
    pub fn distribution(&self, text: &str) -> Vec<f64> {
        if !self.trained() {
            return Vec::new();
        }
        let k = self.names.len();
        let mut acc = vec![0.0; k];
        let mut chunks = 0usize;
        for chunk in word_chunks(text, CHUNK_WORDS, LONG_TEXT_WORDS) {
            let x = self.featuriser.features(chunk);
            if x.is_empty() {
                continue;
            }
            for (a, p) in acc.iter_mut().zip(self.distribution_of(&x)) {
                *a += p;
            }
            chunks += 1;
        }
        if chunks == 0 {
            return vec![1.0 / k as f64; k];
        }
        for a in &mut acc {
            *a /= chunks as f64;
        }
        acc
    }

    /// The most likely topic of `text` and its probability.
    pub fn top_topic(&self, text: &str) -> Option<(&str, f64)> {
        let d = self.distribution(text);
        let (t, p) = d.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
        Some((self.names.get(t)?.as_str(), *p))
    }

    /// The inverse document frequency of a term hashed by [`for_each_term`] (1 when the model
    /// has no IDF table): rare words say more about what a text is about.
    pub fn term_idf(&self, term: u64) -> f32 {
        if self.idf.is_empty() {
            return 1.0;
        }
        self.idf
            .get(hashing::bucket_of(term, self.idf_bits) as usize)
            .copied()
            .unwrap_or(1.0)
    }

    /// IDF-weighted, L2-normalised bag of light-stemmed words (sparse, sorted by bucket).
    fn word_vector(&self, text: &str) -> SparseVec {
        let bits = self.idf_bits;
        let mut buckets: Vec<u32> = Vec::new();
        hashing::for_each_word_hash(text, stem_utf8, |h| {
            buckets.push(hashing::bucket_of(h, bits));
        });
        buckets.sort_unstable();
        let mut out: SparseVec = Vec::new();
        let mut i = 0;
        while i < buckets.len() {
            let b = buckets[i];
            let mut j = i + 1;
            while j < buckets.len() && buckets[j] == b {
                j += 1;
            }
            let idf = self.idf.get(b as usize).copied().unwrap_or(1.0);
            out.push((b, hashing::sublinear_tf(j - i) * idf));
            i = j;
        }
        let norm = out.iter().map(|c| c.1 * c.1).sum::<f32>().sqrt();
        if norm > 0.0 {
            for c in &mut out {
                c.1 /= norm;
            }
        }
        out
    }

    /// IDF-weighted cosine similarity of the words of `a` and `b` (0..1).
    pub fn word_similarity(&self, a: &str, b: &str) -> f64 {
        sparse_cosine(&self.word_vector(a), &self.word_vector(b))
    }

    /// How far apart two texts are in topic and vocabulary, 0 (same topic) to 1 (unrelated).
    ///
    /// `(1 - cos) * (floor + (1 - floor) * jsd)`, where `cos` is the IDF-weighted cosine of
    /// their words and `jsd` the Jensen-Shannon distance (base 2, 0..1) of their topic
    /// distributions: a headline sharing the story's rare words is close whatever its topic,
    /// and one sharing none is as far as its topic is from the story's. Untrained models and
    /// texts without words give 0 (no evidence of a mismatch).
    pub fn distance(&self, a: &str, b: &str) -> f64 {
        self.profile_distance(&self.profile(a), &self.profile(b))
    }

    /// What [`TopicModel::distance`] needs of a text, computed once: an article is compared
    /// with many link headlines, so profile it once and call
    /// [`TopicModel::profile_distance`] per headline.
    pub fn profile(&self, text: &str) -> TextProfile {
        if !self.trained() {
            return TextProfile::default();
        }
        TextProfile {
            topics: self.distribution(text),
            words: self.word_vector(text),
        }
    }

    /// [`TopicModel::distance`] of two profiled texts.
    pub fn profile_distance(&self, a: &TextProfile, b: &TextProfile) -> f64 {
        if !self.trained() || a.words.is_empty() || b.words.is_empty() {
            return 0.0;
        }
        let cos = sparse_cosine(&a.words, &b.words);
        let jsd = jensen_shannon(&a.topics, &b.topics).sqrt();
        let floor = f64::from(self.topic_floor.clamp(0.0, 1.0));
        ((1.0 - cos) * (floor + (1.0 - floor) * jsd)).clamp(0.0, 1.0)
    }

    /// [`TopicModel::distance`] of `a` to each of `texts`, in order, with `a`'s word vector and
    /// topic distribution computed once instead of once per text (a page compares its article
    /// with up to a few hundred headlines). Every value is bit-identical to `distance(a, t)`.
    pub fn distances(&self, a: &str, texts: &[&str]) -> Vec<f64> {
        self.distances_and_topics(a, texts).0
    }

    /// [`TopicModel::distances`], and the topic distribution of each text the comparison had to
    /// compute (each text with words, when `a` has words; empty otherwise), equal to
    /// [`TopicModel::distribution`] of that text. A text repeated among `texts` gets its
    /// distribution at its first occurrence only.
    pub fn distances_and_topics(&self, a: &str, texts: &[&str]) -> (Vec<f64>, Vec<Vec<f64>>) {
        let mut topics = vec![Vec::new(); texts.len()];
        if !self.trained() {
            return (vec![0.0; texts.len()], topics);
        }
        let wa = self.word_vector(a);
        if wa.is_empty() {
            return (vec![0.0; texts.len()], topics);
        }
        let mut da: Option<Vec<f64>> = None;
        let floor = f64::from(self.topic_floor.clamp(0.0, 1.0));
        // A text repeated among `texts` (the same headline in two link blocks) is compared once.
        let mut done: rustc_hash::FxHashMap<&str, f64> = rustc_hash::FxHashMap::default();
        let distances = texts
            .iter()
            .zip(topics.iter_mut())
            .map(|(&b, topic)| {
                if let Some(&d) = done.get(b) {
                    return d;
                }
                let d = {
                    let wb = self.word_vector(b);
                    if wb.is_empty() {
                        0.0
                    } else {
                        let cos = sparse_cosine(&wa, &wb);
                        let da = da.get_or_insert_with(|| self.distribution(a));
                        *topic = self.distribution(b);
                        let jsd = jensen_shannon(da, topic).sqrt();
                        ((1.0 - cos) * (floor + (1.0 - floor) * jsd)).clamp(0.0, 1.0)
                    }
                };
                done.insert(b, d);
                d
            })
            .collect();
        (distances, topics)
    }

    fn check(&self) -> crate::Result<()> {
        let k = self.names.len();
        let ok = self.weights.is_empty()
            || (self.weights.len() == self.featuriser.dim() * k
                && self.bias.len() == k
                && (self.idf.is_empty() || self.idf.len() == 1usize << self.idf_bits.min(24)));
        if ok {
            Ok(())
        } else {
            Err(crate::Error::Model(format!(
                "topic model: {} weights, {} intercepts, {} idf cells do not fit {k} topics",
                self.weights.len(),
                self.bias.len(),
                self.idf.len()
            )))
        }
    }
}

/// A text as the topic model sees it (see [`TopicModel::profile`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextProfile {
    /// Its topic distribution (empty when the model is untrained).
    pub topics: Vec<f64>,
    /// Its IDF-weighted, L2-normalised word vector.
    words: SparseVec,
}

/// Longest word (in chars) hashed by [`for_each_term`]; the rest of a longer token is dropped.
const MAX_TERM_CHARS: usize = 64;

/// Calls `f` with the hash of every term of `text`, in order, as [`TopicModel::term_idf`]
/// weighs them: words are lowercased and light-stemmed exactly as the IDF table counted them;
/// in scripts written without spaces (CJK, Thai), where a "word" would be a whole clause, each
/// pair of adjacent letters is a term. Numbers are not terms (dates and counts match across
/// unrelated text). No `String` is built: words go through one reused buffer.
pub fn for_each_term(text: &str, mut f: impl FnMut(u64)) {
    use crate::signals::script::{self, Script};
    // The lowercased word as UTF-8 bytes, and its number of chars.
    let mut buf: Vec<u8> = Vec::with_capacity(4 * MAX_TERM_CHARS);
    let mut chars = 0usize;
    let mut prev_unspaced: Option<char> = None;
    fn flush(buf: &mut Vec<u8>, chars: &mut usize, f: &mut impl FnMut(u64)) {
        if *chars > 0 && !buf.iter().all(u8::is_ascii_digit) {
            f(hashing::word_hash_utf8(stem_utf8(buf, *chars)));
        }
        buf.clear();
        *chars = 0;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // ASCII without decoding, exactly as the char steps below would take it.
        if b < 0x80 {
            if hashing::ASCII_ALNUM[usize::from(b)] {
                // the whole run of ASCII letters and digits at once
                prev_unspaced = None;
                let rest = bytes.get(i..).unwrap_or_default();
                let (run, take) = hashing::push_ascii_alnum_run(
                    &mut buf,
                    rest,
                    MAX_TERM_CHARS.saturating_sub(chars),
                );
                chars += take;
                i += run;
                continue;
            }
            i += 1;
            if b == b'\'' && chars > 0 {
                continue;
            } else {
                prev_unspaced = None;
                flush(&mut buf, &mut chars, &mut f);
            }
            continue;
        }
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        if c.is_alphanumeric() {
            if !c.is_ascii() && script::of(c).is_some_and(Script::unspaced) {
                flush(&mut buf, &mut chars, &mut f);
                if let Some(p) = prev_unspaced {
                    let mut pair = [0u8; 8];
                    let n = p.encode_utf8(&mut pair).len();
                    let m = c.encode_utf8(&mut pair[n..]).len();
                    f(hashing::word_hash_utf8(&pair[..n + m]));
                }
                prev_unspaced = Some(c);
                continue;
            }
            prev_unspaced = None;
            if chars >= MAX_TERM_CHARS {
                continue;
            }
            chars += hashing::push_lowercase(&mut buf, c);
        } else if (c == '\'' || c == '\u{2019}') && chars > 0 {
            continue;
        } else {
            prev_unspaced = None;
            flush(&mut buf, &mut chars, &mut f);
        }
    }
    flush(&mut buf, &mut chars, &mut f);
}

/// Strips a plural/possessive `s` so "markets" and "market's" meet "market".
fn stem(w: &[char]) -> &[char] {
    match w {
        [.., a, 's'] if w.len() > 3 && *a != 's' && *a != 'u' && *a != 'i' => &w[..w.len() - 1],
        _ => w,
    }
}

/// [`stem`] on the UTF-8 bytes of a word of `chars` chars: the last char is `s` and the one
/// before it (whose last byte is ASCII exactly when it is an ASCII char) is not `s`, `u` or `i`.
fn stem_utf8(w: &[u8], chars: usize) -> &[u8] {
    match w {
        [.., a, b's'] if chars > 3 && *a != b's' && *a != b'u' && *a != b'i' => &w[..w.len() - 1],
        _ => w,
    }
}

/// Cosine of two L2-normalised sparse vectors sorted by index.
fn sparse_cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> f64 {
    hashing::sparse_dot(a, b).clamp(0.0, 1.0)
}

/// Jensen-Shannon divergence in bits (0..1); 0 when either side is empty.
pub fn jensen_shannon(p: &[f64], q: &[f64]) -> f64 {
    if p.is_empty() || p.len() != q.len() {
        return 0.0;
    }
    let kl = |a: f64, m: f64| if a > 0.0 { a * (a / m).log2() } else { 0.0 };
    let mut js = 0.0;
    for (&a, &b) in p.iter().zip(q) {
        let m = 0.5 * (a + b);
        if m > 0.0 {
            js += 0.5 * kl(a, m) + 0.5 * kl(b, m);
        }
    }
    js.clamp(0.0, 1.0)
}

/// Whether the char at byte `i` of `text` (a char boundary) is whitespace, and its length in
/// bytes. For ASCII, `char::is_whitespace` is exactly tab, LF, VT, FF, CR and space, so ASCII
/// bytes are classified without decoding.
#[inline]
fn space_at(text: &str, i: usize) -> (bool, usize) {
    match text.as_bytes().get(i) {
        Some(&b) if b < 0x80 => (b == b' ' || (b'\t'..=b'\r').contains(&b), 1),
        _ => match text.get(i..).and_then(|t| t.chars().next()) {
            Some(c) => (c.is_whitespace(), c.len_utf8()),
            None => (false, 1),
        },
    }
}

/// Slices of `text` of `per` whitespace-separated words each, covering its first `max` words
/// (the words of `split_whitespace`, found by [`space_at`]: every headline and article is cut
/// this way).
fn word_chunks(text: &str, per: usize, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut end, mut n, mut count) = (None::<usize>, 0usize, 0usize, 0usize);
    let mut i = 0;
    while i < text.len() && count < max {
        let (space, w) = space_at(text, i);
        if space {
            i += w;
            continue;
        }
        let s = i;
        i += w;
        while i < text.len() {
            let (space, w) = space_at(text, i);
            if space {
                break;
            }
            i += w;
        }
        count += 1;
        start.get_or_insert(s);
        end = i;
        n += 1;
        if n == per {
            if let Some(s) = start.take() {
                out.push(&text[s..end]);
            }
            n = 0;
        }
    }
    if let Some(s) = start {
        out.push(&text[s..end]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_lead() {
        let text = "a b c d e f g";
        assert_eq!(word_chunks(text, 3, 100), ["a b c", "d e f", "g"]);
        assert_eq!(word_chunks(text, 3, 4), ["a b c", "d"]);
        assert!(word_chunks("   ", 3, 10).is_empty());
    }

    /// [`word_chunks`] as `split_whitespace` gives the words.
    fn reference_chunks(text: &str, per: usize, max: usize) -> Vec<&str> {
        let base = text.as_ptr() as usize;
        let mut out = Vec::new();
        let (mut start, mut end, mut n) = (None::<usize>, 0usize, 0usize);
        for w in text.split_whitespace().take(max) {
            let off = w.as_ptr() as usize - base;
            start.get_or_insert(off);
            end = off + w.len();
            n += 1;
            if n == per {
                if let Some(s) = start.take() {
                    out.push(&text[s..end]);
                }
                n = 0;
            }
        }
        if let Some(s) = start {
            out.push(&text[s..end]);
        }
        out
    }

    #[test]
    fn chunks_split_where_split_whitespace_does() {
        let texts = [
            "",
            "  \t ",
            "one",
            " a b\tc\u{b}d\u{c}e\rf\ng ",
            "\u{1c}unit\u{1f}separators are not spaces",
            "nbsp\u{a0}ideo\u{3000}em\u{2003}nel\u{85}x naïve café 市议会 end",
        ];
        for t in texts {
            for (per, max) in [(1, 100), (2, 3), (3, 100), (60, 600), (2, 0)] {
                assert_eq!(
                    word_chunks(t, per, max),
                    reference_chunks(t, per, max),
                    "{t:?}"
                );
            }
        }
    }

    #[test]
    fn js_is_zero_for_equal_and_one_for_disjoint() {
        assert!(jensen_shannon(&[0.5, 0.5], &[0.5, 0.5]).abs() < 1e-12);
        assert!((jensen_shannon(&[1.0, 0.0], &[0.0, 1.0]) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn terms_are_stemmed_words_or_cjk_bigrams() {
        let terms = |t: &str| {
            let mut v = Vec::new();
            for_each_term(t, |h| v.push(h));
            v
        };
        let w = |s: &str| hashing::word_hash(&s.chars().collect::<Vec<_>>());
        assert_eq!(terms("Markets, market's"), [w("market"), w("market")]);
        assert_eq!(terms("Don't"), [w("dont")]);
        assert_eq!(terms("市议会 ok"), [w("市议"), w("议会"), w("ok")]);
        assert!(terms(" ,. 2024 15:49").is_empty());
        // the same buckets as the IDF table
        assert_eq!(
            hashing::bucket_of(w("market"), 16),
            hashing::word_bucket(stem(&"markets".chars().collect::<Vec<_>>()), 16)
        );
    }

    #[test]
    fn byte_stem_matches_char_stem() {
        for t in [
            "markets", "bus", "its", "gas", "naïs", "añs", "ñuñs", "emails", "ss", "abcs",
        ] {
            let chars: Vec<char> = t.chars().collect();
            let want: String = stem(&chars).iter().collect();
            assert_eq!(stem_utf8(t.as_bytes(), chars.len()), want.as_bytes(), "{t}");
        }
    }

    /// [`for_each_term`] as defined char by char.
    fn reference_terms(text: &str) -> Vec<u64> {
        use crate::signals::script::{self, Script};
        let mut out = Vec::new();
        let mut buf: Vec<char> = Vec::new();
        let mut prev_unspaced: Option<char> = None;
        let flush = |buf: &mut Vec<char>, out: &mut Vec<u64>| {
            if !buf.is_empty() && !buf.iter().all(char::is_ascii_digit) {
                out.push(hashing::word_hash(stem(buf)));
            }
            buf.clear();
        };
        for c in text.chars() {
            if c.is_alphanumeric() {
                if !c.is_ascii() && script::of(c).is_some_and(Script::unspaced) {
                    flush(&mut buf, &mut out);
                    if let Some(p) = prev_unspaced {
                        out.push(hashing::word_hash(&[p, c]));
                    }
                    prev_unspaced = Some(c);
                    continue;
                }
                prev_unspaced = None;
                if buf.len() >= MAX_TERM_CHARS {
                    continue;
                }
                buf.extend(c.to_lowercase());
            } else if (c == '\'' || c == '\u{2019}') && !buf.is_empty() {
                continue;
            } else {
                prev_unspaced = None;
                flush(&mut buf, &mut out);
            }
        }
        flush(&mut buf, &mut out);
        out
    }

    #[test]
    fn byte_terms_match_char_terms() {
        for t in [
            "Markets, market's İstanbul ÉTÉS naïve cafés 2024 15:49 x1 ﬁnances",
            "市议会批准 ok 東京タワーです한국어 문장입니다 ภาษาไทย",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaas",
        ] {
            let mut got = Vec::new();
            for_each_term(t, |h| got.push(h));
            assert_eq!(got, reference_terms(t), "{t}");
        }
    }

    #[test]
    fn untrained_models_are_neutral() {
        let m = TextModels::default();
        assert_eq!(m.clickbait.probability("anything"), 0.5);
        assert_eq!(m.topics.distance("a b", "c d"), 0.0);
        assert!(m.topics.distribution("a").is_empty());
    }
}
