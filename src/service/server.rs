//! The tonic server: the `PageScore` service next to `grpc.health.v1` and reflection, with
//! compression, message-size limits, load shedding, deadlines, optional (m)TLS, hot reload and a
//! bounded graceful shutdown.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use arc_swap::ArcSwap;
use tokio::sync::{watch, Semaphore};
use tonic::codec::CompressionEncoding;
use tonic::codegen::http;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Certificate, Identity, ServerTlsConfig};
use tonic::{Code, Status};

use crate::scorer::Scorer;
use crate::service::grpc::{PageScoreService, ScoreHook, State};
use crate::service::metrics::Metrics;
use crate::service::pb::{self, page_score_server::PageScoreServer};
use crate::service::reload::{self, Loader, Reloader};
use crate::service::{LoadedModel, ModelSource, SharedModel};
use crate::{Error, Result};

/// PEM material for TLS. With `client_ca_pem`, clients must present a certificate signed by
/// that CA (mutual TLS).
#[derive(Debug, Clone)]
pub struct TlsOptions {
    /// The server's certificate chain (PEM).
    pub cert_pem: Vec<u8>,
    /// The server's private key (PEM).
    pub key_pem: Vec<u8>,
    /// The CA that signs client certificates (PEM); turns on mutual TLS.
    pub client_ca_pem: Option<Vec<u8>>,
}

/// How the server runs. Every field documents its default ([`ServeOptions::default`]).
#[derive(Clone)]
pub struct ServeOptions {
    /// Pages scored or waiting for a worker at once; more are refused with RESOURCE_EXHAUSTED.
    /// Default: 64.
    pub max_concurrency: usize,
    /// Scoring threads (a rayon pool off the async reactor). Default: the number of CPUs.
    pub workers: usize,
    /// Largest request or response message, in bytes. Default: 16 MiB (twice the reader's
    /// 8 MiB cap, so a page at the cap plus its fields fits).
    pub max_message_size: usize,
    /// Longest time one page may take, whatever the client's deadline. Default: 30 s.
    pub max_request_time: Duration,
    /// Pages of one stream in flight at once; the server stops reading the stream beyond that.
    /// Default: 16.
    pub stream_window: usize,
    /// How long a shutdown waits for in-flight requests before exiting anyway. Default: 30 s.
    pub drain_timeout: Duration,
    /// How often to check the model file for changes; `None` turns polling off (SIGHUP still
    /// works). Default: 5 s.
    pub reload_poll: Option<Duration>,
    /// TLS; `None` serves plaintext. Default: `None`.
    pub tls: Option<TlsOptions>,
    /// Fault injection for tests: called before each page is scored. Default: `None`.
    pub score_hook: Option<ScoreHook>,
    /// How a model file is loaded on reload. Default: [`reload::load_checked`].
    pub loader: Loader,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            max_concurrency: 64,
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_message_size: 16 << 20,
            max_request_time: Duration::from_secs(30),
            stream_window: 16,
            drain_timeout: Duration::from_secs(30),
            reload_poll: Some(Duration::from_secs(5)),
            tls: None,
            score_hook: None,
            loader: reload::default_loader(),
        }
    }
}

impl std::fmt::Debug for ServeOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeOptions")
            .field("max_concurrency", &self.max_concurrency)
            .field("workers", &self.workers)
            .field("max_message_size", &self.max_message_size)
            .field("max_request_time", &self.max_request_time)
            .field("stream_window", &self.stream_window)
            .field("drain_timeout", &self.drain_timeout)
            .field("reload_poll", &self.reload_poll)
            .field("tls", &self.tls.is_some())
            .finish_non_exhaustive()
    }
}

impl ServeOptions {
    fn check(&self) -> Result<()> {
        let positive = |v: usize, name: &str| {
            if v == 0 {
                Err(Error::Config(format!("{name} must be at least 1")))
            } else {
                Ok(())
            }
        };
        positive(self.max_concurrency, "max concurrency")?;
        positive(self.workers, "workers")?;
        positive(self.stream_window, "stream window")?;
        if self.stream_window > 1 << 16 {
            return Err(Error::Config("stream window must be at most 65536".into()));
        }
        if self.max_message_size < 1024 {
            return Err(Error::Config(
                "max message size must be at least 1024 bytes".into(),
            ));
        }
        if self.max_request_time.is_zero() {
            return Err(Error::Config("max request time must be positive".into()));
        }
        Ok(())
    }
}

/// A configured service, ready to [`serve`](Service::serve).
pub struct Service {
    state: Arc<State>,
    reloader: Arc<Reloader>,
    metrics: Metrics,
    opts: ServeOptions,
    shutting_down: watch::Sender<bool>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("opts", &self.opts)
            .finish_non_exhaustive()
    }
}

impl Service {
    /// A service on `scorer` (loaded from `source`), with a fresh metrics registry.
    pub fn new(scorer: Scorer, source: ModelSource, opts: ServeOptions) -> Result<Self> {
        Self::with_metrics(scorer, source, opts, Metrics::new()?)
    }

    /// A service on `scorer` recording into `metrics`.
    pub fn with_metrics(
        scorer: Scorer,
        source: ModelSource,
        opts: ServeOptions,
        metrics: Metrics,
    ) -> Result<Self> {
        opts.check()?;
        let loaded = LoadedModel::new(scorer, source.clone());
        metrics.set_model(
            &loaded.info.version,
            &loaded.info.schema_hash,
            &source.to_string(),
        );
        metrics.reloads.with_label_values(&["ok"]).inc();
        let model: SharedModel = Arc::new(ArcSwap::from_pointee(loaded));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(opts.workers)
            .thread_name(|i| format!("pagescore-score-{i}"))
            .build()
            .map_err(|e| Error::Config(format!("cannot start {} workers: {e}", opts.workers)))?;
        let (shutting_down, shutting_down_rx) = watch::channel(false);
        let state = Arc::new(State {
            model: Arc::clone(&model),
            permits: Arc::new(Semaphore::new(opts.max_concurrency)),
            max_concurrency: opts.max_concurrency,
            pool,
            metrics: metrics.clone(),
            max_request_time: opts.max_request_time,
            stream_window: opts.stream_window,
            hook: opts.score_hook.clone(),
            shutting_down: shutting_down_rx,
        });
        let reloader = Arc::new(Reloader::new(
            model,
            source,
            Arc::clone(&opts.loader),
            metrics.clone(),
        ));
        Ok(Service {
            state,
            reloader,
            metrics,
            opts,
            shutting_down,
        })
    }

    /// The metrics this service records.
    pub fn metrics(&self) -> Metrics {
        self.metrics.clone()
    }

    /// The reloader (what SIGHUP and the file poller call).
    pub fn reloader(&self) -> Arc<Reloader> {
        Arc::clone(&self.reloader)
    }

    /// The model in service.
    pub fn model(&self) -> SharedModel {
        Arc::clone(&self.state.model)
    }

    /// Serves on `listener` until `shutdown` resolves, then stops accepting, lets in-flight
    /// calls finish (streams stop reading and end with UNAVAILABLE once their in-flight pages
    /// are answered) and returns; after `drain_timeout` it returns anyway.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<()> {
        let Service {
            state,
            reloader,
            metrics,
            opts,
            shutting_down,
        } = self;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Internal(format!("listener address: {e}")))?;
        let (health, health_service) = tonic_health::server::health_reporter();
        // The model is loaded before we get here: serving from the first call on.
        health
            .set_serving::<PageScoreServer<PageScoreService>>()
            .await;
        let reflection = tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
            .build_v1()
            .map_err(|e| Error::Internal(format!("reflection: {e}")))?;
        let limit = opts.max_message_size;
        let scoring = PageScoreServer::new(PageScoreService { state })
            .accept_compressed(CompressionEncoding::Gzip)
            .accept_compressed(CompressionEncoding::Zstd)
            .send_compressed(CompressionEncoding::Gzip)
            .send_compressed(CompressionEncoding::Zstd)
            .max_decoding_message_size(limit)
            .max_encoding_message_size(limit);

        let mut builder = tonic::transport::Server::builder()
            .http2_keepalive_interval(Some(Duration::from_secs(60)))
            .http2_keepalive_timeout(Some(Duration::from_secs(20)));
        let tls_mode = match &opts.tls {
            None => "off",
            Some(t) if t.client_ca_pem.is_some() => "mutual",
            Some(_) => "on",
        };
        if let Some(tls) = &opts.tls {
            let mut cfg = ServerTlsConfig::new()
                .identity(Identity::from_pem(&tls.cert_pem, &tls.key_pem))
                .timeout(Duration::from_secs(10));
            if let Some(ca) = &tls.client_ca_pem {
                cfg = cfg.client_ca_root(Certificate::from_pem(ca));
            }
            builder = builder
                .tls_config(cfg)
                .map_err(|e| Error::Config(format!("TLS: {e}")))?;
        }

        // Hot reload runs until the server stops.
        let (stop_watch, stop_watch_rx) = tokio::sync::oneshot::channel::<()>();
        let watcher = tokio::spawn(Arc::clone(&reloader).watch(opts.reload_poll, async move {
            let _ = stop_watch_rx.await;
        }));

        let (drain_started, drain_started_rx) = tokio::sync::oneshot::channel::<()>();
        let signal = async move {
            shutdown.await;
            tracing::info!("shutting down: no new connections; finishing in-flight requests");
            health
                .set_not_serving::<PageScoreServer<PageScoreService>>()
                .await;
            let _ = shutting_down.send(true);
            let _ = drain_started.send(());
        };
        let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
        tracing::info!(%addr, tls = tls_mode, model = %reloader.path().map_or("embedded".into(), |p| p.display().to_string()),
            max_concurrency = opts.max_concurrency, workers = opts.workers, "pagescore serving");
        let server = builder
            .layer(OversizeLayer { metrics, limit })
            .add_service(health_service)
            .add_service(reflection)
            .add_service(scoring)
            .serve_with_incoming_shutdown(incoming, signal);
        tokio::pin!(server);
        let drain = opts.drain_timeout;
        let deadline = async move {
            if drain_started_rx.await.is_ok() {
                tokio::time::sleep(drain).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        let result = tokio::select! {
            r = &mut server => r.map_err(|e| Error::Internal(format!("server: {e}"))),
            () = deadline => {
                tracing::warn!(drain_timeout_s = drain.as_secs_f64(), "drain timeout: exiting with requests still in flight");
                Ok(())
            }
        };
        let _ = stop_watch.send(());
        watcher.abort();
        tracing::info!("server stopped");
        result
    }
}

/// Turns tonic's "decoded message length too large" (OUT_OF_RANGE) into RESOURCE_EXHAUSTED, the
/// code gRPC specifies for a message over the size limit, with advice.
pub(crate) fn rewrite_oversize(status: Status) -> Status {
    if status.code() != Code::OutOfRange {
        return status;
    }
    Status::resource_exhausted(format!(
        "request message too large ({}); raise the server's --max-message-size \
         (PAGESCORE_MAX_MESSAGE_SIZE) or send less: only the first 8 MiB of a page is read",
        status.message()
    ))
}

/// A tower layer applying [`rewrite_oversize`] to unary calls, whose decode errors tonic answers
/// before our handler runs; it also counts those errors (oversize, malformed protobuf) in
/// `requests_total`, since the handler never sees them.
#[derive(Clone)]
struct OversizeLayer {
    metrics: Metrics,
    limit: usize,
}

impl<S> tower::Layer<S> for OversizeLayer {
    type Service = Oversize<S>;
    fn layer(&self, inner: S) -> Self::Service {
        Oversize {
            inner,
            metrics: self.metrics.clone(),
            limit: self.limit,
        }
    }
}

#[derive(Clone)]
struct Oversize<S> {
    inner: S,
    metrics: Metrics,
    limit: usize,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

impl<S, ReqBody, ResBody> tower::Service<http::Request<ReqBody>> for Oversize<S>
where
    S: tower::Service<http::Request<ReqBody>, Response = http::Response<ResBody>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<std::result::Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<std::result::Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<ReqBody>) -> Self::Future {
        let method = req
            .uri()
            .path()
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string();
        let metrics = self.metrics.clone();
        let limit = self.limit;
        let fut = self.inner.call(req);
        Box::pin(async move {
            let mut resp = fut.await?;
            let headers = resp.headers_mut();
            // Only trailers-only answers (errors raised before a handler ran) carry the status
            // in the headers.
            let code = match headers.get("grpc-status").map(|v| v.as_bytes()) {
                Some(b"11") => Code::OutOfRange,
                Some(b"13") => Code::Internal,
                _ => return Ok(resp),
            };
            let label = match method.as_str() {
                "Score" => "Score",
                "ScoreStream" => "ScoreStream",
                "GetModelInfo" => "GetModelInfo",
                _ => "other",
            };
            let original = Status::from_header_map(headers);
            if code == Code::OutOfRange {
                let original = original
                    .unwrap_or_else(|| Status::out_of_range(format!("limit {limit} bytes")));
                let status = rewrite_oversize(original);
                headers.remove("grpc-message");
                if status.add_header(headers).is_ok() {
                    metrics
                        .requests
                        .with_label_values(&[label, "RESOURCE_EXHAUSTED"])
                        .inc();
                }
            } else if original
                .is_some_and(|s| s.message().starts_with("failed to decode Protobuf message"))
            {
                // A malformed request message: INTERNAL, as the gRPC spec says for parse errors.
                metrics
                    .requests
                    .with_label_values(&[label, "INTERNAL"])
                    .inc();
            }
            Ok(resp)
        })
    }
}
