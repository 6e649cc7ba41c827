//! Shared by `score`, `train` and `eval`: running a function over corpus pages in parallel, in
//! input order, with a progress bar.

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

/// Loads every entry and applies `f`, in parallel, keeping input order. A page that cannot be
/// loaded or processed gives its error message.
pub fn map_pages<T, F>(entries: &[Entry], pb: &ProgressBar, f: F) -> Vec<Result<T, String>>
where
    T: Send,
    F: Fn(&Entry, &Loaded) -> pagescore::Result<T> + Sync,
{
    entries
        .par_iter()
        .map(|e| {
            let out = e
                .load()
                .and_then(|l| f(e, &l))
                .map_err(|err| err.to_string());
            pb.inc(1);
            out
        })
        .collect()
}
