//! Loading the real ingredients from `../shared/data`: ham pages, articles (title + paragraphs),
//! headline pools and promo texts. Every loader tolerates a missing folder (the tests use a tiny
//! fake data dir) and returns items in a sorted, deterministic order.

use crate::util::{
    decode_html, guess_lang, held_out, host_of, html_to_lines, read_maybe_gz, site_of,
};
use anyhow::{Context, Result};
use encoding_rs::Encoding;
use pagescore::signals::text::train::{text_key, web_domain_is_test, HeldOut};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A real page from one of the page datasets: ham, and a possible shell for spam.
pub struct HamPage {
    /// Stable id, e.g. `wcxb-dev/0001`.
    pub id: String,
    /// Dataset name.
    pub dataset: &'static str,
    /// Registrable domain of the page.
    pub domain: String,
    /// Page type (wcxb types; `page` when unknown).
    pub kind: String,
    /// URL as crawled, when known.
    pub url: String,
    /// The original file (gzipped).
    pub src: PathBuf,
    /// Raw bytes to write instead of `src` (cleaneval pages lose the dataset's `<text>` wrapper).
    pub raw_override: Option<Vec<u8>>,
    /// The decoded HTML.
    pub html: String,
    /// Charset the page is in.
    pub enc: &'static Encoding,
    /// Whether the charset is declared in the page (meta or BOM).
    pub declared: bool,
    /// Language guessed from the visible text.
    pub lang: String,
    /// In the held-out split.
    pub test: bool,
}

/// A real article: the ingredient scrapers steal.
#[derive(Clone)]
pub struct Article {
    /// Stable id.
    pub id: String,
    /// Dataset name.
    pub dataset: &'static str,
    /// Registrable domain of the original.
    pub domain: String,
    /// Original URL.
    pub url: String,
    /// Headline.
    pub title: String,
    /// Body paragraphs.
    pub paras: Vec<String>,
    /// Publication date, when known.
    pub date: Option<(i32, u32, u32)>,
    /// Language.
    pub lang: String,
    /// Author, when known.
    pub author: Option<String>,
    /// In the held-out split.
    pub test: bool,
}

/// Which pool a headline comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Pool {
    /// HuffPost News Category headlines.
    HuffPost,
    /// AG News titles.
    AgNews,
    /// Clickbait headlines.
    Clickbait,
}

/// A headline with its topic.
#[derive(Clone)]
pub struct Headline {
    /// The headline.
    pub text: String,
    /// A one-sentence description, when the pool has one.
    pub desc: String,
    /// Coarse topic index into [`crate::topic::TOPICS`].
    pub topic: usize,
    /// Source pool.
    pub pool: Pool,
    /// In the held-out split.
    pub test: bool,
    /// A training headline that training pages may carry: the text models the spam model's
    /// training features come from never saw it (`train::Purpose::Features`).
    pub page: bool,
}

/// Everything read from the data dir.
pub struct Data {
    /// Real pages.
    pub ham: Vec<HamPage>,
    /// Real articles.
    pub articles: Vec<Article>,
    /// Headlines.
    pub headlines: Vec<Headline>,
    /// SMS spam texts (promo ingredient).
    pub promos: Vec<(String, bool)>,
}

/// The dataset name of a path under `pages/`.
fn name(s: &str) -> &'static str {
    match s {
        "wcxb-dev" => "wcxb-dev",
        "trafilatura-eval" => "trafilatura-eval",
        "readability" => "readability",
        "cleaneval-dev" => "cleaneval-dev",
        "cleaneval-final" => "cleaneval-final",
        "cleanportaleval" => "cleanportaleval",
        _ => "other",
    }
}

/// The entries of `dir` in sorted order, without hidden files (a dataset archive made on a Mac
/// carries a `.DS_Store`, which is no page).
fn sorted_dir(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[allow(clippy::too_many_arguments)]
fn make_ham(
    id: String,
    dataset: &'static str,
    url: String,
    domain: String,
    kind: &str,
    src: PathBuf,
    bytes: Vec<u8>,
    strip_wrapper: bool,
) -> HamPage {
    let (bytes, raw_override) = if strip_wrapper {
        let b = strip_cleaneval_wrapper(&bytes);
        (b.clone(), Some(b))
    } else {
        (bytes, None)
    };
    let (html, enc, declared) = decode_html(&bytes);
    let (lines, _) = html_to_lines(&html);
    let sample: String = lines.iter().take(200).map(|l| format!("{l}\n")).collect();
    let lang = guess_lang(&sample);
    HamPage {
        id,
        dataset,
        domain,
        kind: kind.to_string(),
        url,
        src,
        raw_override,
        html,
        enc,
        declared,
        lang,
        // set by `load` once all domains are known (see `Split`)
        test: false,
    }
}

/// CleanEval inputs start with `<text id=... title=... encoding=...>` and end with `</text>`: an
/// artifact of the dataset, not of the page.
fn strip_cleaneval_wrapper(bytes: &[u8]) -> Vec<u8> {
    let mut b = bytes;
    if b.starts_with(b"<text ") {
        if let Some(nl) = b.iter().position(|&c| c == b'\n') {
            b = &b[nl + 1..];
        }
    }
    let trimmed_len = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |p| p + 1);
    let t = &b[..trimmed_len];
    if t.ends_with(b"</text>") {
        t[..t.len() - 7].to_vec()
    } else {
        b.to_vec()
    }
}

fn cleaneval_title(bytes: &[u8]) -> Option<String> {
    let first = bytes.split(|&c| c == b'\n').next()?;
    let s = String::from_utf8_lossy(first);
    let t = s.split_once("title=\"")?.1;
    let t = &t[..t.find('"')?];
    Some(crate::util::decode_entities(t))
}

/// Which ingredients go to the test split. The text models (clickbait, promo, topics) were
/// trained on part of the same headlines, SMS texts and real pages, so the test split takes only
/// what they held out: their own seeded split, reused through
/// [`pagescore::signals::text::train::held_out`] and
/// [`web_domain_is_test`]. Everything else is train-only.
pub struct Split {
    seed: u64,
    /// The text models' held-out keys; `None` when their data is not there (then nothing was
    /// trained on it and the salted hash rule decides).
    held: Option<HeldOut>,
    /// Registrable site -> the wcxb `metadata.json` domains (the text models' domain strings)
    /// that map to it.
    wcxb_domains: HashMap<String, Vec<String>>,
}

impl Split {
    /// The text models' split of `data` for `seed`.
    pub fn new(data: &Path, seed: u64) -> Self {
        let held = match pagescore::signals::text::train::held_out(data, seed) {
            Ok(h) => Some(h),
            Err(e) => {
                eprintln!("build-corpus: text-model split unavailable ({e}); hash split used");
                None
            }
        };
        let mut wcxb_domains: HashMap<String, Vec<String>> = HashMap::new();
        if let Some(meta) = std::fs::read(data.join("pages/wcxb-dev/metadata.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        {
            for f in meta["files"]
                .as_object()
                .into_iter()
                .flat_map(|m| m.values())
            {
                if let Some(d) = f["domain"].as_str() {
                    wcxb_domains
                        .entry(site_of(d))
                        .or_default()
                        .push(d.to_string());
                }
            }
        }
        Split {
            seed,
            held,
            wcxb_domains,
        }
    }

    /// A site (registrable domain) is test iff the text models held out every wcxb domain
    /// that maps to it; sites they never saw use the same hash rule on the site itself.
    pub fn domain_is_test(&self, site: &str) -> bool {
        match self.wcxb_domains.get(site) {
            Some(raw) => raw.iter().all(|d| web_domain_is_test(d, self.seed)),
            None => web_domain_is_test(site, self.seed),
        }
    }

    /// A headline is test iff the text models held it out (by normalised key).
    pub fn headline_is_test(&self, text: &str) -> bool {
        match &self.held {
            Some(h) => h.headlines.contains(&text_key(text)),
            None => held_out("headline", text),
        }
    }

    /// A training headline may go into training pages iff the features' text models left it
    /// out (by normalised key); with no text-model split, any may.
    pub fn headline_is_page(&self, text: &str) -> bool {
        match &self.held {
            Some(h) => h.page_headlines.contains(&text_key(text)),
            None => true,
        }
    }

    /// A training SMS promo may go into training pages iff the features' text models left it
    /// out.
    pub fn promo_is_page(&self, text: &str) -> bool {
        match &self.held {
            Some(h) => h.page_sms.contains(&text_key(text)),
            None => true,
        }
    }

    /// An SMS promo text is test iff the text models held it out (by normalised key).
    pub fn promo_is_test(&self, text: &str) -> bool {
        match &self.held {
            Some(h) => h.sms.contains(&text_key(text)),
            None => held_out("promo", text),
        }
    }
}

/// Loads everything, split as [`Split`] says for `seed`. Missing parts are skipped with a log
/// line.
pub fn load(data: &Path, seed: u64) -> Result<Data> {
    let split = Split::new(data, seed);
    let pages = data.join("pages");
    let mut ham = Vec::new();
    let mut articles = Vec::new();

    // wcxb-dev
    let wcxb = pages.join("wcxb-dev");
    if let Ok(meta) = std::fs::read(wcxb.join("metadata.json")) {
        let meta: serde_json::Value = serde_json::from_slice(&meta).context("wcxb metadata")?;
        let files = meta["files"].as_object().cloned().unwrap_or_default();
        // every page file, also the ones metadata.json does not list (their ground truth has
        // the URL and page type)
        let mut ids: Vec<String> = sorted_dir(&wcxb.join("html"))
            .iter()
            .filter_map(|p| {
                p.file_name()?
                    .to_str()?
                    .strip_suffix(".html.gz")
                    .map(str::to_string)
            })
            .collect();
        ids.sort();
        for fid in &ids {
            let m = files.get(fid).cloned().unwrap_or_default();
            let gt_peek = read_maybe_gz(&wcxb.join("ground-truth").join(format!("{fid}.json.gz")))
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .unwrap_or_default();
            let kind = m["page_type"]
                .as_str()
                .or(gt_peek["_internal"]["page_type"]["primary"].as_str())
                .unwrap_or("page")
                .to_string();
            let kind = kind.as_str();
            let domain = match m["domain"].as_str() {
                Some(d) => site_of(d),
                None => gt_peek["url"]
                    .as_str()
                    .and_then(host_of)
                    .map(site_of)
                    .unwrap_or_else(|| fid.clone()),
            };
            let src = wcxb.join("html").join(format!("{fid}.html.gz"));
            let Ok(bytes) = read_maybe_gz(&src) else {
                continue;
            };
            let gt = read_maybe_gz(&wcxb.join("ground-truth").join(format!("{fid}.json.gz")))
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok());
            let url = gt
                .as_ref()
                .and_then(|g| g["url"].as_str())
                .unwrap_or("")
                .to_string();
            let page = make_ham(
                format!("wcxb-dev/{fid}"),
                "wcxb-dev",
                url.clone(),
                domain.clone(),
                kind,
                src,
                bytes,
                false,
            );
            if let Some(g) = gt {
                let g = &g["ground_truth"];
                let title = g["title"].as_str().unwrap_or("").trim().to_string();
                let body = g["main_content"].as_str().unwrap_or("");
                let paras: Vec<String> = body
                    .split('\n')
                    .map(crate::util::collapse)
                    .filter(|p| p.chars().count() >= 40)
                    .collect();
                if kind == "article" || kind == "forum" || kind == "documentation" {
                    push_article(
                        &mut articles,
                        format!("wcxb-dev/{fid}"),
                        "wcxb-dev",
                        &domain,
                        &url,
                        title,
                        paras,
                        g["publish_date"].as_str().and_then(parse_ymd),
                        g["author"].as_str().map(str::to_string),
                    );
                }
            }
            ham.push(page);
        }
    } else {
        eprintln!("build-corpus: no {}, skipped", wcxb.display());
    }

    // trafilatura-eval
    let traf = pages.join("trafilatura-eval");
    if let Ok(eval) = std::fs::read(traf.join("evaldata.json")) {
        let eval: serde_json::Value = serde_json::from_slice(&eval).context("evaldata")?;
        let obj = eval.as_object().cloned().unwrap_or_default();
        let mut keys: Vec<&String> = obj.keys().collect();
        keys.sort();
        for key in keys {
            let v = &obj[key];
            let Some(file) = v["file"].as_str() else {
                continue;
            };
            let src = [traf.join("eval"), traf.join("cache")]
                .into_iter()
                .map(|d| d.join(format!("{file}.gz")))
                .find(|p| p.exists());
            let Some(src) = src else { continue };
            let Ok(bytes) = read_maybe_gz(&src) else {
                continue;
            };
            let url = if key.contains("://") {
                key.clone()
            } else {
                String::new()
            };
            let domain = host_of(&url).map(site_of).unwrap_or_else(|| {
                let f = file.trim_start_matches("hard::");
                let parts: Vec<&str> = f.split('.').collect();
                site_of(&parts[..parts.len().min(2)].join("."))
            });
            let page = make_ham(
                format!("trafilatura-eval/{file}"),
                "trafilatura-eval",
                url.clone(),
                domain.clone(),
                "page",
                src,
                bytes,
                false,
            );
            let (lines, t) = html_to_lines(&page.html);
            let title = v["title"].as_str().map(str::to_string).unwrap_or(t);
            push_article(
                &mut articles,
                page.id.clone(),
                "trafilatura-eval",
                &domain,
                &url,
                title,
                long_lines(&lines),
                v["date"].as_str().and_then(parse_ymd),
                v["author"].as_str().map(str::to_string),
            );
            ham.push(page);
        }
    }

    // readability
    let read = pages.join("readability");
    for dir in sorted_dir(&read) {
        let src = dir.join("source.html.gz");
        let Ok(bytes) = read_maybe_gz(&src) else {
            continue;
        };
        let meta: serde_json::Value = std::fs::read(dir.join("expected-metadata.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let name_s = dir
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        // no URL in the fixtures: the folder name stands for the site
        let site = name_s
            .trim_end_matches(|c: char| c.is_ascii_digit() || c == '-')
            .to_string();
        let domain = format!("{site}.readability");
        let page = make_ham(
            format!("readability/{name_s}"),
            "readability",
            String::new(),
            domain.clone(),
            "article",
            src,
            bytes,
            false,
        );
        let (lines, t) = html_to_lines(&page.html);
        let title = meta["title"].as_str().map(str::to_string).unwrap_or(t);
        push_article(
            &mut articles,
            page.id.clone(),
            "readability",
            &domain,
            "",
            title,
            long_lines(&lines),
            meta["publishedTime"].as_str().and_then(parse_ymd),
            meta["byline"].as_str().map(str::to_string),
        );
        ham.push(page);
    }

    // cleaneval
    for sub in ["cleaneval-dev", "cleaneval-final", "cleanportaleval"] {
        let base = pages.join("cleaneval").join(sub);
        for src in sorted_dir(&base.join("input")) {
            let Ok(bytes) = read_maybe_gz(&src) else {
                continue;
            };
            let stem = src
                .file_name()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let num = stem.split('.').next().unwrap_or("").to_string();
            let gold = read_maybe_gz(&base.join("GoldStandard").join(format!("{num}.txt.gz"))).ok();
            let gold_s = gold
                .as_ref()
                .map(|g| String::from_utf8_lossy(g).to_string());
            let url = gold_s
                .as_deref()
                .and_then(|g| g.lines().next())
                .and_then(|l| l.strip_prefix("URL:"))
                .map(|u| u.trim().to_string())
                .unwrap_or_default();
            let domain = host_of(&url)
                .map(site_of)
                .unwrap_or_else(|| format!("{sub}-{num}"));
            let title = cleaneval_title(&bytes);
            let kind = if sub == "cleanportaleval" {
                "article"
            } else {
                "page"
            };
            let page = make_ham(
                format!("{sub}/{num}"),
                name(sub),
                url.clone(),
                domain.clone(),
                kind,
                src,
                bytes,
                true,
            );
            if let Some(g) = gold_s {
                let (paras, h) = parse_gold(&g);
                let title = title
                    .filter(|t| !t.trim().is_empty())
                    .or(h)
                    .unwrap_or_default();
                push_article(
                    &mut articles,
                    page.id.clone(),
                    name(sub),
                    &domain,
                    &url,
                    title,
                    paras,
                    None,
                    None,
                );
            }
            ham.push(page);
        }
    }

    for h in &mut ham {
        h.test = split.domain_is_test(&h.domain);
    }
    for a in &mut articles {
        a.test = split.domain_is_test(&a.domain);
    }
    let headlines = load_headlines(data, &split);
    let promos = load_promos(data, &split);
    Ok(Data {
        ham,
        articles,
        headlines,
        promos,
    })
}

#[allow(clippy::too_many_arguments)]
fn push_article(
    out: &mut Vec<Article>,
    id: String,
    dataset: &'static str,
    domain: &str,
    url: &str,
    title: String,
    paras: Vec<String>,
    date: Option<(i32, u32, u32)>,
    author: Option<String>,
) {
    let title = crate::util::collapse(&title);
    let words: usize = paras.iter().map(|p| p.split_whitespace().count()).sum();
    if title.chars().count() < 10 || title.chars().count() > 200 || paras.len() < 2 || words < 120 {
        return;
    }
    let sample: String = paras.iter().take(8).map(|p| format!("{p}\n")).collect();
    let lang = guess_lang(&format!("{title}\n{sample}"));
    out.push(Article {
        id,
        dataset,
        domain: domain.to_string(),
        url: url.to_string(),
        title,
        paras,
        date,
        lang,
        author: author.filter(|a| !a.trim().is_empty() && a.len() < 80),
        // set by `load` (see `Split`)
        test: false,
    });
}

/// Lines long enough to be body paragraphs.
fn long_lines(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l.chars().count() >= 110 && l.split_whitespace().count() >= 15)
        .cloned()
        .collect()
}

/// CleanEval gold text: `<p>`, `<h>`, `<l>` markers start blocks.
fn parse_gold(g: &str) -> (Vec<String>, Option<String>) {
    let mut blocks: Vec<(char, String)> = Vec::new();
    for line in g.lines().skip_while(|l| l.starts_with("URL:")) {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("<p>") {
            blocks.push(('p', rest.to_string()));
        } else if let Some(rest) = t.strip_prefix("<h>") {
            blocks.push(('h', rest.to_string()));
        } else if let Some(rest) = t.strip_prefix("<l>") {
            blocks.push(('l', rest.to_string()));
        } else if let Some(last) = blocks.last_mut() {
            last.1.push(' ');
            last.1.push_str(t);
        }
    }
    let head = blocks
        .iter()
        .find(|b| b.0 == 'h')
        .map(|b| crate::util::collapse(&crate::util::decode_entities(&b.1)));
    let paras = blocks
        .into_iter()
        .filter(|b| b.0 == 'p')
        .map(|b| crate::util::collapse(&crate::util::decode_entities(&b.1)))
        .filter(|p| p.chars().count() >= 60)
        .collect();
    (paras, head)
}

/// `2025-09-04...` to (y, m, d).
pub fn parse_ymd(s: &str) -> Option<(i32, u32, u32)> {
    let s = s.trim();
    let y: i32 = s.get(0..4)?.parse().ok()?;
    let m: u32 = s.get(5..7)?.parse().ok()?;
    let d: u32 = s.get(8..10)?.parse().ok()?;
    ((1990..2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then_some((y, m, d))
}

fn huffpost_topic(cat: &str) -> usize {
    use crate::topic::*;
    match cat {
        "POLITICS" => POLITICS,
        "WORLD NEWS" => WORLD,
        "BUSINESS" | "MONEY" => BUSINESS,
        "TECH" | "SCIENCE" => TECH,
        "SPORTS" => SPORTS,
        "ENTERTAINMENT" | "COMEDY" | "CULTURE & ARTS" | "MEDIA" => ENTERTAINMENT,
        "STYLE & BEAUTY" | "HOME & LIVING" | "FOOD & DRINK" | "PARENTING" | "WEDDINGS"
        | "TRAVEL" => LIFESTYLE,
        "WELLNESS" => HEALTH,
        "CRIME" => CRIME,
        "WEIRD NEWS" => WEIRD,
        "ENVIRONMENT" => ENVIRONMENT,
        _ => SOCIETY,
    }
}

/// A minimal CSV record splitter (RFC 4180 quotes).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rec = Vec::new();
    let mut field = String::new();
    let mut inq = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if inq {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    inq = false;
                }
            } else {
                field.push(c);
            }
        } else {
            match c {
                '"' => inq = true,
                ',' => rec.push(std::mem::take(&mut field)),
                '\n' => {
                    rec.push(std::mem::take(&mut field));
                    out.push(std::mem::take(&mut rec));
                }
                '\r' => {}
                _ => field.push(c),
            }
        }
    }
    if !field.is_empty() || !rec.is_empty() {
        rec.push(field);
        out.push(rec);
    }
    out
}

fn load_headlines(data: &Path, split: &Split) -> Vec<Headline> {
    let mut out = Vec::new();
    if let Ok(s) = std::fs::read_to_string(data.join("news/huffpost-news-category.jsonl")) {
        for line in s.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let text = crate::util::collapse(v["headline"].as_str().unwrap_or(""));
            if text.len() < 15 {
                continue;
            }
            out.push(Headline {
                test: split.headline_is_test(&text),
                page: split.headline_is_page(&text),
                desc: crate::util::collapse(v["short_description"].as_str().unwrap_or("")),
                topic: huffpost_topic(v["category"].as_str().unwrap_or("")),
                pool: Pool::HuffPost,
                text,
            });
        }
    }
    if let Ok(s) = std::fs::read_to_string(data.join("news/ag-news-test.csv")) {
        for rec in csv_records(&s).into_iter().skip(1) {
            if rec.len() < 3 {
                continue;
            }
            let topic = match rec[0].trim() {
                "1" => crate::topic::WORLD,
                "2" => crate::topic::SPORTS,
                "3" => crate::topic::BUSINESS,
                _ => crate::topic::TECH,
            };
            // AG titles often end with "(Reuters)" / "(AP)": the source tag is not part of a
            // headline as a page shows it
            let mut text = clean_ag(&rec[1]);
            if let Some(p) = text.rfind(" (") {
                if text.ends_with(')') && text.len() - p < 30 {
                    text.truncate(p);
                }
            }
            let desc = clean_ag(&rec[2]);
            if text.len() < 15 {
                continue;
            }
            out.push(Headline {
                test: split.headline_is_test(&text),
                page: split.headline_is_page(&text),
                desc,
                topic,
                pool: Pool::AgNews,
                text,
            });
        }
    }
    if let Ok(s) = std::fs::read_to_string(data.join("clickbait/clickbait.txt")) {
        for line in s.lines() {
            let text = crate::util::collapse(line);
            if text.len() < 15 {
                continue;
            }
            out.push(Headline {
                test: split.headline_is_test(&text),
                page: split.headline_is_page(&text),
                desc: String::new(),
                topic: crate::topic::VIRAL,
                pool: Pool::Clickbait,
                text,
            });
        }
    }
    out
}

/// AG News lost the `&` of its entities (`#39;`, ` quot;`) and has `\\` for newlines.
fn clean_ag(s: &str) -> String {
    let s = s
        .replace('\\', " ")
        .replace(" #36;", " $")
        .replace("#36;", "$")
        .replace("#39;", "'")
        .replace(" quot;", " \"")
        .replace("quot;", "\"")
        .replace("amp;", "&")
        .replace("lt;b&gt;", "")
        .replace("lt;/b&gt;", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    crate::util::collapse(&crate::util::decode_entities(&s))
}

fn load_promos(data: &Path, split: &Split) -> Vec<(String, bool)> {
    let Ok(s) = std::fs::read_to_string(data.join("promo/sms-spam-collection.tsv")) else {
        return Vec::new();
    };
    s.lines()
        .skip(1)
        .filter_map(|l| l.split_once('\t'))
        .filter(|(label, _)| *label == "spam")
        .map(|(_, t)| (t.to_string(), split.promo_is_test(t)))
        // a training promo the features' text models trained on goes into no page
        .filter(|(t, test)| *test || split.promo_is_page(t))
        .collect()
}
