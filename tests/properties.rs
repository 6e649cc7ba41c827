//! Property tests (issue 6): for any bytes and any content type, [`Scorer::score`] returns a
//! probability in [0, 1] with finite signal values, or an error; it never panics.
//!
//! Two generators: raw bytes (reaching the reader: charset, gzip, binary), and HTML-like soup
//! (random tags, attributes, entities, comments, deep nesting) that gets past the reader and
//! exercises the extractor. The case count is modest so the suite stays within a few seconds;
//! raise it with `PROPTEST_CASES=5000 cargo test --release --test properties`.

use pagescore::read::RawPage;
use pagescore::signals::{Explain, SCHEMA};
use pagescore::Scorer;
use proptest::prelude::*;

fn scorer() -> &'static Scorer {
    static S: std::sync::OnceLock<Scorer> = std::sync::OnceLock::new();
    S.get_or_init(|| Scorer::embedded().expect("the embedded model loads"))
}

/// Content types a crawler hands in, from the right one to nonsense.
fn content_type() -> impl Strategy<Value = Option<&'static str>> {
    prop::sample::select(vec![
        None,
        Some("text/html"),
        Some("text/html; charset=utf-8"),
        Some("text/html; charset=utf-16"),
        Some("text/html; charset=windows-1251"),
        Some("text/html; charset=shift_jis"),
        Some("text/html; charset=x-unknown-label"),
        Some("text/plain"),
        Some("application/octet-stream"),
        Some("application/gzip"),
        Some("\0garbage;;charset=\u{ffff}"),
    ])
}

fn name_hint() -> impl Strategy<Value = Option<&'static str>> {
    prop::sample::select(vec![
        None,
        Some("page.html"),
        Some("page.txt"),
        Some("page.html.gz"),
    ])
}

/// Checks the contract on one input: a sane score or an error, and `inspect` agrees.
fn check(bytes: &[u8], content_type: Option<&str>, name_hint: Option<&str>) {
    let raw = RawPage {
        bytes,
        url: Some("https://example.test/a/b.html"),
        content_type,
        name_hint,
    };
    for explain in [Explain::Skip, Explain::Detailed] {
        match scorer().score(&raw, explain) {
            Ok(s) => {
                assert!(
                    (0.0..=1.0).contains(&s.spam_probability),
                    "probability {}",
                    s.spam_probability
                );
                assert_eq!(s.signals.len(), SCHEMA.len());
                for sig in &s.signals {
                    assert!(sig.value.is_finite(), "{} = {}", sig.name, sig.value);
                    assert!(sig.contribution.is_finite(), "{} contribution", sig.name);
                }
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
    // Inspecting the same page succeeds exactly when scoring does (scoring = inspect + math).
    let inspected = scorer().inspect(&raw).is_ok();
    let scored = scorer().score(&raw, Explain::Skip).is_ok();
    assert_eq!(inspected, scored, "inspect and score disagree");
}

/// One fragment of HTML-like soup.
fn fragment() -> impl Strategy<Value = String> {
    let tag = prop::sample::select(vec![
        "html",
        "head",
        "body",
        "title",
        "meta",
        "link",
        "script",
        "style",
        "div",
        "p",
        "a",
        "h1",
        "h2",
        "h3",
        "ul",
        "li",
        "nav",
        "header",
        "footer",
        "aside",
        "main",
        "article",
        "time",
        "span",
        "table",
        "tr",
        "td",
        "svg",
        "math",
        "template",
        "noscript",
        "iframe",
        "br",
        "img",
        "textarea",
        "plaintext",
        "xmp",
        "select",
        "option",
        "form",
        "frameset",
    ]);
    let attr = prop::sample::select(vec![
        "href",
        "class",
        "id",
        "rel",
        "content",
        "property",
        "name",
        "charset",
        "http-equiv",
        "datetime",
        "lang",
        "src",
        "type",
        "itemprop",
        "dir",
        "title",
        "alt",
    ]);
    let value = prop::sample::select(vec![
        "",
        "/",
        "https://other.example/x?a=1&b=2",
        "canonical",
        "sponsored",
        "nofollow",
        "og:title",
        "article:published_time",
        "2024-02-29T10:00:00Z",
        "2024-13-45",
        "utf-16",
        "windows-1252",
        "x-klingon",
        "text/html; charset=koi8-r",
        "ad banner sponsored",
        "breadcrumb",
        "byline",
        "related",
        "application/ld+json",
        "rtl",
        "\u{0}",
        "\"",
        "'",
        "&amp;",
        "javascript:alert(1)",
    ]);
    let text = prop::sample::select(vec![
        "Hello world. ",
        "By Jane Doe",
        "Feb. 24, 2022",
        "Related",
        "Trending Now",
        "Sponsored",
        "Likes (63925)",
        "WASHINGTON (AP) — ",
        "&amp;",
        "&lt;",
        "&#x1F600;",
        "&#0;",
        "&#xD800;",
        "&nbsp;",
        "&notanentity",
        "é",
        "中文",
        "العربية",
        "😀",
        "\u{0}",
        "\u{FEFF}",
        "\u{202E}",
        "<",
        ">",
        "</",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<!doctype x>",
        "<?php ?>",
        "{\"datePublished\":\"2020-01-01\"}",
    ]);
    prop_oneof![
        (tag.clone(), prop::collection::vec((attr, value), 0..4)).prop_map(|(t, attrs)| {
            let mut s = format!("<{t}");
            for (a, v) in attrs {
                s.push_str(&format!(" {a}=\"{v}\""));
            }
            s.push('>');
            s
        }),
        tag.prop_map(|t| format!("</{t}>")),
        text.prop_map(str::to_owned),
        "[a-z <>&;\"'=/!-]{0,20}",
    ]
}

/// A document of soup, optionally wrapped in deep nesting.
fn soup() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(fragment(), 0..200),
        0usize..3000,
        prop::sample::select(vec!["div", "b", "a", "table", "li", "span"]),
    )
        .prop_map(|(parts, depth, nest)| {
            let mut s = format!("<{nest}>").repeat(depth);
            s.extend(parts);
            s.push_str(&format!("</{nest}>").repeat(depth / 2));
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_bytes_score_or_error(
        bytes in prop::collection::vec(any::<u8>(), 0..4096),
        ct in content_type(),
        hint in name_hint(),
    ) {
        check(&bytes, ct, hint);
    }

    #[test]
    fn any_bytes_behind_a_gzip_or_bom_prefix(
        prefix in prop::sample::select(vec![
            &b"\x1f\x8b"[..], b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", b"\xef\xbb\xbf",
            b"\xff\xfe", b"\xfe\xff", b"<meta charset=utf-16>", b"<meta charset=gb18030>",
        ]),
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        ct in content_type(),
    ) {
        let mut v = prefix.to_vec();
        v.extend(bytes);
        check(&v, ct, None);
    }

    #[test]
    fn html_soup_score_or_error(doc in soup(), ct in content_type()) {
        check(doc.as_bytes(), ct, None);
        check(doc.as_bytes(), Some("text/html; charset=utf-8"), None);
    }

    #[test]
    fn gzipped_soup_score_or_error(doc in soup()) {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(doc.as_bytes()).expect("in-memory write");
        let gz = enc.finish().expect("in-memory write");
        check(&gz, Some("text/html"), Some("page.html.gz"));
        check(&gz[..gz.len() / 2], Some("text/html"), None);
    }
}
