//! Criterion micro-benchmarks of the hot stages: read/decode, HTML extraction (parse + link
//! blocks), plain-text extraction, text classifiers, signals, model and the full pipeline, each
//! with byte throughput.
//!
//! Runs on pages generated here (no data needed); when `../shared/data/pages/readability` is
//! present, a few real pages from it are added (`real/…` inputs).
//!
//! ```text
//! cargo bench --bench pipeline                 # everything
//! cargo bench --bench pipeline -- extract_html # one group
//! ```

use std::hint::black_box;
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use pagescore::extract::{self, ExtractLimits};
use pagescore::read::{self, RawPage, ReadLimits};
use pagescore::signals::{self, Explain};
use pagescore::Scorer;

/// The one criterion configuration every group uses: short runs (the machine is shared), enough
/// samples for a stable median, and a 5% noise threshold before a change is reported.
fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .noise_threshold(0.05)
        .without_plots()
}

/// A named input page.
struct Input {
    name: String,
    bytes: Vec<u8>,
}

/// 64-bit LCG: deterministic filler text.
struct Lcg(u64);

impl Lcg {
    fn word(&mut self) -> &'static str {
        const WORDS: &[&str] = &[
            "council",
            "river",
            "budget",
            "school",
            "harbour",
            "museum",
            "winter",
            "road",
            "library",
            "market",
            "station",
            "report",
            "plan",
            "vote",
            "residents",
            "the",
            "a",
            "of",
            "and",
            "to",
            "in",
            "for",
            "with",
            "after",
        ];
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        WORDS[((self.0 >> 33) % WORDS.len() as u64) as usize]
    }

    fn sentence(&mut self, n: usize) -> String {
        (0..n).map(|_| self.word()).collect::<Vec<_>>().join(" ") + "."
    }
}

const HEADLINES: &[&str] = &[
    "You Won't Believe What This Town Did With Its Old Bridge",
    "Council approves harbour repairs after winter storms",
    "17 Photos That Prove Cats Are Secretly Running The Internet",
    "Central bank holds rates as inflation eases",
    "This Simple Trick Will Change How You Cook Rice Forever",
    "Library extends opening hours for exam season",
];

/// A news-like page of about `paragraphs` paragraphs with navigation, sidebars of related links
/// (the link blocks extraction and the link signals work on), scripts and a footer.
fn news_page(seed: u64, paragraphs: usize) -> Vec<u8> {
    let mut rng = Lcg(seed);
    let mut s = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Council approves harbour repairs - Riverside Gazette</title>\
         <link rel=\"canonical\" href=\"https://gazette.example/news/harbour\">\
         <script>window.dataLayer=[];function gtag(){dataLayer.push(arguments)}</script>\
         <style>body{font:16px sans-serif}.nav a{color:#333}</style></head><body>\
         <header class=\"nav\"><ul>",
    );
    for i in 0..30 {
        s.push_str(&format!(
            "<li><a href=\"/section/{i}\">Section {i}</a></li>"
        ));
    }
    s.push_str("</ul></header><main><article><h1>Council approves harbour repairs</h1>");
    s.push_str("<p class=\"byline\">By A. Writer | March 2, 2024</p>");
    for i in 0..paragraphs {
        s.push_str(&format!("<p>{}</p>", rng.sentence(40)));
        if i % 10 == 9 {
            s.push_str("<div class=\"ad-slot\"><ins class=\"adsbygoogle\"></ins></div>");
        }
    }
    s.push_str("</article><aside>");
    for block in 0..4 {
        s.push_str(&format!(
            "<section class=\"related\"><h3>More stories {block}</h3><ul>"
        ));
        for (i, h) in HEADLINES.iter().cycle().take(12).enumerate() {
            s.push_str(&format!(
                "<li><a href=\"https://other{block}.example/story/{i}\">{h}</a></li>"
            ));
        }
        s.push_str("</ul></section>");
    }
    s.push_str("</aside></main><footer><p>&copy; 2024 Riverside Gazette &middot; ");
    s.push_str("<a href=\"/privacy\">Privacy</a></p></footer></body></html>");
    s.into_bytes()
}

fn text_page(seed: u64, paragraphs: usize) -> Vec<u8> {
    let mut rng = Lcg(seed);
    let mut s = String::from("Council approves harbour repairs\n\n");
    for _ in 0..paragraphs {
        s.push_str(&rng.sentence(50));
        s.push_str("\n\n");
    }
    s.push_str("Read more:\n");
    for h in HEADLINES {
        s.push_str(h);
        s.push('\n');
    }
    s.into_bytes()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    enc.write_all(bytes).expect("gzip in memory");
    enc.finish().expect("gzip in memory")
}

/// Generated HTML pages (small, typical, large), plus up to 4 real pages when the shared data is
/// present.
fn html_inputs() -> Vec<Input> {
    let mut inputs = vec![
        Input {
            name: "gen/small".into(),
            bytes: news_page(1, 8),
        },
        Input {
            name: "gen/typical".into(),
            bytes: news_page(2, 120),
        },
        Input {
            name: "gen/large".into(),
            bytes: news_page(3, 3000),
        },
    ];
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/pages/readability");
    for name in ["nytimes-1", "wikipedia", "medium-1", "guardian-1"] {
        let path = real.join(name).join("source.html.gz");
        let Ok(gz) = std::fs::read(&path) else {
            continue;
        };
        let mut bytes = Vec::new();
        if flate2::read::MultiGzDecoder::new(&gz[..])
            .read_to_end(&mut bytes)
            .is_ok()
        {
            inputs.push(Input {
                name: format!("real/{name}"),
                bytes,
            });
        }
    }
    inputs
}

fn raw<'a>(bytes: &'a [u8], name: &'a str) -> RawPage<'a> {
    RawPage {
        bytes,
        url: None,
        content_type: None,
        name_hint: Some(name),
    }
}

fn bench_read(c: &mut Criterion) {
    let limits = ReadLimits::default();
    let page = news_page(2, 120);
    let packed = gzip(&page);
    let latin: Vec<u8> = page
        .iter()
        .map(|&b| if b == b'e' { 0xe9 } else { b })
        .collect();
    let mut g = c.benchmark_group("read");
    g.throughput(Throughput::Bytes(page.len() as u64));
    g.bench_function("utf8_html", |b| {
        b.iter(|| read::read(black_box(&raw(&page, "p.html")), &limits))
    });
    g.bench_function("gzip_html", |b| {
        b.iter(|| read::read(black_box(&raw(&packed, "p.html")), &limits))
    });
    g.bench_function("sniffed_charset", |b| {
        b.iter(|| read::read(black_box(&raw(&latin, "p.html")), &limits))
    });
    g.finish();
}

fn bench_extract_html(c: &mut Criterion) {
    let scorer = Scorer::embedded().expect("embedded model");
    let ads = &scorer.bundle().payload.ads;
    let limits = ExtractLimits::default();
    let mut g = c.benchmark_group("extract_html");
    for input in html_inputs() {
        let Ok(doc) = read::read(&raw(&input.bytes, "p.html"), &ReadLimits::default()) else {
            continue;
        };
        g.throughput(Throughput::Bytes(input.bytes.len() as u64));
        g.bench_function(&input.name, |b| {
            b.iter(|| extract::extract(black_box(&doc), &limits, ads))
        });
    }
    g.finish();
}

fn bench_extract_text(c: &mut Criterion) {
    let limits = ExtractLimits::default();
    let mut g = c.benchmark_group("extract_text");
    for (name, paragraphs) in [("small", 5), ("typical", 60), ("large", 1500)] {
        let bytes = text_page(7, paragraphs);
        let doc = read::read(&raw(&bytes, "p.txt"), &ReadLimits::default()).expect("text reads");
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| extract::text::extract(black_box(&doc), &limits))
        });
    }
    g.finish();
}

fn bench_text_models(c: &mut Criterion) {
    let scorer = Scorer::embedded().expect("embedded model");
    let text = &scorer.bundle().payload.text;
    let headline_bytes: usize = HEADLINES.iter().map(|h| h.len()).sum();
    let article = String::from_utf8(text_page(9, 40)).expect("utf-8");
    let mut g = c.benchmark_group("text_models");
    g.throughput(Throughput::Bytes(headline_bytes as u64));
    g.bench_function("clickbait_headlines", |b| {
        b.iter(|| {
            HEADLINES
                .iter()
                .map(|h| text.clickbait.probability(black_box(h)))
                .sum::<f64>()
        })
    });
    g.bench_function("promo_headlines", |b| {
        b.iter(|| {
            HEADLINES
                .iter()
                .map(|h| text.promo.probability(black_box(h)))
                .sum::<f64>()
        })
    });
    g.throughput(Throughput::Bytes((article.len() + headline_bytes) as u64));
    g.bench_function("topic_distance_article_vs_headlines", |b| {
        b.iter(|| {
            HEADLINES
                .iter()
                .map(|h| text.topics.distance(black_box(&article), black_box(h)))
                .sum::<f64>()
        })
    });
    g.finish();
}

fn bench_signals_and_model(c: &mut Criterion) {
    let scorer = Scorer::embedded().expect("embedded model");
    let header = &scorer.bundle().header;
    let mut g = c.benchmark_group("signals");
    let mut sets = Vec::new();
    for input in html_inputs() {
        let Ok(page) = scorer.inspect(&raw(&input.bytes, "p.html")) else {
            continue;
        };
        g.throughput(Throughput::Bytes(input.bytes.len() as u64));
        g.bench_function(&input.name, |b| {
            b.iter(|| scorer.signals(black_box(&page), Explain::Skip))
        });
        g.bench_function(format!("{}/evidence", input.name), |b| {
            b.iter(|| scorer.signals(black_box(&page), Explain::Detailed))
        });
        sets.push((
            input.name,
            signals::compute(&page, &scorer.bundle().payload.text, Explain::Skip),
        ));
    }
    g.finish();
    let mut g = c.benchmark_group("model");
    g.throughput(Throughput::Elements(1));
    if let Some((name, set)) = sets.first() {
        g.bench_function(name, |b| {
            b.iter_batched(
                || set.clone(),
                |set| header.model.score(set, false, &header.model_version),
                BatchSize::SmallInput,
            )
        });
    }
    g.finish();
}

fn bench_pipeline(c: &mut Criterion) {
    let scorer = Scorer::embedded().expect("embedded model");
    let mut g = c.benchmark_group("pipeline");
    for input in html_inputs() {
        g.throughput(Throughput::Bytes(input.bytes.len() as u64));
        g.bench_function(&input.name, |b| {
            b.iter(|| scorer.score(black_box(&raw(&input.bytes, "p.html")), Explain::Skip))
        });
    }
    let packed = gzip(&news_page(2, 120));
    g.throughput(Throughput::Bytes(packed.len() as u64));
    g.bench_function("gen/typical.gz (compressed bytes)", |b| {
        b.iter(|| scorer.score(black_box(&raw(&packed, "p.html")), Explain::Skip))
    });
    g.finish();
}

criterion_group! {
    name = stages;
    config = config();
    targets = bench_read, bench_extract_html, bench_extract_text, bench_text_models,
        bench_signals_and_model, bench_pipeline
}
criterion_main!(stages);
