//! The binned additive model: each signal gets a step function over quantile bins of its
//! training values plus a linear term on its standardised value, all fitted together as one L2
//! logistic regression (linfa) on an expanded design row.
//!
//! Signal effects are often non-monotone (an empty page and a page of pure boilerplate both
//! have unusual compression ratios); the bins let each signal say so, while the score stays a
//! plain sum of per-signal contributions:
//!
//! ```text
//! bin_j(x)         = number of edges e of feature j with e < x   (binary search, ≤ 11 edges)
//! contribution_j   = w_lin_j * z_j + w_bin_j[bin_j(x_j)] - c_j
//! c_j              = mean of w_bin_j[bin_j(x)] over the training rows
//! ```
//!
//! A non-finite value counts as the training mean (`z = 0`, the mean's bin). A feature whose
//! training values are constant has no edges and no bin weights (its one bin would only repeat
//! the intercept).

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::logistic::{self, Linear, Standardizer};
use crate::{Error, Result};

/// At most this many bins per feature (so at most `MAX_BINS - 1` edges).
pub const MAX_BINS: usize = 12;

/// The additive part of the spam model: everything between raw signal values and the logit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Additive {
    /// Per-feature mean and deviation of the training data (for the linear terms, and the
    /// stand-in for non-finite values).
    pub scaler: Standardizer,
    /// Per feature, the strictly increasing, finite bin edges (empty: one bin, no bin weights).
    pub edges: Vec<Vec<f64>>,
    /// Linear weights on the standardised values, and the intercept in logit space (it absorbs
    /// the centring constants, so an average page's contributions are all about 0).
    pub linear: Linear,
    /// Per feature, one weight per bin (`edges.len() + 1`, or none when there are no edges).
    pub bin_weights: Vec<Vec<f64>>,
    /// Per feature, the mean bin weight over the training rows, subtracted from the feature's
    /// contribution.
    pub centres: Vec<f64>,
}

impl Additive {
    /// A model that knows nothing: every weight zero, no bins.
    pub fn zero(n_features: usize) -> Self {
        Additive {
            scaler: Standardizer {
                mean: vec![0.0; n_features],
                std: vec![1.0; n_features],
            },
            edges: vec![Vec::new(); n_features],
            linear: Linear {
                weights: vec![0.0; n_features],
                intercept: 0.0,
            },
            bin_weights: vec![Vec::new(); n_features],
            centres: vec![0.0; n_features],
        }
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.scaler.mean.len()
    }

    /// Whether the model has no features.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bin of `value` for feature `j` (non-finite values fall in the bin of the mean).
    pub fn bin(&self, j: usize, value: f64) -> usize {
        let edges = self.edges.get(j).map_or(&[][..], Vec::as_slice);
        let mean = self.scaler.mean.get(j).copied().unwrap_or(0.0);
        bin_of(edges, mean, value)
    }

    /// The exact contribution of feature `j` with raw value `value`, in logit units. A zero is
    /// always `+0.0` (adding `0.0` turns `-0.0` into it): protobuf does not carry the sign of a
    /// zero, and the service's answer must equal the engine's bit for bit.
    pub fn contribution(&self, j: usize, value: f64) -> f64 {
        let w = self.linear.weights.get(j).copied().unwrap_or(0.0);
        let linear = w * self.scaler.z(j, value);
        let Some(bw) = self.bin_weights.get(j).filter(|bw| !bw.is_empty()) else {
            return linear + 0.0;
        };
        let step = bw.get(self.bin(j, value)).copied().unwrap_or(0.0);
        let centre = self.centres.get(j).copied().unwrap_or(0.0);
        linear + (step - centre) + 0.0
    }

    /// The logit of raw values in feature order: the intercept plus every contribution, summed
    /// in feature order (a missing value counts as the mean).
    pub fn logit(&self, values: &[f64]) -> f64 {
        let mut logit = self.linear.intercept;
        for j in 0..self.len() {
            logit += self.contribution(j, values.get(j).copied().unwrap_or(f64::NAN));
        }
        logit
    }

    /// Checks the shapes and values a loaded model must have for `n` features: every vector the
    /// right length, edges finite and strictly increasing, every parameter finite.
    pub fn check(&self, n: usize) -> Result<()> {
        let bad = |what: &str| Err(Error::Model(format!("spam model is inconsistent: {what}")));
        if self.scaler.mean.len() != n
            || self.scaler.std.len() != n
            || self.edges.len() != n
            || self.linear.weights.len() != n
            || self.bin_weights.len() != n
            || self.centres.len() != n
        {
            return bad("its parameters do not match its schema");
        }
        for (j, (e, bw)) in self.edges.iter().zip(&self.bin_weights).enumerate() {
            if e.len() >= MAX_BINS
                || e.iter().any(|v| !v.is_finite())
                || e.windows(2).any(|w| w[0] >= w[1])
            {
                return bad(&format!("bin edges of feature {j} are not increasing"));
            }
            let bins = if e.is_empty() { 0 } else { e.len() + 1 };
            if bw.len() != bins {
                return bad(&format!(
                    "feature {j} has {} bin weights for {bins} bins",
                    bw.len()
                ));
            }
        }
        let finite = self
            .scaler
            .mean
            .iter()
            .chain(&self.scaler.std)
            .chain(&self.linear.weights)
            .chain(&self.centres)
            .chain(self.bin_weights.iter().flatten())
            .chain(std::iter::once(&self.linear.intercept))
            .all(|v| v.is_finite());
        if !finite || self.scaler.std.iter().any(|s| *s <= 0.0) {
            return bad("a parameter is not finite");
        }
        Ok(())
    }
}

/// The bin of `value` among `edges`: how many edges lie strictly below it. A non-finite value
/// is looked up as `mean`.
pub fn bin_of(edges: &[f64], mean: f64, value: f64) -> usize {
    let v = if value.is_finite() { value } else { mean };
    edges.partition_point(|&e| e < v)
}

/// Bin edges of one feature: the distinct `q/max_bins` quantiles (q = 1..max_bins) of its
/// finite values, without any edge at or above the largest value (that bin would be empty).
/// A constant feature gets no edges, a two-valued one a single edge.
pub fn quantile_edges(values: &mut [f64], max_bins: usize) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let Some(&max) = values.last() else {
        return Vec::new();
    };
    let mut edges: Vec<f64> = Vec::new();
    for q in 1..max_bins {
        let idx = (q * n / max_bins).min(n - 1);
        let v = values[idx];
        if v < max && edges.last().is_none_or(|&last| v > last) {
            // -0.0 and 0.0 are one edge; store 0.0 so the model text is canonical.
            edges.push(if v == 0.0 { 0.0 } else { v });
        }
    }
    // A floor value many pages share is usually "not applicable" (no text to compress, no
    // links to measure), not "a little": give it a bin of its own instead of lumping it with
    // the lowest real values, merging the lowest two quantile bins to make room.
    let min = values[0];
    let at_min = values.partition_point(|&v| v <= min);
    if at_min >= MIN_FLOOR_ROWS && min < max && edges.first().is_none_or(|&e| min < e) {
        edges.insert(0, if min == 0.0 { 0.0 } else { min });
        if edges.len() >= max_bins {
            edges.remove(1);
        }
    }
    edges
}

/// Training rows a feature's minimum needs to get a bin of its own.
pub const MIN_FLOOR_ROWS: usize = 5;

/// The column layout of the expanded design row: for each feature, its bin indicators (when
/// it has edges) then its standardised value.
struct Layout {
    /// Column of each feature's first bin indicator.
    offsets: Vec<usize>,
    /// Total number of columns.
    width: usize,
}

impl Layout {
    fn new(edges: &[Vec<f64>]) -> Self {
        let mut offsets = Vec::with_capacity(edges.len());
        let mut width = 0;
        for e in edges {
            offsets.push(width);
            width += if e.is_empty() { 0 } else { e.len() + 1 } + 1;
        }
        Layout { offsets, width }
    }
}

/// Fits the additive model on raw rows `x` (`n_features` values each) with linfa's L2 logistic
/// regression (`alpha` on the summed loss): edges and scaler from these rows only, then one fit
/// on the expanded rows, then the centring constants.
pub fn fit(
    x: &[Vec<f64>],
    is_spam: &[bool],
    n_features: usize,
    alpha: f64,
    max_iter: u64,
) -> Result<Additive> {
    let scaler = Standardizer::fit(x, n_features);
    let edges: Vec<Vec<f64>> = (0..n_features)
        .map(|j| {
            let mut vals: Vec<f64> = x
                .iter()
                .filter_map(|r| r.get(j).copied())
                .filter(|v| v.is_finite())
                .collect();
            quantile_edges(&mut vals, MAX_BINS)
        })
        .collect();
    let layout = Layout::new(&edges);
    let mut model = Additive {
        scaler,
        edges,
        linear: Linear {
            weights: vec![0.0; n_features],
            intercept: 0.0,
        },
        bin_weights: vec![Vec::new(); n_features],
        centres: vec![0.0; n_features],
    };
    // Bins of every training row, computed once: the design matrix and the centring need them.
    let bins: Vec<Vec<usize>> = x
        .iter()
        .map(|r| {
            (0..n_features)
                .map(|j| model.bin(j, r.get(j).copied().unwrap_or(f64::NAN)))
                .collect()
        })
        .collect();
    let mut records = Array2::<f64>::zeros((x.len(), layout.width));
    for (i, (row, row_bins)) in x.iter().zip(&bins).enumerate() {
        for j in 0..n_features {
            let off = layout.offsets[j];
            let z_col = if model.edges[j].is_empty() {
                off
            } else {
                records[[i, off + row_bins[j]]] = 1.0;
                off + model.edges[j].len() + 1
            };
            records[[i, z_col]] = model.scaler.z(j, row.get(j).copied().unwrap_or(f64::NAN));
        }
    }
    let fitted = logistic::fit_matrix(records, is_spam, alpha, max_iter)?;
    let mut intercept = fitted.intercept;
    for j in 0..n_features {
        let off = layout.offsets[j];
        let nb = if model.edges[j].is_empty() {
            0
        } else {
            model.edges[j].len() + 1
        };
        let bw: Vec<f64> = fitted.weights[off..off + nb].to_vec();
        model.linear.weights[j] = fitted.weights[off + nb];
        if nb > 0 {
            let centre = bins.iter().map(|b| bw[b[j]]).sum::<f64>() / x.len().max(1) as f64;
            model.centres[j] = centre;
            intercept += centre;
        }
        model.bin_weights[j] = bw;
    }
    model.linear.intercept = intercept;
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_are_distinct_quantiles_below_the_maximum() {
        let mut constant = vec![3.0; 50];
        assert!(quantile_edges(&mut constant, MAX_BINS).is_empty());
        let mut two: Vec<f64> = (0..100)
            .map(|i| if i % 10 == 0 { 1.0 } else { 0.0 })
            .collect();
        assert_eq!(quantile_edges(&mut two, MAX_BINS), vec![0.0]);
        let mut spread: Vec<f64> = (0..1000).map(f64::from).rev().collect();
        let e = quantile_edges(&mut spread, MAX_BINS);
        assert_eq!(e.len(), MAX_BINS - 1);
        assert!(e.windows(2).all(|w| w[0] < w[1]));
        assert!(quantile_edges(&mut [], MAX_BINS).is_empty());
        let mut signed_zero = vec![-0.0, 0.0, -0.0, 0.0, 1.0, 2.0];
        let e = quantile_edges(&mut signed_zero, 4);
        assert_eq!(e, vec![0.0, 1.0]);
        assert!(e[0].is_sign_positive());
    }

    #[test]
    fn a_shared_floor_value_gets_its_own_bin() {
        // 6 empty pages (0) among 600 spread from 1 to 2: 0 must not share a bin with 1.0
        let mut v: Vec<f64> = (0..600).map(|i| 1.0 + f64::from(i) / 600.0).collect();
        v.extend([0.0; 6]);
        let e = quantile_edges(&mut v, MAX_BINS);
        assert_eq!(e[0], 0.0);
        assert!(e[1] > 1.0);
        assert_eq!(e.len(), MAX_BINS - 1);
        assert_eq!(bin_of(&e, 1.5, 0.0), 0);
        assert_eq!(bin_of(&e, 1.5, 1.001), 1);
        // a single low outlier is no floor
        let mut v: Vec<f64> = (0..600).map(|i| 1.0 + f64::from(i) / 600.0).collect();
        v.push(0.0);
        assert!(quantile_edges(&mut v, MAX_BINS)[0] > 0.0);
    }

    #[test]
    fn bin_lookup_handles_every_value() {
        let edges = [0.0, 1.0, 2.0];
        assert_eq!(bin_of(&edges, 1.5, -5.0), 0);
        assert_eq!(bin_of(&edges, 1.5, 0.0), 0);
        assert_eq!(bin_of(&edges, 1.5, 0.5), 1);
        assert_eq!(bin_of(&edges, 1.5, 1.0), 1);
        assert_eq!(bin_of(&edges, 1.5, 1e300), 3);
        assert_eq!(bin_of(&edges, 1.5, f64::NAN), 2);
        assert_eq!(bin_of(&edges, 1.5, f64::INFINITY), 2);
        assert_eq!(bin_of(&edges, 1.5, f64::NEG_INFINITY), 2);
        assert_eq!(bin_of(&[], 1.5, 7.0), 0);
    }

    #[test]
    fn zero_model_contributes_nothing_and_checks() {
        let m = Additive::zero(3);
        assert!(m.check(3).is_ok());
        assert!(m.check(4).is_err());
        assert_eq!(m.logit(&[f64::NAN, f64::INFINITY, 1e308]), 0.0);
    }

    #[test]
    fn check_refuses_bad_shapes_and_values() {
        let mut m = Additive::zero(2);
        m.edges[0] = vec![1.0, 0.5];
        m.bin_weights[0] = vec![0.0; 3];
        assert!(m.check(2).is_err());
        m.edges[0] = vec![0.5, 1.0];
        assert!(m.check(2).is_ok());
        m.bin_weights[0].pop();
        assert!(m.check(2).is_err());
        m.bin_weights[0] = vec![0.0, f64::NAN, 0.0];
        assert!(m.check(2).is_err());
    }
}
