//! `pagescore extract-eval`: how well the main text is extracted, and how fast.
//!
//! * wcxb-dev: bag-of-words precision/recall/F1 of the main text against the ground truth
//!   `main_content` (lower-cased alphanumeric tokens, multiset overlap), mean per page and
//!   micro-averaged, overall and per page type.
//! * trafilatura-eval: each `with` snippet found in the extracted text is a true positive (else
//!   a false negative), each `without` snippet found is a false positive (else a true
//!   negative); precision/recall/F1 over all snippets, as trafilatura's own evaluation counts.
//! * speed: read + extract over every page file under the data folder, one thread; gunzip is
//!   done before the clock starts, sizes are of the decompressed HTML. Rates use the thread's
//!   CPU time (wall time is printed too), so a busy shared machine does not distort them.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use pagescore::read::RawPage;
use pagescore::Scorer;
use rustc_hash::FxHashMap;
use serde::Serialize;
use serde_json::Value;

/// Arguments of `pagescore extract-eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The pages folder holding `wcxb-dev/` and `trafilatura-eval/`.
    #[arg(long, default_value = "../shared/data/pages")]
    pub data: PathBuf,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also list this many worst pages of each set (lowest F1 / most misses).
    #[arg(long, default_value_t = 0)]
    pub worst: usize,
    /// Skip the speed pass over all pages.
    #[arg(long)]
    pub no_speed: bool,
    /// Fail (exit 1) when the wcxb-dev mean per-page F1 is below this (a CI floor).
    #[arg(long)]
    pub min_wcxb_f1: Option<f64>,
    /// Fail (exit 1) when the trafilatura-eval snippet F1 is below this (a CI floor).
    #[arg(long)]
    pub min_trafilatura_f1: Option<f64>,
}

#[derive(Debug, Default, Clone, Serialize)]
struct Prf {
    pages: usize,
    mean_precision: f64,
    mean_recall: f64,
    mean_f1: f64,
    micro_precision: f64,
    micro_recall: f64,
    micro_f1: f64,
    #[serde(skip)]
    sums: (f64, f64, f64),
    #[serde(skip)]
    micro: (u64, u64, u64),
}

impl Prf {
    fn add(&mut self, overlap: u64, ext: u64, gt: u64) {
        let p = if ext == 0 {
            0.0
        } else {
            overlap as f64 / ext as f64
        };
        let r = if gt == 0 {
            0.0
        } else {
            overlap as f64 / gt as f64
        };
        self.pages += 1;
        self.sums.0 += p;
        self.sums.1 += r;
        self.sums.2 += f1(p, r);
        self.micro.0 += overlap;
        self.micro.1 += ext;
        self.micro.2 += gt;
    }

    fn finish(&mut self) {
        let n = self.pages.max(1) as f64;
        self.mean_precision = self.sums.0 / n;
        self.mean_recall = self.sums.1 / n;
        self.mean_f1 = self.sums.2 / n;
        self.micro_precision = self.micro.0 as f64 / self.micro.1.max(1) as f64;
        self.micro_recall = self.micro.0 as f64 / self.micro.2.max(1) as f64;
        self.micro_f1 = f1(self.micro_precision, self.micro_recall);
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

#[derive(Debug, Default, Serialize)]
struct SnippetScore {
    pages: usize,
    tp: u64,
    fn_: u64,
    fp: u64,
    tn: u64,
    precision: f64,
    recall: f64,
    f1: f64,
}

#[derive(Debug, Default, Serialize)]
struct Speed {
    pages: usize,
    errors: usize,
    bytes: u64,
    /// Thread CPU seconds of read + extract (the rates below use it).
    seconds: f64,
    /// Wall-clock seconds of the same loop (inflated when the machine is busy).
    wall_seconds: f64,
    pages_per_s: f64,
    mb_per_s: f64,
    slowest_ms: f64,
}

#[derive(Debug, Default, Serialize)]
struct Report {
    wcxb: Option<Prf>,
    wcxb_by_type: BTreeMap<String, Prf>,
    wcxb_worst: Vec<(String, String, f64)>,
    trafilatura: Option<SnippetScore>,
    trafilatura_worst: Vec<(String, u64, u64)>,
    speed: Option<Speed>,
}

fn gunzip_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    let raw = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(raw.len() * 4);
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .with_context(|| format!("bad gzip {}", path.display()))?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

fn tokens(text: &str) -> FxHashMap<String, u32> {
    let mut m = FxHashMap::default();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if !w.is_empty() {
            *m.entry(w.to_lowercase()).or_insert(0) += 1;
        }
    }
    m
}

fn overlap(a: &FxHashMap<String, u32>, b: &FxHashMap<String, u32>) -> (u64, u64, u64) {
    let ov = a
        .iter()
        .map(|(k, &n)| u64::from(n.min(b.get(k).copied().unwrap_or(0))))
        .sum();
    let na = a.values().map(|&n| u64::from(n)).sum();
    let nb = b.values().map(|&n| u64::from(n)).sum();
    (ov, na, nb)
}

fn norm_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn main_text(scorer: &Scorer, html: &[u8], url: Option<&str>) -> anyhow::Result<String> {
    let raw = RawPage {
        bytes: html,
        url,
        content_type: None,
        name_hint: Some("page.html"),
    };
    let page = scorer.inspect(&raw)?;
    Ok(page.main_text.join("\n"))
}

fn eval_wcxb(scorer: &Scorer, dir: &Path, report: &mut Report, worst: usize) -> anyhow::Result<()> {
    let meta: Value = serde_json::from_slice(
        &std::fs::read(dir.join("metadata.json")).context("wcxb metadata.json")?,
    )?;
    let files = meta
        .get("files")
        .and_then(Value::as_object)
        .context("metadata.json has no files")?;
    let mut all = Prf::default();
    let mut per_page = Vec::new();
    for (id, info) in files {
        let ptype = info
            .get("page_type")
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_owned();
        let html_path = dir.join("html").join(format!("{id}.html.gz"));
        let gt_path = dir.join("ground-truth").join(format!("{id}.json.gz"));
        let (Ok(html), Ok(gt)) = (gunzip_file(&html_path), gunzip_file(&gt_path)) else {
            continue;
        };
        let gt: Value = serde_json::from_slice(&gt)?;
        let url = gt.get("url").and_then(Value::as_str);
        let Some(truth) = gt
            .get("ground_truth")
            .and_then(|g| g.get("main_content"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let truth = tokens(truth);
        if truth.is_empty() {
            continue;
        }
        let text = main_text(scorer, &html, url).unwrap_or_default();
        let (ov, ne, ng) = overlap(&tokens(&text), &truth);
        all.add(ov, ne, ng);
        report
            .wcxb_by_type
            .entry(ptype.clone())
            .or_default()
            .add(ov, ne, ng);
        let p = if ne == 0 { 0.0 } else { ov as f64 / ne as f64 };
        let r = ov as f64 / ng.max(1) as f64;
        per_page.push((id.clone(), ptype, f1(p, r)));
    }
    all.finish();
    for v in report.wcxb_by_type.values_mut() {
        v.finish();
    }
    per_page.sort_by(|a, b| a.2.total_cmp(&b.2));
    per_page.truncate(worst);
    report.wcxb_worst = per_page;
    report.wcxb = Some(all);
    Ok(())
}

fn eval_trafilatura(
    scorer: &Scorer,
    dir: &Path,
    report: &mut Report,
    worst: usize,
) -> anyhow::Result<()> {
    let data: Value = serde_json::from_slice(
        &std::fs::read(dir.join("evaldata.json")).context("trafilatura evaldata.json")?,
    )?;
    let entries = data.as_object().context("evaldata.json is not an object")?;
    let mut s = SnippetScore::default();
    let mut per_page = Vec::new();
    for (url, e) in entries {
        let Some(file) = e.get("file").and_then(Value::as_str) else {
            continue;
        };
        let path = ["eval", "cache"]
            .iter()
            .map(|d| dir.join(d).join(format!("{file}.gz")))
            .chain(["eval", "cache"].iter().map(|d| dir.join(d).join(file)))
            .find(|p| p.exists());
        let Some(path) = path else {
            continue;
        };
        let html = gunzip_file(&path)?;
        let text = norm_ws(&main_text(scorer, &html, Some(url)).unwrap_or_default());
        let list = |k: &str| -> Vec<String> {
            e.get(k)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(norm_ws).collect())
                .unwrap_or_default()
        };
        let (mut fneg, mut fpos) = (0, 0);
        for w in list("with") {
            if text.contains(&w) {
                s.tp += 1;
            } else {
                s.fn_ += 1;
                fneg += 1;
            }
        }
        for w in list("without") {
            if text.contains(&w) {
                s.fp += 1;
                fpos += 1;
            } else {
                s.tn += 1;
            }
        }
        s.pages += 1;
        if fneg + fpos > 0 {
            per_page.push((file.to_owned(), fneg, fpos));
        }
    }
    s.precision = s.tp as f64 / (s.tp + s.fp).max(1) as f64;
    s.recall = s.tp as f64 / (s.tp + s.fn_).max(1) as f64;
    s.f1 = f1(s.precision, s.recall);
    per_page.sort_by_key(|(_, a, b)| std::cmp::Reverse(a + b));
    per_page.truncate(worst);
    report.trafilatura_worst = per_page;
    report.trafilatura = Some(s);
    Ok(())
}

fn page_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name()
                    .is_some_and(|n| n != "GoldStandard" && n != "ground-truth")
                {
                    stack.push(p);
                }
            } else {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                if name.ends_with(".gz") && !name.ends_with(".json.gz") {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

/// CPU time of the calling thread (user + system) from `/proc/thread-self/stat`, so the figure
/// holds on a machine shared with other jobs; `None` where procfs is missing.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on Linux.
    Some(Duration::from_millis(ticks * 10))
}

fn speed(scorer: &Scorer, root: &Path) -> Speed {
    let mut s = Speed::default();
    // Decompress everything first: the clock covers read + extract only.
    let mut pages = Vec::new();
    for path in page_files(root) {
        match gunzip_file(&path) {
            Ok(html) => pages.push(html),
            Err(_) => s.errors += 1,
        }
    }
    let mut slowest = Duration::ZERO;
    let cpu0 = thread_cpu();
    let wall = Instant::now();
    for html in &pages {
        let raw = RawPage {
            bytes: html,
            url: None,
            content_type: None,
            name_hint: Some("page.html"),
        };
        let t = Instant::now();
        let r = scorer.inspect(&raw);
        slowest = slowest.max(t.elapsed());
        std::hint::black_box(&r);
        if r.is_err() {
            s.errors += 1;
        }
        s.pages += 1;
        s.bytes += html.len() as u64;
    }
    let wall = wall.elapsed();
    s.wall_seconds = wall.as_secs_f64();
    let cpu = match (cpu0, thread_cpu()) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => wall,
    };
    s.seconds = cpu.as_secs_f64();
    s.pages_per_s = s.pages as f64 / s.seconds.max(1e-9);
    s.mb_per_s = s.bytes as f64 / 1e6 / s.seconds.max(1e-9);
    s.slowest_ms = slowest.as_secs_f64() * 1e3;
    s
}

/// Runs `pagescore extract-eval`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let scorer = Scorer::embedded()?;
    let mut report = Report::default();
    let wcxb = args.data.join("wcxb-dev");
    if wcxb.is_dir() {
        eval_wcxb(&scorer, &wcxb, &mut report, args.worst)?;
    }
    let traf = args.data.join("trafilatura-eval");
    if traf.is_dir() {
        eval_trafilatura(&scorer, &traf, &mut report, args.worst)?;
    }
    if !args.no_speed {
        report.speed = Some(speed(&scorer, &args.data));
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report);
    }
    let mut low = Vec::new();
    if let (Some(min), Some(w)) = (args.min_wcxb_f1, &report.wcxb) {
        if w.mean_f1 < min {
            low.push(format!("wcxb-dev mean F1 {:.3} < {min}", w.mean_f1));
        }
    }
    if let (Some(min), Some(t)) = (args.min_trafilatura_f1, &report.trafilatura) {
        if t.f1 < min {
            low.push(format!("trafilatura-eval F1 {:.3} < {min}", t.f1));
        }
    }
    if !low.is_empty() {
        eprintln!("extract-eval: below the floor: {}", low.join("; "));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(r: &Report) {
    if let Some(w) = &r.wcxb {
        println!(
            "wcxb-dev       pages {:5}  mean P {:.3} R {:.3} F1 {:.3}   micro P {:.3} R {:.3} F1 {:.3}",
            w.pages, w.mean_precision, w.mean_recall, w.mean_f1, w.micro_precision, w.micro_recall, w.micro_f1
        );
        for (t, v) in &r.wcxb_by_type {
            println!(
                "  {:13} pages {:5}  mean P {:.3} R {:.3} F1 {:.3}   micro F1 {:.3}",
                t, v.pages, v.mean_precision, v.mean_recall, v.mean_f1, v.micro_f1
            );
        }
        for (id, t, f) in &r.wcxb_worst {
            println!("    worst {id} {t} F1 {f:.3}");
        }
    }
    if let Some(t) = &r.trafilatura {
        println!(
            "trafilatura    pages {:5}  P {:.3} R {:.3} F1 {:.3}   (tp {} fn {} fp {} tn {})",
            t.pages, t.precision, t.recall, t.f1, t.tp, t.fn_, t.fp, t.tn
        );
        for (f, a, b) in &r.trafilatura_worst {
            println!("    worst {f} missed {a} boilerplate {b}");
        }
    }
    if let Some(s) = &r.speed {
        println!(
            "speed          pages {:5}  {:.1} MB  cpu {:.2} s (wall {:.2} s)  {:.0} pages/s  {:.1} MB/s  slowest {:.1} ms (wall)  errors {}",
            s.pages, s.bytes as f64 / 1e6, s.seconds, s.wall_seconds, s.pages_per_s, s.mb_per_s, s.slowest_ms, s.errors
        );
    }
}
