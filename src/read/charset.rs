//! Deciding a page's charset, the way a browser does.
//!
//! The order, first answer wins:
//!
//! 1. **Byte-order mark** (UTF-8, UTF-16LE, UTF-16BE). It beats everything, even a header.
//! 2. **`charset=` of the HTTP `Content-Type`**, when the caller gives the header.
//! 3. **`<meta charset>` / `<meta http-equiv="Content-Type" content="...; charset=...">`** found
//!    by a prescan of the first [`PRESCAN_BYTES`] bytes (comments skipped, attributes parsed,
//!    quotes honoured). Per the HTML standard a meta that names UTF-16 means UTF-8 (the bytes
//!    in front of us are evidently ASCII-compatible), and `x-user-defined` means windows-1252.
//! 4. **UTF-16 without a BOM or declaration**, recognised by its NUL-byte pattern: ASCII in
//!    UTF-16 puts a zero byte at every other position, and only there.
//! 5. **Detection**: pure ASCII is UTF-8; input that is valid UTF-8 is UTF-8; anything else goes
//!    to chardetng, hinted with the URL's top-level domain when there is one.
//! 6. **Default**: UTF-8.
//!
//! Labels are looked up in the WHATWG Encoding Standard table (`Encoding::for_label`), so
//! `latin1`, `x-sjis`, `gb2312` and friends mean what they mean in a browser. A label that is
//! unknown does not fail the read: it is recorded in the note and the next step decides. The
//! same goes for labels mapping to the WHATWG `replacement` encoding (ISO-2022-KR, HZ, ...): a
//! browser would show a single U+FFFD, which tells a scorer nothing, so we fall through instead.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};

use super::CharsetSource;

/// How many leading bytes the `<meta>` prescan looks at. The HTML standard says 1024; real pages
/// put the meta later than that often enough that browsers look further, and so do we.
pub const PRESCAN_BYTES: usize = 4096;

/// How many leading bytes the statistical steps (UTF-16 pattern, chardetng) look at.
const DETECT_BYTES: usize = 64 * 1024;

/// The outcome of the decision.
#[derive(Debug, Clone)]
pub struct Decision {
    /// The encoding to decode with.
    pub encoding: &'static Encoding,
    /// Which step decided.
    pub source: CharsetSource,
    /// Bytes of byte-order mark to skip before decoding.
    pub bom_len: usize,
    /// What happened on the way, for humans ("meta said koi8-r", "content-type label 'foo'
    /// unknown").
    pub notes: Vec<String>,
}

impl Decision {
    fn new(encoding: &'static Encoding, source: CharsetSource, notes: Vec<String>) -> Self {
        Decision {
            encoding,
            source,
            bom_len: 0,
            notes,
        }
    }

    /// Whether the decided encoding is UTF-16 (either byte order).
    pub fn is_utf16(&self) -> bool {
        self.encoding == UTF_16LE || self.encoding == UTF_16BE
    }
}

/// Steps 1-3: what the bytes and the header *declare*. `None` when nothing usable is declared;
/// unusable declarations are recorded in `notes`.
pub fn declared(
    bytes: &[u8],
    content_type: Option<&str>,
    notes: &mut Vec<String>,
) -> Option<Decision> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let mut d = Decision::new(encoding, CharsetSource::Bom, std::mem::take(notes));
        d.notes
            .push(format!("byte-order mark for {}", encoding.name()));
        d.bom_len = bom_len;
        return Some(d);
    }
    if let Some(label) = content_type.and_then(|ct| charset_param(ct.as_bytes())) {
        if let Some(encoding) = resolve(label, "content-type", false, notes) {
            notes.push(format!("content-type said {}", shown(label)));
            return Some(Decision::new(
                encoding,
                CharsetSource::ContentType,
                std::mem::take(notes),
            ));
        }
    }
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    if let Some(label) = prescan_meta(head) {
        if let Some(encoding) = resolve(label, "meta", true, notes) {
            notes.push(format!("meta said {}", shown(label)));
            return Some(Decision::new(
                encoding,
                CharsetSource::Meta,
                std::mem::take(notes),
            ));
        }
    }
    None
}

/// Step 4: UTF-16 recognised by the position of its zero bytes.
pub fn utf16_pattern(bytes: &[u8], notes: &mut Vec<String>) -> Option<Decision> {
    let sample = &bytes[..bytes.len().min(DETECT_BYTES) & !1];
    let pairs = sample.len() / 2;
    if pairs < 4 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // One parity has zeros at least 5% of the time (spaces and markup are ASCII), the other
    // almost never.
    let encoding = if odd * 20 >= pairs && even * 10 <= odd {
        UTF_16LE
    } else if even * 20 >= pairs && odd * 10 <= even {
        UTF_16BE
    } else {
        return None;
    };
    notes.push(format!(
        "no BOM or declaration; zero bytes at {} positions look like {}",
        if encoding == UTF_16LE { "odd" } else { "even" },
        encoding.name()
    ));
    Some(Decision::new(
        encoding,
        CharsetSource::Detected,
        std::mem::take(notes),
    ))
}

/// Steps 5-6: detection, then the default.
pub fn detect(
    bytes: &[u8],
    url: Option<&str>,
    truncated: bool,
    mut notes: Vec<String>,
) -> Decision {
    let ascii_up_to = Encoding::ascii_valid_up_to(bytes);
    if ascii_up_to == bytes.len() {
        notes.push("no declaration; all ASCII, so UTF-8".to_owned());
        return Decision::new(UTF_8, CharsetSource::Default, notes);
    }
    match std::str::from_utf8(&bytes[ascii_up_to..]) {
        Ok(_) => {
            notes.push("no declaration; valid UTF-8".to_owned());
            return Decision::new(UTF_8, CharsetSource::Detected, notes);
        }
        // A cut in the middle of the last character still counts as valid.
        Err(e) if truncated && e.error_len().is_none() => {
            notes.push("no declaration; valid UTF-8".to_owned());
            return Decision::new(UTF_8, CharsetSource::Detected, notes);
        }
        Err(_) => {}
    }
    let sample = &bytes[..bytes.len().min(DETECT_BYTES)];
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    feed_non_ascii(&mut detector, sample, sample.len() == bytes.len());
    let tld = url.and_then(tld_of);
    let encoding = detector.guess(
        tld.as_deref().map(str::as_bytes),
        chardetng::Utf8Detection::Allow,
    );
    notes.push(match &tld {
        Some(tld) => format!(
            "no declaration; chardetng guessed {} (tld .{tld})",
            encoding.name()
        ),
        None => format!("no declaration; chardetng guessed {}", encoding.name()),
    });
    Decision::new(encoding, CharsetSource::Detected, notes)
}

/// ASCII bytes kept on each side of a run of non-ASCII bytes when feeding chardetng: enough for
/// the word the run sits in (its candidates score a byte against its neighbours and the word
/// around it).
const DETECT_CONTEXT: usize = 32;

/// Feeds `detector` the parts of `sample` that can tell encodings apart: each run of non-ASCII
/// bytes with [`DETECT_CONTEXT`] ASCII bytes either side, widened to the nearest ASCII
/// whitespace, the gaps between them replaced by one space.
///
/// chardetng costs about the same per byte whatever the byte (about 10 MB/s here), and a page's
/// bytes are mostly ASCII markup that every candidate scores alike: on an undeclared Latin-1
/// page it took 60-90% of the time to score the page. Over the 1,271 non-UTF-8 pages of
/// `../shared/data/pages` and the training corpus, with four TLD hints each, the guess from
/// these windows was the guess from the whole sample every time, at a ninth of the cost.
/// `chardetng_guess_is_unchanged` checks five encodings.
fn feed_non_ascii(detector: &mut chardetng::EncodingDetector, sample: &[u8], last: bool) {
    non_ascii_windows(sample, |w| {
        detector.feed(w, false);
    });
    detector.feed(b"", last);
}

/// Calls `f` with the windows of [`feed_non_ascii`], in order, a single space standing for
/// each gap between them (and the skipped start).
fn non_ascii_windows(sample: &[u8], mut f: impl FnMut(&[u8])) {
    let n = sample.len();
    let mut pos = 0; // everything before `pos` is fed or skipped
    let mut i = 0;
    while i < n {
        if sample[i].is_ascii() {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < n && !sample[end].is_ascii() {
            end += 1;
        }
        // The window of this run: back to whitespace before i - CONTEXT, on to whitespace after
        // end + CONTEXT (or further while more non-ASCII runs come within the context).
        let mut start = i.saturating_sub(DETECT_CONTEXT).max(pos);
        while start > pos && !sample[start - 1].is_ascii_whitespace() {
            start -= 1;
        }
        let mut stop = end;
        loop {
            let limit = (stop + DETECT_CONTEXT).min(n);
            match sample[stop..limit].iter().position(|b| !b.is_ascii()) {
                Some(k) => {
                    stop += k;
                    while stop < n && !sample[stop].is_ascii() {
                        stop += 1;
                    }
                }
                None => {
                    stop = limit;
                    break;
                }
            }
        }
        while stop < n && !sample[stop].is_ascii_whitespace() {
            stop += 1;
        }
        if start > pos {
            f(b" ");
        }
        f(&sample[start..stop]);
        pos = stop;
        i = stop;
    }
}

/// Resolves a label with the WHATWG table and the meta-specific rules; records why a label is
/// unusable.
fn resolve(
    label: &[u8],
    from: &str,
    from_meta: bool,
    notes: &mut Vec<String>,
) -> Option<&'static Encoding> {
    let Some(encoding) = Encoding::for_label(label) else {
        notes.push(format!("{from} label '{}' unknown", shown(label)));
        return None;
    };
    if encoding == encoding_rs::REPLACEMENT {
        notes.push(format!(
            "{from} label '{}' maps to the replacement encoding; ignored",
            shown(label)
        ));
        return None;
    }
    if from_meta && (encoding == UTF_16LE || encoding == UTF_16BE) {
        notes.push(format!(
            "{from} named {} in ASCII bytes; UTF-8 per HTML",
            encoding.name()
        ));
        return Some(UTF_8);
    }
    if from_meta && encoding == X_USER_DEFINED {
        notes.push(format!(
            "{from} named x-user-defined; windows-1252 per HTML"
        ));
        return Some(WINDOWS_1252);
    }
    Some(encoding)
}

/// A label for display: lossy, trimmed, at most 40 characters.
fn shown(label: &[u8]) -> String {
    String::from_utf8_lossy(label)
        .trim()
        .chars()
        .take(40)
        .collect()
}

/// The rightmost DNS label of the URL's host, lower-case ASCII, as chardetng wants it (it
/// panics on anything else, so anything odd gives `None`).
fn tld_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host_port = rest.split(['/', '?', '#']).next()?;
    let host = host_port.rsplit_once('@').map_or(host_port, |(_, h)| h);
    let host = host.split(':').next()?.trim_end_matches('.');
    let tld = host.rsplit('.').next()?.to_ascii_lowercase();
    let ok = !tld.is_empty()
        && tld.len() <= 63
        && tld
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !tld.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(tld)
}

/// The value of a `charset=` parameter in a `Content-Type` value or meta `content`, as the
/// HTML standard's "extracting a character encoding from a meta element" reads it.
pub fn charset_param(s: &[u8]) -> Option<&[u8]> {
    let mut i = 0;
    while let Some(pos) = find_ci(&s[i..], b"charset") {
        let mut j = i + pos + 7;
        while j < s.len() && s[j].is_ascii_whitespace() {
            j += 1;
        }
        if s.get(j) != Some(&b'=') {
            i = j;
            continue;
        }
        j += 1;
        while j < s.len() && s[j].is_ascii_whitespace() {
            j += 1;
        }
        return match s.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let rest = &s[j + 1..];
                let end = memchr::memchr(q, rest)?;
                Some(&rest[..end])
            }
            Some(_) => {
                let rest = &s[j..];
                let end = rest
                    .iter()
                    .position(|b| *b == b';' || b.is_ascii_whitespace())
                    .unwrap_or(rest.len());
                Some(&rest[..end]).filter(|v| !v.is_empty())
            }
            None => None,
        };
    }
    None
}

/// The charset label declared by a `<meta>` in `head`, per a simplified HTML prescan.
pub fn prescan_meta(head: &[u8]) -> Option<&[u8]> {
    let mut i = 0;
    while let Some(lt) = head.get(i..).and_then(|h| memchr::memchr(b'<', h)) {
        i += lt;
        let rest = &head[i..];
        if rest.starts_with(b"<!--") {
            match find(&rest[4..], b"-->") {
                Some(p) => i += 4 + p + 3,
                // A comment still open at the end of the window hides the rest of it.
                None => return None,
            }
            continue;
        }
        if starts_with_ci(rest, b"<meta")
            && rest
                .get(5)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            let (label, end) = meta_charset(rest, 5);
            if label.is_some() {
                return label;
            }
            i += end.max(1);
            continue;
        }
        if rest.len() > 1
            && (rest[1].is_ascii_alphabetic() || matches!(rest[1], b'/' | b'!' | b'?'))
        {
            // Some other tag: skip its attributes (quotes honoured) so a '<meta' inside an
            // attribute value is not taken for a tag.
            let (_, end) = attributes(rest, 1, |_, _| {});
            i += end.max(1);
            continue;
        }
        i += 1;
    }
    None
}

/// Reads a meta tag's attributes from `tag[start..]`; returns the charset label and where the
/// tag ended.
fn meta_charset(tag: &[u8], start: usize) -> (Option<&[u8]>, usize) {
    let mut charset: Option<&[u8]> = None;
    let mut content: Option<&[u8]> = None;
    let mut http_equiv_ct = false;
    let (_, end) = attributes(tag, start, |name, value| {
        if name.eq_ignore_ascii_case(b"charset") && charset.is_none() {
            charset = Some(value);
        } else if name.eq_ignore_ascii_case(b"content") && content.is_none() {
            content = Some(value);
        } else if name.eq_ignore_ascii_case(b"http-equiv") {
            http_equiv_ct = value.trim_ascii().eq_ignore_ascii_case(b"content-type");
        }
    });
    if let Some(c) = charset.filter(|c| !c.trim_ascii().is_empty()) {
        return (Some(c), end);
    }
    if http_equiv_ct {
        if let Some(label) = content.and_then(charset_param) {
            return (Some(label), end);
        }
    }
    (None, end)
}

/// Walks attributes from `tag[i..]` to the closing `>`, calling `f(name, value)` for each, and
/// returns the position just past the tag. The tag name itself is skipped as a valueless
/// attribute. Lifetimes: names and values borrow `tag`.
fn attributes<'a>(
    tag: &'a [u8],
    mut i: usize,
    mut f: impl FnMut(&'a [u8], &'a [u8]),
) -> ((), usize) {
    let n = tag.len();
    loop {
        while i < n && (tag[i].is_ascii_whitespace() || tag[i] == b'/') {
            i += 1;
        }
        if i >= n {
            return ((), n);
        }
        if tag[i] == b'>' {
            return ((), i + 1);
        }
        let name_start = i;
        while i < n && !tag[i].is_ascii_whitespace() && !matches!(tag[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = &tag[name_start..i];
        while i < n && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < n && tag[i] == b'=' {
            i += 1;
            while i < n && tag[i].is_ascii_whitespace() {
                i += 1;
            }
            let value = match tag.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = memchr::memchr(q, &tag[start..]).map_or(n, |p| start + p);
                    i = (end + 1).min(n);
                    &tag[start..end]
                }
                Some(_) => {
                    let start = i;
                    while i < n && !tag[i].is_ascii_whitespace() && tag[i] != b'>' {
                        i += 1;
                    }
                    &tag[start..i]
                }
                None => &tag[n..],
            };
            f(name, value);
        } else if !name.is_empty() {
            f(name, &tag[i..i]);
        } else {
            i += 1;
        }
    }
}

fn starts_with_ci(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// Case-insensitive ASCII search for a lower-case `needle`.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of markup around `text`, encoded in `enc`, with no declaration.
    fn undeclared_page(text: &str, enc: &'static Encoding) -> Vec<u8> {
        let mut html = String::from("<html><head><title>x</title></head><body>\n");
        for (i, para) in text.split(". ").enumerate() {
            html.push_str(&format!(
                "<div class=\"row-{i}\"><a href=\"/section/{i}.html\">link {i}</a></div>\n"
            ));
            html.push_str(&format!("<p class=\"body-text\">{para}.</p>\n"));
        }
        html.push_str("</body></html>\n");
        enc.encode(&html).0.into_owned()
    }

    fn guess(bytes: &[u8], windows: bool) -> &'static Encoding {
        let mut d = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        if windows {
            feed_non_ascii(&mut d, bytes, true);
        } else {
            d.feed(bytes, true);
        }
        d.guess(None, chardetng::Utf8Detection::Allow)
    }

    #[test]
    fn chardetng_guess_is_unchanged() {
        let cases: &[(&str, &'static Encoding)] = &[
            (
                "Die Bürger der Stadt müssen künftig mehr für Müllgebühren zahlen. Der Gemeinderat \
                 beschloss die Erhöhung nach langer Debatte. Größere Haushalte trifft es stärker",
                WINDOWS_1252,
            ),
            (
                "Городской совет утвердил новый бюджет на следующий год. Расходы на образование \
                 вырастут на десять процентов. Депутаты спорили до позднего вечера",
                encoding_rs::WINDOWS_1251,
            ),
            (
                "市議会は来年度の予算案を可決した。教育費は一割増える見込みだ。議論は深夜まで続いた",
                encoding_rs::SHIFT_JIS,
            ),
            (
                "市议会通过了明年的预算案。教育支出将增加百分之十。代表们一直争论到深夜",
                encoding_rs::GBK,
            ),
            (
                "Rada miasta przyjęła budżet na przyszły rok. Wydatki na oświatę wzrosną o dziesięć \
                 procent. Radni spierali się do późnego wieczora",
                encoding_rs::ISO_8859_2,
            ),
        ];
        for &(text, enc) in cases {
            let page = undeclared_page(text, enc);
            assert_eq!(guess(&page, false), enc, "full feed of {}", enc.name());
            assert_eq!(guess(&page, true), enc, "windowed feed of {}", enc.name());
        }
    }

    #[test]
    fn windows_keep_every_non_ascii_byte_and_drop_most_markup() {
        let page = undeclared_page(
            "Die Bürger müssen künftig mehr zahlen. Größere Häuser trifft es stärker. Der Rat \
             tagte bis spät",
            WINDOWS_1252,
        );
        let mut fed = Vec::new();
        non_ascii_windows(&page, |w| fed.extend_from_slice(w));
        let non_ascii = |b: &[u8]| b.iter().filter(|b| !b.is_ascii()).count();
        assert_eq!(non_ascii(&fed), non_ascii(&page));
        assert!(fed.len() < page.len(), "{} of {}", fed.len(), page.len());
        // a window starts and ends at whitespace, so no word is cut
        let text = WINDOWS_1252.decode(&fed).0.into_owned();
        assert!(text.contains("Bürger"), "{text}");
        let ascii_only = b"<html><body><p>plain ascii only</p></body></html>";
        let mut none = 0;
        non_ascii_windows(ascii_only, |_| none += 1);
        assert_eq!(none, 0);
    }

    #[test]
    fn charset_param_forms() {
        assert_eq!(
            charset_param(b"text/html; charset=windows-1251"),
            Some(&b"windows-1251"[..])
        );
        assert_eq!(
            charset_param(b"text/html;charset=\"Shift_JIS\""),
            Some(&b"Shift_JIS"[..])
        );
        assert_eq!(
            charset_param(b"text/html; CHARSET = koi8-r ; x=y"),
            Some(&b"koi8-r"[..])
        );
        assert_eq!(charset_param(b"text/html"), None);
        assert_eq!(charset_param(b"charset="), None);
    }

    #[test]
    fn prescan_finds_meta_forms() {
        assert_eq!(
            prescan_meta(b"<html><head><meta charset=\"gbk\">"),
            Some(&b"gbk"[..])
        );
        assert_eq!(
            prescan_meta(b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=koi8-r'>"),
            Some(&b"koi8-r"[..])
        );
        // Inside a comment or an attribute value: not a declaration.
        assert_eq!(
            prescan_meta(b"<!-- <meta charset=koi8-r> --><p>x</p>"),
            None
        );
        assert_eq!(
            prescan_meta(b"<div title='<meta charset=koi8-r>'>x</div>"),
            None
        );
        // A content without http-equiv does not count.
        assert_eq!(
            prescan_meta(b"<meta content='text/html; charset=koi8-r'>"),
            None
        );
    }

    #[test]
    fn meta_rules_and_unknown_labels() {
        let mut notes = Vec::new();
        let d = declared(b"<meta charset=utf-16><p>hi</p>", None, &mut notes).unwrap();
        assert_eq!(d.encoding, UTF_8);
        let d = declared(b"<meta charset=x-user-defined>", None, &mut notes).unwrap();
        assert_eq!(d.encoding, WINDOWS_1252);
        let mut notes = Vec::new();
        assert!(declared(
            b"<meta charset=klingon>",
            Some("text/html; charset=foo"),
            &mut notes
        )
        .is_none());
        assert!(
            notes.iter().any(|n| n.contains("'foo' unknown")),
            "{notes:?}"
        );
        assert!(
            notes.iter().any(|n| n.contains("'klingon' unknown")),
            "{notes:?}"
        );
    }

    #[test]
    fn tld_extraction_is_safe() {
        assert_eq!(
            tld_of("https://www.example.ru/a/b?c").as_deref(),
            Some("ru")
        );
        assert_eq!(
            tld_of("http://user@Example.JP:8080/").as_deref(),
            Some("jp")
        );
        assert_eq!(tld_of("http://127.0.0.1/"), None);
        assert_eq!(tld_of("http://пример.рф/"), None);
        assert_eq!(tld_of(""), None);
    }

    #[test]
    fn utf16_pattern_both_orders() {
        // encode() outputs UTF-8 for UTF-16 targets, per the WHATWG spec; build bytes by hand.
        let text = "<p>hello world, a page</p>";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(
            utf16_pattern(&le, &mut Vec::new()).unwrap().encoding,
            UTF_16LE
        );
        assert_eq!(
            utf16_pattern(&be, &mut Vec::new()).unwrap().encoding,
            UTF_16BE
        );
        assert!(utf16_pattern(text.as_bytes(), &mut Vec::new()).is_none());
    }
}
