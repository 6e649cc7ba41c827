//! The main text: Readability-style content scoring over the compact tree.
//!
//! Every text block of 25+ characters scores its ancestors (1 point, +1 per comma, +1 per 100
//! characters up to 3; the parent gets it all, the grandparent half, further ancestors less).
//! An ancestor starts from a tag weight and its class/id weight (+25 content, -25 boilerplate),
//! and its final score is scaled by `1 - link density`. The best container is chosen (moving up
//! when its parent scores nearly as well), its qualifying siblings join it, and its blocks are
//! kept except those inside boilerplate elements (nav, footer, comments, cookie banners,
//! share bars...), hidden ones and link-dominated ones.

use super::tags::Tag;
use super::{flag, Parsed};

/// Below this share of the page's good text, the best container is not the whole story and
/// all good blocks are kept (measured on wcxb-dev: 0.5-0.8 are equally good).
const FALLBACK_SHARE: f32 = 0.6;

/// Minimum block length that votes for its ancestors.
const MIN_VOTE_CHARS: u32 = 25;

/// Main-text paragraphs of a parsed page.
pub(crate) fn select(p: &Parsed) -> Vec<String> {
    let n = p.nodes.len();
    if n <= 1 || p.blocks.is_empty() {
        return Vec::new();
    }
    let mut score = vec![0f32; n];
    let mut touched = vec![false; n];
    for b in &p.blocks {
        if b.chars < MIN_VOTE_CHARS {
            continue;
        }
        let owner = &p.nodes[b.node as usize];
        if owner.flags & flag::HIDDEN != 0 {
            continue;
        }
        let text = p.block_text(b);
        let ld = b.link_chars as f32 / b.chars.max(1) as f32;
        if ld > 0.5 {
            continue;
        }
        let commas = text
            .chars()
            .filter(|c| matches!(c, ',' | '，' | '、' | '،' | '.' | '。'))
            .count()
            .min(20) as f32;
        let vote = 1.0 + commas * 0.5 + (b.chars as f32 / 100.0).min(3.0);
        // The owner itself counts as a paragraph when it is one; a div holding text directly
        // votes for itself too, so br-separated posts find their container.
        let mut id = b.node;
        let mut level = 0u32;
        if !matches!(
            owner.tag,
            Tag::P | Tag::Li | Tag::Td | Tag::Pre | Tag::Blockquote
        ) && !owner.tag.is_heading()
        {
            add(p, &mut score, &mut touched, id, vote);
        }
        while id != 0 && level < 5 {
            id = p.nodes[id as usize].parent;
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            add(p, &mut score, &mut touched, id, vote / div);
            level += 1;
        }
    }
    // Final scores scaled by link density; pick the best.
    let mut best: Option<(u32, f32)> = None;
    for id in 1..n {
        if !touched[id] {
            continue;
        }
        let node = &p.nodes[id];
        if node.flags & flag::HIDDEN != 0 {
            continue;
        }
        let ld = node.anchor as f32 / node.text.max(1) as f32;
        let mut s = score[id] * (1.0 - ld);
        if node.flags & flag::ARTICLE_BODY != 0 {
            s *= 1.5;
        }
        score[id] = s;
        if best.is_none_or(|(_, bs)| s > bs) {
            best = Some((id as u32, s));
        }
    }
    let Some((mut top, top_score)) = best else {
        return fallback(p);
    };
    // Move up while the parent scores about as well (the article is split in sections).
    let mut last = top_score;
    let threshold = top_score / 3.0;
    let mut cur = top;
    while cur != 0 {
        let parent = p.nodes[cur as usize].parent;
        if parent == 0 || p.nodes[parent as usize].tag == Tag::Body {
            break;
        }
        if !touched[parent as usize] {
            cur = parent;
            continue;
        }
        let ps = score[parent as usize];
        if ps < threshold {
            break;
        }
        if ps > last {
            top = parent;
            break;
        }
        last = ps;
        cur = parent;
    }
    // A lone child wrapper: use its parent when the parent holds nothing else of note.
    while top != 0 {
        let t = &p.nodes[top as usize];
        let parent = &p.nodes[t.parent as usize];
        if t.parent == 0 || parent.tag == Tag::Body || parent.tag == Tag::Html {
            break;
        }
        if parent.text as f32 <= t.text as f32 * 1.05 {
            top = t.parent;
        } else {
            break;
        }
    }
    // Siblings that qualify.
    let top_node = &p.nodes[top as usize];
    let parent = top_node.parent;
    let sib_threshold = (top_score * 0.2).max(10.0);
    let mut roots = vec![top];
    if parent != 0 {
        let pn = &p.nodes[parent as usize];
        let mut id = parent + 1;
        while id <= pn.end {
            let node = &p.nodes[id as usize];
            if id != top && node.flags & (flag::BOILER | flag::HIDDEN) == 0 {
                let ld = node.anchor as f32 / node.text.max(1) as f32;
                let good = touched[id as usize] && score[id as usize] >= sib_threshold
                    || (node.tag == Tag::P && node.text > 80 && ld < 0.25)
                    || (node.tag == Tag::P && node.text > 40 && ld == 0.0);
                if good {
                    roots.push(id);
                }
            }
            id = node.end + 1;
        }
    }
    roots.sort_unstable();
    tracing::debug!(
        top,
        tag = ?p.nodes[top as usize].tag,
        score = top_score,
        text = p.nodes[top as usize].text,
        roots = roots.len(),
        "main-text container"
    );
    let out = collect(p, &roots);
    let total: usize = out.iter().map(|s| s.len()).sum();
    // A page whose best container holds only a small share of its good text is not one
    // article (a service page, a listing, a forum thread): keep all the good blocks instead.
    let fb = fallback(p);
    let fb_total: usize = fb.iter().map(|s| s.len()).sum();
    if total < 100 && fb_total > total || (total as f32) < FALLBACK_SHARE * fb_total as f32 {
        return fb;
    }
    out
}

fn add(p: &Parsed, score: &mut [f32], touched: &mut [bool], id: u32, v: f32) {
    let i = id as usize;
    if !touched[i] {
        touched[i] = true;
        let node = &p.nodes[i];
        score[i] = node.tag.candidate_weight() + f32::from(node.weight);
        if node.flags & flag::BOILER != 0 {
            score[i] -= 25.0;
        }
    }
    score[i] += v;
}

/// The kept blocks of the subtrees at `roots` (sorted, disjoint), in page order.
fn collect(p: &Parsed, roots: &[u32]) -> Vec<String> {
    let mut keep = vec![false; p.nodes.len()];
    for &r in roots {
        let root = &p.nodes[r as usize];
        let root_text = root.text.max(1) as f32;
        keep[r as usize] = root.flags & flag::HIDDEN == 0;
        for id in r + 1..=root.end {
            let node = &p.nodes[id as usize];
            let parent_keep = keep.get(node.parent as usize).copied().unwrap_or(false);
            // Wrappers holding half the container's text are kept whatever their class says.
            let dropped = node.flags & (flag::BOILER | flag::AD | flag::HIDDEN) != 0
                && (node.text as f32) < root_text * 0.5;
            keep[id as usize] = parent_keep && !dropped;
        }
    }
    let mut out = Vec::new();
    for b in &p.blocks {
        if !keep[b.node as usize] {
            continue;
        }
        let ld = b.link_chars as f32 / b.chars.max(1) as f32;
        if ld > 0.5 {
            continue;
        }
        let node = &p.nodes[b.node as usize];
        if matches!(node.tag, Tag::Button | Tag::Option | Tag::Label) {
            continue;
        }
        out.push(p.block_text(b).to_owned());
    }
    out
}

/// Without a clear container: every visible, non-boilerplate, text-dominated block.
fn fallback(p: &Parsed) -> Vec<String> {
    // A boilerplate or hidden-looking wrapper that holds most of the page's text is a page
    // wrapper (`<div class="page offcanvas-wrap">`), not boilerplate.
    let total = p.nodes[0].text.max(1);
    let mut bad = vec![false; p.nodes.len()];
    for id in 1..p.nodes.len() {
        let node = &p.nodes[id];
        bad[id] = bad[node.parent as usize]
            || (node.flags & (flag::BOILER | flag::HIDDEN) != 0 && node.text * 2 < total);
    }
    p.blocks
        .iter()
        .filter(|b| !bad[b.node as usize] && b.link_chars * 2 <= b.chars)
        .map(|b| p.block_text(b).to_owned())
        .collect()
}
