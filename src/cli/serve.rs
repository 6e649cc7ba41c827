//! `pagescore serve`: the gRPC service.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use pagescore::service::{metrics, reload, ServeOptions, Service, TlsOptions};

/// Arguments of `pagescore serve`. Each flag can also be set by the environment variable shown.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on for gRPC. Binds loopback by default; set e.g. `0.0.0.0:50051` to
    /// serve other hosts (use TLS then).
    #[arg(long, env = "PAGESCORE_ADDR", default_value = "127.0.0.1:50051")]
    pub addr: SocketAddr,
    /// Model file to serve (hot-reloaded on SIGHUP or when it changes). Default: the model
    /// embedded in the binary.
    #[arg(long, env = "PAGESCORE_MODEL")]
    pub model: Option<PathBuf>,
    /// Pages scored or queued at once; more are refused at once with RESOURCE_EXHAUSTED.
    #[arg(long, env = "PAGESCORE_MAX_CONCURRENCY", default_value_t = 64)]
    pub max_concurrency: usize,
    /// Scoring threads; 0 means one per CPU.
    #[arg(long, env = "PAGESCORE_WORKERS", default_value_t = 0)]
    pub workers: usize,
    /// Largest gRPC message in bytes (requests and responses). Larger requests get
    /// RESOURCE_EXHAUSTED. The reader reads at most 8 MiB of a page anyway.
    #[arg(long, env = "PAGESCORE_MAX_MESSAGE_SIZE", default_value_t = 16 << 20)]
    pub max_message_size: usize,
    /// Longest time one page may take, whatever the client's deadline (e.g. `30s`, `500ms`).
    #[arg(long, env = "PAGESCORE_MAX_REQUEST_TIME", default_value = "30s", value_parser = parse_duration)]
    pub max_request_time: Duration,
    /// Pages of one stream scored at once; the server stops reading a stream beyond that.
    #[arg(long, env = "PAGESCORE_STREAM_WINDOW", default_value_t = 16)]
    pub stream_window: usize,
    /// On SIGTERM/SIGINT, how long to wait for in-flight requests before exiting anyway.
    #[arg(long, env = "PAGESCORE_DRAIN_TIMEOUT", default_value = "30s", value_parser = parse_duration)]
    pub drain_timeout: Duration,
    /// How often to check the model file for changes (`0s` turns it off; SIGHUP still reloads).
    #[arg(long, env = "PAGESCORE_RELOAD_POLL", default_value = "5s", value_parser = parse_duration)]
    pub reload_poll: Duration,
    /// Address of the Prometheus `/metrics` HTTP endpoint; `off` disables it.
    #[arg(long, env = "PAGESCORE_METRICS_ADDR", default_value = "127.0.0.1:9090")]
    pub metrics_addr: String,
    /// TLS certificate chain (PEM). With --tls-key, serves TLS only.
    #[arg(long, env = "PAGESCORE_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    #[arg(long, env = "PAGESCORE_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// CA certificate (PEM) that signs client certificates: turns on mutual TLS (clients
    /// without a certificate from this CA are refused).
    #[arg(long, env = "PAGESCORE_TLS_CLIENT_CA", requires = "tls_cert")]
    pub tls_client_ca: Option<PathBuf>,
}

/// Parses `500ms`, `10s`, `2m`, `1h` (a bare number means seconds).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a duration (e.g. 500ms, 10s, 2m)"))?;
    let secs = match unit.trim() {
        "ms" => n / 1000.0,
        "" | "s" => n,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        other => {
            return Err(format!(
                "unknown duration unit `{other}` (use ms, s, m or h)"
            ))
        }
    };
    Duration::try_from_secs_f64(secs).map_err(|e| format!("`{s}`: {e}"))
}

fn read_pem(path: &PathBuf, what: &str) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {what} {}", path.display()))
}

/// Runs `pagescore serve` until SIGTERM or SIGINT.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(TlsOptions {
            cert_pem: read_pem(cert, "TLS certificate")?,
            key_pem: read_pem(key, "TLS key")?,
            client_ca_pem: args
                .tls_client_ca
                .as_ref()
                .map(|p| read_pem(p, "client CA"))
                .transpose()?,
        }),
        _ => None,
    };
    let opts = ServeOptions {
        max_concurrency: args.max_concurrency,
        workers: if args.workers == 0 {
            ServeOptions::default().workers
        } else {
            args.workers
        },
        max_message_size: args.max_message_size,
        max_request_time: args.max_request_time,
        stream_window: args.stream_window,
        drain_timeout: args.drain_timeout,
        reload_poll: (!args.reload_poll.is_zero()).then_some(args.reload_poll),
        tls,
        ..ServeOptions::default()
    };
    let metrics_addr: Option<SocketAddr> = match args.metrics_addr.as_str() {
        "off" | "none" | "" => None,
        a => Some(
            a.parse()
                .with_context(|| format!("--metrics-addr `{a}` is not an address"))?,
        ),
    };
    if !args.addr.ip().is_loopback() && opts.tls.is_none() {
        tracing::warn!(addr = %args.addr, "serving a non-loopback address without TLS");
    }

    // A panic while scoring fails that one page (the service catches it); log it through
    // tracing so it lands in the JSON logs with everything else.
    std::panic::set_hook(Box::new(|info| {
        let thread = std::thread::current();
        tracing::error!(thread = thread.name().unwrap_or("?"), panic = %info, "panic (a bug)");
    }));
    let (scorer, source) = reload::initial(args.model.as_ref()).context("cannot load the model")?;
    let service = Service::new(scorer, source, opts)?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("pagescore-io")
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let (stop_metrics, stop_metrics_rx) = tokio::sync::oneshot::channel::<()>();
        if let Some(addr) = metrics_addr {
            let l = metrics::bind(addr).await?;
            let addr = l.local_addr().unwrap_or(addr);
            tracing::info!(%addr, "metrics on http://{addr}/metrics");
            let m = service.metrics();
            tokio::spawn(async move {
                let stop = async move {
                    let _ = stop_metrics_rx.await;
                };
                if let Err(err) = metrics::serve(l, m, stop).await {
                    tracing::error!(error = %err, "metrics endpoint stopped");
                }
            });
        }
        service.serve(listener, shutdown_signal()).await?;
        let _ = stop_metrics.send(());
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on the first SIGTERM or SIGINT; a second one exits at once.
async fn shutdown_signal() {
    wait_for_signal().await;
    tokio::spawn(async {
        wait_for_signal().await;
        tracing::warn!("second signal: exiting without waiting for in-flight requests");
        std::process::exit(130);
    });
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let term = signal(SignalKind::terminate());
    let int = signal(SignalKind::interrupt());
    match (term, int) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => tracing::info!("SIGTERM received"),
                _ = int.recv() => tracing::info!("SIGINT received"),
            }
        }
        _ => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("5 parsecs").is_err());
    }
}
