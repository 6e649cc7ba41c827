//! `pagescore eval`: how the model does on a labeled corpus: ROC AUC, precision, recall, F1 and
//! false-positive rate at the model's thresholds, precision at a 1-in-10 spam mix, confusion by
//! `kind` and `source`, and the worst false positives and false negatives with their reasons.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use pagescore::corpus;
use pagescore::model::metrics::{Confusion, Metrics};
use pagescore::model::Score;
use pagescore::signals::Explain;
use serde_json::json;

use super::pages;
use super::score::{fmt_value, one_line, scorer};

/// Arguments of `pagescore eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The labeled corpus (JSONL or spam/ham folder).
    #[arg(long)]
    pub corpus: PathBuf,
    /// Model folder or header file (default: the model built into the binary).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Print one JSON object instead of the report.
    #[arg(long)]
    pub json: bool,
    /// How many worst false positives and negatives to list.
    #[arg(long, default_value_t = 10)]
    pub worst: usize,
}

struct Row {
    id: String,
    spam: bool,
    kind: Option<String>,
    source: Option<String>,
    score: Score,
}

/// Runs `pagescore eval`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let scorer = scorer(args.model.as_deref())?;
    let (entries, bad) = corpus::read_all(&args.corpus)
        .with_context(|| format!("cannot read corpus {}", args.corpus.display()))?;
    let entries: Vec<_> = entries.into_iter().filter(|e| e.label.is_some()).collect();
    if entries.is_empty() {
        bail!("{}: no labeled pages", args.corpus.display());
    }
    let pb = pages::progress(entries.len(), "eval");
    let explain = Explain::Detailed;
    let results = pages::map_pages(&entries, &pb, |_, l| scorer.score(&l.raw(), explain));
    pb.finish_and_clear();

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (e, r) in entries.into_iter().zip(results) {
        match r {
            Ok(score) => rows.push(Row {
                spam: e.label.is_some_and(|l| l.is_spam()),
                id: e.id,
                kind: e.kind,
                source: e.source,
                score,
            }),
            Err(msg) => errors.push((e.id, msg)),
        }
    }
    let th = scorer.model_details().thresholds;
    let probs: Vec<f64> = rows.iter().map(|r| r.score.spam_probability).collect();
    let labels: Vec<bool> = rows.iter().map(|r| r.spam).collect();
    let metrics = Metrics::compute(&probs, &labels, th.spam, th.suspect);
    let by_kind = breakdown(&rows, |r| r.kind.as_deref(), th.spam);
    let by_source = breakdown(&rows, |r| r.source.as_deref(), th.spam);

    let mut fp: Vec<&Row> = rows.iter().filter(|r| !r.spam).collect();
    fp.sort_by(|a, b| {
        b.score
            .spam_probability
            .total_cmp(&a.score.spam_probability)
    });
    fp.truncate(args.worst);
    let mut fneg: Vec<&Row> = rows.iter().filter(|r| r.spam).collect();
    fneg.sort_by(|a, b| {
        a.score
            .spam_probability
            .total_cmp(&b.score.spam_probability)
    });
    fneg.truncate(args.worst);

    let mut out = std::io::stdout().lock();
    if args.json {
        let worst = |rs: &[&Row], positive: bool| -> Vec<serde_json::Value> {
            rs.iter()
                .map(|r| {
                    json!({
                        "id": r.id,
                        "spam_probability": r.score.spam_probability,
                        "verdict": r.score.verdict.as_str(),
                        "top_signals": top(&r.score, positive, 3).iter().map(|(n, c, v, ev)| json!({
                            "name": n, "contribution": c, "value": v, "evidence": ev,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect()
        };
        let report = json!({
            "model_version": scorer.model_details().model_version,
            "corpus": args.corpus.display().to_string(),
            "pages": rows.len(),
            "errors": errors.len(),
            "bad_lines": bad.len(),
            "thresholds": th,
            "roc_auc": metrics.roc_auc,
            "log_loss": metrics.log_loss,
            "at_spam": rates(&metrics.at_spam),
            "at_suspect": rates(&metrics.at_suspect),
            "by_kind": by_kind.iter().map(|(k, c)| (k.clone(), rates(c))).collect::<BTreeMap<_, _>>(),
            "by_source": by_source.iter().map(|(k, c)| (k.clone(), rates(c))).collect::<BTreeMap<_, _>>(),
            "worst_false_positives": worst(&fp, true),
            "worst_false_negatives": worst(&fneg, false),
        });
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }

    writeln!(out, "model {}", scorer.model_details().model_version)?;
    writeln!(
        out,
        "corpus {}: {} pages ({} spam, {} ham), {} unreadable, {} bad lines",
        args.corpus.display(),
        rows.len(),
        metrics.spam,
        rows.len() - metrics.spam,
        errors.len(),
        bad.len()
    )?;
    writeln!(
        out,
        "ROC AUC {}   log loss {:.4}",
        metrics
            .roc_auc
            .map_or("n/a".to_string(), |a| format!("{a:.4}")),
        metrics.log_loss
    )?;
    writeln!(
        out,
        "{:<22} {:>9} {:>9} {:>9} {:>9} {:>9} {:>14}",
        "threshold", "precision", "recall", "F1", "FPR", "accuracy", "precision@1:10"
    )?;
    for (name, t, c) in [
        ("spam", th.spam, &metrics.at_spam),
        ("suspect", th.suspect, &metrics.at_suspect),
    ] {
        writeln!(
            out,
            "{:<22} {:>9.4} {:>9.4} {:>9.4} {:>9.4} {:>9.4} {:>14.4}",
            format!("{name} >= {t:.4}"),
            c.precision(),
            c.recall(),
            c.f1(),
            c.fpr(),
            c.accuracy(),
            c.precision_at_prevalence(0.1)
        )?;
    }
    for (title, table) in [("kind", &by_kind), ("source", &by_source)] {
        if table.len() <= 1 && table.keys().all(|k| k == "-") {
            continue;
        }
        writeln!(out, "\nby {title} (at the spam threshold)")?;
        writeln!(
            out,
            "  {:<30} {:>6} {:>6} {:>6} {:>6} {:>6} {:>8} {:>8}",
            title, "pages", "TP", "FN", "FP", "TN", "recall", "FPR"
        )?;
        for (k, c) in table {
            writeln!(
                out,
                "  {:<30} {:>6} {:>6} {:>6} {:>6} {:>6} {:>8} {:>8}",
                one_line(k, 30),
                c.tp + c.fn_ + c.fp + c.tn,
                c.tp,
                c.fn_,
                c.fp,
                c.tn,
                rate(c.tp, c.tp + c.fn_),
                rate(c.fp, c.fp + c.tn)
            )?;
        }
    }
    for (title, list, positive) in [
        ("worst false positives (ham scored highest)", &fp, true),
        ("worst false negatives (spam scored lowest)", &fneg, false),
    ] {
        writeln!(out, "\n{title}")?;
        for r in list.iter() {
            writeln!(
                out,
                "  {:.4} {:<8} {}",
                r.score.spam_probability,
                r.score.verdict.as_str(),
                r.id
            )?;
            for (name, c, v, ev) in top(&r.score, positive, 3) {
                writeln!(
                    out,
                    "      {c:+6.2} {name} = {}{}",
                    fmt_value(v),
                    ev.first()
                        .map(|e| format!("  ({})", one_line(e, 80)))
                        .unwrap_or_default()
                )?;
            }
        }
    }
    for (id, msg) in errors.iter().take(10) {
        writeln!(out, "unreadable {id}: {msg}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The `n` signals that pushed hardest towards spam (`positive`) or towards ham.
fn top(score: &Score, positive: bool, n: usize) -> Vec<(&'static str, f64, f64, Vec<String>)> {
    let mut s: Vec<_> = score.signals.iter().collect();
    if positive {
        s.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
    } else {
        s.sort_by(|a, b| a.contribution.total_cmp(&b.contribution));
    }
    s.into_iter()
        .take(n)
        .map(|s| (s.name, s.contribution, s.value, s.evidence.clone()))
        .collect()
}

fn breakdown<'a>(
    rows: &'a [Row],
    key: impl Fn(&'a Row) -> Option<&'a str>,
    threshold: f64,
) -> BTreeMap<String, Confusion> {
    let mut m: BTreeMap<String, Confusion> = BTreeMap::new();
    for r in rows {
        let k = key(r).filter(|k| !k.is_empty()).unwrap_or("-").to_string();
        m.entry(k)
            .or_default()
            .add(r.spam, r.score.spam_probability >= threshold);
    }
    m
}

fn rates(c: &Confusion) -> serde_json::Value {
    json!({
        "tp": c.tp, "fp": c.fp, "tn": c.tn, "fn": c.fn_,
        "precision": c.precision(), "recall": c.recall(), "f1": c.f1(), "fpr": c.fpr(),
        "accuracy": c.accuracy(), "precision_at_1_in_10": c.precision_at_prevalence(0.1),
    })
}

fn rate(num: usize, den: usize) -> String {
    if den == 0 {
        "-".into()
    } else {
        format!("{:.4}", num as f64 / den as f64)
    }
}
