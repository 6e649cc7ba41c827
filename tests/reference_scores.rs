//! Reference scores: every page of a fixed set (the fixtures under `tests/fixtures/` plus a few
//! generated pages) is scored with the embedded model and each figure (spam probability, logit,
//! verdict, every signal value and contribution, evidence) is compared bit for bit against
//! `tests/fixtures/reference_scores.json`. An optimisation of the pipeline must not change any
//! score; this test is what proves it.
//!
//! After a deliberate change of scores (a retrained model in `models/`, a new signal), regenerate
//! the reference with one command and commit the JSON:
//!
//! ```text
//! PAGESCORE_BLESS=1 cargo test --release --test reference_scores
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};

use pagescore::model::Score;
use pagescore::read::RawPage;
use pagescore::signals::Explain;
use pagescore::Scorer;
use serde_json::{json, Value};

const REFERENCE: &str = "tests/fixtures/reference_scores.json";

/// One page of the reference set.
struct RefPage {
    name: String,
    bytes: Vec<u8>,
    content_type: Option<&'static str>,
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The fixture pages (html and text files under tests/fixtures, sorted), then the generated ones.
fn reference_pages() -> Vec<RefPage> {
    let mut files = Vec::new();
    let mut dirs = vec![fixtures_dir()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("fixtures folder") {
            let path = entry.expect("fixture entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "html" || e == "htm" || e == "txt")
            {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut pages: Vec<RefPage> = files
        .into_iter()
        .map(|path| RefPage {
            name: path
                .strip_prefix(fixtures_dir())
                .unwrap_or(&path)
                .display()
                .to_string(),
            bytes: std::fs::read(&path).expect("fixture readable"),
            content_type: None,
        })
        .collect();
    pages.extend(generated_pages());
    pages
}

/// A tiny deterministic generator (64-bit LCG), so the generated pages never change.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[(self.next() % words.len() as u64) as usize]
    }

    fn sentence(&mut self, words: &[&str], n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.pick(words));
        }
        s.push('.');
        s
    }
}

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
    "repairs",
    "weekend",
    "season",
    "bridge",
    "festival",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "for",
    "with",
    "after",
    "before",
];
const BAIT: &[&str] = &[
    "You Won't Believe What Happened Next",
    "10 Tricks Doctors Don't Want You To Know",
    "This One Weird Habit Changes Everything",
    "Celebrities Who Look Totally Different Now",
    "Shocking Photos Nobody Was Supposed To See",
];

/// Pages written by the test: a long article with navigation, a scraper-style page with
/// off-topic link farms, the same gzipped, a windows-1252 page, broken markup and plain text.
fn generated_pages() -> Vec<RefPage> {
    let mut rng = Lcg(0x5eed_cafe);
    let mut pages = Vec::new();

    let mut article = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Council approves harbour repairs - Riverside Gazette</title>\
         <link rel=\"canonical\" href=\"https://gazette.example/news/harbour\">\
         <meta property=\"article:published_time\" content=\"2024-03-02T10:00:00Z\">\
         </head><body><nav><ul>",
    );
    for s in ["News", "Sport", "Culture", "Weather", "Contact"] {
        article.push_str(&format!("<li><a href=\"/{s}\">{s}</a></li>"));
    }
    article.push_str("</ul></nav><article><h1>Council approves harbour repairs</h1>");
    article.push_str("<p class=\"byline\">By A. Writer, 2 March 2024</p>");
    for _ in 0..40 {
        let p = rng.sentence(WORDS, 25);
        article.push_str(&format!("<p>{p}</p>"));
    }
    article
        .push_str("</article><footer><p>&copy; 2024 Riverside Gazette</p></footer></body></html>");
    pages.push(RefPage {
        name: "generated/article.html".into(),
        bytes: article.into_bytes(),
        content_type: Some("text/html; charset=utf-8"),
    });

    let mut scraped = String::from(
        "<html><head><title>harbour repairs | latest news hub</title></head><body>\
         <div class=\"ad-banner\">Advertisement</div><div id=\"content\"><h2>Harbour repairs</h2>",
    );
    for _ in 0..12 {
        scraped.push_str(&format!("<p>{}</p>", rng.sentence(WORDS, 18)));
    }
    scraped.push_str("</div>");
    for block in 0..6 {
        scraped.push_str(&format!(
            "<div class=\"related\"><h3>Trending {block}</h3><ul>"
        ));
        for i in 0..10 {
            let t = rng.pick(BAIT);
            scraped.push_str(&format!(
                "<li><a href=\"https://clicks{block}.example/r?id={i}\">{t}</a></li>"
            ));
        }
        scraped.push_str("</ul></div>");
    }
    scraped.push_str("<p>Sponsored: earn money from home, limited offer, click now!</p>");
    scraped.push_str("</body></html>");
    let scraped = scraped.into_bytes();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    gz.write_all(&scraped).expect("gzip in memory");
    pages.push(RefPage {
        name: "generated/scraped.html".into(),
        bytes: scraped,
        content_type: None,
    });
    pages.push(RefPage {
        name: "generated/scraped.html.gz".into(),
        bytes: gz.finish().expect("gzip in memory"),
        content_type: None,
    });

    let mut latin = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\
        <title>Caf\xe9 r\xe9ouvre apr\xe8s travaux</title></head><body><h1>Caf\xe9 r\xe9ouvre</h1>"
        .to_vec();
    for _ in 0..8 {
        latin.extend_from_slice(b"<p>Le caf\xe9 du march\xe9 a rouvert ses portes apr\xe8s des travaux de r\xe9novation \xab tr\xe8s attendus \xbb.</p>");
    }
    latin.extend_from_slice(b"</body></html>");
    pages.push(RefPage {
        name: "generated/windows-1252.html".into(),
        bytes: latin,
        content_type: None,
    });

    let mut broken = String::from("<html><body><div><p>unclosed <b>bold <i>italic <a href=x>link");
    for _ in 0..200 {
        broken.push_str("<div><span>");
    }
    broken.push_str(&rng.sentence(WORDS, 60));
    broken.push_str("<script>var x = '</div>';</script><!-- comment <p> --><table><tr><td>cell");
    pages.push(RefPage {
        name: "generated/broken.html".into(),
        bytes: broken.into_bytes(),
        content_type: None,
    });

    let mut text = String::new();
    for _ in 0..10 {
        text.push_str(&rng.sentence(WORDS, 30));
        text.push_str("\n\n");
    }
    pages.push(RefPage {
        name: "generated/plain.txt".into(),
        bytes: text.into_bytes(),
        content_type: Some("text/plain"),
    });
    pages
}

fn score_json(score: &Score) -> Value {
    json!({
        "spam_probability": score.spam_probability,
        "logit": score.logit,
        "intercept": score.intercept,
        "verdict": format!("{:?}", score.verdict),
        "truncated": score.truncated,
        "signals": score.signals.iter().map(|s| json!({
            "name": s.name,
            "value": s.value,
            "contribution": s.contribution,
            "evidence": s.evidence,
        })).collect::<Vec<_>>(),
    })
}

/// The day the reference is scored on. `date_in_future` reads the clock, so a page dated ahead
/// of the real today would score differently from one day to the next; pinned (through the
/// same `PAGESCORE_TODAY` the CLI honours), the reference stays valid on any day.
const TODAY: &str = "2026-12-02";

fn current_scores() -> Value {
    static PIN_TODAY: std::sync::Once = std::sync::Once::new();
    PIN_TODAY.call_once(|| std::env::set_var("PAGESCORE_TODAY", TODAY));
    let scorer = Scorer::embedded().expect("embedded model loads");
    let mut out = serde_json::Map::new();
    for page in reference_pages() {
        let raw = RawPage {
            bytes: &page.bytes,
            url: None,
            content_type: page.content_type,
            name_hint: Some(page.name.strip_suffix(".gz").unwrap_or(&page.name)),
        };
        let detailed = scorer
            .score(&raw, Explain::Detailed)
            .unwrap_or_else(|e| panic!("{} does not score: {e}", page.name));
        let quick = scorer
            .score(&raw, Explain::Skip)
            .unwrap_or_else(|e| panic!("{} does not score: {e}", page.name));
        // Evidence is optional work; it must never change a value.
        assert_eq!(
            detailed.spam_probability.to_bits(),
            quick.spam_probability.to_bits(),
            "{}: collecting evidence changed the probability",
            page.name
        );
        out.insert(page.name, score_json(&detailed));
    }
    json!({
        "model_version": scorer.model_info().version,
        "pages": out,
    })
}

/// Every difference between two JSON trees, floats compared bit for bit.
fn diff(path: &str, want: &Value, got: &Value, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Number(a), Value::Number(b)) => {
            let (x, y) = (a.as_f64(), b.as_f64());
            if x.map(f64::to_bits) != y.map(f64::to_bits) {
                out.push(format!("{path}: reference {a}, now {b}"));
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                match b.get(k) {
                    Some(vb) => diff(&format!("{path}/{k}"), va, vb, out),
                    None => out.push(format!("{path}/{k}: missing now")),
                }
            }
            for k in b.keys().filter(|k| !a.contains_key(*k)) {
                out.push(format!("{path}/{k}: new, not in the reference"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                out.push(format!(
                    "{path}: {} items in the reference, {} now",
                    a.len(),
                    b.len()
                ));
            }
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                diff(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: reference {a}, now {b}")),
    }
}

#[test]
fn scores_match_the_reference_bit_for_bit() {
    let now = current_scores();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(REFERENCE);
    if std::env::var_os("PAGESCORE_BLESS").is_some_and(|v| v != "0") {
        let text = serde_json::to_string_pretty(&now).expect("json") + "\n";
        std::fs::write(&path, text).expect("write the reference");
        println!("wrote {}", path.display());
        return;
    }
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} unreadable ({e}); create it with PAGESCORE_BLESS=1 cargo test --release --test reference_scores",
            path.display()
        )
    });
    let want: Value = serde_json::from_str(&text).expect("reference is JSON");
    let mut diffs = Vec::new();
    diff("", &want, &now, &mut diffs);
    assert!(
        diffs.is_empty(),
        "{} difference(s) from {REFERENCE} (if the change is deliberate, e.g. a retrained model, \
         rerun with PAGESCORE_BLESS=1 and commit the JSON):\n{}",
        diffs.len(),
        diffs
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn reference_covers_every_page_and_signal() {
    // The comparison is only as strong as its coverage: every page scored, every signal of the
    // schema present for each.
    let now = current_scores();
    let pages = now["pages"].as_object().expect("pages");
    assert!(pages.len() >= 14, "only {} reference pages", pages.len());
    for (name, score) in pages {
        let n = score["signals"].as_array().map_or(0, Vec::len);
        assert_eq!(n, pagescore::signals::SCHEMA.len(), "{name}");
    }
}
