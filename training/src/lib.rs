//! Builds pagescore's labeled training corpus from `../shared/data`: real pages as ham, spam
//! assembled from real ingredients the way scraper sites build their pages, split by source and
//! template. See `training/README.md`.

pub mod build;
pub mod parts;
pub mod render;
pub mod shell;
pub mod sources;
pub mod topic;
pub mod util;

pub use build::{build, summary, Config, Record};
