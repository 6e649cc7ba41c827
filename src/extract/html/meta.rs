//! Page metadata: `<meta>` tags, JSON-LD, the title and its site-name suffix, the breadcrumb.

use serde_json::Value;

use super::{entities, Parsed};
use crate::extract::{DateMention, DateSource, Title};

/// Metadata gathered during the pass.
#[derive(Debug, Default)]
pub(crate) struct Meta {
    pub title_tag: Option<String>,
    pub og_title: Option<String>,
    pub site_name: Option<String>,
    pub og_url: Option<String>,
    pub canonical: Option<String>,
    pub lang: Option<String>,
    pub authors: Vec<String>,
    pub jsonld_breadcrumb: Vec<String>,
}

impl Meta {
    pub fn set_lang(&mut self, l: &str) {
        let l = l.trim();
        if self.lang.is_none() && !l.is_empty() && l.len() <= 35 {
            self.lang = Some(l.to_ascii_lowercase().replace('_', "-"));
        }
    }

    /// A `<meta>` tag: `key` is its name/property/itemprop.
    pub fn on_meta(
        &mut self,
        key: Option<&str>,
        http_equiv: Option<&str>,
        content: Option<&str>,
        dates: &mut Vec<DateMention>,
    ) {
        let Some(content) = content.map(str::trim).filter(|c| !c.is_empty()) else {
            return;
        };
        if let Some(h) = http_equiv {
            if h.trim().eq_ignore_ascii_case("content-language") {
                if let Some(first) = content.split(',').next() {
                    self.set_lang(first);
                }
            }
            return;
        }
        let Some(key) = key else {
            return;
        };
        let key = key.trim().to_ascii_lowercase();
        match key.as_str() {
            "og:title" | "twitter:title" if self.og_title.is_none() => {
                self.og_title = Some(entities::decode(content));
            }
            "og:site_name" | "application-name" if self.site_name.is_none() => {
                self.site_name = Some(entities::decode(content));
            }
            "og:url" if self.og_url.is_none() => {
                self.og_url = Some(entities::decode(content));
            }
            "author" | "article:author" | "dc.creator" | "parsely-author" | "sailthru.author"
                if !content.starts_with("http") =>
            {
                let a = entities::decode(content);
                if self.authors.len() < 8 && !self.authors.contains(&a) {
                    self.authors.push(a);
                }
            }
            "article:published_time"
            | "article:modified_time"
            | "og:updated_time"
            | "og:published_time"
            | "date"
            | "dc.date"
            | "dc.date.issued"
            | "dc.date.created"
            | "dcterms.created"
            | "dcterms.modified"
            | "dcterms.date"
            | "parsely-pub-date"
            | "sailthru.date"
            | "pubdate"
            | "publishdate"
            | "publish-date"
            | "publish_date"
            | "datepublished"
            | "datemodified"
            | "datecreated"
            | "last-modified"
            | "article.published"
            | "article.updated"
            | "citation_publication_date"
            | "date.available"
            | "lastmod"
                if dates.len() < 64 =>
            {
                dates.push(DateMention {
                    raw: content.chars().take(64).collect(),
                    source: DateSource::Meta,
                    ymd: iso_ymd(content),
                });
            }
            _ => {}
        }
    }
}

/// The date at the start of an ISO-8601-like string ("2025-04-15T02:44:08Z", "2025/04/15").
pub(crate) fn iso_ymd(s: &str) -> Option<(i32, u32, u32)> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let y: i32 = s.get(..4)?.parse().ok()?;
    let sep = b[4];
    let (m, d) = if sep == b'-' || sep == b'/' || sep == b'.' {
        let mut it = s[5..].splitn(2, sep as char);
        let m: u32 = it.next()?.parse().ok()?;
        let rest = it.next()?;
        let dl = rest.bytes().take_while(u8::is_ascii_digit).count();
        let d: u32 = rest.get(..dl)?.parse().ok()?;
        (m, d)
    } else if b[..8].iter().all(u8::is_ascii_digit) {
        (s[4..6].parse().ok()?, s[6..8].parse().ok()?)
    } else {
        return None;
    };
    ((1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then_some((y, m, d))
}

/// Reads one JSON-LD script: dates, authors, a BreadcrumbList. Walks values with an explicit
/// stack (serde_json itself limits nesting to 128).
pub(crate) fn on_jsonld(raw: &str, meta: &mut Meta, dates: &mut Vec<DateMention>) {
    let raw = raw
        .trim()
        .trim_start_matches("<!--")
        .trim_end_matches("-->");
    let Ok(v) = serde_json::from_str::<Value>(raw.trim()) else {
        return;
    };
    let mut stack: Vec<&Value> = vec![&v];
    let mut seen = 0;
    while let Some(v) = stack.pop() {
        seen += 1;
        if seen > 20_000 {
            break;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter().rev()),
            Value::Object(o) => {
                let is_crumbs = o
                    .get("@type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t == "BreadcrumbList");
                if is_crumbs && meta.jsonld_breadcrumb.is_empty() {
                    meta.jsonld_breadcrumb = crumbs(o.get("itemListElement"));
                    continue;
                }
                for key in ["datePublished", "dateModified", "dateCreated", "uploadDate"] {
                    if let Some(d) = o.get(key).and_then(Value::as_str) {
                        if dates.len() < 64 {
                            dates.push(DateMention {
                                raw: d.chars().take(64).collect(),
                                source: DateSource::JsonLd,
                                ymd: iso_ymd(d),
                            });
                        }
                    }
                }
                if let Some(a) = o.get("author") {
                    let mut names = Vec::new();
                    match a {
                        Value::String(s) => names.push(s.as_str()),
                        Value::Object(ao) => names.extend(ao.get("name").and_then(Value::as_str)),
                        Value::Array(arr) => {
                            for x in arr.iter().take(8) {
                                match x {
                                    Value::String(s) => names.push(s.as_str()),
                                    Value::Object(xo) => {
                                        names.extend(xo.get("name").and_then(Value::as_str))
                                    }
                                    _ => {}
                                }
                            }
                        }
                        _ => {}
                    }
                    for n in names {
                        let n = n.trim();
                        if !n.is_empty()
                            && !n.starts_with("http")
                            && meta.authors.len() < 8
                            && !meta.authors.iter().any(|x| x == n)
                        {
                            meta.authors.push(n.to_owned());
                        }
                    }
                }
                for (k, x) in o {
                    if k != "author" && matches!(x, Value::Array(_) | Value::Object(_)) {
                        stack.push(x);
                    }
                }
            }
            _ => {}
        }
    }
}

fn crumbs(items: Option<&Value>) -> Vec<String> {
    let Some(Value::Array(items)) = items else {
        return Vec::new();
    };
    let mut out: Vec<(i64, String)> = items
        .iter()
        .take(32)
        .filter_map(|it| {
            let pos = it.get("position").and_then(|p| {
                p.as_i64()
                    .or_else(|| p.as_str().and_then(|s| s.trim().parse().ok()))
            });
            let name = it.get("name").and_then(Value::as_str).or_else(|| {
                it.get("item")
                    .and_then(|i| i.get("name"))
                    .and_then(Value::as_str)
            })?;
            let name = entities::decode(name.trim());
            (!name.is_empty()).then_some((pos.unwrap_or(0), name))
        })
        .collect();
    out.sort_by_key(|(p, _)| *p);
    out.into_iter().map(|(_, n)| n).collect()
}

const SEPARATORS: [&str; 9] = [
    " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " « ", " » ",
];

/// The title: `<title>`, else `og:title`, else the first `<h1>`, with a site-name suffix
/// (" - Site", " | Site") split off when it names the site (og:site_name or the host) or is a
/// short tail after a longer headline.
pub(crate) fn title(p: &Parsed, url: Option<&str>) -> Title {
    let h1 = p.h1.clone();
    let (raw, source) = if let Some(t) = p.meta.title_tag.clone().filter(|t| !t.is_empty()) {
        (t, "title")
    } else if let Some(t) = p.meta.og_title.clone().filter(|t| !t.is_empty()) {
        (t, "og:title")
    } else if let Some(t) = h1.clone() {
        (t, "h1")
    } else {
        (String::new(), "title")
    };
    let host = url
        .or(p.meta.canonical.as_deref())
        .or(p.meta.og_url.as_deref())
        .and_then(crate::extract::ads::url_host)
        .map(|h| h.trim_start_matches("www.").to_ascii_lowercase());
    let site = p.meta.site_name.as_deref().map(norm);
    let names_site = |s: &str| {
        let n = norm(s);
        if n.is_empty() {
            return false;
        }
        if site
            .as_deref()
            .is_some_and(|x| x == n || x.contains(&n) || n.contains(x))
        {
            return true;
        }
        let compact: String = n.chars().filter(|c| c.is_alphanumeric()).collect();
        host.as_deref().is_some_and(|h| {
            let hc: String = h.chars().filter(|c| c.is_alphanumeric()).collect();
            !compact.is_empty() && (hc.contains(&compact) || compact.contains(&hc))
        })
    };
    let mut text = raw.clone();
    let mut suffix = None;
    // Suffix: the last separator whose tail names the site, or a short tail after a long head.
    let mut best: Option<usize> = None;
    for sep in SEPARATORS {
        if let Some(i) = raw.rfind(sep) {
            if best.is_none_or(|b| i > b) {
                best = Some(i);
            }
        }
    }
    if let Some(i) = best {
        let head = raw[..i].trim();
        let tail = raw[i..]
            .trim_start_matches(|c: char| c.is_whitespace() || "|-–—:·•«»".contains(c))
            .trim();
        let short_tail = tail.split_whitespace().count() <= 4 && tail.len() * 2 < head.len();
        if !head.is_empty() && !tail.is_empty() && (names_site(tail) || short_tail) {
            text = head.to_owned();
            suffix = Some(tail.to_owned());
        } else if let Some(j) = SEPARATORS.iter().filter_map(|s| raw.find(s)).min() {
            // "Site | Headline": the site name first.
            let first = raw[..j].trim();
            if names_site(first) {
                let rest = raw[j..]
                    .trim_start_matches(|c: char| c.is_whitespace() || "|-–—:·•«»".contains(c))
                    .trim();
                if !rest.is_empty() {
                    text = rest.to_owned();
                    suffix = Some(first.to_owned());
                }
            }
        }
    }
    if suffix.is_none() {
        // No site name to match: the shape-based split shared with plain text.
        let (head, tail) = crate::extract::facts::split_title(&raw);
        if let Some(tail) = tail {
            let head = head.to_owned();
            suffix = Some(tail.to_owned());
            text = head;
        }
    }
    let h1 = h1.filter(|h| *h != text && *h != raw);
    Title {
        text,
        suffix,
        raw,
        source,
        h1,
    }
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

/// The breadcrumb trail: JSON-LD BreadcrumbList, else the texts in the first breadcrumb
/// element (`aria-label`/class `breadcrumb`, `itemtype` BreadcrumbList), split at separators.
pub(crate) fn breadcrumb(p: &Parsed) -> Vec<String> {
    if !p.meta.jsonld_breadcrumb.is_empty() {
        return p.meta.jsonld_breadcrumb.clone();
    }
    let Some(root) = p.breadcrumb_node else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for b in &p.blocks {
        if b.node < root {
            continue;
        }
        if !p.within(b.node, root) {
            break;
        }
        for part in p
            .block_text(b)
            .split(['›', '>', '»', '/', '|', '→', '•', '·', '\u{203a}'])
        {
            let t = part.trim();
            if !t.is_empty() && t.chars().count() <= 80 && out.len() < 16 {
                out.push(t.to_owned());
            }
        }
    }
    // Crumbs rendered as separate links in one line come as one block; also split by links.
    if out.len() <= 1 {
        let links: Vec<String> = p
            .links
            .iter()
            .filter(|l| p.within(l.node, root) && !l.text.is_empty())
            .map(|l| l.text.clone())
            .take(16)
            .collect();
        if links.len() > out.len() {
            return links;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(iso_ymd("2025-04-15T02:44:08Z"), Some((2025, 4, 15)));
        assert_eq!(iso_ymd("2024/1/5"), Some((2024, 1, 5)));
        assert_eq!(iso_ymd("20230102"), Some((2023, 1, 2)));
        assert_eq!(iso_ymd("Tuesday"), None);
        assert_eq!(iso_ymd("2025-13-01"), None);
    }
}
