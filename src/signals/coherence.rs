//! Main-text coherence: whether the main text's paragraphs come from several unrelated stories
//! that alternate, as on stitched pages that interleave chunks of two or three real articles
//! (A A B B C C A A B B ...) to pass as original text.
//!
//! Listings, forums and homepages change topic as well, so a topic shift alone proves nothing.
//! The tell is a *return*: a run of paragraphs shares its story with an earlier run while the
//! paragraphs between them share nothing with either. A real article's digression still names
//! the story's people and places; a stitched page's foreign chunk does not, and then the first
//! story comes back.
//!
//! Paragraphs are compared as IDF-weighted bags of hashed terms (the topic model's IDF table,
//! learned from news and web text; letter bigrams in scripts written without spaces), so there
//! are no word lists and any language works. Short paragraphs are merged into units of at least
//! [`MIN_UNIT_TERMS`] terms; the similarity of any two runs of units comes from prefix sums
//! over the units' Gram matrix, so each (earlier run, gap, later run) triple costs O(1).

use rustc_hash::FxHashSet;

use super::context::{alnum_words, Ctx};
use super::links;
use super::script::{self, Script};
use super::stats;
use super::{quote, Out, SignalModels};

/// Paragraphs with fewer terms (buttons, captions, list items, "Advertisement") are skipped:
/// a return is judged on prose.
const MIN_PARA_TERMS: usize = 10;
/// Terms a unit needs; shorter paragraphs are merged with the next ones.
const MIN_UNIT_TERMS: usize = 24;
/// Distinct terms kept per unit, the heaviest by IDF and frequency.
const MAX_UNIT_TERMS: usize = 40;
/// Units compared at most (the first ones; bounds the quadratic work on huge pages).
const MAX_UNITS: usize = 40;
/// Longest run of units on either side of a gap.
const MAX_RUN: usize = 3;
/// Longest gap, in units, between a run and its return.
const MAX_GAP: usize = 10;
/// Shortest gap, in units: one odd paragraph is a digression, not another story.
const MIN_GAP: usize = 2;
/// Characters quoted per paragraph in evidence.
const QUOTE_CHARS: usize = 70;

/// A run of main-text paragraphs compared as one bag of terms.
struct Unit {
    /// Index in `main_text` of its first paragraph.
    first: usize,
    /// Index in `main_text` of its last paragraph.
    last: usize,
    /// IDF-weighted, L2-normalised terms, sorted by hash.
    vec: Vec<(u64, f32)>,
}

/// A run that returns to the story of an earlier run across a gap of other text.
#[derive(Debug, Clone, Copy, Default)]
struct Return {
    /// Units `[x0, y0)`, `[y0, z0)` and `[z0, z1)`: earlier run, gap, return.
    x0: usize,
    y0: usize,
    z0: usize,
    z1: usize,
    /// Similarities: earlier run to return, earlier run to gap, gap to return.
    sxz: f64,
    sxy: f64,
    syz: f64,
    /// `ln((sxz + ε) / (max(sxy, syz) + ε))`: how much more the return resembles the earlier
    /// run than the gap resembles either.
    value: f64,
}

/// Similarities this small count as noise in the return's log ratio.
const EPS: f64 = 0.05;
/// Runs more alike than this repeat a template or a quote; they do not return to a story.
const MAX_RETURN_SIMILARITY: f64 = 0.8;

/// The strongest return ending at each unit: the `(earlier run, gap, return)` triple with the
/// largest `ln((s_xz + ε) / (max(s_xy, s_yz) + ε))`.
fn returns(units: &[Unit]) -> Vec<Return> {
    let n = units.len();
    let mut per_z: Vec<Return> = vec![Return::default(); n];
    if n < MIN_GAP + 2 {
        return per_z;
    }
    let prefix = gram_prefix(units);
    let w = n + 1;
    let block = |r0: usize, r1: usize, c0: usize, c1: usize| {
        prefix[r1 * w + c1] - prefix[r0 * w + c1] - prefix[r1 * w + c0] + prefix[r0 * w + c0]
    };
    // the length of each run's summed vector, for runs of up to MAX_GAP units
    let lens = MAX_GAP + 1;
    let mut norms = vec![0.0f64; n * lens];
    for a in 0..n {
        for len in 1..lens.min(n - a + 1) {
            norms[a * lens + len] = block(a, a + len, a, a + len).max(0.0).sqrt();
        }
    }
    // cosine of the sums of two runs' unit vectors
    let sim = |a0: usize, a1: usize, b0: usize, b1: usize| {
        let d = norms[a0 * lens + (a1 - a0)] * norms[b0 * lens + (b1 - b0)];
        if d > 0.0 {
            (block(a0, a1, b0, b1) / d).clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    // Ratios are compared and only the winner's logarithm is taken; the similarities that do
    // not depend on the return's length (gap to earlier run) are computed once.
    for (z0, slot) in per_z.iter_mut().enumerate().skip(MIN_GAP + 1) {
        let z_end = (z0 + MAX_RUN).min(n);
        let mut best_ratio = 1.0f64;
        for gap in MIN_GAP..=MAX_GAP.min(z0 - 1) {
            let y0 = z0 - gap;
            let mut syz = [0.0f64; MAX_RUN];
            for (k, z1) in (z0 + 1..=z_end).enumerate() {
                syz[k] = sim(y0, z0, z0, z1);
            }
            for x0 in y0.saturating_sub(MAX_RUN)..y0 {
                let sxy = sim(x0, y0, y0, z0);
                for (k, z1) in (z0 + 1..=z_end).enumerate() {
                    let sxz = sim(x0, y0, z0, z1);
                    if sxz > MAX_RETURN_SIMILARITY {
                        continue;
                    }
                    let ratio = (sxz + EPS) / (sxy.max(syz[k]) + EPS);
                    if ratio > best_ratio {
                        best_ratio = ratio;
                        *slot = Return {
                            x0,
                            y0,
                            z0,
                            z1,
                            sxz,
                            sxy,
                            syz: syz[k],
                            value: 0.0,
                        };
                    }
                }
            }
        }
        slot.value = best_ratio.ln();
    }
    per_z
}

/// Adds `main_text_topic_returns`: the strength of the *second* strongest return, at a place
/// apart from the strongest one. One return happens in real text (a digression, a sidebar);
/// a stitched page comes back to each of its stories again and again. Evidence quotes the
/// strongest return.
pub(crate) fn compute(ctx: &Ctx<'_>, models: &dyn SignalModels, out: &mut Out) {
    let units = units(ctx, models);
    let per_z = returns(&units);
    let best = per_z
        .iter()
        .copied()
        .max_by(|a, b| a.value.total_cmp(&b.value))
        .unwrap_or_default();
    let (second_z, second) = per_z
        .iter()
        .filter(|r| r.z0.abs_diff(best.z0) >= 2 && r.value > 0.0)
        .map(|r| (r.z0, r.value))
        .fold((0, 0.0f64), |a, b| if b.1 > a.1 { b } else { a });
    let ev = if out.detailed() && second > 0.0 {
        let span = |u0: usize, u1: usize| {
            let (a, b) = (units[u0].first + 1, units[u1 - 1].last + 1);
            if a == b {
                format!("paragraph {a}")
            } else {
                format!("paragraphs {a}-{b}")
            }
        };
        // the paragraph of one run that shares most with the other run: the one worth
        // quoting (a unit may straddle two stories)
        let closest = |a0: usize, a1: usize, b0: usize, b1: usize| {
            let (p0, p1) = (units[a0].first, units[a1 - 1].last);
            let mut scratch = Vec::new();
            let mut best = (p0, -1.0f64);
            let mut start = 0;
            for &(p, end) in &ctx.main_paras {
                let terms = ctx.main_terms.get(start..end).unwrap_or(&[]);
                start = end;
                if p < p0 || p > p1 || terms.len() < MIN_PARA_TERMS {
                    continue;
                }
                scratch.extend_from_slice(terms);
                let v = weigh(&mut scratch, models);
                let s: f64 = (b0..b1).map(|w| dot(&v, &units[w].vec)).sum();
                if s > best.1 {
                    best = (p, s);
                }
            }
            best.0
        };
        let para = |p: usize| {
            let p = ctx.page.main_text.get(p).map_or("", String::as_str);
            let short: String = p.chars().take(QUOTE_CHARS).collect();
            quote(&short)
        };
        let describe = |r: &Return| {
            format!(
                "{} ({}) and {} ({}) share a story (similarity {:.2}), but {} between them ({}) is unrelated to both ({:.2} and {:.2})",
                span(r.x0, r.y0),
                para(closest(r.x0, r.y0, r.z0, r.z1)),
                span(r.z0, r.z1),
                para(closest(r.z0, r.z1, r.x0, r.y0)),
                r.sxz,
                span(r.y0, r.z0),
                para(units[r.y0].first),
                r.sxy,
                r.syz
            )
        };
        vec![describe(&best), describe(&per_z[second_z])]
    } else {
        Vec::new()
    };
    out.push("main_text_topic_returns", second, ev);
    topic_spread(ctx, &units, models, out);
    let (mix, mix_ev) = language_mix(ctx, out.detailed());
    out.push("main_text_language_mix", mix, mix_ev);
}

/// Words a paragraph needs before its language is read: a caption, a quote or a name in
/// another language says nothing about where the text came from.
const MIN_LANGUAGE_PARA_WORDS: usize = 25;
/// Words of main text, in paragraphs whose language was read, needed for the signal.
const MIN_LANGUAGE_MIX_WORDS: usize = 120;
/// Paragraphs read for their language (the first ones; bounds the work on huge pages).
const MAX_LANGUAGE_PARAS: usize = 200;
/// Share of a paragraph's words that must be function words of its language for it to read
/// as prose: about 40% in running text, under a tenth in code ("import React, { useState }
/// from 'react'"), whose few hits can fit any language.
const MIN_PROSE_FUNCTION_WORDS: f64 = 0.15;
/// Words of a paragraph read for its language.
const LANGUAGE_PARA_WORDS: usize = 2_000;
/// Share of a paragraph's characters that are code punctuation (`{}[]();=<>`) above which it
/// is code, not prose: prose has a bracket or two a sentence, code several a line.
const MAX_PROSE_CODE_PUNCT: f64 = 0.03;

/// Whether `p` reads as source code rather than prose (see [`MAX_PROSE_CODE_PUNCT`]).
fn code_like(p: &str) -> bool {
    let (mut chars, mut punct) = (0usize, 0usize);
    for c in p.chars().take(8_000) {
        chars += 1;
        punct += usize::from(matches!(
            c,
            '{' | '}' | '[' | ']' | '(' | ')' | ';' | '=' | '<' | '>'
        ));
    }
    punct as f64 > MAX_PROSE_CODE_PUNCT * chars as f64
}

/// A paragraph's language: its script and, where function words tell it, its stop-word
/// language.
type Language = (Option<Script>, Option<usize>);

/// The language of one paragraph of `words` words: its script, and for spaced scripts the
/// stop-word language when its function words say so clearly: prose, not code (see
/// [`MIN_PROSE_FUNCTION_WORDS`] and [`code_like`]), and the best language at least twice as
/// many hits as the next ("a" and "to" are function words of several languages).
fn paragraph_language(p: &str, script: Option<Script>, words: usize) -> Option<Language> {
    if script.is_some_and(Script::unspaced) {
        return Some((script, None));
    }
    if code_like(p) {
        return None;
    }
    let (best, hits, _, counts) =
        stats::stopword_language_counts(alnum_words(p).take(LANGUAGE_PARA_WORDS))?;
    if (hits as f64) < MIN_PROSE_FUNCTION_WORDS * words.min(LANGUAGE_PARA_WORDS) as f64 {
        return None;
    }
    let second = counts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0);
    (hits >= 2 * second).then_some((script, Some(best)))
}

/// `main_text_language_mix`: the share of the main text's words (in paragraphs long enough
/// to tell) written in another language or script than most of it. A writer keeps to one
/// language through an article; a page stitched from other sites' stories, or a spun copy
/// padded with foreign text, switches. Bilingual pages and foreign comments under a story
/// exist, so the model weighs it; 0 when the paragraphs that can be read are all in one
/// language or too few words.
fn language_mix(ctx: &Ctx<'_>, detailed: bool) -> (f64, Vec<String>) {
    // (language, words, first paragraph) per language met, in order of appearance
    let mut langs: Vec<(Language, usize, usize)> = Vec::new();
    for (i, p) in ctx
        .page
        .main_text
        .iter()
        .enumerate()
        .take(MAX_LANGUAGE_PARAS)
    {
        let script = {
            let mut counts = script::ScriptCounts::default();
            counts.add_str(p, 2_000);
            counts.dominant()
        };
        // about two letters a word in scripts written without spaces
        let words = if script.is_some_and(Script::unspaced) {
            p.chars().filter(|c| c.is_alphabetic()).take(40_000).count() / 2
        } else {
            alnum_words(p).take(20_000).count()
        };
        if words < MIN_LANGUAGE_PARA_WORDS {
            continue;
        }
        let Some(lang) = paragraph_language(p, script, words) else {
            continue;
        };
        match langs.iter_mut().find(|(l, _, _)| *l == lang) {
            Some(entry) => entry.1 += words,
            None => langs.push((lang, words, i)),
        }
    }
    let total: usize = langs.iter().map(|l| l.1).sum();
    if langs.len() < 2 || total < MIN_LANGUAGE_MIX_WORDS {
        return (0.0, Vec::new());
    }
    let main = langs.iter().max_by_key(|l| l.1).map_or(0, |l| l.1);
    let value = 1.0 - main as f64 / total as f64;
    let ev = if detailed {
        let name = |(script, lang): Language| match (script, lang) {
            (_, Some(l)) => stats::language_name(l).to_owned(),
            (Some(s), None) => format!("{} script", s.name()),
            (None, None) => "?".to_owned(),
        };
        let mut ev = vec![format!(
            "{} of {total} words of the main text are in another language than most of it",
            total - main
        )];
        for &(lang, words, first) in &langs {
            let p = ctx.page.main_text.get(first).map_or("", String::as_str);
            let short: String = p.chars().take(QUOTE_CHARS).collect();
            ev.push(format!(
                "{}: {words} words, from paragraph {} {}",
                name(lang),
                first + 1,
                quote(&short)
            ));
        }
        ev
    } else {
        Vec::new()
    };
    (value.clamp(0.0, 1.0), ev)
}

/// Units the main text needs before the spread of their topics counts.
const MIN_SPREAD_UNITS: usize = 4;

/// `main_text_topic_spread`: how much the main text's units disagree about their topic (the
/// generalised Jensen-Shannon divergence of their topic distributions, as for the headlines in
/// `links.rs`). An article keeps to its story; a feed copied from many sources, or text
/// stitched from several stories, scatters over topics even where no story returns.
fn topic_spread(ctx: &Ctx<'_>, units: &[Unit], models: &dyn SignalModels, out: &mut Out) {
    if units.len() < MIN_SPREAD_UNITS {
        out.push("main_text_topic_spread", 0.0, Vec::new());
        return;
    }
    let mut text = String::new();
    let dists: Vec<Vec<f64>> = units
        .iter()
        .map(|u| {
            text.clear();
            for p in ctx.page.main_text.get(u.first..=u.last).unwrap_or(&[]) {
                text.push_str(p);
                text.push(' ');
            }
            models.topic_distribution(&text)
        })
        .collect();
    let k = dists.first().map_or(0, Vec::len);
    if k < 2 || dists.iter().any(|d| d.len() != k) {
        out.push("main_text_topic_spread", 0.0, Vec::new());
        return;
    }
    let value = links::topic_divergence(&dists, k);
    let ev = if out.detailed() && value > 0.0 {
        let topics = links::topics_leaned_to(&dists, k);
        let mut ev = vec![format!(
            "{} units of main text lean to {topics} of {k} topics; divergence {value:.2}",
            dists.len()
        )];
        // The first paragraph of the first unit leaning to each topic.
        let mut shown = FxHashSet::default();
        for (u, d) in units.iter().zip(&dists) {
            let Some((t, p)) = links::leading_topic(d) else {
                continue;
            };
            if ev.len() > 5 || !shown.insert(t) {
                continue;
            }
            let para = ctx.page.main_text.get(u.first).map_or("", String::as_str);
            let short: String = para.chars().take(QUOTE_CHARS).collect();
            let name = links::topic_label(models, t);
            ev.push(format!(
                "paragraph {} {} — {name} ({p:.2})",
                u.first + 1,
                quote(&short)
            ));
        }
        ev
    } else {
        Vec::new()
    };
    out.push("main_text_topic_spread", value, ev);
}

/// The main text as units: paragraphs of at least [`MIN_PARA_TERMS`] terms that do not repeat
/// earlier text, merged in order until each unit has [`MIN_UNIT_TERMS`]; at most
/// [`MAX_UNITS`].
fn units(ctx: &Ctx<'_>, models: &dyn SignalModels) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    let mut scratch: Vec<u64> = Vec::with_capacity(4 * MIN_UNIT_TERMS);
    let mut seen = FxHashSet::default();
    let mut first: Option<usize> = None;
    let mut last = 0;
    let mut start = 0;
    for &(p, end) in &ctx.main_paras {
        let terms = ctx.main_terms.get(start..end).unwrap_or(&[]);
        start = end;
        if terms.len() < MIN_PARA_TERMS || repeats(terms, &mut seen) {
            continue;
        }
        let f = *first.get_or_insert(p);
        last = p;
        scratch.extend_from_slice(terms);
        if scratch.len() >= MIN_UNIT_TERMS {
            out.push(Unit {
                first: f,
                last,
                vec: weigh(&mut scratch, models),
            });
            first = None;
            if out.len() >= MAX_UNITS {
                return out;
            }
        }
    }
    // A short tail counts when it is at least half a unit.
    if let Some(f) = first {
        if scratch.len() * 2 >= MIN_UNIT_TERMS {
            out.push(Unit {
                first: f,
                last,
                vec: weigh(&mut scratch, models),
            });
        }
    }
    out
}

/// Consecutive terms in a shingle: a run this long repeated word for word is a copy.
const SHINGLE: usize = 6;
/// Share of a paragraph's sampled shingles seen before that makes it a repeat.
const REPEAT_SHARE: f64 = 0.3;

/// Whether a paragraph repeats earlier text word for word (a quoted reply, a signature, a
/// template line): such text returns to an earlier paragraph without being another story.
/// Records the paragraph's shingles in `seen`. A quarter of the shingles are sampled (by hash)
/// to keep the set small.
fn repeats(terms: &[u64], seen: &mut FxHashSet<u64>) -> bool {
    let mut sampled = 0usize;
    let mut hits = 0usize;
    for w in terms.windows(SHINGLE) {
        let h = w.iter().fold(0x9e37_79b9_7f4a_7c15u64, |h, &t| {
            (h.rotate_left(23) ^ t).wrapping_mul(0x0100_0000_01b3)
        });
        if h & 3 != 0 {
            continue;
        }
        sampled += 1;
        if !seen.insert(h) {
            hits += 1;
        }
    }
    sampled > 0 && hits as f64 >= REPEAT_SHARE * sampled as f64
}

/// The IDF-weighted, sublinear-tf, L2-normalised vector of the terms in `scratch` (emptied).
fn weigh(scratch: &mut Vec<u64>, models: &dyn SignalModels) -> Vec<(u64, f32)> {
    scratch.sort_unstable();
    let mut vec: Vec<(u64, f32)> = Vec::with_capacity(scratch.len());
    let mut i = 0;
    while i < scratch.len() {
        let t = scratch[i];
        let mut j = i + 1;
        while j < scratch.len() && scratch[j] == t {
            j += 1;
        }
        let w = models.term_weight(t);
        let w = if w.is_finite() { w.max(0.0) } else { 0.0 };
        // ln(1) is exactly 0: most terms of a unit occur once, and skip the logarithm.
        let tf = if j - i == 1 {
            1.0
        } else {
            1.0 + ((j - i) as f64).ln()
        };
        let v = tf * w;
        if v > 0.0 {
            vec.push((t, v as f32));
        }
        i = j;
    }
    scratch.clear();
    // Keep the unit's most telling terms only: the dot products of long units dominate the
    // cost, and the rare words (names, places) are what a story's paragraphs share.
    if vec.len() > MAX_UNIT_TERMS {
        vec.select_nth_unstable_by(MAX_UNIT_TERMS, |a, b| b.1.total_cmp(&a.1));
        vec.truncate(MAX_UNIT_TERMS);
        vec.sort_unstable_by_key(|c| c.0);
    }
    let norm = vec.iter().map(|c| c.1 * c.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        for c in &mut vec {
            c.1 /= norm;
        }
    }
    vec
}

/// Widest span of units in one (run, gap, return) triple.
const BAND: usize = 2 * MAX_RUN + MAX_GAP;

/// Prefix sums of the units' Gram matrix (within [`BAND`] of the diagonal): entry `(i, j)` of the `(n+1)²` table is the sum of
/// the cosines of units `< i` with units `< j`.
fn gram_prefix(units: &[Unit]) -> Vec<f64> {
    let n = units.len();
    let mut g = vec![0.0f64; n * n];
    for i in 0..n {
        g[i * n + i] = if units[i].vec.is_empty() { 0.0 } else { 1.0 };
        // Only units that can meet in one (run, gap, return) triple are compared: blocks of
        // such a triple lie inside the band, so the cosines outside it (left at 0) cancel out
        // of every block sum the search takes.
        for j in i + 1..n.min(i + BAND) {
            let c = dot(&units[i].vec, &units[j].vec);
            g[i * n + j] = c;
            g[j * n + i] = c;
        }
    }
    let w = n + 1;
    let mut p = vec![0.0f64; w * w];
    for i in 0..n {
        for j in 0..n {
            p[(i + 1) * w + j + 1] =
                g[i * n + j] + p[i * w + j + 1] + p[(i + 1) * w + j] - p[i * w + j];
        }
    }
    p
}

/// Dot product of two sparse vectors sorted by key, never negative.
fn dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f64 {
    super::text::hashing::sparse_dot(a, b).max(0.0)
}
