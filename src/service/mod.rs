//! The gRPC service (`pagescore serve`).
//!
//! * [`pb`]: the generated `pagescore.v1` code; [`convert`] is the only place where its types
//!   meet the engine's, and holds the single `From<Error> for Status`.
//! * [`server`]: the tonic server: health, reflection, compression, limits, load shedding,
//!   deadlines, TLS, graceful shutdown.
//! * [`reload`]: the model shared by all requests behind an `ArcSwap`, reloaded on SIGHUP or
//!   when the model file changes; a bad model is refused and the old one keeps serving.
//! * [`metrics`]: Prometheus metrics on a separate port.
//!
//! # Operating it
//!
//! `pagescore serve` listens on `127.0.0.1:50051` with the embedded model; `--help` lists every
//! flag and its `PAGESCORE_*` environment variable.
//!
//! * **Health**: `grpc.health.v1.Health` answers SERVING for `""` and `pagescore.v1.PageScore`
//!   once the model is loaded, NOT_SERVING as soon as a shutdown starts.
//! * **Signals**: SIGTERM or SIGINT stops accepting connections, lets in-flight calls finish (at
//!   most `--drain-timeout`), and exits 0; open streams stop reading, answer what they already
//!   read, then end with UNAVAILABLE so the client resends the rest elsewhere. A second signal
//!   exits at once. SIGHUP reloads the model file (a no-op, logged, with the embedded model).
//! * **Overload**: at most `--max-concurrency` pages are scored or queued; beyond that calls fail
//!   at once with RESOURCE_EXHAUSTED (`pagescore_shed_total`), so latency stays bounded and the
//!   client can back off or go elsewhere. Scoring runs on `--workers` threads, never on the
//!   async reactor.
//! * **Metrics** (`--metrics-addr`, `/metrics`): `pagescore_requests_total{method,code}`,
//!   `pagescore_request_duration_seconds{method}`, `pagescore_pages_total{verdict}`,
//!   `pagescore_request_bytes_total`, `pagescore_shed_total{method}`,
//!   `pagescore_in_flight_pages`, `pagescore_open_streams`,
//!   `pagescore_model_info{version,schema_hash,source}`,
//!   `pagescore_model_reloads_total{result}`. A call the client abandoned is counted as
//!   CANCELLED.
//! * **Logs**: `tracing`, JSON with `--log-json`; page bodies are never logged. Per-call lines
//!   at `debug`.
//! * **Security**: no RPC changes server state (reload and shutdown are signals only); TLS with
//!   `--tls-cert/--tls-key`, mutual TLS with `--tls-client-ca`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use arc_swap::ArcSwap;

use crate::scorer::{ModelInfo, Scorer};

pub mod convert;
mod grpc;
pub mod metrics;
pub mod reload;
pub mod server;

pub use grpc::ScoreHook;
pub use server::{ServeOptions, Service, TlsOptions};

/// Generated protobuf and gRPC code for `pagescore.v1`.
#[allow(missing_docs, clippy::all)]
pub mod pb {
    tonic::include_proto!("pagescore.v1");

    /// The encoded file descriptor set, served by gRPC reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/pagescore_descriptor.bin"));
}

/// Where the model in service comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    /// The model shipped inside the binary (SIGHUP is a no-op).
    Embedded,
    /// A model file, reloaded on SIGHUP or when it changes.
    File(PathBuf),
}

impl std::fmt::Display for ModelSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelSource::Embedded => f.write_str("embedded"),
            ModelSource::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// A model in service: the scorer, what it says about itself, where and when it was loaded.
#[derive(Debug)]
pub struct LoadedModel {
    /// The scorer every request uses.
    pub scorer: Scorer,
    /// The model's self-description (cached: it does not change while loaded).
    pub info: ModelInfo,
    /// Where it came from.
    pub source: ModelSource,
    /// When this server loaded it.
    pub loaded_at: SystemTime,
}

impl LoadedModel {
    /// Wraps a freshly loaded scorer.
    pub fn new(scorer: Scorer, source: ModelSource) -> Self {
        let info = scorer.model_info();
        LoadedModel {
            scorer,
            info,
            source,
            loaded_at: SystemTime::now(),
        }
    }
}

/// The one model shared by every request. A request takes a snapshot (`load_full`) when it
/// starts, so a reload never changes the model under a running request.
pub type SharedModel = Arc<ArcSwap<LoadedModel>>;
