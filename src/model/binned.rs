//! The binned additive model: each signal gets a step function over quantile bins of its
//! training values plus a linear term on its standardised value, all fitted together as one L2
//! logistic regression (linfa) on an expanded design row: one column per bin edge ("the value
//! lies above this edge", its weight the step from one bin to the next) and the standardised
//! value.
//!
//! Signal effects are often non-monotone (an empty page and a page of pure boilerplate both
//! have unusual compression ratios); the bins let each signal say so, while the score stays a
//! plain sum of per-signal contributions:
//!
//! ```text
//! bin_j(x)         = number of edges e of feature j with e < x   (binary search, ≤ 63 edges)
//! w_bin_j[b]       = sum of the fitted steps of feature j at edges 1..=b  (w_bin_j[0] = 0)
//! contribution_j   = w_lin_j * z_j + w_bin_j[bin_j(x_j)] - c_j
//! c_j              = mean of w_bin_j[bin_j(x)] over the training rows, or for a feature
//!                    fitted as increasing (a sign of spam) its whole term at the lowest
//!                    training value: an absent sign contributes 0, a present one more
//! ```
//!
//! A non-finite value counts as the training mean (`z = 0`, the mean's bin). A feature whose
//! training values are constant has no edges and no bin weights (its one bin would only repeat
//! the intercept).

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::logistic::{self, Linear, Standardizer};
use crate::{Error, Result};

/// At most this many bins per feature (so at most `MAX_BINS - 1` edges): the ceiling a model
/// file is checked against on load. How many bins a fit uses is [`BinOptions::bins`].
pub const MAX_BINS: usize = 64;

/// How the binned model is fitted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BinOptions {
    /// Bins per feature, at most [`MAX_BINS`].
    pub bins: usize,
    /// Adaptive-ridge rounds after the first fit. Each refits with every column scaled by
    /// `sqrt(|w| + REWEIGHT_EPS)` of its previous weight, which turns the L2 penalty `w²` into
    /// about `|w|`: on step columns an approximate total-variation penalty, so the bins of a
    /// shape that is really flat merge into one level while a real jump keeps its full height
    /// (plain L2 shrinks every step alike and blurs the jump over neighbouring bins).
    pub reweights: usize,
}

impl Default for BinOptions {
    fn default() -> Self {
        BinOptions {
            bins: 32,
            reweights: 1,
        }
    }
}

/// Keeps a zero weight from locking its column at zero in the next adaptive-ridge round.
pub const REWEIGHT_EPS: f64 = 1e-3;

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
    /// Per feature, the baseline subtracted from its contribution: the mean bin weight over the
    /// training rows (an average page contributes about 0), or for a feature fitted as
    /// increasing its level at the lowest training value, linear term included (a page without
    /// the sign contributes 0, a page with it more).
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

/// The L2 logistic fit on `records`, then `rounds` adaptive-ridge refits: the weights returned
/// are always those of the original columns. `start` warm-starts the first fit.
fn fit_reweighted(
    records: Array2<f64>,
    is_spam: &[bool],
    alpha: f64,
    max_iter: u64,
    rounds: usize,
    start: Option<&Linear>,
) -> Result<Linear> {
    if rounds == 0 {
        return logistic::fit_matrix(records, is_spam, alpha, max_iter, start);
    }
    let mut fitted = logistic::fit_matrix(records.clone(), is_spam, alpha, max_iter, start)?;
    for _ in 0..rounds {
        // Column c scaled by s_c with an L2 penalty on its new weight v_c = w_c / s_c costs
        // w_c² / s_c² = w_c² / (|w_prev| + eps): about |w_c| near the previous solution.
        let scale: Vec<f64> = fitted
            .weights
            .iter()
            .map(|w| (w.abs() + REWEIGHT_EPS).sqrt())
            .collect();
        let mut scaled = records.clone();
        for (mut column, &s) in scaled.columns_mut().into_iter().zip(&scale) {
            column *= s;
        }
        // Warm start at the previous solution in the scaled coordinates.
        let start = Linear {
            weights: fitted
                .weights
                .iter()
                .zip(&scale)
                .map(|(w, s)| w / s)
                .collect(),
            intercept: fitted.intercept,
        };
        let refit = logistic::fit_matrix(scaled, is_spam, alpha, max_iter, Some(&start))?;
        fitted = Linear {
            weights: refit
                .weights
                .iter()
                .zip(&scale)
                .map(|(v, s)| v * s)
                .collect(),
            intercept: refit.intercept,
        };
    }
    Ok(fitted)
}

/// Refits after dropping constrained columns this many times at most; a column still negative
/// after the last round is set to zero (feasible, if a little short of the optimum). On the
/// shipped corpus the set settles in three to four rounds.
pub const MAX_ACTIVE_SET_ROUNDS: usize = 8;

/// [`fit_reweighted`] with the weights of the columns marked in `non_negative` kept at zero or
/// above, by an active-set loop: fit, fix every constrained column that came out negative at
/// zero (drop it from the design), refit from the previous solution, until none is negative.
/// linfa's logistic regression has no bounds, and dropping columns keeps each round a plain
/// L2 fit.
fn fit_non_negative(
    records: Array2<f64>,
    is_spam: &[bool],
    alpha: f64,
    max_iter: u64,
    rounds: usize,
    non_negative: &[bool],
) -> Result<Linear> {
    let n_columns = records.ncols();
    if !non_negative.iter().any(|&c| c) {
        return fit_reweighted(records, is_spam, alpha, max_iter, rounds, None);
    }
    let mut active: Vec<usize> = (0..n_columns).collect();
    let mut weights = vec![0.0; n_columns];
    let mut intercept = 0.0;
    let mut start: Option<Linear> = None;
    for round in 0..MAX_ACTIVE_SET_ROUNDS {
        let design = if active.len() == n_columns {
            records.clone()
        } else {
            records.select(ndarray::Axis(1), &active)
        };
        let fitted = fit_reweighted(design, is_spam, alpha, max_iter, rounds, start.as_ref())?;
        weights.iter_mut().for_each(|w| *w = 0.0);
        for (&c, &w) in active.iter().zip(&fitted.weights) {
            weights[c] = w;
        }
        intercept = fitted.intercept;
        let negative = |c: usize| non_negative.get(c).copied().unwrap_or(false) && weights[c] < 0.0;
        if !active.iter().any(|&c| negative(c)) {
            return Ok(Linear { weights, intercept });
        }
        if round + 1 == MAX_ACTIVE_SET_ROUNDS {
            break;
        }
        active.retain(|&c| !negative(c));
        start = Some(Linear {
            weights: active.iter().map(|&c| weights[c]).collect(),
            intercept,
        });
    }
    for (w, &c) in weights.iter_mut().zip(non_negative) {
        if c && *w < 0.0 {
            *w = 0.0;
        }
    }
    Ok(Linear { weights, intercept })
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

/// One column of the expanded design row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    /// `1` when the feature's value lies above its `b`-th edge (`b` from 1): its weight is the
    /// step between bin `b - 1` and bin `b`.
    Step(usize, usize),
    /// The feature's standardised value.
    Linear(usize),
}

/// Fits the additive model on raw rows `x` with linfa's L2 logistic regression (`alpha` on the
/// summed loss): edges and scaler from these rows only, then the fit, then the centring
/// constants.
///
/// Each bin edge is a step column ("value above edge b"), so the penalty pulls neighbouring
/// bins together (a step costs what it changes) rather than every bin towards zero; with
/// `opts.reweights` the penalty becomes about the absolute step (see [`BinOptions`]).
///
/// A feature marked in `increasing` (missing entries count as unmarked) gets a shape that never
/// falls: its steps and its linear weight are all kept at zero or above (see
/// [`fit_non_negative`]).
pub fn fit(
    x: &[Vec<f64>],
    is_spam: &[bool],
    n_features: usize,
    alpha: f64,
    max_iter: u64,
    opts: BinOptions,
    increasing: &[bool],
) -> Result<Additive> {
    if opts.bins < 1 || opts.bins > MAX_BINS {
        return Err(Error::Model(format!(
            "{} bins per feature: must be 1 to {MAX_BINS}",
            opts.bins
        )));
    }
    let scaler = Standardizer::fit(x, n_features);
    let edges: Vec<Vec<f64>> = (0..n_features)
        .map(|j| {
            let mut vals: Vec<f64> = x
                .iter()
                .filter_map(|r| r.get(j).copied())
                .filter(|v| v.is_finite())
                .collect();
            quantile_edges(&mut vals, opts.bins)
        })
        .collect();
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
    // Bins and standardised values of every training row, computed once.
    let value = |r: &[f64], j: usize| r.get(j).copied().unwrap_or(f64::NAN);
    let bins: Vec<Vec<usize>> = x
        .iter()
        .map(|r| (0..n_features).map(|j| model.bin(j, value(r, j))).collect())
        .collect();
    let z: Vec<Vec<f64>> = x
        .iter()
        .map(|r| {
            (0..n_features)
                .map(|j| model.scaler.z(j, value(r, j)))
                .collect()
        })
        .collect();

    let mut columns: Vec<Column> = Vec::new();
    for j in 0..n_features {
        columns.extend((1..=model.edges[j].len()).map(|b| Column::Step(j, b)));
        columns.push(Column::Linear(j));
    }
    let mut records = Array2::<f64>::zeros((x.len(), columns.len()));
    for (i, (row_bins, row_z)) in bins.iter().zip(&z).enumerate() {
        for (c, col) in columns.iter().enumerate() {
            records[[i, c]] = match *col {
                Column::Step(j, b) => f64::from(u8::from(row_bins[j] >= b)),
                Column::Linear(j) => row_z[j],
            };
        }
    }
    let non_negative: Vec<bool> = columns
        .iter()
        .map(|col| {
            let (Column::Step(j, _) | Column::Linear(j)) = *col;
            increasing.get(j).copied().unwrap_or(false)
        })
        .collect();
    let fitted = fit_non_negative(
        records,
        is_spam,
        alpha,
        max_iter,
        opts.reweights,
        &non_negative,
    )?;

    // Bin levels are the sums of the steps below them (bin 0 at zero).
    for j in 0..n_features {
        model.bin_weights[j] = if model.edges[j].is_empty() {
            Vec::new()
        } else {
            vec![0.0; model.edges[j].len() + 1]
        };
    }
    for (col, &w) in columns.iter().zip(&fitted.weights) {
        match *col {
            Column::Step(j, b) => {
                for level in &mut model.bin_weights[j][b..] {
                    *level += w;
                }
            }
            Column::Linear(j) => model.linear.weights[j] = w,
        }
    }
    let mut intercept = fitted.intercept;
    for j in 0..n_features {
        let bw = &model.bin_weights[j];
        let centre = if increasing.get(j).copied().unwrap_or(false) {
            // A sign's baseline is the page without it: its level at the lowest training value,
            // linear part included, so the sign's contribution is never below zero.
            let lowest = x
                .iter()
                .filter_map(|r| r.get(j).copied())
                .filter(|v| v.is_finite())
                .fold(f64::INFINITY, f64::min);
            if lowest.is_finite() {
                let level = bw.get(model.bin(j, lowest)).copied().unwrap_or(0.0);
                level + model.linear.weights[j] * model.scaler.z(j, lowest)
            } else {
                0.0
            }
        } else if bw.is_empty() {
            0.0
        } else {
            bins.iter().map(|b| bw[b[j]]).sum::<f64>() / x.len().max(1) as f64
        };
        model.centres[j] = centre;
        intercept += centre;
    }
    model.linear.intercept = intercept;
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bin count the quantile examples below are worked out for.
    const BINS: usize = 12;

    const PLAIN_L2: BinOptions = BinOptions {
        bins: BINS,
        reweights: 0,
    };

    #[test]
    fn edges_are_distinct_quantiles_below_the_maximum() {
        let mut constant = vec![3.0; 50];
        assert!(quantile_edges(&mut constant, BINS).is_empty());
        let mut two: Vec<f64> = (0..100)
            .map(|i| if i % 10 == 0 { 1.0 } else { 0.0 })
            .collect();
        assert_eq!(quantile_edges(&mut two, BINS), vec![0.0]);
        let mut spread: Vec<f64> = (0..1000).map(f64::from).rev().collect();
        let e = quantile_edges(&mut spread, BINS);
        assert_eq!(e.len(), BINS - 1);
        assert!(e.windows(2).all(|w| w[0] < w[1]));
        assert!(quantile_edges(&mut [], BINS).is_empty());
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
        let e = quantile_edges(&mut v, BINS);
        assert_eq!(e[0], 0.0);
        assert!(e[1] > 1.0);
        assert_eq!(e.len(), BINS - 1);
        assert_eq!(bin_of(&e, 1.5, 0.0), 0);
        assert_eq!(bin_of(&e, 1.5, 1.001), 1);
        // a single low outlier is no floor
        let mut v: Vec<f64> = (0..600).map(|i| 1.0 + f64::from(i) / 600.0).collect();
        v.push(0.0);
        assert!(quantile_edges(&mut v, BINS)[0] > 0.0);
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
    fn steps_add_up_to_a_non_monotone_shape() {
        // Spam exactly in the middle third of the value range (on bin edges: the quantile edges
        // of 0..300 lie at multiples of 25, a bin holds (25k, 25k + 25]), a second feature noise:
        // the levels (sums of steps) must rise into the middle bins and fall out of them again.
        let x: Vec<Vec<f64>> = (0..600)
            .map(|i| vec![f64::from(i % 300), f64::from((i * 7919) % 13)])
            .collect();
        let y: Vec<bool> = x.iter().map(|r| r[0] > 100.0 && r[0] <= 200.0).collect();
        let m = fit(&x, &y, 2, 0.5, 300, PLAIN_L2, &[]).unwrap();
        assert!(m.check(2).is_ok());
        let level = |v: f64| m.bin_weights[0][m.bin(0, v)];
        assert!(level(150.0) > level(20.0) + 2.0, "{:?}", m.bin_weights[0]);
        assert!(level(150.0) > level(280.0) + 2.0, "{:?}", m.bin_weights[0]);
        // the noise feature's levels stay small next to them
        let noise = &m.bin_weights[1];
        let spread = noise.iter().fold(0.0f64, |a, w| a.max(w.abs()));
        assert!(spread < 0.5 * (level(150.0) - level(20.0)), "{noise:?}");
        // the logit is the intercept plus the contributions, and it separates the classes
        let logits: Vec<f64> = x.iter().map(|r| m.logit(r)).collect();
        for (r, l) in x.iter().zip(&logits) {
            let sum = m.linear.intercept + m.contribution(0, r[0]) + m.contribution(1, r[1]);
            assert!((sum - l).abs() < 1e-9);
        }
        let worst_spam = logits.iter().zip(&y).filter(|(_, &s)| s).map(|(l, _)| *l);
        let best_ham = logits.iter().zip(&y).filter(|(_, &s)| !s).map(|(l, _)| *l);
        assert!(
            worst_spam.fold(f64::INFINITY, f64::min) > best_ham.fold(f64::NEG_INFINITY, f64::max)
        );
    }

    #[test]
    fn an_increasing_feature_never_falls_and_keeps_its_rise() {
        // Feature 0: spam in the middle third only (the shape rises, then falls); feature 1:
        // spam above 200 (a plain rise). Both marked increasing: feature 0 may not fall back
        // after its rise, feature 1 keeps its rise; unmarked, feature 0 falls as the data says.
        let x: Vec<Vec<f64>> = (0..900)
            .map(|i| vec![f64::from(i % 300), f64::from((i * 7) % 300)])
            .collect();
        let y: Vec<bool> = x
            .iter()
            .map(|r| (r[0] > 100.0 && r[0] <= 200.0) || r[1] > 200.0)
            .collect();
        let shape = |m: &Additive, j: usize, v: f64| {
            m.bin_weights[j][m.bin(j, v)] + m.linear.weights[j] * m.scaler.z(j, v)
        };
        let free = fit(&x, &y, 2, 0.5, 300, PLAIN_L2, &[]).unwrap();
        assert!(shape(&free, 0, 280.0) < shape(&free, 0, 150.0) - 1.0);
        let opts = BinOptions {
            bins: BINS,
            reweights: 1,
        };
        let m = fit(&x, &y, 2, 0.5, 300, opts, &[true, true]).unwrap();
        assert!(m.check(2).is_ok());
        for j in 0..2 {
            assert!(m.linear.weights[j] >= 0.0, "linear {}", m.linear.weights[j]);
            assert!(
                m.bin_weights[j].windows(2).all(|w| w[1] >= w[0]),
                "feature {j}: {:?}",
                m.bin_weights[j]
            );
            let along: Vec<f64> = (0..300).map(|v| shape(&m, j, f64::from(v))).collect();
            assert!(
                along.windows(2).all(|w| w[1] >= w[0] - 1e-12),
                "feature {j}"
            );
        }
        assert!(shape(&m, 1, 280.0) > shape(&m, 1, 20.0) + 2.0);
        assert!(shape(&m, 0, 150.0) > shape(&m, 0, 20.0));
        // a sign's contribution is measured from the page without it: zero at the lowest
        // value, never below, and the logit is still the intercept plus the contributions
        for j in 0..2 {
            assert!(m.contribution(j, 0.0).abs() < 1e-9, "feature {j}");
            assert!(x.iter().all(|r| m.contribution(j, r[j]) >= -1e-9));
        }
        assert!(m.contribution(1, 280.0) > 2.0);
        for r in &x {
            let sum = m.linear.intercept + m.contribution(0, r[0]) + m.contribution(1, r[1]);
            assert!((sum - m.logit(r)).abs() < 1e-9);
            let free_sum =
                free.linear.intercept + free.contribution(0, r[0]) + free.contribution(1, r[1]);
            assert!((free_sum - free.logit(r)).abs() < 1e-9);
        }
    }

    #[test]
    fn reweighting_keeps_the_real_steps_and_drops_the_noise() {
        // Feature 0: the spam rate jumps from 20% to 80% at 0.5 (one real step, flat around it);
        // feature 1: noise. Labels come from a fixed hash, so the fit is deterministic.
        let n = 4000u64;
        // splitmix64: independent-looking uniforms in [0, 1) for each (row, salt)
        let unit = |i: u64, salt: u64| {
            let mut z = (i * 3 + salt).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) as f64 / 2f64.powi(64)
        };
        let x: Vec<Vec<f64>> = (0..n).map(|i| vec![unit(i, 1), unit(i, 2)]).collect();
        let y: Vec<bool> = x
            .iter()
            .enumerate()
            .map(|(i, r)| unit(i as u64, 3) < if r[0] > 0.5 { 0.8 } else { 0.2 })
            .collect();
        let fit_with = |reweights| {
            let opts = BinOptions {
                bins: 32,
                reweights,
            };
            fit(&x, &y, 2, 8.0, 300, opts, &[]).unwrap()
        };
        // Total variation of a feature's levels, and the largest single step.
        let steps = |m: &Additive, j: usize| -> Vec<f64> {
            m.bin_weights[j]
                .windows(2)
                .map(|w| (w[1] - w[0]).abs())
                .collect()
        };
        let tv = |m: &Additive, j: usize| steps(m, j).iter().sum::<f64>();
        let plain = fit_with(0);
        let reweighted = fit_with(1);
        assert!(reweighted.check(2).is_ok());
        assert_eq!(reweighted.edges[0].len(), 31);
        // the jump stays: the level above 0.5 sits well over the level below it
        let level = |m: &Additive, v: f64| {
            m.bin_weights[0][m.bin(0, v)] + m.linear.weights[0] * m.scaler.z(0, v)
        };
        let jump = level(&reweighted, 0.9) - level(&reweighted, 0.1);
        assert!(jump > 1.5, "jump {jump}");
        // and most of it is one step rather than a ramp over neighbouring bins
        let biggest = steps(&reweighted, 0).iter().fold(0.0f64, |a, &b| a.max(b));
        let biggest_plain = steps(&plain, 0).iter().fold(0.0f64, |a, &b| a.max(b));
        assert!(
            biggest > 0.5 * tv(&reweighted, 0),
            "{:?}",
            reweighted.bin_weights[0]
        );
        assert!(
            biggest > biggest_plain,
            "{biggest} vs plain {biggest_plain}"
        );
        // the noise feature's wiggle shrinks against the plain fit
        assert!(
            tv(&reweighted, 1) < 0.5 * tv(&plain, 1),
            "noise TV {} vs plain {}",
            tv(&reweighted, 1),
            tv(&plain, 1)
        );
    }

    #[test]
    fn bin_counts_outside_the_ceiling_are_refused() {
        let x = vec![vec![0.0], vec![1.0]];
        let y = vec![false, true];
        for bins in [0, MAX_BINS + 1] {
            let opts = BinOptions { bins, reweights: 0 };
            assert!(fit(&x, &y, 1, 1.0, 10, opts, &[]).is_err(), "{bins} bins");
        }
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
