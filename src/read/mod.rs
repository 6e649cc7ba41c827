//! Stage 1, reading: raw bytes as fetched to a decoded [`Document`].
//!
//! The charset is decided the way a browser decides it (see `charset.rs`): byte-order mark, then
//! the charset of the HTTP `Content-Type`, then `<meta charset>` / `http-equiv` in the first
//! bytes, then detection, then the configured default. Gzip input is inflated transparently.
//! Input beyond [`ReadLimits::max_input_bytes`] is cut, and the document says so.

use std::borrow::Cow;

use encoding_rs::Encoding;
use serde::Serialize;

use crate::{Error, Result};

pub mod charset;
mod gzip;
mod sniff;

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
    /// What the charset decision saw on the way, for humans: "meta said koi8-r",
    /// "content-type label 'foo' unknown", "chardetng guessed Shift_JIS (tld .jp)".
    pub charset_note: Option<String>,
    /// Whether decoding met malformed byte sequences (replaced with U+FFFD).
    pub had_decode_errors: bool,
    /// Whether the input was gzip-compressed.
    pub gzipped: bool,
    /// Bytes of input after gunzip, before truncation. Inflation stops one byte past the cap,
    /// so for a gzip stream that was cut this is `max_input_bytes + 1`, not its full size.
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

/// Reads raw bytes into a [`Document`]: gunzip (capped), binary check, charset decision (see
/// [`charset`]), decoding, and the HTML-or-text decision.
///
/// Errors are [`Error::Input`] only: a corrupt gzip stream, or bytes that are evidently not a
/// page (an image, an archive, random binary). Everything merely messy (unknown charset
/// labels, malformed sequences, stray NULs, oversize input) is decoded anyway and recorded.
pub fn read(raw: &RawPage<'_>, limits: &ReadLimits) -> Result<Document> {
    let max = limits.max_input_bytes;
    let gzipped = gzip::is_gzip(raw.bytes);
    let data: Cow<'_, [u8]> = if gzipped {
        Cow::Owned(gzip::inflate(raw.bytes, max)?)
    } else {
        Cow::Borrowed(raw.bytes)
    };
    let input_bytes = data.len();
    let truncated = input_bytes > max;
    let bytes = &data[..input_bytes.min(max)];

    let mut notes = Vec::new();
    if !gzipped
        && raw
            .name_hint
            .is_some_and(|n| n.to_ascii_lowercase().ends_with(".gz"))
    {
        notes.push("name ends in .gz but the data is not gzip; read as is".to_owned());
    }
    if truncated {
        notes.push(format!("input cut at {max} bytes"));
    }
    if bytes.is_empty() {
        return Ok(Document {
            kind: hinted_kind(raw).unwrap_or(DocumentKind::Text),
            text: String::new(),
            charset: encoding_rs::UTF_8.name(),
            charset_source: CharsetSource::Default,
            charset_note: Some("empty input".to_owned()),
            had_decode_errors: false,
            gzipped,
            input_bytes,
            truncated,
            url: raw.url.map(str::to_owned),
        });
    }
    if Encoding::for_bom(bytes).is_none() {
        if let Some(what) = sniff::magic(bytes) {
            return Err(Error::Input(format!(
                "{} looks like {what}, not a page",
                shown_name(raw)
            )));
        }
    }
    let declared = charset::declared(bytes, raw.content_type, &mut notes)
        .or_else(|| charset::utf16_pattern(bytes, &mut notes));
    if !declared.as_ref().is_some_and(charset::Decision::is_utf16) {
        if let Some(pct) = sniff::control_heavy(bytes) {
            return Err(Error::Input(format!(
                "{} looks like binary data ({pct}% control bytes), not a page",
                shown_name(raw)
            )));
        }
    }
    let decision = declared.unwrap_or_else(|| charset::detect(bytes, raw.url, truncated, notes));

    let (text, had_decode_errors) =
        decode(decision.encoding, data, decision.bom_len, max, truncated)?;
    let kind = hinted_kind(raw).unwrap_or_else(|| {
        let html_hint = raw
            .content_type
            .is_some_and(|ct| mime(ct).is_some_and(|m| m == "text/html" || m.contains("xml")));
        if sniff::looks_like_markup(&text, html_hint) {
            DocumentKind::Html
        } else {
            DocumentKind::Text
        }
    });
    let mut notes = decision.notes;
    if had_decode_errors {
        notes.push("malformed sequences replaced".to_owned());
    }
    tracing::debug!(
        charset = decision.encoding.name(),
        source = ?decision.source,
        ?kind,
        gzipped,
        truncated,
        input_bytes,
        "page read"
    );
    Ok(Document {
        kind,
        text,
        charset: decision.encoding.name(),
        charset_source: decision.source,
        charset_note: (!notes.is_empty()).then(|| notes.join("; ")),
        had_decode_errors,
        gzipped,
        input_bytes,
        truncated,
        url: raw.url.map(str::to_owned),
    })
}

/// Decodes `data[bom_len..min(len, max)]` with `encoding`. Valid UTF-8 in an owned buffer is
/// taken over without a copy; borrowed valid UTF-8 costs one copy; other encodings one decode.
/// A truncated input drops a character cut in half at the end instead of flagging an error.
fn decode(
    encoding: &'static Encoding,
    data: Cow<'_, [u8]>,
    bom_len: usize,
    max: usize,
    truncated: bool,
) -> Result<(String, bool)> {
    let end = data.len().min(max);
    let start = bom_len.min(end);
    if encoding == encoding_rs::UTF_8 {
        match data {
            Cow::Owned(mut vec) => {
                vec.truncate(end);
                vec.drain(..start);
                match String::from_utf8(vec) {
                    Ok(s) => return Ok((s, false)),
                    Err(e) if truncated && e.utf8_error().error_len().is_none() => {
                        let valid = e.utf8_error().valid_up_to();
                        let mut vec = e.into_bytes();
                        vec.truncate(valid);
                        // Valid by construction; fall back to lossy just in case.
                        return Ok(match String::from_utf8(vec) {
                            Ok(s) => (s, false),
                            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
                        });
                    }
                    Err(e) => return decode_with(encoding, &e.into_bytes(), truncated),
                }
            }
            Cow::Borrowed(all) => {
                let bytes = &all[start..end];
                return match std::str::from_utf8(bytes) {
                    Ok(s) => Ok((s.to_owned(), false)),
                    Err(e) if truncated && e.error_len().is_none() => {
                        let valid = &bytes[..e.valid_up_to()];
                        Ok((String::from_utf8_lossy(valid).into_owned(), false))
                    }
                    Err(_) => decode_with(encoding, bytes, truncated),
                };
            }
        }
    }
    decode_with(encoding, &data[start..end], truncated)
}

/// The general decoding path through an `encoding_rs` decoder (BOM already handled).
fn decode_with(
    encoding: &'static Encoding,
    bytes: &[u8],
    truncated: bool,
) -> Result<(String, bool)> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let cap = decoder.max_utf8_buffer_length(bytes.len()).ok_or_else(|| {
        Error::Input(format!(
            "input of {} bytes too large to decode",
            bytes.len()
        ))
    })?;
    let mut out = String::with_capacity(cap);
    // `last = false` on a cut input keeps a half character at the end out of the text.
    let (_, _, had_errors) = decoder.decode_to_string(bytes, &mut out, !truncated);
    Ok((out, had_errors))
}

/// The kind the caller's hints decide, if they do: `text/plain` or a `.txt` name is text; a
/// `.html`/`.htm` name is HTML. `text/html` alone does not decide (see [`sniff::looks_like_markup`]).
fn hinted_kind(raw: &RawPage<'_>) -> Option<DocumentKind> {
    if raw
        .content_type
        .and_then(mime)
        .is_some_and(|m| m == "text/plain")
    {
        return Some(DocumentKind::Text);
    }
    let name = raw.name_hint?.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".txt") || name.ends_with(".text") {
        Some(DocumentKind::Text)
    } else if name.ends_with(".html") || name.ends_with(".htm") || name.ends_with(".xhtml") {
        Some(DocumentKind::Html)
    } else {
        None
    }
}

/// The lower-cased media type of a `Content-Type` value.
fn mime(content_type: &str) -> Option<String> {
    let m = content_type.split(';').next()?.trim().to_ascii_lowercase();
    (!m.is_empty()).then_some(m)
}

/// The input's name for error messages.
fn shown_name(raw: &RawPage<'_>) -> String {
    match raw.name_hint.or(raw.url) {
        Some(n) => format!("'{n}'"),
        None => "the input".to_owned(),
    }
}
