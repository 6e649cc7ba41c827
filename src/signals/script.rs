//! Unicode scripts of letters, coarse enough to be robust: Han, kana and Hangul are one CJK
//! group (Japanese and Korean text mix them), digits and punctuation have no script.

/// A writing system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    Latin,
    Greek,
    Cyrillic,
    Armenian,
    Hebrew,
    Arabic,
    Indic,
    Thai,
    Georgian,
    Cjk,
    Other,
}

impl Script {
    /// Its name in evidence strings.
    pub fn name(self) -> &'static str {
        match self {
            Script::Latin => "Latin",
            Script::Greek => "Greek",
            Script::Cyrillic => "Cyrillic",
            Script::Armenian => "Armenian",
            Script::Hebrew => "Hebrew",
            Script::Arabic => "Arabic",
            Script::Indic => "Indic",
            Script::Thai => "Thai",
            Script::Georgian => "Georgian",
            Script::Cjk => "CJK",
            Script::Other => "other",
        }
    }

    /// Whether the script is written without spaces between words.
    pub fn unspaced(self) -> bool {
        matches!(self, Script::Cjk | Script::Thai)
    }
}

/// The script of a letter; `None` for digits, punctuation, symbols and spaces.
pub(crate) fn of(c: char) -> Option<Script> {
    if c.is_ascii() {
        return c.is_ascii_alphabetic().then_some(Script::Latin);
    }
    if !c.is_alphabetic() {
        return None;
    }
    let u = c as u32;
    Some(match u {
        0x00C0..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF => Script::Latin,
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
        0x0400..=0x052F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        0x0530..=0x058F => Script::Armenian,
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => Script::Hebrew,
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Script::Arabic
        }
        0x0900..=0x0DFF => Script::Indic,
        0x0E00..=0x0E7F => Script::Thai,
        0x10A0..=0x10FF => Script::Georgian,
        0x1100..=0x11FF
        | 0x2E80..=0x2FDF
        | 0x3040..=0x30FF
        | 0x3100..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7FF
        | 0xF900..=0xFAFF
        | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF => Script::Cjk,
        _ => Script::Other,
    })
}

/// Every script in the order of its discriminant (the index into [`ScriptCounts`]).
const ALL: [Script; 11] = [
    Script::Latin,
    Script::Greek,
    Script::Cyrillic,
    Script::Armenian,
    Script::Hebrew,
    Script::Arabic,
    Script::Indic,
    Script::Thai,
    Script::Georgian,
    Script::Cjk,
    Script::Other,
];

/// Letters counted per script, for [`ScriptCounts::dominant`].
#[derive(Debug, Default, Clone)]
pub(crate) struct ScriptCounts {
    counts: [usize; 11],
}

impl ScriptCounts {
    /// Counts the letter `c`, if it is one.
    #[inline]
    fn add(&mut self, c: char) {
        if let Some(s) = of(c) {
            // Unspaced scripts pack a word into one or two letters: weigh them up.
            self.counts[s as usize] += if s.unspaced() { 3 } else { 1 };
        }
    }

    /// Counts the letters among the first `max` chars of `text`; returns the number of chars
    /// read (`min(max, chars)`). ASCII is classified from its bytes without decoding: script
    /// counts run over thousands of chars of every page.
    pub fn add_str(&mut self, text: &str, max: usize) -> usize {
        let bytes = text.as_bytes();
        let (mut i, mut n, mut latin) = (0usize, 0usize, 0usize);
        while n < max {
            let Some(&b) = bytes.get(i) else { break };
            n += 1;
            if b < 0x80 {
                latin += usize::from(b.is_ascii_alphabetic());
                i += 1;
                continue;
            }
            let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
                break;
            };
            self.add(c);
            i += c.len_utf8();
        }
        self.counts[Script::Latin as usize] += latin;
        n
    }

    /// Counts the letters among the first `max` chars of `texts` read one after another;
    /// returns the number of chars read.
    pub fn add_strs<'a>(&mut self, texts: impl IntoIterator<Item = &'a str>, max: usize) -> usize {
        let mut n = 0;
        for t in texts {
            if n >= max {
                break;
            }
            n += self.add_str(t, max - n);
        }
        n
    }

    /// The script most letters are in (`None` when there are no letters; among ties, the last
    /// in [`Script`] order, as [`Iterator::max_by_key`] picks).
    pub fn dominant(&self) -> Option<Script> {
        let (i, &n) = self.counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
        (n > 0).then_some(ALL[i])
    }
}

/// The script most letters of `chars` are in (`None` when there are no letters): the
/// reference [`ScriptCounts::add_str`] is checked against.
#[cfg(test)]
fn dominant(chars: impl Iterator<Item = char>) -> Option<Script> {
    let mut counts = ScriptCounts::default();
    for c in chars {
        counts.add(c);
    }
    counts.dominant()
}

/// Whether a letter in `s` is foreign on a page written in `page`: any other script, except
/// Latin on a non-Latin page (brand names and acronyms are routinely written in Latin).
pub(crate) fn is_foreign(s: Script, page: Script) -> bool {
    s != page && !(s == Script::Latin && page != Script::Latin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_of_letters() {
        assert_eq!(of('a'), Some(Script::Latin));
        assert_eq!(of('é'), Some(Script::Latin));
        assert_eq!(of('я'), Some(Script::Cyrillic));
        assert_eq!(of('消'), Some(Script::Cjk));
        assert_eq!(of('の'), Some(Script::Cjk));
        assert_eq!(of('5'), None);
        assert_eq!(of('-'), None);
        assert_eq!(dominant("Hello мир".chars()), Some(Script::Latin));
        assert_eq!(dominant("".chars()), None);
    }

    #[test]
    fn byte_counts_match_char_counts() {
        let texts = [
            "Hello мир",
            "",
            "消息 and more 消息消息",
            "ab\u{e9}\u{3000}x9-",
            "Ελλάδα",
        ];
        for max in [0, 1, 3, 7, 12, 100] {
            for t in texts {
                let mut c = ScriptCounts::default();
                assert_eq!(c.add_str(t, max), t.chars().count().min(max));
                let mut want = ScriptCounts::default();
                t.chars().take(max).for_each(|ch| want.add(ch));
                assert_eq!(c.counts, want.counts, "{t:?} {max}");
            }
            let mut c = ScriptCounts::default();
            let all = c.add_strs(texts, max);
            assert_eq!(all, texts.iter().flat_map(|t| t.chars()).take(max).count());
            assert_eq!(
                c.dominant(),
                dominant(texts.iter().flat_map(|t| t.chars()).take(max))
            );
        }
    }
}
