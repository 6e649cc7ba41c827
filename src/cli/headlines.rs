//! `pagescore headlines`: clickbait and promo probabilities of headlines, one a line, for
//! debugging the text models.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use pagescore::signals::text::TextModels;
use serde::Serialize;

/// Longest line read; the rest of a longer line is ignored (a headline is short).
const MAX_LINE_BYTES: u64 = 64 * 1024;

/// Arguments of `pagescore headlines`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// File with one headline a line; `-` or nothing reads stdin.
    pub path: Option<PathBuf>,
    /// Print one JSON object a line instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Text models saved as JSON (`target/textmodels.json` from
    /// `cargo run --release --example train_text_models`) instead of the model's own.
    #[arg(long, env = "PAGESCORE_TEXT_MODELS", conflicts_with = "model")]
    pub text_models: Option<PathBuf>,
    /// Model folder or header file whose text models to use (default: the model built into
    /// the binary).
    #[arg(long, env = "PAGESCORE_MODEL")]
    pub model: Option<PathBuf>,
    /// Words listed per headline as evidence (JSON output).
    #[arg(long, default_value_t = 3)]
    pub words: usize,
}

#[derive(Serialize)]
struct Row<'a> {
    headline: &'a str,
    clickbait: f64,
    promo: f64,
    topic: Option<&'a str>,
    topic_probability: Option<f64>,
    clickbait_words: Vec<(String, f32)>,
}

/// Runs `pagescore headlines`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (own, scorer);
    let models: &TextModels = match args.text_models.as_deref() {
        Some(path) => {
            own = TextModels::load_json(path)
                .with_context(|| format!("cannot load text models {}", path.display()))?;
            &own
        }
        None => {
            scorer = super::score::scorer(args.model.as_deref())?;
            &scorer.bundle().payload.text
        }
    };
    let input: Box<dyn Read> = match args.path.as_deref() {
        None => Box::new(std::io::stdin().lock()),
        Some(p) if p.as_os_str() == "-" => Box::new(std::io::stdin().lock()),
        Some(p) => Box::new(
            std::fs::File::open(p).with_context(|| format!("cannot read {}", p.display()))?,
        ),
    };
    let mut reader = BufReader::new(input);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = (&mut reader)
            .take(MAX_LINE_BYTES)
            .read_until(b'\n', &mut buf)?;
        if n == 0 {
            break;
        }
        if buf.last() != Some(&b'\n') && n as u64 == MAX_LINE_BYTES {
            // skip the rest of an overlong line
            let mut sink = Vec::new();
            reader.read_until(b'\n', &mut sink)?;
        }
        let line = String::from_utf8_lossy(&buf);
        let headline = line.trim();
        if headline.is_empty() {
            continue;
        }
        let clickbait = models.clickbait.probability(headline);
        let promo = models.promo.probability(headline);
        if args.json {
            let top = models.topics.top_topic(headline);
            let row = Row {
                headline,
                clickbait,
                promo,
                topic: top.map(|t| t.0),
                topic_probability: top.map(|t| t.1),
                clickbait_words: models.clickbait.top_words(headline, args.words),
            };
            serde_json::to_writer(&mut out, &row)?;
            writeln!(out)?;
        } else {
            writeln!(out, "{clickbait:.3}\t{promo:.3}\t{headline}")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
