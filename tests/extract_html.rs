//! HTML extraction on pages written for these tests (tests/fixtures/html): title and suffix,
//! main text without navigation, banners and link lists, link blocks with their headings and
//! every link, external flags, dates, breadcrumb, ad markers, and hostile input (deep nesting,
//! a million links, truncation) that must finish bounded.

use std::time::{Duration, Instant};

use pagescore::extract::ads::AdMatcher;
use pagescore::extract::{self, AdMarkerKind, DateSource, ExtractLimits, LinkBlock, Page};
use pagescore::read::{self, RawPage, ReadLimits};

/// A tiny EasyList: generic selectors and one ad-network host.
const EASYLIST: &str = "\
! test list
##.ad-slot
###top-banner
##.werbung
example.org##.not-generic
||adnet-sample.test^$third-party
";

fn page_with(html: &str, url: Option<&str>, limits: &ExtractLimits) -> Page {
    let raw = RawPage {
        bytes: html.as_bytes(),
        url,
        content_type: None,
        name_hint: Some("page.html"),
    };
    let doc = read::read(&raw, &ReadLimits::default()).expect("read");
    extract::extract(&doc, limits, &AdMatcher::compile(EASYLIST)).expect("extract")
}

fn fixture(name: &str, url: &str) -> Page {
    let path = format!("{}/tests/fixtures/html/{name}", env!("CARGO_MANIFEST_DIR"));
    let html = std::fs::read_to_string(&path).expect("fixture");
    page_with(&html, Some(url), &ExtractLimits::default())
}

fn main_text(p: &Page) -> String {
    p.main_text.join("\n")
}

fn block<'a>(p: &'a Page, heading: &str) -> &'a LinkBlock {
    p.link_blocks
        .iter()
        .find(|b| b.heading.as_deref() == Some(heading))
        .unwrap_or_else(|| panic!("no link block {heading:?} in {:#?}", p.link_blocks))
}

fn link_texts(b: &LinkBlock) -> Vec<&str> {
    b.links.iter().map(|l| l.text.as_str()).collect()
}

#[test]
fn scraper_page() {
    let p = fixture(
        "scraper.html",
        "https://www.dailywiremirror.example/2025/04/pier",
    );
    assert_eq!(
        p.title.text,
        "Harbor Town Votes to Rebuild Its Old Ferry Pier"
    );
    assert_eq!(p.title.suffix.as_deref(), Some("Daily Wire Mirror"));
    let text = main_text(&p);
    for want in [
        "storms damaged two winters ago",
        "treated timber",
        "Residents who spoke",
    ] {
        assert!(text.contains(want), "main text lacks {want:?}: {text}");
    }
    for unwanted in ["Pop star", "cat learned", "Huge discounts", "Sports"] {
        assert!(
            !text.contains(unwanted),
            "main text has {unwanted:?}: {text}"
        );
    }
    let related = block(&p, "Related");
    assert_eq!(
        link_texts(related),
        [
            "Pop star reveals the one fruit she never eats",
            "Ten red carpet looks nobody expected this year",
            "Man wins lottery twice in one week with same numbers"
        ]
    );
    assert_eq!(
        related.links.iter().map(|l| l.external).collect::<Vec<_>>(),
        [true, true, false]
    );
    assert_eq!(block(&p, "Trending Now").links.len(), 2);
    assert!(p
        .dates
        .iter()
        .any(|d| d.source == DateSource::VisibleLine && d.ymd == Some((2025, 4, 15))));
    assert!(
        p.counters.iter().any(|c| c.contains("4821")),
        "{:?}",
        p.counters
    );
    let has = |kind: AdMarkerKind, ev: &str| {
        p.ad_markers
            .iter()
            .any(|m| m.kind == kind && m.evidence.to_lowercase().contains(ev))
    };
    assert!(
        has(AdMarkerKind::AdSelector, ".ad-slot"),
        "{:?}",
        p.ad_markers
    );
    assert!(has(AdMarkerKind::AdSelector, "#top-banner"));
    assert!(has(AdMarkerKind::AdNetworkHost, "adnet-sample.test"));
    assert!(has(AdMarkerKind::Label, "advertisement"));
    assert!(p.stats.scripts == 1 && p.stats.links >= 9 && p.stats.external_links >= 5);
}

#[test]
fn clean_news_article() {
    let p = fixture(
        "news.html",
        "https://www.valleycourier.example/business/rail-order",
    );
    assert_eq!(
        p.title.text,
        "Rail operator orders forty new electric trains"
    );
    assert_eq!(p.title.suffix.as_deref(), Some("The Valley Courier"));
    assert_eq!(p.lang.as_deref(), Some("en-gb"));
    assert_eq!(
        p.canonical_url.as_deref(),
        Some("https://www.valleycourier.example/business/rail-order")
    );
    let text = main_text(&p);
    for want in [
        "forty battery-electric trains",
        "twelve minutes",
        "depot in the valley",
    ] {
        assert!(text.contains(want), "main text lacks {want:?}: {text}");
    }
    for unwanted in [
        "cookies",
        "Accept all",
        "Copyright",
        "Weather",
        "Depot jobs secured",
    ] {
        assert!(
            !text.contains(unwanted),
            "main text has {unwanted:?}: {text}"
        );
    }
    let more = block(&p, "More on rail");
    assert_eq!(more.links.len(), 3);
    assert!(
        more.links.iter().all(|l| !l.external),
        "same site: {more:?}"
    );
    let nav = block(&p, "Main menu");
    assert_eq!(nav.region, "nav");
    assert_eq!(link_texts(nav), ["Home", "Business", "Weather"]);
    let footer = p.link_blocks.iter().find(|b| b.region == "footer");
    assert!(
        footer.is_some_and(|b| b.links.len() == 2),
        "{:#?}",
        p.link_blocks
    );
    for src in [
        DateSource::Meta,
        DateSource::JsonLd,
        DateSource::TimeElement,
    ] {
        assert!(
            p.dates
                .iter()
                .any(|d| d.source == src && d.ymd == Some((2025, 3, 2))),
            "{src:?} in {:?}",
            p.dates
        );
    }
    assert_eq!(p.breadcrumb, ["Home", "Business"]);
    assert!(p.bylines.iter().any(|b| b.contains("Priya Lindqvist")));
    assert!(p.ad_markers.is_empty(), "{:?}", p.ad_markers);
}

#[test]
fn recommendation_widget_with_sponsored_cards() {
    let p = fixture("widget.html", "https://plants.example/repot-fig");
    assert!(main_text(&p).contains("loosen the root ball"));
    assert!(!main_text(&p).contains("weird trick"));
    let rec = block(&p, "Recommended for you");
    assert_eq!(
        link_texts(rec),
        [
            "Doctors hate this one weird trick for paying off loans",
            "These shoes are selling out everywhere",
            "Monstera care in ten steps"
        ]
    );
    assert_eq!(
        rec.links.iter().map(|l| l.external).collect::<Vec<_>>(),
        [true, true, false]
    );
    let sponsored = p
        .ad_markers
        .iter()
        .filter(|m| m.kind == AdMarkerKind::RelSponsored)
        .count();
    assert!(sponsored >= 2, "{:?}", p.ad_markers);
    assert!(p
        .ad_markers
        .iter()
        .any(|m| m.kind == AdMarkerKind::Label && m.evidence == "sponsored"));
}

#[test]
fn german_page_with_weitere_artikel() {
    let p = fixture(
        "german.html",
        "https://www.rheinblatt.example/lokales/bibliothek",
    );
    assert_eq!(p.lang.as_deref(), Some("de"));
    assert_eq!(
        p.title.text,
        "Stadtbibliothek verlängert Öffnungszeiten am Wochenende"
    );
    assert_eq!(p.title.suffix.as_deref(), Some("Rheinblatt"));
    let text = main_text(&p);
    assert!(text.contains("Selbstverbuchung"), "{text}");
    assert!(
        !text.contains("Weitere Artikel") && !text.contains("Radweg"),
        "{text}"
    );
    let more = block(&p, "Weitere Artikel");
    assert_eq!(more.links.len(), 3);
    assert_eq!(more.links[1].text, "Wochenmarkt zieht auf den Rathausplatz");
    assert_eq!(p.breadcrumb, ["Startseite", "Lokales"]);
    assert!(p
        .ad_markers
        .iter()
        .any(|m| m.kind == AdMarkerKind::Label && m.evidence == "anzeige"));
    assert!(p
        .ad_markers
        .iter()
        .any(|m| m.kind == AdMarkerKind::AdSelector && m.evidence == ".werbung"));
}

#[test]
fn deeply_nested_markup_is_bounded() {
    let n = 100_000;
    let html = format!(
        "<html><body>{}<p>Deep inside a very nested page there is still a sentence, and it is found.</p>{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    let t = Instant::now();
    let p = page_with(&html, None, &ExtractLimits::default());
    assert!(t.elapsed() < Duration::from_secs(20));
    assert!(
        p.stats.limit_hit || main_text(&p).contains("still a sentence"),
        "{:?}",
        p.main_text
    );
    // With a small element budget the pass stops and says so.
    let small = ExtractLimits {
        max_elements: 1_000,
        ..ExtractLimits::default()
    };
    let p = page_with(&html, None, &small);
    assert!(p.stats.limit_hit);
    assert!(p.stats.elements <= 1_000);
}

#[test]
fn many_links_are_capped() {
    let n = 200_000;
    let mut html = String::from("<html><body><ul>");
    for i in 0..n {
        html.push_str(&format!("<li><a href=\"/p{i}\">item {i}</a>"));
    }
    html.push_str("</ul></body></html>");
    let limits = ExtractLimits::default();
    let p = page_with(&html, Some("https://big.example/"), &limits);
    assert_eq!(p.stats.links, n);
    let kept: usize = p.link_blocks.iter().map(|b| b.links.len()).sum();
    assert!(kept > 0 && kept <= limits.max_links, "kept {kept}");
}

#[test]
fn truncated_page_still_extracts() {
    let path = format!(
        "{}/tests/fixtures/html/news.html",
        env!("CARGO_MANIFEST_DIR")
    );
    let html = std::fs::read_to_string(path).expect("fixture");
    // Cut in the middle of the tag that opens the third paragraph, and inside an attribute.
    let cut = html.find("<p>Unions").expect("marker") + 2;
    let p = page_with(&html[..cut], None, &ExtractLimits::default());
    assert!(
        main_text(&p).contains("twelve minutes"),
        "{:?}",
        p.main_text
    );
    assert!(!main_text(&p).contains("Unions"));
    let cut = html.find("class=\"article-body").expect("marker") + 10;
    let p = page_with(&html[..cut], None, &ExtractLimits::default());
    assert_eq!(
        p.title.text,
        "Rail operator orders forty new electric trains"
    );
}

#[test]
fn empty_and_garbage_input() {
    let p = page_with("", None, &ExtractLimits::default());
    assert!(p.main_text.is_empty() && p.link_blocks.is_empty());
    let garbage = "<<<>>></a></div><p <a href='x' <! -- <script>never closed";
    let p = page_with(garbage, None, &ExtractLimits::default());
    assert!(p.link_blocks.is_empty());
    let entities = "<p>Fish &amp; chips &eacute;t&#233; &#x1F600; &unknown; done, and a long sentence follows here.</p>";
    let p = page_with(entities, None, &ExtractLimits::default());
    assert!(
        main_text(&p).contains("Fish & chips été 😀 &unknown; done"),
        "{:?}",
        p.main_text
    );
}

#[test]
fn a_dateline_after_the_headline_and_byline_is_found_but_not_one_deep_in_the_story() {
    let body =
        "Shoppers returned to the high street in the spring as prices eased and the weather \
                warmed, retailers said in their quarterly survey of trading.";
    let html = |paras: &[&str]| {
        let ps: String = paras.iter().map(|p| format!("<p>{p}</p>")).collect();
        format!(
            "<html><head><title>Shoppers return to the high street</title></head><body>\
             <article><h1>Shoppers return to the high street as prices ease in spring</h1>\
             <div class=\"meta\">By Jane Doe, retail correspondent</div>{ps}</article></body></html>"
        )
    };
    // The main text opens with the headline and the byline; the story's first paragraph
    // carries the agency's dateline.
    let wire = format!("(Reuters) - {body}");
    let page = page_with(
        &html(&[&wire, body, body, body]),
        Some("https://news.example.org/retail"),
        &ExtractLimits::default(),
    );
    assert_eq!(page.datelines, ["(Reuters) -"], "{:?}", page.main_text);

    // A quoted agency item far down the story is no dateline of the page.
    let page = page_with(
        &html(&[body, body, body, body, &wire]),
        Some("https://news.example.org/retail"),
        &ExtractLimits::default(),
    );
    assert!(page.datelines.is_empty(), "{:?}", page.datelines);
}
