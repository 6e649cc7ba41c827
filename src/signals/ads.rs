//! Promotional text posing as content or links ("Get 2 for the price of 1"), scored by the
//! promo classifier over link texts and short lines, plus the extractor's ad markers counted by
//! kind.

use rustc_hash::FxHashSet;

use crate::extract::AdMarkerKind;

use super::context::Ctx;
use super::{log_count, prob, quote, Out, SignalModels};

/// Probability at or above which a snippet counts as promotional (share and evidence).
const PROMO: f64 = 0.5;
/// Snippets scored per page (model calls cost time).
const MAX_SNIPPETS: usize = 240;
/// Longest snippet scored, in words: longer lines are article prose, not snippets.
const MAX_SNIPPET_WORDS: usize = 40;

/// Adds `promo_max`, `promo_share`, `ad_selectors_log`, `ad_hosts_log`, `ad_sponsored_log`.
pub(crate) fn compute(ctx: &Ctx<'_>, models: &dyn SignalModels, out: &mut Out) {
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let mut snippets: Vec<(&str, &'static str)> = Vec::new();
    for hl in &ctx.headlines {
        if hl.score >= 0.5 && seen.insert(hl.text) {
            snippets.push((hl.text, "link"));
        }
    }
    let short = |t: &str| {
        let n = t.split_whitespace().take(MAX_SNIPPET_WORDS + 1).count();
        (3..=MAX_SNIPPET_WORDS).contains(&n)
    };
    for p in &ctx.page.main_text {
        let p = p.trim();
        if short(p) && seen.insert(p) {
            snippets.push((p, "text"));
        }
    }
    for l in &ctx.lines {
        if short(l) && seen.insert(l) {
            snippets.push((l, "line"));
        }
    }
    snippets.truncate(MAX_SNIPPETS);

    let scored: Vec<(&str, &str, f64)> = snippets
        .iter()
        .map(|(t, k)| (*t, *k, prob(models.promo(t))))
        .collect();
    let n = scored.len();
    let max = scored.iter().map(|s| s.2).fold(0.0, f64::max);
    let hits = scored.iter().filter(|s| s.2 >= PROMO).count();
    let share = if n == 0 { 0.0 } else { hits as f64 / n as f64 };
    let promo_ev = if out.detailed() {
        let mut v: Vec<_> = scored.iter().filter(|s| s.2 >= PROMO).collect();
        v.sort_by(|a, b| b.2.total_cmp(&a.2));
        v.iter()
            .map(|(t, k, p)| format!("{k} {} — promo probability {p:.2}", quote(t)))
            .collect()
    } else {
        Vec::new()
    };
    let share_ev = if out.detailed() && hits > 0 {
        vec![format!(
            "{hits} of {n} short snippets have promo probability ≥ {PROMO}"
        )]
    } else {
        Vec::new()
    };
    out.push("promo_max", max, promo_ev);
    out.push("promo_share", share, share_ev);

    let markers = &ctx.page.ad_markers;
    let kinds: [(&'static str, &dyn Fn(AdMarkerKind) -> bool); 3] = [
        ("ad_selectors_log", &|k| k == AdMarkerKind::AdSelector),
        ("ad_hosts_log", &|k| k == AdMarkerKind::AdNetworkHost),
        ("ad_sponsored_log", &|k| {
            matches!(k, AdMarkerKind::RelSponsored | AdMarkerKind::Label)
        }),
    ];
    for (name, wanted) in kinds {
        let of_kind = markers.iter().filter(|m| wanted(m.kind));
        let count = of_kind.clone().count();
        let ev = if out.detailed() {
            let mut distinct: Vec<&str> = Vec::new();
            for m in of_kind {
                if !distinct.contains(&m.evidence.as_str()) {
                    distinct.push(&m.evidence);
                }
                if distinct.len() >= 8 {
                    break;
                }
            }
            let mut ev = vec![format!("{count} ad markers of this kind")];
            ev.extend(distinct.iter().map(|e| quote(e)));
            ev
        } else {
            Vec::new()
        };
        out.push(name, log_count(count), ev);
    }
}
