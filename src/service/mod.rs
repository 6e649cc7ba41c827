//! The gRPC service (`pagescore serve`).
//!
//! * [`pb`]: the generated `pagescore.v1` code; [`convert`] is the only place where its types
//!   meet the engine's, and holds the single `From<Error> for Status`.
//! * [`server`]: the tonic server: health, reflection, compression, limits, load shedding,
//!   deadlines, TLS, graceful shutdown.
//! * [`reload`]: the model shared by all requests behind an `ArcSwap`, reloaded on SIGHUP or
//!   when the model file changes; a bad model is refused and the old one keeps serving.
//! * [`metrics`]: Prometheus metrics on a separate port.

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
