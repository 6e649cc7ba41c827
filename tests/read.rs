//! The read stage: charset decision in browser order, gzip, limits, bad input. Every page here
//! is written for this test and encoded in the test with `encoding_rs`.

use std::io::Write;

use encoding_rs::{Encoding, GBK, SHIFT_JIS, WINDOWS_1251};
use pagescore::extract::{self, ads::AdMatcher, ExtractLimits};
use pagescore::read::{read, CharsetSource, Document, DocumentKind, RawPage, ReadLimits};
use pagescore::Error;

const RU: &str = "Городской совет утвердил новый план ремонта дорог на следующий год. \
Жители района давно жаловались на ямы и плохое освещение улиц. По словам председателя, \
работы начнутся весной и займут около шести месяцев. Для контроля качества будет создана \
отдельная комиссия из местных инженеров. Первые участки откроют для движения уже в начале лета.";

const JA: &str = "市役所は来年度の道路補修計画を発表しました。住民は長い間、道路の穴や街灯の\
不足について不満を訴えていました。議長によると、工事は春に始まり、約半年かかる見込みです。\
品質を確認するため、地元の技術者による委員会が設けられます。最初の区間は夏の初めに開通する予定です。";

const ZH: &str = "市政府宣布了明年的道路维修计划。居民们长期以来一直抱怨路面坑洼和路灯不足的问题。\
据负责人介绍，工程将于春季开始，预计持续约六个月。为了保证质量，将成立由当地工程师组成的专门委员会。\
第一批路段预计在初夏重新开放通行。";

fn page(head: &str, body: &str) -> String {
    format!("<!DOCTYPE html><html><head>{head}<title>Report</title></head><body><h1>Report</h1><p>{body}</p><p>{body}</p></body></html>")
}

fn encode(enc: &'static Encoding, s: &str) -> Vec<u8> {
    let (bytes, used, unmappable) = enc.encode(s);
    assert_eq!(used, enc, "encoder switched encoding");
    assert!(!unmappable, "text not representable in {}", enc.name());
    bytes.into_owned()
}

fn utf16(s: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if le { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
    }
    for u in s.encode_utf16() {
        out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

fn read_bytes(bytes: &[u8]) -> Document {
    read_with(bytes, None, None)
}

fn read_with(bytes: &[u8], content_type: Option<&str>, url: Option<&str>) -> Document {
    let raw = RawPage {
        bytes,
        url,
        content_type,
        name_hint: None,
    };
    read(&raw, &ReadLimits::default()).expect("page should read")
}

fn read_err(bytes: &[u8]) -> String {
    let raw = RawPage {
        bytes,
        ..RawPage::default()
    };
    match read(&raw, &ReadLimits::default()) {
        Err(Error::Input(msg)) => msg,
        other => panic!("expected an input error, got {other:?}"),
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

#[test]
fn legacy_charsets_declared_in_meta_decode_exactly() {
    let cases: [(&'static Encoding, &str, &str); 3] = [
        (WINDOWS_1251, "windows-1251", RU),
        (SHIFT_JIS, "shift_jis", JA),
        (GBK, "gb2312", ZH),
    ];
    for (enc, label, text) in cases {
        let html = page(&format!("<meta charset=\"{label}\">"), text);
        let doc = read_bytes(&encode(enc, &html));
        assert_eq!(doc.charset, enc.name(), "{label}");
        assert_eq!(doc.charset_source, CharsetSource::Meta, "{label}");
        assert_eq!(doc.text, html, "{label}: exact decode");
        assert!(!doc.had_decode_errors);
        assert_eq!(doc.kind, DocumentKind::Html);
        assert!(doc
            .charset_note
            .as_deref()
            .unwrap_or("")
            .contains("meta said"));
    }
}

#[test]
fn http_equiv_meta_is_honoured() {
    let html = page(
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">",
        RU,
    );
    let doc = read_bytes(&encode(WINDOWS_1251, &html));
    assert_eq!(doc.charset, "windows-1251");
    assert_eq!(doc.text, html);
}

#[test]
fn legacy_charsets_without_declaration_are_detected() {
    for (enc, text) in [(WINDOWS_1251, RU), (SHIFT_JIS, JA), (GBK, ZH)] {
        let html = page("", text);
        let doc = read_bytes(&encode(enc, &html));
        assert_eq!(
            doc.charset_source,
            CharsetSource::Detected,
            "{}",
            enc.name()
        );
        assert_eq!(doc.charset, enc.name());
        assert!(
            doc.text.contains(text),
            "{}: detected text differs",
            enc.name()
        );
    }
}

#[test]
fn tld_hint_reaches_detection() {
    let html = page("", RU);
    let doc = read_with(
        &encode(WINDOWS_1251, &html),
        None,
        Some("https://news.example.ru/city/roads"),
    );
    assert_eq!(doc.charset, "windows-1251");
    assert!(doc.charset_note.unwrap().contains(".ru"));
}

#[test]
fn utf16_with_and_without_bom() {
    let html = page("", RU);
    for le in [true, false] {
        let with = read_bytes(&utf16(&html, le, true));
        assert_eq!(with.charset_source, CharsetSource::Bom);
        assert_eq!(with.charset, if le { "UTF-16LE" } else { "UTF-16BE" });
        assert_eq!(with.text, html);

        let without = read_bytes(&utf16(&html, le, false));
        assert_eq!(without.charset_source, CharsetSource::Detected);
        assert_eq!(without.charset, if le { "UTF-16LE" } else { "UTF-16BE" });
        assert_eq!(without.text, html);
        assert_eq!(without.kind, DocumentKind::Html);
    }
}

#[test]
fn content_type_beats_meta() {
    let html = page("<meta charset=\"koi8-r\">", RU);
    let doc = read_with(
        &encode(WINDOWS_1251, &html),
        Some("text/html; charset=windows-1251"),
        None,
    );
    assert_eq!(doc.charset_source, CharsetSource::ContentType);
    assert_eq!(doc.charset, "windows-1251");
    assert_eq!(doc.text, html);
}

#[test]
fn bom_beats_content_type() {
    let html = page("<meta charset=\"koi8-r\">", RU);
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(html.as_bytes());
    let doc = read_with(&bytes, Some("text/html; charset=windows-1251"), None);
    assert_eq!(doc.charset_source, CharsetSource::Bom);
    assert_eq!(doc.charset, "UTF-8");
    assert_eq!(doc.text, html, "BOM stripped, text intact");
}

#[test]
fn unknown_label_falls_through_and_is_recorded() {
    let html = page("<meta charset=\"no-such-charset\">", RU);
    let doc = read_with(
        &encode(WINDOWS_1251, &html),
        Some("text/html; charset=klingon-8"),
        None,
    );
    assert_eq!(doc.charset_source, CharsetSource::Detected);
    assert_eq!(doc.charset, "windows-1251");
    let note = doc.charset_note.unwrap();
    assert!(note.contains("'klingon-8' unknown"), "{note}");
    assert!(note.contains("'no-such-charset' unknown"), "{note}");
}

#[test]
fn gzip_is_read_transparently() {
    let html = page("<meta charset=\"windows-1251\">", RU);
    let packed = gzip(&encode(WINDOWS_1251, &html));
    let doc = read_bytes(&packed);
    assert!(doc.gzipped);
    assert_eq!(doc.text, html);
    assert_eq!(doc.input_bytes, encode(WINDOWS_1251, &html).len());
}

#[test]
fn corrupt_gzip_is_a_clear_input_error() {
    let mut packed = gzip(page("", "A short English page about rivers.").as_bytes());
    let n = packed.len();
    packed[n / 2..].iter_mut().for_each(|b| *b ^= 0x5A);
    let msg = read_err(&packed);
    assert!(msg.contains("gzip"), "{msg}");
}

#[test]
fn gzip_bomb_is_cut_at_the_cap() {
    let big = vec![b'a'; 4 << 20];
    let packed = gzip(&big);
    let raw = RawPage {
        bytes: &packed,
        ..RawPage::default()
    };
    let limits = ReadLimits {
        max_input_bytes: 64 * 1024,
    };
    let doc = read(&raw, &limits).unwrap();
    assert!(doc.truncated);
    assert_eq!(doc.text.len(), 64 * 1024);
}

#[test]
fn truncation_flags_and_cuts_on_a_char_boundary() {
    let html = page("<meta charset=\"utf-8\">", RU);
    // 301 lands inside a two-byte Cyrillic letter somewhere in the body.
    for cap in [300, 301] {
        let raw = RawPage {
            bytes: html.as_bytes(),
            ..RawPage::default()
        };
        let doc = read(
            &raw,
            &ReadLimits {
                max_input_bytes: cap,
            },
        )
        .unwrap();
        assert!(doc.truncated);
        assert_eq!(doc.input_bytes, html.len());
        assert!(doc.text.len() <= cap);
        assert!(html.starts_with(&doc.text), "a prefix of the page");
        assert!(
            !doc.had_decode_errors,
            "a cut character is not a decode error"
        );
    }
    // Legacy encodings too: a cut Shift_JIS character is dropped, not replaced.
    let sjis = encode(SHIFT_JIS, &page("<meta charset=\"shift_jis\">", JA));
    let raw = RawPage {
        bytes: &sjis,
        ..RawPage::default()
    };
    let doc = read(
        &raw,
        &ReadLimits {
            max_input_bytes: 151,
        },
    )
    .unwrap();
    assert!(doc.truncated);
    assert!(!doc.text.contains('\u{FFFD}'));
}

#[test]
fn empty_input_is_an_empty_document_and_page() {
    let doc = read_bytes(b"");
    assert!(doc.text.is_empty());
    assert!(!doc.truncated);
    let page = extract::extract(&doc, &ExtractLimits::default(), &AdMatcher::default()).unwrap();
    assert!(page.title.text.is_empty());
    assert!(page.main_text.is_empty());
    assert!(page.link_blocks.is_empty());
}

#[test]
fn binary_garbage_is_a_clear_error() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&[7; 200]);
    let msg = read_err(&png);
    assert!(msg.contains("PNG image, not a page"), "{msg}");

    let msg = read_err(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj");
    assert!(msg.contains("PDF"), "{msg}");

    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let noise: Vec<u8> = (0..20_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let msg = read_err(&noise);
    assert!(msg.contains("binary"), "{msg}");
}

#[test]
fn stray_nul_bytes_in_html_still_decode() {
    let html = page(
        "",
        "Rivers carry sediment to the sea, and the delta grows each year.",
    );
    let mut bytes = html.into_bytes();
    for i in (40..bytes.len()).step_by(61) {
        bytes[i] = 0;
    }
    let doc = read_bytes(&bytes);
    assert_eq!(doc.kind, DocumentKind::Html);
    assert!(doc.text.contains("<body>"));
    assert!(doc.text.contains('\0'));
}

fn kind_of(bytes: &[u8], content_type: Option<&str>, name_hint: Option<&str>) -> DocumentKind {
    let raw = RawPage {
        bytes,
        url: None,
        content_type,
        name_hint,
    };
    read(&raw, &ReadLimits::default()).unwrap().kind
}

#[test]
fn kind_follows_hints_then_content() {
    let text = "A headline\nA paragraph of plain words that has no markup in it at all.".as_bytes();
    let html = page("", "Words.");
    let html = html.as_bytes();
    assert_eq!(kind_of(text, None, None), DocumentKind::Text);
    assert_eq!(kind_of(html, None, None), DocumentKind::Html);
    assert_eq!(
        kind_of(html, Some("text/plain; charset=utf-8"), None),
        DocumentKind::Text
    );
    assert_eq!(
        kind_of(html, None, Some("dump/page.txt")),
        DocumentKind::Text
    );
    assert_eq!(
        kind_of(html, None, Some("dump/page.txt.gz")),
        DocumentKind::Text
    );
    assert_eq!(kind_of(text, None, Some("page.html")), DocumentKind::Html);
    // text/html with no markup at all is read as text.
    assert_eq!(kind_of(text, Some("text/html"), None), DocumentKind::Text);
}

#[test]
fn arbitrary_bytes_never_panic() {
    // Pieces that steer the reader into its corners: markup, comments, quotes, BOMs, gzip magic,
    // UTF-16 zero bytes, high bytes.
    const PIECES: &[&[u8]] = &[
        b"<",
        b"<!--",
        b"-->",
        b"<meta",
        b" charset=",
        b"'",
        b"\"",
        b"http-equiv=content-type",
        b" content=\"text/html; charset=",
        b"utf-16",
        b"koi8-r",
        b">",
        b"\xEF\xBB\xBF",
        b"\xFF\xFE",
        b"\x1f\x8b",
        b"\0",
        b"a",
        b" ",
        b"\xC3",
        b"\xA9",
        b"\x82\xA0",
        b"\n",
    ];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for round in 0..2_000 {
        let len = (next() % 40) as usize;
        let mut bytes = Vec::new();
        for _ in 0..len {
            bytes.extend_from_slice(PIECES[(next() % PIECES.len() as u64) as usize]);
        }
        let cap = if round % 3 == 0 { 17 } else { 1 << 20 };
        let raw = RawPage {
            bytes: &bytes,
            url: Some("http://example.ru/x"),
            content_type: (round % 5 == 0).then_some("text/html; charset=\"shift_jis"),
            name_hint: None,
        };
        if let Ok(doc) = read(
            &raw,
            &ReadLimits {
                max_input_bytes: cap,
            },
        ) {
            assert!(doc.text.len() <= cap.max(1) * 3 + 3);
            let _ = extract::extract(&doc, &ExtractLimits::default(), &AdMatcher::default());
        }
    }
}
