//! Signal behaviour on pages built in code: the related-links weighting with an injected topic
//! distance, each template artifact with its evidence, and finiteness on empty and
//! pathological pages.

use std::collections::HashSet;
use std::time::Instant;

use pagescore::extract::{
    AdMarker, AdMarkerKind, DateMention, DateSource, Link, LinkBlock, Page, PageStats, Title,
};
use pagescore::read::DocumentKind;
use pagescore::signals::text::TextModels;
use pagescore::signals::{compute, compute_with, Explain, SignalModels, SignalSet, SCHEMA};

/// Content words (4+ letters) of a text, lower case.
fn content_words(text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect()
}

/// A stand-in for the trained models: topic distance is the share of the headline's content
/// words absent from the article; clickbait and promo fire on marked test phrases.
struct Stub;

impl SignalModels for Stub {
    fn clickbait(&self, headline: &str) -> f64 {
        if headline.contains("will shock you") {
            0.97
        } else {
            0.1
        }
    }
    fn promo(&self, text: &str) -> f64 {
        if text.contains("discount code") {
            0.95
        } else {
            0.05
        }
    }
    fn topic_distance(&self, article: &str, other: &str) -> f64 {
        let a = content_words(article);
        let o = content_words(other);
        if o.is_empty() {
            return 0.5;
        }
        o.iter().filter(|w| !a.contains(*w)).count() as f64 / o.len() as f64
    }
    /// Four topics, told by a marker word; a text without one is spread evenly.
    fn topic_distribution(&self, text: &str) -> Vec<f64> {
        let t = text.to_lowercase();
        let topic = STUB_TOPICS
            .iter()
            .position(|(_, words)| words.iter().any(|w| t.contains(w)));
        (0..STUB_TOPICS.len())
            .map(|i| match topic {
                Some(k) if k == i => 0.85,
                Some(_) => 0.05,
                None => 0.25,
            })
            .collect()
    }
    fn topic_name(&self, i: usize) -> Option<&str> {
        STUB_TOPICS.get(i).map(|(name, _)| *name)
    }
}

const STUB_TOPICS: &[(&str, &[&str])] = &[
    ("city", &["bridge", "council", "traffic", "tram"]),
    ("sport", &["quarterback", "playoff", "striker"]),
    ("culture", &["chef", "restaurant", "singer"]),
    ("business", &["airline", "merger", "shares"]),
];

fn value(set: &SignalSet, name: &str) -> f64 {
    set.get(name)
        .unwrap_or_else(|| panic!("signal {name} missing"))
        .value
}

fn evidence(set: &SignalSet, name: &str) -> String {
    set.get(name)
        .unwrap_or_else(|| panic!("signal {name} missing"))
        .evidence
        .join("\n")
}

fn links(texts: &[&str]) -> Vec<Link> {
    texts
        .iter()
        .map(|t| Link {
            text: (*t).to_owned(),
            href: Some("/x".to_owned()),
            external: false,
        })
        .collect()
}

fn block(heading: Option<&str>, region: &'static str, texts: &[&str]) -> LinkBlock {
    LinkBlock {
        heading: heading.map(str::to_owned),
        region,
        links: links(texts),
    }
}

const ARTICLE: &[&str] = &[
    "The city council approved the budget for the new river bridge on Tuesday after a long debate about construction costs.",
    "Engineers said the bridge would carry trams and cyclists across the river and relieve traffic in the old town.",
    "Council members who opposed the budget argued that construction costs for the bridge could rise again next year.",
    "The mayor said tenders for the bridge construction would open in spring and traffic diversions would be announced.",
];

fn article_page() -> Page {
    let mut text: Vec<String> = ARTICLE.iter().map(|s| (*s).to_owned()).collect();
    // Make it a solid article (well over 80 words).
    text.extend(ARTICLE.iter().map(|s| (*s).to_owned()));
    Page {
        url: Some("https://news.example.org/city/bridge-budget".to_owned()),
        title: Title {
            text: "Council approves budget for new river bridge".to_owned(),
            raw: "Council approves budget for new river bridge - Example News".to_owned(),
            suffix: Some("- Example News".to_owned()),
            source: "title",
            h1: None,
        },
        main_text: text,
        ..Page::default()
    }
}

const ON_TOPIC: &[&str] = &[
    "Bridge construction costs rise again, council warns",
    "Traffic diversions announced for old town bridge works",
    "Mayor opens tenders for river bridge construction",
];
const OFF_TOPIC: &[&str] = &[
    "Quarterback injury casts doubt over playoff hopes",
    "Celebrity chef unveils seafood restaurant downtown",
    "Airline merger collapses after antitrust ruling",
    "Pop singer announces farewell stadium tour dates",
];
const NAV: &[&str] = &["Home", "World", "Sport", "Business", "Contact us"];

#[test]
fn off_topic_related_block_scores_higher_than_on_topic() {
    let mut on = article_page();
    on.link_blocks = vec![
        block(None, "nav", NAV),
        block(Some("Related"), "main", ON_TOPIC),
    ];
    let mut off = article_page();
    off.link_blocks = vec![
        block(None, "nav", NAV),
        block(Some("Related"), "main", OFF_TOPIC),
    ];
    let on_set = compute_with(&on, &Stub, Explain::Detailed);
    let off_set = compute_with(&off, &Stub, Explain::Detailed);
    let on_v = value(&on_set, "related_links_mismatch");
    let off_v = value(&off_set, "related_links_mismatch");
    assert!(
        off_v > on_v + 0.3,
        "off-topic {off_v} should be well above on-topic {on_v}"
    );
    assert!(value(&off_set, "off_topic_link_share") > 0.9);
    assert!(value(&on_set, "off_topic_link_share") < 0.1);
    let ev = evidence(&off_set, "related_links_mismatch");
    assert!(
        ev.contains("Airline merger collapses") && ev.contains("topic distance"),
        "{ev}"
    );
    // Navigation links are not recommendations and are not evidence.
    assert!(!ev.contains("\"Home\""), "{ev}");
}

#[test]
fn mismatch_without_an_off_topic_headline_still_says_what_it_is_made_of() {
    // Headlines half on the article's topic: the mismatch is above 0 although none of them is
    // off-topic, and the evidence must say so rather than stay empty.
    let mut page = article_page();
    page.link_blocks = vec![block(
        Some("Related"),
        "main",
        &[
            "Bridge budget debate draws crowds",
            "River traffic study finds delays",
            "Construction costs worry mayor again",
        ],
    )];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    let v = value(&set, "related_links_mismatch");
    assert!(v > 0.1, "value {v}");
    assert_eq!(value(&set, "off_topic_link_share"), 0.0);
    let ev = evidence(&set, "related_links_mismatch");
    assert!(ev.contains("none off-topic"), "{ev}");
    // the furthest headline comes first among the quoted ones
    let furthest = ev
        .find("River traffic study")
        .expect("furthest headline quoted");
    let nearest = ev
        .find("Construction costs worry")
        .expect("nearest headline quoted");
    assert!(furthest < nearest, "{ev}");
}

#[test]
fn lone_trending_box_under_real_article_is_weaker_than_only_off_topic_blocks() {
    // A real page: navigation, on-topic related links, and one off-topic trending box.
    let mut real = article_page();
    real.link_blocks = vec![
        block(None, "nav", NAV),
        block(Some("More on this story"), "main", ON_TOPIC),
        block(Some("Trending now"), "aside", OFF_TOPIC),
        block(
            None,
            "footer",
            &["Privacy", "Terms of use", "Advertise with us"],
        ),
    ];
    // A scraped page: the article, then nothing but off-topic "related" headlines.
    let mut scraped = article_page();
    scraped.link_blocks = vec![
        block(Some("Related"), "body", OFF_TOPIC),
        block(Some("Recommended"), "body", OFF_TOPIC),
    ];
    let r = compute_with(&real, &Stub, Explain::Skip);
    let s = compute_with(&scraped, &Stub, Explain::Skip);
    let rv = value(&r, "related_links_mismatch");
    let sv = value(&s, "related_links_mismatch");
    assert!(sv > 2.0 * rv, "scraped {sv} vs real {rv}");
    assert!(value(&s, "related_links_mismatch_max") > value(&r, "related_links_mismatch_max"));
}

#[test]
fn headlines_scattered_over_topics_spread_but_a_beat_does_not() {
    let city: Vec<String> = (1..=9)
        .map(|i| format!("Council debates bridge plan number {i} for the old town"))
        .collect();
    let scattered: Vec<String> = (1..=9)
        .map(|i| {
            let about = [
                "bridge council vote",
                "quarterback playoff injury",
                "chef opens restaurant",
                "airline merger talks",
            ][i % 4];
            format!("Story {i} of the week: {about} draws attention")
        })
        .collect();
    let page_with = |heads: &[String]| {
        let mut page = article_page();
        let texts: Vec<&str> = heads.iter().map(String::as_str).collect();
        page.link_blocks = vec![block(Some("Latest"), "main", &texts)];
        page
    };
    let beat = compute_with(&page_with(&city), &Stub, Explain::Detailed);
    let feed = compute_with(&page_with(&scattered), &Stub, Explain::Detailed);
    let (b, f) = (
        value(&beat, "headline_topic_spread"),
        value(&feed, "headline_topic_spread"),
    );
    assert!(b < 0.05, "one beat: {b}");
    assert!(f > 0.3, "scattered: {f}");
    let ev = evidence(&feed, "headline_topic_spread");
    assert!(
        ev.contains("lean to 4 of 4 topics") && ev.contains("sport"),
        "{ev}"
    );

    // Too few headlines for a spread to mean anything.
    let few = compute_with(&page_with(&scattered[..7]), &Stub, Explain::Detailed);
    assert_eq!(value(&few, "headline_topic_spread"), 0.0);
}

#[test]
fn navigation_of_section_names_is_not_related_links() {
    let mut page = article_page();
    page.link_blocks = vec![
        block(None, "nav", NAV),
        block(None, "footer", &["About", "Careers", "Imprint"]),
    ];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "related_links_mismatch"), 0.0);
    assert_eq!(value(&set, "headline_links_log"), 0.0);
}

/// Trained text models saved by `pagescore train` (or the `train_text_models` example), named
/// by `PAGESCORE_TEXT_MODELS`; `None` (and the test skips) when absent.
fn trained_models() -> Option<TextModels> {
    let path = std::env::var_os("PAGESCORE_TEXT_MODELS")?;
    match TextModels::load_json(std::path::Path::new(&path)) {
        Ok(m) => Some(m),
        Err(e) => {
            println!("skipping: cannot load {}: {e}", path.to_string_lossy());
            None
        }
    }
}

/// With trained topic models an off-topic related block scores higher than an on-topic one,
/// and the evidence names the off-topic links.
#[test]
fn trained_topic_model_separates_blocks() {
    let Some(models) = trained_models() else {
        println!("skipping: set PAGESCORE_TEXT_MODELS to a trained text-models JSON");
        return;
    };
    let mut on = article_page();
    on.link_blocks = vec![
        block(None, "nav", NAV),
        block(Some("Related"), "main", ON_TOPIC),
    ];
    let mut off = article_page();
    off.link_blocks = vec![
        block(None, "nav", NAV),
        block(Some("Related"), "main", OFF_TOPIC),
    ];
    let on_set = compute(&on, &models, Explain::Detailed);
    let off_set = compute(&off, &models, Explain::Detailed);
    let on_v = value(&on_set, "related_links_mismatch");
    let off_v = value(&off_set, "related_links_mismatch");
    println!("trained topic model: on-topic {on_v:.3}, off-topic {off_v:.3}");
    assert!(off_v > on_v + 0.1, "off {off_v} on {on_v}");
    assert!(
        value(&off_set, "off_topic_link_share") > value(&on_set, "off_topic_link_share"),
        "{:?}",
        off_set.get("off_topic_link_share")
    );
}

#[test]
fn clickbait_and_promo_headlines_carry_evidence() {
    let mut page = article_page();
    page.link_blocks = vec![block(
        Some("More stories"),
        "aside",
        &[
            "What this actor looks like now will shock you",
            "Use this discount code for half price sneakers today",
            "Mayor opens tenders for river bridge construction",
        ],
    )];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert!(value(&set, "clickbait_max") > 0.9);
    assert!(evidence(&set, "clickbait_max").contains("will shock you"));
    assert!(value(&set, "clickbait_title") < 0.5);
    assert!(value(&set, "promo_max") > 0.9);
    assert!(evidence(&set, "promo_max").contains("discount code"));
}

/// Real news sites carry honestly labelled ad widgets ("From Around the Web", "Sponsored"):
/// their links are paid slots, not the site's headlines, so no headline signal reads them,
/// neither as clickbait nor as ads nor as topics, and their texts are no page chrome either.
#[test]
fn a_disclosed_ad_widget_is_not_the_sites_headlines() {
    let mut page = article_page();
    let widget = [
        "What this actor looks like now will shock you",
        "Use this discount code for half price sneakers today",
        "Quarterback throws three touchdowns in overtime win",
        "Celebrity chef opens a new restaurant downtown",
    ];
    page.link_blocks = vec![block(Some("From Around the Web"), "aside", &widget)];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    // (the maxima read the title and the text's own short lines too, which are plain here)
    for name in ["clickbait_max", "promo_max"] {
        assert!(value(&set, name) < 0.5, "{name}: {:?}", set.get(name));
    }
    for name in [
        "clickbait_share",
        "promo_share",
        "off_topic_link_share",
        "headline_links_log",
    ] {
        assert_eq!(value(&set, name), 0.0, "{name}: {:?}", set.get(name));
    }
    assert!(!evidence(&set, "promo_max").contains("discount code"));

    // The same links under a heading that claims them as stories count.
    page.link_blocks = vec![block(Some("You may also like"), "aside", &widget)];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert!(value(&set, "clickbait_max") > 0.9);
    assert!(value(&set, "promo_max") > 0.9);
    assert!(value(&set, "headline_links_log") > 0.0);
}

#[test]
fn an_ad_among_news_headlines_counts_but_a_shop_grid_does_not() {
    let mut page = article_page();
    page.link_blocks = vec![block(
        Some("Related stories"),
        "main",
        &[
            "Council approves the budget for the new river bridge",
            "Use this discount code for half price sneakers today",
            "Flood defences to be raised along the northern canal",
            "Teachers vote to accept the regional pay settlement",
            "Harbour pilots warn of delays after the winter storms",
        ],
    )];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    // one sure hit (the stub says 0.95) counts 2·0.95 − 1
    assert!((value(&set, "promo_in_news_blocks") - 0.9f64.ln_1p()).abs() < 1e-9);
    let ev = evidence(&set, "promo_in_news_blocks");
    assert!(
        ev.contains("discount code") && ev.contains("Related stories"),
        "{ev}"
    );

    // The same ad copy in a block of nothing but offers: a shop or an ad widget.
    let offers = |heading: &str| {
        block(
            Some(heading),
            "aside",
            &[
                "Use this discount code for half price sneakers today",
                "Another discount code for winter jackets this week",
                "The discount code every gardener needs this spring",
                "A discount code for family tickets to the aquarium",
            ],
        )
    };
    page.link_blocks = vec![offers("Shop the look")];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "promo_in_news_blocks"), 0.0);
    assert!(value(&set, "promo_max") > 0.9);
    // Under a heading that says what they are ("Hot Deals"), the offers are the site's open
    // commerce, as a "Sponsored" widget is its open advertising: no headline signal reads them.
    page.link_blocks = vec![offers("Hot Deals")];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "promo_in_news_blocks"), 0.0);
    assert!(value(&set, "promo_max") < 0.9);
}

#[test]
fn ad_copy_beside_an_article_counts_but_not_on_a_shop_a_stub_or_under_a_disclosure() {
    // A solid article (over 200 words) with a "Popular" list of offers and a clickbait line.
    let long_article = || {
        let mut page = article_page();
        let more = page.main_text.clone();
        page.main_text.extend(more);
        page
    };
    let offers = |heading: &str| {
        block(
            Some(heading),
            "aside",
            &[
                "Use this discount code for half price sneakers today",
                "Another discount code for winter jackets this week",
                "What this mayor did next will shock you completely",
            ],
        )
    };
    let mut page = long_article();
    page.link_blocks = vec![offers("Popular now")];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    // two sure ad hits (0.95 each) count 2 * (2 * 0.95 - 1)
    assert!((value(&set, "promo_beside_article") - 1.8f64.ln_1p()).abs() < 1e-9);
    let ev = evidence(&set, "promo_beside_article");
    assert!(
        ev.contains("discount code") && ev.contains("Popular now") && ev.contains("-word article"),
        "{ev}"
    );
    assert!(value(&set, "clickbait_beside_article") > 0.5);
    // a block over a standalone list of offers is not "among news": only beside_article sees it
    assert_eq!(value(&set, "promo_in_news_blocks"), 0.0);

    // The same list under a disclosure ("Sponsored") is an honest ad widget.
    page.link_blocks = vec![offers("Sponsored")];
    let set = compute_with(&page, &Stub, Explain::Skip);
    assert_eq!(value(&set, "promo_beside_article"), 0.0);
    assert_eq!(value(&set, "clickbait_beside_article"), 0.0);

    // A short page (a teaser, a listing) is no article.
    let mut stub = article_page();
    stub.main_text.truncate(2);
    stub.link_blocks = vec![offers("Popular now")];
    let set = compute_with(&stub, &Stub, Explain::Skip);
    assert_eq!(value(&set, "promo_beside_article"), 0.0);
    assert_eq!(value(&set, "clickbait_beside_article"), 0.0);

    // A shop: its own short paragraphs are ad copy, so ad copy in its lists is the shop.
    let mut shop = long_article();
    for i in 0..8 {
        shop.main_text.push(format!(
            "Order now with our discount code and save on item {i}"
        ));
    }
    shop.link_blocks = vec![offers("Popular now")];
    let set = compute_with(&shop, &Stub, Explain::Skip);
    assert_eq!(value(&set, "promo_beside_article"), 0.0);

    // One promo sign-off line under an article whose other paragraphs are long makes it no
    // shop, even when it is the only short paragraph.
    let mut signed_off = long_article();
    // every story paragraph over 40 words, so the sign-off is the one short paragraph
    let story = signed_off.main_text.join(" ");
    let words: Vec<&str> = story.split_whitespace().collect();
    signed_off.main_text = words.chunks(50).map(|c| c.join(" ")).collect();
    assert!(signed_off
        .main_text
        .iter()
        .all(|p| p.split_whitespace().count() > 40));
    signed_off
        .main_text
        .push("Visit our shop and use the discount code for more advice".into());
    signed_off.link_blocks = vec![offers("Popular now")];
    let set = compute_with(&signed_off, &Stub, Explain::Skip);
    assert!((value(&set, "promo_beside_article") - 1.8f64.ln_1p()).abs() < 1e-9);
}

#[test]
fn clickbait_among_news_headlines_counts_but_a_sponsored_grid_does_not() {
    let mut page = article_page();
    page.link_blocks = vec![block(
        Some("Related stories"),
        "main",
        &[
            "Council approves the budget for the new river bridge",
            "What this actor did next will shock you",
            "Flood defences to be raised along the northern canal",
            "Teachers vote to accept the regional pay settlement",
            "Harbour pilots warn of delays after the winter storms",
        ],
    )];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    // one sure hit (the stub says 0.97) counts 2·0.97 − 1
    assert!((value(&set, "clickbait_in_news_blocks") - 0.94f64.ln_1p()).abs() < 1e-9);
    let ev = evidence(&set, "clickbait_in_news_blocks");
    assert!(
        ev.contains("will shock you") && ev.contains("Related stories"),
        "{ev}"
    );

    // A widget of nothing but clickbait (an honestly labelled sponsored box) does not pose as
    // news; neither does a news list with too few other stories to tell.
    page.link_blocks = vec![
        block(
            Some("Sponsored"),
            "aside",
            &[
                "What this actor did next will shock you",
                "The trick dentists hate will shock you",
                "Her secret to a calm morning will shock you",
                "This hidden beach will shock you",
            ],
        ),
        block(
            Some("More news"),
            "main",
            &[
                "Council approves the budget for the new river bridge",
                "Why this town's new mayor will shock you",
                "Flood defences to be raised along the northern canal",
            ],
        ),
    ];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "clickbait_in_news_blocks"), 0.0);
    assert!(value(&set, "clickbait_max") > 0.9);

    // A widget that discloses its links are paid is an honest ad, whatever it mixes.
    page.link_blocks = vec![block(
        Some("Promoted Stories"),
        "main",
        &[
            "Council approves the budget for the new river bridge",
            "What this actor did next will shock you",
            "Use this discount code for half price sneakers today",
            "Flood defences to be raised along the northern canal",
            "Teachers vote to accept the regional pay settlement",
            "Harbour pilots warn of delays after the winter storms",
        ],
    )];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "clickbait_in_news_blocks"), 0.0);
    assert_eq!(value(&set, "promo_in_news_blocks"), 0.0);
    assert!(value(&set, "clickbait_max") < 0.5 && value(&set, "promo_max") < 0.5);
}

#[test]
fn engagement_counters_are_counted_and_quoted() {
    let mut page = article_page();
    page.counters = vec!["Likes (48213)".to_owned(), "Shares 1.2K".to_owned()];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert!((value(&set, "counters_log") - 3f64.ln()).abs() < 1e-9);
    assert!((value(&set, "counter_value_log") - 48214f64.ln()).abs() < 1e-6);
    assert!(evidence(&set, "counters_log").contains("Likes (48213)"));
    assert!(evidence(&set, "counter_value_log").contains("48213"));
}

#[test]
fn a_trail_label_fused_before_the_title_is_chrome_but_a_junk_suffix_is_not() {
    let mut page = article_page();
    let headline = page.title.text.clone();
    page.title.raw = format!("当前位置：Home | News{headline}");
    page.breadcrumb = vec!["Home".to_owned(), "News".to_owned()];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "title_script_junk"), 0.0);
    // the same trail with junk behind the headline still counts
    page.title.raw = format!("当前位置：Home | News{headline} -消息");
    page.title.suffix = Some("消息".to_owned());
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "title_script_junk"), 1.0);
}

#[test]
fn title_in_latin_with_cjk_suffix_is_junk() {
    let mut page = article_page();
    page.title.raw = "Council approves budget for new river bridge - 新闻".to_owned();
    page.title.suffix = Some("- 新闻".to_owned());
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "title_script_junk"), 1.0);
    let ev = evidence(&set, "title_script_junk");
    assert!(
        ev.contains("新闻") && ev.contains("CJK") && ev.contains("Latin"),
        "{ev}"
    );

    // The same site in its own script is fine, and so is a Latin brand on a CJK page.
    let clean = compute_with(&article_page(), &Stub, Explain::Detailed);
    assert_eq!(value(&clean, "title_script_junk"), 0.0);
    let mut cjk = Page {
        title: Title {
            text: "市议会批准新桥梁预算".to_owned(),
            raw: "市议会批准新桥梁预算 - Example News".to_owned(),
            ..Title::default()
        },
        main_text: vec!["市议会周二批准了新桥梁的预算。".to_owned()],
        ..Page::default()
    };
    cjk.title.suffix = Some("- Example News".to_owned());
    let set = compute_with(&cjk, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "title_script_junk"), 0.0);
}

fn date(raw: &str, source: DateSource, ymd: (i32, u32, u32)) -> DateMention {
    DateMention {
        raw: raw.to_owned(),
        source,
        ymd: Some(ymd),
    }
}

#[test]
fn visible_date_years_after_text_dates_contradicts() {
    let mut page = article_page();
    page.dates = vec![
        date(
            "Posted: 2024-09-30 11:02",
            DateSource::VisibleLine,
            (2024, 9, 30),
        ),
        date("March 3, 2021", DateSource::InText, (2021, 3, 3)),
        date("Jan. 12, 2021", DateSource::InText, (2021, 1, 12)),
    ];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    let v = value(&set, "date_visible_after_text");
    assert!(v > 1.0, "{v}");
    let ev = evidence(&set, "date_visible_after_text");
    assert!(
        ev.contains("2024-09-30") && ev.contains("March 3, 2021"),
        "{ev}"
    );

    // A visible date close to the text's dates is not a contradiction.
    page.dates[0] = date("Posted: 2021-03-05", DateSource::VisibleLine, (2021, 3, 5));
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "date_visible_after_text"), 0.0);
    assert!(evidence(&set, "date_visible_after_text").is_empty());
}

#[test]
fn a_page_dated_years_ahead_of_today_is_a_future_date() {
    // The test reads the real clock: 2090 is years ahead and 2001 long past until 2060.
    let mut page = article_page();
    page.dates = vec![date(
        "Updated 2090-03-13 08:42",
        DateSource::VisibleLine,
        (2090, 3, 13),
    )];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    let v = value(&set, "date_in_future");
    assert!(v > 2.0, "{v}");
    assert!(
        evidence(&set, "date_in_future").contains("2090-03-13"),
        "{}",
        evidence(&set, "date_in_future")
    );
    // The newest of the page's own dates decides, whichever source gives it.
    page.dates = vec![
        date("2001-05-02", DateSource::VisibleLine, (2001, 5, 2)),
        date("2090-01-01T00:00:00Z", DateSource::Meta, (2090, 1, 1)),
    ];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert!(value(&set, "date_in_future") > 2.0);

    // A past date, or a date the text only mentions ("the 2090 target"), is not.
    page.dates = vec![
        date("Posted: 2001-05-02", DateSource::VisibleLine, (2001, 5, 2)),
        date("March 3, 2090", DateSource::InText, (2090, 3, 3)),
    ];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "date_in_future"), 0.0);
    assert!(evidence(&set, "date_in_future").is_empty());
}

#[test]
fn a_date_line_is_not_a_date_its_text_mentions() {
    // The reader finds the date line's own date again in the text; it must not count as a
    // date the article mentions, or the page would never look newer than its text.
    let mut page = article_page();
    page.dates = vec![
        date(
            "Date:2025-04-15 02:44:08",
            DateSource::VisibleLine,
            (2025, 4, 15),
        ),
        date("2025-04-15", DateSource::InText, (2025, 4, 15)),
        date("Feb. 24, 2022", DateSource::InText, (2022, 2, 24)),
    ];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert!(value(&set, "date_visible_after_text") > 1.0);
    assert!(evidence(&set, "date_visible_after_text").contains("Feb. 24, 2022"));
}

#[test]
fn years_date_a_news_text_only() {
    let mut page = article_page();
    page.main_text.push(
        "The plan was first drawn up in 2021, when the old crossing was closed to heavy \
         lorries after an inspection found corroded cables under the deck."
            .to_owned(),
    );
    page.dates = vec![date(
        "Posted 12 May 2025",
        DateSource::VisibleLine,
        (2025, 5, 12),
    )];
    // Without a news-like relative date the years are an evergreen page's history.
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "date_visible_after_text"), 0.0);

    // "on Thursday" makes it news: the newest year it names is its age.
    page.dates.push(DateMention {
        raw: "on Thursday".to_owned(),
        source: DateSource::Relative,
        ymd: None,
    });
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert!(value(&set, "date_visible_after_text") > 0.5);
    assert!(evidence(&set, "date_visible_after_text").contains("2021"));

    // A newer full date in the text wins over an older year.
    page.dates
        .push(date("May 2, 2025", DateSource::InText, (2025, 5, 2)));
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "date_visible_after_text"), 0.0);
}

#[test]
fn header_date_of_today_does_not_contradict_a_dated_article() {
    let mut page = article_page();
    page.dates = vec![
        date(
            "Friday, 4 December 2026",
            DateSource::VisibleLine,
            (2026, 12, 4),
        ),
        date("2021-03-04T10:00:00Z", DateSource::Meta, (2021, 3, 4)),
        date("March 3, 2021", DateSource::InText, (2021, 3, 3)),
    ];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "date_visible_after_text"), 0.0);
}

#[test]
fn page_dates_that_disagree_spread() {
    let mut page = article_page();
    page.dates = vec![
        date("2019-05-01", DateSource::Meta, (2019, 5, 1)),
        date("Date: 2025-05-01", DateSource::VisibleLine, (2025, 5, 1)),
    ];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert!(value(&set, "date_sources_spread") > 1.5);
    assert!(evidence(&set, "date_sources_spread").contains("2019-05-01"));
}

#[test]
fn wire_dateline_on_a_non_wire_host() {
    let mut page = article_page();
    page.datelines = vec!["LISBON (Reuters) -".to_owned()];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "wire_dateline"), 1.0);
    assert_eq!(value(&set, "wire_dateline_foreign_host"), 1.0);
    let ev = evidence(&set, "wire_dateline_foreign_host");
    assert!(
        ev.contains("LISBON (Reuters)") && ev.contains("news.example.org"),
        "{ev}"
    );

    // On the wire service's own site it is no artifact.
    page.url = Some("https://www.reuters.com/world/europe/story".to_owned());
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "wire_dateline_foreign_host"), 0.0);

    // Without a URL, the dateline alone is weak evidence.
    page.url = None;
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "wire_dateline_foreign_host"), 0.5);
    assert!(evidence(&set, "wire_dateline_foreign_host").contains("unknown"));
}

#[test]
fn a_station_datelining_its_own_story_is_no_artifact() {
    let mut page = article_page();
    page.datelines = vec!["AUSTIN (KXAN) —".to_owned()];
    page.url = Some("https://www.kxan.com/news/local/austin/story".to_owned());
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "wire_dateline"), 1.0);
    assert_eq!(value(&set, "wire_dateline_foreign_host"), 0.0);

    // The same dateline on another site is an unknown service's copy.
    page.url = Some("https://news.example.org/a".to_owned());
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "wire_dateline_foreign_host"), 0.75);
}

#[test]
fn breadcrumb_category_off_the_article_topic() {
    let mut page = article_page();
    page.breadcrumb = vec!["Home".to_owned(), "Cryptocurrency".to_owned()];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "breadcrumb_mismatch"), 1.0);
    assert!(evidence(&set, "breadcrumb_mismatch").contains("Cryptocurrency"));
    page.breadcrumb = vec!["Home".to_owned(), "Bridge".to_owned()];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "breadcrumb_mismatch"), 0.0);
}

#[test]
fn ad_markers_are_counted_by_kind() {
    let mut page = article_page();
    page.ad_markers = vec![
        AdMarker {
            kind: AdMarkerKind::AdNetworkHost,
            evidence: "ads.example-network.com".to_owned(),
        },
        AdMarker {
            kind: AdMarkerKind::Label,
            evidence: "Sponsored".to_owned(),
        },
        AdMarker {
            kind: AdMarkerKind::RelSponsored,
            evidence: "rel=sponsored".to_owned(),
        },
    ];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "ad_selectors_log"), 0.0);
    assert!((value(&set, "ad_hosts_log") - 2f64.ln()).abs() < 1e-9);
    assert!((value(&set, "ad_sponsored_log") - 3f64.ln()).abs() < 1e-9);
    assert!(evidence(&set, "ad_hosts_log").contains("ads.example-network.com"));
}

#[test]
fn text_statistics_see_repetition_and_plain_text() {
    let mut page = article_page();
    page.source.kind = DocumentKind::Text;
    let line = "cheap flights cheap hotels cheap flights cheap hotels";
    page.stats = PageStats {
        visible_lines: std::iter::repeat_n(line.to_owned(), 40).collect(),
        ..PageStats::default()
    };
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(value(&set, "is_plain_text"), 1.0);
    assert!(value(&set, "duplicate_line_fraction") > 0.9);
    assert!(value(&set, "top_2gram_share") > 0.4);
    assert!(value(&set, "compression_ratio") > 10.0);
    assert!(value(&set, "visible_text_fraction") > 0.0);
    assert!(evidence(&set, "duplicate_line_fraction").contains(line));

    let prose = compute_with(&article_page(), &Stub, Explain::Skip);
    assert!(value(&prose, "stopword_fraction") > 0.2);
    assert!(value(&prose, "lines_end_punct_fraction") > 0.5);
}

#[test]
fn empty_page_is_all_finite_zeros_without_evidence() {
    let set = compute(&Page::default(), &TextModels::default(), Explain::Detailed);
    assert_eq!(set.signals.len(), SCHEMA.len());
    for s in &set.signals {
        assert_eq!(s.value, 0.0, "{} on an empty page", s.name);
        assert!(s.evidence.is_empty(), "{} has evidence", s.name);
    }
}

/// Models that return garbage: the signals must still be finite and in range.
struct Nan;

impl SignalModels for Nan {
    fn clickbait(&self, _: &str) -> f64 {
        f64::NAN
    }
    fn promo(&self, _: &str) -> f64 {
        f64::INFINITY
    }
    fn topic_distance(&self, _: &str, _: &str) -> f64 {
        f64::NEG_INFINITY
    }
}

fn pathological_page() -> Page {
    let huge = "x".repeat(1 << 20);
    let many_links: Vec<Link> = (0..20_000)
        .map(|i| Link {
            text: if i % 3 == 0 {
                String::new()
            } else {
                format!("headline number {i} about something else entirely")
            },
            href: None,
            external: i % 2 == 0,
        })
        .collect();
    Page {
        url: Some(String::new()),
        canonical_url: Some("::::".to_owned()),
        title: Title {
            text: huge.clone(),
            raw: format!("{huge} 消息"),
            suffix: Some(String::new()),
            source: "title",
            h1: Some(String::new()),
        },
        main_text: vec![String::new(), huge.clone(), "   ".to_owned()],
        link_blocks: vec![
            LinkBlock {
                heading: Some(String::new()),
                region: "weird",
                links: many_links,
            },
            LinkBlock::default(),
        ],
        dates: vec![
            date("", DateSource::VisibleLine, (i32::MAX, 99, 99)),
            date("", DateSource::InText, (i32::MIN, 0, 0)),
            DateMention {
                raw: String::new(),
                source: DateSource::Meta,
                ymd: None,
            },
        ],
        breadcrumb: vec![String::new(); 1000],
        datelines: vec![String::new(), "(AP)".to_owned()],
        counters: vec![
            "9".repeat(10_000),
            "1e308".to_owned(),
            "99999999999999999999K".to_owned(),
            String::new(),
        ],
        ad_markers: (0..100_000)
            .map(|_| AdMarker {
                kind: AdMarkerKind::AdSelector,
                evidence: String::new(),
            })
            .collect(),
        stats: PageStats {
            source_chars: usize::MAX,
            visible_chars: usize::MAX,
            anchor_chars: usize::MAX,
            elements: usize::MAX,
            links: 0,
            external_links: usize::MAX,
            scripts: usize::MAX,
            visible_lines: vec![huge; 3],
            limit_hit: true,
        },
        ..Page::default()
    }
}

#[test]
fn pathological_page_gives_finite_values() {
    let page = pathological_page();
    for explain in [Explain::Skip, Explain::Detailed] {
        for set in [
            compute(&page, &TextModels::default(), explain),
            compute_with(&page, &Stub, explain),
            compute_with(&page, &Nan, explain),
        ] {
            assert_eq!(set.signals.len(), SCHEMA.len());
            for s in &set.signals {
                assert!(s.value.is_finite(), "{} = {}", s.name, s.value);
                assert!(s.value >= 0.0, "{} = {}", s.name, s.value);
                assert!(s.evidence.len() <= 8, "{}", s.name);
                assert!(s.evidence.iter().all(|e| e.len() < 2_000), "{}", s.name);
            }
        }
    }
}

#[test]
fn schema_order_is_output_order_and_evidence_is_opt_in() {
    let mut page = article_page();
    page.counters = vec!["Views 1234".to_owned()];
    page.datelines = vec!["PARIS (AFP) -".to_owned()];
    let skip = compute_with(&page, &Stub, Explain::Skip);
    let names: Vec<&str> = skip.signals.iter().map(|s| s.name).collect();
    assert_eq!(names, SCHEMA);
    assert!(skip.signals.iter().all(|s| s.evidence.is_empty()));
    let detailed = compute_with(&page, &Stub, Explain::Detailed);
    assert_eq!(skip.values(), detailed.values());
    assert!(!evidence(&detailed, "counters_log").is_empty());
    let unique: HashSet<&str> = SCHEMA.iter().copied().collect();
    assert_eq!(unique.len(), SCHEMA.len(), "duplicate names in SCHEMA");
}

#[test]
fn count_signals_quote_the_counts_they_are_made_of() {
    let mut page = article_page();
    page.link_blocks = vec![block(Some("Related"), "main", OFF_TOPIC)];
    page.stats.visible_lines = page.main_text.clone();
    let set = compute_with(&page, &Stub, Explain::Detailed);
    let words = evidence(&set, "page_words_log");
    let n: f64 = words
        .split_whitespace()
        .next()
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("no count in {words:?}"));
    // the value is the log of the count the evidence quotes
    assert!(
        (value(&set, "page_words_log") - n.ln_1p()).abs() < 1e-9,
        "{words} vs {}",
        value(&set, "page_words_log")
    );
    assert!(evidence(&set, "headline_links_log").starts_with("4 headline-like links"));
    // a signal at 0 carries no evidence (see `Out::push`); the others quote their counts
    for name in [
        "avg_word_len",
        "lines_end_punct_fraction",
        "short_lines_fraction",
        "main_text_share",
    ] {
        let nonzero = value(&set, name) != 0.0;
        assert_eq!(!evidence(&set, name).is_empty(), nonzero, "{name}");
    }
    // the counts agree with the value
    let ev = evidence(&set, "lines_end_punct_fraction");
    let nums: Vec<f64> = ev
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(nums.len(), 2, "{ev}");
    assert!((value(&set, "lines_end_punct_fraction") - nums[0] / nums[1]).abs() < 1e-12);
}

#[test]
fn classifier_maxima_below_the_line_quote_the_nearest_text() {
    // No headline is clickbait or ad copy to the stub (0.10 and 0.05), yet the maxima are not
    // 0 and the model weighs them: the evidence names the text that gives the maximum.
    let mut page = article_page();
    page.link_blocks = vec![block(Some("Related"), "main", ON_TOPIC)];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert!((value(&set, "clickbait_max") - 0.1).abs() < 1e-9);
    let cb = evidence(&set, "clickbait_max");
    assert!(
        cb.contains("none of") && cb.contains("clickbait probability 0.10"),
        "{cb}"
    );
    let promo = evidence(&set, "promo_max");
    assert!(
        promo.contains("none of") && promo.contains("promo probability 0.05"),
        "{promo}"
    );
}

#[test]
fn a_large_page_finishes_without_a_quadratic_blowup() {
    let mut page = article_page();
    page.main_text = (0..400)
        .map(|i| format!("{} {i}", ARTICLE[i % 4]))
        .collect();
    page.stats.visible_lines = page.main_text.clone();
    page.link_blocks = (0..20)
        .map(|_| block(Some("Related"), "main", OFF_TOPIC))
        .collect();
    let start = Instant::now();
    let set = compute_with(&page, &Stub, Explain::Detailed);
    let took = start.elapsed();
    println!("signals on a 400-paragraph page with 80 related links: {took:?}");
    assert_eq!(set.signals.len(), SCHEMA.len());
    // A hang guard, not a speed target (that is `pagescore bench`): generous enough for a debug
    // build on a shared CI machine, far below what a quadratic pass over this page would take.
    assert!(took.as_secs_f64() < 2.0, "{took:?}");
}

/// Chrome lines (menus, teasers, footer) in German, invented for the test.
const GERMAN_CHROME: &[&str] = &[
    "Über uns und die Redaktion der Zeitung",
    "Die neuesten Beiträge aus der Region und aus dem ganzen Land",
    "Kommentare zu dem Artikel sind für alle Leser offen",
    "Mit dem Newsletter bleiben Sie auf dem Laufenden und verpassen nichts mehr",
    "Impressum und Datenschutz für die Nutzer der Seite",
    "Alle Rechte vorbehalten, die Inhalte sind durch das Urheberrecht geschützt",
];
/// The same chrome in English.
const ENGLISH_CHROME: &[&str] = &[
    "About us and the newsroom of the paper",
    "The latest posts from the region and from the whole country",
    "Comments on the article are open to all readers",
    "With the newsletter you stay up to date and miss nothing",
    "Imprint and privacy policy for the users of the site",
    "All rights reserved, the content is protected by copyright",
];

fn page_with_chrome(chrome: &[&str]) -> Page {
    let mut page = article_page();
    let mut lines: Vec<String> = chrome.iter().map(|s| (*s).to_owned()).collect();
    lines.extend(page.main_text.iter().cloned());
    page.stats.visible_lines = lines;
    page
}

#[test]
fn a_story_in_a_template_of_another_language_is_flagged() {
    let foreign = compute_with(&page_with_chrome(GERMAN_CHROME), &Stub, Explain::Detailed);
    let native = compute_with(&page_with_chrome(ENGLISH_CHROME), &Stub, Explain::Detailed);
    assert!(value(&foreign, "chrome_language_mismatch") > 0.5);
    let ev = evidence(&foreign, "chrome_language_mismatch");
    assert!(ev.contains("en") && ev.contains("de"), "{ev}");
    assert_eq!(value(&native, "chrome_language_mismatch"), 0.0);
    // A page with almost no chrome cannot be judged.
    let bare = compute_with(&page_with_chrome(&GERMAN_CHROME[..1]), &Stub, Explain::Skip);
    assert_eq!(value(&bare, "chrome_language_mismatch"), 0.0);
    // An English menu whose only function words, "to" and "a", are function words of other
    // languages too (Polish, Spanish, Italian) ties between them: it is not foreign.
    let menu = compute_with(
        &page_with_chrome(SHARED_WORD_MENU),
        &Stub,
        Explain::Detailed,
    );
    assert_eq!(
        value(&menu, "chrome_language_mismatch"),
        0.0,
        "{}",
        evidence(&menu, "chrome_language_mismatch")
    );
}

/// An English benefits menu, invented for the test, whose function words are all shared with
/// other languages' lists.
const SHARED_WORD_MENU: &[&str] = &[
    "Talk to a benefits advisor today",
    "Send a claim to payroll services",
    "Apply to a plan before January",
    "Add a dependent to coverage online",
    "Go to a clinic near campus",
    "Bring a receipt to human resources",
    "Sign up to a wellness program",
    "Ask a question to our staff",
];

// ---- main-text coherence (stitched pages) -------------------------------------------------

/// Function words of the test texts: the stub weighs them as an IDF table would (low), so
/// paragraphs are compared on their content words.
const FUNCTION_WORDS: &str = "the a an of and to in on at for with from by as is was were be \
    been has had have that this it its their they he she his her we our you your i my but or \
    not no after before over under about into than then when which who will would can could \
    said says also more most one two three all some any there here out up new";

/// A stub whose term weights mimic an IDF table: function words weigh little.
struct IdfStub;

impl IdfStub {
    fn function_terms() -> &'static HashSet<u64> {
        static SET: std::sync::OnceLock<HashSet<u64>> = std::sync::OnceLock::new();
        SET.get_or_init(|| {
            let mut s = HashSet::new();
            pagescore::signals::text::for_each_term(FUNCTION_WORDS, |t| {
                s.insert(t);
            });
            s
        })
    }
}

impl SignalModels for IdfStub {
    fn clickbait(&self, _: &str) -> f64 {
        0.1
    }
    fn promo(&self, _: &str) -> f64 {
        0.05
    }
    fn topic_distance(&self, a: &str, b: &str) -> f64 {
        Stub.topic_distance(a, b)
    }
    fn term_weight(&self, term: u64) -> f64 {
        if Self::function_terms().contains(&term) {
            0.1
        } else {
            3.0
        }
    }
}

/// Story A: a ferry strike in an invented harbour town.
const FERRY: &[&str] = &[
    "Ferry crews in Port Melvane walked off the job on Monday, stranding hundreds of island commuters who rely on the harbour ferries to reach work on the mainland.",
    "The ferry union says deckhands and engineers have not had a pay rise in four years, while the harbour authority blames rising fuel costs for the freeze.",
    "Commuters queued at the Port Melvane terminal before dawn, hoping that a skeleton ferry service would sail, but the harbour master cancelled every crossing.",
    "Island shopkeepers said deliveries of bread and milk depend on the ferries, and warned that shelves would empty quickly if the strike lasted into the weekend.",
    "Talks between the ferry union and the harbour authority broke down late on Tuesday after negotiators failed to agree on overtime rules for engineers.",
    "A spokesperson for the harbour authority said the ferry timetable would be restored as soon as crews returned, and promised refunds for cancelled crossings.",
    "Union leaders in Port Melvane said the ferry crews would stay out until the authority tabled a written offer on pay, fuel surcharges and engineers overtime.",
    "By Thursday the island school had closed because teachers living on the mainland could not cross, and the harbour car park was full of abandoned vehicles.",
];

/// Story B: an apple harvest and its beekeepers.
const ORCHARD: &[&str] = &[
    "Orchard growers in the Valdren hills expect their biggest apple harvest in a decade, after a mild spring left the blossom untouched by frost.",
    "Beekeepers who rent hives to the Valdren orchards say pollination was unusually strong this year, with colonies returning heavy with nectar every evening.",
    "Pickers are being recruited from nearby villages because the apple harvest began two weeks early, and several orchards are offering bonuses for weekend shifts.",
    "The cider press cooperative plans to run its presses around the clock, turning bruised apples that supermarkets reject into juice and vinegar.",
    "Growers warned that cold storage in the Valdren valley is almost full, and some orchards may have to sell apples cheaply straight from the trees.",
    "Local beekeepers are moving hives away from the orchards before spraying begins, and hope to sell a record crop of blossom honey at the autumn market.",
];

/// Story C: a chess tournament.
const CHESS: &[&str] = &[
    "The national junior chess championship opened in the town library, where sixty players aged under sixteen sat down to the first round of the tournament.",
    "Defending champion Ilsa Varnow won her opening game in forty moves, sacrificing a knight early to open the king side of her opponent.",
    "Arbiters at the chess tournament introduced strict clocks this year, giving each player ninety minutes plus thirty seconds for every move played.",
    "Several parents watched the games on screens in the library hall, where a grandmaster explained each position and the plans behind the sacrifices.",
    "Varnow faces the top seed from the northern clubs in the final round, a player known for patient endgames and quiet positional chess.",
    "Organisers of the junior championship said entries had doubled since the tournament moved to the library, and hope to add a rapid chess event next year.",
];

fn text_page(paragraphs: Vec<String>) -> Page {
    Page {
        title: Title {
            text: "Town news".to_owned(),
            raw: "Town news".to_owned(),
            source: "title",
            ..Title::default()
        },
        main_text: paragraphs,
        ..Page::default()
    }
}

/// Three stories interleaved in chunks of two paragraphs, as scraper sites stitch them.
fn stitched_page() -> Page {
    let mut paras = Vec::new();
    for round in 0..4 {
        for story in [FERRY, ORCHARD, CHESS] {
            for p in story.iter().skip(round * 2).take(2) {
                paras.push((*p).to_owned());
            }
        }
    }
    text_page(paras)
}

/// One coherent article: the ferry story told in order, with a digression paragraph.
fn coherent_page() -> Page {
    let mut paras: Vec<String> = FERRY.iter().map(|p| (*p).to_owned()).collect();
    paras.insert(4, "Weather forecasters expect calm seas and light winds along the coast for the rest of the week, with sunshine in the afternoons.".to_owned());
    text_page(paras)
}

/// A forum thread: posts on one question that drift and answer each other.
fn forum_page() -> Page {
    let posts = [
        "Has anyone replaced the rear derailleur on an old touring bicycle? Mine skips gears on steep climbs and the shop wants a fortune for the repair.",
        "Check the chain first. A stretched chain skips on the big cogs long before the derailleur wears out, and a chain checker costs very little.",
        "Agreed about the chain. Also look at the cable tension; a barrel adjuster turn or two fixed skipping on my commuter bicycle last winter.",
        "If you do replace the derailleur, match the cage length to your cassette range, otherwise the chain will sag in the smallest cogs.",
        "Thanks everyone. The chain checker showed heavy wear, so I fitted a new chain and cassette, and the bicycle climbs without skipping now.",
        "Glad it worked. Clean and oil the new chain every few hundred kilometres and the cassette will last much longer this time.",
        "Off topic, but does anyone know a good pannier rack for a steel frame? Mine rattles loose on gravel roads every weekend.",
        "Steel frames usually take racks with eyelet bolts; use thread locker on the bolts and the rack will stop rattling on gravel.",
    ];
    text_page(posts.iter().map(|p| (*p).to_owned()).collect())
}

/// A listing page: unrelated items, each described in a sentence or two.
fn listing_page() -> Page {
    let items = [
        "Garden bench in weathered oak, seats three adults, some moss on the legs, collection only from the village green on Saturday.",
        "Children's bicycle with stabilisers, blue frame, new tyres fitted last month, suits ages four to six, helmet included in the price.",
        "Upright piano in walnut case, tuned in spring, two keys sticky in cold weather, buyer arranges removal from the first floor flat.",
        "Box of twenty crime novels in paperback, mostly Scandinavian authors, good condition, ideal for holiday reading or a book club.",
        "Electric lawnmower with grass box and spare blade, cuts well but the cable is short, extension lead not included in the sale.",
        "Pair of hiking boots, size nine, waterproof leather, worn twice on a mountain walk, too narrow for me so selling at half price.",
        "Aquarium of sixty litres with filter, heater and gravel, fish not included, the stand has a small scratch on the left door.",
        "Set of six dining chairs in painted pine, one needs a new seat pad, the others are sturdy and ready to use straight away.",
        "Vintage record player in a teak cabinet, plays all three speeds, the lid hinge was repaired, comes with twenty jazz records.",
        "Camping tent for four people with porch, used on two festival weekends, all pegs and poles present, packed in its own bag.",
    ];
    text_page(items.iter().map(|p| (*p).to_owned()).collect())
}

fn returns_of(page: &Page, models: &dyn SignalModels) -> (f64, String) {
    let set = compute_with(page, models, Explain::Detailed);
    let v = value(&set, "main_text_topic_returns");
    let ev = evidence(&set, "main_text_topic_returns");
    (v, ev)
}

/// Checks the stitched-text ordering with the given models.
fn assert_stitched_stands_out(models: &dyn SignalModels, label: &str) {
    let (stitched, ev) = returns_of(&stitched_page(), models);
    let (coherent, _) = returns_of(&coherent_page(), models);
    let (forum, _) = returns_of(&forum_page(), models);
    let (listing, _) = returns_of(&listing_page(), models);
    println!(
        "{label}: stitched {stitched:.3}, coherent {coherent:.3}, forum {forum:.3}, listing {listing:.3}\n{ev}"
    );
    for (other, name) in [
        (coherent, "coherent"),
        (forum, "forum"),
        (listing, "listing"),
    ] {
        assert!(
            stitched > other + 0.5,
            "{label}: stitched {stitched} should be well above {name} {other}"
        );
    }
    assert!(
        ev.contains("share a story") && ev.contains("unrelated to both"),
        "{ev}"
    );
    assert!(ev.contains("paragraph"), "{ev}");
}

#[test]
fn stitched_stories_return_and_real_texts_do_not() {
    assert_stitched_stands_out(&IdfStub, "IDF stub");
}

#[test]
fn stitched_stories_with_trained_models() {
    let Some(models) = trained_models() else {
        println!("skipping: set PAGESCORE_TEXT_MODELS to a trained text-models JSON");
        return;
    };
    assert_stitched_stands_out(&models, "trained");
}

#[test]
fn two_stories_back_to_back_are_not_a_return() {
    // A page that changes topic once (a second story below the first) has no return.
    let mut paras: Vec<String> = FERRY.iter().map(|p| (*p).to_owned()).collect();
    paras.extend(ORCHARD.iter().map(|p| (*p).to_owned()));
    let (v, _) = returns_of(&text_page(paras), &IdfStub);
    let (stitched, _) = returns_of(&stitched_page(), &IdfStub);
    assert!(
        v + 0.5 < stitched,
        "back to back {v} vs stitched {stitched}"
    );
}

#[test]
fn short_texts_have_no_returns() {
    let page = text_page(vec![
        FERRY[0].to_owned(),
        ORCHARD[0].to_owned(),
        FERRY[1].to_owned(),
    ]);
    let set = compute_with(&page, &IdfStub, Explain::Detailed);
    assert_eq!(value(&set, "main_text_topic_returns"), 0.0);
    assert!(evidence(&set, "main_text_topic_returns").is_empty());
}

/// A feed copied from many sources scatters its text over topics; an article keeps to its
/// story, whatever its length.
#[test]
fn a_feed_of_unrelated_stories_spreads_over_topics_and_an_article_does_not() {
    let feed = text_page(
        [
            "The council voted on Monday to close the old bridge to lorries after inspectors found cracks in two of its supporting piers.",
            "A late goal from the young striker settled a tense playoff in front of a sold-out crowd that had waited all season for a win.",
            "The chef behind the harbour restaurant is opening a second kitchen inland, with a menu built around vegetables from nearby farms.",
            "Shares in the regional airline rose sharply after it confirmed merger talks with a larger rival that flies from the same airports.",
            "Tram services through the centre will stop for three weeks in summer while the council replaces worn track near the station.",
            "The quarterback who missed most of the autumn with a shoulder injury is expected to start again when the playoff round begins.",
            "A folk singer who grew up above her parents' bakery returns this weekend to play the small hall where she gave her first concert.",
            "Analysts expect the merger to cut ticket prices on busy routes at first, then push them up once the two fleets have been combined.",
        ]
        .iter()
        .map(|p| (*p).to_owned())
        .collect(),
    );
    let article = text_page(
        [
            "The council voted on Monday to close the old bridge to lorries after inspectors found cracks in two of its supporting piers.",
            "Engineers told councillors that the cracks had widened since the last inspection and that heavy traffic was the likeliest cause.",
            "Lorries will be sent along the ring road instead, which the council says adds about ten minutes to a crossing of the town.",
            "Residents near the bridge welcomed the decision, saying the traffic had shaken their windows for years and kept them awake.",
            "Repairs to the piers are expected to take most of next year, and the bridge will close to all traffic for part of that time.",
            "Tram services over the bridge will continue while the work goes on, though trams will cross it more slowly than before.",
            "The council will publish the engineers' report next week together with the cost of the repairs and how it will pay for them.",
            "Opposition councillors asked why the cracks were not found sooner, and called for every bridge in the district to be inspected.",
        ]
        .iter()
        .map(|p| (*p).to_owned())
        .collect(),
    );
    let f = compute_with(&feed, &Stub, Explain::Detailed);
    let a = compute_with(&article, &Stub, Explain::Detailed);
    let (fv, av) = (
        value(&f, "main_text_topic_spread"),
        value(&a, "main_text_topic_spread"),
    );
    assert!(fv > 0.2, "feed: {fv}");
    assert!(av < 0.05, "article: {av}");
    let ev = evidence(&f, "main_text_topic_spread");
    assert!(ev.contains("units of main text lean to"), "{ev}");
    assert!(
        ev.contains("paragraph 1 \"The council voted") && ev.contains("— city"),
        "{ev}"
    );

    // Too little text to have a spread: fewer than four units.
    let short = text_page(feed.main_text[..2].to_vec());
    let s = compute_with(&short, &Stub, Explain::Detailed);
    assert_eq!(value(&s, "main_text_topic_spread"), 0.0);
    assert!(evidence(&s, "main_text_topic_spread").is_empty());
}

// ---- the single most off-topic recommendation block --------------------------------------

const ON_TOPIC_4: &[&str] = &[
    "Bridge construction costs rise again, council warns",
    "Traffic diversions announced for old town bridge works",
    "Mayor opens tenders for river bridge construction",
    "Council budget debate runs late over bridge costs",
];

#[test]
fn related_block_of_off_topic_headlines_scores_high() {
    // Site navigation full of headline-like links dilutes the page-wide share; the block
    // share looks at the one block only.
    let nav_headlines: Vec<String> = (0..30)
        .map(|i| format!("Council bridge construction budget update number {i}"))
        .collect();
    let nav: Vec<&str> = nav_headlines.iter().map(String::as_str).collect();
    let mut off = article_page();
    off.link_blocks = vec![
        block(None, "nav", &nav),
        block(Some("Related stories"), "body", OFF_TOPIC),
    ];
    let mut on = article_page();
    on.link_blocks = vec![
        block(None, "nav", &nav),
        block(Some("Related stories"), "body", ON_TOPIC_4),
    ];
    let off_set = compute_with(&off, &Stub, Explain::Detailed);
    let on_set = compute_with(&on, &Stub, Explain::Detailed);
    let off_v = value(&off_set, "related_block_off_topic_share");
    let on_v = value(&on_set, "related_block_off_topic_share");
    // four of four off-topic, shrunk by one prior on-topic link: 0.8
    assert!(off_v > 0.7, "off-topic block {off_v}");
    assert!(on_v < 0.1, "on-topic block {on_v}");
    assert!(
        value(&off_set, "off_topic_link_share") < off_v,
        "the page-wide share is diluted by navigation"
    );
    let ev = evidence(&off_set, "related_block_off_topic_share");
    assert!(
        ev.contains("Related stories") && ev.contains("4 of 4"),
        "{ev}"
    );
    assert!(ev.contains("Airline merger collapses"), "{ev}");
}

#[test]
fn small_or_navigation_blocks_do_not_count_for_the_block_share() {
    let mut page = article_page();
    page.link_blocks = vec![
        // three links: too few for a share
        block(Some("Related"), "body", &OFF_TOPIC[..3]),
        // a footer block without a heading claiming relatedness
        block(None, "footer", OFF_TOPIC),
    ];
    let set = compute_with(&page, &Stub, Explain::Skip);
    assert_eq!(value(&set, "related_block_off_topic_share"), 0.0);
    // the same headlines under a recommendation heading count, wherever they sit, but less
    // than under a heading that claims they are related
    page.link_blocks = vec![block(Some("You may also like"), "aside", OFF_TOPIC)];
    let recommended = value(
        &compute_with(&page, &Stub, Explain::Skip),
        "related_block_off_topic_share",
    );
    page.link_blocks = vec![block(Some("Related"), "aside", OFF_TOPIC)];
    let related = value(
        &compute_with(&page, &Stub, Explain::Skip),
        "related_block_off_topic_share",
    );
    assert!(
        recommended > 0.4 && related > recommended,
        "{recommended} {related}"
    );
    // a popularity list in the content is off-topic by nature: it weighs least
    page.link_blocks = vec![block(Some("Most read"), "body", OFF_TOPIC)];
    let popular = value(
        &compute_with(&page, &Stub, Explain::Skip),
        "related_block_off_topic_share",
    );
    assert!(popular > 0.0 && popular < recommended, "{popular}");
}

#[test]
fn names_and_empty_counts_are_not_engagement_counters() {
    let mut page = article_page();
    // "B2B" once read as 2 billion; an empty cart shows no count.
    page.counters = vec![
        "B2B".to_owned(),
        "Cart ( 0 )".to_owned(),
        "MP3 downloads (37)".to_owned(),
    ];
    let set = compute_with(&page, &Stub, Explain::Detailed);
    assert!((value(&set, "counters_log") - 2f64.ln()).abs() < 1e-9);
    assert!((value(&set, "counter_value_log") - 38f64.ln()).abs() < 1e-9);
    let ev = evidence(&set, "counters_log");
    assert!(ev.contains("MP3 downloads") && !ev.contains("B2B"), "{ev}");
}

/// The topic distributions the related-links comparison hands on to the headline spread are the
/// ones the spread would compute itself, and the distances are unchanged by handing them on.
#[test]
fn shared_topic_distributions_equal_direct_ones() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let bundle = pagescore::model::Bundle::load(&dir).expect("shipped model loads");
    let topics = &bundle.payload.text.topics;
    let article = ARTICLE.join(" ");
    let texts = [
        "Council approves bridge budget after long debate",
        "Quarterback out for the playoff with a knee injury",
        "",
        "Council approves bridge budget after long debate",
        "Airline shares fall as merger talks stall",
    ];
    let (distances, dists) = topics.distances_and_topics(&article, &texts);
    assert_eq!(distances, topics.distances(&article, &texts));
    assert_eq!(dists.len(), texts.len());
    for (i, t) in texts.iter().enumerate() {
        assert_eq!(
            distances[i].to_bits(),
            topics.distance(&article, t).to_bits(),
            "{t}"
        );
        match i {
            // no words: no comparison, no distribution; a repeat: computed at its first place
            2 | 3 => assert!(dists[i].is_empty(), "{t}"),
            _ => assert_eq!(dists[i], topics.distribution(t), "{t}"),
        }
    }
    // An article without words compares nothing.
    let (d, t) = topics.distances_and_topics("", &texts);
    assert!(d.iter().all(|&x| x == 0.0) && t.iter().all(Vec::is_empty));
}

// ---- the article against the site's own chrome ---------------------------------------------

/// `article_page()` shown inside the given chrome lines (menus, sidebar text) and link blocks.
fn article_in_chrome(chrome: &[&str], blocks: Vec<LinkBlock>) -> Page {
    let mut page = article_page();
    let mut lines: Vec<String> = chrome.iter().map(|l| (*l).to_owned()).collect();
    lines.extend(page.main_text.iter().cloned());
    lines.extend(
        blocks
            .iter()
            .flat_map(|b| b.links.iter().map(|l| l.text.clone())),
    );
    page.stats.visible_lines = lines;
    page.link_blocks = blocks;
    page
}

/// A city story inside a cookery site's chrome is far from it; the same story inside a city
/// paper's chrome is close, and chrome too thin to say what the site is about gives nothing.
#[test]
fn a_story_in_the_chrome_of_another_kind_of_site_is_flagged() {
    let cookery = [
        "Recipes · Baking · Desserts · Vegetarian dinners · Kitchen gadgets",
        "Sign up for our weekly recipe newsletter and get seasonal menus from our chefs",
        "Popular this week: slow roasted lamb shoulder, lemon drizzle cake, mushroom risotto",
        "Our test kitchen tries every recipe three times before we publish it",
        "About us · Contact · Advertise with us · Privacy policy · Cookie settings",
    ];
    let city_paper = [
        "City · Council · Transport · Bridge works · Budget debate",
        "Traffic updates for the river bridge and the old town diversions every morning",
        "Council budget coverage: construction costs, tenders and what the mayor said",
        "Tram and cyclist routes across the river, engineers on the bridge construction",
        "Council meetings · Traffic · Construction · Trams · Budget",
    ];
    let off = compute_with(
        &article_in_chrome(&cookery, Vec::new()),
        &Stub,
        Explain::Detailed,
    );
    let on = compute_with(
        &article_in_chrome(&city_paper, Vec::new()),
        &Stub,
        Explain::Detailed,
    );
    let (off_v, on_v) = (
        value(&off, "chrome_topic_mismatch"),
        value(&on, "chrome_topic_mismatch"),
    );
    assert!(off_v > 0.8, "cookery chrome: {off_v}");
    assert!(on_v < 0.5, "city chrome: {on_v}");
    let ev = evidence(&off, "chrome_topic_mismatch");
    assert!(ev.contains("words of the page around it"), "{ev}");
    assert!(ev.contains("to culture"), "{ev}");
    assert!(ev.contains("around it: \"Recipes"), "{ev}");

    // Chrome of a dozen words tells nothing about the site.
    let thin = compute_with(
        &article_in_chrome(&["Home · News · Contact"], Vec::new()),
        &Stub,
        Explain::Detailed,
    );
    assert_eq!(value(&thin, "chrome_topic_mismatch"), 0.0);
    assert!(evidence(&thin, "chrome_topic_mismatch").is_empty());
}

/// Headline links are the link-block signals' to weigh: a page whose only text around the
/// article is off-topic headlines has no chrome to compare.
#[test]
fn headline_links_are_not_chrome() {
    let headlines = [
        "Chef opens a second restaurant with a menu of farm vegetables",
        "Singer returns to the hall where she gave her first concert",
        "Airline shares rise after merger talks with a larger rival",
        "Striker settles the playoff with a late goal in front of a full crowd",
        "Restaurant critics pick the best new dessert kitchens of the year",
        "Merger would cut ticket prices on busy routes, analysts expect",
        "Quarterback expected to start again when the playoff round begins",
        "Singer and chef team up for a summer festival of food and music",
    ];
    let page = article_in_chrome(&[], vec![block(Some("More stories"), "aside", &headlines)]);
    let s = compute_with(&page, &Stub, Explain::Detailed);
    assert!(value(&s, "headline_links_log") > 0.0);
    assert_eq!(value(&s, "chrome_topic_mismatch"), 0.0);

    // A plain-text page lists them as bulleted lines: still headlines, not chrome.
    let mut bulleted = page.clone();
    for line in bulleted.stats.visible_lines.iter_mut() {
        if headlines.contains(&line.as_str()) {
            *line = format!("- {line}");
        }
    }
    let s = compute_with(&bulleted, &Stub, Explain::Detailed);
    assert_eq!(value(&s, "chrome_topic_mismatch"), 0.0);

    // The same lines as plain chrome (no link block claims them) do count.
    let mut plain = page;
    plain.link_blocks.clear();
    let s = compute_with(&plain, &Stub, Explain::Detailed);
    assert!(value(&s, "chrome_topic_mismatch") > 0.5);
}

/// Two English paragraphs of a story (each well over the 25 words a paragraph needs before
/// its language is read).
const STORY_EN: &[&str] = &[
    "The harbour authority said on Monday that the new ferry terminal will open in the spring, and that the old pier will be kept for the fishing boats of the town.",
    "Passengers who travel to the islands every day have waited for the terminal for years, and the council hopes that the shops around it will bring trade back to the quay.",
];
/// A German paragraph from another story, as a stitched page pastes it in.
const STORY_DE: &str = "Die Stadt hat am Dienstag beschlossen, dass die alte Brücke über den Fluss im nächsten Jahr abgerissen wird, und die Bürger sollen bis zum Sommer über den Entwurf für die neue Brücke abstimmen.";

#[test]
fn a_main_text_that_switches_language_is_mixed_but_a_foreign_quote_is_not() {
    let mut paras: Vec<String> = STORY_EN.iter().map(|s| (*s).to_owned()).collect();
    paras.extend(STORY_EN.iter().map(|s| (*s).to_owned()));
    let english = text_page(paras.clone());
    let s = compute_with(&english, &Stub, Explain::Detailed);
    assert_eq!(value(&s, "main_text_language_mix"), 0.0);
    assert!(evidence(&s, "main_text_language_mix").is_empty());

    // A short quote in another language inside the story is no switch.
    let mut quoted = paras.clone();
    quoted.insert(2, "Die Brücke wird abgerissen, sagte er.".to_owned());
    let s = compute_with(&text_page(quoted), &Stub, Explain::Detailed);
    assert_eq!(value(&s, "main_text_language_mix"), 0.0);

    // A pasted German paragraph is about a fifth of the words, and the evidence names both.
    let mut stitched = paras.clone();
    stitched.insert(2, STORY_DE.to_owned());
    let s = compute_with(&text_page(stitched), &Stub, Explain::Detailed);
    let v = value(&s, "main_text_language_mix");
    assert!((0.15..0.3).contains(&v), "mix {v}");
    let ev = evidence(&s, "main_text_language_mix");
    assert!(
        ev.contains("en:") && ev.contains("de:") && ev.contains("paragraph 3"),
        "{ev}"
    );

    // Code between the paragraphs is no language, though its few function words fit one.
    let mut code = paras.clone();
    code.insert(
        2,
        // "todo" and "todos" are Spanish function words
        "import React, { useState } from 'react'; interface Todo { id: number; text: string; done: boolean } \
         export default function App() { const [todos, setTodos] = useState<Todo[]>([]); const add = (text: string) => \
         setTodos([...todos, { id: Date.now(), text, done: false }]); const toggle = (id: number) => setTodos(todos.map(todo => \
         todo.id === id ? { ...todo, done: !todo.done } : todo)); const remove = (id: number) => setTodos(todos.filter(todo => \
         todo.id !== id)); return <ul>{todos.map(todo => <li key={todo.id} onClick={() => toggle(todo.id)}>{todo.text}</li>)}</ul>; }"
            .to_owned(),
    );
    let s = compute_with(&text_page(code), &Stub, Explain::Detailed);
    assert_eq!(
        value(&s, "main_text_language_mix"),
        0.0,
        "{}",
        evidence(&s, "main_text_language_mix")
    );

    // A paragraph in another script counts as another language too.
    let mut cjk = paras;
    cjk.push("港口管理局星期一表示，新的渡轮码头将于明年春天开放，旧码头将保留给镇上的渔船使用，每天往返岛屿的乘客已经等待这个码头很多年了。".repeat(2));
    let s = compute_with(&text_page(cjk), &Stub, Explain::Detailed);
    assert!(value(&s, "main_text_language_mix") > 0.0);
}
