//! Assembling the corpus: ham pages (real, plus real articles rendered as text), spam pages made
//! from real ingredients, the split by source and template, and writing it all out.

use crate::parts::{self, Block, BlockKind, Item};
use crate::render::{self, Content, FAMILIES, TEXT_STYLES};
use crate::shell::{self, Edit};
use crate::sources::{self, Article, Data, HamPage, Headline, Pool};
use crate::topic::{self, centroid, dot, Tfidf, Vector, N_TOPICS};
use crate::util::{self, esc, fnv};
use anyhow::{Context, Result};
use encoding_rs::Encoding;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Build settings.
pub struct Config {
    /// `../shared/data`.
    pub data: PathBuf,
    /// Output folder.
    pub out: PathBuf,
    /// Seed for every random choice.
    pub seed: u64,
    /// Spam pages per ham page in each split.
    pub spam_per_ham: f64,
}

/// One corpus line.
#[derive(Serialize, Clone, Debug)]
pub struct Record {
    /// Unique id.
    pub id: String,
    /// `spam` or `ham`.
    pub label: &'static str,
    /// URL as crawled (may be empty).
    pub url: String,
    /// Page file, relative to the corpus file.
    pub path: String,
    /// HTTP Content-Type, when the "crawler" saw one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Page kind (ham page type or spam kind).
    pub kind: String,
    /// Dataset and domain of the content.
    pub source: String,
    /// Template (real site chrome, shell, family or text style).
    pub template: String,
    /// Language.
    pub lang: String,
    /// `html` or `text`.
    pub format: &'static str,
    /// Charset the file is written in.
    pub charset: String,
    /// Spam signs put in (spam), or innocent look-alikes (ham).
    pub signs: Vec<String>,
    /// `train` or `test`.
    pub split: &'static str,
    /// Bytes of the page (decompressed).
    pub bytes: usize,
    /// Characters of visible text.
    pub visible_chars: usize,
}

struct Ctx<'a> {
    data: &'a Data,
    tfidf: Tfidf,
    head_vecs: Vec<Vector>,
    art_vecs: Vec<Vector>,
    art_topic: Vec<Option<usize>>,
    out: PathBuf,
    data_rel: PathBuf,
}

fn page_rng(seed: u64, key: &str) -> StdRng {
    StdRng::seed_from_u64(seed ^ fnv(key.as_bytes()).rotate_left(17))
}

/// Builds the corpus; returns all records (both splits).
pub fn build(cfg: &Config) -> Result<Vec<Record>> {
    let data = sources::load(&cfg.data, cfg.seed)?;
    eprintln!(
        "build-corpus: {} real pages, {} articles, {} headlines, {} promo texts",
        data.ham.len(),
        data.articles.len(),
        data.headlines.len(),
        data.promos.len()
    );
    std::fs::create_dir_all(cfg.out.join("pages/train"))?;
    std::fs::create_dir_all(cfg.out.join("pages/test"))?;
    let data_rel = relative(&cfg.out, &cfg.data)?;

    let mut tfidf = Tfidf::default();
    for h in &data.headlines {
        tfidf.add_doc(&format!("{} {}", h.text, h.desc));
    }
    let art_text = |a: &Article| {
        format!(
            "{} {}",
            a.title,
            a.paras
                .iter()
                .take(6)
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        )
    };
    for a in &data.articles {
        tfidf.add_doc(&art_text(a));
    }
    let head_vecs: Vec<Vector> = data
        .headlines
        .iter()
        .map(|h| tfidf.vector(&format!("{} {}", h.text, h.desc)))
        .collect();
    let art_vecs: Vec<Vector> = data
        .articles
        .iter()
        .map(|a| tfidf.vector(&art_text(a)))
        .collect();
    let centroids: Vec<Vector> = (0..N_TOPICS)
        .map(|t| {
            centroid(
                data.headlines
                    .iter()
                    .zip(&head_vecs)
                    .filter(|(h, _)| h.topic == t)
                    .map(|(_, v)| v),
            )
        })
        .collect();
    let art_topic = art_vecs
        .iter()
        .map(|v| {
            let (best, score) = (0..topic::VIRAL)
                .map(|t| (t, dot(v, &centroids[t])))
                .fold((0, 0.0f32), |a, b| if b.1 > a.1 { b } else { a });
            (score > 0.04).then_some(best)
        })
        .collect();
    let ctx = Ctx {
        data: &data,
        tfidf,
        head_vecs,
        art_vecs,
        art_topic,
        out: cfg.out.clone(),
        data_rel,
    };

    let mut all = Vec::new();
    for test in [false, true] {
        let mut recs = build_split(&ctx, cfg, test)?;
        let mut rng = page_rng(
            cfg.seed,
            if test {
                "shuffle-test"
            } else {
                "shuffle-train"
            },
        );
        recs.shuffle(&mut rng);
        let name = if test { "test.jsonl" } else { "train.jsonl" };
        let mut s = String::new();
        for r in &recs {
            s += &serde_json::to_string(r)?;
            s.push('\n');
        }
        std::fs::write(cfg.out.join(name), s).with_context(|| format!("writing {name}"))?;
        all.extend(recs);
    }
    Ok(all)
}

/// Path of `to` relative to the folder `from` (both made absolute).
fn relative(from: &Path, to: &Path) -> Result<PathBuf> {
    let from = std::fs::canonicalize(from)?;
    let to = std::fs::canonicalize(to)?;
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut p = PathBuf::new();
    for _ in common..a.len() {
        p.push("..");
    }
    for c in &b[common..] {
        p.push(c);
    }
    Ok(p)
}

#[derive(Clone, Copy, PartialEq)]
enum Fmt {
    Html,
    Text,
}

struct Written {
    path: String,
    content_type: Option<String>,
    charset: String,
    bytes: usize,
    visible_chars: usize,
    /// Language of the written page's visible text (generated pages).
    lang: Option<String>,
}

impl Ctx<'_> {
    /// Writes a page in `enc` (NCRs for unmappable characters in HTML; text falls back to UTF-8).
    #[allow(clippy::too_many_arguments)]
    fn write(
        &self,
        rng: &mut StdRng,
        split: &str,
        id: &str,
        fmt: Fmt,
        page: &str,
        enc: &'static Encoding,
        declared: bool,
    ) -> Result<Written> {
        let enc = enc.output_encoding();
        let (bytes, enc) = match fmt {
            Fmt::Html => (enc.encode(page).0.into_owned(), enc),
            Fmt::Text => {
                let (b, _, bad) = enc.encode(page);
                if bad {
                    (page.as_bytes().to_vec(), encoding_rs::UTF_8)
                } else {
                    (b.into_owned(), enc)
                }
            }
        };
        let file = format!("pages/{split}/{}", id.replace(['/', ':'], "_"));
        let (file, out) = match fmt {
            Fmt::Html => (format!("{file}.html.gz"), util::gzip(&bytes)?),
            Fmt::Text => (format!("{file}.txt"), bytes.clone()),
        };
        std::fs::write(self.out.join(&file), out)?;
        let content_type = match fmt {
            Fmt::Html if declared && rng.gen_bool(0.35) => {
                Some(format!("text/html; charset={}", enc.name()))
            }
            Fmt::Text if rng.gen_bool(if enc == encoding_rs::UTF_8 { 0.2 } else { 0.6 }) => {
                Some(format!("text/plain; charset={}", enc.name()))
            }
            _ => None,
        };
        let visible = match fmt {
            Fmt::Html => util::html_to_lines(page).0.join("\n"),
            Fmt::Text => page.to_string(),
        };
        Ok(Written {
            path: file,
            content_type,
            charset: enc.name().to_string(),
            bytes: bytes.len(),
            visible_chars: visible.chars().count(),
            lang: Some(util::guess_lang(&visible)),
        })
    }

    /// A charset for a generated page: mostly UTF-8, else a legacy charset of its language.
    fn pick_charset(&self, rng: &mut StdRng, lang: &str) -> &'static Encoding {
        if rng.gen_bool(0.78) {
            return encoding_rs::UTF_8;
        }
        match lang {
            "zh" => [encoding_rs::GBK, encoding_rs::GB18030, encoding_rs::BIG5]
                .choose(rng)
                .copied()
                .unwrap_or(encoding_rs::GBK),
            "ja" => [encoding_rs::SHIFT_JIS, encoding_rs::EUC_JP]
                .choose(rng)
                .copied()
                .unwrap_or(encoding_rs::SHIFT_JIS),
            "ru" => encoding_rs::WINDOWS_1251,
            "ko" => encoding_rs::EUC_KR,
            "pl" | "cs" => encoding_rs::ISO_8859_2,
            _ => [
                encoding_rs::WINDOWS_1252,
                encoding_rs::WINDOWS_1252,
                encoding_rs::ISO_8859_15,
            ]
            .choose(rng)
            .copied()
            .unwrap_or(encoding_rs::WINDOWS_1252),
        }
    }

    /// The headlines pages of a split may carry: the held-out ones for test, the page
    /// ingredients of the training ones for train.
    fn headlines(&self, test: bool) -> Vec<usize> {
        (0..self.data.headlines.len())
            .filter(|&i| {
                let h = &self.data.headlines[i];
                h.test == test && (test || h.page)
            })
            .collect()
    }

    /// Link texts close to the article's topic (ham "related" widgets): headlines for English,
    /// titles of other real articles in the same language otherwise.
    #[allow(clippy::too_many_arguments)]
    fn on_topic(
        &self,
        rng: &mut StdRng,
        v: &Vector,
        pool: &[usize],
        arts: &[usize],
        lang: &str,
        topic: Option<usize>,
        k: usize,
        exclude: Option<usize>,
    ) -> Vec<(String, String)> {
        if lang != "en" {
            let mut scored: Vec<(f32, usize)> = arts
                .iter()
                .copied()
                .filter(|&j| Some(j) != exclude && self.data.articles[j].lang == lang)
                .map(|j| (dot(v, &self.art_vecs[j]), j))
                .filter(|(s, _)| *s > 0.08)
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            scored.truncate(k * 2);
            scored.shuffle(rng);
            scored.truncate(k);
            return scored.iter().map(|&(_, j)| self.art_link(j)).collect();
        }
        let mut scored: Vec<(f32, usize)> = pool
            .iter()
            .filter(|&&i| self.data.headlines[i].pool != Pool::Clickbait)
            .map(|&i| (dot(v, &self.head_vecs[i]), i))
            .filter(|(s, _)| *s > 0.12)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.truncate(k * 3);
        let mut out: Vec<usize> = scored.iter().map(|x| x.1).collect();
        out.shuffle(rng);
        out.truncate(k);
        if out.len() < 3 {
            // too few close headlines: "more from the section" instead
            if let Some(t) = topic {
                let same: Vec<usize> = pool
                    .iter()
                    .copied()
                    .filter(|&i| self.data.headlines[i].topic == t)
                    .collect();
                while out.len() < k && !same.is_empty() {
                    out.push(same[rng.gen_range(0..same.len())]);
                }
            }
        }
        out.iter().map(|&i| self.head_link(i)).collect()
    }

    fn head_link(&self, i: usize) -> (String, String) {
        let h = &self.data.headlines[i];
        (h.text.clone(), h.desc.clone())
    }

    fn art_link(&self, j: usize) -> (String, String) {
        let a = &self.data.articles[j];
        let desc: String = a
            .paras
            .first()
            .map(|p| p.chars().take(160).collect())
            .unwrap_or_default();
        (a.title.clone(), desc)
    }

    /// Link texts far from the article (spam link blocks); for other languages half of them are
    /// unrelated real article titles of that language.
    #[allow(clippy::too_many_arguments)]
    fn off_topic(
        &self,
        rng: &mut StdRng,
        v: &Vector,
        pool: &[usize],
        arts: &[usize],
        lang: &str,
        topic: Option<usize>,
        k: usize,
        clickbait_share: f64,
    ) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let same_lang: Vec<usize> = if lang != "en" {
            arts.iter()
                .copied()
                .filter(|&j| self.data.articles[j].lang == lang)
                .collect()
        } else {
            Vec::new()
        };
        let mut tries = 0;
        while out.len() < k && tries < k * 20 && !pool.is_empty() {
            tries += 1;
            if !same_lang.is_empty() && rng.gen_bool(0.5) {
                let j = same_lang[rng.gen_range(0..same_lang.len())];
                let l = self.art_link(j);
                if dot(v, &self.art_vecs[j]) < 0.05 && !out.contains(&l) {
                    out.push(l);
                }
                continue;
            }
            let i = pool[rng.gen_range(0..pool.len())];
            let h = &self.data.headlines[i];
            let is_cb = h.pool == Pool::Clickbait;
            if is_cb != rng.gen_bool(clickbait_share) {
                continue;
            }
            if Some(h.topic) == topic || dot(v, &self.head_vecs[i]) > 0.05 {
                continue;
            }
            let l = self.head_link(i);
            if !out.contains(&l) {
                out.push(l);
            }
        }
        out
    }

    fn items_t(
        &self,
        rng: &mut StdRng,
        texts: &[(String, String)],
        section: &str,
        with_desc: bool,
    ) -> Vec<Item> {
        texts
            .iter()
            .map(|(text, desc)| Item {
                text: text.clone(),
                desc: (with_desc && !desc.is_empty()).then(|| desc.clone()),
                href: parts::internal_href(rng, text, section),
                sponsored: false,
                counter: None,
            })
            .collect()
    }

    fn items(&self, rng: &mut StdRng, idx: &[usize], section: &str, with_desc: bool) -> Vec<Item> {
        idx.iter()
            .map(|&i| {
                let h: &Headline = &self.data.headlines[i];
                Item {
                    text: h.text.clone(),
                    desc: (with_desc && !h.desc.is_empty()).then(|| h.desc.clone()),
                    href: parts::internal_href(rng, &h.text, section),
                    sponsored: false,
                    counter: None,
                }
            })
            .collect()
    }
}

fn site_suffix(rng: &mut StdRng, domain: &str, site: &str) -> String {
    let name = if site.is_empty() {
        let d = domain.split('.').next().unwrap_or(domain);
        let mut c = d.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    } else {
        site.to_string()
    };
    format!(
        "{}{name}",
        [" - ", " | ", " – ", " :: ", " · "]
            .choose(rng)
            .copied()
            .unwrap_or(" - ")
    )
}

/// The article's true date, or one consistent with the years in its text.
fn true_date(rng: &mut StdRng, a: &Article) -> Option<(i32, u32, u32)> {
    if a.date.is_some() {
        return a.date;
    }
    let text = a.paras.join(" ");
    let ys = util::years_in(&text);
    let y = ys
        .iter()
        .copied()
        .filter(|&y| (1995..=2026).contains(&y))
        .max()?;
    Some((y, rng.gen_range(1..13), rng.gen_range(1..29)))
}

/// A date contradicting the article: years after the latest year it mentions.
fn wrong_date(rng: &mut StdRng, a: &Article) -> Option<(i32, u32, u32)> {
    let text = a.paras.join(" ");
    let mut latest = util::years_in(&text)
        .into_iter()
        .filter(|&y| (1990..=2026).contains(&y))
        .max();
    if let Some((y, _, _)) = a.date {
        latest = Some(latest.map_or(y, |l| l.max(y)));
    }
    let y = latest? + rng.gen_range(2..8);
    Some((y, rng.gen_range(1..13), rng.gen_range(1..29)))
}

const SPAM_KINDS: &[(&str, u32)] = &[
    ("scraper_republish", 34),
    ("spun", 13),
    ("stitched", 13),
    ("thin_ads", 13),
    ("feed_mirror", 12),
    ("clickbait_farm", 15),
];

const SIGNS: &[&str] = &[
    "offtopic_related",
    "clickbait_links",
    "ad_snippets",
    "fake_counter",
    "wrong_breadcrumb",
    "wrong_date",
    "junk_title_suffix",
    "wire_dateline",
];

fn weighted<'a>(rng: &mut StdRng, v: &'a [(&'a str, u32)]) -> &'a str {
    let total: u32 = v.iter().map(|x| x.1).sum();
    let mut r = rng.gen_range(0..total);
    for (k, w) in v {
        if r < *w {
            return k;
        }
        r -= w;
    }
    v[0].0
}

fn build_split(ctx: &Ctx, cfg: &Config, test: bool) -> Result<Vec<Record>> {
    let split: &'static str = if test { "test" } else { "train" };
    let seed = cfg.seed;
    let data = ctx.data;
    let hams: Vec<&HamPage> = data.ham.iter().filter(|h| h.test == test).collect();
    let arts: Vec<usize> = (0..data.articles.len())
        .filter(|&i| data.articles[i].test == test)
        .collect();
    let heads = ctx.headlines(test);
    let promos: Vec<&str> = data
        .promos
        .iter()
        .filter(|p| p.1 == test)
        .map(|p| p.0.as_str())
        .collect();
    let families: Vec<&str> = FAMILIES
        .iter()
        .copied()
        .filter(|f| render::family_is_test(f) == test)
        .collect();
    let styles: Vec<usize> = (0..TEXT_STYLES).filter(|s| (*s >= 4) == test).collect();
    let mut recs = Vec::new();

    // shells: real pages with a recognisable main container, not huge
    let shells: Vec<(&HamPage, &'static str)> = hams
        .iter()
        .filter(|h| h.html.len() < 1_500_000 && h.html.len() > 3_000)
        .filter_map(|h| shell::find_container(&h.html).map(|c| (*h, c)))
        .collect();
    eprintln!(
        "build-corpus: {split}: {} real pages, {} shells, {} articles, {} headlines",
        hams.len(),
        shells.len(),
        arts.len(),
        heads.len()
    );

    // --- ham: real pages, some with an innocent widget added
    for h in &hams {
        let mut rng = page_rng(seed, &format!("ham:{}", h.id));
        let mut signs = Vec::new();
        let id = format!("ham-{}", h.id);
        let w = if rng.gen_bool(0.12) {
            let cont = shell::find_container(&h.html);
            let (lines, title) = util::html_to_lines(&h.html);
            let v = ctx.tfidf.vector(&format!(
                "{title} {}",
                lines
                    .iter()
                    .filter(|l| l.len() > 80)
                    .take(20)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
            let blk = lookalike_block(
                ctx, &mut rng, &v, &heads, &arts, None, None, &h.lang, &promos, test, &mut signs,
            );
            match cont.and_then(|c| {
                shell::apply(
                    &h.html,
                    c,
                    &Edit {
                        after_html: render::block_html(&mut rng, &blk),
                        ..Edit::default()
                    },
                )
            }) {
                Some(html) => {
                    Some(ctx.write(&mut rng, split, &id, Fmt::Html, &html, h.enc, h.declared)?)
                }
                None => {
                    signs.clear();
                    None
                }
            }
        } else {
            None
        };
        let w = match w {
            Some(w) => w,
            None => {
                let (path, bytes) = match &h.raw_override {
                    Some(raw) => {
                        let file = format!("pages/{split}/{}.html.gz", id.replace(['/', ':'], "_"));
                        std::fs::write(ctx.out.join(&file), util::gzip(raw)?)?;
                        (file, raw.len())
                    }
                    None => {
                        let rel = h.src.strip_prefix(&cfg.data).unwrap_or(&h.src);
                        (
                            ctx.data_rel.join(rel).to_string_lossy().to_string(),
                            h.html.len(),
                        )
                    }
                };
                let content_type = (h.declared && rng.gen_bool(0.35))
                    .then(|| format!("text/html; charset={}", h.enc.name()));
                let visible_chars = util::html_to_lines(&h.html)
                    .0
                    .iter()
                    .map(|l| l.chars().count() + 1)
                    .sum();
                Written {
                    path,
                    content_type,
                    charset: h.enc.name().to_string(),
                    bytes,
                    visible_chars,
                    lang: None,
                }
            }
        };
        recs.push(Record {
            id,
            label: "ham",
            url: h.url.clone(),
            path: w.path,
            content_type: w.content_type,
            kind: h.kind.clone(),
            source: format!("{}:{}", h.dataset, h.domain),
            template: format!("real:{}:{}", h.dataset, h.domain),
            lang: h.lang.clone(),
            format: "html",
            charset: w.charset,
            signs,
            split,
            bytes: w.bytes,
            visible_chars: w.visible_chars,
        });
    }

    // --- ham: real pages copied as text (dumps)
    for h in &hams {
        let mut rng = page_rng(seed, &format!("hamdump:{}", h.id));
        if !rng.gen_bool(0.2) {
            continue;
        }
        let (lines, title) = util::html_to_lines(&h.html);
        if lines.len() < 5 {
            continue;
        }
        let mut text = String::new();
        if !title.is_empty() && rng.gen_bool(0.7) {
            text += &title;
            text.push('\n');
        }
        for l in &lines {
            text += l;
            text.push('\n');
        }
        let id = format!("ham-dump-{}", h.id);
        let enc = ctx.pick_charset(&mut rng, &h.lang);
        let w = ctx.write(&mut rng, split, &id, Fmt::Text, &text, enc, true)?;
        recs.push(Record {
            id,
            label: "ham",
            url: if rng.gen_bool(0.8) {
                h.url.clone()
            } else {
                String::new()
            },
            path: w.path,
            content_type: w.content_type,
            kind: h.kind.clone(),
            source: format!("{}:{}", h.dataset, h.domain),
            template: format!("dump:{}:{}", h.dataset, h.domain),
            lang: h.lang.clone(),
            format: "text",
            charset: w.charset,
            signs: vec![],
            split,
            bytes: w.bytes,
            visible_chars: w.visible_chars,
        });
    }

    // --- ham: real articles rendered as text or in a clean template
    for &ai in &arts {
        let a = &data.articles[ai];
        let mut rng = page_rng(seed, &format!("hamart:{}", a.id));
        let r: f64 = rng.gen();
        let fmt = if r < 0.3 {
            Fmt::Text
        } else if r < 0.38 {
            Fmt::Html
        } else {
            continue;
        };
        let mut signs = Vec::new();
        let c = ham_content(ctx, &mut rng, ai, &heads, &arts, &promos, test, &mut signs);
        let id = format!("ham-art-{}", a.id);
        let enc = ctx.pick_charset(&mut rng, &a.lang);
        let (w, template) = if fmt == Fmt::Text {
            let style = *styles.choose(&mut rng).unwrap_or(&0);
            {
                let t = render::text(&mut rng, &c, style);
                (
                    ctx.write(&mut rng, split, &id, fmt, &t, enc, true)?,
                    format!("text:{style}"),
                )
            }
        } else {
            let fam = *families.choose(&mut rng).unwrap_or(&"wp_magazine");
            let html = render::family_html(&mut rng, fam, &c, enc.name(), &a.url);
            (
                ctx.write(&mut rng, split, &id, fmt, &html, enc, true)?,
                format!("family:{fam}"),
            )
        };
        recs.push(Record {
            id,
            label: "ham",
            url: if rng.gen_bool(0.85) {
                a.url.clone()
            } else {
                String::new()
            },
            path: w.path,
            content_type: w.content_type,
            kind: "article".into(),
            source: format!("{}:{}", a.dataset, a.domain),
            template,
            lang: w.lang.clone().unwrap_or_else(|| a.lang.clone()),
            format: if fmt == Fmt::Text { "text" } else { "html" },
            charset: w.charset,
            signs,
            split,
            bytes: w.bytes,
            visible_chars: w.visible_chars,
        });
    }

    // --- spam
    let n_ham = recs.len();
    let text_share =
        recs.iter().filter(|r| r.format == "text").count() as f64 / n_ham.max(1) as f64;
    let n_spam = (n_ham as f64 * cfg.spam_per_ham).round() as usize;
    if arts.is_empty() || heads.is_empty() {
        eprintln!("build-corpus: {split}: no articles or headlines, no spam");
        return Ok(recs);
    }
    let mut dropped_empty = 0usize;
    for i in 0..n_spam {
        let mut rng = page_rng(seed, &format!("spam:{split}:{i}"));
        let kind = weighted(&mut rng, SPAM_KINDS);
        let ai = arts[rng.gen_range(0..arts.len())];
        let a = &data.articles[ai];
        let mut signs: Vec<String> = Vec::new();
        let c = spam_content(
            ctx, &mut rng, kind, ai, &arts, &heads, &promos, test, &mut signs,
        );
        let id = format!("spam-{split}-{i:05}-{kind}");
        let is_text = rng.gen_bool(text_share);
        let (fmt, html_or_text, template, enc, declared, url, lang) =
            if is_text && (rng.gen_bool(0.55) || shells.is_empty()) {
                let style = *styles.choose(&mut rng).unwrap_or(&0);
                let enc = ctx.pick_charset(&mut rng, &c.lang);
                // the scraper's own site, as the URL a crawler saw
                let (_, dom) = parts::site_name(&mut rng, &c.lang);
                let url = format!(
                    "https://www.{dom}{}",
                    parts::internal_href(&mut rng, &c.title, "news")
                );
                (
                    Fmt::Text,
                    render::text(&mut rng, &c, style),
                    format!("text:{style}"),
                    enc,
                    true,
                    url,
                    c.lang.clone(),
                )
            } else if rng.gen_bool(0.07) || shells.is_empty() {
                let fam = *families.choose(&mut rng).unwrap_or(&"wp_magazine");
                let enc = ctx.pick_charset(&mut rng, &c.lang);
                let (_, dom) = parts::site_name(&mut rng, &c.lang);
                let url = format!(
                    "https://www.{dom}{}",
                    parts::internal_href(&mut rng, &c.title, "news")
                );
                let html = render::family_html(&mut rng, fam, &c, enc.name(), &url);
                if is_text {
                    let (t, title) = dump(&mut rng, &html);
                    (
                        Fmt::Text,
                        t,
                        format!("dump:family:{fam}"),
                        enc,
                        true,
                        url,
                        lang_of(&c, &title),
                    )
                } else {
                    (
                        Fmt::Html,
                        html,
                        format!("family:{fam}"),
                        enc,
                        true,
                        url,
                        c.lang.clone(),
                    )
                }
            } else {
                // shells follow the ham mix of datasets (old pages are harder to use as shells, so
                // without this they would be mostly ham)
                let like = hams[rng.gen_range(0..hams.len())].dataset;
                let same: Vec<usize> = (0..shells.len())
                    .filter(|&j| shells[j].0.dataset == like)
                    .collect();
                let j = if same.is_empty() {
                    rng.gen_range(0..shells.len())
                } else {
                    same[rng.gen_range(0..same.len())]
                };
                let (sh, cont) = shells[j];
                let html = shell_page(&mut rng, sh, cont, &c, &signs);
                let html = match html {
                    Some(h) => h,
                    None => continue,
                };
                let url = if sh.url.is_empty() {
                    String::new()
                } else {
                    let host = util::host_of(&sh.url).unwrap_or(&sh.domain).to_string();
                    format!(
                        "https://{host}{}",
                        parts::internal_href(&mut rng, &c.title, "news")
                    )
                };
                if is_text {
                    let (t, _) = dump(&mut rng, &html);
                    (
                        Fmt::Text,
                        t,
                        format!("dump:{}:{}", sh.dataset, sh.domain),
                        ctx.pick_charset(&mut rng, &c.lang),
                        true,
                        url,
                        c.lang.clone(),
                    )
                } else {
                    (
                        Fmt::Html,
                        html,
                        format!("shell:{}:{}", sh.dataset, sh.domain),
                        sh.enc,
                        sh.declared,
                        url,
                        c.lang.clone(),
                    )
                }
            };
        let w = ctx.write(&mut rng, split, &id, fmt, &html_or_text, enc, declared)?;
        if w.visible_chars < MIN_SPAM_VISIBLE_CHARS {
            // The chrome swallowed the content (a script-rendered shell, or the dump of one):
            // labelled spam with nothing of spam to see, such a page would teach the model
            // that an empty page is spam, and real empty shells would pay for it.
            std::fs::remove_file(ctx.out.join(&w.path))?;
            dropped_empty += 1;
            continue;
        }
        recs.push(Record {
            id,
            label: "spam",
            url: if rng.gen_bool(0.85) {
                url
            } else {
                String::new()
            },
            path: w.path,
            content_type: w.content_type,
            kind: kind.to_string(),
            source: format!("{}:{}", a.dataset, a.domain),
            template,
            lang: w.lang.clone().unwrap_or(lang),
            format: if fmt == Fmt::Text { "text" } else { "html" },
            charset: w.charset,
            signs,
            split,
            bytes: w.bytes,
            visible_chars: w.visible_chars,
        });
    }
    if dropped_empty > 0 {
        eprintln!(
            "build-corpus: {split}: {dropped_empty} spam pages dropped: under \
             {MIN_SPAM_VISIBLE_CHARS} visible characters"
        );
    }
    Ok(recs)
}

/// A generated spam page must show at least this much text: the ingredients it was given.
const MIN_SPAM_VISIBLE_CHARS: usize = 100;

fn lang_of(c: &Content, _title: &str) -> String {
    c.lang.clone()
}

/// A page copied as text: optionally its title first, then the visible lines.
fn dump(rng: &mut StdRng, html: &str) -> (String, String) {
    let (lines, title) = util::html_to_lines(html);
    let mut text = String::new();
    if !title.is_empty() && rng.gen_bool(0.7) {
        text += &title;
        text.push('\n');
    }
    for l in &lines {
        text += l;
        text.push('\n');
    }
    (text, title)
}

/// An innocent widget for a ham page: on-topic related links, a mixed "most read" list, a
/// labelled sponsored widget, or a comment counter.
#[allow(clippy::too_many_arguments)]
fn lookalike_block(
    ctx: &Ctx,
    rng: &mut StdRng,
    v: &Vector,
    heads: &[usize],
    arts: &[usize],
    exclude: Option<usize>,
    topic: Option<usize>,
    lang: &str,
    promos: &[&str],
    test: bool,
    signs: &mut Vec<String>,
) -> Block {
    let section = topic
        .map(|t| *topic::section_names(t, lang).choose(rng).unwrap_or(&"News"))
        .unwrap_or("News");
    let k = rng.gen_range(3..9);
    let r: f64 = rng.gen();
    if r < 0.55 {
        let texts = ctx.on_topic(rng, v, heads, arts, lang, topic, k, exclude);
        if texts.len() >= 2 {
            signs.push("ham_related_on_topic".into());
            let with_desc = rng.gen_bool(0.2);
            return Block {
                heading: parts::related_heading(rng, lang, section),
                items: ctx.items_t(rng, &texts, section, with_desc),
                kind: BlockKind::Related,
            };
        }
    }
    if r < 0.8 {
        // "most read" widgets of real news sites mix every topic
        signs.push("ham_popular_mixed".into());
        let idx: Vec<usize> = (0..k)
            .map(|_| heads[rng.gen_range(0..heads.len())])
            .filter(|&i| ctx.data.headlines[i].pool != Pool::Clickbait)
            .collect();
        return Block {
            heading: parts::popular_heading(rng, lang),
            items: ctx.items(rng, &idx, section, false),
            kind: BlockKind::Popular,
        };
    }
    // a labelled sponsored widget (Taboola/Outbrain style): clickbait and ads, honestly labelled
    signs.push("ham_sponsored_widget".into());
    let mut items = Vec::new();
    for _ in 0..k {
        let text = if rng.gen_bool(0.5) {
            parts::ad_snippet(rng, test, promos)
        } else {
            let cb: Vec<usize> = heads
                .iter()
                .copied()
                .filter(|&i| ctx.data.headlines[i].pool == Pool::Clickbait)
                .collect();
            cb.choose(rng)
                .map(|&i| ctx.data.headlines[i].text.clone())
                .unwrap_or_else(|| parts::ad_snippet(rng, test, promos))
        };
        let href = parts::ad_href(rng);
        items.push(Item {
            text,
            desc: None,
            href,
            sponsored: true,
            counter: None,
        });
    }
    Block {
        heading: parts::sponsored_heading(rng, lang),
        items,
        kind: BlockKind::Sponsored,
    }
}

/// A real article as a real site shows it.
#[allow(clippy::too_many_arguments)]
fn ham_content(
    ctx: &Ctx,
    rng: &mut StdRng,
    ai: usize,
    heads: &[usize],
    arts: &[usize],
    promos: &[&str],
    test: bool,
    signs: &mut Vec<String>,
) -> Content {
    let a = &ctx.data.articles[ai];
    let topic = ctx.art_topic[ai];
    let (site, _) = parts::site_name(rng, &a.lang);
    // the real domain as site name, unless the dataset gave none
    let site = if rng.gen_bool(0.5) || !a.domain.contains('.') || a.domain.ends_with(".readability")
    {
        site
    } else {
        a.domain.clone()
    };
    let sections: Vec<String> = (0..topic::VIRAL)
        .filter(|_| rng.gen_bool(0.5))
        .map(|t| topic::section_names(t, &a.lang)[0].to_string())
        .collect();
    let mut c = Content {
        title: a.title.clone(),
        paras: a.paras.clone(),
        lang: a.lang.clone(),
        site: site.clone(),
        sections,
        ..Content::default()
    };
    if rng.gen_bool(0.6) {
        c.title_suffix = Some(site_suffix(rng, &a.domain, &site));
    }
    if rng.gen_bool(0.3) {
        let home = match a.lang.as_str() {
            "de" => "Startseite",
            "fr" => "Accueil",
            "es" => "Inicio",
            "zh" => "首页",
            _ => "Home",
        };
        let sec = topic
            .map(|t| {
                *topic::section_names(t, &a.lang)
                    .choose(rng)
                    .unwrap_or(&"News")
            })
            .unwrap_or("News");
        c.breadcrumb = vec![home.to_string(), sec.to_string()];
    }
    if let Some(d) = true_date(rng, a) {
        if rng.gen_bool(0.6) {
            c.date_line = Some(parts::date_line(rng, d, &a.lang));
            c.date_iso = Some(parts::iso(d));
        }
    }
    if rng.gen_bool(0.4) {
        if let Some(au) = &a.author {
            c.byline = Some(if rng.gen_bool(0.5) {
                format!("By {au}")
            } else {
                au.clone()
            });
        }
    }
    if rng.gen_bool(0.15) {
        c.stray = Some(parts::stray_label(rng));
    }
    if rng.gen_bool(0.03) {
        c.dateline = Some(parts::wire_dateline(rng));
        signs.push("ham_wire_dateline".into());
    }
    if rng.gen_bool(0.12) {
        c.counters.push(parts::ham_counter(rng, &a.lang));
        signs.push("ham_counter".into());
    }
    let v = &ctx.art_vecs[ai];
    if rng.gen_bool(0.5) {
        let b = lookalike_block(
            ctx,
            rng,
            v,
            heads,
            arts,
            Some(ai),
            topic,
            &a.lang,
            promos,
            test,
            signs,
        );
        c.blocks.push(b);
    }
    if rng.gen_bool(0.15) {
        let b = lookalike_block(
            ctx,
            rng,
            v,
            heads,
            arts,
            Some(ai),
            topic,
            &a.lang,
            promos,
            test,
            signs,
        );
        c.side_blocks.push(b);
    }
    c
}

/// A spam page's content by kind, with a random subset of the signs.
#[allow(clippy::too_many_arguments)]
fn spam_content(
    ctx: &Ctx,
    rng: &mut StdRng,
    kind: &str,
    ai: usize,
    arts: &[usize],
    heads: &[usize],
    promos: &[&str],
    test: bool,
    signs: &mut Vec<String>,
) -> Content {
    let data = ctx.data;
    let a = &data.articles[ai];
    let topic = ctx.art_topic[ai];
    let v = &ctx.art_vecs[ai];
    let (site, dom) = parts::site_name(rng, &a.lang);
    let site = if rng.gen_bool(0.6) { site } else { dom.clone() };
    let sections: Vec<String> = (0..topic::VIRAL)
        .filter(|_| rng.gen_bool(0.5))
        .map(|t| topic::section_names(t, &a.lang)[0].to_string())
        .collect();
    let mut c = Content {
        title: a.title.clone(),
        lang: a.lang.clone(),
        site: site.clone(),
        sections,
        ..Content::default()
    };
    let cb_pool: Vec<usize> = heads
        .iter()
        .copied()
        .filter(|&i| data.headlines[i].pool == Pool::Clickbait)
        .collect();
    let news_pool: Vec<usize> = heads
        .iter()
        .copied()
        .filter(|&i| data.headlines[i].pool != Pool::Clickbait)
        .collect();

    match kind {
        "spun" => {
            let rate = rng.gen_range(0.3..0.8);
            c.paras = a.paras.iter().map(|p| parts::spin(rng, p, rate)).collect();
            c.title = parts::spin(rng, &a.title, rate);
        }
        "stitched" => {
            let n = rng.gen_range(2..4);
            let mut srcs = vec![ai];
            for _ in 1..n {
                srcs.push(arts[rng.gen_range(0..arts.len())]);
            }
            let chunk = rng.gen_range(2..5);
            let mut round = 0;
            loop {
                let mut any = false;
                for &s in &srcs {
                    let p = &data.articles[s].paras;
                    for x in p.iter().skip(round * chunk).take(chunk) {
                        c.paras.push(x.clone());
                        any = true;
                    }
                }
                round += 1;
                if !any || c.paras.len() > 40 {
                    break;
                }
            }
        }
        "thin_ads" => {
            let n = rng.gen_range(1..3);
            c.paras = a.paras.iter().take(n).cloned().collect();
            if rng.gen_bool(0.5) {
                if let Some(p) = c.paras.last_mut() {
                    let cut: String = p.chars().take(rng.gen_range(80..200)).collect();
                    *p = format!("{cut}…");
                }
            }
            for _ in 0..rng.gen_range(2..5) {
                let items = (0..rng.gen_range(3..7))
                    .map(|_| Item {
                        text: parts::ad_snippet(rng, test, promos),
                        desc: None,
                        href: parts::ad_href(rng),
                        sponsored: rng.gen_bool(0.5),
                        counter: None,
                    })
                    .collect();
                let heading = if rng.gen_bool(0.5) {
                    parts::sponsored_heading(rng, &a.lang)
                } else {
                    parts::popular_heading(rng, &a.lang)
                };
                c.side_blocks.push(Block {
                    heading,
                    items,
                    kind: BlockKind::Sponsored,
                });
            }
            let k = rng.gen_range(15..50);
            let texts = ctx.off_topic(rng, v, heads, arts, &a.lang, topic, k, 0.3);
            let items = ctx.items_t(rng, &texts, "news", false);
            c.blocks.push(Block {
                heading: parts::popular_heading(rng, &a.lang),
                items,
                kind: BlockKind::Farm,
            });
        }
        "feed_mirror" => {
            let n = rng.gen_range(8..30);
            let idx: Vec<usize> = (0..n)
                .map(|_| news_pool[rng.gen_range(0..news_pool.len().max(1))])
                .collect();
            c.feed = ctx.items(rng, &idx, "news", true);
            if let Some(f) = c.feed.first() {
                c.title = if rng.gen_bool(0.5) {
                    f.text.clone()
                } else {
                    format!(
                        "{} – {}",
                        site,
                        [
                            "Latest News",
                            "News",
                            "Top Stories",
                            "Home",
                            "Aktuelle Nachrichten",
                            "最新资讯"
                        ]
                        .choose(rng)
                        .unwrap_or(&"News")
                    )
                };
            }
            if rng.gen_bool(0.4) {
                for it in c.feed.iter_mut() {
                    it.counter = Some(parts::spam_counter(rng, &a.lang));
                }
            }
        }
        "clickbait_farm" => {
            if let Some(&t) = cb_pool.choose(rng) {
                c.title = data.headlines[t].text.clone();
            }
            let n = rng.gen_range(0..4);
            c.paras = a.paras.iter().take(n).cloned().collect();
            let idx: Vec<usize> = (0..rng.gen_range(8..30))
                .map(|_| cb_pool[rng.gen_range(0..cb_pool.len().max(1))])
                .collect();
            c.feed = ctx.items(rng, &idx, "viral", false);
            for it in c.feed.iter_mut() {
                if rng.gen_bool(0.6) {
                    it.counter = Some(parts::spam_counter(rng, &a.lang));
                }
            }
        }
        _ => {
            c.paras = a.paras.clone();
        }
    }
    let base_kind = kind == "scraper_republish" || kind == "spun";
    // how many signs: scraped articles need at least one, the other kinds are spam by shape
    let r: f64 = rng.gen();
    let n_signs = if base_kind {
        if r < 0.15 {
            1
        } else if r < 0.4 {
            2
        } else if r < 0.65 {
            3
        } else if r < 0.8 {
            4
        } else {
            rng.gen_range(5..9)
        }
    } else if r < 0.25 {
        0
    } else if r < 0.6 {
        1
    } else if r < 0.85 {
        2
    } else {
        rng.gen_range(3..6)
    };
    let mut chosen: Vec<&str> = SIGNS.to_vec();
    chosen.shuffle(rng);
    chosen.truncate(n_signs);
    chosen.sort_by_key(|s| SIGNS.iter().position(|x| x == s));
    let wrong_topic = (0..topic::VIRAL)
        .filter(|t| Some(*t) != topic)
        .collect::<Vec<_>>();
    let lang = a.lang.as_str();
    let mut link_blocks: Vec<Block> = Vec::new();
    for s in &chosen {
        match *s {
            "offtopic_related" => {
                for bi in 0..rng.gen_range(1..4) {
                    let k = rng.gen_range(4..12);
                    let texts = ctx.off_topic(rng, v, heads, arts, lang, topic, k, 0.15);
                    let heading = if bi == 0 || rng.gen_bool(0.5) {
                        parts::related_heading(rng, lang, "")
                    } else {
                        parts::popular_heading(rng, lang)
                    };
                    link_blocks.push(Block {
                        heading,
                        items: ctx.items_t(rng, &texts, "news", false),
                        kind: BlockKind::Related,
                    });
                }
            }
            "clickbait_links" => {
                let idx: Vec<usize> = (0..rng.gen_range(3..10))
                    .map(|_| cb_pool[rng.gen_range(0..cb_pool.len().max(1))])
                    .collect();
                let items = ctx.items(rng, &idx, "viral", false);
                if !link_blocks.is_empty() && rng.gen_bool(0.5) {
                    let b = link_blocks.len() - 1;
                    link_blocks[b].items.extend(items);
                    link_blocks[b].items.shuffle(rng);
                } else {
                    let heading = if rng.gen_bool(0.5) {
                        parts::related_heading(rng, lang, "")
                    } else {
                        parts::popular_heading(rng, lang)
                    };
                    link_blocks.push(Block {
                        heading,
                        items,
                        kind: BlockKind::Popular,
                    });
                }
            }
            "ad_snippets" => {
                let n = rng.gen_range(1..4);
                let ads: Vec<Item> = (0..n)
                    .map(|_| Item {
                        text: parts::ad_snippet(rng, test, promos),
                        desc: None,
                        href: if rng.gen_bool(0.5) {
                            parts::ad_href(rng)
                        } else {
                            parts::internal_href(rng, "deal", "deals")
                        },
                        sponsored: rng.gen_bool(0.2),
                        counter: None,
                    })
                    .collect();
                if !link_blocks.is_empty() && rng.gen_bool(0.7) {
                    // ads posing as headlines inside a news list
                    for it in ads {
                        let b = rng.gen_range(0..link_blocks.len());
                        let pos = rng.gen_range(0..=link_blocks[b].items.len());
                        link_blocks[b].items.insert(pos, it);
                    }
                } else {
                    link_blocks.push(Block {
                        heading: parts::popular_heading(rng, lang),
                        items: ads,
                        kind: BlockKind::Popular,
                    });
                }
            }
            "fake_counter" => {
                for _ in 0..rng.gen_range(1..3) {
                    c.counters.push(parts::spam_counter(rng, lang));
                }
            }
            "wrong_breadcrumb" => {
                let t = *wrong_topic.choose(rng).unwrap_or(&topic::BUSINESS);
                let home = match lang {
                    "de" => "Startseite",
                    "fr" => "Accueil",
                    "es" => "Inicio",
                    "zh" => "首页",
                    _ => "Home",
                };
                c.breadcrumb = vec![
                    home.to_string(),
                    topic::section_names(t, lang)
                        .choose(rng)
                        .unwrap_or(&"News")
                        .to_string(),
                ];
            }
            "wrong_date" => {
                if c.paras.is_empty() {
                    continue;
                }
                if let Some(d) = wrong_date(rng, a) {
                    c.date_line = Some(parts::date_line(rng, d, lang));
                    c.date_iso = Some(parts::iso(d));
                } else {
                    continue;
                }
            }
            "junk_title_suffix" => c.title_suffix = Some(parts::junk_suffix(rng, lang)),
            "wire_dateline" => {
                if c.paras.is_empty() {
                    continue;
                }
                c.dateline = Some(parts::wire_dateline(rng));
            }
            _ => {}
        }
        signs.push(s.to_string());
    }
    if c.title_suffix.is_none() && rng.gen_bool(0.6) {
        c.title_suffix = Some(site_suffix(rng, &dom, &site));
    }
    if c.date_line.is_none() && rng.gen_bool(0.4) {
        if let Some(d) = true_date(rng, a) {
            c.date_line = Some(parts::date_line(rng, d, lang));
            c.date_iso = Some(parts::iso(d));
        }
    }
    if rng.gen_bool(0.25) {
        c.stray = Some(parts::stray_label(rng));
    }
    if rng.gen_bool(0.25) {
        if let Some(au) = &a.author {
            c.byline = Some(format!("By {au}"));
        }
    }
    // sidebar or inline placement of the junk blocks
    for b in link_blocks {
        if rng.gen_bool(0.3) {
            c.side_blocks.push(b);
        } else {
            c.blocks.push(b);
        }
    }
    c
}

/// A real page with its main content replaced by the spam content and its widgets replaced by
/// the spam blocks.
fn shell_page(
    rng: &mut StdRng,
    sh: &HamPage,
    container: &str,
    c: &Content,
    signs: &[String],
) -> Option<String> {
    let mut c2 = c.clone();
    // blocks that go into existing widgets of the page, the rest inline or after the content
    let mut widgets = Vec::new();
    let mut after = String::new();
    let mut aside = String::new();
    let blocks = std::mem::take(&mut c2.blocks);
    for b in &blocks {
        match rng.gen_range(0..4) {
            0 => widgets.push(render::block_html(rng, b)),
            1 => after += &render::block_html(rng, b),
            _ => c2.blocks.push(b.clone()),
        }
    }
    for b in std::mem::take(&mut c2.side_blocks) {
        match rng.gen_range(0..3) {
            0 => aside += &render::block_html(rng, &b),
            1 => widgets.push(render::block_html(rng, &b)),
            _ => after += &render::block_html(rng, &b),
        }
    }
    let body = render::body_html(rng, &c2, true);
    let title_full = format!("{}{}", c.title, c.title_suffix.as_deref().unwrap_or(""));
    let desc: String = c
        .paras
        .first()
        .map(|p| p.chars().take(155).collect())
        .unwrap_or_default();
    let date = if signs.iter().any(|s| s == "wrong_date") {
        c.date_iso.clone().zip(c.date_line.clone())
    } else {
        None
    };
    let crumb = (!c.breadcrumb.is_empty()).then(|| {
        c.breadcrumb
            .iter()
            .map(|b| format!("<a href=\"/{}\">{}</a>", util::slug(b), esc(b)))
            .collect::<Vec<_>>()
            .join(" &gt; ")
    });
    let edit = Edit {
        title_full: Some(title_full),
        title: Some(c.title.clone()),
        desc: Some(desc),
        body_html: Some(body),
        after_html: after,
        aside_html: aside,
        widgets,
        date,
        breadcrumb_html: crumb,
        drop_jsonld: rng.gen_bool(0.5),
    };
    shell::apply(&sh.html, container, &edit)
}

/// Prints counts and length distributions.
pub fn summary(recs: &[Record]) -> String {
    use std::collections::BTreeMap;
    let mut s = String::new();
    let mut by: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for r in recs {
        *by.entry((r.split.to_string(), r.label.to_string(), r.kind.clone()))
            .or_default() += 1;
    }
    s += "split  label kind                      count\n";
    for ((sp, l, k), n) in &by {
        s += &format!("{sp:6} {l:5} {k:25} {n}\n");
    }
    let mut fmt: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for r in recs {
        *fmt.entry((
            r.split.to_string(),
            r.label.to_string(),
            r.format.to_string(),
        ))
        .or_default() += 1;
    }
    s += "\nsplit  label format count\n";
    for ((sp, l, f), n) in &fmt {
        s += &format!("{sp:6} {l:5} {f:6} {n}\n");
    }
    let mut langs: BTreeMap<(String, String), BTreeMap<String, usize>> = BTreeMap::new();
    for r in recs {
        *langs
            .entry((r.split.to_string(), r.label.to_string()))
            .or_default()
            .entry(r.lang.clone())
            .or_default() += 1;
    }
    s += "\nlanguages\n";
    for ((sp, l), m) in &langs {
        let mut v: Vec<_> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1));
        s += &format!(
            "{sp:6} {l:5} {}\n",
            v.iter()
                .take(10)
                .map(|(k, n)| format!("{k}:{n}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    let mut cs: BTreeMap<(String, String), usize> = BTreeMap::new();
    for r in recs {
        *cs.entry((r.label.to_string(), format!("{}/{}", r.format, r.charset)))
            .or_default() += 1;
    }
    s += "\ncharsets (label, format/charset, count)\n";
    for ((l, c), n) in &cs {
        s += &format!("{l:5} {c:24} {n}\n");
    }
    s += "\nlengths: bytes and visible chars (mean / p10 / p50 / p90)\n";
    for split in ["train", "test"] {
        for label in ["ham", "spam"] {
            for f in ["html", "text"] {
                let sel: Vec<&Record> = recs
                    .iter()
                    .filter(|r| r.split == split && r.label == label && r.format == f)
                    .collect();
                if sel.is_empty() {
                    continue;
                }
                let q = |mut v: Vec<usize>| {
                    v.sort_unstable();
                    let n = v.len();
                    let mean = v.iter().sum::<usize>() / n;
                    format!(
                        "{mean:>8} / {:>7} / {:>7} / {:>8}",
                        v[n / 10],
                        v[n / 2],
                        v[(n * 9 / 10).min(n - 1)]
                    )
                };
                s += &format!(
                    "{split:5} {label:4} {f:4} n={:5} bytes {}   visible {}\n",
                    sel.len(),
                    q(sel.iter().map(|r| r.bytes).collect()),
                    q(sel.iter().map(|r| r.visible_chars).collect())
                );
            }
        }
    }
    s
}
