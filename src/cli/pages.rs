//! Shared by `score`, `train` and `eval`: running a function over corpus pages in parallel, in
//! input order, with a progress bar.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use pagescore::corpus::{Entry, Loaded};

/// A progress bar on stderr (hidden when stderr is not a terminal).
pub fn progress(len: usize, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{elapsed_precise}] {wide_bar} {pos}/{len} ({per_sec}, eta {eta})",
    ) {
        pb.set_style(style);
    }
    pb.set_message(what.to_string());
    pb
}

/// Replaces the panic hook with a one-line message: a batch run turns a page that panics into
/// that page's error (see [`guarded`]) instead of a wall of backtraces.
fn quiet_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            tracing::error!("panic: {info}");
        }));
    });
}

/// Runs `f`, turning a panic into an error message: one bad page must not end a batch run.
pub fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    quiet_panics();
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(format!("internal error (panic): {msg}"))
        }
    }
}

/// Loads every entry and applies `f`, in parallel, keeping input order. A page that cannot be
/// loaded or processed (or panics) gives its error message.
pub fn map_pages<T, F>(entries: &[Entry], pb: &ProgressBar, f: F) -> Vec<Result<T, String>>
where
    T: Send,
    F: Fn(&Entry, &Loaded) -> pagescore::Result<T> + Sync,
{
    entries
        .par_iter()
        .map(|e| {
            let out = guarded(|| {
                e.load()
                    .and_then(|l| f(e, &l))
                    .map_err(|err| err.to_string())
            });
            pb.inc(1);
            out
        })
        .collect()
}
