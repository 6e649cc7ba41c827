//! `pagescore bench`: the full pipeline over a corpus, timed per stage, beside a parse-only pass
//! over the same pages in the same run so the ratio survives a noisy machine. With more than one
//! thread, each timed pass is followed by a one-thread end-to-end pass for the same reason: the
//! scaling figure compares passes run minutes, not runs, apart.
//!
//! Pages are loaded into memory first (gzip files of a data set are inflated at load time, as a
//! crawler's HTTP client would have done), so disk and storage compression are not part of the
//! figures; MB are of the HTML as the scorer receives it. Besides wall-clock figures it reports
//! the CPU time the workers got (per-thread scheduler time), which stays meaningful on a machine
//! shared with other jobs.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use pagescore::read::RawPage;
use pagescore::scorer::StageTimes;
use pagescore::signals::Explain;
use pagescore::Scorer;
use serde::Serialize;

/// Arguments of `pagescore bench`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A folder of pages (every *.html, *.htm, *.xhtml, optionally .gz, found recursively), a
    /// corpus folder with `spam/` and `ham/`, or a corpus file (.jsonl, see CORPUS.md).
    #[arg(long)]
    pub corpus: PathBuf,
    /// Worker threads scoring pages in parallel. Default: 1.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Passes over the corpus before timing starts. Default: 1.
    #[arg(long, default_value_t = 1)]
    pub warmup: usize,
    /// Timed passes over the corpus. Default: 1.
    #[arg(long, default_value_t = 1)]
    pub passes: usize,
    /// Use at most this many pages (0 = all). Default: 0.
    #[arg(long, default_value_t = 0)]
    pub limit: usize,
    /// Also collect evidence strings (as `score` does for people). Default: off, as a crawler
    /// would call it.
    #[arg(long)]
    pub evidence: bool,
    /// Model bundle to score with. Default: the model shipped in the binary.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// One page held in memory, so disk time is not part of the figures.
struct BenchPage {
    name: String,
    bytes: Vec<u8>,
    content_type: Option<String>,
}

/// Latency and throughput figures of one pass kind.
#[derive(Debug, Serialize)]
struct PassReport {
    pages: usize,
    errors: usize,
    seconds: f64,
    pages_per_sec: f64,
    mb_per_sec: f64,
    /// CPU seconds the workers spent (scheduler time of the worker threads), all threads.
    cpu_seconds: f64,
    /// MB per CPU-second of one worker: throughput free of waiting for a busy machine.
    mb_per_cpu_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// p99 over pages of at most 1 MB.
    p99_ms_le_1mb: f64,
    max_ms: f64,
    slowest_page: String,
    /// The largest page and its latency (max over passes).
    largest_page: String,
    largest_page_ms: f64,
}

#[derive(Debug, Serialize)]
struct Report {
    corpus: String,
    pages: usize,
    corpus_mb: f64,
    threads: usize,
    model_version: String,
    parse_only: PassReport,
    end_to_end: PassReport,
    /// end-to-end pages/s divided by parse-only pages/s, same run, same threads.
    ratio_end_to_end_to_parse_only: f64,
    /// With more than one thread: end-to-end pages/s against one thread, same run.
    #[serde(skip_serializing_if = "Option::is_none")]
    scaling: Option<Scaling>,
    /// Share of pipeline time spent in each stage (sums to 1).
    stage_share: StageShare,
    peak_rss_mb: f64,
}

/// Parallel scaling measured within one run.
#[derive(Debug, Serialize)]
struct Scaling {
    /// End-to-end pages/s of the one-thread passes interleaved with the timed ones.
    one_thread_pages_per_sec: f64,
    /// The run's end-to-end pages/s divided by the one-thread figure.
    speedup: f64,
}

#[derive(Debug, Serialize)]
struct StageShare {
    read: f64,
    extract: f64,
    signals: f64,
    model: f64,
}

/// Runs `pagescore bench`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.threads == 0 {
        bail!("--threads must be at least 1");
    }
    let scorer = match &args.model {
        Some(path) => Scorer::load(path)?,
        None => Scorer::embedded()?,
    };
    let load_start = Instant::now();
    let mut pages = load_pages(&args.corpus)?;
    if args.limit > 0 {
        pages.truncate(args.limit);
    }
    if pages.is_empty() {
        bail!("no pages found in {}", args.corpus.display());
    }
    tracing::info!(
        pages = pages.len(),
        seconds = load_start.elapsed().as_secs_f64(),
        "loaded"
    );
    let explain = if args.evidence {
        Explain::Detailed
    } else {
        Explain::Skip
    };
    let total_bytes: usize = pages.iter().map(|p| p.bytes.len()).sum();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()
        .context("cannot start the worker threads")?;

    // With several threads, a one-thread pool for the scaling passes.
    let one_thread = if args.threads > 1 {
        Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .context("cannot start the one-thread pool")?,
        )
    } else {
        None
    };

    for _ in 0..args.warmup {
        pool.install(|| run_pass(&pages, args.threads, parse_only));
        pool.install(|| run_pass(&pages, args.threads, |p| score_one(&scorer, p, explain)));
    }
    let mut parse = Vec::new();
    let mut full = Vec::new();
    let mut single = Vec::new();
    for _ in 0..args.passes.max(1) {
        parse.push(pool.install(|| run_pass(&pages, args.threads, parse_only)));
        full.push(
            pool.install(|| run_pass(&pages, args.threads, |p| score_one(&scorer, p, explain))),
        );
        if let Some(one) = &one_thread {
            single.push(one.install(|| run_pass(&pages, 1, |p| score_one(&scorer, p, explain))));
        }
    }
    let parse_only = summarise(&pages, &parse, total_bytes);
    let end_to_end = summarise(&pages, &full, total_bytes);
    let scaling = (!single.is_empty()).then(|| {
        let one = summarise(&pages, &single, total_bytes);
        Scaling {
            one_thread_pages_per_sec: one.pages_per_sec,
            speedup: end_to_end.pages_per_sec / one.pages_per_sec.max(f64::MIN_POSITIVE),
        }
    });
    let stages = full
        .iter()
        .flat_map(|pass| pass.samples.iter().map(|s| s.stages))
        .fold(StageTimes::default(), |acc, s| acc.add(&s));
    let stage_total = stages.total().as_secs_f64().max(f64::MIN_POSITIVE);
    let report = Report {
        corpus: args.corpus.display().to_string(),
        pages: pages.len(),
        corpus_mb: total_bytes as f64 / 1e6,
        threads: args.threads,
        model_version: scorer.model_info().version,
        ratio_end_to_end_to_parse_only: end_to_end.pages_per_sec
            / parse_only.pages_per_sec.max(f64::MIN_POSITIVE),
        scaling,
        parse_only,
        end_to_end,
        stage_share: StageShare {
            read: stages.read.as_secs_f64() / stage_total,
            extract: stages.extract.as_secs_f64() / stage_total,
            signals: stages.signals.as_secs_f64() / stage_total,
            model: stages.model.as_secs_f64() / stage_total,
        },
        peak_rss_mb: peak_rss_bytes().map_or(f64::NAN, |b| b as f64 / 1e6),
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        print_human(&mut out, &report)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn print_human(out: &mut impl Write, r: &Report) -> std::io::Result<()> {
    writeln!(
        out,
        "corpus {}: {} pages, {:.1} MB; {} thread(s); model {}",
        r.corpus, r.pages, r.corpus_mb, r.threads, r.model_version
    )?;
    writeln!(
        out,
        "{:<12} {:>9} {:>9} {:>10} {:>8} {:>8} {:>9} {:>8} {:>7}",
        "pass", "pages/s", "MB/s", "MB/cpu-s", "p50 ms", "p99 ms", "p99<=1MB", "max ms", "errors"
    )?;
    for (name, p) in [("parse-only", &r.parse_only), ("end-to-end", &r.end_to_end)] {
        writeln!(
            out,
            "{:<12} {:>9.0} {:>9.1} {:>10.1} {:>8.3} {:>8.3} {:>9.3} {:>8.2} {:>7}",
            name,
            p.pages_per_sec,
            p.mb_per_sec,
            p.mb_per_cpu_sec,
            p.p50_ms,
            p.p99_ms,
            p.p99_ms_le_1mb,
            p.max_ms,
            p.errors
        )?;
    }
    writeln!(
        out,
        "end-to-end / parse-only: {:.2}",
        r.ratio_end_to_end_to_parse_only
    )?;
    if let Some(sc) = &r.scaling {
        writeln!(
            out,
            "scaling: {} threads {:.0} pages/s, 1 thread {:.0} pages/s in the same run: {:.2}x",
            r.threads, r.end_to_end.pages_per_sec, sc.one_thread_pages_per_sec, sc.speedup
        )?;
    }
    let s = &r.stage_share;
    writeln!(
        out,
        "stage share: read {:.1}%  extract {:.1}%  signals {:.1}%  model {:.1}%",
        s.read * 100.0,
        s.extract * 100.0,
        s.signals * 100.0,
        s.model * 100.0
    )?;
    writeln!(out, "slowest page: {}", r.end_to_end.slowest_page)?;
    writeln!(
        out,
        "largest page: {} end-to-end {:.2} ms, parse-only {:.2} ms",
        r.end_to_end.largest_page, r.end_to_end.largest_page_ms, r.parse_only.largest_page_ms
    )?;
    writeln!(
        out,
        "worker CPU: end-to-end {:.2} s, parse-only {:.2} s",
        r.end_to_end.cpu_seconds, r.parse_only.cpu_seconds
    )?;
    writeln!(out, "peak RSS: {:.1} MB", r.peak_rss_mb)
}

struct Sample {
    index: usize,
    elapsed: Duration,
    ok: bool,
    stages: StageTimes,
}

struct Pass {
    wall: Duration,
    cpu: Duration,
    samples: Vec<Sample>,
}

/// One pass over all pages on the current rayon pool, `threads` workers pulling the next page
/// index from a shared counter.
fn run_pass<F>(pages: &[BenchPage], threads: usize, work: F) -> Pass
where
    F: Fn(&BenchPage) -> (bool, StageTimes) + Sync,
{
    let next = AtomicUsize::new(0);
    let start = Instant::now();
    let mut per_worker: Vec<(Vec<Sample>, Duration)> =
        (0..threads).map(|_| (Vec::new(), Duration::ZERO)).collect();
    rayon::scope(|s| {
        for (samples, cpu) in per_worker.iter_mut() {
            let next = &next;
            let work = &work;
            s.spawn(move |_| {
                let cpu_start = thread_cpu_time();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(page) = pages.get(index) else { break };
                    let t = Instant::now();
                    let (ok, stages) = work(page);
                    samples.push(Sample {
                        index,
                        elapsed: t.elapsed(),
                        ok,
                        stages,
                    });
                }
                *cpu = thread_cpu_time().saturating_sub(cpu_start);
            });
        }
    });
    let wall = start.elapsed();
    let cpu = per_worker.iter().map(|(_, c)| *c).sum();
    Pass {
        wall,
        cpu,
        samples: per_worker.into_iter().flat_map(|(s, _)| s).collect(),
    }
}

fn summarise(pages: &[BenchPage], passes: &[Pass], total_bytes: usize) -> PassReport {
    let wall: f64 = passes.iter().map(|p| p.wall.as_secs_f64()).sum();
    let cpu: f64 = passes.iter().map(|p| p.cpu.as_secs_f64()).sum();
    let mut small: Vec<Duration> = passes
        .iter()
        .flat_map(|p| p.samples.iter())
        .filter(|s| pages[s.index].bytes.len() <= 1 << 20)
        .map(|s| s.elapsed)
        .collect();
    small.sort_unstable();
    let largest = (0..pages.len()).max_by_key(|&i| pages[i].bytes.len());
    let largest_ms = passes
        .iter()
        .flat_map(|p| p.samples.iter())
        .filter(|s| Some(s.index) == largest)
        .map(|s| s.elapsed.as_secs_f64() * 1e3)
        .fold(0.0, f64::max);
    let mut lat: Vec<(Duration, usize)> = passes
        .iter()
        .flat_map(|p| p.samples.iter().map(|s| (s.elapsed, s.index)))
        .collect();
    lat.sort_unstable();
    let errors = passes
        .iter()
        .flat_map(|p| p.samples.iter())
        .filter(|s| !s.ok)
        .count()
        / passes.len().max(1);
    let pct = |q: f64| -> f64 {
        if lat.is_empty() {
            return 0.0;
        }
        let i = ((lat.len() as f64 - 1.0) * q).round() as usize;
        lat[i].0.as_secs_f64() * 1e3
    };
    let p99_small = if small.is_empty() {
        0.0
    } else {
        small[((small.len() as f64 - 1.0) * 0.99).round() as usize].as_secs_f64() * 1e3
    };
    let mb = (total_bytes * passes.len()) as f64 / 1e6;
    let n = pages.len() * passes.len();
    let slowest = lat.last().map_or(String::new(), |&(d, i)| {
        format!(
            "{} ({:.1} KB, {:.2} ms)",
            pages[i].name,
            pages[i].bytes.len() as f64 / 1e3,
            d.as_secs_f64() * 1e3
        )
    });
    PassReport {
        pages: pages.len(),
        errors,
        seconds: wall,
        pages_per_sec: n as f64 / wall.max(f64::MIN_POSITIVE),
        mb_per_sec: mb / wall.max(f64::MIN_POSITIVE),
        cpu_seconds: cpu,
        mb_per_cpu_sec: mb / cpu.max(f64::MIN_POSITIVE),
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        p99_ms_le_1mb: p99_small,
        max_ms: pct(1.0),
        slowest_page: slowest,
        largest_page: largest.map_or(String::new(), |i| {
            format!(
                "{} ({:.1} KB)",
                pages[i].name,
                pages[i].bytes.len() as f64 / 1e3
            )
        }),
        largest_page_ms: largest_ms,
    }
}

fn score_one(scorer: &Scorer, page: &BenchPage, explain: Explain) -> (bool, StageTimes) {
    let raw = RawPage {
        bytes: &page.bytes,
        url: None,
        content_type: page.content_type.as_deref(),
        name_hint: Some(page.name.strip_suffix(".gz").unwrap_or(&page.name)),
    };
    let mut stages = StageTimes::default();
    let ok = scorer.score_timed(&raw, explain, &mut stages).is_ok();
    (ok, stages)
}

/// The floor we compare against: inflate if gzip, then tokenize the whole page with lol_html
/// (every element and text chunk visited, nothing built).
fn parse_only(page: &BenchPage) -> (bool, StageTimes) {
    use lol_html::{doc_text, element, HtmlRewriter, Settings};
    let inflated;
    let bytes: &[u8] = if page.bytes.starts_with(&[0x1f, 0x8b]) {
        let mut buf = Vec::new();
        let mut dec = flate2::read::GzDecoder::new(&page.bytes[..]);
        if std::io::Read::read_to_end(&mut dec, &mut buf).is_err() {
            return (false, StageTimes::default());
        }
        inflated = buf;
        &inflated
    } else {
        &page.bytes
    };
    let mut elements = 0usize;
    let mut text = 0usize;
    let settings = Settings::new()
        .append_element_content_handler(element!("*", |_el| {
            elements += 1;
            Ok(())
        }))
        .append_document_content_handler(doc_text!(|t| {
            text += t.as_str().len();
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    let ok = match rewriter.write(bytes) {
        Ok(()) => rewriter.end().is_ok(),
        Err(_) => {
            drop(rewriter);
            false
        }
    };
    std::hint::black_box((elements, text));
    (ok, StageTimes::default())
}

/// Loads every page of a folder (recursively, sorted) or of a corpus (CORPUS.md) into memory,
/// gzip files inflated.
fn load_pages(path: &Path) -> anyhow::Result<Vec<BenchPage>> {
    let is_corpus_dir = path.join("spam").is_dir() || path.join("ham").is_dir();
    if path.is_dir() && !is_corpus_dir {
        let mut files = Vec::new();
        collect_page_files(path, &mut files)?;
        files.sort();
        files
            .into_iter()
            .map(|f| {
                let mut bytes =
                    std::fs::read(&f).with_context(|| format!("cannot read {}", f.display()))?;
                if f.extension().is_some_and(|e| e == "gz") {
                    let mut out = Vec::new();
                    flate2::read::MultiGzDecoder::new(&bytes[..])
                        .read_to_end(&mut out)
                        .with_context(|| format!("bad gzip {}", f.display()))?;
                    bytes = out;
                }
                Ok(BenchPage {
                    name: f.strip_prefix(path).unwrap_or(&f).display().to_string(),
                    bytes,
                    content_type: None,
                })
            })
            .collect()
    } else {
        let mut pages = Vec::new();
        for entry in pagescore::corpus::open(path)? {
            let Ok(entry) = entry else { continue };
            let Ok(loaded) = entry.load() else { continue };
            pages.push(BenchPage {
                name: entry.id,
                content_type: loaded.content_type,
                bytes: loaded.bytes,
            });
        }
        Ok(pages)
    }
}

fn collect_page_files(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_page_files(&path, out)?;
        } else {
            let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase());
            let name = name.as_deref().unwrap_or("");
            let name = name.strip_suffix(".gz").unwrap_or(name);
            if [".html", ".htm", ".xhtml"]
                .iter()
                .any(|e| name.ends_with(e))
            {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// Peak resident set size of this process (VmHWM), on Linux.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// CPU time of the calling thread so far (scheduler run time from /proc/thread-self/schedstat,
/// nanoseconds), or zero where that file does not exist.
fn thread_cpu_time() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}
