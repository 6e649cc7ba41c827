//! Small helpers: stable hashing, charset sniffing, entity decoding, a visible-text dump of HTML,
//! language guessing, gzip.

use encoding_rs::Encoding;
use std::io::{Read, Write};

/// FNV-1a, 64 bit: stable across runs and platforms (unlike std's hasher).
pub fn fnv(bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Whether `key` falls in the held-out bucket (3 of 10) for the given salt.
pub fn held_out(salt: &str, key: &str) -> bool {
    fnv(format!("{salt}\u{1}{key}").as_bytes()) % 10 < 3
}

/// Reads a file, gunzipping `.gz`.
pub fn read_maybe_gz(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    let raw = std::fs::read(path)?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..]).read_to_end(&mut out)?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// Gzips bytes.
pub fn gzip(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    enc.write_all(bytes)?;
    Ok(enc.finish()?)
}

/// The charset of an HTML page: BOM, then `charset=` in the first 4 KiB, then chardetng.
/// The flag says whether the page declares it (BOM or meta).
pub fn sniff_charset(bytes: &[u8]) -> (&'static Encoding, bool) {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return (enc, true);
    }
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset=") {
        let start = from + pos + 8;
        let rest = &lower[start..];
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let end = rest
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || b"-_:.".contains(b)))
            .unwrap_or(rest.len());
        if let Some(enc) = Encoding::for_label(&rest[..end]) {
            let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                encoding_rs::UTF_8
            } else {
                enc
            };
            return (enc, true);
        }
        from = start;
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    (det.guess(None, chardetng::Utf8Detection::Allow), false)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decodes bytes with the sniffed charset.
pub fn decode_html(bytes: &[u8]) -> (String, &'static Encoding, bool) {
    let (enc, declared) = sniff_charset(bytes);
    let (text, used, _) = enc.decode(bytes);
    (text.into_owned(), used, declared)
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Decodes the common HTML entities (numeric and a few named ones).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&c| c == b';');
        let Some(end) = end else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let rep: Option<char> = if let Some(num) = name.strip_prefix('#') {
            let v = if let Some(hex) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                u32::from_str_radix(hex, 16).ok()
            } else {
                num.parse::<u32>().ok()
            };
            v.and_then(char::from_u32)
        } else {
            match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "hellip" => Some('…'),
                "rsquo" => Some('’'),
                "lsquo" => Some('‘'),
                "rdquo" => Some('”'),
                "ldquo" => Some('“'),
                "copy" => Some('©'),
                "raquo" => Some('»'),
                "laquo" => Some('«'),
                "eacute" => Some('é'),
                "egrave" => Some('è'),
                "agrave" => Some('à'),
                "auml" => Some('ä'),
                "ouml" => Some('ö'),
                "uuml" => Some('ü'),
                "Auml" => Some('Ä'),
                "Ouml" => Some('Ö'),
                "Uuml" => Some('Ü'),
                "szlig" => Some('ß'),
                "middot" => Some('·'),
                "bull" => Some('•'),
                _ => None,
            }
        };
        match rep {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "object", "select", "textarea",
];
const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "form",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "figure",
    "figcaption",
    "hr",
    "title",
    "option",
    "address",
    "body",
    "center",
    "h",
    "l",
];

/// The page as a browser would show it when its text is selected and copied: visible text, one
/// line per block, whitespace collapsed, empty lines dropped. Also returns the `<title>`.
pub fn html_to_lines(html: &str) -> (Vec<String>, String) {
    let b = html.as_bytes();
    let mut text = String::new();
    let mut title = String::new();
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        text.push_str(&html[last..i]);
        if b[i..].starts_with(b"<!--") {
            i = find(&b[i..], b"-->").map_or(b.len(), |p| i + p + 3);
            last = i;
            continue;
        }
        if b[i..].starts_with(b"<!") || b[i..].starts_with(b"<?") {
            // doctype, CDATA, processing instruction
            i = find(&b[i..], b">").map_or(b.len(), |p| i + p + 1);
            last = i;
            continue;
        }
        // tag
        let mut j = i + 1;
        let closing = j < b.len() && b[j] == b'/';
        if closing {
            j += 1;
        }
        let ns = j;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
            j += 1;
        }
        let name = html[ns..j].to_ascii_lowercase();
        if name.is_empty() {
            // a lone '<'
            text.push('<');
            i += 1;
            last = i;
            continue;
        }
        // end of tag, respecting quotes
        let mut q: Option<u8> = None;
        while j < b.len() {
            match (q, b[j]) {
                (None, b'"') | (None, b'\'') => q = Some(b[j]),
                (Some(c), x) if c == x => q = None,
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let tag_end = (j + 1).min(b.len());
        if !closing && (SKIP.contains(&name.as_str()) || name == "title") {
            let close = format!("</{name}");
            let lower_rest = &b[tag_end..];
            let pos = lower_rest
                .windows(close.len())
                .position(|w| w.eq_ignore_ascii_case(close.as_bytes()));
            let content_end = pos.map_or(b.len(), |p| tag_end + p);
            if name == "title" && title.is_empty() {
                title = collapse(&decode_entities(&html[tag_end..content_end]));
            }
            i = pos.map_or(b.len(), |p| {
                let e = tag_end + p;
                find(&b[e..], b">").map_or(b.len(), |x| e + x + 1)
            });
            last = i;
            continue;
        }
        if BLOCK.contains(&name.as_str()) {
            text.push('\n');
        } else {
            text.push(' ');
        }
        i = tag_end;
        last = i;
    }
    if last < b.len() {
        text.push_str(&html[last..]);
    }
    let text = decode_entities(&text);
    let lines = text
        .lines()
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect();
    (lines, title)
}

/// Collapses runs of whitespace into one space and trims.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

const STOP: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "of", "to", "is", "in", "that", "for", "with", "was", "are", "this",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "und", "das", "ist", "nicht", "mit", "den", "ein", "sich", "auf", "für",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "et", "des", "est", "une", "pour", "dans", "que", "pas", "sur",
        ],
    ),
    (
        "es",
        &[
            "el", "los", "que", "y", "del", "las", "por", "una", "con", "para", "como", "es",
        ],
    ),
    (
        "it",
        &[
            "il", "di", "che", "e", "per", "non", "una", "del", "della", "sono", "gli", "anche",
        ],
    ),
    (
        "nl",
        &[
            "het", "een", "van", "en", "niet", "op", "zijn", "voor", "met", "ook", "maar", "dat",
        ],
    ),
    (
        "pt",
        &[
            "os", "que", "não", "uma", "do", "da", "em", "para", "com", "são", "mais", "foi",
        ],
    ),
    (
        "pl",
        &[
            "nie", "się", "jest", "na", "że", "do", "jak", "ale", "od", "dla", "przez", "oraz",
        ],
    ),
    (
        "sv",
        &[
            "och", "att", "det", "som", "är", "på", "för", "med", "inte", "har", "till", "av",
        ],
    ),
    (
        "tr",
        &[
            "bir", "ve", "bu", "için", "ile", "da", "de", "olarak", "çok", "daha", "gibi", "olan",
        ],
    ),
];

/// Guesses the language of a text: script first (zh, ja, ko, ru, ar, el, th), then stop words.
pub fn guess_lang(text: &str) -> String {
    let (mut han, mut kana, mut hangul, mut cyr, mut arab, mut greek, mut thai, mut latin) = (
        0usize, 0usize, 0usize, 0usize, 0usize, 0usize, 0usize, 0usize,
    );
    for c in text.chars().take(20_000) {
        match c as u32 {
            0x4E00..=0x9FFF => han += 1,
            0x3040..=0x30FF => kana += 1,
            0xAC00..=0xD7AF => hangul += 1,
            0x0400..=0x04FF => cyr += 1,
            0x0600..=0x06FF => arab += 1,
            0x0370..=0x03FF => greek += 1,
            0x0E00..=0x0E7F => thai += 1,
            _ if c.is_alphabetic() => latin += 1,
            _ => {}
        }
    }
    let cjk = han + kana;
    let others = [
        (kana.max(if kana * 10 > cjk { cjk } else { 0 }), "ja"),
        (if kana * 10 > cjk { 0 } else { han }, "zh"),
        (hangul, "ko"),
        (cyr, "ru"),
        (arab, "ar"),
        (greek, "el"),
        (thai, "th"),
    ];
    let total = latin + cjk * 3 + hangul * 2 + cyr + arab + greek + thai;
    for (n, code) in others {
        let weight = if code == "ja" || code == "zh" { 3 } else { 1 };
        if total > 0 && n * weight * 3 > total {
            return code.to_string();
        }
    }
    let mut best = ("en", 0usize);
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .take(5000)
        .map(str::to_lowercase)
        .collect();
    for (code, stops) in STOP {
        let n = words.iter().filter(|w| stops.contains(&w.as_str())).count();
        if n > best.1 {
            best = (code, n);
        }
    }
    best.0.to_string()
}

/// The registrable part of a host: `www.` dropped, last two labels (three for `co.uk`-style).
pub fn site_of(host: &str) -> String {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    if labels.len() <= 2 {
        return labels.join(".");
    }
    let n = labels.len();
    let second = labels[n - 2];
    let take = if ["co", "com", "org", "net", "ac", "gov", "ne", "or", "edu"].contains(&second)
        && labels[n - 1].len() == 2
    {
        3
    } else {
        2
    };
    labels[n - take..].join(".")
}

/// The host of a URL, if any.
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#', ':']).unwrap_or(rest.len());
    let host = &rest[..end];
    (!host.is_empty()).then_some(host)
}

/// A URL slug of a title.
pub fn slug(title: &str) -> String {
    let mut s = String::new();
    for w in title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(9)
    {
        if !s.is_empty() {
            s.push('-');
        }
        s.push_str(&w.to_lowercase());
    }
    if s.is_empty() {
        s.push_str("post");
    }
    s
}

/// Years (1900..2099) mentioned in a text.
pub fn years_in(text: &str) -> Vec<i32> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 <= b.len() {
        let w = &b[i..i + 4];
        let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
        let after_ok = i + 4 == b.len() || !b[i + 4].is_ascii_digit();
        if before_ok
            && after_ok
            && w.iter().all(u8::is_ascii_digit)
            && (w[0] == b'1' && w[1] == b'9' || w[0] == b'2' && w[1] == b'0')
        {
            if let Ok(y) = std::str::from_utf8(w).unwrap_or("0").parse::<i32>() {
                out.push(y);
            }
            i += 4;
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_skips_scripts_and_splits_blocks() {
        let (lines, title) = html_to_lines(
            "<html><head><title>T &amp; U</title><script>var x='<p>';</script></head><body><p>One <b>two</b></p><div>Three</div></body></html>",
        );
        assert_eq!(title, "T & U");
        assert_eq!(lines, vec!["One two", "Three"]);
    }

    #[test]
    fn sites_and_langs() {
        assert_eq!(site_of("www.bbc.co.uk"), "bbc.co.uk");
        assert_eq!(site_of("news.example.com"), "example.com");
        assert_eq!(
            guess_lang("Der Hund und die Katze sind nicht mit dem Auto"),
            "de"
        );
        assert_eq!(guess_lang("这是一个关于天气的新闻"), "zh");
        assert_eq!(years_in("In 2023 and 1999, not 12345"), vec![2023, 1999]);
    }
}
