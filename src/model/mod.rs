//! Stage 4, the model: a [`SignalSet`] to a calibrated spam probability, a verdict and the exact
//! contribution of each signal.
//!
//! The model is a binned additive logistic model (a GAM, see [`binned`]): for each signal, a
//! step function over up to 32 quantile bins of its training values plus a linear term on its
//! standardised value, all fitted together as one L2 logistic regression with linfa (see
//! [`logistic`]). Signal effects are often non-monotone (a compression ratio of 0 means an empty
//! page, a very high one boilerplate), which a single weight per signal cannot express. For a
//! page with signal values `x`:
//!
//! ```text
//! z_j            = clip((x_j - mean_j) / std_j, ±6)        (0 when x_j is not finite)
//! bin_j          = number of bin edges of signal j below x_j   (the mean's bin when not finite)
//! contribution_j = w_lin_j * z_j + w_bin_j[bin_j] - c_j   (logit units)
//! c_j            = mean of w_bin_j[bin_j] over the training pages
//! logit          = intercept + Σ contribution_j
//! probability    = sigmoid(a * logit + b)                  (Platt calibration)
//! ```
//!
//! The centring constants `c_j` make an average training page's contributions about 0 each (the
//! intercept absorbs `Σ c_j`), so a contribution reads as "how much this signal pushes this page
//! away from a typical page". Contributions are reported in raw logit units, before
//! calibration: they add up exactly to `logit - intercept`. Calibration is monotone (`a > 0`), so
//! a larger contribution always means a higher probability.

use serde::{Deserialize, Serialize};

use crate::signals::SignalSet;

pub mod artifact;
pub mod binned;
pub mod calibrate;
pub mod fit;
pub mod logistic;
pub mod metrics;

pub use artifact::{Bundle, Header, ModelInfo};
use binned::Additive;
use calibrate::Platt;

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
    /// Its contribution to the logit (its linear term plus its centred bin weight), in raw logit
    /// units.
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
    /// The raw logit: `intercept` plus the sum of the contributions.
    pub logit: f64,
    /// The model's intercept (the logit of a typical page: every contribution 0).
    pub intercept: f64,
}

/// The summed contribution of one signal family ([`crate::signals::FAMILIES`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FamilyContribution {
    /// The family name.
    pub name: &'static str,
    /// The sum of its signals' contributions, in logit units.
    pub contribution: f64,
}

impl Score {
    /// The contributions summed by signal family, largest first: correlated signals of one
    /// family share evidence between them, so the family sum says what a page's related
    /// blocks, or its ads, did to the score.
    pub fn families(&self) -> Vec<FamilyContribution> {
        let mut out: Vec<FamilyContribution> = crate::signals::FAMILIES
            .iter()
            .map(|(name, _)| FamilyContribution {
                name,
                contribution: 0.0,
            })
            .collect();
        for s in &self.signals {
            if let Some(f) = crate::signals::family_of(s.name) {
                if let Some(slot) = out.iter_mut().find(|c| c.name == f) {
                    slot.contribution += s.contribution;
                }
            }
        }
        out.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
        out
    }
}

/// The probability thresholds of the verdicts, chosen on held-out folds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// `probability >= spam` means spam.
    pub spam: f64,
    /// `probability >= suspect` (and below `spam`) means suspect.
    pub suspect: f64,
    /// The false-positive rate on ham the spam threshold was chosen for.
    pub spam_target_fpr: f64,
    /// The false-positive rate on ham the suspect threshold was chosen for.
    pub suspect_target_fpr: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            spam: 0.5,
            suspect: 0.25,
            spam_target_fpr: 0.01,
            suspect_target_fpr: 0.05,
        }
    }
}

impl Thresholds {
    /// The verdict for a probability.
    pub fn verdict(&self, p: f64) -> Verdict {
        if p >= self.spam {
            Verdict::Spam
        } else if p >= self.suspect {
            Verdict::Suspect
        } else {
            Verdict::Ham
        }
    }
}

/// The fitted spam model: plain vectors, so scoring is a binary search and a few additions per
/// signal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpamModel {
    /// Feature names, in the order of the parameters (the signal schema it was trained on).
    pub features: Vec<String>,
    /// The additive model: scaler, bin edges, linear and bin weights, centring, intercept.
    pub additive: Additive,
    /// Calibration of the logit into a probability.
    pub platt: Platt,
    /// Verdict thresholds.
    pub thresholds: Thresholds,
    /// The L2 strength chosen (per training page).
    pub lambda: f64,
}

impl SpamModel {
    /// A model that knows nothing: every weight zero, probability 0.5 (`suspect`).
    pub fn untrained(features: &[&str]) -> Self {
        SpamModel {
            features: features.iter().map(|s| s.to_string()).collect(),
            additive: Additive::zero(features.len()),
            platt: Platt::default(),
            thresholds: Thresholds::default(),
            lambda: 0.0,
        }
    }

    /// The intercept in logit space.
    pub fn intercept(&self) -> f64 {
        self.additive.linear.intercept
    }

    /// The raw logit of raw feature values in [`SpamModel::features`] order.
    pub fn logit(&self, values: &[f64]) -> f64 {
        self.additive.logit(values)
    }

    /// The calibrated probability of raw feature values.
    pub fn probability(&self, values: &[f64]) -> f64 {
        self.platt.probability(self.logit(values))
    }

    /// Scores a signal set: contributions per signal, calibrated probability, verdict.
    ///
    /// Signals are matched to the model's features by name; a feature the set lacks counts as
    /// contributing 0, a signal the model lacks gets contribution 0. The logit is the intercept
    /// plus the contributions summed in the set's order.
    pub fn score(&self, set: SignalSet, truncated: bool, model_version: &str) -> Score {
        let mut logit = self.intercept();
        let mut signals: Vec<ScoredSignal> = set
            .signals
            .into_iter()
            .map(|s| {
                let contribution = self
                    .feature_index(s.name)
                    .map(|j| self.additive.contribution(j, s.value))
                    .unwrap_or(0.0);
                logit += contribution;
                ScoredSignal {
                    name: s.name,
                    value: s.value,
                    contribution,
                    evidence: s.evidence,
                }
            })
            .collect();
        signals.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
        let spam_probability = self.platt.probability(logit);
        Score {
            spam_probability,
            verdict: self.thresholds.verdict(spam_probability),
            signals,
            model_version: model_version.to_string(),
            truncated,
            logit,
            intercept: self.intercept(),
        }
    }

    fn feature_index(&self, name: &str) -> Option<usize> {
        self.features.iter().position(|f| f == name)
    }
}
