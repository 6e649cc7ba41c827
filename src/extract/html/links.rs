//! Link blocks: links grouped by the container they share, with the heading over it.
//!
//! A link's container is found by walking up from its `a` element past wrappers that hold only
//! this one link (a card, a list item) to the first element holding two or more distinct
//! links: a list, a nav, a table, a grid of cards, a "more stories" row. The heading is the
//! first short heading-like text inside the container before its first link, else its
//! `aria-label` (or a close ancestor's), else the heading-like block just before it.

use super::tags::Tag;
use super::{flag, Parsed, REGIONS};
use crate::extract::{Link, LinkBlock};
use rustc_hash::FxHashMap;

/// How far a link's container is searched for.
const MAX_WALK: usize = 24;

/// Whether `href` leaves the site of `page_host` (compared at the registrable-domain level:
/// the last two labels, or three under a short second-level label like `co.uk`).
pub(crate) fn is_external(href: &str, page_host: Option<&str>) -> bool {
    let Some(page) = page_host else {
        return false;
    };
    let Some(host) = crate::extract::ads::url_host(href) else {
        return false;
    };
    // Hosts compare case-insensitively, with no lowercased copy: this runs for every link.
    !registrable(host).eq_ignore_ascii_case(registrable(page))
}

/// The registrable part of `host`: its last two labels, or three when the second-level label
/// is short under a two-letter TLD (`bbc.co.uk`, `x.gouv.fr`).
fn registrable(host: &str) -> &str {
    let Some(tld_dot) = host.rfind('.') else {
        return host;
    };
    let Some(sld_dot) = host[..tld_dot].rfind('.') else {
        return host;
    };
    let tld_len = host.len() - tld_dot - 1;
    let sld = &host[sld_dot + 1..tld_dot];
    let three = tld_len == 2
        && (sld.len() <= 3 || sld.eq_ignore_ascii_case("gouv") || sld.eq_ignore_ascii_case("govt"));
    if !three {
        return &host[sld_dot + 1..];
    }
    match host[..sld_dot].rfind('.') {
        Some(d) => &host[d + 1..],
        None => host,
    }
}

fn keep_href(href: &str) -> bool {
    let h = href.trim_start();
    !(h.is_empty()
        || h.starts_with('#')
        || h.as_bytes()
            .get(..11)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"javascript:")))
}

/// The link blocks of a parsed page, in page order.
pub(crate) fn blocks(p: &Parsed, page_host: Option<&str>) -> Vec<LinkBlock> {
    // container id -> index into `groups`
    let mut index: FxHashMap<u32, usize> = FxHashMap::default();
    let mut groups: Vec<(u32, Vec<usize>)> = Vec::new();
    for (li, l) in p.links.iter().enumerate() {
        if l.dup || !keep_href(&l.href) {
            continue;
        }
        let mut id = p.nodes[l.node as usize].parent;
        let mut steps = 0;
        while id != 0 && steps < MAX_WALK && p.nodes[id as usize].links < 2 {
            id = p.nodes[id as usize].parent;
            steps += 1;
        }
        if id == 0 || p.nodes[id as usize].links < 2 {
            continue;
        }
        let gi = *index.entry(id).or_insert_with(|| {
            groups.push((id, Vec::new()));
            groups.len() - 1
        });
        groups[gi].1.push(li);
    }
    let mut out = Vec::new();
    for (container, members) in groups {
        if members.len() < 2 {
            continue;
        }
        let c = &p.nodes[container as usize];
        // Running text with a few links in it is not a link block.
        let listish = matches!(
            c.tag,
            Tag::Ul
                | Tag::Ol
                | Tag::Nav
                | Tag::Menu
                | Tag::Table
                | Tag::Tbody
                | Tag::Dl
                | Tag::Aside
                | Tag::Header
                | Tag::Footer
        );
        if !listish && c.anchor * 10 < c.text * 3 {
            continue;
        }
        let links: Vec<Link> = members
            .iter()
            .map(|&i| {
                let l = &p.links[i];
                let text = if l.text.is_empty() {
                    l.fallback.clone()
                } else {
                    l.text.clone()
                };
                Link {
                    external: is_external(&l.href, page_host),
                    text,
                    href: Some(l.href.clone()),
                }
            })
            .collect();
        let first_block = p.links[members[0]].block;
        out.push(LinkBlock {
            heading: heading(p, container, first_block),
            region: REGIONS[c.region as usize],
            links,
        });
    }
    out
}

fn heading_like(p: &Parsed, node: u32) -> bool {
    let n = &p.nodes[node as usize];
    n.tag.is_heading()
        || matches!(
            n.tag,
            Tag::Strong | Tag::B | Tag::Label | Tag::Dt | Tag::Legend | Tag::Caption | Tag::Summary
        )
        || n.flags & flag::TITLEISH != 0
}

fn heading(p: &Parsed, container: u32, first_block: u32) -> Option<String> {
    let short = |s: &str| {
        let n = s.chars().count();
        (2..=80).contains(&n)
    };
    // Inside the container, before its first link.
    let blocks = &p.blocks;
    let fb = first_block as usize;
    for b in blocks[..fb.min(blocks.len())].iter().rev().take(3) {
        if !p.within(b.node, container) {
            break;
        }
        let t = p.block_text(b);
        if b.link_chars == 0 && short(t) {
            return Some(t.to_owned());
        }
    }
    // An aria-label on the container or a close ancestor.
    let mut id = container;
    for _ in 0..3 {
        if let Some((_, label)) = p.aria.iter().find(|(n, _)| *n == id) {
            return Some(label.clone());
        }
        id = p.nodes[id as usize].parent;
        if id == 0 {
            break;
        }
    }
    // The heading-like block just before the container.
    let before = blocks[..fb.min(blocks.len())]
        .iter()
        .rev()
        .find(|b| b.node < container)?;
    let t = p.block_text(before);
    if before.link_chars == 0 && short(t) {
        let titled = heading_like(p, before.node);
        let label_like = t.chars().count() <= 40 && !t.ends_with(['.', '!', '?']);
        if titled || label_like {
            return Some(t.to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrable_domains() {
        assert_eq!(registrable("www.example.com"), "example.com");
        assert_eq!(registrable("news.bbc.co.uk"), "bbc.co.uk");
        assert_eq!(registrable("a.b.bbc.co.uk"), "bbc.co.uk");
        assert_eq!(registrable("bbc.co.uk"), "bbc.co.uk");
        assert_eq!(registrable("www.interieur.gouv.fr"), "interieur.gouv.fr");
        assert_eq!(registrable("www.lemonde.fr"), "lemonde.fr");
        assert_eq!(registrable("example.com"), "example.com");
        assert_eq!(registrable("localhost"), "localhost");
        assert!(!is_external(
            "https://WWW.Example.COM/x",
            Some("news.example.com")
        ));
        assert!(!is_external("/x", Some("example.com")));
        assert!(!is_external(
            "https://cdn.example.com/x",
            Some("www.example.com")
        ));
        assert!(is_external("https://other.org/x", Some("www.example.com")));
        assert!(!is_external("https://other.org/x", None));
    }
}
