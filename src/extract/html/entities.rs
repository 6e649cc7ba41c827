//! Character references in text and attribute values: numeric ones and the named ones real
//! pages use (Latin-1, punctuation, common symbols). Unknown names are kept as written.
//! Hand-written rather than a dependency: the table is small and the hot path (no `&`) is a
//! single `memchr`.

use memchr::memchr;

/// Appends `raw` to `out` with character references decoded and every run of whitespace
/// collapsed to one space. `last_space` carries whether `out` ends in collapsed whitespace, so
/// text split across tokens collapses the same way. Returns the number of chars appended.
pub fn append_collapsed(out: &mut String, raw: &str, last_space: &mut bool) -> usize {
    let mut n = 0;
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Fast path: a run of printable ASCII other than '&', with single spaces between
        // non-space bytes (copied as they are: collapsing leaves a lone space unchanged).
        let mut run = i;
        while let Some(&b) = bytes.get(run) {
            // printable, or a lone space
            if (b > b' ' && b != b'&' && b < 0x80)
                || (b == b' ' && run > i && bytes[run - 1] != b' ')
            {
                run += 1;
            } else {
                break;
            }
        }
        if run > i {
            out.push_str(&raw[i..run]);
            n += run - i;
            *last_space = bytes[run - 1] == b' ';
            i = run;
            continue;
        }
        let c = match bytes[i] {
            b'&' => match decode_at(&raw[i..]) {
                Some((c, len)) => {
                    i += len;
                    c
                }
                None => {
                    i += 1;
                    '&'
                }
            },
            b if b < 0x80 => {
                i += 1;
                b as char
            }
            _ => {
                let c = raw[i..].chars().next().unwrap_or(' ');
                i += c.len_utf8();
                c
            }
        };
        if c.is_whitespace() || c.is_control() {
            if !*last_space {
                out.push(' ');
                *last_space = true;
                n += 1;
            }
        } else {
            out.push(c);
            *last_space = false;
            n += 1;
        }
    }
    n
}

/// `s` with character references decoded (attribute values, JSON-free meta content).
pub fn decode(s: &str) -> String {
    if memchr(b'&', s.as_bytes()).is_none() {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        let seg_end = memchr(b'&', &bytes[i..]).map_or(s.len(), |o| i + o);
        out.push_str(&s[i..seg_end]);
        if seg_end >= s.len() {
            break;
        }
        match decode_at(&s[seg_end..]) {
            Some((c, len)) => {
                out.push(c);
                i = seg_end + len;
            }
            None => {
                out.push('&');
                i = seg_end + 1;
            }
        }
    }
    out
}

/// Decodes the reference at the start of `s` (which starts with `&`): the char and the bytes used.
fn decode_at(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let (radix, start) = if matches!(b.get(2), Some(b'x' | b'X')) {
            (16, 3)
        } else {
            (10, 2)
        };
        let mut end = start;
        while end < b.len() && end - start < 8 && (b[end] as char).is_digit(radix) {
            end += 1;
        }
        if end == start {
            return None;
        }
        let v = u32::from_str_radix(&s[start..end], radix).ok()?;
        let c = match v {
            0 => '\u{FFFD}',
            0x80..=0x9F => cp1252(v),
            _ => char::from_u32(v).unwrap_or('\u{FFFD}'),
        };
        let len = if b.get(end) == Some(&b';') {
            end + 1
        } else {
            end
        };
        return Some((c, len));
    }
    let mut end = 1;
    while end < b.len() && end < 12 && b[end].is_ascii_alphanumeric() {
        end += 1;
    }
    let name = &s[1..end];
    let c = named(name)?;
    let len = if b.get(end) == Some(&b';') {
        end + 1
    } else {
        end
    };
    Some((c, len))
}

/// Windows-1252 code points that pages write as `&#150;` and the like.
fn cp1252(v: u32) -> char {
    match v {
        0x80 => '€',
        0x85 => '…',
        0x91 => '‘',
        0x92 => '’',
        0x93 => '“',
        0x94 => '”',
        0x96 => '–',
        0x97 => '—',
        0x99 => '™',
        _ => ' ',
    }
}

fn named(name: &str) -> Option<char> {
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "shy" => '\u{ad}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "bull" => '•',
        "middot" => '·',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "deg" => '°',
        "plusmn" => '±',
        "times" => '×',
        "divide" => '÷',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "iexcl" => '¡',
        "iquest" => '¿',
        "ordf" => 'ª',
        "ordm" => 'º',
        "acute" => '´',
        "uml" => '¨',
        "micro" => 'µ',
        "dagger" => '†',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "hearts" => '♥',
        "zwj" => '\u{200d}',
        "zwnj" => '\u{200c}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        "thinsp" => '\u{2009}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "prime" => '′',
        "Prime" => '″',
        "szlig" => 'ß',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "euml" => 'ë',
        "iuml" => 'ï',
        "yuml" => 'ÿ',
        "Euml" => 'Ë',
        "Iuml" => 'Ï',
        "aacute" => 'á',
        "eacute" => 'é',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "yacute" => 'ý',
        "Aacute" => 'Á',
        "Eacute" => 'É',
        "Iacute" => 'Í',
        "Oacute" => 'Ó',
        "Uacute" => 'Ú',
        "agrave" => 'à',
        "egrave" => 'è',
        "igrave" => 'ì',
        "ograve" => 'ò',
        "ugrave" => 'ù',
        "Agrave" => 'À',
        "Egrave" => 'È',
        "acirc" => 'â',
        "ecirc" => 'ê',
        "icirc" => 'î',
        "ocirc" => 'ô',
        "ucirc" => 'û',
        "Acirc" => 'Â',
        "Ecirc" => 'Ê',
        "atilde" => 'ã',
        "otilde" => 'õ',
        "ntilde" => 'ñ',
        "Ntilde" => 'Ñ',
        "Atilde" => 'Ã',
        "Otilde" => 'Õ',
        "ccedil" => 'ç',
        "Ccedil" => 'Ç',
        "aring" => 'å',
        "Aring" => 'Å',
        "aelig" => 'æ',
        "AElig" => 'Æ',
        "oslash" => 'ø',
        "Oslash" => 'Ø',
        "eth" => 'ð',
        "thorn" => 'þ',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`append_collapsed`] as first written: one byte or reference at a time outside runs of
    /// printable ASCII without spaces.
    fn reference_collapsed(out: &mut String, raw: &str, last_space: &mut bool) -> usize {
        let mut n = 0;
        let bytes = raw.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let run = bytes[i..]
                .iter()
                .position(|&b| b <= b' ' || b == b'&' || b >= 0x80)
                .map_or(bytes.len(), |o| i + o);
            if run > i {
                out.push_str(&raw[i..run]);
                n += run - i;
                *last_space = false;
                i = run;
                continue;
            }
            let c = match bytes[i] {
                b'&' => match decode_at(&raw[i..]) {
                    Some((c, len)) => {
                        i += len;
                        c
                    }
                    None => {
                        i += 1;
                        '&'
                    }
                },
                b if b < 0x80 => {
                    i += 1;
                    b as char
                }
                _ => {
                    let c = raw[i..].chars().next().unwrap_or(' ');
                    i += c.len_utf8();
                    c
                }
            };
            if c.is_whitespace() || c.is_control() {
                if !*last_space {
                    out.push(' ');
                    *last_space = true;
                    n += 1;
                }
            } else {
                out.push(c);
                *last_space = false;
                n += 1;
            }
        }
        n
    }

    #[test]
    fn collapsing_matches_the_reference() {
        const PARTS: &[&str] = &[
            "a", "word", " ", "  ", "\n", "\t", "\u{a0}", "&amp;", "&", "&#32;", "&nbsp;", "é",
            "市", "\u{85}", ".", "x y", "\r\n", "&bogus;", "\u{2003}",
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..5_000 {
            let pieces: Vec<String> = (0..(next() % 4 + 1))
                .map(|_| {
                    (0..(next() % 10))
                        .map(|_| PARTS[(next() % PARTS.len() as u64) as usize])
                        .collect()
                })
                .collect();
            let (mut a, mut b) = (String::from("x"), String::from("x"));
            let mut sa = next() % 2 == 0;
            let mut sb = sa;
            for p in &pieces {
                let na = append_collapsed(&mut a, p, &mut sa);
                let nb = reference_collapsed(&mut b, p, &mut sb);
                assert_eq!((na, &a, sa), (nb, &b, sb), "{pieces:?}");
            }
        }
    }

    #[test]
    fn decodes_and_collapses() {
        let mut s = String::new();
        let mut sp = false;
        append_collapsed(
            &mut s,
            "Fish &amp;\n\n chips&#8217;s &eacute;t&#xE9; &bogus; &",
            &mut sp,
        );
        assert_eq!(s, "Fish & chips’s été &bogus; &");
        assert_eq!(decode("a&quot;b&nbsp;"), "a\"b\u{a0}");
    }
}
