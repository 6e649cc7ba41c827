//! Reading a labeled corpus in the format of `CORPUS.md`: a JSON Lines file (optionally
//! gzipped) with one page a line, or a folder with `spam/` and `ham/` subfolders.
//!
//! Reading streams: one line is parsed at a time, and one bad line (bad JSON, no id, no body,
//! a missing file) yields an error for that line only; the caller reports it and goes on.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::read::RawPage;
use crate::{Error, Result};

/// Longest corpus line read (a page's HTML inline); longer lines are an error for that line.
pub const MAX_LINE_BYTES: usize = 64 << 20;
/// Most bytes read from one page file (after gunzip); the rest is dropped.
pub const MAX_PAGE_BYTES: usize = 16 << 20;

/// A page's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// Scraped or spam content.
    Spam,
    /// A real page of a real site.
    Ham,
}

impl Label {
    /// Whether this is spam.
    pub fn is_spam(self) -> bool {
        self == Label::Spam
    }
}

/// Where a page's content is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// HTML, already decoded.
    Html(String),
    /// Plain text, already decoded.
    Text(String),
    /// A file with the raw bytes as fetched (resolved against the corpus folder).
    Path(PathBuf),
}

/// One page of a corpus.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Unique id.
    pub id: String,
    /// Label, when the corpus has one.
    pub label: Option<Label>,
    /// URL as crawled.
    pub url: Option<String>,
    /// The HTTP Content-Type.
    pub content_type: Option<String>,
    /// The content.
    pub body: Body,
    /// `kind` field, for reports.
    pub kind: Option<String>,
    /// `source` field, for reports and group folds.
    pub source: Option<String>,
    /// `template` field, for group folds.
    pub template: Option<String>,
    /// `lang` field, for reports.
    pub lang: Option<String>,
}

/// A corpus line that could not be used.
#[derive(Debug, Clone)]
pub struct LineError {
    /// The id, when the line got that far.
    pub id: Option<String>,
    /// Line number (1-based) in a JSONL corpus, 0 for a folder corpus.
    pub line: usize,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.id {
            Some(id) => write!(f, "line {} ({id}): {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// A page's bytes, ready to become a [`RawPage`].
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The bytes (gunzipped when the file was `.gz`).
    pub bytes: Vec<u8>,
    /// A name hint: `.txt` for plain text.
    pub name_hint: String,
    /// The Content-Type to pass on.
    pub content_type: Option<String>,
    /// The URL.
    pub url: Option<String>,
}

impl Loaded {
    /// The page as the reader takes it.
    pub fn raw(&self) -> RawPage<'_> {
        RawPage {
            bytes: &self.bytes,
            url: self.url.as_deref().filter(|u| !u.is_empty()),
            content_type: self.content_type.as_deref(),
            name_hint: Some(&self.name_hint),
        }
    }
}

impl Entry {
    /// Reads the page's bytes (from the line or its file).
    pub fn load(&self) -> Result<Loaded> {
        // Inline html/text is already decoded: tell the reader it is UTF-8 whatever the
        // original header said.
        let utf8 = |ct: &str| {
            let mime = self
                .content_type
                .as_deref()
                .and_then(|c| c.split(';').next())
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .unwrap_or(ct);
            Some(format!("{mime}; charset=utf-8"))
        };
        let (bytes, name_hint, content_type) = match &self.body {
            Body::Html(s) => (
                s.as_bytes().to_vec(),
                "inline.html".to_string(),
                utf8("text/html"),
            ),
            Body::Text(s) => (
                s.as_bytes().to_vec(),
                "inline.txt".to_string(),
                utf8("text/plain"),
            ),
            Body::Path(p) => {
                let (bytes, hint) = read_page_file(p)?;
                (bytes, hint, self.content_type.clone())
            }
        };
        Ok(Loaded {
            bytes,
            name_hint,
            content_type,
            url: self.url.clone(),
        })
    }

    /// The key pages are grouped by when folds are cut: the template when there is one, else
    /// the URL's host, else the source, else the id.
    pub fn group(&self) -> String {
        if let Some(t) = self.template.as_deref().filter(|t| !t.is_empty()) {
            return format!("template:{t}");
        }
        if let Some(h) = self.url.as_deref().and_then(host) {
            return format!("host:{h}");
        }
        if let Some(s) = self.source.as_deref().filter(|s| !s.is_empty()) {
            return format!("source:{s}");
        }
        format!("id:{}", self.id)
    }
}

/// The host of a URL (lower-cased, without `www.`), if it has one.
pub fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host
        .rsplit('@')
        .next()?
        .split(':')
        .next()?
        .to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty() && host.contains('.')).then_some(host)
}

fn read_page_file(path: &Path) -> Result<(Vec<u8>, String)> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let name = path.to_string_lossy();
    let gz = name.ends_with(".gz");
    let mut bytes = Vec::new();
    let limit = MAX_PAGE_BYTES as u64;
    if gz {
        flate2::read::MultiGzDecoder::new(BufReader::new(file))
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::Input(format!("{}: bad gzip: {e}", path.display())))?;
    } else {
        BufReader::new(file)
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(path, e))?;
    }
    let hint = name.strip_suffix(".gz").unwrap_or(&name).to_string();
    Ok((bytes, hint))
}

/// Opens a corpus: a folder with `spam/` and `ham/`, or a JSONL file (`.gz` allowed).
pub fn open(path: &Path) -> Result<Corpus> {
    if path.is_dir() {
        return Ok(Corpus {
            inner: Inner::Dir(dir_entries(path)?.into_iter()),
        });
    }
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let reader: Box<dyn BufRead + Send> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    };
    let base = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    Ok(Corpus {
        inner: Inner::Jsonl {
            reader,
            base,
            line: 0,
            buf: Vec::new(),
            done: false,
        },
    })
}

/// Reads a whole corpus, splitting good entries from bad lines.
pub fn read_all(path: &Path) -> Result<(Vec<Entry>, Vec<LineError>)> {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for item in open(path)? {
        match item {
            Ok(e) => good.push(e),
            Err(e) => bad.push(e),
        }
    }
    Ok((good, bad))
}

/// A streaming corpus reader: yields one entry or one line error at a time.
pub struct Corpus {
    inner: Inner,
}

enum Inner {
    Jsonl {
        reader: Box<dyn BufRead + Send>,
        base: PathBuf,
        line: usize,
        buf: Vec<u8>,
        done: bool,
    },
    Dir(std::vec::IntoIter<Entry>),
}

impl std::fmt::Debug for Corpus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Corpus")
    }
}

impl Iterator for Corpus {
    type Item = std::result::Result<Entry, LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            Inner::Dir(it) => it.next().map(Ok),
            Inner::Jsonl {
                reader,
                base,
                line,
                buf,
                done,
            } => loop {
                if *done {
                    return None;
                }
                buf.clear();
                *line += 1;
                let n = match reader
                    .by_ref()
                    .take(MAX_LINE_BYTES as u64 + 1)
                    .read_until(b'\n', buf)
                {
                    Ok(n) => n,
                    Err(e) => {
                        *done = true;
                        return Some(Err(LineError {
                            id: None,
                            line: *line,
                            message: format!("read error: {e}"),
                        }));
                    }
                };
                if n == 0 {
                    *done = true;
                    return None;
                }
                if buf.len() > MAX_LINE_BYTES && buf.last() != Some(&b'\n') {
                    // Skip the rest of the overlong line.
                    let mut sink = Vec::new();
                    loop {
                        sink.clear();
                        match reader.by_ref().take(1 << 20).read_until(b'\n', &mut sink) {
                            Ok(0) => break,
                            Ok(_) if sink.last() == Some(&b'\n') => break,
                            Ok(_) => continue,
                            Err(_) => break,
                        }
                    }
                    return Some(Err(LineError {
                        id: None,
                        line: *line,
                        message: format!("line longer than {MAX_LINE_BYTES} bytes"),
                    }));
                }
                let text = String::from_utf8_lossy(buf);
                let trimmed = text.trim();
                if trimmed.is_empty() {
                    continue;
                }
                return Some(parse_line(trimmed, base, *line));
            },
        }
    }
}

#[derive(Deserialize)]
struct RawLine {
    id: Option<serde_json::Value>,
    label: Option<String>,
    url: Option<String>,
    html: Option<String>,
    text: Option<String>,
    path: Option<String>,
    content_type: Option<String>,
    kind: Option<serde_json::Value>,
    source: Option<serde_json::Value>,
    template: Option<serde_json::Value>,
    lang: Option<serde_json::Value>,
}

fn as_string(v: Option<serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn parse_line(text: &str, base: &Path, line: usize) -> std::result::Result<Entry, LineError> {
    let err = |id: Option<String>, message: String| LineError { id, line, message };
    let raw: RawLine =
        serde_json::from_str(text).map_err(|e| err(None, format!("not a JSON object: {e}")))?;
    let id = as_string(raw.id)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| err(None, "no id".into()))?;
    let label = match raw.label.as_deref() {
        None | Some("") => None,
        Some("spam") => Some(Label::Spam),
        Some("ham") => Some(Label::Ham),
        Some(other) => {
            return Err(err(
                Some(id),
                format!("label {other:?} is neither \"spam\" nor \"ham\""),
            ))
        }
    };
    let body = if let Some(h) = raw.html {
        Body::Html(h)
    } else if let Some(t) = raw.text {
        Body::Text(t)
    } else if let Some(p) = raw.path {
        let p = PathBuf::from(p);
        Body::Path(if p.is_absolute() { p } else { base.join(p) })
    } else {
        return Err(err(Some(id), "none of html, text, path".into()));
    };
    Ok(Entry {
        id,
        label,
        url: raw.url,
        content_type: raw.content_type,
        body,
        kind: as_string(raw.kind),
        source: as_string(raw.source),
        template: as_string(raw.template),
        lang: as_string(raw.lang),
    })
}

fn dir_entries(root: &Path) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for (sub, label) in [("spam", Label::Spam), ("ham", Label::Ham)] {
        let dir = root.join(sub);
        if !dir.is_dir() {
            continue;
        }
        let mut files = Vec::new();
        walk(&dir, &mut files, 0)?;
        files.sort();
        for f in files {
            let id = f
                .strip_prefix(root)
                .unwrap_or(&f)
                .to_string_lossy()
                .replace('\\', "/");
            out.push(Entry {
                id,
                label: Some(label),
                url: None,
                content_type: None,
                body: Body::Path(f),
                kind: None,
                source: Some(sub.to_string()),
                template: None,
                lang: None,
            });
        }
    }
    if out.is_empty() {
        return Err(Error::Input(format!(
            "{}: a corpus folder needs files under spam/ or ham/",
            root.display()
        )));
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<()> {
    if depth > 16 {
        return Ok(());
    }
    for e in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let e = e.map_err(|e| Error::io(dir, e))?;
        let p = e.path();
        let ft = e.file_type().map_err(|e| Error::io(&p, e))?;
        if ft.is_dir() {
            walk(&p, out, depth + 1)?;
        } else if ft.is_file() {
            out.push(p);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn jsonl_bad_lines_do_not_stop_the_run() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.txt"), "Title\nbody").unwrap();
        let corpus = dir.path().join("c.jsonl");
        let mut f = File::create(&corpus).unwrap();
        writeln!(f, r#"{{"id":"a","label":"spam","html":"<p>x</p>"}}"#).unwrap();
        writeln!(f, "not json").unwrap();
        writeln!(f).unwrap();
        writeln!(f, r#"{{"id":"b","label":"maybe","text":"x"}}"#).unwrap();
        writeln!(f, r#"{{"id":"c","path":"p.txt","template":"t1"}}"#).unwrap();
        writeln!(f, r#"{{"id":"d","path":"missing.html"}}"#).unwrap();
        drop(f);
        let items: Vec<_> = open(&corpus).unwrap().collect();
        assert_eq!(items.len(), 5);
        assert!(items[0].is_ok());
        assert_eq!(items[1].as_ref().unwrap_err().line, 2);
        assert_eq!(items[2].as_ref().unwrap_err().id.as_deref(), Some("b"));
        let c = items[3].as_ref().unwrap();
        assert_eq!(c.group(), "template:t1");
        let loaded = c.load().unwrap();
        assert_eq!(loaded.bytes, b"Title\nbody");
        assert!(loaded.name_hint.ends_with(".txt"));
        // A missing file is an error when loading, not when listing.
        assert!(items[4].as_ref().unwrap().load().is_err());
    }

    #[test]
    fn folder_corpus_and_gz() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("spam/x")).unwrap();
        std::fs::create_dir_all(dir.path().join("ham")).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<title>t</title>").unwrap();
        std::fs::write(dir.path().join("spam/x/a.html.gz"), gz.finish().unwrap()).unwrap();
        std::fs::write(dir.path().join("ham/b.txt"), "t\nb").unwrap();
        let (good, bad) = read_all(dir.path()).unwrap();
        assert!(bad.is_empty());
        let ids: Vec<_> = good.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["spam/x/a.html.gz", "ham/b.txt"]);
        assert_eq!(good[0].label, Some(Label::Spam));
        let l = good[0].load().unwrap();
        assert_eq!(l.bytes, b"<title>t</title>");
        assert!(l.name_hint.ends_with("a.html"));
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host("https://www.Example.com:8080/a?b").as_deref(),
            Some("example.com")
        );
        assert_eq!(host(""), None);
    }
}
