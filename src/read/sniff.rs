//! Sniffing what the bytes are before decoding: binary files that are not pages at all, and
//! whether decoded text is markup or plain text.

/// Signatures of common binary formats that are sometimes served where a page was expected.
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"BZh91AY&SY", "a bzip2 archive"),
    (b"OggS", "an Ogg media file"),
    (b"\x1a\x45\xdf\xa3", "a Matroska/WebM video"),
    (b"wOFF", "a WOFF font"),
    (b"wOF2", "a WOFF2 font"),
    (b"\x00asm", "a WebAssembly module"),
];

/// Bytes looked at for the control-byte share.
const SAMPLE: usize = 8 * 1024;

/// What a known binary signature at the start of `bytes` says the file is.
pub fn magic(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some("a WebP image");
    }
    MAGIC
        .iter()
        .find(|(sig, _)| bytes.starts_with(sig))
        .map(|(_, what)| *what)
}

/// Whether the start of `bytes` looks like binary data rather than text in any ASCII-compatible
/// encoding: C0 control bytes other than tab, newline, form feed, carriage return and escape
/// (ISO-2022-JP uses it) never occur in text, so more than 3% of them means binary. NUL bytes
/// are judged apart: a page with a few stray NULs is still a page; only a sample that is
/// mostly NULs (and not UTF-16, which the caller has ruled out) is binary. Returns the share
/// of suspicious bytes in percent when binary.
pub fn control_heavy(bytes: &[u8]) -> Option<u32> {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    if sample.is_empty() {
        return None;
    }
    let (mut ctrl, mut nul) = (0usize, 0usize);
    for &b in sample {
        match b {
            0 => nul += 1,
            b'\t' | b'\n' | b'\r' | 0x0c | 0x1b => {}
            0x01..=0x1f | 0x7f => ctrl += 1,
            _ => {}
        }
    }
    let pct = |n: usize| u32::try_from(n * 100 / sample.len()).unwrap_or(100);
    if ctrl * 100 > sample.len() * 3 {
        Some(pct(ctrl))
    } else if nul * 100 > sample.len() * 30 {
        Some(pct(nul))
    } else {
        None
    }
}

/// Whether decoded text looks like markup: it starts with a tag, or its first 4 KiB hold a
/// document-level tag (`<html`, `<head`, `<body`, `<!doctype`) or at least three common tags.
/// With `hinted_html` (the header said `text/html`) a single tag-like `<x` is enough.
pub fn looks_like_markup(text: &str, hinted_html: bool) -> bool {
    let head = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let head = &head.as_bytes()[..head.len().min(4096)];
    if head.first() == Some(&b'<')
        && head
            .get(1)
            .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'!' | b'?'))
    {
        return true;
    }
    const DOC_TAGS: &[&[u8]] = &[b"html", b"head", b"body", b"!doctype"];
    const TAGS: &[&[u8]] = &[
        b"div", b"p", b"a", b"br", b"span", b"meta", b"title", b"script", b"style", b"table",
        b"li", b"ul", b"img", b"h1", b"h2", b"h3", b"link", b"!--", b"section", b"article",
    ];
    let mut tags = 0;
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &head[i..]) {
        i += p + 1;
        let rest = &head[i..];
        let rest = rest.strip_prefix(b"/").unwrap_or(rest);
        let name_len = rest
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'!' || *b == b'-'))
            .unwrap_or(rest.len());
        if name_len == 0 {
            continue;
        }
        let name = &rest[..name_len];
        if hinted_html && name[0].is_ascii_alphabetic() {
            return true;
        }
        let known = |list: &[&[u8]]| list.iter().any(|t| t.eq_ignore_ascii_case(name));
        if known(DOC_TAGS) {
            return true;
        }
        if known(TAGS) || name.starts_with(b"!--") {
            tags += 1;
            if tags >= 3 {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_signatures() {
        assert_eq!(magic(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("a PNG image"));
        assert_eq!(magic(b"%PDF-1.7\n"), Some("a PDF document"));
        assert_eq!(magic(b"<html>"), None);
    }

    #[test]
    fn control_share() {
        let mut page = b"<html><body><p>Plain words in a page.</p></body></html>".repeat(20);
        assert_eq!(control_heavy(&page), None);
        // A few stray NULs do not make a page binary.
        for i in (0..page.len()).step_by(97) {
            page[i] = 0;
        }
        assert_eq!(control_heavy(&page), None);
        // Pseudo-random bytes do.
        let mut x: u32 = 12345;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect();
        assert!(control_heavy(&noise).is_some());
    }

    #[test]
    fn markup_or_text() {
        assert!(looks_like_markup("  <!DOCTYPE html><p>x", false));
        assert!(looks_like_markup("Hello\n<div>a</div><p>b</p><br>", false));
        assert!(!looks_like_markup(
            "Headline here\nA paragraph with 3 < 4 in it.",
            false
        ));
        assert!(!looks_like_markup("Just words, no tags at all.", true));
        assert!(looks_like_markup("Just words with <b>bold</b>.", true));
    }
}
