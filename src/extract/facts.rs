//! Facts found in lines of visible text, shared by the HTML and plain-text extractors: dates,
//! visible date lines, wire datelines, bylines, engagement counters, breadcrumb trails, and the
//! split of a title into headline and site suffix.
//!
//! Every function takes one line (or a short text) and decides from its *shape*: where the
//! numbers are, how long it is, what is left once the date or number is taken away. Word lists
//! (month and weekday names, a few labels) exist only where a word is the thing itself, and
//! cover English, German, French and Spanish. Nothing here allocates unless it finds
//! something, apart from one small token vector per call to the date scanner.

use super::{DateMention, DateSource};

// ---------------------------------------------------------------------------------------------
// Small text helpers, public because both extractors need the same notion of "word" and
// "sentence".

/// Whether `c` is a CJK ideograph, kana or Hangul syllable (scripts written without spaces).
pub fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Words in `s`, counting a run of CJK characters as one word per two characters, so that
/// length rules work for scripts written without spaces.
pub fn word_units(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| {
            let cjk = w.chars().filter(|c| is_cjk(*c)).count();
            if cjk > 0 {
                cjk.div_ceil(2)
            } else {
                1
            }
        })
        .sum()
}

/// Whether `s` ends like a sentence: `.`, `!`, `?`, `…` or their CJK forms, possibly followed by
/// closing quotes or brackets.
pub fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | '»' | '«' | ')' | '」' | '』')
    });
    t.ends_with(['.', '!', '?', '…', '。', '！', '？'])
}

/// The dominant script of the letters in `s`, as a coarse bucket (Latin, Cyrillic, Greek, CJK,
/// Arabic, Hebrew, other), or `None` if `s` has no letters.
pub fn dominant_script(s: &str) -> Option<Script> {
    let mut counts = [0usize; 7];
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        counts[script_of(c) as usize] += 1;
    }
    let (i, n) = counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
    (*n > 0).then(|| Script::ALL[i])
}

/// Coarse script buckets, enough to see that a title's tail is in another script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Latin letters, including accented ones.
    Latin,
    /// Cyrillic.
    Cyrillic,
    /// Greek.
    Greek,
    /// Han, kana, Hangul.
    Cjk,
    /// Arabic.
    Arabic,
    /// Hebrew.
    Hebrew,
    /// Anything else.
    Other,
}

impl Script {
    const ALL: [Script; 7] = [
        Script::Latin,
        Script::Cyrillic,
        Script::Greek,
        Script::Cjk,
        Script::Arabic,
        Script::Hebrew,
        Script::Other,
    ];
}

fn script_of(c: char) -> Script {
    match u32::from(c) {
        0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F => Script::Cyrillic,
        0x590..=0x5FF => Script::Hebrew,
        0x600..=0x6FF | 0x750..=0x77F => Script::Arabic,
        _ if is_cjk(c) => Script::Cjk,
        _ => Script::Other,
    }
}

// ---------------------------------------------------------------------------------------------
// Tokens for the date scanner.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// ASCII digits, with their value (saturating) and count.
    Num { val: u32, digits: u8 },
    /// A run of letters.
    Word,
    /// Any other single non-space character.
    Punct(char),
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
    /// Whitespace directly before this token.
    space_before: bool,
    /// What the word is in the date vocabulary ([`word_class`]), 0 for most words.
    class: u16,
}

/// Splits `s` into tokens; each word is classified once ([`word_class`]).
fn tokenize(s: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut buf = [0u8; 48];
    let mut it = s.char_indices().peekable();
    let mut space = false;
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        let mut end = i + c.len_utf8();
        let mut class = 0;
        let kind = if c.is_ascii_digit() {
            let mut val = c as u32 - '0' as u32;
            let mut digits = 1u8;
            while let Some(&(j, d)) = it.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                val = val.saturating_mul(10).saturating_add(d as u32 - '0' as u32);
                digits = digits.saturating_add(1);
                end = j + 1;
                it.next();
            }
            Kind::Num { val, digits }
        } else if c.is_alphabetic() {
            while let Some(&(j, d)) = it.peek() {
                if !d.is_alphabetic() {
                    break;
                }
                end = j + d.len_utf8();
                it.next();
            }
            // No word of the date vocabulary is longer than 16 bytes.
            if end - i <= 16 {
                class = lower(&s[i..end], &mut buf).map_or(0, word_class);
            }
            Kind::Word
        } else {
            Kind::Punct(c)
        };
        toks.push(Tok {
            kind,
            start: i,
            end,
            space_before: space,
            class,
        });
        space = false;
    }
    toks
}

/// Lower-cases `word` into `buf` (no allocation); `None` if it does not fit.
fn lower<'b>(word: &str, buf: &'b mut [u8; 48]) -> Option<&'b str> {
    if word.len() > buf.len() {
        return None;
    }
    if word.is_ascii() {
        let out = &mut buf[..word.len()];
        out.copy_from_slice(word.as_bytes());
        out.make_ascii_lowercase();
        return std::str::from_utf8(out).ok();
    }
    let mut n = 0;
    for c in word.chars().flat_map(char::to_lowercase) {
        let len = c.len_utf8();
        if n + len > buf.len() {
            return None;
        }
        c.encode_utf8(&mut buf[n..]);
        n += len;
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// Month names and abbreviations (English, German, French, Spanish), lower-case.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("januar", 1),
    ("jänner", 1),
    ("janvier", 1),
    ("enero", 1),
    ("february", 2),
    ("feb", 2),
    ("februar", 2),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("febrero", 2),
    ("march", 3),
    ("mar", 3),
    ("märz", 3),
    ("maerz", 3),
    ("mär", 3),
    ("mars", 3),
    ("marzo", 3),
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("abril", 4),
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("june", 6),
    ("jun", 6),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("july", 7),
    ("jul", 7),
    ("juli", 7),
    ("juillet", 7),
    ("julio", 7),
    ("august", 8),
    ("aug", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("october", 10),
    ("oct", 10),
    ("oktober", 10),
    ("okt", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("december", 12),
    ("dec", 12),
    ("dezember", 12),
    ("dez", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("diciembre", 12),
];

/// Weekday names (English, German, French, Spanish), lower-case.
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonnabend",
    "sonntag",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "lunes",
    "martes",
    "miércoles",
    "miercoles",
    "jueves",
    "viernes",
    "sábado",
    "sabado",
    "domingo",
];

/// Words that are a relative date on their own.
const RELATIVE_WORDS: &[&str] = &[
    "yesterday",
    "today",
    "tonight",
    "tomorrow",
    "gestern",
    "vorgestern",
    "heute",
    "ayer",
    "anteayer",
    "hoy",
    "mañana",
    "avant-hier",
    "aujourd",
];

/// "last/this/next" words that make "<word> <period>" a relative date.
const RELATIVE_LEADS: &[&str] = &[
    "last",
    "this",
    "next",
    "past",
    "letzte",
    "letzten",
    "letztes",
    "letzter",
    "vergangene",
    "vergangenen",
    "vergangenes",
    "diese",
    "diesen",
    "dieses",
    "nächste",
    "nächsten",
];

/// Period words after a lead ("last week") or before a trailing lead ("semaine dernière").
const PERIODS: &[&str] = &[
    "week",
    "weekend",
    "month",
    "year",
    "night",
    "morning",
    "evening",
    "afternoon",
    "woche",
    "wochenende",
    "monat",
    "jahr",
    "nacht",
    "semaine",
    "mois",
    "année",
    "annee",
    "semana",
    "mes",
    "año",
    "ano",
    "noche",
];

/// Trailing leads: "semaine dernière", "semana pasada".
const TRAILING_LEADS: &[&str] = &[
    "dernière",
    "derniere",
    "dernier",
    "prochaine",
    "prochain",
    "pasada",
    "pasado",
    "próxima",
    "próximo",
];

/// Units of "N <unit> ago" (and the German, Spanish, French forms).
const UNITS: &[&str] = &[
    "second", "seconds", "sec", "secs", "minute", "minutes", "min", "mins", "hour", "hours", "hr",
    "hrs", "h", "day", "days", "d", "week", "weeks", "month", "months", "year", "years", "sekunde",
    "sekunden", "minuten", "stunde", "stunden", "tag", "tagen", "tage", "woche", "wochen", "monat",
    "monaten", "jahr", "jahren", "segundos", "minuto", "minutos", "hora", "horas", "día", "días",
    "dia", "dias", "semana", "semanas", "mes", "meses", "año", "años", "heure", "heures", "jour",
    "jours", "semaines", "mois", "an", "ans", "secondes",
];

// Word classes of the date vocabulary: the month number in the low four bits, flags above.
const MONTH_MASK: u16 = 0xF;
const WEEKDAY: u16 = 1 << 4;
const REL_WORD: u16 = 1 << 5;
const LEAD: u16 = 1 << 6;
const PERIOD: u16 = 1 << 7;
const TRAIL: u16 = 1 << 8;
const UNIT: u16 = 1 << 9;
const COUNT: u16 = 1 << 10;
const EARLY: u16 = 1 << 11;
const THIS_LAST: u16 = 1 << 12;
const VOR_HACE: u16 = 1 << 13;
const AGO: u16 = 1 << 14;
const IL_Y: u16 = 1 << 15;

/// The class of a lower-cased word: one hash lookup per word, the table built on first use.
fn word_class(w: &str) -> u16 {
    static TABLE: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, u16>> =
        std::sync::OnceLock::new();
    if w.len() > 24 {
        return 0;
    }
    let table = TABLE.get_or_init(|| {
        let mut t = rustc_hash::FxHashMap::default();
        let mut add = |words: &[&'static str], flag: u16| {
            for w in words {
                *t.entry(*w).or_insert(0) |= flag;
            }
        };
        for (name, m) in MONTHS {
            add(&[name], u16::try_from(*m).unwrap_or(0));
        }
        add(WEEKDAYS, WEEKDAY);
        add(RELATIVE_WORDS, REL_WORD);
        add(RELATIVE_LEADS, LEAD);
        add(PERIODS, PERIOD);
        add(TRAILING_LEADS, TRAIL);
        add(UNITS, UNIT);
        add(
            &[
                "a", "an", "one", "ein", "einer", "einem", "un", "una", "une",
            ],
            COUNT,
        );
        add(&["earlier", "later", "late", "early"], EARLY);
        add(&["this", "last"], THIS_LAST);
        add(&["vor", "hace"], VOR_HACE);
        add(&["ago"], AGO);
        add(&["il", "y"], IL_Y);
        t
    });
    table.get(w).copied().unwrap_or(0)
}

fn month_of(word: &str) -> Option<u32> {
    let mut buf = [0u8; 48];
    month_lower(lower(word, &mut buf)?)
}

fn month_lower(w: &str) -> Option<u32> {
    Some(u32::from(word_class(w) & MONTH_MASK)).filter(|m| *m != 0)
}

fn in_list(word: &str, list: &[&str]) -> bool {
    let mut buf = [0u8; 48];
    lower(word, &mut buf).is_some_and(|w| list.contains(&w))
}

/// Whether `word` is a month or weekday name (for rejecting "By Thursday" as a byline).
fn is_calendar_word(word: &str) -> bool {
    month_of(word).is_some() || in_list(word, WEEKDAYS)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

fn valid_ymd(y: u32, m: u32, d: u32) -> Option<(i32, u32, u32)> {
    let y = i32::try_from(y).ok()?;
    ((1900..=2100).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m))
        .then_some((y, m, d))
}

/// One date found by the scanner: byte span, resolved date, whether relative.
#[derive(Debug, Clone, Copy)]
struct Found {
    start: usize,
    end: usize,
    ymd: Option<(i32, u32, u32)>,
    relative: bool,
}

/// Scans `s` for absolute and relative dates, in order, without overlaps.
fn scan(s: &str) -> Vec<Found> {
    let toks = tokenize(s);
    let mut found = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if let Some((f, next)) = numeric_at(&toks, i)
            .or_else(|| cjk_at(s, &toks, i))
            .or_else(|| month_name_at(s, &toks, i))
            .or_else(|| relative_at(&toks, i))
        {
            found.push(f);
            i = next;
        } else {
            i += 1;
        }
    }
    found
}

fn num(t: Option<&Tok>) -> Option<(u32, u8)> {
    match t?.kind {
        Kind::Num { val, digits } => Some((val, digits)),
        _ => None,
    }
}

fn punct(t: Option<&Tok>) -> Option<char> {
    match t?.kind {
        Kind::Punct(c) => Some(c),
        _ => None,
    }
}

/// `2022-02-24`, `2022/02/24`, `24.02.2022`, `24-02-2022`, `02/24/2022` (US order unless the
/// first number cannot be a month).
fn numeric_at(toks: &[Tok], i: usize) -> Option<(Found, usize)> {
    let (a, ad) = num(toks.get(i))?;
    let s1 = punct(toks.get(i + 1))?;
    let (b, bd) = num(toks.get(i + 2))?;
    let s2 = punct(toks.get(i + 3))?;
    let (c, cd) = num(toks.get(i + 4))?;
    if s1 != s2
        || !matches!(s1, '-' | '/' | '.')
        || toks[i + 1..=i + 4].iter().any(|t| t.space_before)
    {
        return None;
    }
    // Not part of a longer number run such as a version string or phone number.
    if let (Some(p), Some(_)) = (punct(toks.get(i + 5)), num(toks.get(i + 6))) {
        if p == s1 && !toks[i + 5].space_before {
            return None;
        }
    }
    let ymd = if ad == 4 && bd <= 2 && cd <= 2 {
        valid_ymd(a, b, c)
    } else if ad <= 2 && bd <= 2 && cd == 4 {
        match s1 {
            '/' if a <= 12 => valid_ymd(c, a, b).or_else(|| valid_ymd(c, b, a)),
            _ => valid_ymd(c, b, a),
        }
    } else {
        None
    }?;
    Some((
        Found {
            start: toks[i].start,
            end: toks[i + 4].end,
            ymd: Some(ymd),
            relative: false,
        },
        i + 5,
    ))
}

/// `2022年2月24日`, `2022年2月` (Chinese and Japanese), `2022년 2월 24일` (Korean): a
/// four-digit year, its marker, a month and its marker, and optionally a day and its marker.
fn cjk_at(s: &str, toks: &[Tok], i: usize) -> Option<(Found, usize)> {
    // The end of the marker a token starts with (a word token runs on into the next CJK
    // characters: "日发布").
    let marker = |k: usize, marks: &[&str]| {
        let t = toks.get(k).filter(|t| t.kind == Kind::Word)?;
        let word = &s[t.start..t.end];
        marks
            .iter()
            .find(|m| word.starts_with(**m))
            .map(|m| t.start + m.len())
    };
    let (y, 4) = num(toks.get(i))? else {
        return None;
    };
    // the year's marker must end its token: "2022年2月", not "2022年度"
    if marker(i + 1, &["年", "년"]) != toks.get(i + 1).map(|t| t.end) {
        return None;
    }
    let (m, md) = num(toks.get(i + 2))?;
    let month_end = marker(i + 3, &["月", "월"]).filter(|_| md <= 2)?;
    if let Some((d, dd)) = num(toks.get(i + 4)) {
        if let Some(end) = marker(i + 5, &["日", "号", "일"]).filter(|_| dd <= 2) {
            return Some((
                Found {
                    start: toks[i].start,
                    end,
                    ymd: Some(valid_ymd(y, m, d)?),
                    relative: false,
                },
                i + 6,
            ));
        }
    }
    // a month without a day
    (1..=12).contains(&m).then(|| {
        (
            Found {
                start: toks[i].start,
                end: month_end,
                ymd: None,
                relative: false,
            },
            i + 4,
        )
    })
}

fn is_ordinal_suffix(s: &str, t: &Tok) -> bool {
    t.kind == Kind::Word
        && !t.space_before
        && matches!(&s[t.start..t.end], "st" | "nd" | "rd" | "th" | "er" | "º")
}

fn is_filler(s: &str, t: &Tok) -> bool {
    t.kind == Kind::Word && matches!(&s[t.start..t.end], "de" | "del" | "of" | "the")
}

/// `Feb. 24, 2022`, `February 24th 2022`, `24 February 2022`, `24. Februar 2022`,
/// `24 de febrero de 2022`, `le 24 février 2022`, `February 2022` (unresolved day).
fn month_name_at(s: &str, toks: &[Tok], i: usize) -> Option<(Found, usize)> {
    // Day first: NUM ['.'] [ordinal] [de|of|the] MONTH ['.'] [de|del|,] [YEAR]
    if let Some((day, dd)) = num(toks.get(i)) {
        if dd > 2 || day == 0 || day > 31 {
            return None;
        }
        let mut j = i + 1;
        if punct(toks.get(j)) == Some('.') {
            j += 1;
        }
        if toks.get(j).is_some_and(|t| is_ordinal_suffix(s, t)) {
            j += 1;
        }
        if toks.get(j).is_some_and(|t| is_filler(s, t)) {
            j += 1;
        }
        let t = toks.get(j)?;
        if t.kind != Kind::Word {
            return None;
        }
        let month = Some(u32::from(t.class & MONTH_MASK)).filter(|m| *m != 0)?;
        let mut end = t.end;
        j += 1;
        if punct(toks.get(j)) == Some('.') && !toks[j].space_before {
            end = toks[j].end;
            j += 1;
        }
        let mut k = j;
        if toks.get(k).is_some_and(|t| is_filler(s, t)) || punct(toks.get(k)) == Some(',') {
            k += 1;
        }
        let ymd = match num(toks.get(k)) {
            Some((y, 4)) => {
                end = toks[k].end;
                j = k + 1;
                valid_ymd(y, month, day)
            }
            _ => None,
        };
        return Some((
            Found {
                start: toks[i].start,
                end,
                ymd,
                relative: false,
            },
            j,
        ));
    }
    // Month first: MONTH ['.'] NUM [ordinal] [','] [YEAR]  |  MONTH YEAR
    let t = toks.get(i)?;
    if t.kind != Kind::Word {
        return None;
    }
    let month = Some(u32::from(t.class & MONTH_MASK)).filter(|m| *m != 0)?;
    let mut j = i + 1;
    if punct(toks.get(j)) == Some('.') && !toks[j].space_before {
        j += 1;
    }
    let (n, nd) = num(toks.get(j))?;
    if nd == 4 {
        // "February 2022": a month, no day.
        return Some((
            Found {
                start: t.start,
                end: toks[j].end,
                ymd: None,
                relative: false,
            },
            j + 1,
        ));
    }
    if nd > 2 || n == 0 || n > 31 {
        return None;
    }
    let mut end = toks[j].end;
    j += 1;
    if toks.get(j).is_some_and(|t| is_ordinal_suffix(s, t)) {
        end = toks[j].end;
        j += 1;
    }
    let mut k = j;
    if punct(toks.get(k)) == Some(',') {
        k += 1;
    }
    let ymd = match num(toks.get(k)) {
        Some((y, 4)) => {
            end = toks[k].end;
            j = k + 1;
            valid_ymd(y, month, n)
        }
        _ => None,
    };
    // "May 5" with a lower-case "may" is the verb, not the month.
    if month == 5 && s[t.start..t.end].starts_with('m') {
        return None;
    }
    Some((
        Found {
            start: t.start,
            end,
            ymd,
            relative: false,
        },
        j,
    ))
}

/// "yesterday", "Thursday", "last week", "earlier this year", "3 hours ago", "vor 2 Tagen",
/// "hace 3 días", "il y a 3 jours", "semaine dernière".
fn relative_at(toks: &[Tok], i: usize) -> Option<(Found, usize)> {
    let class = |k: usize| {
        toks.get(k)
            .filter(|t| t.kind == Kind::Word)
            .map_or(0, |t| t.class)
    };
    let is = |k: usize, flag: u16| class(k) & flag != 0;
    let rel = |start: usize, end_tok: usize| {
        Some((
            Found {
                start: toks[start].start,
                end: toks[end_tok].end,
                ymd: None,
                relative: true,
            },
            end_tok + 1,
        ))
    };
    let count_word = |k: usize| num(toks.get(k)).is_some() || is(k, COUNT);
    // N <unit> ago
    if count_word(i) && is(i + 1, UNIT) && is(i + 2, AGO) {
        return rel(i, i + 2);
    }
    if class(i) == 0 {
        return None;
    }
    // vor N <unit> / hace N <unit>
    if is(i, VOR_HACE) && count_word(i + 1) && is(i + 2, UNIT) {
        return rel(i, i + 2);
    }
    // il y a N <unit>
    if is(i, IL_Y) && is(i + 1, IL_Y) && is(i + 2, COUNT) && count_word(i + 3) && is(i + 4, UNIT) {
        return rel(i, i + 4);
    }
    // [earlier|later] last/this/next <period>
    let j = if is(i, EARLY) && is(i + 1, THIS_LAST) {
        i + 1
    } else {
        i
    };
    if is(j, LEAD) && is(j + 1, PERIOD) {
        return rel(i, j + 1);
    }
    // <period> dernière / pasada
    if is(i, PERIOD) && is(i + 1, TRAIL) {
        return rel(i, i + 1);
    }
    if is(i, REL_WORD | WEEKDAY) {
        return rel(i, i);
    }
    None
}

/// Every date mentioned in `text`, in order: absolute dates (`Feb. 24, 2022`, `24.02.2022`,
/// `24 de febrero de 2022`) as [`DateSource::InText`] with the calendar date when it resolves,
/// and relative ones (`last week`, `Thursday`, `3 hours ago`) as [`DateSource::Relative`].
pub fn find_dates(text: &str, out: &mut Vec<DateMention>) {
    for f in scan(text) {
        out.push(DateMention {
            raw: text[f.start..f.end].to_owned(),
            source: if f.relative {
                DateSource::Relative
            } else {
                DateSource::InText
            },
            ymd: f.ymd,
        });
    }
}

/// A visible line that is mostly a date: `Date:2025-04-15 02:44:08`, `Published: 12/03/2024`,
/// `Updated 3 hours ago`, `Thursday, March 5, 2024`. The line must be short and hold a date
/// (absolute, or "N units ago" / a relative word), and what remains once dates, times and
/// punctuation are taken away is at most three words (a label such as "Posted on").
pub fn date_line(line: &str) -> Option<DateMention> {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > 80 {
        return None;
    }
    let found = scan(line);
    let first = found.first()?;
    // A lone weekday or "today" is a date line only next to something else that is a date.
    // ... or next to a clock time ("Yesterday at 10:30").
    let strong = has_digit_sep(line, b":")
        || found
            .iter()
            .any(|f| !f.relative || line[f.start..f.end].split_whitespace().count() > 1);
    if !strong {
        return None;
    }
    let mut rest_words = 0;
    let mut pos = 0;
    for f in &found {
        rest_words += label_words(&line[pos..f.start]);
        pos = f.end;
    }
    rest_words += label_words(&line[pos..]);
    (rest_words <= 3).then(|| DateMention {
        raw: line.to_owned(),
        source: DateSource::VisibleLine,
        ymd: found.iter().find_map(|f| f.ymd).or(first.ymd),
    })
}

/// Words left in a date line's gaps, not counting times, AM/PM, time-zone codes and short
/// connectors.
fn label_words(gap: &str) -> usize {
    gap.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| {
            let upper_code = w.len() <= 4 && w.chars().all(|c| c.is_ascii_uppercase());
            !upper_code
                && !in_list(
                    w,
                    &[
                        "am", "pm", "at", "um", "à", "a", "las", "on", "le", "el", "am", "h", "uhr",
                    ],
                )
        })
        .count()
}

/// A wire-service dateline at the start of `line`: `WASHINGTON (AP) —`, `LONDON (Reuters) -`,
/// `BERLIN (dpa) -`, `(AFP) -`, `KYIV, Ukraine (AP) —`. The agency is a short parenthesised
/// name right after an upper-case place (or at the line start), followed by a dash (the dash
/// may be missing after an upper-case place or an upper-case agency). Returns the dateline as
/// written, dash included.
pub fn dateline(line: &str) -> Option<&str> {
    let line = line.trim_start();
    let head_end = line.char_indices().nth(80).map_or(line.len(), |(i, _)| i);
    let open = line[..head_end].find('(')?;
    let close = open + line[open..].find(')')?;
    let agency = line[open + 1..close].trim();
    let agency_chars = agency.chars().count();
    if !(2..=24).contains(&agency_chars)
        || !agency.chars().next().is_some_and(char::is_alphabetic)
        || !agency
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '-' | '&' | '/'))
        || agency.split_whitespace().count() > 3
    {
        return None;
    }
    let place = line[..open].trim();
    let place_ok = place.is_empty() || {
        let first = place.split([' ', ',']).next().unwrap_or("");
        let letters = first.chars().filter(|c| c.is_alphabetic()).count();
        letters >= 2
            && first
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
            && place.split_whitespace().count() <= 5
            && !place.contains(['!', '?', ':'])
            // a period only closes an abbreviation ("ST. LOUIS", "Minn.", "Jan. 5", "D.C."),
            // never a sentence
            && place
                .split([' ', ','])
                .filter(|w| w.contains('.'))
                .all(|w| w.chars().filter(|c| c.is_alphabetic()).count() <= 5
                    && w.chars().all(|c| c.is_alphabetic() || c == '.'))
    };
    if !place_ok {
        return None;
    }
    let after = &line[close + 1..];
    let trimmed = after.trim_start();
    let dash = trimmed
        .chars()
        .next()
        .filter(|c| matches!(c, '—' | '–' | '-' | '―' | ':'));
    let end = match dash {
        Some(d) => close + 1 + (after.len() - trimmed.len()) + d.len_utf8(),
        None => {
            let upper_agency = agency.chars().filter(|c| c.is_uppercase()).count() >= 2;
            if place.is_empty() && !upper_agency {
                return None;
            }
            close + 1
        }
    };
    Some(line[..end].trim_end())
}

/// Whether `s` has one of `seps` between two ASCII digits ("10:30", "12/03").
fn has_digit_sep(s: &str, seps: &[u8]) -> bool {
    s.as_bytes()
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && seps.contains(&w[1]) && w[2].is_ascii_digit())
}

/// An author line: `By Jane Doe`, `BY JANE DOE AND MAX ROE`, `Von Max Muster`, `Par Marie
/// Curie`, `Por Ana García`, `Author: Jane Doe`, `By Jane Doe, Staff Writer`. The name part (up
/// to a comma, `|` or dash) is one to five words that start upper-case, not a month or weekday.
pub fn byline(line: &str) -> Option<&str> {
    let line = line.trim();
    const LEADS: &[&str] = &[
        "By ",
        "BY ",
        "Von ",
        "VON ",
        "Par ",
        "PAR ",
        "Por ",
        "POR ",
        "Di ",
        "Door ",
        "by ",
        "von ",
        "par ",
        "por ",
        "Written by ",
        "Words by ",
        "Text: ",
        "Author: ",
        "Autor: ",
        "Autorin: ",
        "Auteur : ",
        "Auteur: ",
        "Story by ",
        "Reporting by ",
    ];
    // the lead first: it rejects almost every line, and costs less than counting words
    let rest = LEADS.iter().find_map(|l| line.strip_prefix(l))?;
    if line.chars().count() > 100 || word_units(line) > 14 {
        return None;
    }
    let name = rest
        .split([',', '|', '—', '–', '(', '/'])
        .next()
        .unwrap_or("")
        .split(" - ")
        .next()
        .unwrap_or("")
        .trim();
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return None;
    }
    const CONNECTORS: &[&str] = &[
        "and", "und", "et", "y", "e", "van", "von", "der", "de", "da", "del", "la", "le", "di",
    ];
    let mut capitalised = 0;
    for w in &words {
        let first = w.chars().next()?;
        if first.is_uppercase() {
            if is_calendar_word(w.trim_end_matches(['.', ','])) {
                return None;
            }
            capitalised += 1;
        } else if !CONNECTORS.contains(&w.to_lowercase().as_str()) {
            return None;
        }
    }
    (capitalised >= 1).then_some(line)
}

/// Engagement labels that make "label number" a counter even without parentheses.
const COUNTER_WORDS: &[&str] = &[
    "views",
    "view",
    "likes",
    "like",
    "comments",
    "comment",
    "shares",
    "share",
    "votes",
    "vote",
    "reads",
    "readers",
    "viewers",
    "followers",
    "fans",
    "reactions",
    "replies",
    "retweets",
    "clicks",
    "plays",
    "hits",
    "aufrufe",
    "ansichten",
    "kommentare",
    "gefällt",
    "vues",
    "commentaires",
    "partages",
    "vistas",
    "visitas",
    "comentarios",
    "compartidos",
    "lecturas",
    "阅读",
    "评论",
    "点赞",
    "浏览",
    "赞",
    "人气",
    "次",
    "просмотров",
    "просмотры",
    "комментариев",
];

/// Reaction and praise buttons that make "label number" a counter when the label is nothing
/// else: one of these words ("Nice 88,344", "Wow! 3,402", "Haha 12") or phrases ("Thumbs up
/// 1,024"). Alone only: "Super Bowl 50" and "Great Lakes 2" are no counters.
const REACTION_WORDS: &[&str] = &[
    "love",
    "haha",
    "wow",
    "sad",
    "angry",
    "nice",
    "good",
    "great",
    "awesome",
    "cool",
    "amazing",
    "excellent",
    "helpful",
    "useful",
    "upvote",
    "upvotes",
    "kudos",
    "claps",
    "applause",
    "bravo",
    "super",
    "toll",
    "genial",
    "génial",
    "excelente",
    "j'aime",
    "好评",
    "精彩",
    "支持",
];
/// Two-word reaction labels, lowercased.
const REACTION_PHRASES: &[&str] = &[
    "thumbs up",
    "love it",
    "good job",
    "well done",
    "me gusta",
    "daumen hoch",
    "très bien",
];

/// Verbs of a count of readings ("Read 45,231 times", "12,345 people viewed this").
const READ_VERBS: &[&str] = &[
    "read",
    "viewed",
    "seen",
    "watched",
    "played",
    "shared",
    "liked",
    "gelesen",
    "aufgerufen",
    "angesehen",
    "lu",
    "vu",
    "leído",
    "visto",
    "letto",
];
/// What such a count counts: times, or people.
const READ_UNITS: &[&str] = &[
    "times",
    "people",
    "users",
    "visitors",
    "mal",
    "fois",
    "veces",
    "volte",
    "personen",
    "personnes",
    "personas",
];

/// Whether the label words say how often the page was read: a reading verb and a unit ("Read
/// 45,231 times", "Viewed 55,120 times", "12,345 people read this", "34.567 mal gelesen").
fn read_times(words: &[&str]) -> bool {
    words.iter().any(|w| in_list(w, READ_VERBS)) && words.iter().any(|w| in_list(w, READ_UNITS))
}

/// Whether the label words of a counter candidate are a reaction button and nothing else.
fn reaction_label(words: &[&str]) -> bool {
    match words {
        [w] => in_list(w, REACTION_WORDS),
        [a, b] => {
            let phrase = format!("{} {}", a.to_lowercase(), b.to_lowercase());
            REACTION_PHRASES.contains(&phrase.as_str())
        }
        _ => false,
    }
}

/// An engagement counter: a short line that is a label (or an emoji) plus one number:
/// `veryGood! (63925)`, `12.5K views`, `Likes 340`, `👍 1,024`, `阅读 3200`, `Nice 88,344`. The
/// number is in parentheses, has a K/M suffix, stands next to a symbol-only label, or the label
/// is an engagement word or a reaction button; dates, times, prices, percentages and bare years
/// are not counters.
pub fn counter(line: &str) -> Option<&str> {
    read_counter(line).map(|_| line.trim())
}

/// [`counter`]'s reading of `line`: `Some(true)` when its label is a button (an engagement or
/// reaction word, or a symbol such as 👍), `Some(false)` for another counter.
fn read_counter(line: &str) -> Option<bool> {
    let line = line.trim();
    let chars = line.chars().count();
    if !(2..=40).contains(&chars) {
        return None;
    }
    if line.contains(['$', '€', '£', '¥', '₹', '%', '©']) || has_digit_sep(line, b":/") {
        return None;
    }
    let b = line.as_bytes();
    // Find the single number: digits with , . separators, optional K/M suffix.
    let first = b.iter().position(u8::is_ascii_digit)?;
    let mut end = first;
    while end < b.len()
        && (b[end].is_ascii_digit()
            || ((b[end] == b',' || b[end] == b'.')
                && b.get(end + 1).is_some_and(u8::is_ascii_digit)))
    {
        end += 1;
    }
    if b[end..].iter().any(u8::is_ascii_digit) {
        return None;
    }
    let number = &line[first..end];
    let digits = number.bytes().filter(u8::is_ascii_digit).count();
    let suffix = line[end..]
        .chars()
        .next()
        .is_some_and(|c| matches!(c, 'K' | 'k' | 'M' | 'm' | 'B' | '万' | '千'))
        && !line[end..].chars().nth(1).is_some_and(char::is_alphabetic);
    let bare_year = digits == 4
        && !number.contains([',', '.'])
        && number
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2100).contains(&y));
    if bare_year && !suffix {
        return None;
    }
    let before = line[..first].trim_end();
    // A number after a comparison is a measured quantity ("Platelets < 150K", "n = 24"), not
    // a count of readers.
    if before.ends_with(['<', '>', '=', '≤', '≥', '≈', '~', '±']) {
        return None;
    }
    // The K/M suffix belongs to the number, not the label: "193B+" alone has no label.
    let after = if suffix {
        let mut rest = line[end..].chars();
        rest.next();
        rest.as_str()
    } else {
        &line[end..]
    }
    .trim_start();
    let parenthesised = before.ends_with(['(', '[', '（']) && after.starts_with([')', ']', '）']);
    let label = format!("{before} {after}");
    let label_words: Vec<&str> = label
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty() && w.chars().any(char::is_alphabetic))
        .collect();
    if label_words.len() > 3 {
        return None;
    }
    let symbol_label = label_words.is_empty()
        && label
            .chars()
            .any(|c| !c.is_whitespace() && !c.is_ascii_punctuation());
    let engagement = label_words.iter().any(|w| {
        in_list(w, COUNTER_WORDS) || COUNTER_WORDS.iter().any(|c| !c.is_ascii() && w.contains(c))
    }) || read_times(&label_words);
    // A reaction button counts clicks: a whole number ("4.0 Excellent" is a rating, "3.1 Love"
    // a numbered section).
    let whole = suffix || !number.contains('.');
    let engagement = engagement || (whole && reaction_label(&label_words));
    let label_ok = !label_words.is_empty() || symbol_label;
    (label_ok && (parenthesised || suffix && !label_words.is_empty() || symbol_label || engagement))
        .then_some(engagement || symbol_label)
}

/// The engagement counters of one line: the line itself when it is a [`counter`], else the
/// parts of a [`counter_row`].
pub fn counters(line: &str) -> Option<Vec<&str>> {
    counter(line).map(|c| vec![c]).or_else(|| counter_row(line))
}

/// Most counters read from one row of reaction buttons.
const MAX_COUNTER_ROW: usize = 8;

/// A row of reaction buttons on one line, `Helpful (41,621) Like (850)` or `Like [12] Love
/// [3] Haha [1]` (split after each closing bracket), or of counters set apart by a middle dot,
/// bullet or bar, `Views 12,345 · Shares 2,341`: every part must be a [`counter`] whose label
/// is a button (so neither a sentence with two bracketed numbers nor a shop's facet list,
/// `Products (43) Expert Advice (31)`, nor a byline row, `Jane Doe · 5 min read`, is one).
/// `None` for fewer than two parts.
pub fn counter_row(line: &str) -> Option<Vec<&str>> {
    bracketed_row(line).or_else(|| separated_row(line))
}

/// [`counter_row`] of parts separated by `·`, `•` or `|`.
fn separated_row(line: &str) -> Option<Vec<&str>> {
    if !line.contains(['·', '•', '|']) {
        return None;
    }
    let parts: Vec<&str> = line
        .split(['·', '•', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .take(MAX_COUNTER_ROW + 1)
        .collect();
    ((2..=MAX_COUNTER_ROW).contains(&parts.len())
        && parts.iter().all(|p| read_counter(p) == Some(true)))
    .then_some(parts)
}

/// [`counter_row`] of parts that each end in a closing bracket.
fn bracketed_row(line: &str) -> Option<Vec<&str>> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in line.char_indices() {
        if matches!(c, ')' | ']' | '）') {
            let end = i + c.len_utf8();
            let part = line[start..end].trim();
            if !part.is_empty() {
                parts.push(part);
            }
            start = end;
            if parts.len() > MAX_COUNTER_ROW {
                return None;
            }
        }
    }
    if !line[start..].trim().is_empty() {
        parts.push(line[start..].trim());
    }
    (parts.len() >= 2
        && parts.len() <= MAX_COUNTER_ROW
        && parts.iter().all(|p| read_counter(p) == Some(true)))
    .then_some(parts)
}

/// A breadcrumb trail in `line`: `Home > Stocks`, `Home / News / World`, `Startseite » Politik`,
/// `You are here: Home › Markets`. Parts are split on `>`, `›`, `»`, `→`, ` / ` or ` \ `; there
/// must be at least two, all short (the last may be a headline). A leading label ending in `:`
/// is dropped.
pub fn breadcrumb(line: &str) -> Option<Vec<String>> {
    let line = line.trim();
    // Every separator below has one of these bytes ('›' and '→' end in 0xBA and 0x92, '»' in
    // 0xBB): a line with none cannot be a trail, and most lines are turned away here.
    if !line
        .bytes()
        .any(|b| matches!(b, b'>' | b'/' | b'\\' | b'|' | 0xBA | 0xBB | 0x92))
    {
        return None;
    }
    if line.chars().count() > 200 {
        return None;
    }
    // a "You are here:" label, with an ASCII or a full-width (CJK) colon
    let labelled = match line.split_once([':', '：']) {
        Some((label, rest))
            if label.chars().count() <= 25
                && word_units(label) <= 3
                && !label.contains(['>', '›', '»', '→', '/']) =>
        {
            Some(rest)
        }
        _ => None,
    };
    let body = labelled.unwrap_or(line);
    const SEPS: &[&str] = &[">", "›", "»", "→", " / ", " \\ ", " | "];
    for sep in SEPS {
        // "Headline | Site" is a title: a pipe trail counts only behind a label or from a root
        // crumb, and with short parts ("Location: Home | Tech", "Home | Fitness").
        let pipe = *sep == " | ";
        if pipe && labelled.is_none() && !starts_at_root(body) {
            continue;
        }
        let parts: Vec<&str> = body.split(sep).map(str::trim).collect();
        if parts.len() < 2 {
            continue;
        }
        let last = parts.len() - 1;
        let ok = parts.iter().enumerate().all(|(i, p)| {
            // the last part may be the headline the trail leads to (behind a pipe only when a
            // label says it is a trail: "Headline | Site" is a title)
            let (max_chars, max_words) = if i == last && (!pipe || labelled.is_some()) {
                (120, 20)
            } else {
                (40, 5)
            };
            !p.is_empty()
                && p.chars().next().is_some_and(char::is_alphanumeric)
                && p.chars().any(char::is_alphabetic)
                && p.chars().count() <= max_chars
                && word_units(p) <= max_words
                // a one- or two-word crumb ending in a full stop is an abbreviation ("U.S.")
                && (!ends_sentence(p) || word_units(p) <= 2)
                && (i == last || !p.contains(','))
        });
        if ok {
            return Some(parts.into_iter().map(str::to_owned).collect());
        }
    }
    None
}

/// The first crumb of a trail in many languages: the site's home page.
const ROOT_CRUMBS: &[&str] = &[
    "home",
    "homepage",
    "startseite",
    "accueil",
    "inicio",
    "início",
    "home page",
    "главная",
    "首页",
    "首頁",
    "ホーム",
    "홈",
];

/// A [`breadcrumb`] trail that starts at the site's home page ("Home > Nation", "Startseite »
/// Politik"): no block heading or menu looks like that.
pub fn root_breadcrumb(line: &str) -> Option<Vec<String>> {
    breadcrumb(line).filter(|parts| parts.first().is_some_and(|first| is_root_crumb(first)))
}

/// Whether `crumb` names the site's home page ([`ROOT_CRUMBS`]).
fn is_root_crumb(crumb: &str) -> bool {
    ROOT_CRUMBS.contains(&crumb.trim().to_lowercase().as_str())
}

/// Whether `body` starts with a root crumb followed by a pipe ("Home | Fitness").
fn starts_at_root(body: &str) -> bool {
    body.split_once(" | ")
        .is_some_and(|(first, _)| is_root_crumb(first))
}

/// Splits a title into the headline and a site-name suffix: `Headline - Site`, `Headline |
/// Site`, `Headline — Site`, and a short tail in another script after a dash (`Headline
/// -消息`). The suffix must be short (at most 5 words / 40 characters) and shorter than the
/// headline. Returns the headline and the suffix (without the separator).
pub fn split_title(raw: &str) -> (&str, Option<&str>) {
    let raw = raw.trim();
    const SEPS: &[&str] = &[
        " | ", " - ", " – ", " — ", " :: ", " · ", " » ", " « ", " ｜ ", "｜",
    ];
    let best = SEPS
        .iter()
        .filter_map(|sep| raw.rfind(sep).map(|p| (p, sep.len())))
        .max_by_key(|(p, _)| *p);
    if let Some((p, len)) = best {
        let head = raw[..p].trim_end();
        let tail = raw[p + len..].trim();
        if !tail.is_empty()
            && tail.chars().count() <= 40
            && word_units(tail) <= 5
            && head.chars().count() >= tail.chars().count()
            && word_units(head) >= 2
        {
            return (head, Some(tail));
        }
    }
    // A short tail in another script after a dash or bar, spaces or not: "Headline -消息".
    if let Some(p) = raw.rfind(['-', '|', '–', '—', '_']) {
        let head = raw[..p].trim_end();
        let tail = raw[p..]
            .trim_start_matches(['-', '|', '–', '—', '_'])
            .trim();
        let head_script = dominant_script(head);
        let tail_script = dominant_script(tail);
        if !tail.is_empty()
            && tail.chars().count() <= 15
            && head_script.is_some()
            && tail_script.is_some()
            && head_script != tail_script
            && word_units(head) >= 3
            && !tail
                .chars()
                .any(|c| c.is_alphabetic() && Some(script_of(c)) == head_script)
        {
            return (head, Some(tail));
        }
    }
    (raw, None)
}

/// The one-line facts of a page, collected line by line: what an extractor fills `Page::dates`,
/// `datelines`, `bylines`, `counters` and `breadcrumb` from. Feed every visible line (block
/// texts) to [`LineFacts::visible_line`] and the main-text paragraphs to
/// [`LineFacts::paragraph`]. Each list is capped so a hostile page cannot grow it unbounded.
#[derive(Debug, Clone, Default)]
pub struct LineFacts {
    /// Visible date lines, then dates mentioned in paragraphs, in the order fed.
    pub dates: Vec<DateMention>,
    /// Wire datelines found at the start of paragraphs.
    pub datelines: Vec<String>,
    /// Author lines.
    pub bylines: Vec<String>,
    /// Engagement counters.
    pub counters: Vec<String>,
    /// The first breadcrumb trail seen on a visible line.
    pub breadcrumb: Option<Vec<String>>,
}

impl LineFacts {
    /// Most dates kept.
    pub const MAX_DATES: usize = 256;
    /// Most datelines, bylines and counters kept (each).
    pub const MAX_LINES: usize = 32;

    /// Reads one short visible line: a date line, a counter, a byline, a breadcrumb trail.
    /// Long lines (over 200 characters) are skipped: none of these facts is that long.
    pub fn visible_line(&mut self, line: &str) {
        let line = line.trim();
        if line.is_empty() || line.len() > 800 || line.chars().count() > 200 {
            return;
        }
        if let Some(d) = date_line(line) {
            if self.dates.len() < Self::MAX_DATES {
                self.dates.push(d);
            }
        } else if let Some(row) = counters(line) {
            for c in row {
                push_capped(&mut self.counters, c);
            }
        } else if let Some(b) = byline(line) {
            push_capped(&mut self.bylines, b);
        } else if self.breadcrumb.is_none() {
            self.breadcrumb = breadcrumb(line);
        }
    }

    /// Reads one paragraph of main text: a wire dateline at its start, dates mentioned in it.
    pub fn paragraph(&mut self, text: &str) {
        if let Some(d) = dateline(text) {
            push_capped(&mut self.datelines, d);
        }
        if self.dates.len() < Self::MAX_DATES {
            find_dates(text, &mut self.dates);
            self.dates.truncate(Self::MAX_DATES);
        }
    }
}

fn push_capped(list: &mut Vec<String>, item: &str) {
    if list.len() < LineFacts::MAX_LINES && !list.iter().any(|x| x == item) {
        list.push(item.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Row = (String, DateSource, Option<(i32, u32, u32)>);

    fn dates(s: &str) -> Vec<Row> {
        let mut out = Vec::new();
        find_dates(s, &mut out);
        out.into_iter().map(|d| (d.raw, d.source, d.ymd)).collect()
    }

    #[test]
    fn absolute_dates_in_text() {
        let d = dates("The deal closed on Feb. 24, 2022 after talks.");
        assert_eq!(
            d,
            vec![(
                "Feb. 24, 2022".into(),
                DateSource::InText,
                Some((2022, 2, 24))
            )]
        );
        assert_eq!(
            dates("Signed February 24th, 2022.")[0].2,
            Some((2022, 2, 24))
        );
        assert_eq!(
            dates("Since 24 February 2022 the")[0].2,
            Some((2022, 2, 24))
        );
        assert_eq!(
            dates("Stand: 2022-02-24 and more")[0].2,
            Some((2022, 2, 24))
        );
        assert_eq!(dates("Am 24.02.2022 begann")[0].2, Some((2022, 2, 24)));
        assert_eq!(dates("Am 3. März 2021 wurde")[0].2, Some((2021, 3, 3)));
        assert_eq!(dates("publié le 5 août 2023")[0].2, Some((2023, 8, 5)));
        assert_eq!(dates("el 7 de diciembre de 2020")[0].2, Some((2020, 12, 7)));
        assert_eq!(dates("on 12/03/2024")[0].2, Some((2024, 12, 3)));
        assert_eq!(dates("on 25/03/2024")[0].2, Some((2024, 3, 25)));
        // Chinese, Japanese and Korean dates, with the text running on after the marker
        assert_eq!(
            dates("发布时间：2022年2月24日发布"),
            vec![(
                "2022年2月24日".into(),
                DateSource::InText,
                Some((2022, 2, 24))
            )]
        );
        assert_eq!(dates("2021年3月の記事")[0].0, "2021年3月");
        assert_eq!(dates("2021年3月の記事")[0].2, None);
        assert_eq!(dates("2020년 12월 7일 발표")[0].2, Some((2020, 12, 7)));
        // a fiscal year is no date; nor is a thirteenth month
        assert!(dates("2022年度の予算").is_empty());
        assert!(dates("2022年13月").is_empty());
        // Not dates: versions, impossible days, the verb "may".
        assert!(dates("version 1.2.3.4 is out").is_empty());
        assert!(dates("we may 5 times").is_empty());
        assert_eq!(dates("due 2023-02-30")[0..].len(), 0);
        // A month with a year but no day is a mention without a calendar date.
        assert_eq!(
            dates("until January 2025 under")[0],
            ("January 2025".into(), DateSource::InText, None)
        );
    }

    #[test]
    fn relative_dates() {
        let d = dates("The office said on Thursday that he spoke last week, and earlier this year a report came 3 hours ago.");
        let raws: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(
            raws,
            ["Thursday", "last week", "earlier this year", "3 hours ago"]
        );
        assert!(d
            .iter()
            .all(|x| x.1 == DateSource::Relative && x.2.is_none()));
        let raws: Vec<String> = dates("vor 2 Tagen und gestern; hace 3 días; la semaine dernière")
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(
            raws,
            ["vor 2 Tagen", "gestern", "hace 3 días", "semaine dernière"]
        );
    }

    #[test]
    fn date_lines() {
        let d = date_line("Date:2025-04-15 02:44:08").unwrap();
        assert_eq!(d.source, DateSource::VisibleLine);
        assert_eq!(d.ymd, Some((2025, 4, 15)));
        assert_eq!(
            date_line("Published: 12/03/2024").unwrap().ymd,
            Some((2024, 12, 3))
        );
        assert!(date_line("Updated 3 hours ago").is_some());
        assert!(date_line("Yesterday at 10:30").is_some());
        assert!(date_line("Thursday, March 5, 2024 at 10:30 AM EST").is_some());
        assert!(date_line("Veröffentlicht am 24.02.2022, 14:05 Uhr").is_some());
        // Sentences with dates are not date lines; neither is a bare weekday.
        assert!(
            date_line("The treaty was signed by both parties on March 5, 2024 in Paris.").is_none()
        );
        assert!(date_line("Thursday").is_none());
        assert!(date_line("No date here at all").is_none());
    }

    #[test]
    fn datelines() {
        assert_eq!(
            dateline("WASHINGTON (AP) — The White House said"),
            Some("WASHINGTON (AP) —")
        );
        assert_eq!(
            dateline("LONDON (Reuters) - Shares fell"),
            Some("LONDON (Reuters) -")
        );
        assert_eq!(
            dateline("BERLIN (dpa) - Die Regierung"),
            Some("BERLIN (dpa) -")
        );
        assert_eq!(
            dateline("KYIV, Ukraine (AP) — Drones hit"),
            Some("KYIV, Ukraine (AP) —")
        );
        assert_eq!(dateline("(AFP) Officials said"), Some("(AFP)"));
        // periods of abbreviations in the place or date, and a double hyphen
        assert_eq!(
            dateline("BEIJING, Jan. 5 (Xinhua) -- China said"),
            Some("BEIJING, Jan. 5 (Xinhua) -")
        );
        assert_eq!(
            dateline("ST. PAUL, Minn. (AP) — Lawmakers"),
            Some("ST. PAUL, Minn. (AP) —")
        );
        assert_eq!(
            dateline("WASHINGTON, D.C. (Reuters) - The"),
            Some("WASHINGTON, D.C. (Reuters) -")
        );
        // a sentence before a bracket is no place
        assert_eq!(dateline("He left. Then (AP) - it"), None);
        assert_eq!(dateline("The minister (who resigned) - said"), None);
        assert_eq!(dateline("We met (briefly) at noon."), None);
        assert_eq!(dateline("Prices rose (12%) -"), None);
    }

    #[test]
    fn bylines() {
        assert_eq!(byline("By Jane Doe"), Some("By Jane Doe"));
        assert!(byline("By Jane Doe, Staff Writer").is_some());
        assert!(byline("Von Max Muster und Erika Beispiel").is_some());
        assert!(byline("Por Ana García").is_some());
        assert!(byline("by Sam Okafor").is_some());
        assert!(byline("by the way, we left").is_none());
        assert!(byline("Author: Li Wei").is_some());
        assert!(byline("By Thursday, the committee will vote").is_none());
        assert!(byline("By then it was too late to act").is_none());
        assert!(byline("Bylines are short").is_none());
    }

    #[test]
    fn counters() {
        for ok in [
            "Views: 1,234",
            "Comments: 56",
            "veryGood! (63925)",
            "12.5K views",
            "👍 12K",
            "Likes 340",
            "👍 1,024",
            "Comments (12)",
            "阅读 3200",
            // reaction buttons with a bare number
            "Nice 88,344",
            "Wow! 3,402",
            "Haha 12",
            "Thumbs up 1,024",
            "Génial 5430",
            // how often it was read
            "Read 45,231 times",
            "Viewed 55,120 times",
            "12,345 people read this",
            "15,832 readers",
            "34.567 mal gelesen",
        ] {
            assert_eq!(counter(ok), Some(ok), "{ok}");
        }
        for no in [
            "© 2024",
            "Top 10",
            "$440 million",
            "Page 2 of 9",
            "10:30",
            "2024",
            "Chapter 12",
            "50% off",
            "Related",
            // a service page's figures: the suffix is not a label
            "193B+",
            "10M+",
            // a measured quantity after a comparison (a medical page's lab values)
            "· Platelets < 150K.",
            "Keep platelets > 75K",
            "n = 240",
            // a reaction word among other words is a name or a phrase, not a button
            "Super Bowl 50",
            "Great Lakes 2",
            "Good news 3",
            "Cool Runnings 2",
            // people, but no reading
            "12,345 people died",
            "Read 5 things",
            // a rating or a numbered section
            "4.0 Excellent",
            "3.1 Love",
        ] {
            assert_eq!(counter(no), None, "{no}");
        }
    }

    #[test]
    fn counter_rows() {
        assert_eq!(
            counter_row("Helpful (41,621)   Like (850)"),
            Some(vec!["Helpful (41,621)", "Like (850)"])
        );
        assert_eq!(
            counter_row("Like [12] Love [3] Haha [1]"),
            Some(vec!["Like [12]", "Love [3]", "Haha [1]"])
        );
        assert_eq!(
            counter_row("Views 12,345 · Shares 2,341"),
            Some(vec!["Views 12,345", "Shares 2,341"])
        );
        assert_eq!(
            counter_row("12.3K shares • 3.1K comments | 👍 88K"),
            Some(vec!["12.3K shares", "3.1K comments", "👍 88K"])
        );
        for no in [
            // a byline row with one counter, a menu of sections
            "Jane Doe · 5 min read · 1.2K views",
            "News | Sport 2 | Weather",
            "Chapter 3 · Part 2",
            "Like (850)",
            "Sales rose (12%) and costs fell (3%)",
            "See chapter (12) and table (3) for details",
            "Comments (12) and more",
            "Products (43) Expert Advice (31)",
            "Bridgend County [1], Cardiff County [2]",
        ] {
            assert_eq!(counter_row(no), None, "{no}");
        }
        let mut f = LineFacts::default();
        f.visible_line("Great! (45,678) Nice (1,234)");
        assert_eq!(f.counters, ["Great! (45,678)", "Nice (1,234)"]);
    }

    #[test]
    fn breadcrumbs() {
        assert_eq!(breadcrumb("Home > Stocks").unwrap(), ["Home", "Stocks"]);
        assert_eq!(
            breadcrumb("Home / News / World").unwrap(),
            ["Home", "News", "World"]
        );
        assert_eq!(
            breadcrumb("Startseite » Politik » Ausland").unwrap().len(),
            3
        );
        assert_eq!(
            breadcrumb("You are here: Home › Markets").unwrap(),
            ["Home", "Markets"]
        );
        assert_eq!(
            breadcrumb("当前位置：Home | Tech").unwrap(),
            ["Home", "Tech"]
        );
        // every separator passes the first byte test, the multi-byte ones included
        assert_eq!(
            breadcrumb("Home → Sport → Football").unwrap(),
            ["Home", "Sport", "Football"]
        );
        assert_eq!(breadcrumb("Home \\ Docs").unwrap(), ["Home", "Docs"]);
        // a pipe without a label is a title's site suffix, not a trail
        assert!(breadcrumb("Small adventures with small language models | engora.com").is_none());
        assert!(breadcrumb("If 3 > 2 then we win, said the coach.").is_none());
        assert!(breadcrumb("and/or").is_none());
        assert!(breadcrumb("Just a line").is_none());
    }

    #[test]
    fn title_suffixes() {
        assert_eq!(
            split_title("Rates rise again - The Daily Ledger"),
            ("Rates rise again", Some("The Daily Ledger"))
        );
        assert_eq!(
            split_title("Rates rise again | Ledger"),
            ("Rates rise again", Some("Ledger"))
        );
        assert_eq!(
            split_title("Port strike ends after nine days -消息"),
            ("Port strike ends after nine days", Some("消息"))
        );
        assert_eq!(
            split_title("Port strike ends after nine days"),
            ("Port strike ends after nine days", None)
        );
        // Hyphenated words are not suffixes.
        assert_eq!(split_title("A well-known author returns").1, None);
    }

    #[test]
    fn word_units_cjk() {
        assert_eq!(word_units("three plain words"), 3);
        assert_eq!(word_units("港口罢工九天后结束"), 5);
        assert!(ends_sentence("He said so.”"));
        assert!(!ends_sentence("Related"));
    }

    #[test]
    fn arbitrary_lines_never_panic() {
        const ALPHABET: &[&str] = &[
            "1", "12", "2024", "-", "/", ".", ",", ":", "(", ")", " ", "By ", "Feb", "März", "ago",
            "il", "y", "a", "3", "K", "—", "消息", "»", ">", "|", "é", "👍", "\u{0}", "last",
            "week",
        ];
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..3_000 {
            let len = (next() % 24) as usize;
            let line: String = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            let mut out = Vec::new();
            find_dates(&line, &mut out);
            let _ = (
                date_line(&line),
                dateline(&line),
                byline(&line),
                counter(&line),
            );
            let _ = (breadcrumb(&line), split_title(&line), word_units(&line));
        }
    }

    #[test]
    fn line_facts_collects_and_caps() {
        let mut f = LineFacts::default();
        for line in [
            "Home > World > Europe",
            "By Ada Lovelace",
            "Updated 2 hours ago",
            "1.2K views",
            "1.2K views",
            "A longer visible line that is none of the facts at all, just words.",
        ] {
            f.visible_line(line);
        }
        f.paragraph("PARIS (AFP) - Talks resumed on Monday after a pause last week.");
        assert_eq!(
            f.breadcrumb.as_deref(),
            Some(&["Home".to_owned(), "World".to_owned(), "Europe".to_owned()][..])
        );
        assert_eq!(f.bylines, ["By Ada Lovelace"]);
        assert_eq!(f.counters, ["1.2K views"], "deduplicated");
        assert_eq!(f.datelines, ["PARIS (AFP) -"]);
        let raws: Vec<&str> = f.dates.iter().map(|d| d.raw.as_str()).collect();
        assert_eq!(raws, ["Updated 2 hours ago", "Monday", "last week"]);
        for _ in 0..1_000 {
            f.paragraph("It happened on 3 May 2021, then on 4 May 2021.");
        }
        assert_eq!(f.dates.len(), LineFacts::MAX_DATES);
    }
}
