//! `pagescore inspect`: what the reader saw.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use pagescore::read::RawPage;
use pagescore::Scorer;

/// Arguments of `pagescore inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The page file (HTML, `.txt` plain text, or `.gz` of either).
    pub path: PathBuf,
    /// The URL the page was fetched from (decides which links leave the site).
    #[arg(long)]
    pub url: Option<String>,
    /// The HTTP Content-Type header the page came with.
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
    let page = Scorer::embedded()?.inspect(&raw)?;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &page)?;
    writeln!(out)?;
    Ok(ExitCode::SUCCESS)
}
