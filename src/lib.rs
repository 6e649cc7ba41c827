//! pagescore: tells crawlers which pages are scraped copies or spam, fast enough to sit inline in
//! a crawl, and says why.
//!
//! The pipeline runs one way, one module per stage:
//!
//! ```text
//! bytes ──read──▶ Document ──extract──▶ Page ──signals──▶ SignalSet ──model──▶ Score
//! ```
//!
//! * [`read`]: raw bytes (HTML as fetched, gzip, or plain text) to decoded text, deciding the
//!   charset the way a browser does, under hard size limits.
//! * [`extract`]: the decoded document to a [`extract::Page`]: title, main text, link blocks and
//!   their headings, dates, breadcrumb, bylines, ad markers.
//! * [`signals`]: named numbers with evidence computed from a `Page`.
//! * [`model`]: a linfa-trained logistic model turning signals into a calibrated probability, a
//!   verdict and per-signal contributions.
//! * [`scorer::Scorer`] ties the stages together; the CLI (`cli`) and the gRPC service
//!   (`service`) both call it.
#![deny(missing_docs)]

pub mod corpus;
pub mod error;
pub mod extract;
pub mod model;
pub mod read;
pub mod scorer;
pub mod service;
pub mod signals;

pub use error::{Error, Result};
pub use scorer::Scorer;
