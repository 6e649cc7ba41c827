//! The corpus builder on a tiny data dir made here: same seed gives the same corpus, the split
//! is disjoint by source and by template, and the test split holds only ingredients the text
//! models held out.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

fn gz(path: &Path, text: &str) {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(text.as_bytes()).unwrap();
    std::fs::write(path, e.finish().unwrap()).unwrap();
}

const WORDS: &[&str] = &[
    "river",
    "council",
    "budget",
    "harvest",
    "engine",
    "league",
    "festival",
    "vaccine",
    "market",
    "bridge",
    "satellite",
    "museum",
    "recipe",
    "election",
    "striker",
    "glacier",
    "startup",
    "orchestra",
    "tariff",
    "harbor",
];

fn sentence(seed: usize, n: usize) -> String {
    let mut s: Vec<&str> = Vec::new();
    for i in 0..n {
        s.push(WORDS[(seed * 7 + i * 3 + i * i) % WORDS.len()]);
        if i % 3 == 1 {
            s.push("and the");
        }
    }
    let mut out = s.join(" ");
    out.push('.');
    out
}

/// A small data dir: 12 sites, each an article page with ground truth, plus headline pools.
use pagescore::signals::text::train::{held_out, text_key, web_domain_is_test};

fn fake_data(dir: &Path) {
    let wc = dir.join("pages/wcxb-dev");
    std::fs::create_dir_all(wc.join("html")).unwrap();
    std::fs::create_dir_all(wc.join("ground-truth")).unwrap();
    let mut files = serde_json::Map::new();
    for i in 0..12 {
        let id = format!("{:04}", i + 1);
        let domain = format!("www.site{i}.org");
        files.insert(
            id.clone(),
            serde_json::json!({"split": "dev", "page_type": if i % 4 == 3 { "forum" } else { "article" }, "domain": domain}),
        );
        let paras: Vec<String> = (0..6).map(|p| sentence(i * 10 + p, 30)).collect();
        let title = format!(
            "The {} of the {} in {}",
            WORDS[i],
            WORDS[(i + 5) % 20],
            2015 + i
        );
        let body: String = paras.iter().map(|p| format!("<p>{p}</p>")).collect();
        let html = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} - Site {i}</title><script>var a=1;</script></head><body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article><h1>{title}</h1>{body}</article><div class=\"related\"><h3>Related</h3><ul><li><a href=\"/x\">{}</a></li></ul></div><footer>© Site {i}</footer></body></html>",
            sentence(i, 6)
        );
        gz(&wc.join("html").join(format!("{id}.html.gz")), &html);
        let gt = serde_json::json!({"url": format!("https://{domain}/post/{i}"), "ground_truth": {"title": title, "author": "A. Writer", "publish_date": format!("{}-03-04", 2015 + i), "main_content": paras.join("\n\n")}});
        gz(
            &wc.join("ground-truth").join(format!("{id}.json.gz")),
            &gt.to_string(),
        );
    }
    std::fs::write(
        wc.join("metadata.json"),
        serde_json::json!({"files": files}).to_string(),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("news")).unwrap();
    let cats = [
        "POLITICS",
        "SPORTS",
        "BUSINESS",
        "TECH",
        "ENTERTAINMENT",
        "WORLD NEWS",
    ];
    let mut hp = String::new();
    for i in 0..120 {
        hp += &serde_json::json!({"headline": format!("{} {} headline number {i}", WORDS[i % 20], WORDS[(i / 20) % 20]), "category": cats[i % cats.len()], "short_description": sentence(i, 12), "date": "2022-01-01"}).to_string();
        hp.push('\n');
    }
    std::fs::write(dir.join("news/huffpost-news-category.jsonl"), hp).unwrap();
    std::fs::create_dir_all(dir.join("clickbait")).unwrap();
    let cb: String = (0..60)
        .map(|i| {
            format!(
                "You Won't Believe What This {} Did Number {i}\n",
                WORDS[i % 20]
            )
        })
        .collect();
    std::fs::write(dir.join("clickbait/clickbait.txt"), cb).unwrap();
    // the rest of the text models' data, so their seeded split (which the corpus follows) exists
    let plain: String = (0..40)
        .map(|i| format!("Council approves {} budget plan {i}\n", WORDS[i % 20]))
        .collect();
    std::fs::write(dir.join("clickbait/non_clickbait.txt"), plain).unwrap();
    let ag: String = (0..40)
        .map(|i| {
            format!(
                "\"{}\",\"Markets move on {} report item {i} (Reuters)\",\"{}\"\n",
                1 + i % 4,
                WORDS[(i + 3) % 20],
                sentence(i + 200, 12)
            )
        })
        .collect();
    std::fs::write(
        dir.join("news/ag-news-test.csv"),
        format!("Class Index,Title,Description\n{ag}"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("promo")).unwrap();
    let sms: String = (0..30)
        .map(|i| format!("spam\tFree entry number {i} to win a brand new phone today claim now\n"))
        .collect();
    std::fs::write(
        dir.join("promo/sms-spam-collection.tsv"),
        format!("Label\tSMS\n{sms}"),
    )
    .unwrap();
}

fn build(data: &Path, out: &Path, seed: u64) -> Vec<pagescore_training::Record> {
    std::fs::create_dir_all(out).unwrap();
    pagescore_training::build(&pagescore_training::Config {
        data: data.to_path_buf(),
        out: out.to_path_buf(),
        seed,
        spam_per_ham: 0.9,
    })
    .unwrap()
}

fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for split in ["train", "test"] {
        let d = dir.join("pages").join(split);
        let mut names: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for p in names {
            out.push((
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            ));
        }
    }
    out
}

#[test]
fn same_seed_same_corpus_and_other_seed_differs() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    fake_data(&data);
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let ra = build(&data, &a, 7);
    build(&data, &b, 7);
    build(&data, &c, 8);
    assert!(ra.iter().any(|r| r.label == "spam") && ra.iter().any(|r| r.label == "ham"));
    for f in ["train.jsonl", "test.jsonl"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
    assert_eq!(files_under(&a), files_under(&b));
    assert_ne!(
        std::fs::read(a.join("train.jsonl")).unwrap(),
        std::fs::read(c.join("train.jsonl")).unwrap()
    );
}

#[test]
fn split_is_disjoint_by_source_and_template() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    fake_data(&data);
    let out = tmp.path().join("out");
    build(&data, &out, 3);
    let read = |f: &str| -> Vec<serde_json::Value> {
        std::fs::read_to_string(out.join(f))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let (train, test) = (read("train.jsonl"), read("test.jsonl"));
    assert!(
        !train.is_empty() && !test.is_empty(),
        "both splits have pages"
    );
    for field in ["source", "template"] {
        let set = |v: &[serde_json::Value]| -> BTreeSet<String> {
            v.iter()
                .map(|r| r[field].as_str().unwrap().to_string())
                .collect()
        };
        let (a, b) = (set(&train), set(&test));
        let common: Vec<_> = a.intersection(&b).collect();
        assert!(common.is_empty(), "{field} in both splits: {common:?}");
    }
    // every line is a valid corpus record whose page file exists
    for r in train.iter().chain(&test) {
        let label = r["label"].as_str().unwrap();
        assert!(label == "spam" || label == "ham");
        let p = out.join(r["path"].as_str().unwrap());
        assert!(p.exists(), "missing page {}", p.display());
        // a spam page shows what it was made of; an empty one would teach "empty is spam"
        if label == "spam" {
            assert!(r["visible_chars"].as_u64().unwrap() >= 100, "{r}");
        }
    }
    // and no page file is left behind without its record
    let listed: BTreeSet<String> = train
        .iter()
        .chain(&test)
        .filter_map(|r| r["path"].as_str())
        .filter_map(|p| p.rsplit('/').next().map(str::to_string))
        .collect();
    for (name, _) in files_under(&out) {
        assert!(listed.contains(&name), "page file {name} has no record");
    }
}

/// The page's text as one normalised key, padded so a `" {key} "` search matches whole words.
fn page_key(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let name = path.to_string_lossy().to_string();
    let doc = pagescore::read::read(
        &pagescore::read::RawPage {
            bytes: &bytes,
            url: None,
            content_type: None,
            name_hint: Some(&name),
        },
        &pagescore::read::ReadLimits::default(),
    )
    .unwrap();
    format!(" {} ", text_key(&doc.text))
}

#[test]
fn test_pages_hold_only_what_the_text_models_held_out() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    fake_data(&data);
    let out = tmp.path().join("out");
    let seed = 5;
    build(&data, &out, seed);
    let held = held_out(&data, seed).unwrap();
    assert!(!held.headlines.is_empty() && !held.trained_headlines.is_empty());
    let read = |f: &str| -> Vec<String> {
        std::fs::read_to_string(out.join(f))
            .unwrap()
            .lines()
            .map(|l| {
                let r: serde_json::Value = serde_json::from_str(l).unwrap();
                page_key(&out.join(r["path"].as_str().unwrap()))
            })
            .collect()
    };
    let (train, test) = (read("train.jsonl"), read("test.jsonl"));
    let uses =
        |pages: &[String], key: &String| pages.iter().any(|p| p.contains(&format!(" {key} ")));
    let (mut held_in_test, mut trained_in_train) = (0, 0);
    for k in &held.headlines {
        assert!(!uses(&train, k), "held-out headline in a train page: {k}");
        held_in_test += usize::from(uses(&test, k));
    }
    for k in &held.trained_headlines {
        assert!(!uses(&test, k), "trained headline in a test page: {k}");
        trained_in_train += usize::from(uses(&train, k));
    }
    // the check is not vacuous: both splits do use headlines
    assert!(
        held_in_test > 0 && trained_in_train > 0,
        "{held_in_test} {trained_in_train}"
    );
    // cross-fitting: a train page carries only training headlines that the features' text
    // models left out (the page ingredients), never one they trained on
    let mut pages_in_train = 0;
    for k in &held.trained_headlines {
        if held.page_headlines.contains(k) {
            pages_in_train += usize::from(uses(&train, k));
        } else {
            assert!(
                !uses(&train, k),
                "a features-trained headline in a train page: {k}"
            );
        }
    }
    assert!(pages_in_train > 0);
    assert!(held.page_headlines.len() < held.trained_headlines.len() / 2);
    // the real pages' domains follow the text models' domain rule
    for (f, want) in [("train.jsonl", false), ("test.jsonl", true)] {
        for l in std::fs::read_to_string(out.join(f)).unwrap().lines() {
            let r: serde_json::Value = serde_json::from_str(l).unwrap();
            if r["label"] == "ham" && r["source"].as_str().unwrap().starts_with("wcxb-dev") {
                let url = r["url"].as_str().unwrap();
                let Some(host) = url.split('/').nth(2) else {
                    continue;
                };
                assert_eq!(web_domain_is_test(host, seed), want, "{url} in {f}");
            }
        }
    }
}
