//! Artifacts of scraper templates: engagement counters, a breadcrumb category that does not fit
//! the article, junk in another script in the title, a visible date contradicting the dates in
//! the text, and a wire-service dateline on a site that is not the wire service.

use crate::extract::DateSource;

use super::context::Ctx;
use super::links;
use super::script::{self, Script};
use super::{log_count, prob, quote, Out, SignalModels};

/// Largest counter value considered (larger numbers are clamped).
const MAX_COUNTER: f64 = 1e12;

/// Adds the template-artifact signals, in schema order.
pub(crate) fn compute(ctx: &Ctx<'_>, models: &dyn SignalModels, out: &mut Out) {
    counters(ctx, out);
    breadcrumb(ctx, models, out);
    chrome_topic(ctx, models, out);
    title_script(ctx, out);
    dates(ctx, out);
    wire(ctx, out);
}

/// `counters_log` (how many counters show a count) and `counter_value_log` (`ln(1 + largest
/// number shown)`). A "counter" the extractor found without a count in it (a name such as
/// "B2B", an empty cart "( 0 )") does not count.
fn counters(ctx: &Ctx<'_>, out: &mut Out) {
    let mut max = 0.0f64;
    let mut max_line = "";
    let mut counted: Vec<&str> = Vec::new();
    for c in &ctx.page.counters {
        let v = largest_number(c);
        if v <= 0.0 {
            continue;
        }
        counted.push(c);
        if v > max {
            max = v;
            max_line = c;
        }
    }
    let ev = if out.detailed() {
        counted
            .iter()
            .map(|c| format!("counter {}", quote(c)))
            .collect()
    } else {
        Vec::new()
    };
    let max_ev = if out.detailed() && max > 0.0 {
        vec![format!("largest counter {} shows {max}", quote(max_line))]
    } else {
        Vec::new()
    };
    out.push("counters_log", log_count(counted.len()), ev);
    out.push("counter_value_log", max.min(MAX_COUNTER).ln_1p(), max_ev);
}

/// The largest number written in `s` ("63,925", "1.2K", "3M"), 0 when none.
pub(crate) fn largest_number(s: &str) -> f64 {
    let mut best = 0.0f64;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || matches!(bytes[i], b',' | b'.')) {
            i += 1;
        }
        // Digits glued to a name before them are part of it ("B2B", "MP3", "gpt-120B"), not
        // a count.
        let glued = |j: usize| bytes[j].is_ascii_alphabetic();
        if start > 0
            && (glued(start - 1)
                || (matches!(bytes[start - 1], b'-' | b'_') && start > 1 && glued(start - 2)))
        {
            continue;
        }
        let raw = s[start..i].trim_end_matches([',', '.']);
        // A K/M/B suffix multiplies only when it ends the token ("1.2K", "3M views"), not
        // when it starts a word ("2Bd", "5Mbit"); a lower-case m or b is a unit ("480m",
        // "1.2m", "64b"), not millions or billions.
        let suffix_ends = !bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric);
        let mult = match bytes.get(i) {
            Some(b'k' | b'K') if suffix_ends => 1e3,
            Some(b'M') if suffix_ends => 1e6,
            Some(b'B') if suffix_ends => 1e9,
            _ => 1.0,
        };
        // Separators must group thousands ("63,925", "1.234.567"); other groupings are phone
        // numbers, versions or dates ("913.562.4112", "2.6.4"), not counts.
        if mult == 1.0 && !thousands_grouped(raw) {
            continue;
        }
        let v = if mult > 1.0 {
            // "1.2K" or "1,2K": a decimal fraction before the suffix.
            raw.replace(',', ".").parse::<f64>().unwrap_or(0.0) * mult
        } else {
            // A decimal fraction ("4.5") counts its whole part; thousands separators are
            // dropped. Cap the digits so parsing cannot overflow.
            let whole = match raw.split_once(['.', ',']) {
                Some((w, frac)) if frac.len() < 3 && !frac.contains(['.', ',']) => w,
                _ => raw,
            };
            let digits: String = whole
                .chars()
                .filter(char::is_ascii_digit)
                .take(15)
                .collect();
            digits.parse::<f64>().unwrap_or(0.0)
        };
        if v.is_finite() {
            best = best.max(v.min(MAX_COUNTER));
        }
    }
    best
}

/// Whether the separators in a run of digits group thousands: every group after the first has
/// three digits, and the first has one to three (a run without separators is fine). A single
/// separator with one or two digits after it is a decimal fraction ("4.5"), also fine.
fn thousands_grouped(raw: &str) -> bool {
    let groups: Vec<&str> = raw.split([',', '.']).collect();
    match groups.as_slice() {
        [_] => true,
        [_, frac] if frac.len() < 3 => true,
        [first, rest @ ..] => (1..=3).contains(&first.len()) && rest.iter().all(|g| g.len() == 3),
        [] => false,
    }
}

/// `breadcrumb_mismatch`: topic distance between the breadcrumb's leaf category and the article
/// (0 when there is no breadcrumb category or no article).
fn breadcrumb(ctx: &Ctx<'_>, models: &dyn SignalModels, out: &mut Out) {
    let page = ctx.page;
    let (value, ev) = match ctx.breadcrumb_leaf {
        Some(leaf) if ctx.article_words > 0 => {
            let d = prob(
                ctx.breadcrumb_distance
                    .get()
                    .unwrap_or_else(|| models.topic_distance(&ctx.article, leaf)),
            );
            let ev = if out.detailed() {
                vec![format!(
                    "breadcrumb {} ends in category {} — topic distance {d:.2} from the article",
                    quote(&page.breadcrumb.join(" > ")),
                    quote(leaf)
                )]
            } else {
                Vec::new()
            };
            (d, ev)
        }
        _ => (0.0, Vec::new()),
    };
    out.push("breadcrumb_mismatch", value, ev);
}

/// `chrome_topic_mismatch`: topic distance between the article and the site's own words
/// around it ([`Ctx::chrome`]: menus, section names, sidebar and footer text; neither main text
/// nor headline links, which the link-block signals weigh). A scraper pours other sites'
/// stories into one template, so a wire story on munitions sits in the chrome of a pet-adoption
/// or coupon site; a real site's stories share its chrome's topics, and a general news site's
/// chrome spans every topic, which keeps its distance moderate. 0 when the article or the
/// chrome is too short to tell.
fn chrome_topic(ctx: &Ctx<'_>, models: &dyn SignalModels, out: &mut Out) {
    let chrome = ctx.chrome.as_str();
    if chrome.is_empty() {
        out.push("chrome_topic_mismatch", 0.0, Vec::new());
        return;
    }
    let words = ctx.chrome_words;
    let d = prob(
        ctx.chrome_distance
            .get()
            .unwrap_or_else(|| models.topic_distance(&ctx.article, chrome)),
    );
    let ev = if out.detailed() {
        let leaning = |text: &str| {
            let (t, p) = links::leading_topic(&models.topic_distribution(text))?;
            Some(format!("{} ({p:.2})", links::topic_label(models, t)))
        };
        let mut ev = vec![format!(
            "the article is at topic distance {d:.2} from the {words} words of the page around it"
        )];
        if let (Some(a), Some(c)) = (leaning(&ctx.article), leaning(chrome)) {
            ev.push(format!("article leans to {a}, the page around it to {c}"));
        }
        let first: Vec<&str> = chrome.lines().take(6).collect();
        ev.push(format!("around it: {}", quote(&first.join(" · "))));
        ev
    } else {
        Vec::new()
    };
    out.push("chrome_topic_mismatch", d, ev);
}

/// `title_script_junk`: letters in the raw title in a script foreign to the page's title and
/// text (a CJK suffix on a Latin headline), 0..1 (four foreign letters, or two CJK ones, give 1).
fn title_script_junk(ctx: &Ctx<'_>) -> (f64, String, Option<Script>) {
    let Some(page_script) = ctx.script else {
        return (0.0, String::new(), None);
    };
    let t = &ctx.page.title;
    let raw = if t.raw.trim().is_empty() {
        t.text.as_str()
    } else {
        t.raw.as_str()
    };
    // A breadcrumb fused in front of the headline ("位置：Home | NewsHeadline") is chrome, not
    // title: the template may label its trail in its own script.
    let raw = if ctx.page.breadcrumb.is_empty() || t.text.is_empty() {
        raw
    } else {
        raw.find(t.text.as_str()).map_or(raw, |i| &raw[i..])
    };
    let mut weight = 0usize;
    let mut foreign = String::new();
    let mut foreign_script = None;
    for c in raw.chars().take(2_000) {
        if let Some(s) = script::of(c) {
            if script::is_foreign(s, page_script) {
                weight += if s.unspaced() { 2 } else { 1 };
                if foreign.len() < 64 {
                    foreign.push(c);
                }
                foreign_script.get_or_insert(s);
            }
        }
    }
    ((weight as f64 / 4.0).min(1.0), foreign, foreign_script)
}

fn title_script(ctx: &Ctx<'_>, out: &mut Out) {
    let (value, foreign, s) = title_script_junk(ctx);
    let ev = match (out.detailed(), s, ctx.script) {
        (true, Some(s), Some(p)) => {
            let t = &ctx.page.title;
            let place = match &t.suffix {
                Some(suf) if foreign.chars().any(|c| suf.contains(c)) => {
                    format!("title suffix {}", quote(suf))
                }
                _ => format!("title {}", quote(&t.raw)),
            };
            vec![format!(
                "{place} has {} letters {} while the title and text are {}",
                s.name(),
                quote(&foreign),
                p.name()
            )]
        }
        _ => Vec::new(),
    };
    out.push("title_script_junk", value, ev);
}

/// Days since 1970-01-01 of a plausible calendar date, `None` when the date is implausible.
fn days(ymd: (i32, u32, u32)) -> Option<i64> {
    let (y, m, d) = ymd;
    if !(1900..=2100).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Today, in days since 1970-01-01: `PAGESCORE_TODAY` (`YYYY-MM-DD`, read once, for
/// reproducible training and tests) or else the system clock, read per page so that a server
/// running for weeks keeps its day right.
fn today() -> Option<i64> {
    static PINNED: std::sync::OnceLock<Option<i64>> = std::sync::OnceLock::new();
    let pinned = PINNED.get_or_init(|| {
        let v = std::env::var("PAGESCORE_TODAY").ok()?;
        let mut it = v.trim().splitn(3, '-').map(|p| p.parse::<u32>().ok());
        let (y, m, d) = (it.next()??, it.next()??, it.next()??);
        days((i32::try_from(y).ok()?, m, d))
    });
    if pinned.is_some() {
        return *pinned;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    i64::try_from(secs / 86_400).ok()
}

/// Days a page's own date may run ahead of today before it counts as a future date: time
/// zones, scheduled posts and event pages dated a few weeks out.
const FUTURE_GRACE_DAYS: i64 = 30;

/// Gaps longer than this many years count as this long (history pieces cite old dates).
const MAX_GAP_YEARS: f64 = 10.0;

/// `ln(1 + years)` of a gap in days, after a grace of `grace` days, capped at
/// [`MAX_GAP_YEARS`].
fn gap_value(gap_days: i64, grace: i64) -> f64 {
    ((gap_days - grace).max(0) as f64 / 365.25)
        .min(MAX_GAP_YEARS)
        .ln_1p()
}

/// `date_visible_after_text` (the page's visible date is long after the newest absolute date
/// in its text: an old article republished with a fresh date), `date_sources_spread` (the
/// page's own dates disagree with each other) and `date_in_future` (the page's own date is
/// after today).
fn dates(ctx: &Ctx<'_>, out: &mut Out) {
    let dates = &ctx.page.dates;
    let dated = |s: &'static [DateSource]| {
        dates
            .iter()
            .filter(move |m| s.contains(&m.source))
            .filter_map(|m| Some((days(m.ymd?)?, m)))
    };
    const STRUCTURED: &[DateSource] = &[
        DateSource::Meta,
        DateSource::JsonLd,
        DateSource::TimeElement,
    ];
    let structured = STRUCTURED;
    let visible_first = dated(&[DateSource::VisibleLine]).next();
    // The page's own date: the newest structured date (publication or modification) when the
    // page has one, as a visible line may be a header's "today"; else the first visible date.
    let page_date = dated(structured).max_by_key(|(d, _)| *d).or(visible_first);
    // A date line's own date is found again in the text it sits in; it is the page's date,
    // not one the text mentions.
    let in_date_line = |raw: &str| {
        dates
            .iter()
            .any(|m| m.source == DateSource::VisibleLine && m.raw.contains(raw))
    };
    let newest_text = dated(&[DateSource::InText])
        .filter(|(_, m)| !in_date_line(&m.raw))
        .max_by_key(|(d, _)| *d)
        .map(|(d, m)| (d, m.raw.as_str()));
    // Many articles name only years ("in 2022"); a year counts as its last day, so that it can
    // only make the text newer than its full dates are, never older.
    // Only a text written as news ("on Thursday", "last week") dates itself by its years: a
    // history or an evergreen page cites old years without being old.
    let reads_as_news = dates.iter().any(|m| m.source == DateSource::Relative);
    let newest_year = reads_as_news
        .then(|| newest_year_in(&ctx.page.main_text))
        .flatten()
        .and_then(|(y, raw)| Some((days((y, 12, 31))?, raw)));
    // A year only stands in for the text's date when no full date in the text is from that
    // year or later: "Feb. 24, 2022" is better evidence than "2022".
    let newest_text = match (newest_text, newest_year) {
        (Some(a), Some(b)) => Some(if b.0 - 365 > a.0 { b } else { a }),
        (a, b) => a.or(b),
    };

    let (after, after_ev) = match (page_date, newest_text) {
        (Some((pd, pm)), Some((td, traw))) if pd > td => {
            let v = gap_value(pd - td, 30);
            let ev = if out.detailed() && v > 0.0 {
                vec![format!(
                    "page date {} ({:?}) is {:.1} years after the newest date in the text {}",
                    quote(&pm.raw),
                    pm.source,
                    (pd - td) as f64 / 365.25,
                    quote(traw)
                )]
            } else {
                Vec::new()
            };
            (v, ev)
        }
        _ => (0.0, Vec::new()),
    };
    out.push("date_visible_after_text", after, after_ev);

    let own: Vec<_> = visible_first.into_iter().chain(dated(structured)).collect();
    let lo = own.iter().min_by_key(|(d, _)| *d);
    let hi = own.iter().max_by_key(|(d, _)| *d);
    let (spread, spread_ev) = match (lo, hi) {
        (Some((ld, lm)), Some((hd, hm))) => {
            let v = gap_value(hd - ld, 2);
            let ev = if out.detailed() && v > 0.0 {
                vec![format!(
                    "the page's own dates disagree: {} ({:?}) vs {} ({:?})",
                    quote(&lm.raw),
                    lm.source,
                    quote(&hm.raw),
                    hm.source
                )]
            } else {
                Vec::new()
            };
            (v, ev)
        }
        _ => (0.0, Vec::new()),
    };
    out.push("date_sources_spread", spread, spread_ev);

    // No real page was published after the day it is read: a date years ahead is a template
    // stamping a made-up date (the text it sits on may give nothing to compare with).
    let (future, future_ev) = match (hi, today()) {
        (Some((hd, hm)), Some(now)) if *hd > now + FUTURE_GRACE_DAYS => {
            let v = gap_value(hd - now, FUTURE_GRACE_DAYS);
            let ev = if out.detailed() {
                vec![format!(
                    "page date {} ({:?}) is {:.1} years after today",
                    quote(&hm.raw),
                    hm.source,
                    (hd - now) as f64 / 365.25
                )]
            } else {
                Vec::new()
            };
            (v, ev)
        }
        _ => (0.0, Vec::new()),
    };
    out.push("date_in_future", future, future_ev);
}

/// Main-text bytes searched for year mentions.
const YEAR_SCAN_BYTES: usize = 64 * 1024;
/// Paragraphs shorter than this (in words) are skipped when looking for years: a short line is
/// more likely a date line or a caption than running text.
const YEAR_PARA_WORDS: usize = 12;

/// The newest year (1900-2100) written as a free-standing four-digit number in the running
/// text, and the year as written.
fn newest_year_in(paras: &[String]) -> Option<(i32, &str)> {
    let mut best: Option<(i32, &str)> = None;
    let mut budget = YEAR_SCAN_BYTES;
    for para in paras {
        if budget == 0 {
            break;
        }
        let text = super::context::cut(para, budget);
        budget = budget.saturating_sub(text.len());
        if text.split_whitespace().nth(YEAR_PARA_WORDS - 1).is_none() {
            continue;
        }
        let b = text.as_bytes();
        let mut i = 0;
        while i + 4 <= b.len() {
            let free_before = i == 0 || !b[i - 1].is_ascii_alphanumeric() && b[i - 1] != b'.';
            if free_before && b[i..i + 4].iter().all(u8::is_ascii_digit) {
                let after = b.get(i + 4).copied();
                // not part of a longer number, a decimal, an amount or a percentage
                let free_after = after
                    .is_none_or(|c| !c.is_ascii_alphanumeric() && !matches!(c, b',' | b'%'))
                    || (after == Some(b',') && !b.get(i + 5).is_some_and(u8::is_ascii_digit));
                let year = (i32::from(b[i] - b'0') * 1000)
                    + (i32::from(b[i + 1] - b'0') * 100)
                    + (i32::from(b[i + 2] - b'0') * 10)
                    + i32::from(b[i + 3] - b'0');
                if free_after && (1900..=2100).contains(&year) && best.is_none_or(|x| year > x.0) {
                    best = Some((year, &text[i..i + 4]));
                }
                i += 4;
            } else {
                i += 1;
            }
        }
    }
    best
}

/// Wire services: the tokens naming them in a dateline, and their own hosts.
const WIRES: &[(&[&str], &[&str])] = &[
    (&["AP"], &["apnews.com", "ap.org"]),
    (&["REUTERS"], &["reuters.com"]),
    (&["AFP"], &["afp.com"]),
    (&["DPA"], &["dpa.com", "dpa.de"]),
    (&["UPI"], &["upi.com"]),
    (&["BLOOMBERG"], &["bloomberg.com"]),
    (&["PTI"], &["ptinews.com"]),
    (&["ANI"], &["aninews.in"]),
    (&["IANS"], &["ians.in"]),
    (&["XINHUA"], &["xinhuanet.com", "news.cn"]),
    (&["EFE"], &["efe.com"]),
    (&["ANSA"], &["ansa.it"]),
    (&["KYODO"], &["kyodonews.net"]),
    (&["YONHAP"], &["yna.co.kr", "yonhapnews.co.kr"]),
    (&["TASS"], &["tass.com", "tass.ru"]),
    (&["INTERFAX"], &["interfax.com", "interfax.ru"]),
    (&["AAP"], &["aap.com.au"]),
    (&["CP"], &["thecanadianpress.com"]),
    (&["APA"], &["apa.at"]),
    (&["ANP"], &["anp.nl"]),
    (&["BELGA"], &["belganewsagency.eu", "belga.be"]),
    (&["PAP"], &["pap.pl"]),
    (&["KNA"], &["kna.de"]),
    (&["EPD"], &["epd.de"]),
    (&["SDA", "ATS"], &["keystone-sda.ch"]),
    (&["ANTARA"], &["antaranews.com"]),
    (&["BERNAMA"], &["bernama.com"]),
];

/// The host of a URL, lower case, without port or `www.`.
fn host(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    let h = authority.split(':').next()?.trim_end_matches('.');
    let h = h.strip_prefix("www.").unwrap_or(h);
    (!h.is_empty() && h.contains('.')).then(|| h.to_ascii_lowercase())
}

/// The wire service named in a dateline, if one is known.
fn wire_of(dateline: &str) -> Option<&'static (&'static [&'static str], &'static [&'static str])> {
    let upper = dateline.to_uppercase();
    let tokens: Vec<&str> = upper
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    WIRES
        .iter()
        .find(|(names, _)| tokens.iter().any(|t| names.contains(t)))
}

/// Whether the source a dateline names in parentheses is the page's own site: its letters,
/// joined and lowercased, are the start of the host's first label or a whole label of it
/// ("(KXAN)" on kxan.com, "(The Star)" on thestar.com.my, "(CNN)" on edition.cnn.com).
fn names_own_host(dateline: &str, hosts: &[String]) -> bool {
    let Some(inner) = dateline
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(inner, _)| inner)
    else {
        return false;
    };
    let name: String = inner
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    // Two letters name too many things ("(AP)" aside, which is a known wire).
    if name.chars().count() < 3 {
        return false;
    }
    hosts.iter().any(|h| {
        let labels: Vec<&str> = h.split('.').collect();
        // Every label but the TLD: "edition.cnn.com" → edition, cnn.
        let named = &labels[..labels.len().saturating_sub(1)];
        named.iter().any(|l| *l == name)
            || named
                .iter()
                .rev()
                .find(|l| l.len() > 3)
                .is_some_and(|l| l.starts_with(&name))
    })
}

/// `wire_dateline` (the text carries a wire-service dateline) and `wire_dateline_foreign_host`
/// (1 when the page's host is known and is not that wire service, 0.75 when the service is not
/// one we know, 0.5 when the page's URL is unknown, 0 on the service's own site or on the site
/// an unknown service's name is the host of).
fn wire(ctx: &Ctx<'_>, out: &mut Out) {
    let page = ctx.page;
    let Some(dateline) = page.datelines.iter().find(|d| !d.trim().is_empty()) else {
        out.push("wire_dateline", 0.0, Vec::new());
        out.push("wire_dateline_foreign_host", 0.0, Vec::new());
        return;
    };
    let hosts: Vec<String> = page
        .url
        .iter()
        .chain(page.canonical_url.iter())
        .filter_map(|u| host(u))
        .collect();
    let wire = wire_of(dateline);
    let own_site = |domains: &[&str]| {
        hosts.iter().any(|h| {
            domains
                .iter()
                .any(|d| h == d || h.strip_suffix(d).is_some_and(|p| p.ends_with('.')))
        })
    };
    let (value, why) = match (hosts.first(), wire) {
        (None, _) => (0.5, "the page's URL is unknown".to_owned()),
        (Some(_), Some((_, domains))) if own_site(domains) => (0.0, String::new()),
        // A station or paper datelines its own stories ("AUSTIN (KXAN) —" on kxan.com).
        (Some(_), None) if names_own_host(dateline, &hosts) => (0.0, String::new()),
        (Some(h), Some((names, domains))) => (
            1.0,
            format!("names {} ({}) but the page is on {h}", names[0], domains[0]),
        ),
        (Some(h), None) => (0.75, format!("the page is on {h}")),
    };
    let detailed = out.detailed();
    let ev = |v: f64, why: &str| -> Vec<String> {
        if detailed && v > 0.0 {
            let mut s = format!("dateline {}", quote(dateline));
            if !why.is_empty() {
                s.push_str(": ");
                s.push_str(why);
            }
            vec![s]
        } else {
            Vec::new()
        }
    };
    out.push("wire_dateline", 1.0, ev(1.0, ""));
    out.push("wire_dateline_foreign_host", value, ev(value, &why));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_counters() {
        assert_eq!(largest_number("veryGood! (63925)"), 63925.0);
        assert_eq!(largest_number("Likes 63,925"), 63925.0);
        assert_eq!(largest_number("1.2K shares"), 1200.0);
        assert_eq!(largest_number("no number"), 0.0);
        assert_eq!(largest_number(&"9".repeat(5000)), MAX_COUNTER);
        // names and units are not counts
        assert_eq!(largest_number("B2B"), 0.0);
        assert_eq!(largest_number("MP3 player (12)"), 12.0);
        assert_eq!(largest_number("2Bd flat"), 2.0);
        assert_eq!(largest_number("3M views"), 3e6);
        assert_eq!(largest_number("gpt-oss-120B"), 0.0);
        assert_eq!(largest_number("📞 913.562.4112"), 0.0);
        assert_eq!(largest_number("1390m |"), 1390.0);
        assert_eq!(largest_number("1.14k"), 1140.0);
        assert_eq!(largest_number("Views 1.234.567"), 1_234_567.0);
        assert_eq!(largest_number("rated 4.5"), 4.0);
    }

    #[test]
    fn hosts_and_wires() {
        assert_eq!(
            host("https://www.Example.com:8080/a?b").as_deref(),
            Some("example.com")
        );
        assert_eq!(host("nonsense"), None);
        assert!(wire_of("WASHINGTON (AP) —").is_some());
        assert!(wire_of("BERLIN (dpa) -").is_some());
        assert!(wire_of("CAPE TOWN, South Africa —").is_none());
    }

    #[test]
    fn a_dateline_naming_its_own_host() {
        let hosts = |h: &str| vec![h.to_owned()];
        assert!(names_own_host("AUSTIN (KXAN) —", &hosts("kxan.com")));
        assert!(names_own_host("ATLANTA (CNN) —", &hosts("edition.cnn.com")));
        assert!(names_own_host(
            "KUALA LUMPUR (The Star) -",
            &hosts("thestar.com.my")
        ));
        assert!(!names_own_host(
            "AUSTIN (KXAN) —",
            &hosts("news-mirror.net")
        ));
        assert!(!names_own_host("AUSTIN —", &hosts("austin.com")));
        // A name too short to tell, and a name that is only part of a longer one.
        assert!(!names_own_host("ROME (AB) -", &hosts("ab.it")));
        assert!(!names_own_host(
            "PARIS (STAR) -",
            &hosts("superstar.example.com")
        ));
    }

    #[test]
    fn civil_days() {
        assert_eq!(days((1970, 1, 1)), Some(0));
        assert_eq!(days((2000, 3, 1)), Some(11_017));
        assert_eq!(days((2025, 13, 1)), None);
    }
}
