//! Prometheus metrics for the service, served as text on a separate HTTP port (`/metrics`).
//!
//! The `prometheus` crate (without its protobuf feature) keeps the counters; a two-route axum
//! app (axum is already in the tree through tonic) serves them. Every metric is updated once per
//! page or per call, never inside the pipeline.

use std::future::Future;
use std::net::SocketAddr;

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

use crate::{Error, Result};

/// Latency buckets in seconds: 0.5 ms to 10 s (scoring a page takes about a millisecond, a
/// huge one a second).
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The service's metrics. Cheap to clone (every field is a handle onto the same registry).
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    /// Calls (unary) and pages (stream) by method and gRPC status code name.
    pub requests: IntCounterVec,
    /// Server-side latency per call or stream page, by method.
    pub latency: HistogramVec,
    /// Pages scored, by verdict (`ham`, `suspect`, `spam`).
    pub pages: IntCounterVec,
    /// Page bytes received (body or text).
    pub bytes_in: IntCounter,
    /// Requests refused because `--max-concurrency` pages were already in flight.
    pub shed: IntCounterVec,
    /// Pages being scored or waiting for a worker right now.
    pub in_flight: IntGauge,
    /// Open `ScoreStream` calls.
    pub streams: IntGauge,
    /// 1 for the model in service, labelled with its version, schema hash and source.
    pub model_info: IntGaugeVec,
    /// Model (re)loads by result (`ok`, `failed`).
    pub reloads: IntCounterVec,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

fn prom(err: prometheus::Error) -> Error {
    Error::Internal(format!("metrics: {err}"))
}

impl Metrics {
    /// A fresh registry with every pagescore metric registered.
    pub fn new() -> Result<Self> {
        let registry = Registry::new_custom(Some("pagescore".into()), None).map_err(prom)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "requests_total",
                "gRPC calls (unary) and stream pages, by method and status code",
            ),
            &["method", "code"],
        )
        .map_err(prom)?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "request_duration_seconds",
                "Server-side time per call or stream page",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["method"],
        )
        .map_err(prom)?;
        let pages = IntCounterVec::new(
            Opts::new("pages_total", "Pages scored, by verdict"),
            &["verdict"],
        )
        .map_err(prom)?;
        let bytes_in = IntCounter::new("request_bytes_total", "Page bytes received (body or text)")
            .map_err(prom)?;
        let shed = IntCounterVec::new(
            Opts::new(
                "shed_total",
                "Requests refused with RESOURCE_EXHAUSTED because the server was at --max-concurrency",
            ),
            &["method"],
        )
        .map_err(prom)?;
        let in_flight = IntGauge::new(
            "in_flight_pages",
            "Pages being scored or waiting for a worker",
        )
        .map_err(prom)?;
        let streams = IntGauge::new("open_streams", "Open ScoreStream calls").map_err(prom)?;
        let model_info = IntGaugeVec::new(
            Opts::new("model_info", "1 for the model in service"),
            &["version", "schema_hash", "source"],
        )
        .map_err(prom)?;
        let reloads = IntCounterVec::new(
            Opts::new("model_reloads_total", "Model loads by result (ok, failed)"),
            &["result"],
        )
        .map_err(prom)?;
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(pages.clone()),
            Box::new(bytes_in.clone()),
            Box::new(shed.clone()),
            Box::new(in_flight.clone()),
            Box::new(streams.clone()),
            Box::new(model_info.clone()),
            Box::new(reloads.clone()),
        ] {
            registry.register(c).map_err(prom)?;
        }
        // Show both reload results from the start, so alerts can use rate() right away.
        reloads.with_label_values(&["ok"]);
        reloads.with_label_values(&["failed"]);
        Ok(Metrics {
            registry,
            requests,
            latency,
            pages,
            bytes_in,
            shed,
            in_flight,
            streams,
            model_info,
            reloads,
        })
    }

    /// Marks `version` as the model in service (and clears the previous one).
    pub fn set_model(&self, version: &str, schema_hash: &str, source: &str) {
        self.model_info.reset();
        self.model_info
            .with_label_values(&[version, schema_hash, source])
            .set(1);
    }

    /// The metrics in the Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        if let Err(err) = TextEncoder::new().encode(&self.registry.gather(), &mut buf) {
            tracing::warn!(error = %err, "cannot encode metrics");
        }
        String::from_utf8(buf).unwrap_or_default()
    }
}

/// Serves `GET /metrics` on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    metrics: Metrics,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    use axum::{http::header, routing::get, Router};
    let app = Router::new()
        .route(
            "/metrics",
            get(move || {
                let m = metrics.clone();
                async move {
                    (
                        [(
                            header::CONTENT_TYPE,
                            "text/plain; version=0.0.4; charset=utf-8",
                        )],
                        m.render(),
                    )
                }
            }),
        )
        .route("/", get(|| async { "pagescore metrics: see /metrics\n" }));
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| Error::Internal(format!("metrics server: {e}")))
}

/// Binds the metrics listener (separately, so a bad `--metrics-addr` fails at startup).
pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Error::Config(format!("cannot listen on --metrics-addr {addr}: {e}")))
}
