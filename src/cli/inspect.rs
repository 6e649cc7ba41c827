//! `pagescore inspect`: what the reader saw. A plain report by default, the whole [`Page`] as
//! JSON with `--json`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use pagescore::extract::Page;
use pagescore::read::RawPage;
use pagescore::Scorer;

/// Paragraphs of main text shown in the report.
const SHOWN_PARAGRAPHS: usize = 8;
/// Characters shown of each paragraph.
const SHOWN_CHARS: usize = 240;

/// Arguments of `pagescore inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The page file (HTML, `.txt` plain text, or `.gz` of either).
    pub path: PathBuf,
    /// The URL the page was fetched from (decides which links leave the site).
    #[arg(long)]
    pub url: Option<String>,
    /// The HTTP Content-Type header the page came with (its charset beats `<meta>`).
    #[arg(long)]
    pub content_type: Option<String>,
    /// Print the extracted page as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `pagescore inspect`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.path)
        .with_context(|| format!("cannot read {}", args.path.display()))?;
    let name = args.path.to_string_lossy();
    let raw = RawPage {
        bytes: &bytes,
        url: args.url.as_deref(),
        content_type: args.content_type.as_deref(),
        name_hint: Some(&name),
    };
    let page = Scorer::embedded()?
        .inspect(&raw)
        .with_context(|| format!("cannot inspect {}", args.path.display()))?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &page)?;
        writeln!(out)?;
    } else {
        report(&mut out, &page)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the human-readable report of `page`.
fn report(out: &mut impl Write, page: &Page) -> std::io::Result<()> {
    let src = &page.source;
    writeln!(out, "== read")?;
    writeln!(out, "kind:       {:?}", src.kind)?;
    writeln!(
        out,
        "charset:    {} (from {:?})",
        src.charset, src.charset_source
    )?;
    if let Some(note) = &src.charset_note {
        writeln!(out, "            {note}")?;
    }
    writeln!(
        out,
        "input:      {} bytes{}{}",
        src.input_bytes,
        if src.truncated { ", TRUNCATED" } else { "" },
        if src.had_decode_errors {
            ", malformed bytes replaced"
        } else {
            ""
        }
    )?;
    if let Some(url) = &page.url {
        writeln!(out, "url:        {url}")?;
    }

    writeln!(out, "\n== page")?;
    let t = &page.title;
    if t.text.is_empty() {
        writeln!(out, "title:      (none)")?;
    } else {
        writeln!(out, "title:      {}", t.text)?;
    }
    if let Some(suffix) = &t.suffix {
        writeln!(out, "  suffix:   {suffix}")?;
    }
    if t.raw != t.text {
        writeln!(out, "  raw:      {}", t.raw)?;
    }
    if !t.source.is_empty() {
        writeln!(out, "  source:   {}", t.source)?;
    }
    if let Some(h1) = &t.h1 {
        writeln!(out, "  h1:       {h1}")?;
    }
    opt(out, "lang", page.lang.as_deref())?;
    opt(out, "canonical", page.canonical_url.as_deref())?;
    if !page.breadcrumb.is_empty() {
        writeln!(out, "breadcrumb: {}", page.breadcrumb.join(" > "))?;
    }
    list(out, "bylines", &page.bylines)?;
    list(out, "datelines", &page.datelines)?;
    list(out, "counters", &page.counters)?;
    if !page.dates.is_empty() {
        writeln!(out, "dates:")?;
        for d in &page.dates {
            let ymd = d.ymd.map_or_else(
                || "-".to_owned(),
                |(y, m, d)| format!("{y:04}-{m:02}-{d:02}"),
            );
            writeln!(
                out,
                "  {:<12} {:<10} {}",
                format!("{:?}", d.source),
                ymd,
                d.raw
            )?;
        }
    }

    writeln!(out, "\n== main text ({} paragraphs)", page.main_text.len())?;
    for p in page.main_text.iter().take(SHOWN_PARAGRAPHS) {
        writeln!(out, "  | {}", shorten(p, SHOWN_CHARS))?;
    }
    if page.main_text.len() > SHOWN_PARAGRAPHS {
        writeln!(
            out,
            "  ... {} more",
            page.main_text.len() - SHOWN_PARAGRAPHS
        )?;
    }

    writeln!(out, "\n== link blocks ({})", page.link_blocks.len())?;
    for (i, b) in page.link_blocks.iter().enumerate() {
        writeln!(
            out,
            "[{}] {} ({}, {} links)",
            i + 1,
            b.heading.as_deref().unwrap_or("(no heading)"),
            b.region,
            b.links.len()
        )?;
        for l in &b.links {
            let ext = if l.external { " [external]" } else { "" };
            match &l.href {
                Some(href) => writeln!(out, "    - {} -> {href}{ext}", l.text)?,
                None => writeln!(out, "    - {}{ext}", l.text)?,
            }
        }
    }

    if !page.ad_markers.is_empty() {
        writeln!(out, "\n== ad markers ({})", page.ad_markers.len())?;
        for m in &page.ad_markers {
            writeln!(out, "  {:?}: {}", m.kind, m.evidence)?;
        }
    }

    let s = &page.stats;
    writeln!(out, "\n== stats")?;
    writeln!(
        out,
        "source chars {}, visible chars {}, anchor chars {}, visible lines {}",
        s.source_chars,
        s.visible_chars,
        s.anchor_chars,
        s.visible_lines.len()
    )?;
    writeln!(
        out,
        "elements {}, links {} ({} external), scripts {}{}",
        s.elements,
        s.links,
        s.external_links,
        s.scripts,
        if s.limit_hit { ", LIMIT HIT" } else { "" }
    )
}

fn opt(out: &mut impl Write, label: &str, value: Option<&str>) -> std::io::Result<()> {
    match value {
        Some(v) => writeln!(out, "{:<11} {v}", format!("{label}:")),
        None => Ok(()),
    }
}

fn list(out: &mut impl Write, label: &str, values: &[String]) -> std::io::Result<()> {
    if values.is_empty() {
        return Ok(());
    }
    writeln!(out, "{:<11} {}", format!("{label}:"), values.join(" · "))
}

/// `s` cut to `max` characters, with an ellipsis when cut.
fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}
