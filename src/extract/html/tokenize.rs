//! A small, allocation-free HTML tokenizer: one forward pass over the decoded text with `memchr`,
//! yielding start tags (with attributes), end tags, text, and raw text of `script`/`style`-like
//! elements. Comments, doctypes and processing instructions are skipped. A tag cut off by the
//! end of input (a truncated page) ends the stream; it never panics on any input.
//!
//! Why not a full HTML5 tokenizer: extraction needs tags, attributes and text only, and this pass
//! runs at several hundred MB/s, so parsing stays a small share of the pipeline.

use memchr::{memchr, memmem};

/// One token. Slices borrow from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// A start tag; `name` is as written (compare case-insensitively), attributes are read with
    /// [`Tokenizer::attrs`].
    Start {
        /// The tag name as written.
        name: &'a str,
        /// Whether the tag ended with `/>`.
        self_closing: bool,
    },
    /// An end tag.
    End {
        /// The tag name as written.
        name: &'a str,
    },
    /// Character data between tags, entities not yet decoded.
    Text(&'a str),
    /// The raw content of a raw-text element (`script`, `style`, `textarea`, `title`, ...), up
    /// to its end tag, which is consumed and reported as a separate [`Token::End`].
    Raw(&'a str),
}

/// The tokenizer state. Attributes of the last start tag are kept in a reused buffer.
pub struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
    attrs: Vec<(&'a str, &'a str)>,
    /// Set after a raw-text start tag: the next token is its raw content.
    raw_end: Option<&'static str>,
    pending_end: Option<&'a str>,
}

/// Elements whose content is not markup.
fn raw_text_end(name: &str) -> Option<&'static str> {
    const RAW: [&str; 8] = [
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
    ];
    RAW.iter().copied().find(|r| r.eq_ignore_ascii_case(name))
}

impl<'a> Tokenizer<'a> {
    /// A tokenizer over `src`.
    pub fn new(src: &'a str) -> Self {
        Tokenizer {
            src,
            pos: 0,
            attrs: Vec::with_capacity(16),
            raw_end: None,
            pending_end: None,
        }
    }

    /// The attributes of the last start tag, names as written, values raw (entities not decoded).
    #[cfg(test)]
    pub fn attrs(&self) -> &[(&'a str, &'a str)] {
        &self.attrs
    }

    /// Moves the attribute buffer out (so the caller can borrow itself mutably while reading
    /// it); hand it back with [`Tokenizer::restore_attrs`] to reuse its allocation.
    pub fn take_attrs(&mut self) -> Vec<(&'a str, &'a str)> {
        std::mem::take(&mut self.attrs)
    }

    /// Returns the buffer taken by [`Tokenizer::take_attrs`].
    pub fn restore_attrs(&mut self, v: Vec<(&'a str, &'a str)>) {
        self.attrs = v;
    }

    /// The next token, or `None` at the end of input.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Token<'a>> {
        if let Some(name) = self.pending_end.take() {
            return Some(Token::End { name });
        }
        if let Some(end) = self.raw_end.take() {
            return Some(self.raw_text(end));
        }
        let bytes = self.src.as_bytes();
        loop {
            if self.pos >= bytes.len() {
                return None;
            }
            let start = self.pos;
            let Some(off) = memchr(b'<', &bytes[start..]) else {
                self.pos = bytes.len();
                return Some(Token::Text(&self.src[start..]));
            };
            let lt = start + off;
            // Is this '<' the start of markup?
            let next = bytes.get(lt + 1).copied();
            let is_markup = match next {
                Some(b) if b.is_ascii_alphabetic() => true,
                Some(b'/') | Some(b'!') | Some(b'?') => true,
                _ => false,
            };
            if !is_markup {
                // A literal '<': emit text up to and including it.
                self.pos = lt + 1;
                return Some(Token::Text(&self.src[start..lt + 1]));
            }
            if lt > start {
                self.pos = lt;
                return Some(Token::Text(&self.src[start..lt]));
            }
            // At markup.
            match next {
                Some(b'!') => {
                    if bytes[lt..].starts_with(b"<!--") {
                        match memmem::find(&bytes[lt + 4..], b"-->") {
                            Some(e) => self.pos = lt + 4 + e + 3,
                            None => self.pos = bytes.len(),
                        }
                    } else {
                        self.skip_past_gt(lt + 2);
                    }
                    continue;
                }
                Some(b'?') => {
                    self.skip_past_gt(lt + 2);
                    continue;
                }
                Some(b'/') => {
                    let name_start = lt + 2;
                    if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
                        self.skip_past_gt(name_start);
                        continue;
                    }
                    let name_end = scan_name(bytes, name_start);
                    let name = &self.src[name_start..name_end];
                    match memchr(b'>', &bytes[name_end..]) {
                        Some(e) => self.pos = name_end + e + 1,
                        None => {
                            self.pos = bytes.len();
                            return None;
                        }
                    }
                    return Some(Token::End { name });
                }
                _ => return self.start_tag(lt),
            }
        }
    }

    fn skip_past_gt(&mut self, from: usize) {
        let bytes = self.src.as_bytes();
        self.pos = match memchr(b'>', bytes.get(from..).unwrap_or_default()) {
            Some(e) => from + e + 1,
            None => bytes.len(),
        };
    }

    fn start_tag(&mut self, lt: usize) -> Option<Token<'a>> {
        let bytes = self.src.as_bytes();
        let name_start = lt + 1;
        let name_end = scan_name(bytes, name_start);
        let name = &self.src[name_start..name_end];
        self.attrs.clear();
        let mut i = name_end;
        let mut self_closing = false;
        loop {
            // Skip whitespace and stray slashes.
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                self_closing = bytes[i] == b'/';
                i += 1;
            }
            if i >= bytes.len() {
                // Cut mid-tag: the tag is dropped, the stream ends.
                self.pos = bytes.len();
                return None;
            }
            if bytes[i] == b'>' {
                i += 1;
                break;
            }
            self_closing = false;
            let an_start = i;
            i += 1; // the first character may be '=' and is still part of the name
            while i < bytes.len()
                && !matches!(bytes[i], b'=' | b'>' | b'/')
                && !bytes[i].is_ascii_whitespace()
            {
                i += 1;
            }
            let an = &self.src[an_start..i];
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = "";
            if i < bytes.len() && bytes[i] == b'=' {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                match bytes.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let vs = i + 1;
                        match memchr(q, &bytes[vs..]) {
                            Some(e) => {
                                value = &self.src[vs..vs + e];
                                i = vs + e + 1;
                            }
                            None => {
                                self.pos = bytes.len();
                                return None;
                            }
                        }
                    }
                    Some(_) => {
                        let vs = i;
                        while i < bytes.len() && bytes[i] != b'>' && !bytes[i].is_ascii_whitespace()
                        {
                            i += 1;
                        }
                        value = &self.src[vs..i];
                    }
                    None => {}
                }
            }
            if self.attrs.len() < 64 {
                self.attrs.push((an, value));
            }
        }
        self.pos = i;
        if !self_closing {
            self.raw_end = raw_text_end(name);
        }
        Some(Token::Start { name, self_closing })
    }

    /// The raw content up to `</end`, then queues the end tag.
    fn raw_text(&mut self, end: &'static str) -> Token<'a> {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        let mut i = start;
        loop {
            let Some(off) = memchr(b'<', &bytes[i..]) else {
                self.pos = bytes.len();
                return Token::Raw(&self.src[start..]);
            };
            let lt = i + off;
            let ne = lt + 2 + end.len();
            if bytes.get(lt + 1) == Some(&b'/')
                && bytes
                    .get(lt + 2..ne)
                    .is_some_and(|n| n.eq_ignore_ascii_case(end.as_bytes()))
                && bytes
                    .get(ne)
                    .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
            {
                let text = &self.src[start..lt];
                self.pos = match memchr(b'>', &bytes[ne..]) {
                    Some(e) => ne + e + 1,
                    None => bytes.len(),
                };
                self.pending_end = Some(&self.src[lt + 2..ne]);
                return Token::Raw(text);
            }
            i = lt + 1;
        }
    }
}

/// The end of a tag name starting at `from`.
fn scan_name(bytes: &[u8], from: usize) -> usize {
    let rest = &bytes[from.min(bytes.len())..];
    let mut n = 0;
    while n < rest.len() && !rest[n].is_ascii_whitespace() && !matches!(rest[n], b'/' | b'>') {
        n += 1;
    }
    from + n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: &str) -> Vec<String> {
        let mut t = Tokenizer::new(s);
        let mut out = Vec::new();
        while let Some(tok) = t.next() {
            out.push(match tok {
                Token::Start { name, .. } => format!("<{name} {:?}>", t.attrs()),
                Token::End { name } => format!("</{name}>"),
                Token::Text(x) => format!("T:{x}"),
                Token::Raw(x) => format!("R:{x}"),
            });
        }
        out
    }

    #[test]
    fn tags_attrs_text() {
        let v = all(
            r#"<!doctype html><p class="a b" id=x data-v='1'>Hi &amp; <b>you</b></p><!-- c -->"#,
        );
        assert_eq!(
            v,
            vec![
                r#"<p [("class", "a b"), ("id", "x"), ("data-v", "1")]>"#,
                "T:Hi &amp; ",
                "<b []>",
                "T:you",
                "</b>",
                "</p>",
            ]
        );
    }

    #[test]
    fn raw_text_and_truncation() {
        let v = all("<script>if (a<b) x='</p>';</script>after<div class=\"cut");
        assert_eq!(
            v,
            vec![
                "<script []>",
                "R:if (a<b) x='</p>';",
                "</script>",
                "T:after"
            ]
        );
        assert!(all("a < b <").len() >= 2);
        assert_eq!(all("<"), vec!["T:<"]);
        assert_eq!(all("</"), Vec::<String>::new());
    }
}
