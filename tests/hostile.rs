//! Hostile input (issue 6): whatever the web serves must end in a score or a clear error for that
//! one page, within bounded time and memory, never a panic or a hang.
//!
//! Every input is generated here (seeded, nothing large is stored). Each case runs the whole
//! pipeline through [`Scorer::score`] while a counting global allocator records the allocation
//! high-water mark, and asserts:
//!
//! * the outcome: a score whose probability and signal values are finite and in range, with the
//!   flags the input calls for (truncated, decode errors, charset), or the specific error;
//! * time: under a bound set from measurement with a wide margin (scaled up in debug builds);
//! * peak memory above the baseline: under `10 x` the bytes the reader may keep (the input, capped
//!   at the 8 MiB read limit) plus a constant.
//!
//! Cases run one at a time (a global lock), so each peak belongs to one case only. Run with
//! `cargo test --release --test hostile -- --nocapture` to see the table of outcomes.
//! Regressions from fuzzing are named `r6_<what>`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use pagescore::extract::Page;
use pagescore::model::Score;
use pagescore::read::{CharsetSource, RawPage, ReadLimits};
use pagescore::signals::{Explain, SCHEMA};
use pagescore::{Error, Scorer};
use rand::{Rng, RngCore, SeedableRng};

// ---------------------------------------------------------------------------------------------
// Counting allocator: current and peak bytes live on the heap.

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// One test at a time, so a peak belongs to one case: every test holds this guard from its
/// first line (input generation in a parallel test would otherwise count against the case).
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

const MIB: usize = 1 << 20;

/// Debug builds are ~10-30x slower; the bounds are for release (the README's test command).
const SLOW: u32 = if cfg!(debug_assertions) { 30 } else { 1 };

/// The read stage's default cap on (decompressed) input.
fn cap() -> usize {
    ReadLimits::default().max_input_bytes
}

fn scorer() -> &'static Scorer {
    static S: std::sync::OnceLock<Scorer> = std::sync::OnceLock::new();
    S.get_or_init(|| Scorer::embedded().expect("the embedded model loads"))
}

// ---------------------------------------------------------------------------------------------
// Running one case.

/// What one hostile input did.
struct Run {
    score: Result<Score, Error>,
    page: Option<Page>,
}

/// Bounds for one case.
struct Bounds {
    /// Wall time of `score` in release.
    time: Duration,
    /// Bytes the reader may keep (after decompression, before the cap): the memory budget is
    /// `10 * min(kept, cap) + 48 MiB`.
    kept: usize,
}

impl Bounds {
    fn new(time_ms: u64, kept: usize) -> Self {
        Bounds {
            time: Duration::from_millis(time_ms),
            kept,
        }
    }

    fn memory(&self) -> usize {
        10 * self.kept.min(cap()) + 48 * MIB
    }
}

/// Scores `raw` under the allocator's eye, then inspects it (unmeasured) for the flags.
/// The caller holds [`serial`].
fn run(name: &str, raw: RawPage<'_>, bounds: Bounds) -> Run {
    let scorer = scorer();
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let start = Instant::now();
    let score = scorer.score(&raw, Explain::Detailed);
    let elapsed = start.elapsed();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    let page = scorer.inspect(&raw).ok();
    let outcome = match &score {
        Ok(s) => format!(
            "ok p={:.3} {:?} truncated={}",
            s.spam_probability, s.verdict, s.truncated
        ),
        Err(e) => format!("err {e}"),
    };
    let flags = page.as_ref().map_or(String::new(), |p| {
        format!(
            " charset={}({:?}) decode_errors={} limit_hit={} links={} blocks={} title_len={}",
            p.source.charset,
            p.source.charset_source,
            p.source.had_decode_errors,
            p.stats.limit_hit,
            p.stats.links,
            p.link_blocks.len(),
            p.title.raw.len()
        )
    });
    eprintln!(
        "hostile {name:<28} in={:>11}B {:>8.1}ms peak={:>7.1}MiB {outcome}{flags}",
        raw.bytes.len(),
        elapsed.as_secs_f64() * 1e3,
        peak as f64 / MIB as f64,
    );
    let time_bound = bounds.time * SLOW;
    assert!(
        elapsed <= time_bound,
        "{name}: took {elapsed:?}, bound {time_bound:?}"
    );
    assert!(
        peak <= bounds.memory(),
        "{name}: peak {peak} B above baseline, bound {} B",
        bounds.memory()
    );
    if let Ok(s) = &score {
        assert_sane(name, s);
    }
    Run { score, page }
}

/// What every score must satisfy, whatever the input.
fn assert_sane(name: &str, s: &Score) {
    assert!(
        s.spam_probability.is_finite() && (0.0..=1.0).contains(&s.spam_probability),
        "{name}: probability {}",
        s.spam_probability
    );
    assert_eq!(
        s.signals.len(),
        SCHEMA.len(),
        "{name}: one value per signal"
    );
    for sig in &s.signals {
        assert!(
            sig.value.is_finite(),
            "{name}: signal {} = {}",
            sig.name,
            sig.value
        );
        assert!(
            sig.contribution.is_finite(),
            "{name}: contribution of {} = {}",
            sig.name,
            sig.contribution
        );
    }
}

impl Run {
    /// The score, or a panic naming the case and the error.
    fn ok(&self, name: &str) -> &Score {
        match &self.score {
            Ok(s) => s,
            Err(e) => panic!("{name}: expected a score, got error: {e}"),
        }
    }

    /// The inspected page (same input, same pipeline).
    fn page(&self, name: &str) -> &Page {
        self.page
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: inspect failed where score succeeded"))
    }

    /// A score, or an `Input` error: both are a fine answer for this case.
    fn ok_or_input_error(&self, name: &str) {
        match &self.score {
            Ok(_) => {}
            Err(Error::Input(msg)) => assert!(!msg.is_empty(), "{name}: empty error message"),
            Err(e) => panic!("{name}: expected a score or an input error, got: {e}"),
        }
    }
}

fn html(bytes: &[u8]) -> RawPage<'_> {
    RawPage {
        bytes,
        url: Some("https://example.test/news/some-article.html"),
        content_type: Some("text/html"),
        name_hint: None,
    }
}

fn with_type<'a>(bytes: &'a [u8], content_type: &'a str) -> RawPage<'a> {
    RawPage {
        content_type: Some(content_type),
        ..html(bytes)
    }
}

fn rng(seed: u64) -> rand::rngs::StdRng {
    rand::rngs::StdRng::seed_from_u64(seed)
}

fn random_bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rng(seed).fill_bytes(&mut v);
    v
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("in-memory write");
    enc.finish().expect("in-memory write")
}

/// A small, ordinary article page around `body`.
fn page_with(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         </head><body><article><h1>{title}</h1>{body}</article></body></html>"
    )
}

// ---------------------------------------------------------------------------------------------
// Empty and near-empty.

#[test]
fn empty_body() {
    let _serial = serial();
    let r = run("empty", html(b""), Bounds::new(200, 0));
    r.ok_or_input_error("empty");
}

#[test]
fn only_whitespace() {
    let _serial = serial();
    let body = " \t\r\n\u{c}".repeat(20_000);
    let r = run(
        "whitespace",
        html(body.as_bytes()),
        Bounds::new(500, body.len()),
    );
    r.ok_or_input_error("whitespace");
    if r.score.is_ok() {
        assert!(r.page("whitespace").title.text.trim().is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// Binary files labelled text/html.

#[test]
fn binary_random_bytes_as_html() {
    let _serial = serial();
    let bytes = random_bytes(1, 2 * MIB);
    let r = run("random 2MiB", html(&bytes), Bounds::new(2_000, bytes.len()));
    r.ok_or_input_error("random 2MiB");
}

#[test]
fn binary_png_as_html() {
    let _serial = serial();
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x04\0\0\0\x04\0\x08\x06\0\0\0".to_vec();
    bytes.extend(random_bytes(2, MIB));
    bytes.extend_from_slice(b"\0\0\0\0IEND\xaeB`\x82");
    let r = run("png", html(&bytes), Bounds::new(1_500, bytes.len()));
    r.ok_or_input_error("png");
}

#[test]
fn binary_pdf_as_html() {
    let _serial = serial();
    let mut bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\
                      2 0 obj\n<< /Length 1048576 /Filter /FlateDecode >>\nstream\n"
        .to_vec();
    bytes.extend(random_bytes(3, MIB));
    bytes.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
    let r = run("pdf", html(&bytes), Bounds::new(1_500, bytes.len()));
    r.ok_or_input_error("pdf");
}

#[test]
fn binary_gzip_of_random_bytes_as_html() {
    let _serial = serial();
    let bytes = gzip(&random_bytes(4, MIB));
    let r = run("gzip(random)", html(&bytes), Bounds::new(1_500, 2 * MIB));
    r.ok_or_input_error("gzip(random)");
}

// ---------------------------------------------------------------------------------------------
// Charsets.

#[test]
fn invalid_utf8_declared_utf8() {
    let _serial = serial();
    let mut bytes = page_with("Broken bytes", "<p>before").into_bytes();
    // Lone continuation bytes, overlong encodings, surrogates, truncated sequences, 0xFF.
    for _ in 0..10_000 {
        bytes.extend_from_slice(b"\x80\xbf\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xe2\x82\xff text ");
    }
    bytes.extend_from_slice(b"</p>\xe2\x82</body></html>");
    let raw = with_type(&bytes, "text/html; charset=utf-8");
    let r = run("invalid utf-8", raw, Bounds::new(1_000, bytes.len()));
    r.ok("invalid utf-8");
    let p = r.page("invalid utf-8");
    assert!(
        p.source.had_decode_errors,
        "malformed bytes must be flagged"
    );
    assert_eq!(p.source.charset, "UTF-8");
}

fn utf16le(s: &str, bom: bool) -> Vec<u8> {
    let mut v = if bom { vec![0xff, 0xfe] } else { Vec::new() };
    for u in s.encode_utf16() {
        v.extend_from_slice(&u.to_le_bytes());
    }
    v
}

fn utf16be(s: &str, bom: bool) -> Vec<u8> {
    let mut v = if bom { vec![0xfe, 0xff] } else { Vec::new() };
    for u in s.encode_utf16() {
        v.extend_from_slice(&u.to_be_bytes());
    }
    v
}

#[test]
fn utf16_with_bom() {
    let _serial = serial();
    let doc = page_with(
        "Zürich council votes on budget",
        &"<p>Le conseil municipal a voté le budget après un long débat.</p>".repeat(50),
    );
    for (label, bytes) in [
        ("utf-16le bom", utf16le(&doc, true)),
        ("utf-16be bom", utf16be(&doc, true)),
    ] {
        // The BOM wins over anything the header claims.
        let raw = with_type(&bytes, "text/html; charset=iso-8859-1");
        let r = run(label, raw, Bounds::new(500, bytes.len()));
        r.ok(label);
        let p = r.page(label);
        assert_eq!(p.source.charset_source, CharsetSource::Bom, "{label}");
        assert!(p.source.charset.starts_with("UTF-16"), "{label}");
        assert!(!p.source.had_decode_errors, "{label}");
    }
}

#[test]
fn utf16_without_bom() {
    let _serial = serial();
    let doc = page_with(
        "Council votes on budget",
        &"<p>The council voted on the budget after a long debate.</p>".repeat(50),
    );
    let bytes = utf16le(&doc, false);
    // Labelled: the header's charset decides.
    let raw = with_type(&bytes, "text/html; charset=utf-16le");
    let r = run(
        "utf-16le no bom, labelled",
        raw,
        Bounds::new(500, bytes.len()),
    );
    r.ok("utf-16le no bom, labelled");
    // Unlabelled: no browser guesses UTF-16; any score (mostly NUL-riddled text) is fine.
    let r = run(
        "utf-16le no bom, bare",
        html(&bytes),
        Bounds::new(500, bytes.len()),
    );
    r.ok("utf-16le no bom, bare");
    let bytes = utf16be(&doc, false);
    let raw = with_type(&bytes, "text/html; charset=utf-16");
    let r = run(
        "utf-16be no bom, 'utf-16'",
        raw,
        Bounds::new(500, bytes.len()),
    );
    r.ok("utf-16be no bom, 'utf-16'");
}

#[test]
fn charset_declaration_that_lies() {
    let _serial = serial();
    // Windows-1251 Cyrillic bytes declared as UTF-8 in both the header and <meta>.
    let (cyr, _, _) = encoding_rs::WINDOWS_1251
        .encode("Правительство объявило о новых мерах поддержки экономики страны. ");
    let mut bytes = b"<html><head><meta charset=\"utf-8\"><title>".to_vec();
    bytes.extend_from_slice(&cyr);
    bytes.extend_from_slice(b"</title></head><body><p>");
    for _ in 0..200 {
        bytes.extend_from_slice(&cyr);
    }
    bytes.extend_from_slice(b"</p></body></html>");
    let raw = with_type(&bytes, "text/html; charset=utf-8");
    let r = run("cp1251 declared utf-8", raw, Bounds::new(500, bytes.len()));
    r.ok("cp1251 declared utf-8");
    let p = r.page("cp1251 declared utf-8");
    assert!(
        p.source.had_decode_errors || p.source.charset == "windows-1251",
        "the lie must be visible: decode errors flagged or the real charset found"
    );

    // UTF-8 bytes declared as windows-1252: decodes (mojibake), never fails.
    let doc = page_with(
        "Ελληνικά νέα",
        &"<p>Η κυβέρνηση ανακοίνωσε νέα μέτρα.</p>".repeat(100),
    );
    let raw = with_type(doc.as_bytes(), "text/html; charset=windows-1252");
    let r = run("utf-8 declared cp1252", raw, Bounds::new(500, doc.len()));
    r.ok("utf-8 declared cp1252");
}

#[test]
fn meta_charset_unknown() {
    let _serial = serial();
    let doc = "<html><head><meta charset=\"x-klingon-9\"><meta http-equiv=\"Content-Type\" \
               content=\"text/html; charset=nonsense\"><title>Unknown charset</title></head>\
               <body><p>Plain ASCII text that any decoder reads.</p></body></html>";
    let r = run(
        "meta unknown charset",
        html(doc.as_bytes()),
        Bounds::new(200, doc.len()),
    );
    // Browsers ignore an unknown label and fall through to detection.
    r.ok("meta unknown charset");
    let p = r.page("meta unknown charset");
    assert_ne!(p.source.charset_source, CharsetSource::Meta);

    let raw = with_type(doc.as_bytes(), "text/html; charset=\"x-\u{1F47D}\"");
    let r = run("header unknown charset", raw, Bounds::new(200, doc.len()));
    r.ok_or_input_error("header unknown charset");
}

#[test]
fn nul_bytes() {
    let _serial = serial();
    let mut bytes =
        b"<html\0><he\0ad><title>NUL\0in\0title</title></head><body\0 a\0=\"\0\">".to_vec();
    for _ in 0..20_000 {
        bytes.extend_from_slice(b"<p>\0te\0xt\0</p\0><\0a href=\"/\0x\">\0</a>");
    }
    bytes.extend(std::iter::repeat_n(0u8, MIB));
    let r = run("nul bytes", html(&bytes), Bounds::new(1_500, bytes.len()));
    r.ok("nul bytes");
}

// ---------------------------------------------------------------------------------------------
// Size.

#[test]
fn page_of_50_mb_is_truncated_and_flagged() {
    let _serial = serial();
    let para =
        "<p>The committee met on Tuesday to discuss the new budget for the coming year.</p>\n";
    let mut doc = String::with_capacity(50 * MIB + 1024);
    doc.push_str("<html><head><title>A very long page</title></head><body>");
    while doc.len() < 50 * MIB {
        doc.push_str(para);
    }
    let r = run(
        "50 MB page",
        html(doc.as_bytes()),
        Bounds::new(5_000, doc.len()),
    );
    let s = r.ok("50 MB page");
    assert!(
        s.truncated,
        "a page beyond the cap must be flagged truncated"
    );
    let p = r.page("50 MB page");
    assert!(p.source.truncated);
    assert_eq!(p.source.input_bytes, doc.len());
}

#[test]
fn ten_mb_line_without_tags() {
    let _serial = serial();
    let line = "lorem ipsum dolor sit amet ".repeat(10 * MIB / 27 + 1);
    let r = run(
        "10 MB line as html",
        html(line.as_bytes()),
        Bounds::new(5_000, line.len()),
    );
    assert!(r.ok("10 MB line as html").truncated);
    let raw = RawPage {
        name_hint: Some("line.txt"),
        ..with_type(line.as_bytes(), "text/plain")
    };
    let r = run("10 MB line as text", raw, Bounds::new(5_000, line.len()));
    assert!(r.ok("10 MB line as text").truncated);
}

#[test]
fn gzip_bomb_1_gib_of_zeros() {
    let _serial = serial();
    let bomb = gzip_bomb_of_zeros(1 << 30);
    assert!(bomb.len() < 7 * MIB, "{} bytes", bomb.len());
    // The reader may keep at most the cap of what it inflates.
    let r = run("gzip bomb 1 GiB", html(&bomb), Bounds::new(3_000, cap()));
    match &r.score {
        Ok(s) => assert!(
            s.truncated,
            "an inflated page beyond the cap must be flagged"
        ),
        Err(Error::Input(msg)) => assert!(!msg.is_empty()),
        Err(e) => panic!("gzip bomb: unexpected error {e}"),
    }
    // The same bomb named .gz with no content type.
    let raw = RawPage {
        bytes: &bomb,
        url: None,
        content_type: None,
        name_hint: Some("page.html.gz"),
    };
    let r = run("gzip bomb, .gz hint", raw, Bounds::new(3_000, cap()));
    r.ok_or_input_error("gzip bomb, .gz hint");
}

/// A gzip member inflating to `n` zero bytes, written by hand as one fixed-Huffman deflate
/// block of back-references: 13 bits per 258 bytes, so 1 GiB packs into 6.8 MB, built in
/// milliseconds (a dynamic-Huffman bomb packs 6x tighter; the reader's cap is what matters).
fn gzip_bomb_of_zeros(n: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        len: u32,
    }
    impl Bits {
        /// `v`'s low `n` bits, least significant first (deflate's header and extra bits).
        fn put(&mut self, v: u64, n: u32) {
            self.acc |= v << self.len;
            self.len += n;
            while self.len >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.len -= 8;
            }
        }
        /// A Huffman code, most significant bit first.
        fn code(&mut self, code: u64, n: u32) {
            let rev = (0..n).fold(0, |r, i| r | (((code >> i) & 1) << (n - 1 - i)));
            self.put(rev, n);
        }
    }
    let mut b = Bits {
        out: vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff],
        acc: 0,
        len: 0,
    };
    b.put(1, 1); // BFINAL
    b.put(1, 2); // fixed Huffman
    b.code(0x30, 8); // literal 0
    let mut left = n - 1;
    while left >= 258 {
        b.code(0xc5, 8); // length 258 (code 285)
        b.code(0, 5); // distance 1
        left -= 258;
    }
    while left >= 3 {
        b.code(1, 7); // length 3 (code 257)
        b.code(0, 5);
        left -= 3;
    }
    for _ in 0..left {
        b.code(0x30, 8);
    }
    b.code(0, 7); // end of block
    b.put(0, 7); // flush to a byte boundary
    let mut crc = flate2::Crc::new();
    let zeros = vec![0u8; MIB];
    let mut done = 0;
    while done < n {
        let k = (n - done).min(MIB);
        crc.update(&zeros[..k]);
        done += k;
    }
    b.out.extend_from_slice(&crc.sum().to_le_bytes());
    b.out.extend_from_slice(&(n as u32).to_le_bytes());
    b.out
}

#[test]
fn gzip_bomb_builder_is_right() {
    let _serial = serial();
    let bomb = gzip_bomb_of_zeros(1_000_003);
    let mut out = Vec::new();
    let mut dec = flate2::read::GzDecoder::new(&bomb[..]);
    std::io::Read::read_to_end(&mut dec, &mut out).expect("valid gzip");
    assert_eq!(out.len(), 1_000_003);
    assert!(out.iter().all(|&b| b == 0));
}

// ---------------------------------------------------------------------------------------------
// Structure.

#[test]
fn nested_100_000_elements() {
    let _serial = serial();
    let n = 100_000;
    let mut doc = String::from("<html><head><title>Deep</title></head><body>");
    doc.push_str(&"<div>".repeat(n));
    doc.push_str("<p>At the bottom of the well there is a paragraph of text.</p>");
    doc.push_str(&"</div>".repeat(n));
    doc.push_str("</body></html>");
    let r = run(
        "100k nested divs",
        html(doc.as_bytes()),
        Bounds::new(2_000, doc.len()),
    );
    r.ok("100k nested divs");

    // Unclosed, mixed inline/table/list nesting that HTML's tree rules make expensive.
    let mut doc = String::from("<html><body>");
    for i in 0..n {
        doc.push_str(
            [
                "<b>",
                "<table><tr><td>",
                "<ul><li>",
                "<a href=/x>",
                "<span>",
            ][i % 5],
        );
    }
    doc.push_str("text");
    let r = run(
        "100k nested unclosed mix",
        html(doc.as_bytes()),
        Bounds::new(2_000, doc.len()),
    );
    r.ok("100k nested unclosed mix");
}

#[test]
fn element_with_100_000_attributes() {
    let _serial = serial();
    let mut doc = String::from("<html><head><title>Attrs</title></head><body><div");
    for i in 0..100_000 {
        doc.push_str(&format!(" data-a{i}=\"v{i}\""));
    }
    doc.push_str(" class=\"ad banner\">text</div>");
    // The same attribute, 100,000 times, on a link.
    doc.push_str("<a");
    doc.push_str(&" href=\"https://ads.example/x\" rel=\"sponsored\"".repeat(100_000));
    doc.push_str(">link</a></body></html>");
    let r = run(
        "100k attributes",
        html(doc.as_bytes()),
        Bounds::new(2_000, doc.len()),
    );
    r.ok("100k attributes");
}

#[test]
fn one_million_links() {
    let _serial = serial();
    let mut doc = String::from("<html><head><title>Links</title></head><body><ul>");
    for i in 0..1_000_000 {
        doc.push_str(&format!("<li><a href=\"/n/{i}\">Story number {i}</a>"));
    }
    doc.push_str("</ul></body></html>");
    let r = run(
        "1M links",
        html(doc.as_bytes()),
        Bounds::new(5_000, doc.len()),
    );
    let s = r.ok("1M links");
    assert!(s.truncated, "{} bytes is beyond the cap", doc.len());
    let p = r.page("1M links");
    let kept: usize = p.link_blocks.iter().map(|b| b.links.len()).sum();
    let limits = pagescore::extract::ExtractLimits::default();
    assert!(kept <= limits.max_links, "kept {kept} links");
}

#[test]
fn link_blocks_100_000() {
    let _serial = serial();
    let mut doc = String::from("<html><head><title>Blocks</title></head><body>");
    for i in 0..100_000 {
        doc.push_str(&format!(
            "<div class=\"related\"><h3>Related {i}</h3><ul><li><a href=\"/a/{i}\">One {i}</a>\
             </li><li><a href=\"https://other.example/{i}\">Two</a></li></ul></div>"
        ));
    }
    doc.push_str("</body></html>");
    let r = run(
        "100k link blocks",
        html(doc.as_bytes()),
        Bounds::new(5_000, doc.len()),
    );
    r.ok("100k link blocks");
    let p = r.page("100k link blocks");
    let kept: usize = p.link_blocks.iter().map(|b| b.links.len()).sum();
    let limits = pagescore::extract::ExtractLimits::default();
    assert!(kept <= limits.max_links, "kept {kept} links");
}

#[test]
fn unclosed_comment_script_cdata() {
    let _serial = serial();
    let filler = "if (a < b && c > d) { x = '<p>not text</p>'; } ".repeat(20_000);
    for (label, open) in [
        ("unclosed comment", "<!-- "),
        ("unclosed script", "<script type=\"text/javascript\">"),
        ("unclosed style", "<style>"),
        ("unclosed cdata", "<![CDATA["),
        ("unclosed svg cdata", "<svg><![CDATA["),
        ("unclosed title", "<title>"),
        ("unclosed textarea", "<textarea>"),
        ("plaintext", "<plaintext>"),
        ("unclosed tag", "<a href=\"/x\" title=\""),
    ] {
        let doc = format!(
            "<html><head><title>Open</title></head><body><p>Before the trap.</p>{open}{filler}"
        );
        let r = run(label, html(doc.as_bytes()), Bounds::new(1_000, doc.len()));
        r.ok(label);
        let p = r.page(label);
        // What hides inside the open construct is never visible text. (`plaintext` shows it
        // all; an unclosed tag swallows to the end; `<![CDATA[` outside SVG/MathML is a bogus
        // comment that ends at the first `>`, so browsers show what follows.)
        if !matches!(label, "unclosed tag" | "plaintext" | "unclosed cdata") {
            assert!(
                !p.main_text.iter().any(|t| t.contains("not text")),
                "{label}: markup inside the construct leaked into main text"
            );
        }
    }
}

#[test]
fn title_of_1_mb() {
    let _serial = serial();
    let title = "Breaking news about everything ".repeat(MIB / 31 + 1);
    let doc = page_with(&title, "<p>Short body.</p>");
    let r = run(
        "1 MB title",
        html(doc.as_bytes()),
        Bounds::new(1_000, doc.len()),
    );
    r.ok("1 MB title");
    // Same, as og:title and as plain text's first line.
    let doc = format!(
        "<html><head><meta property=\"og:title\" content=\"{title}\"></head><body><h1>{title}</h1></body></html>"
    );
    let r = run(
        "1 MB og:title + h1",
        html(doc.as_bytes()),
        Bounds::new(1_000, doc.len()),
    );
    r.ok("1 MB og:title + h1");
    let raw = RawPage {
        name_hint: Some("t.txt"),
        ..with_type(title.as_bytes(), "text/plain")
    };
    let r = run("1 MB first line", raw, Bounds::new(1_000, title.len()));
    r.ok("1 MB first line");
}

// ---------------------------------------------------------------------------------------------
// Scripts and symbols.

#[test]
fn right_to_left_and_mixed_script() {
    let _serial = serial();
    let body = [
        "<p dir=\"rtl\">الحكومة تعلن عن خطة جديدة لدعم الاقتصاد الوطني في العام المقبل.</p>",
        "<p dir=\"rtl\">הממשלה הודיעה על תוכנית חדשה לתמיכה בכלכלה.</p>",
        "<p>Mixed: Москва and Paris, 東京 と 大阪, सरकार ने घोषणा की, \u{202E}reversed\u{202C} text.</p>",
        "<p>Controls: \u{202E}\u{2066}\u{200F}\u{200E}\u{061C}\u{FEFF}\u{200B}\u{2069}\u{202C}</p>",
        "<p>Combining: Z\u{0351}\u{0360}\u{035B}a\u{0362}\u{0337}l\u{0334}\u{0321}g\u{0358}o\u{0489}</p>",
        "<p>Homoglyphs: раураl.com аррlе.com</p>",
    ]
    .concat()
    .repeat(200);
    let doc = page_with("عنوان الخبر \u{200F} Headline \u{200E} 标题", &body);
    let r = run(
        "rtl + mixed script",
        html(doc.as_bytes()),
        Bounds::new(1_000, doc.len()),
    );
    r.ok("rtl + mixed script");
    assert!(!r.page("rtl + mixed script").source.had_decode_errors);
}

#[test]
fn emoji_only_page() {
    let _serial = serial();
    let emoji = "😀🔥💯👍🏽👨‍👩‍👧‍👦🏳️‍🌈🇺🇳❤️‍🔥🧑🏿‍🚀 ";
    let doc = page_with(
        &emoji.repeat(3),
        &format!("<p>{}</p>", emoji.repeat(20)).repeat(500),
    );
    let r = run(
        "emoji only",
        html(doc.as_bytes()),
        Bounds::new(1_000, doc.len()),
    );
    r.ok("emoji only");
    let raw = RawPage {
        name_hint: Some("e.txt"),
        ..with_type(emoji.as_bytes(), "text/plain; charset=utf-8")
    };
    let r = run("emoji only, text", raw, Bounds::new(200, emoji.len()));
    r.ok("emoji only, text");
}

// ---------------------------------------------------------------------------------------------
// What the caller says about the bytes.

#[test]
fn hostile_metadata() {
    let _serial = serial();
    let doc = page_with("Ordinary", "<p>An ordinary paragraph.</p>");
    let long_ct = format!("text/html; {}charset=utf-8", "x=y; ".repeat(100_000));
    let long_url = format!("https://example.test/{}", "a/".repeat(500_000));
    // (label, content type, url, name hint)
    type Case<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
    let cases: Vec<Case<'_>> = vec![
        ("ct garbage", Some("\0\u{ffff};;;=;charset="), None, None),
        ("ct charset empty", Some("text/html; charset="), None, None),
        (
            "ct charset quoted",
            Some("text/html; charset=\"utf-8"),
            None,
            None,
        ),
        ("ct huge", Some(&long_ct), None, None),
        ("url huge", None, Some(&long_url), None),
        ("url junk", None, Some("::not a url::\u{202E}\0"), None),
        ("hint gz on plain", None, None, Some("page.html.gz")),
        ("hint weird", None, None, Some("\0/..\\..txt.gz.txt")),
    ];
    for (label, ct, url, hint) in cases {
        let raw = RawPage {
            bytes: doc.as_bytes(),
            url,
            content_type: ct,
            name_hint: hint,
        };
        let r = run(label, raw, Bounds::new(500, MIB));
        r.ok_or_input_error(label);
    }
}

#[test]
fn broken_gzip() {
    let _serial = serial();
    let good = gzip(page_with("Gzipped", &"<p>Compressed paragraph.</p>".repeat(1000)).as_bytes());
    let mut bad_crc = good.clone();
    let n = bad_crc.len();
    bad_crc[n - 6] ^= 0xff;
    let double = gzip(&good);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("gzip magic only", b"\x1f\x8b".to_vec()),
        ("gzip header only", good[..10].to_vec()),
        ("gzip cut in half", good[..good.len() / 2].to_vec()),
        ("gzip bad crc", bad_crc),
        ("gzip twice", double),
        ("gzip two members", [good.clone(), good.clone()].concat()),
        (
            "gzip then junk",
            [good.clone(), random_bytes(9, 4096)].concat(),
        ),
    ];
    for (label, bytes) in cases {
        let r = run(label, html(&bytes), Bounds::new(500, MIB));
        r.ok_or_input_error(label);
    }
}

// ---------------------------------------------------------------------------------------------
// Extractor traps: shapes that make a naive extractor quadratic.

#[test]
fn extractor_traps() {
    let _serial = serial();
    let big = |unit: &str, n: usize| {
        format!(
            "<html><head><title>Trap</title></head><body>{}</body></html>",
            unit.repeat(n)
        )
    };
    let cases: Vec<(&str, String)> = vec![
        ("100k headings", big("<h2>Heading</h2><p>x</p>", 100_000)),
        ("200k tiny paragraphs", big("<p>a</p>", 200_000)),
        ("1M entities", big("&amp;&lt;&#x1F600;&nbsp;&bogus;&#99999999;", 200_000)),
        ("100k time elements", big("<time datetime=\"2024-02-30T25:61\">Feb 30</time>", 100_000)),
        ("100k dates in text", big("Published on Feb. 24, 2022 and 2023-13-45. ", 100_000)),
        ("100k bylines", big("<p>By Jane Doe</p><span class=byline>By Joe</span>", 50_000)),
        ("100k counters", big("<span>Likes (63925)</span>", 100_000)),
        ("100k breadcrumbs", big("<nav class=breadcrumb><a href=/>Home</a> &gt; </nav>", 50_000)),
        ("100k meta", big("<meta property=\"article:published_time\" content=\"2020\">", 100_000)),
        (
            "5 MB json-ld",
            format!(
                "<html><head><script type=\"application/ld+json\">{{\"datePublished\":\"{}\"}}\
                 </script></head><body></body></html>",
                "[{\"a\":".repeat(500_000)
            ),
        ),
        ("100k ad labels", big("<div class=\"ad\">Sponsored</div><iframe src=\"https://doubleclick.net/x\"></iframe>", 50_000)),
        ("100k nested anchors", big("<a href=\"/a\"><a href=\"/b\">", 100_000)),
        ("100k lines of text", big("line<br>", 500_000)),
    ];
    for (label, doc) in cases {
        let r = run(label, html(doc.as_bytes()), Bounds::new(5_000, doc.len()));
        r.ok(label);
    }
}

/// Two MiB of random tag soup from a seeded generator.
#[test]
fn random_tag_soup_is_scored() {
    let _serial = serial();
    let mut g = rng(7);
    let parts = [
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<a href=\"/x\">",
        "</a>",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "<title>",
        "</title>",
        "<h1>",
        "</h1>",
        "word ",
        "&amp;",
        "&#",
        "<",
        ">",
        "\"",
        "'",
        "=",
        "<meta charset=\"",
        "\u{0}",
        "<![CDATA[",
        "]]>",
        "<svg>",
        "<math>",
    ];
    let mut doc = String::new();
    while doc.len() < 2 * MIB {
        doc.push_str(parts[g.gen_range(0..parts.len())]);
    }
    let r = run(
        "2 MiB tag soup",
        html(doc.as_bytes()),
        Bounds::new(2_000, doc.len()),
    );
    r.ok("2 MiB tag soup");
}

// ---------------------------------------------------------------------------------------------
// Regressions found by the property tests and the fuzzer (issue 6).

/// `read::charset::prescan_meta` stepped past the end of the prescan window on a comment that
/// is not closed within it (`i += 4 + rest.len()`), and sliced out of range: a panic on any
/// page with `<!--` unclosed in its first bytes and no charset in the Content-Type.
#[test]
fn r6_prescan_unclosed_comment() {
    let _serial = serial();
    for doc in [
        &b"<!--"[..],
        b"<html><head><!-- never closed",
        b"<html><head><title>t</title><!-- a -- b -> c",
        b"<!-- x --><meta charset=utf-8><!-",
    ] {
        for ct in [None, Some("text/html")] {
            let raw = RawPage {
                content_type: ct,
                ..html(doc)
            };
            let r = run(
                "r6 prescan unclosed comment",
                raw,
                Bounds::new(100, doc.len()),
            );
            r.ok_or_input_error("r6 prescan unclosed comment");
        }
    }
    // An unclosed comment just inside a long page's prescan window.
    let mut doc = b"<html><head><title>x</title><!-- ".to_vec();
    doc.extend(std::iter::repeat_n(b'a', 10_000));
    let r = run(
        "r6 prescan long comment",
        html(&doc),
        Bounds::new(100, doc.len()),
    );
    r.ok("r6 prescan long comment");
}
