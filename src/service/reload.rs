//! Hot reload of the model in service.
//!
//! A reload loads and checks the new model off the reactor, then swaps it in atomically: requests
//! already running finish on the model they started with, new ones get the new model. A model
//! that fails to load, or whose feature schema differs from this build's signals, is refused:
//! the old model keeps serving, a warning is logged and `pagescore_model_reloads_total{result=
//! "failed"}` goes up.
//!
//! Triggers: `SIGHUP`, and a change of the model file's modification time or size (polled). To
//! replace a model file safely, write the new one beside it and `rename` it over the old one; a
//! half-written file is refused and retried when it changes again.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::scorer::{schema_hash, Scorer};
use crate::service::metrics::Metrics;
use crate::service::{LoadedModel, ModelSource, SharedModel};
use crate::{signals, Error, Result};

/// Loads a model file into a scorer. The default is [`load_checked`]; tests may inject another.
pub type Loader = Arc<dyn Fn(&Path) -> Result<Scorer> + Send + Sync>;

/// Loads the model at `path` with [`Scorer::load`] and refuses it unless its feature schema is
/// this build's ([`check_schema`]).
pub fn load_checked(path: &Path) -> Result<Scorer> {
    let scorer = Scorer::load(path)?;
    check_schema(&scorer)?;
    Ok(scorer)
}

/// The embedded model, checked like a file model.
pub fn load_embedded() -> Result<Scorer> {
    let scorer = Scorer::embedded()?;
    check_schema(&scorer)?;
    Ok(scorer)
}

/// Refuses a model whose feature schema is not the one compiled into this build.
pub fn check_schema(scorer: &Scorer) -> Result<()> {
    let info = scorer.model_info();
    let expected = schema_hash(signals::SCHEMA);
    if info.schema_hash != expected {
        return Err(Error::Model(format!(
            "model {} has feature schema {} but this build computes schema {} ({} signals); \
             retrain the model with this build",
            info.version,
            info.schema_hash,
            expected,
            signals::SCHEMA.len()
        )));
    }
    Ok(())
}

/// What a file looked like when last (re)loaded, to notice a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
}

fn stamp(path: &Path) -> Option<FileStamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some(FileStamp {
        modified: meta.modified().ok(),
        len: meta.len(),
    })
}

/// Reloads the shared model from its source.
pub struct Reloader {
    model: SharedModel,
    source: ModelSource,
    loader: Loader,
    metrics: Metrics,
    /// The file's stamp at the last load attempt (good or bad), so a bad file is tried once per
    /// change, not on every poll.
    seen: Mutex<Option<FileStamp>>,
    /// Serialises reloads (SIGHUP and the poller may fire together).
    busy: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Reloader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reloader")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// What a reload did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReloadOutcome {
    /// A new model is in service; its version.
    Reloaded(String),
    /// Nothing to reload (embedded model).
    Skipped,
}

impl Reloader {
    /// A reloader for `model`, which was loaded from `source`.
    pub fn new(model: SharedModel, source: ModelSource, loader: Loader, metrics: Metrics) -> Self {
        let seen = match &source {
            ModelSource::File(p) => stamp(p),
            ModelSource::Embedded => None,
        };
        Reloader {
            model,
            source,
            loader,
            metrics,
            seen: Mutex::new(seen),
            busy: tokio::sync::Mutex::new(()),
        }
    }

    /// The model path, if the model comes from a file.
    pub fn path(&self) -> Option<&Path> {
        match &self.source {
            ModelSource::File(p) => Some(p),
            ModelSource::Embedded => None,
        }
    }

    /// Loads the model file again and swaps it in. On error the old model keeps serving and the
    /// error is returned (and logged, and counted).
    pub async fn reload(&self, reason: &str) -> Result<ReloadOutcome> {
        let Some(path) = self.path().map(Path::to_path_buf) else {
            tracing::info!(
                reason,
                "reload requested, but the model is embedded: nothing to do"
            );
            return Ok(ReloadOutcome::Skipped);
        };
        let _guard = self.busy.lock().await;
        if let Ok(mut seen) = self.seen.lock() {
            *seen = stamp(&path);
        }
        let loader = Arc::clone(&self.loader);
        let load_path = path.clone();
        let loaded = tokio::task::spawn_blocking(move || loader(&load_path))
            .await
            .map_err(|e| Error::Internal(format!("model loader panicked: {e}")))
            .and_then(|r| r);
        match loaded {
            Ok(scorer) => {
                let new = LoadedModel::new(scorer, self.source.clone());
                let version = new.info.version.clone();
                let old = self.model.load().info.version.clone();
                self.metrics
                    .set_model(&version, &new.info.schema_hash, &self.source.to_string());
                self.model.store(Arc::new(new));
                self.metrics.reloads.with_label_values(&["ok"]).inc();
                tracing::info!(reason, path = %path.display(), old_version = %old, new_version = %version, "model reloaded");
                Ok(ReloadOutcome::Reloaded(version))
            }
            Err(err) => {
                self.metrics.reloads.with_label_values(&["failed"]).inc();
                tracing::warn!(reason, path = %path.display(), error = %err, serving = %self.model.load().info.version,
                    "model reload refused; the old model keeps serving");
                Err(err)
            }
        }
    }

    /// Whether the model file changed since the last load attempt.
    fn changed(&self) -> bool {
        let Some(path) = self.path() else {
            return false;
        };
        let now = stamp(path);
        match self.seen.lock() {
            Ok(seen) => now.is_some() && *seen != now,
            Err(_) => false,
        }
    }

    /// Runs until `shutdown` resolves: reloads on SIGHUP, and every `poll` when the file changed.
    pub async fn watch(
        self: Arc<Self>,
        poll: Option<Duration>,
        shutdown: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(shutdown);
        let mut hup = hangup_signal();
        let mut ticker = poll.map(|p| {
            let mut t = tokio::time::interval(p.max(Duration::from_millis(10)));
            t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            t
        });
        loop {
            tokio::select! {
                () = &mut shutdown => return,
                Some(()) = recv_hup(&mut hup) => {
                    let _ = self.reload("SIGHUP").await;
                }
                _ = tick(&mut ticker) => {
                    if self.changed() {
                        let _ = self.reload("model file changed").await;
                    }
                }
            }
        }
    }
}

#[cfg(unix)]
type Hangup = Option<tokio::signal::unix::Signal>;
#[cfg(not(unix))]
type Hangup = Option<()>;

#[cfg(unix)]
fn hangup_signal() -> Hangup {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::hangup()) {
        Ok(s) => Some(s),
        Err(err) => {
            tracing::warn!(error = %err, "cannot listen for SIGHUP; reload by changing the model file");
            None
        }
    }
}

#[cfg(not(unix))]
fn hangup_signal() -> Hangup {
    None
}

#[cfg(unix)]
async fn recv_hup(hup: &mut Hangup) -> Option<()> {
    match hup {
        Some(s) => s.recv().await,
        None => std::future::pending().await,
    }
}

#[cfg(not(unix))]
async fn recv_hup(_: &mut Hangup) -> Option<()> {
    std::future::pending().await
}

async fn tick(ticker: &mut Option<tokio::time::Interval>) {
    match ticker {
        Some(t) => {
            t.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// The default loader: [`load_checked`].
pub fn default_loader() -> Loader {
    Arc::new(load_checked)
}

/// Loads the initial model from `path` (or the embedded one), checked.
pub fn initial(path: Option<&PathBuf>) -> Result<(Scorer, ModelSource)> {
    match path {
        Some(p) => Ok((load_checked(p)?, ModelSource::File(p.clone()))),
        None => Ok((load_embedded()?, ModelSource::Embedded)),
    }
}
