//! Stage 3, signals: named numbers computed from a [`Page`], each with evidence a person can
//! check. The order of [`SCHEMA`] is the model's feature order.

use serde::Serialize;

pub mod text;

use crate::extract::Page;
use text::TextModels;

/// The signal names, in the model's feature order.
pub const SCHEMA: &[&str] = &["title_words"];

/// One named signal.
#[derive(Debug, Clone, Serialize)]
pub struct Signal {
    /// Its name, one of [`SCHEMA`].
    pub name: &'static str,
    /// Its value.
    pub value: f64,
    /// Evidence strings a person can check (empty unless evidence was asked for).
    pub evidence: Vec<String>,
}

/// All signals of one page, in [`SCHEMA`] order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SignalSet {
    /// The signals.
    pub signals: Vec<Signal>,
}

impl SignalSet {
    /// The values, in schema order: the model's feature vector.
    pub fn values(&self) -> Vec<f64> {
        self.signals.iter().map(|s| s.value).collect()
    }
}

/// Whether to collect evidence strings (costs time; the service asks per request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Explain {
    /// Values only.
    #[default]
    Skip,
    /// Values and evidence.
    Detailed,
}

/// Computes every signal of `page`.
pub fn compute(page: &Page, text: &TextModels, explain: Explain) -> SignalSet {
    let _ = (text, explain);
    SignalSet {
        signals: vec![Signal {
            name: "title_words",
            value: page.title.text.split_whitespace().count() as f64,
            evidence: Vec::new(),
        }],
    }
}
