//! HTML pages: one streaming pass over the markup builds a compact element tree (parent links,
//! text and link counts per element) and a list of text blocks; the title, main text, link
//! blocks, dates, breadcrumb, bylines and ad markers are read off those afterwards.
//!
//! The pass is bounded: elements beyond [`ExtractLimits::max_elements`] stop it (and set
//! `stats.limit_hit`), elements deeper than [`ExtractLimits::max_depth`] are flattened into their
//! ancestor, links beyond [`ExtractLimits::max_links`] are counted but not kept. Nothing recurses
//! on page-controlled depth.
//!
//! Submodules: `tokenize` (the tokenizer), `entities` (character references), `tags` (element
//! and class/id classification), `main_text` (content scoring), `links` (link blocks), `meta`
//! (title, dates, JSON-LD, breadcrumb).

pub(crate) mod entities;
mod links;
mod main_text;
mod meta;
mod tags;
mod tokenize;

use super::ads::{self, AdMatcher};
use super::facts;
use super::{
    AdMarker, AdMarkerKind, DateMention, DateSource, ExtractLimits, Page, PageStats, SourceInfo,
};
use crate::read::Document;
use crate::Result;
use tags::Tag;
use tokenize::{Token, Tokenizer};

/// Element flags.
pub(crate) mod flag {
    /// Boilerplate by tag, role or class/id words (nav, footer, comments, cookie banners...).
    pub const BOILER: u16 = 1;
    /// Hidden (inherited): `hidden`, `aria-hidden`, `display:none`, hiding classes.
    pub const HIDDEN: u16 = 2;
    /// A content container by tag or markup (`article`, `main`, `itemprop=articleBody`).
    pub const POSITIVE: u16 = 4;
    /// A breadcrumb trail.
    pub const BREADCRUMB: u16 = 8;
    /// A title-like label (class `title`, `heading`, ...).
    pub const TITLEISH: u16 = 16;
    /// Content never rendered as text (inherited): svg, template, select, ...
    pub const SKIP: u16 = 32;
    /// A JSON-LD script.
    pub const JSONLD: u16 = 64;
    /// Matched an ad selector.
    pub const AD: u16 = 128;
    /// `itemprop=articleBody`: the strongest content hint.
    pub const ARTICLE_BODY: u16 = 256;
}

/// Regions, indexes into [`REGIONS`].
pub(crate) const REGIONS: [&str; 6] = ["body", "nav", "header", "footer", "aside", "main"];
const R_BODY: u8 = 0;
const R_NAV: u8 = 1;
const R_HEADER: u8 = 2;
const R_FOOTER: u8 = 3;
const R_ASIDE: u8 = 4;
const R_MAIN: u8 = 5;

/// Paragraphs of more than 40 characters at the start of the main text searched for a wire
/// dateline (headline, standfirst, first paragraph).
const DATELINE_PARAGRAPHS: usize = 3;

/// One element of the compact tree. Ids are pre-order indexes, so the subtree of `n` is the id
/// range `n..=end`.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub parent: u32,
    pub tag: Tag,
    pub flags: u16,
    pub region: u8,
    /// Class/id weight (Readability's -25/+25).
    pub weight: i8,
    /// The last id in this element's subtree.
    pub end: u32,
    /// Characters of text in the subtree.
    pub text: u32,
    /// Characters of link text in the subtree.
    pub anchor: u32,
    /// Distinct links in the subtree.
    pub links: u32,
}

/// A run of text between block boundaries, owned by the innermost open block element.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub start: u32,
    pub end: u32,
    pub chars: u32,
    pub link_chars: u32,
    pub node: u32,
}

/// A link as seen in the markup.
#[derive(Debug, Clone, Default)]
pub(crate) struct LinkRec {
    /// The `a` element.
    pub node: u32,
    pub text: String,
    pub fallback: String,
    pub href: String,
    /// Same href as the link just before it (a card's image and title link): not counted again.
    pub dup: bool,
    /// Index of the first block at or after the link's start.
    pub block: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaptureKind {
    Byline,
    H1,
}

#[derive(Debug)]
struct Capture {
    node: u32,
    kind: CaptureKind,
    text: String,
    last_space: bool,
}

/// Everything the pass collects; the submodules read it.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub nodes: Vec<Node>,
    pub blocks: Vec<Block>,
    /// Block texts, back to back.
    pub text: String,
    pub links: Vec<LinkRec>,
    /// `aria-label`s of elements.
    pub aria: Vec<(u32, String)>,
    pub meta: meta::Meta,
    pub ad_markers: Vec<AdMarker>,
    pub h1: Option<String>,
    pub bylines: Vec<String>,
    pub breadcrumb_node: Option<u32>,
    pub dates: Vec<DateMention>,
    pub stats: PageStats,
}

impl Parsed {
    /// The text of block `b`.
    pub fn block_text(&self, b: &Block) -> &str {
        self.text
            .get(b.start as usize..b.end as usize)
            .unwrap_or_default()
    }

    /// Whether `n` lies in the subtree of `root` (or is it).
    pub fn within(&self, n: u32, root: u32) -> bool {
        n >= root && self.nodes.get(root as usize).is_some_and(|r| n <= r.end)
    }
}

struct Builder<'a, 'm> {
    tok: Tokenizer<'a>,
    limits: ExtractLimits,
    ads: &'m AdMatcher,
    p: Parsed,
    /// Open elements: node id and a hash of the lower-case name (for end-tag matching).
    stack: Vec<(u32, u64)>,
    /// Elements past the depth limit still open (flattened into their ancestor).
    overflow: usize,
    cur_start: usize,
    cur_chars: u32,
    cur_link_chars: u32,
    last_space: bool,
    /// The open link, an index into `p.links`.
    cur_link: Option<usize>,
    link_last_space: bool,
    captures: Vec<Capture>,
    jsonld_bytes: usize,
    /// Hints per distinct `class` value: pages repeat the same class strings many times.
    class_hints: rustc_hash::FxHashMap<&'a str, tags::Hints>,
}

fn name_hash(name: &str) -> u64 {
    // FNV-1a over the lower-case bytes.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b.to_ascii_lowercase());
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Extracts a [`Page`] from an HTML document.
pub fn extract(doc: &Document, limits: &ExtractLimits, ads: &AdMatcher) -> Result<Page> {
    let parsed = parse(&doc.text, limits, ads);
    Ok(assemble(parsed, doc))
}

/// The streaming pass.
pub(crate) fn parse(src: &str, limits: &ExtractLimits, ads: &AdMatcher) -> Parsed {
    let mut b = Builder {
        tok: Tokenizer::new(src),
        limits: *limits,
        ads,
        p: Parsed::default(),
        stack: Vec::with_capacity(64),
        overflow: 0,
        cur_start: 0,
        cur_chars: 0,
        cur_link_chars: 0,
        last_space: true,
        cur_link: None,
        link_last_space: true,
        captures: Vec::new(),
        jsonld_bytes: 0,
        class_hints: rustc_hash::FxHashMap::default(),
    };
    b.p.text.reserve(src.len() / 4);
    b.p.nodes.push(Node {
        parent: 0,
        tag: Tag::Other,
        flags: 0,
        region: R_BODY,
        weight: 0,
        end: 0,
        text: 0,
        anchor: 0,
        links: 0,
    });
    b.stack.push((0, 0));
    b.p.stats.source_chars = src.len();
    b.run();
    b.p
}

impl<'a> Builder<'a, '_> {
    fn run(&mut self) {
        while let Some(tok) = self.tok.next() {
            match tok {
                Token::Text(t) => self.text(t),
                Token::Start { name, self_closing } => {
                    if self.p.stats.elements >= self.limits.max_elements {
                        self.p.stats.limit_hit = true;
                        break;
                    }
                    self.p.stats.elements += 1;
                    self.start(name, self_closing);
                }
                Token::End { name } => self.end(name),
                Token::Raw(t) => self.raw(t),
            }
        }
        self.flush();
        while self.stack.len() > 1 {
            self.pop();
        }
        self.close_node(0);
    }

    fn top(&self) -> u32 {
        self.stack.last().map_or(0, |e| e.0)
    }

    fn node(&self, id: u32) -> &Node {
        &self.p.nodes[id as usize]
    }

    fn text(&mut self, raw: &str) {
        let top = self.top();
        if self.node(top).flags & flag::SKIP != 0 {
            return;
        }
        let before = self.p.text.len();
        let n = entities::append_collapsed(&mut self.p.text, raw, &mut self.last_space) as u32;
        if n == 0 {
            return;
        }
        self.cur_chars += n;
        let in_link = self.cur_link.is_some();
        if in_link {
            self.cur_link_chars += n;
        }
        let node = &mut self.p.nodes[top as usize];
        node.text += n;
        if in_link {
            node.anchor += n;
        }
        let added = &self.p.text[before..];
        // Ad labels ("Sponsored", "Anzeige") are short text nodes of their own.
        if n <= 24 && self.p.ad_markers.len() < 200 {
            if let Some(label) = ads::ad_label(added) {
                self.p.ad_markers.push(AdMarker {
                    kind: AdMarkerKind::Label,
                    evidence: label.to_owned(),
                });
            }
        }
        if let Some(i) = self.cur_link {
            if let Some(l) = self.p.links.get_mut(i) {
                if l.text.len() < 500 {
                    entities::append_collapsed(&mut l.text, added, &mut self.link_last_space);
                }
            }
        }
        for c in &mut self.captures {
            if c.text.len() < 400 {
                entities::append_collapsed(&mut c.text, added, &mut c.last_space);
            }
        }
    }

    /// Ends the current block.
    fn flush(&mut self) {
        let start = self.cur_start;
        let raw = &self.p.text[start..];
        let trimmed = raw.trim_end();
        if !trimmed.is_empty() && self.cur_chars > 0 {
            let end = start + trimmed.len();
            // The owner: the innermost open element that is not inline.
            let mut owner = self.top();
            for &(id, _) in self.stack.iter().rev().take(8) {
                if self.node(id).tag.is_block() {
                    owner = id;
                    break;
                }
            }
            self.p.stats.visible_chars += self.cur_chars as usize;
            self.p.stats.anchor_chars += self.cur_link_chars as usize;
            self.p.blocks.push(Block {
                start: start as u32,
                end: end as u32,
                chars: self.cur_chars,
                link_chars: self.cur_link_chars,
                node: owner,
            });
            self.p.text.truncate(end);
        } else {
            self.p.text.truncate(start);
        }
        self.cur_start = self.p.text.len();
        self.cur_chars = 0;
        self.cur_link_chars = 0;
        self.last_space = true;
    }

    /// Pops the stack down to and including index `i`.
    fn pop_to(&mut self, i: usize) {
        while self.stack.len() > i.max(1) {
            self.pop();
        }
    }

    fn pop(&mut self) {
        let Some((id, _)) = self.stack.pop() else {
            return;
        };
        self.close_node(id);
    }

    fn close_node(&mut self, id: u32) {
        if let Some(li) = self.cur_link {
            if self.p.links.get(li).is_some_and(|l| l.node == id) {
                self.finish_link();
            }
        }
        if let Some(pos) = self.captures.iter().position(|c| c.node == id) {
            let c = self.captures.remove(pos);
            let t = c.text.trim();
            if !t.is_empty() {
                match c.kind {
                    CaptureKind::Byline => {
                        if t.chars().count() <= 120 && self.p.bylines.len() < 8 {
                            self.p.bylines.push(t.to_owned());
                        }
                    }
                    CaptureKind::H1 => {
                        if self.p.h1.is_none() {
                            self.p.h1 = Some(t.to_owned());
                        }
                    }
                }
            }
        }
        let last = (self.p.nodes.len() - 1) as u32;
        let n = &mut self.p.nodes[id as usize];
        n.end = last;
        let (parent, text, anchor, links) = (n.parent, n.text, n.anchor, n.links);
        if id != 0 {
            let p = &mut self.p.nodes[parent as usize];
            p.text += text;
            p.anchor += anchor;
            p.links += links;
        }
    }

    fn finish_link(&mut self) {
        let Some(i) = self.cur_link.take() else {
            return;
        };
        let Some(l) = self.p.links.get_mut(i) else {
            return;
        };
        let t = l.text.trim();
        if t.len() != l.text.len() {
            l.text = t.to_owned();
        }
        let (href, text) = (l.href.clone(), l.text.clone());
        let node = l.node as usize;
        // The same href as the link just before (a card's image link and title link): one link.
        if let Some(prev) = i.checked_sub(1).and_then(|j| self.p.links.get_mut(j)) {
            if prev.href == href {
                if prev.text.is_empty() {
                    prev.text = text;
                }
                if let Some(l) = self.p.links.get_mut(i) {
                    l.dup = true;
                }
                return;
            }
        }
        self.p.nodes[node].links += 1;
    }

    /// Closes the nearest open element for which `target` holds, unless a `barrier` element
    /// comes first.
    fn close_implied(&mut self, target: impl Fn(Tag) -> bool, barrier: impl Fn(Tag) -> bool) {
        let len = self.stack.len();
        for i in (1..len).rev().take(64) {
            let tag = self.node(self.stack[i].0).tag;
            if target(tag) {
                self.pop_to(i);
                return;
            }
            if barrier(tag) {
                return;
            }
        }
    }

    fn start(&mut self, name: &str, self_closing: bool) {
        let tag = Tag::of(name);
        if tag.is_block() || tag == Tag::Br {
            self.flush();
        }
        // Implied end tags.
        if tag.closes_p() {
            self.close_implied(|t| t == Tag::P, |t| t.is_block() && t != Tag::P);
        }
        match tag {
            Tag::Li => self.close_implied(
                |t| t == Tag::Li,
                |t| {
                    matches!(
                        t,
                        Tag::Ul | Tag::Ol | Tag::Menu | Tag::Table | Tag::Body | Tag::Nav
                    )
                },
            ),
            Tag::Dt | Tag::Dd => {
                self.close_implied(|t| matches!(t, Tag::Dt | Tag::Dd), |t| t == Tag::Dl)
            }
            Tag::Tr => self.close_implied(
                |t| t == Tag::Tr,
                |t| matches!(t, Tag::Table | Tag::Tbody | Tag::Thead | Tag::Tfoot),
            ),
            Tag::Td | Tag::Th => self.close_implied(
                |t| matches!(t, Tag::Td | Tag::Th),
                |t| matches!(t, Tag::Tr | Tag::Table),
            ),
            Tag::Tbody | Tag::Thead | Tag::Tfoot => self.close_implied(
                |t| matches!(t, Tag::Tbody | Tag::Thead | Tag::Tfoot),
                |t| t == Tag::Table,
            ),
            Tag::Option => self.close_implied(|t| t == Tag::Option, |t| t == Tag::Select),
            Tag::A if self.cur_link.is_some() => {
                if let Some(l) = self.cur_link.and_then(|i| self.p.links.get(i)) {
                    let node = l.node;
                    if let Some(i) = self.stack.iter().rposition(|e| e.0 == node) {
                        self.pop_to(i);
                    }
                }
                self.finish_link();
            }
            _ => {}
        }
        let void = tag.is_void()
            || (self_closing && matches!(tag, Tag::Other | Tag::Void | Tag::Svg | Tag::Math));
        let attrs_id = if void || self.stack.len() < self.limits.max_depth {
            if void {
                None
            } else {
                Some(self.push(name, tag))
            }
        } else {
            self.overflow += 1;
            return;
        };
        self.attributes(name, tag, attrs_id);
    }

    fn push(&mut self, name: &str, tag: Tag) -> u32 {
        let parent = self.top();
        let pn = self.node(parent);
        let mut flags = pn.flags & (flag::HIDDEN | flag::SKIP);
        let mut region = pn.region;
        if tag.hides_content() {
            flags |= flag::SKIP;
        }
        match tag {
            Tag::Nav => {
                flags |= flag::BOILER;
                region = R_NAV;
            }
            Tag::Footer => {
                flags |= flag::BOILER;
                if region != R_MAIN {
                    region = R_FOOTER;
                }
            }
            Tag::Header => {
                flags |= flag::BOILER;
                if region != R_MAIN {
                    region = R_HEADER;
                }
            }
            Tag::Aside => {
                flags |= flag::BOILER;
                region = R_ASIDE;
            }
            Tag::Main | Tag::Article => {
                flags |= flag::POSITIVE;
                if region == R_BODY {
                    region = R_MAIN;
                }
            }
            Tag::Button | Tag::Dialog => flags |= flag::BOILER,
            _ => {}
        }
        let id = self.p.nodes.len() as u32;
        self.p.nodes.push(Node {
            parent,
            tag,
            flags,
            region,
            weight: 0,
            end: id,
            text: 0,
            anchor: 0,
            links: 0,
        });
        self.stack.push((id, name_hash(name)));
        id
    }

    /// Reads the attributes of the element just started (`id` is `None` for void elements).
    fn attributes(&mut self, name: &str, tag: Tag, id: Option<u32>) {
        let attrs = self.tok.take_attrs();
        self.read_attributes(name, tag, id, &attrs);
        self.tok.restore_attrs(attrs);
    }

    fn read_attributes(
        &mut self,
        name: &str,
        tag: Tag,
        id: Option<u32>,
        attrs: &[(&'a str, &'a str)],
    ) {
        if attrs.is_empty() && tag != Tag::H1 {
            return;
        }
        let get = |n: &str| {
            attrs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| *v)
        };
        match tag {
            Tag::Html => {
                if let Some(l) = get("lang").or_else(|| get("xml:lang")) {
                    self.p.meta.set_lang(l);
                }
            }
            Tag::Meta => self.p.meta.on_meta(
                get("name")
                    .or_else(|| get("property"))
                    .or_else(|| get("itemprop")),
                get("http-equiv"),
                get("content"),
                &mut self.p.dates,
            ),
            Tag::Link => {
                if let (Some(rel), Some(href)) = (get("rel"), get("href")) {
                    if rel
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                    {
                        self.p
                            .meta
                            .canonical
                            .get_or_insert_with(|| entities::decode(href.trim()));
                    }
                }
            }
            Tag::Script => {
                self.p.stats.scripts += 1;
                if let Some(src) = get("src") {
                    self.ad_host(src);
                }
                if let (Some(t), Some(id)) = (get("type"), id) {
                    if t.trim().eq_ignore_ascii_case("application/ld+json") {
                        self.p.nodes[id as usize].flags |= flag::JSONLD;
                    }
                }
            }
            Tag::Iframe => {
                if let Some(src) = get("src") {
                    self.ad_host(src);
                }
            }
            Tag::Img => {
                if let (Some(alt), Some(i)) = (get("alt"), self.cur_link) {
                    if let Some(l) = self.p.links.get_mut(i) {
                        if l.fallback.is_empty() {
                            l.fallback = entities::decode(alt.trim());
                        }
                    }
                }
            }
            Tag::Time => {
                if let Some(dt) = get("datetime").map(str::trim).filter(|d| !d.is_empty()) {
                    if self.p.dates.len() < 64 {
                        self.p.dates.push(DateMention {
                            raw: dt.chars().take(64).collect(),
                            source: DateSource::TimeElement,
                            ymd: meta::iso_ymd(dt),
                        });
                    }
                }
            }
            _ => {}
        }
        if tag == Tag::A {
            if let Some(href) = get("href") {
                self.p.stats.links += 1;
                let rel = get("rel").unwrap_or_default();
                let sponsored = rel
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("sponsored"));
                if sponsored && self.p.ad_markers.len() < 200 {
                    self.p.ad_markers.push(AdMarker {
                        kind: AdMarkerKind::RelSponsored,
                        evidence: href.chars().take(200).collect(),
                    });
                }
                if let Some(node) = id {
                    if rel
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("author"))
                    {
                        self.capture(node, CaptureKind::Byline);
                    }
                    if self.p.links.len() < self.limits.max_links {
                        let fallback = get("title")
                            .or_else(|| get("aria-label"))
                            .map(|t| entities::decode(t.trim()))
                            .unwrap_or_default();
                        self.p.links.push(LinkRec {
                            node,
                            text: String::new(),
                            fallback,
                            href: entities::decode(href.trim()),
                            dup: false,
                            block: self.p.blocks.len() as u32,
                        });
                        self.cur_link = Some(self.p.links.len() - 1);
                        self.link_last_space = true;
                    }
                }
            }
        }
        let Some(id) = id else {
            return;
        };
        if tag == Tag::H1 && self.p.h1.is_none() {
            self.capture(id, CaptureKind::H1);
        }
        let mut class = None;
        let mut elem_id = None;
        let mut flags = 0u16;
        let mut region = None;
        for &(k, v) in attrs.iter() {
            if k.eq_ignore_ascii_case("class") {
                class = Some(v);
            } else if k.eq_ignore_ascii_case("id") {
                elem_id = Some(v);
            } else if k.eq_ignore_ascii_case("role") {
                match v.trim().to_ascii_lowercase().as_str() {
                    "navigation" | "menubar" | "menu" => {
                        flags |= flag::BOILER;
                        region = Some(R_NAV);
                    }
                    "contentinfo" => {
                        flags |= flag::BOILER;
                        region = Some(R_FOOTER);
                    }
                    "banner" => {
                        flags |= flag::BOILER;
                        region = Some(R_HEADER);
                    }
                    "complementary" => {
                        flags |= flag::BOILER;
                        region = Some(R_ASIDE);
                    }
                    "dialog" | "alertdialog" | "search" => flags |= flag::BOILER,
                    "main" | "article" => {
                        flags |= flag::POSITIVE;
                        region = Some(R_MAIN);
                    }
                    _ => {}
                }
            } else if k.eq_ignore_ascii_case("style") {
                if v.contains("none") || v.contains("hidden") {
                    let compact: String = v
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .map(|c| c.to_ascii_lowercase())
                        .collect();
                    if compact.contains("display:none") || compact.contains("visibility:hidden") {
                        flags |= flag::HIDDEN;
                    }
                }
            } else if k.eq_ignore_ascii_case("itemprop") {
                let v = v.trim();
                if v.eq_ignore_ascii_case("articleBody") || v.eq_ignore_ascii_case("text") {
                    flags |= flag::POSITIVE | flag::ARTICLE_BODY;
                } else if v.eq_ignore_ascii_case("author") {
                    self.capture(id, CaptureKind::Byline);
                }
            } else if k.eq_ignore_ascii_case("itemtype") {
                if v.contains("BreadcrumbList") {
                    flags |= flag::BREADCRUMB;
                }
            } else if k.eq_ignore_ascii_case("aria-label") {
                let v = v.trim();
                if !v.is_empty() && self.p.aria.len() < 10_000 {
                    if v.to_ascii_lowercase().contains("breadcrumb") {
                        flags |= flag::BREADCRUMB;
                    }
                    self.p.aria.push((id, entities::decode(v)));
                }
            }
        }
        let mut weight = 0i8;
        if class.is_some() || elem_id.is_some() {
            let mut h = match class {
                Some(c) => *self
                    .class_hints
                    .entry(c)
                    .or_insert_with(|| tags::hints(&[c])),
                None => tags::Hints::default(),
            };
            if let Some(i) = elem_id {
                h = h.merge(tags::hints(&[i]));
            }
            weight = h.weight;
            let structural = matches!(tag, Tag::Html | Tag::Body | Tag::Main | Tag::Article);
            if h.boilerplate && !structural {
                flags |= flag::BOILER;
            }
            if h.hidden {
                flags |= flag::HIDDEN;
            }
            if h.breadcrumb {
                flags |= flag::BREADCRUMB;
            }
            if h.titleish {
                flags |= flag::TITLEISH;
            }
            if h.byline && !structural {
                self.capture(id, CaptureKind::Byline);
            }
        }
        if !self.ads.is_empty() {
            let lname;
            let tag_name = if name.contains('-') {
                lname = name.to_ascii_lowercase();
                lname.as_str()
            } else {
                ""
            };
            if let Some(sel) =
                self.ads
                    .match_element(tag_name, elem_id, class, attrs.iter().map(|(k, _)| *k))
            {
                flags |= flag::AD;
                if self.p.ad_markers.len() < 200 {
                    self.p.ad_markers.push(AdMarker {
                        kind: AdMarkerKind::AdSelector,
                        evidence: sel,
                    });
                }
            }
        }
        if flags & flag::BREADCRUMB != 0 && self.p.breadcrumb_node.is_none() {
            self.p.breadcrumb_node = Some(id);
        }
        let n = &mut self.p.nodes[id as usize];
        n.flags |= flags;
        n.weight = weight;
        if let Some(r) = region {
            n.region = r;
        }
    }

    fn capture(&mut self, node: u32, kind: CaptureKind) {
        if self.captures.len() < 8 && !self.captures.iter().any(|c| c.kind == kind) {
            self.captures.push(Capture {
                node,
                kind,
                text: String::new(),
                last_space: true,
            });
        }
    }

    fn ad_host(&mut self, src: &str) {
        if let Some(host) = self.ads.match_host(src) {
            if self.p.ad_markers.len() < 200 {
                self.p.ad_markers.push(AdMarker {
                    kind: AdMarkerKind::AdNetworkHost,
                    evidence: host.to_owned(),
                });
            }
        }
    }

    fn end(&mut self, name: &str) {
        let tag = Tag::of(name);
        if tag == Tag::Br {
            self.flush();
            return;
        }
        if tag.is_void() {
            return;
        }
        if self.overflow > 0 {
            self.overflow -= 1;
            if tag.is_block() {
                self.flush();
            }
            return;
        }
        let h = name_hash(name);
        let len = self.stack.len();
        let found = (1..len).rev().take(256).find(|&i| self.stack[i].1 == h);
        if let Some(i) = found {
            if tag.is_block()
                || self.stack[i..]
                    .iter()
                    .any(|e| self.node(e.0).tag.is_block())
            {
                self.flush();
            }
            self.pop_to(i);
        } else if tag == Tag::P {
            self.flush();
        }
    }

    fn raw(&mut self, raw: &str) {
        let top = self.top();
        let n = self.node(top);
        match n.tag {
            Tag::Title if n.flags & flag::SKIP == 0 && self.p.meta.title_tag.is_none() => {
                let mut t = String::new();
                let mut sp = true;
                entities::append_collapsed(&mut t, raw, &mut sp);
                self.p.meta.title_tag = Some(t.trim().to_owned());
            }
            Tag::Script
                if n.flags & flag::JSONLD != 0 && self.jsonld_bytes + raw.len() <= 1 << 20 =>
            {
                self.jsonld_bytes += raw.len();
                meta::on_jsonld(raw, &mut self.p.meta, &mut self.p.dates);
            }
            _ => {}
        }
    }
}

/// Builds the [`Page`] from what the pass collected.
fn assemble(mut p: Parsed, doc: &Document) -> Page {
    let title = meta::title(&p, doc.url.as_deref());
    let main_text = main_text::select(&p);
    let page_host = doc
        .url
        .as_deref()
        .and_then(ads::url_host)
        .or_else(|| p.meta.canonical.as_deref().and_then(ads::url_host))
        .map(str::to_ascii_lowercase);
    let link_blocks = links::blocks(&p, page_host.as_deref());
    p.stats.external_links = p
        .links
        .iter()
        .filter(|l| links::is_external(&l.href, page_host.as_deref()))
        .count();
    let breadcrumb = meta::breadcrumb(&p);
    let mut dates = std::mem::take(&mut p.dates);
    let mut bylines = std::mem::take(&mut p.meta.authors);
    for b in std::mem::take(&mut p.bylines) {
        if !bylines.contains(&b) {
            bylines.push(b);
        }
    }
    let visible_lines: Vec<String> = p
        .blocks
        .iter()
        .take(2000)
        .map(|b| p.block_text(b).to_owned())
        .collect();
    // Facts from lines of visible text (shared with the plain-text extractor): visible date
    // lines, counters, author lines, a breadcrumb line when the markup has none; the wire
    // dateline and dates mentioned in the article come from the main text.
    let mut counters = Vec::new();
    let mut datelines = Vec::new();
    let mut breadcrumb = breadcrumb;
    for (i, line) in visible_lines.iter().enumerate() {
        // Date lines and counters hold a number; testing for a digit first keeps the cost of
        // the fact scanners off the many menu and heading lines.
        let digit = line.len() <= 400 && line.bytes().any(|b| b.is_ascii_digit());
        if let Some(d) = digit.then(|| facts::date_line(line)).flatten() {
            if dates.len() < 256 {
                dates.push(d);
            }
        } else if let Some(row) = digit.then(|| facts::counters(line)).flatten() {
            for c in row {
                if counters.len() < 64 {
                    counters.push(c.to_owned());
                }
            }
        } else if let Some(b) = facts::byline(line) {
            if bylines.len() < 16 && !bylines.iter().any(|x| x == b) {
                bylines.push(b.to_owned());
            }
        } else if breadcrumb.is_empty() && i < 150 {
            if let Some(c) = facts::breadcrumb(line) {
                breadcrumb = c;
            }
        }
    }
    // The dateline opens the story's first paragraph, but the main text often starts with the
    // headline and a standfirst or byline line: look at the first few paragraphs of prose.
    if let Some(d) = main_text
        .iter()
        .filter(|t| t.chars().count() > 40)
        .take(DATELINE_PARAGRAPHS)
        .find_map(|t| facts::dateline(t))
    {
        datelines.push(d.to_owned());
    }
    // Dates in running text: the first paragraphs are where articles say when things happened;
    // scanning is bounded so long pages cost no more than short ones.
    let mut budget = 1_500usize;
    for para in main_text.iter().take(6) {
        if dates.len() >= 256 || budget == 0 {
            break;
        }
        let end = para
            .char_indices()
            .nth(budget)
            .map_or(para.len(), |(i, _)| i);
        budget = budget.saturating_sub(para[..end].chars().count());
        facts::find_dates(&para[..end], &mut dates);
    }
    dates.truncate(256);
    bylines.truncate(16);
    let mut stats = std::mem::take(&mut p.stats);
    stats.visible_lines = visible_lines;
    Page {
        url: doc.url.clone(),
        title,
        lang: p.meta.lang.take(),
        canonical_url: p.meta.canonical.take().or_else(|| p.meta.og_url.take()),
        main_text,
        link_blocks,
        dates,
        breadcrumb,
        bylines,
        datelines,
        counters,
        ad_markers: std::mem::take(&mut p.ad_markers),
        stats,
        source: SourceInfo::of(doc),
    }
}
