//! The library's one error type. Each variant says whose fault it was, so the edges (CLI exit
//! codes, gRPC status codes) can answer correctly.

use std::path::PathBuf;

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in pagescore.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The caller's input cannot be read as a page (bad gzip, unknown charset label, ...).
    #[error("bad input: {0}")]
    Input(String),
    /// A model artifact is missing, corrupt, or does not match this build's feature schema.
    #[error("model: {0}")]
    Model(String),
    /// A configuration value is invalid.
    #[error("config: {0}")]
    Config(String),
    /// An I/O error on a named file.
    #[error("{path}: {source}")]
    Io {
        /// The file being read or written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A pagescore invariant broke; a bug.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// An [`Error::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
