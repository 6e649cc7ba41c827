//! Feature hashing for short texts: word unigrams and bigrams plus character n-grams inside word
//! boundaries, hashed with a fixed, seedless hash into a fixed dimension.
//!
//! Why hashing: no vocabulary to ship or keep in sync, constant memory, and the same code path
//! at training and scoring time. The hash is FNV-1a over lowercased UTF-8 bytes followed by a
//! 64-bit finaliser, so features are identical across runs, processes and platforms (no
//! `RandomState`). No `String` is built per n-gram: words are lowercased char by char into one
//! reusable buffer and n-grams are hashed straight from it.

use serde::{Deserialize, Serialize};

/// A sparse feature vector: `(index, value)` pairs sorted by index, each index once.
pub type SparseVec = Vec<(u32, f32)>;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Namespaces keep a word "the" and a character gram "the" apart.
const NS_WORD: u64 = 0x9e37_79b9_7f4a_7c15;
const NS_BIGRAM: u64 = 0xc2b2_ae3d_27d4_eb4f;
const NS_CHAR: u64 = 0x1656_67b1_9e37_79f9;
const NS_SHAPE: u64 = 0x2545_f491_4f6c_dd1d;
const NS_SYMBOL: u64 = 0x8cb9_2ba7_2f3d_8dd7;

/// Chars of a text scanned for [`SHAPE_SYMBOLS`] (texts scored are short; this bounds the rest).
const MAX_SYMBOL_SCAN: usize = 4096;
/// Signs whose presence the shape features record: currencies, percent, exclamation.
const SHAPE_SYMBOLS: &[char] = &['$', '€', '£', '¥', '₹', '₩', '₽', '%', '!'];

/// Longest word (in chars) whose character n-grams are taken; longer tokens (URLs, base64
/// junk) contribute their word feature only, which bounds the work per token.
const MAX_WORD_CHARS: usize = 40;

/// Chars of one token kept; the rest of a longer token is ignored.
const MAX_TOKEN_CHARS: usize = 64;

/// Upper bound on the tokens read from one text, so hostile input cannot cost unbounded time.
const MAX_TOKENS: usize = 4096;

/// Per byte, whether it is an ASCII letter or digit (`char::is_alphanumeric` for ASCII);
/// false for every non-ASCII byte, whose char must be decoded. Word splitters find runs of
/// ASCII letters with one lookup a byte.
pub(crate) static ASCII_ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0u8;
    while b < 0x80 {
        t[b as usize] = b.is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// The length of the run of ASCII letters and digits that `bytes` starts with.
#[inline]
pub(crate) fn ascii_alnum_run(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|&b| !ASCII_ALNUM[usize::from(b)])
        .unwrap_or(bytes.len())
}

/// Appends to `buf`, lowercased, the run of ASCII letters and digits that `bytes` starts with,
/// at most `room` of them (what passes a word's cap is dropped, as one char at a time would
/// drop it). Returns the run's length, to step over, and the number appended.
#[inline]
pub(crate) fn push_ascii_alnum_run(buf: &mut Vec<u8>, bytes: &[u8], room: usize) -> (usize, usize) {
    let run = ascii_alnum_run(bytes);
    let take = run.min(room);
    buf.extend(bytes[..take].iter().map(u8::to_ascii_lowercase));
    (run, take)
}

/// The 64-bit finaliser of MurmurHash3: spreads FNV's low-entropy high bits.
#[inline]
fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^= k >> 33;
    k
}

#[inline]
fn fnv_char(mut h: u64, c: char) -> u64 {
    let mut buf = [0u8; 4];
    for &b in c.encode_utf8(&mut buf).as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// Hash of a run of (already lowercased) chars in a namespace.
#[inline]
fn hash_chars(ns: u64, chars: &[char]) -> u64 {
    let mut h = FNV_OFFSET ^ ns;
    for &c in chars {
        h = fnv_char(h, c);
    }
    fmix64(h)
}

/// Calls `f` with each word of `text` as lowercased chars in a reused buffer. A word is a
/// maximal run of alphanumeric chars; apostrophes inside a word are dropped ("don't" = "dont")
/// so typographic variants hash alike.
pub fn for_each_word(text: &str, mut f: impl FnMut(&[char])) {
    let mut buf: Vec<char> = Vec::with_capacity(32);
    let mut tokens = 0usize;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if buf.len() >= MAX_TOKEN_CHARS {
                // the rest of an overlong token is dropped: bounded memory on hostile input
                continue;
            }
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else {
                buf.extend(c.to_lowercase());
            }
        } else if (c == '\'' || c == '\u{2019}') && !buf.is_empty() {
            continue;
        } else if !buf.is_empty() {
            f(&buf);
            buf.clear();
            tokens += 1;
            if tokens >= MAX_TOKENS {
                return;
            }
        }
    }
    if !buf.is_empty() {
        f(&buf);
    }
}

/// FNV-1a over bytes from state `h` (the same steps as [`fnv_char`] over the chars the bytes
/// encode).
#[inline]
fn fnv_bytes(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// Appends `c` lowercased, as UTF-8, to `buf`; returns the number of chars appended (one, or
/// more for the few chars whose lowercase is several).
#[inline]
pub(super) fn push_lowercase(buf: &mut Vec<u8>, c: char) -> usize {
    if c.is_ascii() {
        buf.push(c.to_ascii_lowercase() as u8);
        return 1;
    }
    let mut n = 0;
    for l in c.to_lowercase() {
        let mut tmp = [0u8; 4];
        buf.extend_from_slice(l.encode_utf8(&mut tmp).as_bytes());
        n += 1;
    }
    n
}

/// The same words as [`for_each_word`], in the same order, handed to `f` as the UTF-8 bytes of
/// the lowercased chars (in a reused buffer, after `lead` bytes of `buf` that the caller put
/// there and which `f` sees too) with the number of chars, so callers can hash bytes without
/// encoding each char again.
fn for_each_word_utf8(
    text: &str,
    buf: &mut Vec<u8>,
    lead: usize,
    mut f: impl FnMut(&mut Vec<u8>, usize),
) {
    debug_assert!(buf.len() == lead);
    let mut chars = 0usize;
    let mut tokens = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // ASCII without decoding: for it, `char::is_alphanumeric` is `is_ascii_alphanumeric`
        // and lowercasing is one byte.
        if b < 0x80 {
            if ASCII_ALNUM[usize::from(b)] {
                // the whole run of ASCII letters and digits at once
                let rest = bytes.get(i..).unwrap_or_default();
                let (run, take) =
                    push_ascii_alnum_run(buf, rest, MAX_TOKEN_CHARS.saturating_sub(chars));
                chars += take;
                i += run;
                continue;
            }
            i += 1;
            if b == b'\'' && chars > 0 {
                continue;
            } else if chars > 0 {
                f(buf, chars);
                buf.truncate(lead);
                chars = 0;
                tokens += 1;
                if tokens >= MAX_TOKENS {
                    return;
                }
            }
            continue;
        }
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        if c.is_alphanumeric() {
            if chars >= MAX_TOKEN_CHARS {
                // the rest of an overlong token is dropped: bounded memory on hostile input
                continue;
            }
            chars += push_lowercase(buf, c);
        } else if (c == '\'' || c == '\u{2019}') && chars > 0 {
            continue;
        } else if chars > 0 {
            f(buf, chars);
            buf.truncate(lead);
            chars = 0;
            tokens += 1;
            if tokens >= MAX_TOKENS {
                return;
            }
        }
    }
    if chars > 0 {
        f(buf, chars);
        buf.truncate(lead);
    }
}

/// How text becomes features. Stored with each model so scoring hashes exactly as training did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Featuriser {
    /// log2 of the dimension (10..=20).
    pub bits: u8,
    /// Hash word bigrams as well as unigrams.
    pub bigrams: bool,
    /// Smallest character n-gram (0 = no character n-grams).
    pub char_min: u8,
    /// Largest character n-gram.
    pub char_max: u8,
    /// Also hash the shape of every word with digits ("298" and "$298" give "000") and each
    /// currency, percent or exclamation sign: prices and discounts mark ad copy whatever the
    /// figure, and a learner cannot generalise from figures it saw to ones it did not.
    #[serde(default)]
    pub shapes: bool,
}

impl Default for Featuriser {
    fn default() -> Self {
        Featuriser {
            bits: 15,
            bigrams: true,
            char_min: 3,
            char_max: 5,
            shapes: false,
        }
    }
}

impl Featuriser {
    /// Words (uni+bigrams) only, for topics, where character grams mostly add noise.
    pub fn words(bits: u8) -> Self {
        Featuriser {
            bits,
            bigrams: true,
            char_min: 0,
            char_max: 0,
            shapes: false,
        }
    }

    /// Words (uni+bigrams) and shapes of numbers and signs, for the register of ad copy.
    pub fn words_and_shapes(bits: u8) -> Self {
        Featuriser {
            shapes: true,
            ..Self::words(bits)
        }
    }

    /// The feature dimension, `2^bits` (bits clamped to 10..=20).
    pub fn dim(&self) -> usize {
        1usize << self.bits.clamp(10, 20)
    }

    /// Calls `f` with the 64-bit hash of every feature occurrence in `text`: per word, its
    /// unigram, its bigram with the previous word, then its character n-grams by `n` and
    /// position. Hashes are taken over the UTF-8 bytes of the lowercased chars, which is what
    /// [`hash_chars`] does char by char.
    fn for_each_hash(&self, text: &str, mut f: impl FnMut(u64)) {
        let mut prev: Option<u64> = None;
        // The word between two spaces, as the character n-grams see it.
        let mut padded: Vec<u8> = Vec::with_capacity(4 * MAX_TOKEN_CHARS + 2);
        // Byte offset of each char of `padded`, and its end (only for non-ASCII words).
        let mut starts: Vec<usize> = Vec::with_capacity(MAX_TOKEN_CHARS + 3);
        let (cmin, cmax) = (usize::from(self.char_min), usize::from(self.char_max));
        padded.push(b' ');
        for_each_word_utf8(text, &mut padded, 1, |padded, n_chars| {
            let hw = fmix64(fnv_bytes(FNV_OFFSET ^ NS_WORD, &padded[1..]));
            f(hw);
            if self.shapes && padded[1..].iter().any(u8::is_ascii_digit) {
                let mut h = FNV_OFFSET ^ NS_SHAPE;
                for &b in &padded[1..] {
                    let b = if b.is_ascii_digit() { b'0' } else { b };
                    h ^= u64::from(b);
                    h = h.wrapping_mul(FNV_PRIME);
                }
                f(fmix64(h));
            }
            if self.bigrams {
                if let Some(p) = prev {
                    f(fmix64(p.rotate_left(17) ^ hw ^ NS_BIGRAM));
                }
                prev = Some(hw);
            }
            if cmin > 0 && n_chars <= MAX_WORD_CHARS {
                padded.push(b' ');
                let len = n_chars + 2;
                if padded.len() == len {
                    // ASCII: one byte per char
                    for n in cmin..=cmax.max(cmin) {
                        if n > len {
                            break;
                        }
                        let seed = FNV_OFFSET ^ NS_CHAR ^ n as u64;
                        for win in padded.windows(n) {
                            f(fmix64(fnv_bytes(seed, win)));
                        }
                    }
                } else {
                    starts.clear();
                    starts.extend(
                        padded
                            .iter()
                            .enumerate()
                            .filter(|(_, &b)| b & 0xC0 != 0x80)
                            .map(|(i, _)| i),
                    );
                    starts.push(padded.len());
                    for n in cmin..=cmax.max(cmin) {
                        if n > len {
                            break;
                        }
                        let seed = FNV_OFFSET ^ NS_CHAR ^ n as u64;
                        for s in 0..=len - n {
                            f(fmix64(fnv_bytes(seed, &padded[starts[s]..starts[s + n]])));
                        }
                    }
                }
            }
        });
        if self.shapes {
            for c in text.chars().take(MAX_SYMBOL_SCAN) {
                if SHAPE_SYMBOLS.contains(&c) {
                    f(fmix64(NS_SYMBOL ^ u64::from(c)));
                }
            }
        }
    }

    /// The L2-normalised, sublinear-tf, signed hashed feature vector of `text`. Empty when the
    /// text has no words.
    pub fn features(&self, text: &str) -> SparseVec {
        thread_local! {
            /// The hash buffer of [`Featuriser::features`], kept per thread: a page featurises
            /// hundreds of short texts.
            static HASHES: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        HASHES.with(|hashes| match hashes.try_borrow_mut() {
            Ok(mut hashes) => self.features_with(text, &mut hashes),
            Err(_) => self.features_with(text, &mut Vec::new()),
        })
    }

    /// [`Featuriser::features`] with a hash buffer to reuse.
    fn features_with(&self, text: &str, hashes: &mut Vec<u64>) -> SparseVec {
        hashes.clear();
        // One sort groups both ways: rotating the bucket bits (the hash's low bits) to the top
        // orders by bucket first and, within a bucket, by the rest of the hash, so equal hashes
        // are adjacent (for their term frequency) and so are the hashes sharing a bucket (for
        // their sum), in ascending hash order. Rotated as they are pushed: no second pass.
        let bits = u32::from(self.bits.clamp(10, 20));
        self.for_each_hash(text, |h| hashes.push(h.rotate_right(bits)));
        hashes.sort_unstable();
        let mask = (self.dim() - 1) as u64;
        let mut out: SparseVec = Vec::with_capacity(hashes.len());
        let mut i = 0;
        while i < hashes.len() {
            let r = hashes[i];
            let mut j = i + 1;
            while j < hashes.len() && hashes[j] == r {
                j += 1;
            }
            let h = r.rotate_left(bits);
            let tf = sublinear_tf(j - i);
            let sign = if h >> 63 == 1 { -1.0 } else { 1.0 };
            let idx = (h & mask) as u32;
            match out.last_mut() {
                Some(last) if last.0 == idx => last.1 += sign * tf,
                _ => out.push((idx, sign * tf)),
            }
            i = j;
        }
        out.retain(|c| c.1 != 0.0);
        let norm = out.iter().map(|c| c.1 * c.1).sum::<f32>().sqrt();
        if norm > 0.0 {
            for c in &mut out {
                c.1 /= norm;
            }
        }
        out
    }

    /// Writes the features of `text` into a dense row (for linfa, which takes dense input).
    pub fn fill_dense(&self, text: &str, row: &mut [f32]) {
        for (i, v) in self.features(text) {
            if let Some(cell) = row.get_mut(i as usize) {
                *cell = v;
            }
        }
    }
}

/// `1 + ln(count)`, the damped weight of a term seen `count` times. Most terms of a short
/// text occur once, and `ln(1)` is exactly 0, so that case skips the logarithm.
#[inline]
pub(crate) fn sublinear_tf(count: usize) -> f32 {
    if count == 1 {
        1.0
    } else {
        1.0 + (count as f32).ln()
    }
}

/// Calls `f` with the [`word_hash`] of `form(word)` for every word of `text` (as
/// [`for_each_word`] splits it), where `form` gets the word's lowercased UTF-8 bytes and its
/// number of chars and returns the bytes to hash (for example a stem).
pub(crate) fn for_each_word_hash(
    text: &str,
    form: impl Fn(&[u8], usize) -> &[u8],
    mut f: impl FnMut(u64),
) {
    let mut buf: Vec<u8> = Vec::with_capacity(4 * MAX_TOKEN_CHARS);
    for_each_word_utf8(text, &mut buf, 0, |w, n_chars| {
        f(fmix64(fnv_bytes(FNV_OFFSET ^ NS_WORD, form(w, n_chars))));
    });
}

/// [`word_hash`] of the word whose chars the UTF-8 `bytes` encode.
pub(crate) fn word_hash_utf8(bytes: &[u8]) -> u64 {
    fmix64(fnv_bytes(FNV_OFFSET ^ NS_WORD, bytes))
}

/// The full 64-bit hash of a (lowercased) word; its low bits are [`word_bucket`].
pub fn word_hash(word: &[char]) -> u64 {
    hash_chars(NS_WORD, word)
}

/// The unsigned bucket of a word in a table of `2^bits` (for term weights such as IDF).
pub fn word_bucket(word: &[char], bits: u8) -> u32 {
    bucket_of(word_hash(word), bits)
}

/// The bucket of a [`word_hash`] in a table of `2^bits`.
pub fn bucket_of(hash: u64, bits: u8) -> u32 {
    (hash & ((1u64 << bits.clamp(10, 24)) - 1)) as u32
}

/// Dot product of two sparse vectors sorted by key (a merge walk; products summed in f64).
pub fn sparse_dot<K: Ord>(a: &[(K, f32)], b: &[(K, f32)]) -> f64 {
    // A short vector against a long one (a headline against its article): look the short one's
    // keys up in the rest of the long one instead of walking both. Same products, same order.
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() > 16 * short.len() {
        let (mut lo, mut s) = (0, 0.0f64);
        for (k, v) in short {
            let rest = long.get(lo..).unwrap_or(&[]);
            match rest.binary_search_by(|c| c.0.cmp(k)) {
                Ok(p) => {
                    s += f64::from(v * rest[p].1);
                    lo += p + 1;
                }
                Err(p) => lo += p,
            }
        }
        return s;
    }
    let (mut i, mut j, mut s) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += f64::from(a[i].1 * b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// Sparse dot product of a feature vector with dense weights (missing indices count as 0).
pub fn dot(x: &[(u32, f32)], w: &[f32]) -> f32 {
    x.iter()
        .map(|&(i, v)| w.get(i as usize).map_or(0.0, |wi| wi * v))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_and_split() {
        let mut words = Vec::new();
        for_each_word("Don't STOP-me ÉTÉ 42", |w| {
            words.push(w.iter().collect::<String>())
        });
        assert_eq!(words, ["dont", "stop", "me", "été", "42"]);
    }

    #[test]
    fn case_does_not_change_features() {
        let f = Featuriser::default();
        assert_eq!(f.features("Hello World"), f.features("hello world"));
    }

    /// The hashes as the char-by-char definition gives them.
    fn reference_hashes(f: &Featuriser, text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        let mut prev: Option<u64> = None;
        for_each_word(text, |w| {
            let hw = hash_chars(NS_WORD, w);
            out.push(hw);
            if f.bigrams {
                if let Some(p) = prev {
                    out.push(fmix64(p.rotate_left(17) ^ hw ^ NS_BIGRAM));
                }
                prev = Some(hw);
            }
            let (cmin, cmax) = (usize::from(f.char_min), usize::from(f.char_max));
            if cmin > 0 && w.len() <= MAX_WORD_CHARS {
                let mut padded = vec![' '];
                padded.extend_from_slice(w);
                padded.push(' ');
                for n in cmin..=cmax.max(cmin) {
                    if n > padded.len() {
                        break;
                    }
                    for win in padded.windows(n) {
                        out.push(hash_chars(NS_CHAR ^ n as u64, win));
                    }
                }
            }
        });
        out
    }

    #[test]
    fn byte_hashing_matches_char_hashing() {
        let texts = [
            "Hello World, don't stop: ÉTÉ straße İstanbul ΣΟΦΙΑ 市议会批准 x y 42",
            "a bb ccc dddd eeeee ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "Ǆemal ﬁnance ŉ naïve café’s",
        ];
        for f in [Featuriser::default(), Featuriser::words(16)] {
            for t in texts {
                let mut got = Vec::new();
                f.for_each_hash(t, |h| got.push(h));
                assert_eq!(got, reference_hashes(&f, t), "{t}");
            }
        }
        for t in texts {
            let mut got = Vec::new();
            for_each_word_hash(t, |w, _| w, |h| got.push(h));
            let mut want = Vec::new();
            for_each_word(t, |w| want.push(word_hash(w)));
            assert_eq!(got, want, "{t}");
        }
    }

    #[test]
    fn sparse_dot_of_short_and_long_vectors_is_the_merge_walk() {
        // reference: the plain merge of two sorted vectors
        fn merge(a: &[(u32, f32)], b: &[(u32, f32)]) -> f64 {
            let (mut i, mut j, mut s) = (0, 0, 0.0f64);
            while i < a.len() && j < b.len() {
                match a[i].0.cmp(&b[j].0) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        s += f64::from(a[i].1 * b[j].1);
                        i += 1;
                        j += 1;
                    }
                }
            }
            s
        }
        let long: Vec<(u32, f32)> = (0..500u32).map(|i| (i * 3, 1.0 / (i + 1) as f32)).collect();
        for short in [
            vec![],
            vec![(0, 0.5)],
            vec![(3, 0.25), (4, 9.0), (1497, 0.125), (2000, 1.0)],
            (0..20u32).map(|i| (i * 75, 0.1 * i as f32)).collect(),
        ] {
            let want = merge(&long, &short);
            assert_eq!(sparse_dot(&long, &short).to_bits(), want.to_bits());
            assert_eq!(sparse_dot(&short, &long).to_bits(), want.to_bits());
        }
    }

    #[test]
    fn empty_text_has_no_features() {
        assert!(Featuriser::default().features("  ...  ").is_empty());
    }

    fn hashes(f: &Featuriser, text: &str) -> Vec<u64> {
        let mut v = Vec::new();
        f.for_each_hash(text, |h| v.push(h));
        v
    }

    #[test]
    fn shapes_tie_prices_of_any_figure_together() {
        let plain = Featuriser::words(15);
        let shaped = Featuriser::words_and_shapes(15);
        // without shapes, two prices share nothing; with them, the three-digit shape and the
        // dollar sign are common to both
        let (a, b) = ("now $298 only", "now $451 only");
        let common = |f: &Featuriser| {
            let hb = hashes(f, b);
            hashes(f, a).iter().filter(|h| hb.contains(h)).count()
        };
        assert_eq!(common(&shaped), common(&plain) + 2);
        // a different number of digits is another shape
        let c = hashes(&shaped, "now $29 only");
        let hb = hashes(&shaped, b);
        assert_eq!(
            c.iter().filter(|h| hb.contains(h)).count(),
            common(&plain) + 1
        );
        // text without digits or signs hashes exactly as before
        let t = "Council approves the bridge budget";
        assert_eq!(hashes(&plain, t), hashes(&shaped, t));
        // shapes are off unless asked for, and old model files (no field) read as off
        let old: Featuriser =
            serde_json::from_str(r#"{"bits":15,"bigrams":true,"char_min":0,"char_max":0}"#)
                .expect("parses");
        assert_eq!(old, plain);
    }
}
