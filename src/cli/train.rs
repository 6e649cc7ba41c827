//! `pagescore train`: compile EasyList, train the text models, compute the signals of every
//! corpus page, fit and calibrate the spam model, write the bundle to `models/`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};
use pagescore::corpus;
use pagescore::extract::ads::AdMatcher;
use pagescore::model::artifact::{self, Bundle, BundleMeta, ShippedMetrics};
use pagescore::model::fit::{self, FitOptions};
use pagescore::model::metrics::Metrics;
use pagescore::signals::text::train::Purpose;
use pagescore::signals::{self, text::TextModels, Explain};
use pagescore::Scorer;

use super::pages;

/// Arguments of `pagescore train`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shared data folder (EasyList, clickbait and news sets for the text models).
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// The labeled training corpus (JSONL or spam/ham folder).
    #[arg(long)]
    pub corpus: PathBuf,
    /// A held-out corpus whose metrics ship in the model header.
    #[arg(long)]
    pub test: Option<PathBuf>,
    /// Folder to write the model bundle into.
    #[arg(long, default_value = "models")]
    pub out: PathBuf,
    /// Seed for the folds and the text models.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// UTC date stamped into the model version (default: today, or `SOURCE_DATE_EPOCH`).
    #[arg(long)]
    pub date: Option<String>,
    /// Quantile bins per signal in the spam model (at most 64).
    #[arg(long, default_value_t = FitOptions::default().bins)]
    pub bins: usize,
    /// Adaptive-ridge rounds after the first fit (0: plain L2 on the bin steps).
    #[arg(long, default_value_t = FitOptions::default().reweights)]
    pub reweights: usize,
    /// Out-of-fold false-positive rate on real pages that the spam threshold is set for (and
    /// the L2 strength picked by recall at). Half the 1% that a verdict may cost real pages:
    /// with cross-fitted signals the out-of-fold rate carries over to held-out pages almost
    /// exactly, and the real pages a crawler meets are more varied than any corpus.
    #[arg(long, default_value_t = 0.005)]
    pub spam_fpr: f64,
    /// Fit the signals of spam signs (`signals::INCREASING`) with shapes that never fall, each
    /// measured from the page without the sign: contributions that read as "this sign pushed
    /// the page up by so much" and that cannot learn a quirk of the corpus backwards; worth
    /// most on a small corpus of your own. The shipped model is fitted without it (it scores
    /// a little lower out of fold on our corpus; see the README).
    #[arg(long)]
    pub monotone: bool,
    /// Reuse already trained text models instead of training them (a model folder or header,
    /// or a text-models JSON file): for iterating on the spam model alone.
    #[arg(long)]
    pub text_models: Option<PathBuf>,
    /// The text models whose outputs the spam model is trained on (same forms as
    /// `--text-models`). They must not have trained on the training pages' headlines and ads:
    /// a classifier is surer of its own training text than of anything a crawler meets, and a
    /// spam model fitted on such outputs learns to trust only near-certain scores. Default:
    /// trained beside the shipped ones without those ingredients; with `--text-models` and
    /// without this option, the reused models themselves (with a warning).
    #[arg(long)]
    pub feature_text_models: Option<PathBuf>,
}

/// Runs `pagescore train`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let suspect_fpr = FitOptions::default().suspect_fpr;
    if !(args.spam_fpr > 0.0 && args.spam_fpr < suspect_fpr) {
        bail!(
            "--spam-fpr {} must be above 0 and below the suspect threshold's target {suspect_fpr}",
            args.spam_fpr
        );
    }
    let ads = compile_ads(&args.data)?;
    let (text, text_report) = match &args.text_models {
        Some(p) => reuse_text(p)?,
        None => train_text_for(&args.data, args.seed, Purpose::Shipped)?
            .map_or((TextModels::default(), None), |(m, r)| (m, Some(r))),
    };
    let mut notes = Vec::new();
    let feature_text = match (&args.feature_text_models, &args.text_models) {
        (Some(p), _) => Some(reuse_text(p)?.0),
        (None, None) => train_text_for(&args.data, args.seed, Purpose::Features)?.map(|t| t.0),
        (None, Some(_)) => {
            eprintln!(
                "warning: no --feature-text-models: the spam model learns from the shipped text \
                 models' outputs on their own training headlines"
            );
            None
        }
    };
    notes.push(
        match feature_text {
            Some(_) => {
                "training-page signals from text models that never saw those pages' \
                        headlines and ads (cross-fitted)"
            }
            None => "training-page signals from the shipped text models (not cross-fitted)",
        }
        .to_string(),
    );
    let t_text = start.elapsed();
    // The shipped text models score the held-out corpus and ship in the bundle; the features'
    // models only compute the training rows.
    let scorer = Scorer::untrained(ads.clone(), text.clone());
    let feature_scorer = match feature_text {
        Some(t) => Scorer::untrained(ads.clone(), t),
        None => scorer.clone(),
    };

    let (entries, bad) = corpus::read_all(&args.corpus)
        .with_context(|| format!("cannot read corpus {}", args.corpus.display()))?;
    for b in bad.iter().take(10) {
        eprintln!("skipped corpus {b}");
    }
    let entries: Vec<_> = entries.into_iter().filter(|e| e.label.is_some()).collect();
    if entries.is_empty() {
        bail!("{}: no labeled pages", args.corpus.display());
    }
    let pb = pages::progress(entries.len(), "signals");
    let rows = pages::map_pages(&entries, &pb, |_, loaded| {
        let page = feature_scorer.inspect(&loaded.raw())?;
        Ok(feature_scorer.signals(&page, Explain::Skip).values())
    });
    pb.finish_and_clear();

    let names: Vec<String> = signals::SCHEMA.iter().map(|s| s.to_string()).collect();
    let mut x = Vec::new();
    let mut y = Vec::new();
    let mut groups = Vec::new();
    let mut ids = Vec::new();
    let mut failed = 0usize;
    for (e, r) in entries.iter().zip(rows) {
        match r {
            Ok(v) => {
                let spam = e.label.is_some_and(|l| l.is_spam());
                x.push(v);
                y.push(spam);
                groups.push(e.group());
                ids.push((e.id.as_str(), spam));
            }
            Err(msg) => {
                failed += 1;
                if failed <= 10 {
                    eprintln!("skipped {}: {msg}", e.id);
                }
            }
        }
    }
    let t_signals = start.elapsed();
    let opts = FitOptions {
        seed: args.seed,
        bins: args.bins,
        reweights: args.reweights,
        spam_fpr: args.spam_fpr,
        increasing: if args.monotone {
            pagescore::signals::INCREASING
                .iter()
                .map(|s| s.to_string())
                .collect()
        } else {
            Vec::new()
        },
        ..FitOptions::default()
    };
    let (model, report) = fit::fit(&names, &x, &y, &groups, &opts)?;

    let test = match &args.test {
        Some(p) => Some(test_metrics(&scorer, &model, p)?),
        None => None,
    };
    let trained_on = match &args.date {
        Some(d) => d.clone(),
        None => artifact::utc_date(source_date()),
    };
    notes.push(format!(
        "trained on {} pages ({} spam), {} bad lines, {} unreadable pages",
        x.len(),
        report.spam,
        bad.len(),
        failed
    ));
    let meta = BundleMeta {
        trained_on,
        data_fingerprint: artifact::data_fingerprint(ids),
        seed: args.seed,
        metrics: ShippedMetrics {
            cv: Some(report.cv.clone()),
            test: test.clone(),
        },
        fit: Some(report.clone()),
        notes,
        text_report,
    };
    let bundle = Bundle::new(model, ads, text, meta);
    let header_path = bundle.save(&args.out)?;
    let size: u64 = [artifact::HEADER_FILE, artifact::PAYLOAD_FILE]
        .iter()
        .filter_map(|f| std::fs::metadata(args.out.join(f)).ok())
        .map(|m| m.len())
        .sum();

    println!("model {}", bundle.header.model_version);
    println!(
        "  written to      {} ({} bytes)",
        header_path.display(),
        size
    );
    println!(
        "  pages           {} ({} spam, {} ham), {} groups, {} folds; {} bad lines, {} unreadable",
        report.pages,
        report.spam,
        report.pages - report.spam,
        report.groups,
        report.folds,
        bad.len(),
        failed
    );
    println!(
        "  spam model      {} bins per signal, {} adaptive-ridge round(s)",
        report.bins, report.reweights
    );
    for t in &report.trials {
        println!(
            "  lambda {:<8}  cv auc {:.4}  cv log loss {:.4}  cv recall at spam fpr {:.4}{}",
            t.lambda,
            t.roc_auc,
            t.log_loss,
            t.recall_at_spam_fpr,
            if t.lambda == report.lambda {
                "  <- chosen"
            } else {
                ""
            }
        );
    }
    let th = bundle.header.thresholds;
    println!(
        "  thresholds      spam >= {:.4} (target FPR {}), suspect >= {:.4} (target FPR {})",
        th.spam, th.spam_target_fpr, th.suspect, th.suspect_target_fpr
    );
    print_metrics("cv (out of fold)", &report.cv);
    if let Some(m) = &test {
        print_metrics("test", m);
    }
    println!("  signal effects (logit: linear weight per standard deviation, centred bin weights min..max):");
    let a = &bundle.header.model.additive;
    let mut w: Vec<(&String, f64, f64, f64)> = bundle
        .header
        .model
        .features
        .iter()
        .enumerate()
        .map(|(j, name)| {
            let c = a.centres.get(j).copied().unwrap_or(0.0);
            let bw = a.bin_weights.get(j).map_or(&[][..], Vec::as_slice);
            let lo = bw.iter().fold(f64::INFINITY, |m, &v| m.min(v - c));
            let hi = bw.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v - c));
            let (lo, hi) = if bw.is_empty() { (0.0, 0.0) } else { (lo, hi) };
            (
                name,
                a.linear.weights.get(j).copied().unwrap_or(0.0),
                lo,
                hi,
            )
        })
        .collect();
    w.sort_by(|x, y| (y.1.abs() + y.3 - y.2).total_cmp(&(x.1.abs() + x.3 - x.2)));
    for (name, weight, lo, hi) in w {
        println!("    {weight:+8.3}  bins {lo:+7.3}..{hi:+7.3}  {name}");
    }
    println!(
        "  time            {:.1}s (text models {:.1}s, signals {:.1}s, fit {:.1}s)",
        start.elapsed().as_secs_f64(),
        t_text.as_secs_f64(),
        (t_signals - t_text).as_secs_f64(),
        (start.elapsed() - t_signals).as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn print_metrics(what: &str, m: &Metrics) {
    let s = &m.at_spam;
    println!(
        "  {what:<15} auc {}  precision {:.4}  recall {:.4}  F1 {:.4}  FPR {:.4}  precision@1:10 {:.4}  ({} pages, {} spam)",
        m.roc_auc.map_or("n/a".into(), |a| format!("{a:.4}")),
        s.precision(),
        s.recall(),
        s.f1(),
        s.fpr(),
        s.precision_at_prevalence(0.1),
        m.pages,
        m.spam
    );
}

fn test_metrics(
    scorer: &Scorer,
    model: &pagescore::model::SpamModel,
    path: &Path,
) -> anyhow::Result<Metrics> {
    let (entries, _) = corpus::read_all(path)
        .with_context(|| format!("cannot read test corpus {}", path.display()))?;
    let entries: Vec<_> = entries.into_iter().filter(|e| e.label.is_some()).collect();
    let pb = pages::progress(entries.len(), "test");
    let rows = pages::map_pages(&entries, &pb, |_, loaded| {
        let page = scorer.inspect(&loaded.raw())?;
        Ok(model.probability(&scorer.signals(&page, Explain::Skip).values()))
    });
    pb.finish_and_clear();
    let mut p = Vec::new();
    let mut y = Vec::new();
    for (e, r) in entries.iter().zip(rows) {
        if let Ok(prob) = r {
            p.push(prob);
            y.push(e.label.is_some_and(|l| l.is_spam()));
        }
    }
    Ok(Metrics::compute(
        &p,
        &y,
        model.thresholds.spam,
        model.thresholds.suspect,
    ))
}

fn source_date() -> u64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        })
}

/// Compiles the ad matcher from `DATA/adblock/easylist.txt` (the empty matcher, with a warning,
/// when the data folder has none: lets tests train without `../shared`).
fn compile_ads(data: &Path) -> anyhow::Result<AdMatcher> {
    let path = data.join("adblock/easylist.txt");
    if !path.is_file() {
        eprintln!(
            "warning: no {}: training without ad selectors",
            path.display()
        );
        return Ok(AdMatcher::default());
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(AdMatcher::compile(&text))
}

/// Trains the text models for `purpose` on the data folder (`None`, with a warning, when the
/// folder does not exist: untrained text models).
fn train_text_for(
    data: &Path,
    seed: u64,
    purpose: Purpose,
) -> anyhow::Result<Option<(TextModels, serde_json::Value)>> {
    if !data.is_dir() {
        eprintln!(
            "warning: no data folder {}: training with untrained text models",
            data.display()
        );
        return Ok(None);
    }
    let (models, report) = signals::text::train::train_for(data, seed, purpose)
        .with_context(|| format!("cannot train the text models on {}", data.display()))?;
    Ok(Some((models, serde_json::to_value(&report)?)))
}

/// Text models (and their report) from a model bundle, or from a text-models JSON file.
fn reuse_text(path: &Path) -> anyhow::Result<(TextModels, Option<serde_json::Value>)> {
    let is_bundle = path.is_dir() || path.file_name().is_some_and(|n| n == artifact::HEADER_FILE);
    if is_bundle {
        let (header, payload) = Bundle::load_parts(path)
            .with_context(|| format!("cannot reuse text models from {}", path.display()))?;
        Ok((payload.text, header.text_report))
    } else {
        let models = TextModels::load_json(path)
            .with_context(|| format!("cannot reuse text models from {}", path.display()))?;
        Ok((models, None))
    }
}
