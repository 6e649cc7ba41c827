//! Standardisation and the logistic fit (linfa-logistic, f64). The fitted parameters are kept
//! as plain vectors: scoring a page is a dot product, no linfa call on the request path.

use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Standardised values are clipped to `±CLIP` so one wild feature on an unseen page cannot
/// dominate the score.
pub const CLIP: f64 = 6.0;

/// Per-feature mean and standard deviation of the training data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standardizer {
    /// Feature means.
    pub mean: Vec<f64>,
    /// Feature standard deviations (1 where the training data had none, so the feature is
    /// centred but not blown up).
    pub std: Vec<f64>,
}

impl Standardizer {
    /// Learns means and deviations from the rows of `x` (non-finite values count as missing).
    pub fn fit(x: &[Vec<f64>], n_features: usize) -> Self {
        let mut mean = vec![0.0; n_features];
        let mut std = vec![1.0; n_features];
        for j in 0..n_features {
            let vals: Vec<f64> = x
                .iter()
                .filter_map(|r| r.get(j).copied())
                .filter(|v| v.is_finite())
                .collect();
            if vals.is_empty() {
                continue;
            }
            let n = vals.len() as f64;
            let m = vals.iter().sum::<f64>() / n;
            let var = vals.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n;
            mean[j] = m;
            std[j] = if var.sqrt() > 1e-9 { var.sqrt() } else { 1.0 };
        }
        Standardizer { mean, std }
    }

    /// The standardised value of feature `j`: centred, scaled, clipped to `±CLIP`; a missing or
    /// non-finite value becomes 0 (the mean).
    pub fn z(&self, j: usize, value: f64) -> f64 {
        let (Some(m), Some(s)) = (self.mean.get(j), self.std.get(j)) else {
            return 0.0;
        };
        let z = (value - m) / s;
        if z.is_finite() {
            z.clamp(-CLIP, CLIP)
        } else {
            0.0
        }
    }

    /// Standardises a whole row.
    pub fn transform(&self, row: &[f64]) -> Vec<f64> {
        (0..self.mean.len())
            .map(|j| self.z(j, row.get(j).copied().unwrap_or(f64::NAN)))
            .collect()
    }
}

/// Fitted linear parameters in logit space, spam positive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Linear {
    /// One weight per standardised feature.
    pub weights: Vec<f64>,
    /// The intercept.
    pub intercept: f64,
}

impl Linear {
    /// The logit of a standardised row.
    pub fn logit(&self, z: &[f64]) -> f64 {
        self.intercept + self.weights.iter().zip(z).map(|(w, v)| w * v).sum::<f64>()
    }
}

/// Fits an L2-regularised logistic regression with linfa on standardised rows `z`.
///
/// `alpha` is linfa's penalty on the summed loss, so the same alpha regularises less as the
/// data grows; callers choose it on held-out folds.
pub fn fit(z: &[Vec<f64>], is_spam: &[bool], alpha: f64, max_iter: u64) -> Result<Linear> {
    let n_features = z.first().map_or(0, Vec::len);
    let flat: Vec<f64> = z.iter().flat_map(|r| r.iter().copied()).collect();
    let records = Array2::from_shape_vec((z.len(), n_features), flat)
        .map_err(|e| Error::Internal(format!("feature matrix: {e}")))?;
    fit_matrix(records, is_spam, alpha, max_iter, None)
}

/// [`fit`] on a ready design matrix (one row per page), e.g. the binned model's expanded rows.
/// `start`, when given, is where the optimiser sets out from (a warm start: a previous fit of
/// nearly the same problem converges in a fraction of the iterations).
pub fn fit_matrix(
    records: Array2<f64>,
    is_spam: &[bool],
    alpha: f64,
    max_iter: u64,
    start: Option<&Linear>,
) -> Result<Linear> {
    if records.nrows() == 0 || records.nrows() != is_spam.len() {
        return Err(Error::Model(format!(
            "cannot fit on {} rows and {} labels",
            records.nrows(),
            is_spam.len()
        )));
    }
    let n_spam = is_spam.iter().filter(|&&y| y).count();
    if n_spam == 0 || n_spam == is_spam.len() {
        return Err(Error::Model(format!(
            "cannot fit with one class only ({n_spam} spam of {} pages)",
            is_spam.len()
        )));
    }
    // linfa labels the more frequent class positive (the first one seen on a tie); its
    // parameters are turned below so spam is positive, and a warm start must be turned to
    // linfa's orientation the same way.
    let n_ham = is_spam.len() - n_spam;
    let spam_positive = n_spam > n_ham || (n_spam == n_ham && is_spam[0]);
    let orient = if spam_positive { 1.0 } else { -1.0 };
    let n_columns = records.ncols();
    let targets: Array1<bool> = is_spam.iter().copied().collect();
    let dataset = Dataset::new(records, targets);
    let mut params = LogisticRegression::default()
        .alpha(alpha)
        .max_iterations(max_iter)
        .gradient_tolerance(1e-6);
    if let Some(start) = start {
        if start.weights.len() != n_columns {
            return Err(Error::Model(format!(
                "warm start has {} weights for {n_columns} columns",
                start.weights.len()
            )));
        }
        let init: Array1<f64> = start
            .weights
            .iter()
            .chain(std::iter::once(&start.intercept))
            .map(|w| orient * w)
            .collect();
        params = params.initial_params(init);
    }
    let fitted = params
        .fit(&dataset)
        .map_err(|e| Error::Model(format!("logistic fit: {e}")))?;
    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    debug_assert_eq!(sign, orient, "linfa's class orientation");
    Ok(Linear {
        weights: fitted.params().iter().map(|w| sign * w).collect(),
        intercept: sign * fitted.intercept(),
    })
}

/// The logistic function.
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}
