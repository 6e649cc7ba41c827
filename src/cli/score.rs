//! `pagescore score`: score page files, or every page of a corpus, and say why.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use pagescore::corpus::{self, Entry};
use pagescore::model::Score;
use pagescore::read::RawPage;
use pagescore::signals::Explain;
use pagescore::Scorer;
use rayon::prelude::*;
use serde_json::json;

/// Arguments of `pagescore score`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Page files (HTML, `.txt` plain text, or `.gz` of either).
    #[arg(required_unless_present = "corpus", conflicts_with = "corpus")]
    pub paths: Vec<PathBuf>,
    /// Score every page of a corpus (JSONL file or spam/ham folder, see CORPUS.md).
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// The URL the page(s) were fetched from.
    #[arg(long)]
    pub url: Option<String>,
    /// The HTTP Content-Type header the page(s) came with.
    #[arg(long)]
    pub content_type: Option<String>,
    /// One JSON object a line instead of the human report.
    #[arg(long)]
    pub json: bool,
    /// Model folder or header file (default: the model built into the binary).
    #[arg(long)]
    pub model: Option<PathBuf>,
}

/// Loads the scorer for `--model` (or the embedded one).
pub fn scorer(model: Option<&std::path::Path>) -> anyhow::Result<Scorer> {
    Ok(match model {
        Some(p) => Scorer::load(p).with_context(|| format!("cannot load model {}", p.display()))?,
        None => Scorer::embedded()?,
    })
}

/// Runs `pagescore score`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let scorer = scorer(args.model.as_deref())?;
    let mut out = std::io::stdout().lock();
    if let Some(path) = &args.corpus {
        score_corpus(&scorer, path, args.json, &mut out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut failed = false;
    for path in &args.paths {
        let id = path.display().to_string();
        let result = std::fs::read(path)
            .with_context(|| format!("cannot read {id}"))
            .and_then(|bytes| {
                let raw = RawPage {
                    bytes: &bytes,
                    url: args.url.as_deref(),
                    content_type: args.content_type.as_deref(),
                    name_hint: Some(&id),
                };
                Ok(scorer.score(&raw, Explain::Detailed)?)
            });
        match result {
            Ok(score) => write_score(&mut out, &id, &score, args.json)?,
            Err(err) => {
                failed = true;
                write_error(&mut out, &id, &format!("{err:#}"), args.json)?;
            }
        }
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Pages scored in parallel per chunk; output stays in input order.
const CHUNK: usize = 256;

fn score_corpus(
    scorer: &Scorer,
    path: &std::path::Path,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let reader =
        corpus::open(path).with_context(|| format!("cannot open corpus {}", path.display()))?;
    let mut chunk: Vec<Result<Entry, corpus::LineError>> = Vec::with_capacity(CHUNK);
    let mut flush = |chunk: &mut Vec<Result<Entry, corpus::LineError>>| -> anyhow::Result<()> {
        let results: Vec<(String, Result<Score, String>)> = chunk
            .par_drain(..)
            .map(|item| match item {
                Ok(e) => {
                    let r = super::pages::guarded(|| {
                        e.load()
                            .and_then(|l| scorer.score(&l.raw(), Explain::Detailed))
                            .map_err(|err| err.to_string())
                    });
                    (e.id, r)
                }
                Err(le) => {
                    let id = le.id.clone().unwrap_or_else(|| format!("line:{}", le.line));
                    (id, Err(le.to_string()))
                }
            })
            .collect();
        for (id, r) in results {
            match r {
                Ok(score) => write_score(out, &id, &score, json)?,
                Err(msg) => write_error(out, &id, &msg, json)?,
            }
        }
        out.flush()?;
        Ok(())
    };
    for item in reader {
        chunk.push(item);
        if chunk.len() >= CHUNK {
            flush(&mut chunk)?;
        }
    }
    flush(&mut chunk)
}

/// The JSON line of one scored page (the CORPUS.md output format).
pub fn score_json(id: &str, score: &Score) -> serde_json::Value {
    json!({
        "id": id,
        "spam_probability": score.spam_probability,
        "verdict": score.verdict.as_str(),
        "signals": score.signals.iter().map(|s| json!({
            "name": s.name,
            "value": s.value,
            "contribution": s.contribution,
            "evidence": s.evidence,
        })).collect::<Vec<_>>(),
        "model_version": score.model_version,
        "truncated": score.truncated,
        "logit": score.logit,
        "intercept": score.intercept,
        "families": score.families(),
    })
}

fn write_score(out: &mut impl Write, id: &str, score: &Score, json: bool) -> anyhow::Result<()> {
    if json {
        serde_json::to_writer(&mut *out, &score_json(id, score))?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "{id}: {} (spam probability {:.3}){}",
        score.verdict.as_str(),
        score.spam_probability,
        if score.truncated {
            ", input truncated"
        } else {
            ""
        }
    )?;
    writeln!(
        out,
        "  model {}; contributions in logit units (intercept {:+.2}, logit {:+.2})",
        score.model_version, score.intercept, score.logit
    )?;
    let families: Vec<String> = score
        .families()
        .iter()
        .map(|f| format!("{} {:+.2}", f.name, f.contribution))
        .collect();
    writeln!(out, "  by family: {}", families.join(" · "))?;
    for s in &score.signals {
        writeln!(
            out,
            "  {:+7.2}  {:<28} {}",
            s.contribution,
            s.name,
            fmt_value(s.value)
        )?;
        for e in s.evidence.iter().take(5) {
            writeln!(out, "             - {}", one_line(e, 120))?;
        }
        if s.evidence.len() > 5 {
            writeln!(out, "             ... {} more", s.evidence.len() - 5)?;
        }
    }
    Ok(())
}

fn write_error(out: &mut impl Write, id: &str, msg: &str, json: bool) -> anyhow::Result<()> {
    if json {
        serde_json::to_writer(&mut *out, &json!({"id": id, "error": msg}))?;
        writeln!(out)?;
    } else {
        writeln!(out, "{id}: error: {msg}")?;
    }
    Ok(())
}

/// A signal value, short.
pub fn fmt_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e9 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

/// `s` on one line, cut to `max` characters.
pub fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max).collect();
        format!("{cut}…")
    }
}
