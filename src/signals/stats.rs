//! Text statistics from the web-spam and corpus-filtering literature: Ntoulas et al. 2006 (words
//! in page and title, average word length, compression ratio, anchor-text and visible-text
//! fractions, stop-word fraction) and the Gopher / FineWeb quality filters (duplicated lines,
//! share of the most common word n-gram, lines ending in punctuation, short lines).
//!
//! HTML and plain-text pages differ by construction, so `is_plain_text` lets the model condition
//! on it, and ratios that a text page cannot have (visible text over markup) take a neutral
//! value there.

use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::sync::OnceLock;

use flate2::{Compress, Compression, FlushCompress, Status};

use super::context::{alnum_words, count_words, Ctx};
use super::script;
use super::{log_count, quote, Out};

/// Bytes of visible text compressed for the compression ratio (bounds the cost; repetition
/// shows well within the first 32 KB).
const COMPRESS_BYTES: usize = 32 * 1024;
/// Visible text shorter than this has no meaningful compression ratio (deflate's overhead).
const MIN_COMPRESS_BYTES: usize = 200;
/// Visible-over-source fraction given to plain-text pages: a typical HTML value, so the feature
/// is neutral for them.
const NEUTRAL_VISIBLE_FRACTION: f64 = 0.15;
/// Stop-word fraction given to pages in scripts written without spaces (not measurable by
/// word): a typical value for prose.
const NEUTRAL_STOPWORD_FRACTION: f64 = 0.3;
/// Lines shorter than this (in characters) are short lines (FineWeb).
const SHORT_LINE: usize = 30;

/// Very frequent function words of common languages (en, de, fr, es, it, pt, nl, sv, pl, ru,
/// tr, id). The fraction is taken for the language whose list matches most words.
const STOPWORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "was", "on", "with",
            "as", "he", "be", "by", "at", "this", "are", "have", "from", "or", "his", "but", "not",
            "they", "an", "which", "has", "were", "their", "been", "its", "will", "would", "there",
            "we", "you", "who", "i",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des", "auf",
            "für", "ist", "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "werden",
            "aus", "er", "hat", "dass", "sie", "nach", "wird", "bei", "einer", "um", "am", "sind",
            "noch", "wie", "einem", "über", "so", "zum", "war", "haben", "nur", "oder", "aber",
            "vor", "zur", "bis", "mehr", "durch", "man", "ich", "wir",
        ],
    ),
    (
        "fr",
        &[
            "de", "la", "le", "et", "les", "des", "en", "un", "du", "une", "que", "est", "pour",
            "qui", "dans", "a", "par", "plus", "pas", "au", "sur", "ne", "se", "ce", "il", "sont",
            "aux", "avec", "son", "sa", "ses", "mais", "ou", "été", "elle", "nous", "vous", "leur",
            "on", "je",
        ],
    ),
    (
        "es",
        &[
            "de", "la", "que", "el", "en", "y", "a", "los", "se", "del", "las", "un", "por", "con",
            "no", "una", "su", "para", "es", "al", "lo", "como", "más", "o", "pero", "sus", "le",
            "ha", "me", "si", "sin", "sobre", "este", "ya", "entre", "cuando", "todo", "esta",
            "ser", "son", "también", "fue", "había", "muy", "hasta",
        ],
    ),
    (
        "it",
        &[
            "di", "e", "il", "la", "che", "a", "per", "in", "un", "del", "non", "una", "i", "le",
            "della", "si", "da", "con", "è", "al", "lo", "dei", "gli", "nel", "alla", "sono",
            "come", "anche", "più", "ma", "delle", "ha", "nella", "se", "questo", "o", "dal", "ci",
            "su", "era",
        ],
    ),
    (
        "pt",
        &[
            "de", "a", "o", "que", "e", "do", "da", "em", "um", "para", "é", "com", "não", "uma",
            "os", "no", "se", "na", "por", "mais", "as", "dos", "como", "mas", "foi", "ao", "ele",
            "das", "tem", "à", "seu", "sua", "ou", "ser", "quando", "muito", "há", "nos", "já",
            "está", "também",
        ],
    ),
    (
        "nl",
        &[
            "de", "en", "van", "het", "een", "in", "is", "dat", "op", "te", "zijn", "voor", "met",
            "die", "niet", "aan", "er", "om", "ook", "als", "bij", "of", "door", "maar", "naar",
            "dan", "wordt", "nog", "heeft", "was", "uit", "worden", "hij", "tot", "kan", "over",
            "ze", "zich", "we", "wat",
        ],
    ),
    (
        "sv",
        &[
            "och", "i", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den",
            "har", "de", "inte", "om", "ett", "han", "men", "var", "jag", "sig", "från", "vi",
            "så", "kan", "man", "när", "år", "säger", "hon", "under", "också", "efter",
        ],
    ),
    (
        "pl",
        &[
            "w", "i", "na", "z", "się", "nie", "do", "to", "że", "jest", "o", "jak", "a", "po",
            "co", "tak", "za", "od", "ale", "jego", "przez", "jej", "są", "czy", "już", "ich",
            "tym", "który", "także", "oraz", "dla", "być", "może", "tylko", "było",
        ],
    ),
    (
        "ru",
        &[
            "и",
            "в",
            "не",
            "на",
            "что",
            "с",
            "по",
            "он",
            "как",
            "а",
            "к",
            "из",
            "это",
            "о",
            "за",
            "у",
            "от",
            "то",
            "так",
            "его",
            "но",
            "для",
            "все",
            "она",
            "же",
            "бы",
            "мы",
            "вы",
            "они",
            "было",
            "был",
            "при",
            "только",
            "уже",
            "или",
            "ее",
            "их",
            "был",
            "также",
            "до",
        ],
    ),
    (
        "tr",
        &[
            "ve", "bir", "bu", "da", "de", "için", "ile", "olarak", "çok", "daha", "gibi", "en",
            "ne", "o", "ama", "olan", "kadar", "sonra", "her", "değil", "var", "mi", "ya", "diye",
            "göre", "ki", "şu", "ise", "veya", "yok",
        ],
    ),
    (
        "id",
        &[
            "yang", "dan", "di", "itu", "dengan", "untuk", "tidak", "ini", "dari", "dalam", "akan",
            "pada", "juga", "saya", "ke", "karena", "tersebut", "bisa", "ada", "mereka", "lebih",
            "kata", "atau", "oleh", "sudah", "telah", "adalah", "kami", "namun", "bahwa",
        ],
    ),
];

/// Longest stop word in bytes that [`stopword_bits`] can look up (keys are packed into a
/// `u128`).
const MAX_STOPWORD_BYTES: usize = 16;

/// Up to [`MAX_STOPWORD_BYTES`] bytes packed into an integer key, zero-padded (no word contains
/// a NUL byte, so distinct words get distinct keys).
#[inline]
fn pack_word(b: &[u8]) -> u128 {
    let mut a = [0u8; MAX_STOPWORD_BYTES];
    a[..b.len()].copy_from_slice(b);
    u128::from_le_bytes(a)
}

/// The stop words, indexed for [`stopword_bits`].
struct StopwordTable {
    /// Each stop word (packed by [`pack_word`]) with the bit set of languages it belongs to.
    map: FxHashMap<u128, u16>,
    /// Per first byte, bit `n` set when some stop word starting with that byte is `n` bytes
    /// long: most words of a page are turned away here, before any hashing.
    first_byte_lengths: [u32; 256],
}

fn stopwords() -> &'static StopwordTable {
    static TABLE: OnceLock<StopwordTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = FxHashMap::default();
        let mut first_byte_lengths = [0u32; 256];
        for (i, (_, words)) in STOPWORDS.iter().enumerate() {
            for w in *words {
                assert!(w.len() <= MAX_STOPWORD_BYTES, "stop word {w} too long");
                *map.entry(pack_word(w.as_bytes())).or_insert(0u16) |= 1 << i;
                first_byte_lengths[usize::from(w.as_bytes()[0])] |= 1 << w.len();
            }
        }
        StopwordTable {
            map,
            first_byte_lengths,
        }
    })
}

/// Adds the text statistics, in schema order.
pub(crate) fn compute(ctx: &Ctx<'_>, out: &mut Out) {
    let page = ctx.page;
    let stats = &page.stats;
    let detailed = out.detailed();

    out.push(
        "is_plain_text",
        if ctx.is_text { 1.0 } else { 0.0 },
        Vec::new(),
    );

    // The plain counts below quote the figures their values were computed from.
    let n_words = ctx.words.len();
    out.push_with("page_words_log", log_count(n_words), || {
        vec![format!("{n_words} words of visible text")]
    });
    let title_words = count_words(&page.title.text, 100_000);
    out.push_with("title_words_log", log_count(title_words), || {
        vec![format!(
            "title {} has {title_words} words",
            quote(&page.title.text)
        )]
    });

    let word_chars: usize = ctx.words.iter().map(|w| w.chars().count()).sum();
    let avg = if n_words == 0 {
        0.0
    } else {
        (word_chars as f64 / n_words as f64).min(50.0)
    };
    out.push_with("avg_word_len", avg, || {
        vec![format!("{word_chars} characters in {n_words} words")]
    });

    let (ratio, ratio_ev) = compression_ratio(&ctx.lines, detailed);
    out.push("compression_ratio", ratio, ratio_ev);

    // Anchor text over visible text: from the extractor's counts, or from link blocks when the
    // extractor gave none (plain text).
    let anchor = if stats.anchor_chars > 0 || !ctx.is_text {
        stats.anchor_chars
    } else {
        page.link_blocks
            .iter()
            .flat_map(|b| &b.links)
            .map(|l| l.text.chars().count())
            .sum()
    };
    let anchor_frac = ratio_of(anchor, ctx.visible_chars);
    out.push_with("anchor_text_fraction", anchor_frac, || {
        vec![format!(
            "{anchor} of {} visible characters are link text",
            ctx.visible_chars
        )]
    });

    if ctx.is_text {
        out.push(
            "visible_text_fraction",
            NEUTRAL_VISIBLE_FRACTION,
            Vec::new(),
        );
    } else {
        out.push_with(
            "visible_text_fraction",
            ratio_of(stats.visible_chars, stats.source_chars),
            || {
                vec![format!(
                    "{} visible characters in {} characters of markup",
                    stats.visible_chars, stats.source_chars
                )]
            },
        );
    }

    let (sw, sw_ev) = stopword_fraction(ctx, detailed);
    out.push("stopword_fraction", sw, sw_ev);

    let (mismatch, mismatch_ev) = chrome_language_mismatch(ctx, detailed);
    out.push("chrome_language_mismatch", mismatch, mismatch_ev);

    let (dup, dup_ev) = duplicate_lines(&ctx.lines, detailed);
    out.push("duplicate_line_fraction", dup, dup_ev);

    let [(v2, ev2), (v3, ev3)] = top_ngram_shares(&ctx.words, [2, 3], detailed);
    out.push("top_2gram_share", v2, ev2);
    out.push("top_3gram_share", v3, ev3);

    let n_lines = ctx.lines.len();
    let punct = ctx.lines.iter().filter(|l| ends_in_punct(l)).count();
    out.push_with("lines_end_punct_fraction", ratio_of(punct, n_lines), || {
        vec![format!(
            "{punct} of {n_lines} lines end in sentence punctuation"
        )]
    });
    let short = ctx
        .lines
        .iter()
        .filter(|l| l.chars().take(SHORT_LINE).count() < SHORT_LINE)
        .count();
    out.push_with("short_lines_fraction", ratio_of(short, n_lines), || {
        vec![format!(
            "{short} of {n_lines} lines are shorter than {SHORT_LINE} characters"
        )]
    });

    out.push_with(
        "main_text_share",
        ratio_of(ctx.main_chars, ctx.visible_chars),
        || {
            vec![format!(
                "the main text is {} of {} visible characters",
                ctx.main_chars, ctx.visible_chars
            )]
        },
    );
    out.push_with(
        "external_links_fraction",
        ratio_of(stats.external_links, stats.links),
        || {
            vec![format!(
                "{} of {} links leave the site",
                stats.external_links, stats.links
            )]
        },
    );
}

/// `a / b` clamped to 0..1, 0 when `b` is 0.
fn ratio_of(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        (a as f64 / b as f64).clamp(0.0, 1.0)
    }
}

/// Uncompressed over deflated size of the visible text (its first [`COMPRESS_BYTES`]); 0 for
/// text too short to measure. Highly repetitive (keyword-stuffed, templated) text compresses
/// well.
fn compression_ratio(lines: &[&str], detailed: bool) -> (f64, Vec<String>) {
    DEFLATE_SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        let buf = &mut scratch.text;
        buf.clear();
        for l in lines {
            if buf.len() >= COMPRESS_BYTES {
                break;
            }
            let room = COMPRESS_BYTES - buf.len();
            let b = l.as_bytes();
            buf.extend_from_slice(&b[..b.len().min(room)]);
            buf.push(b'\n');
        }
        let len = buf.len();
        if len < MIN_COMPRESS_BYTES {
            return (0.0, Vec::new());
        }
        let compressed = scratch.deflated_len();
        if compressed == 0 {
            return (0.0, Vec::new());
        }
        let r = (len as f64 / compressed as f64).min(50.0);
        let ev = if detailed {
            vec![format!(
                "{len} bytes of visible text deflate to {compressed} bytes"
            )]
        } else {
            Vec::new()
        };
        (r, ev)
    })
}

/// Per-thread buffers of [`compression_ratio`]: a deflate compressor costs hundreds of
/// kilobytes of tables to set up, so each thread keeps one and resets it (a reset compressor
/// is in exactly the state of a new one, so sizes are identical).
struct DeflateScratch {
    /// The text to compress.
    text: Vec<u8>,
    /// The compressed output.
    out: Vec<u8>,
    /// Deflate's fastest level: it finds the same repeated lines and phrases as the default
    /// level at about a third of the cost; the ratio is a feature, not an archive.
    compress: Option<Compress>,
}

thread_local! {
    static DEFLATE_SCRATCH: RefCell<DeflateScratch> = const {
        RefCell::new(DeflateScratch {
            text: Vec::new(),
            out: Vec::new(),
            compress: None,
        })
    };
}

impl DeflateScratch {
    /// The raw-deflate size of `text` (0 on a compressor error).
    fn deflated_len(&mut self) -> usize {
        let c = match &mut self.compress {
            Some(c) => {
                c.reset();
                c
            }
            none => none.insert(Compress::new(Compression::fast(), false)),
        };
        let out = &mut self.out;
        out.clear();
        // Room for the worst case (stored blocks) so one call normally finishes.
        out.reserve(self.text.len() + self.text.len() / 64 + 64);
        loop {
            let consumed = usize::try_from(c.total_in()).unwrap_or(usize::MAX);
            let input = self.text.get(consumed..).unwrap_or(&[]);
            match c.compress_vec(input, out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => return out.len(),
                Ok(_) => {
                    let more = out.capacity().max(1024);
                    out.reserve(more);
                }
                Err(_) => return 0,
            }
        }
    }
}

/// The languages (bit set over [`STOPWORDS`]) in which `word` is a stop word. ASCII words
/// are lower-cased on the stack; others use `scratch`, so the hot loop never allocates.
fn stopword_bits(word: &str, scratch: &mut String) -> Option<u16> {
    // No stop word is longer than this many bytes: most content words stop here, unhashed.
    static LONGEST_STOPWORD: OnceLock<usize> = OnceLock::new();
    let longest = *LONGEST_STOPWORD.get_or_init(|| {
        STOPWORDS
            .iter()
            .flat_map(|(_, words)| words.iter().map(|w| w.len()))
            .max()
            .unwrap_or(0)
    });
    if word.len() > longest.min(MAX_STOPWORD_BYTES) {
        return None;
    }
    let table = stopwords();
    let map = &table.map;
    if word.is_ascii() {
        let first = word.as_bytes().first().map_or(0, u8::to_ascii_lowercase);
        if table.first_byte_lengths[usize::from(first)] & (1 << word.len()) == 0 {
            return None;
        }
        let mut buf = [0u8; MAX_STOPWORD_BYTES];
        buf[..word.len()].copy_from_slice(word.as_bytes());
        buf.make_ascii_lowercase();
        return map.get(&u128::from_le_bytes(buf)).copied();
    }
    scratch.clear();
    scratch.extend(word.chars().flat_map(char::to_lowercase));
    if scratch.len() > MAX_STOPWORD_BYTES {
        return None;
    }
    map.get(&pack_word(scratch.as_bytes())).copied()
}

/// Adds one to `counts[i]` for every language `i` set in `bits`.
#[inline]
fn count_languages(counts: &mut [usize; 16], mut bits: u16) {
    while bits != 0 {
        counts[bits.trailing_zeros() as usize] += 1;
        bits &= bits - 1;
    }
}

/// Fraction of words that are stop words of the page's language (the language whose list
/// matches most words). Pages mostly in scripts without spaces get a neutral value.
fn stopword_fraction(ctx: &Ctx<'_>, detailed: bool) -> (f64, Vec<String>) {
    let words = &ctx.words;
    if words.is_empty() {
        return (0.0, Vec::new());
    }
    if ctx.script.is_some_and(|s| s.unspaced()) {
        return (NEUTRAL_STOPWORD_FRACTION, Vec::new());
    }
    let mut counts = [0usize; 16];
    let mut lower = String::new();
    for w in words {
        if let Some(bits) = stopword_bits(w, &mut lower) {
            count_languages(&mut counts, bits);
        }
    }
    let (best, &n) = counts
        .iter()
        .enumerate()
        .max_by_key(|(_, n)| **n)
        .unwrap_or((0, &0));
    let frac = n as f64 / words.len() as f64;
    let ev = if detailed {
        vec![format!(
            "{n} of {} words are common function words ({})",
            words.len(),
            STOPWORDS[best.min(STOPWORDS.len() - 1)].0
        )]
    } else {
        Vec::new()
    };
    (frac.clamp(0.0, 1.0), ev)
}

/// The name of stop-word language `i` (as [`stopword_language_counts`] numbers them).
pub(super) fn language_name(i: usize) -> &'static str {
    STOPWORDS.get(i).map_or("?", |s| s.0)
}

/// Words the main text and the page chrome each need before their languages are compared.
const MIN_LANGUAGE_WORDS: usize = 40;
/// Stop-word hits a text needs for its language to count as known.
const MIN_LANGUAGE_HITS: usize = 6;
/// Stop-word hits in the chrome at which its language counts fully: a few foreign words in a
/// menu (a cookie banner, a language switcher) say little.
const FULL_CHROME_HITS: usize = 24;

/// The stop-word language of `words` (index into [`STOPWORDS`]), its hits and all hits, or
/// `None` when too few words are stop words to tell.
fn stopword_language<'w>(words: impl Iterator<Item = &'w str>) -> Option<(usize, usize, usize)> {
    stopword_language_counts(words).map(|(best, n, any, _)| (best, n, any))
}

/// [`stopword_language`], plus the hits of every language: a word such as "a" or "to" is a
/// function word of several, so a short text can tie between languages.
pub(super) fn stopword_language_counts<'w>(
    words: impl Iterator<Item = &'w str>,
) -> Option<(usize, usize, usize, [usize; 16])> {
    let mut counts = [0usize; 16];
    let mut any = 0;
    let mut lower = String::new();
    for w in words {
        if let Some(bits) = stopword_bits(w, &mut lower) {
            any += 1;
            count_languages(&mut counts, bits);
        }
    }
    let (best, &n) = counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
    (n >= MIN_LANGUAGE_HITS).then_some((best, n, any, counts))
}

/// Whether the main text and the page around it (navigation, headings, link blocks: every
/// visible line that is not main text) are in different languages or scripts. A scraper
/// pours other sites' stories into its own template, so an English story inside German
/// chrome, or Latin text under a CJK menu, is a template artifact; a real site writes its
/// stories in the language of its pages. The value is the share of the chrome's function words
/// that belong to a language other than the main text's, scaled down when the chrome has fewer
/// than [`FULL_CHROME_HITS`] of them (1 for a different script); 0 when either part is too short
/// to tell.
fn chrome_language_mismatch(ctx: &Ctx<'_>, detailed: bool) -> (f64, Vec<String>) {
    let page = ctx.page;
    if ctx.article_words < MIN_LANGUAGE_WORDS || page.main_text.is_empty() {
        return (0.0, Vec::new());
    }
    let main: FxHashSet<&str> = page.main_text.iter().map(|p| p.trim()).collect();
    let chrome: Vec<&str> = ctx
        .lines
        .iter()
        .copied()
        .filter(|l| !main.contains(l))
        .take(2_000)
        .collect();
    let chrome_words = || chrome.iter().flat_map(|l| alnum_words(l)).take(20_000);
    // Fewer than MIN_LANGUAGE_WORDS words: no such word (counting stops there).
    if chrome_words().nth(MIN_LANGUAGE_WORDS - 1).is_none() {
        return (0.0, Vec::new());
    }
    let chrome_script = {
        let mut counts = script::ScriptCounts::default();
        counts.add_strs(chrome.iter().copied(), 8_000);
        counts.dominant()
    };
    if let (Some(a), Some(c)) = (ctx.script, chrome_script) {
        if a != c {
            let ev = if detailed {
                vec![format!(
                    "main text is in {} script, the page around it in {}",
                    a.name(),
                    c.name()
                )]
            } else {
                Vec::new()
            };
            return (1.0, ev);
        }
        if a.unspaced() {
            return (0.0, Vec::new());
        }
    }
    let main_words = page
        .main_text
        .iter()
        .flat_map(|p| alnum_words(p))
        .take(20_000);
    let (Some((main_lang, _, _)), Some((chrome_lang, hits, all, chrome_counts))) = (
        stopword_language(main_words),
        stopword_language_counts(chrome_words()),
    ) else {
        return (0.0, Vec::new());
    };
    // A chrome whose function words fit the main text's language as well as any other is in
    // that language: an English menu whose function words are "to" and "a" ties with Polish.
    if main_lang == chrome_lang || chrome_counts[main_lang] >= hits || all == 0 {
        return (0.0, Vec::new());
    }
    let confidence = (hits as f64 / FULL_CHROME_HITS as f64).min(1.0);
    let v = hits as f64 / all as f64 * confidence;
    let ev = if detailed {
        let name = |i: usize| STOPWORDS.get(i).map_or("?", |s| s.0);
        vec![format!(
            "main text reads as {}, the page around it as {} ({hits} of {all} function words)",
            name(main_lang),
            name(chrome_lang)
        )]
    } else {
        Vec::new()
    };
    (v.clamp(0.0, 1.0), ev)
}

/// Characters in lines that repeat an earlier line, over all characters (Gopher's
/// duplicate-line character fraction).
fn duplicate_lines(lines: &[&str], detailed: bool) -> (f64, Vec<String>) {
    let mut seen: FxHashSet<&str> =
        FxHashSet::with_capacity_and_hasher(lines.len(), Default::default());
    let mut total = 0usize;
    let mut dup = 0usize;
    let mut examples: Vec<&str> = Vec::new();
    for l in lines {
        let n = l.len();
        total += n;
        if !seen.insert(l) {
            dup += n;
            if detailed && examples.len() < 5 && !examples.contains(l) {
                examples.push(l);
            }
        }
    }
    let v = ratio_of(dup, total);
    let ev = examples
        .iter()
        .map(|l| format!("repeated line {}", quote(l)))
        .collect();
    (v, ev)
}

/// FNV-1a over one word, case-insensitive for ASCII: n-grams are keyed on these, so each word
/// is hashed once however many n-grams it belongs to.
fn hash_word(word: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in word.bytes() {
        h ^= u64::from(b.to_ascii_lowercase());
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The key of an n-gram from its words' hashes (order matters).
fn hash_ngram(word_hashes: &[u64]) -> u64 {
    word_hashes.iter().fold(0x9e37_79b9_7f4a_7c15, |h, &w| {
        (h.rotate_left(23) ^ w).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Occurrences of n-gram keys, each with the index of its first n-gram: an open-addressing
/// table (linear probing, at most half full) rather than a hash map, since the keys are
/// hashes already and n-gram counting visits every word of a page twice. Kept per thread and
/// emptied by a generation stamp, so pages neither allocate nor clear one.
#[derive(Default)]
struct NgramCounts {
    /// `(key, generation, count, first index)`; a slot of an older generation is empty.
    slots: Vec<(u64, u32, u32, u32)>,
    /// The generation of the keys counted now (0 marks never-used slots).
    generation: u32,
}

impl NgramCounts {
    /// Empties the table, with room for `n` keys. A table grown for one huge page is given
    /// back on the next ordinary one, so a worker thread does not keep it for good.
    fn reset(&mut self, n: usize) {
        let len = (2 * n.max(1)).next_power_of_two();
        let oversized = self.slots.len() > len.max(KEPT_NGRAM_SLOTS) * 4;
        if self.slots.len() < len || oversized || self.generation == u32::MAX {
            let keep = if oversized {
                KEPT_NGRAM_SLOTS
            } else {
                self.slots.len()
            };
            self.slots = vec![(0, 0, 0, 0); len.max(keep)];
            self.generation = 0;
        }
        self.generation += 1;
    }

    /// Counts one more occurrence of `key`, at index `i` if it is the first; returns the
    /// key's count and first index so far.
    #[inline]
    fn add(&mut self, key: u64, i: u32) -> (u32, u32) {
        let mask = self.slots.len() - 1;
        // The high bits of a multiply spread the keys whatever their low bits.
        let mut s = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize & mask;
        loop {
            let slot = &mut self.slots[s];
            if slot.1 != self.generation {
                *slot = (key, self.generation, 1, i);
                return (1, i);
            }
            if slot.0 == key {
                slot.2 += 1;
                return (slot.2, slot.3);
            }
            s = (s + 1) & mask;
        }
    }
}

/// Slots of the n-gram table a thread keeps between pages whatever their size (1.5 MB).
const KEPT_NGRAM_SLOTS: usize = 1 << 16;

thread_local! {
    static NGRAM_COUNTS: RefCell<NgramCounts> = RefCell::new(NgramCounts::default());
}

/// Share of word characters covered by the most frequent word `n`-gram (Gopher's "top n-gram
/// character fraction"), for each `n` of `ns`; 0 when no n-gram repeats.
fn top_ngram_shares<const K: usize>(
    words: &[&str],
    ns: [usize; K],
    detailed: bool,
) -> [(f64, Vec<String>); K] {
    let total: usize = words.iter().map(|w| w.len()).sum();
    let hashes: Vec<u64> = words.iter().map(|w| hash_word(w)).collect();
    NGRAM_COUNTS.with(|counts| {
        let mut counts = counts.borrow_mut();
        ns.map(|n| top_ngram_share(words, &hashes, total, n, &mut counts, detailed))
    })
}

/// [`top_ngram_shares`] for one `n`, with the words' hashes and their total length.
fn top_ngram_share(
    words: &[&str],
    hashes: &[u64],
    total: usize,
    n: usize,
    counts: &mut NgramCounts,
    detailed: bool,
) -> (f64, Vec<String>) {
    if words.len() < n || n == 0 {
        return (0.0, Vec::new());
    }
    counts.reset(words.len());
    // The most frequent n-gram (the earliest on a tie), kept as the counts grow: an n-gram's
    // last increment leaves its final count here, and scanning the map afterwards would
    // walk every bucket of a table sized for the whole page.
    let mut best: (u32, std::cmp::Reverse<usize>) = (0, std::cmp::Reverse(0));
    for (i, g) in hashes.windows(n).enumerate() {
        // Page words are capped well below `u32::MAX`.
        let (count, first) = counts.add(hash_ngram(g), i as u32);
        best = best.max((count, std::cmp::Reverse(first as usize)));
    }
    let (count, std::cmp::Reverse(first)) = best;
    if count < 2 {
        return (0.0, Vec::new());
    }
    let gram = &words[first..first + n];
    let chars: usize = gram.iter().map(|w| w.len()).sum();
    let v = ratio_of(chars * count as usize, total);
    let ev = if detailed {
        vec![format!("{} occurs {count} times", quote(&gram.join(" ")))]
    } else {
        Vec::new()
    };
    (v, ev)
}

/// Whether a line ends like a sentence (any script's terminal punctuation, closing quotes).
fn ends_in_punct(line: &str) -> bool {
    let last = line
        .trim_end()
        .trim_end_matches(['"', '\'', '”', '’', '»', '«', ')', ']', '」', '』'])
        .chars()
        .next_back();
    matches!(
        last,
        Some('.' | '!' | '?' | '…' | ':' | ';' | '。' | '！' | '？' | '؟' | '।')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ngram_table_counts_across_pages_and_gives_back_a_huge_table() {
        let mut t = NgramCounts::default();
        t.reset(1_000_000);
        let huge = t.slots.len();
        assert_eq!(t.add(7, 0), (1, 0));
        assert_eq!(t.add(7, 5), (2, 0));
        // the next page starts empty, in a table no larger than kept between pages
        t.reset(10);
        assert_eq!(t.slots.len(), KEPT_NGRAM_SLOTS);
        assert!(huge > KEPT_NGRAM_SLOTS * 4);
        assert_eq!(t.add(7, 3), (1, 3));
        assert_eq!(t.add(9, 4), (1, 4));
        assert_eq!(t.add(7, 8), (2, 3));
        // an ordinary table is reused, not reallocated
        let len = t.slots.len();
        t.reset(20);
        assert_eq!(t.slots.len(), len);
        assert_eq!(t.add(9, 1), (1, 1));
    }

    #[test]
    fn ngram_share_finds_repetition() {
        let w: Vec<&str> = "buy cheap pills buy cheap pills buy cheap pills now"
            .split(' ')
            .collect();
        let [(v, _)] = top_ngram_shares(&w, [3], false);
        assert!(v > 0.8, "{v}");
        let w: Vec<&str> = "the council met on monday to discuss the budget"
            .split(' ')
            .collect();
        let [(v, _)] = top_ngram_shares(&w, [3], false);
        assert_eq!(v, 0.0);
        // The most frequent n-gram wins whatever its position; of two as frequent, the earlier.
        let w: Vec<&str> = "red car blue sky blue sky red car blue sky"
            .split(' ')
            .collect();
        let [(v, ev)] = top_ngram_shares(&w, [2], true);
        assert_eq!(ev, vec!["\"blue sky\" occurs 3 times".to_owned()]);
        assert!((v - 21.0 / 33.0).abs() < 1e-12, "{v}");
        let w: Vec<&str> = "one two x one two y three four z three four"
            .split(' ')
            .collect();
        let [(_, ev)] = top_ngram_shares(&w, [2], true);
        assert_eq!(ev, vec!["\"one two\" occurs 2 times".to_owned()]);
    }

    #[test]
    fn duplicate_lines_counted_once_seen() {
        let (v, _) = duplicate_lines(&["a line", "other", "a line"], false);
        assert!((v - 6.0 / 17.0).abs() < 1e-9);
    }

    #[test]
    fn punctuation_endings() {
        assert!(ends_in_punct("It rained."));
        assert!(ends_in_punct("“It rained.”"));
        assert!(ends_in_punct("雨が降った。"));
        assert!(!ends_in_punct("Home"));
    }
}
