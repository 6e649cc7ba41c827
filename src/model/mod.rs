//! Stage 4, the model: a [`SignalSet`] to a calibrated spam probability, a verdict and the exact
//! contribution of each signal (a logistic model is a dot product, so contributions add up).

use serde::{Deserialize, Serialize};

use crate::signals::SignalSet;

/// The verdict for a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A real page.
    Ham,
    /// Above the suspect threshold: worth a look.
    Suspect,
    /// Above the spam threshold.
    Spam,
}

impl Verdict {
    /// The verdict's name as written in JSON and gRPC.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ham => "ham",
            Verdict::Suspect => "suspect",
            Verdict::Spam => "spam",
        }
    }
}

/// A signal with its share of the score.
#[derive(Debug, Clone, Serialize)]
pub struct ScoredSignal {
    /// The signal name.
    pub name: &'static str,
    /// The signal value.
    pub value: f64,
    /// Its contribution to the logit (weight times standardised value).
    pub contribution: f64,
    /// Evidence strings.
    pub evidence: Vec<String>,
}

/// The result of scoring one page.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    /// Calibrated probability that the page is spam, 0..1.
    pub spam_probability: f64,
    /// The verdict at the model's thresholds.
    pub verdict: Verdict,
    /// The signals, sorted by contribution, largest first.
    pub signals: Vec<ScoredSignal>,
    /// The version of the model that scored it.
    pub model_version: String,
    /// Whether the input was cut at the size limit.
    pub truncated: bool,
}

/// Scores a signal set. Placeholder until the trained model lands.
pub fn score(set: SignalSet, truncated: bool) -> Score {
    let signals: Vec<ScoredSignal> = set
        .signals
        .into_iter()
        .map(|s| ScoredSignal {
            name: s.name,
            value: s.value,
            contribution: 0.0,
            evidence: s.evidence,
        })
        .collect();
    Score {
        spam_probability: 0.5,
        verdict: Verdict::Suspect,
        signals,
        model_version: "untrained".into(),
        truncated,
    }
}
