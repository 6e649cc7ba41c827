//! Ad markers: a compact matcher for EasyList's generic element-hiding selectors, compiled at
//! training time and stored with the model, plus ad-network hosts and sponsored labels.
//!
//! Only rules that can be matched with hash lookups are kept: `##.class`, `###id`,
//! `##tag.class`, `##tag#id`, `##[attr]`, `##[class^="prefix"]`, `##[id^="prefix"]` and custom
//! ad elements (`##display-ads`). Domain-specific rules (`example.com##...`), exceptions and
//! complex selectors (combinators, pseudo-classes) are skipped: they need a DOM and a page
//! context, and the generic rules already mark the common ad slots. Network rules `||host^`
//! (plain or with resource-type options such as `$third-party`, `$script`, `$subdocument`)
//! become a host set checked against `<script src>` and `<iframe src>`.

use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

/// Matches elements against compiled ad selectors. Empty until compiled from EasyList.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AdMatcher {
    classes: FxHashSet<String>,
    ids: FxHashSet<String>,
    class_prefixes: Vec<String>,
    id_prefixes: Vec<String>,
    attrs: FxHashSet<String>,
    tags: FxHashSet<String>,
    hosts: FxHashSet<String>,
}

impl AdMatcher {
    /// Compiles the generic element-hiding rules and ad-network hosts of an EasyList text.
    pub fn compile(easylist_text: &str) -> AdMatcher {
        let mut m = AdMatcher::default();
        for line in easylist_text.lines() {
            let line = line.trim();
            if let Some(sel) = line.strip_prefix("##") {
                m.add_selector(sel);
            } else if let Some(rest) = line.strip_prefix("||") {
                m.add_network_rule(rest);
            }
        }
        m.class_prefixes.sort();
        m.class_prefixes.dedup();
        m.id_prefixes.sort();
        m.id_prefixes.dedup();
        m
    }

    /// Number of compiled rules (selectors and hosts), for reports.
    pub fn len(&self) -> usize {
        self.classes.len()
            + self.ids.len()
            + self.class_prefixes.len()
            + self.id_prefixes.len()
            + self.attrs.len()
            + self.tags.len()
            + self.hosts.len()
    }

    /// Whether nothing was compiled.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn add_selector(&mut self, sel: &str) {
        // Only simple compound selectors: no combinators, lists or pseudo-classes.
        if sel.is_empty() || sel.contains([' ', ',', '>', '+', '~', ':']) {
            return;
        }
        let ident = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        let tag_end = sel.find(['.', '#', '[']).unwrap_or(sel.len());
        let (tag, rest) = sel.split_at(tag_end);
        if !tag.is_empty() && !ident(tag) {
            return;
        }
        if rest.is_empty() {
            // A bare element name: only custom elements (`display-ads`) are ad-specific.
            if tag.contains('-') {
                self.tags.insert(tag.to_ascii_lowercase());
            }
            return;
        }
        if let Some(class) = rest.strip_prefix('.') {
            if ident(class) {
                self.classes.insert(class.to_owned());
            }
        } else if let Some(id) = rest.strip_prefix('#') {
            if ident(id) {
                self.ids.insert(id.to_owned());
            }
        } else if let Some(attr) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            if attr.contains('[') {
                return;
            }
            if let Some((name, value)) = attr.split_once("^=") {
                let value = value.trim_matches(['"', '\'']);
                if value.len() < 3 || !ident(value) {
                    return;
                }
                match name {
                    "class" => self.class_prefixes.push(value.to_owned()),
                    "id" => self.id_prefixes.push(value.to_owned()),
                    _ => {}
                }
            } else if ident(attr) && attr.starts_with("data-") {
                self.attrs.insert(attr.to_ascii_lowercase());
            }
        }
    }

    fn add_network_rule(&mut self, rest: &str) {
        let (pattern, options) = rest.split_once('$').unwrap_or((rest, ""));
        let Some(host) = pattern.strip_suffix('^') else {
            return;
        };
        if host.is_empty()
            || !host.contains('.')
            || !host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        {
            return;
        }
        let ok = options.is_empty()
            || options.split(',').all(|o| {
                matches!(
                    o,
                    "third-party"
                        | "3p"
                        | "script"
                        | "subdocument"
                        | "image"
                        | "xmlhttprequest"
                        | "popup"
                        | "document"
                        | "all"
                )
            });
        if ok {
            self.hosts.insert(host.to_ascii_lowercase());
        }
    }

    /// The selector an element matches, if any: `id` and `class` are the raw attribute values,
    /// `attr_names` the element's attribute names, `tag` its lower-case name.
    pub fn match_element<'n>(
        &self,
        tag: &str,
        id: Option<&str>,
        class: Option<&str>,
        attr_names: impl Iterator<Item = &'n str>,
    ) -> Option<String> {
        if let Some(id) = id.map(str::trim).filter(|s| !s.is_empty()) {
            if self.ids.contains(id) {
                return Some(format!("#{id}"));
            }
            if let Some(p) = self.id_prefixes.iter().find(|p| id.starts_with(p.as_str())) {
                return Some(format!("[id^={p}]"));
            }
        }
        if let Some(class) = class {
            for c in class.split_ascii_whitespace() {
                if self.classes.contains(c) {
                    return Some(format!(".{c}"));
                }
            }
            let first = class.trim_start();
            if let Some(p) = self
                .class_prefixes
                .iter()
                .find(|p| first.starts_with(p.as_str()))
            {
                return Some(format!("[class^={p}]"));
            }
        }
        if !self.attrs.is_empty() {
            for a in attr_names {
                if a.len() > 5 && a.starts_with("data-") && self.attrs.contains(a) {
                    return Some(format!("[{a}]"));
                }
            }
        }
        if tag.contains('-') && self.tags.contains(tag) {
            return Some(tag.to_owned());
        }
        None
    }

    /// The ad-network host a `src` URL points to, if any (the host or one of its parents is
    /// listed).
    pub fn match_host(&self, url: &str) -> Option<&str> {
        if self.hosts.is_empty() {
            return None;
        }
        let mut host = url_host(url)?;
        loop {
            if let Some(h) = self.hosts.get(host) {
                return Some(h.as_str());
            }
            match host.split_once('.') {
                Some((_, parent)) if parent.contains('.') => host = parent,
                _ => return None,
            }
        }
    }
}

/// The host of an absolute or protocol-relative URL, lower-case input assumed as written.
pub(crate) fn url_host(url: &str) -> Option<&str> {
    let url = url.trim();
    let rest = if let Some(r) = url.strip_prefix("//") {
        r
    } else {
        let (scheme, r) = url.split_once("://")?;
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return None;
        }
        r
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split_once(':').map_or(host, |(h, _)| h);
    let host = host.trim_end_matches('.');
    (!host.is_empty()).then_some(host)
}

/// Visible labels that mark paid content, in several languages, compared lower-case after
/// trimming punctuation.
const LABELS: &[&str] = &[
    "sponsored",
    "sponsored content",
    "sponsored links",
    "sponsored stories",
    "sponsored by",
    "advertisement",
    "advertisements",
    "advertising",
    "advertiser content",
    "ad",
    "ads",
    "promoted",
    "promoted content",
    "promoted stories",
    "paid content",
    "paid post",
    "paid partnership",
    "partner content",
    "anzeige",
    "werbung",
    "gesponsert",
    "publicité",
    "publicite",
    "sponsorisé",
    "contenu sponsorisé",
    "publicidad",
    "patrocinado",
    "contenido patrocinado",
    "pubblicità",
    "sponsorizzato",
    "advertentie",
    "gesponsord",
    "reklama",
    "реклама",
    "annons",
    "mainos",
    "広告",
    "スポンサー",
    "广告",
    "廣告",
    "赞助",
    "광고",
];

/// Phrases that disclose a widget of paid links besides the [`LABELS`] themselves, and the
/// names of a shop box ("Hot Deals", "Today's Offers"): offers under a heading that says they
/// are offers are commerce the site shows openly, not ads posing as its stories.
const DISCLOSURES: &[&str] = &[
    "around the web",
    "from the web",
    "partner",
    "paid",
    "deals",
    "offers",
    "angebote",
    "offres",
    "ofertas",
    "offerte",
];

/// Whether a block heading discloses that its links are paid ("Sponsored Stories", "Promoted
/// Links", "Anzeige", "From Around the Web") or are offers ("Hot Deals"): an ad label or
/// disclosure phrase as whole words, or, in scripts written without spaces, anywhere in it.
pub fn discloses_ads(heading: &str) -> bool {
    if heading.len() > 120 {
        return false;
    }
    let lower = heading.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has_phrase = |phrase: &str| {
        if !phrase.is_ascii() && !phrase.contains(' ') && phrase.chars().all(|c| c > '\u{2e80}') {
            return lower.contains(phrase);
        }
        let p: Vec<&str> = phrase.split(' ').collect();
        words.windows(p.len()).any(|w| w == p.as_slice())
    };
    LABELS.iter().chain(DISCLOSURES).any(|l| has_phrase(l))
}

/// The ad label a short visible text is, if any ("Sponsored", "Anzeige", "Advertisement").
pub fn ad_label(text: &str) -> Option<&'static str> {
    let t = text.trim_matches(|c: char| !c.is_alphanumeric());
    if t.is_empty() || t.len() > 40 {
        return None;
    }
    let lower = t.to_lowercase();
    LABELS.iter().copied().find(|l| *l == lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = "\
[Adblock Plus 2.0]
! comment
##.ad-slot
###top-banner
##div.sponsor-box
##[class^=\"adDisplay-module\"]
##[data-ad-unit]
##display-ads
##.a > .b
example.com##.local-only
||adnet.example^$third-party
||tracker.example^
||cdn.example/path/ads.js
";

    #[test]
    fn headings_that_disclose_paid_links() {
        for h in [
            "Sponsored Stories",
            "From Around the Web",
            "Promoted Links",
            "Das könnte Sie auch interessieren (Anzeige)",
            "Contenu sponsorisé",
            "Partner-Angebote",
            "推荐广告",
            "Ads by Example",
            "Hot Deals",
            "Today's Offers",
            "Aktuelle Angebote",
        ] {
            assert!(discloses_ads(h), "{h}");
        }
        for h in [
            "Related stories",
            "Most read",
            "Recommended for you",
            "Adobe tips",
            "Leadership",
            "Read more",
            "人気記事",
            // a word inside another is no disclosure
            "Ideals and values",
        ] {
            assert!(!discloses_ads(h), "{h}");
        }
    }

    #[test]
    fn compiles_generic_rules_only() {
        let m = AdMatcher::compile(LIST);
        let none = std::iter::empty();
        assert_eq!(
            m.match_element("div", None, Some("x ad-slot"), none)
                .as_deref(),
            Some(".ad-slot")
        );
        assert_eq!(
            m.match_element("div", Some("top-banner"), None, std::iter::empty())
                .as_deref(),
            Some("#top-banner")
        );
        assert!(m
            .match_element("div", None, Some("sponsor-box"), std::iter::empty())
            .is_some());
        assert!(m
            .match_element("div", None, Some("adDisplay-module_x"), std::iter::empty())
            .is_some());
        assert!(m
            .match_element("div", None, None, ["data-ad-unit"].into_iter())
            .is_some());
        assert!(m
            .match_element("display-ads", None, None, std::iter::empty())
            .is_some());
        assert!(m
            .match_element("div", None, Some("local-only b"), std::iter::empty())
            .is_none());
        assert!(m
            .match_element("div", Some("content"), Some("article"), std::iter::empty())
            .is_none());
    }

    #[test]
    fn hosts_match_subdomains() {
        let m = AdMatcher::compile(LIST);
        assert_eq!(
            m.match_host("https://static.adnet.example/x.js"),
            Some("adnet.example")
        );
        assert_eq!(m.match_host("//tracker.example/p"), Some("tracker.example"));
        assert_eq!(m.match_host("https://cdn.example/path/ads.js"), None);
        assert_eq!(m.match_host("/local.js"), None);
        let back: AdMatcher = serde_json::from_str(&serde_json::to_string(&m).unwrap_or_default())
            .unwrap_or_default();
        assert_eq!(back.len(), m.len());
    }

    #[test]
    fn labels_in_several_languages() {
        assert_eq!(ad_label(" Sponsored "), Some("sponsored"));
        assert_eq!(ad_label("ANZEIGE"), Some("anzeige"));
        assert_eq!(ad_label("Publicité"), Some("publicité"));
        assert_eq!(ad_label("Sponsored content you might like today"), None);
    }
}
