//! `pagescore loadtest`: a bounded-time load generator for `pagescore serve` (loopback only,
//! unless told otherwise).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use pagescore::service::pb::{self, page_score_client::PageScoreClient};
use tonic::codec::CompressionEncoding;
use tonic::transport::{Channel, Endpoint};

use super::serve::parse_duration;

/// Arguments of `pagescore loadtest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The server, e.g. `http://127.0.0.1:50051`.
    #[arg(long, default_value = "http://127.0.0.1:50051")]
    pub addr: String,
    /// Concurrent callers (unary) or open streams (`--streams`).
    #[arg(long, default_value_t = 1)]
    pub concurrency: usize,
    /// How long to send pages (e.g. `10s`, `1m`).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub duration: Duration,
    /// Pages to send: a directory (read recursively: `.html`, `.htm`, `.txt`, each optionally
    /// `.gz`) or a corpus JSONL file (CORPUS.md format).
    #[arg(long)]
    pub corpus: PathBuf,
    /// Use `ScoreStream` (one page in flight per stream) instead of unary `Score` calls.
    #[arg(long)]
    pub streams: bool,
    /// At most this many pages are loaded into memory (spread evenly over the corpus).
    #[arg(long, default_value_t = 1000)]
    pub max_pages: usize,
    /// Send `.gz` files as they are (the server gunzips) instead of decompressing them first.
    #[arg(long)]
    pub send_gz: bool,
    /// Ask for evidence with every page.
    #[arg(long)]
    pub evidence: bool,
    /// Compress requests: `none`, `gzip` or `zstd`.
    #[arg(long, default_value = "none")]
    pub compression: String,
    /// Allow a non-loopback `--addr` (a load test can hurt a production server).
    #[arg(long)]
    pub allow_remote: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// One page ready to send.
struct Page {
    id: String,
    url: String,
    body: Vec<u8>,
    text: String,
    content_type: String,
}

fn is_page_name(name: &str) -> bool {
    let name = name
        .strip_suffix(".gz")
        .unwrap_or(name)
        .to_ascii_lowercase();
    [".html", ".htm", ".xhtml", ".txt"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry?;
        let path = entry.path();
        let ty = entry.file_type()?;
        if ty.is_dir() {
            walk(&path, out)?;
        } else if ty.is_file() && is_page_name(&entry.file_name().to_string_lossy()) {
            out.push(path);
        }
    }
    Ok(())
}

/// Picks `n` items spread evenly over `items`.
fn spread<T>(mut items: Vec<T>, n: usize) -> Vec<T> {
    if items.len() <= n || n == 0 {
        return items;
    }
    let step = items.len() as f64 / n as f64;
    let keep: std::collections::HashSet<usize> =
        (0..n).map(|i| (i as f64 * step) as usize).collect();
    let mut i = 0;
    items.retain(|_| {
        i += 1;
        keep.contains(&(i - 1))
    });
    items
}

fn read_file(path: &Path, send_gz: bool) -> anyhow::Result<Vec<u8>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if send_gz || path.extension().is_none_or(|e| e != "gz") {
        return Ok(bytes);
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(&bytes[..])
        .take(64 << 20)
        .read_to_end(&mut out)
        .with_context(|| format!("cannot gunzip {}", path.display()))?;
    Ok(out)
}

fn file_page(id: String, path: &Path, send_gz: bool) -> anyhow::Result<Page> {
    let bytes = read_file(path, send_gz)?;
    let name = path.to_string_lossy();
    let is_text = name.strip_suffix(".gz").unwrap_or(&name).ends_with(".txt");
    Ok(if is_text && !send_gz {
        Page {
            id,
            url: String::new(),
            body: Vec::new(),
            text: String::from_utf8_lossy(&bytes).into_owned(),
            content_type: String::new(),
        }
    } else {
        Page {
            id,
            url: String::new(),
            body: bytes,
            text: String::new(),
            content_type: String::new(),
        }
    })
}

fn load_corpus(path: &Path, max: usize, send_gz: bool) -> anyhow::Result<Vec<Page>> {
    if path.is_dir() {
        let mut files = Vec::new();
        walk(path, &mut files)?;
        files.sort();
        let files = spread(files, max);
        return files
            .iter()
            .map(|f| {
                let id = f
                    .strip_prefix(path)
                    .unwrap_or(f)
                    .to_string_lossy()
                    .into_owned();
                file_page(id, f, send_gz)
            })
            .collect();
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut pages = Vec::new();
    for (n, line) in spread(lines, max).into_iter().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{}: line {} is not JSON", path.display(), n + 1))?;
        let field = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
        let id = match field("id") {
            s if s.is_empty() => format!("line{}", n + 1),
            s => s,
        };
        let mut page = if let Some(html) = v.get("html").and_then(|x| x.as_str()) {
            Page {
                id,
                url: String::new(),
                body: html.as_bytes().to_vec(),
                text: String::new(),
                content_type: String::new(),
            }
        } else if let Some(t) = v.get("text").and_then(|x| x.as_str()) {
            Page {
                id,
                url: String::new(),
                body: Vec::new(),
                text: t.to_string(),
                content_type: String::new(),
            }
        } else if let Some(p) = v.get("path").and_then(|x| x.as_str()) {
            file_page(id, &base.join(p), send_gz)?
        } else {
            bail!("{}: record {id} has no html, text or path", path.display());
        };
        page.url = field("url");
        page.content_type = field("content_type");
        pages.push(page);
    }
    Ok(pages)
}

fn request(page: &Page, evidence: bool) -> pb::ScoreRequest {
    pb::ScoreRequest {
        id: page.id.clone(),
        url: page.url.clone(),
        body: page.body.clone(),
        content_type: page.content_type.clone(),
        text: page.text.clone(),
        include_evidence: evidence,
    }
}

/// Whether `addr` names this machine.
fn is_loopback(addr: &str) -> anyhow::Result<bool> {
    let uri: tonic::codegen::http::Uri = addr
        .parse()
        .with_context(|| format!("--addr `{addr}` is not a URI"))?;
    let host = uri
        .host()
        .with_context(|| format!("--addr `{addr}` has no host"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(true);
    }
    Ok(host
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback()))
}

/// What one caller saw.
#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    errors: BTreeMap<String, u64>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.latencies_us.extend(other.latencies_us);
        for (k, v) in other.errors {
            *self.errors.entry(k).or_default() += v;
        }
    }
    fn error(&mut self, code: tonic::Code) {
        *self.errors.entry(format!("{code:?}")).or_default() += 1;
    }
}

fn client(channel: Channel, compression: Option<CompressionEncoding>) -> PageScoreClient<Channel> {
    let mut c = PageScoreClient::new(channel)
        .max_decoding_message_size(64 << 20)
        .max_encoding_message_size(64 << 20)
        .accept_compressed(CompressionEncoding::Gzip)
        .accept_compressed(CompressionEncoding::Zstd);
    if let Some(enc) = compression {
        c = c.send_compressed(enc);
    }
    c
}

async fn unary_caller(
    mut client: PageScoreClient<Channel>,
    pages: Arc<Vec<Page>>,
    next: Arc<AtomicUsize>,
    end: Instant,
    evidence: bool,
) -> Tally {
    let mut tally = Tally::default();
    while Instant::now() < end {
        let page = &pages[next.fetch_add(1, Ordering::Relaxed) % pages.len()];
        let mut req = tonic::Request::new(request(page, evidence));
        req.set_timeout(Duration::from_secs(30));
        let t0 = Instant::now();
        let r = client.score(req).await;
        let us = t0.elapsed().as_micros() as u64;
        match r {
            Ok(_) => tally.latencies_us.push(us),
            Err(status) => {
                tally.error(status.code());
                backoff(status.code()).await;
            }
        }
    }
    tally
}

async fn stream_caller(
    mut client: PageScoreClient<Channel>,
    pages: Arc<Vec<Page>>,
    next: Arc<AtomicUsize>,
    end: Instant,
    evidence: bool,
) -> Tally {
    let mut tally = Tally::default();
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    let mut responses = match client
        .score_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
        .await
    {
        Ok(r) => r.into_inner(),
        Err(status) => {
            tally.error(status.code());
            return tally;
        }
    };
    while Instant::now() < end {
        let page = &pages[next.fetch_add(1, Ordering::Relaxed) % pages.len()];
        let t0 = Instant::now();
        if tx.send(request(page, evidence)).await.is_err() {
            tally.error(tonic::Code::Unavailable);
            break;
        }
        match responses.message().await {
            Ok(Some(resp)) => match resp.error {
                Some(e) => {
                    let code = tonic::Code::from_i32(e.code);
                    tally.error(code);
                    backoff(code).await;
                }
                None => tally.latencies_us.push(t0.elapsed().as_micros() as u64),
            },
            Ok(None) => {
                tally.error(tonic::Code::Unavailable);
                break;
            }
            Err(status) => {
                tally.error(status.code());
                break;
            }
        }
    }
    drop(tx);
    // Drain the end of the stream so the server sees a clean close.
    while let Ok(Some(_)) = responses.message().await {}
    tally
}

/// What a well-behaved client does when the server sheds load: wait a little before the next
/// page, instead of hammering it.
async fn backoff(code: tonic::Code) {
    if code == tonic::Code::ResourceExhausted {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)] as f64 / 1000.0
}

/// Runs `pagescore loadtest`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !args.allow_remote && !is_loopback(&args.addr)? {
        bail!(
            "--addr {} is not a loopback address; pass --allow-remote to load-test another host",
            args.addr
        );
    }
    if args.concurrency == 0 || args.concurrency > 10_000 {
        bail!("--concurrency must be between 1 and 10000");
    }
    let compression = match args.compression.as_str() {
        "none" => None,
        "gzip" => Some(CompressionEncoding::Gzip),
        "zstd" => Some(CompressionEncoding::Zstd),
        other => bail!("--compression `{other}`: use none, gzip or zstd"),
    };
    let pages = load_corpus(&args.corpus, args.max_pages, args.send_gz)?;
    if pages.is_empty() {
        bail!("no pages found in {}", args.corpus.display());
    }
    let page_bytes: usize = pages.iter().map(|p| p.body.len() + p.text.len()).sum();
    let n_pages = pages.len();
    let pages = Arc::new(pages);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let (tally, elapsed) = runtime.block_on(async {
        let channel = Endpoint::from_shared(args.addr.clone())
            .with_context(|| format!("bad --addr {}", args.addr))?
            .tcp_nodelay(true)
            .connect_timeout(Duration::from_secs(5))
            .connect()
            .await
            .with_context(|| format!("cannot connect to {}", args.addr))?;
        let next = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let end = start + args.duration;
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..args.concurrency {
            let c = client(channel.clone(), compression);
            let (p, n) = (Arc::clone(&pages), Arc::clone(&next));
            if args.streams {
                tasks.spawn(stream_caller(c, p, n, end, args.evidence));
            } else {
                tasks.spawn(unary_caller(c, p, n, end, args.evidence));
            }
        }
        let mut tally = Tally::default();
        // Callers stop issuing at `end`; give the last calls a bounded grace period.
        let grace = tokio::time::sleep_until((end + Duration::from_secs(35)).into());
        tokio::pin!(grace);
        loop {
            tokio::select! {
                r = tasks.join_next() => match r {
                    Some(Ok(t)) => tally.merge(t),
                    Some(Err(e)) => tracing::warn!(error = %e, "a caller failed"),
                    None => break,
                },
                () = &mut grace => {
                    tasks.abort_all();
                    tally.errors.insert("client_gave_up".into(), tasks.len() as u64);
                    break;
                }
            }
        }
        anyhow::Ok((tally, start.elapsed()))
    })?;

    let mut lat = tally.latencies_us;
    lat.sort_unstable();
    let ok = lat.len();
    let errors: u64 = tally.errors.values().sum();
    let secs = elapsed.as_secs_f64();
    let result = serde_json::json!({
        "addr": args.addr,
        "mode": if args.streams { "streams" } else { "unary" },
        "concurrency": args.concurrency,
        "duration_s": secs,
        "corpus_pages": n_pages,
        "corpus_mean_bytes": page_bytes / n_pages,
        "ok": ok,
        "errors": errors,
        "errors_by_status": tally.errors,
        "pages_per_s": ok as f64 / secs,
        "latency_ms": {
            "p50": percentile(&lat, 0.50),
            "p90": percentile(&lat, 0.90),
            "p99": percentile(&lat, 0.99),
            "max": percentile(&lat, 1.0),
        },
    });
    if args.json {
        println!("{result}");
    } else {
        println!(
            "{} {} x{} for {:.1}s over {} pages (mean {} bytes): {} ok, {} errors",
            args.addr,
            result["mode"].as_str().unwrap_or(""),
            args.concurrency,
            secs,
            n_pages,
            page_bytes / n_pages,
            ok,
            errors
        );
        println!(
            "  {:.1} pages/s; latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            ok as f64 / secs,
            percentile(&lat, 0.50),
            percentile(&lat, 0.90),
            percentile(&lat, 0.99),
            percentile(&lat, 1.0)
        );
        for (code, n) in &tally.errors {
            println!("  errors {code}: {n}");
        }
    }
    Ok(if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_is_allowed_by_default() {
        assert!(is_loopback("http://127.0.0.1:50051").unwrap());
        assert!(is_loopback("http://localhost:50051").unwrap());
        assert!(is_loopback("http://[::1]:50051").unwrap());
        assert!(!is_loopback("http://10.0.0.1:50051").unwrap());
        assert!(!is_loopback("http://example.com:50051").unwrap());
    }

    #[test]
    fn page_files_are_recognised() {
        assert!(is_page_name("a.html.gz"));
        assert!(is_page_name("b.TXT"));
        assert!(!is_page_name("truth.json.gz"));
    }

    #[test]
    fn spread_keeps_n() {
        let v: Vec<usize> = (0..100).collect();
        let s = spread(v, 10);
        assert_eq!(s.len(), 10);
        assert_eq!(s[0], 0);
        assert_eq!(s[1], 10);
    }
}
