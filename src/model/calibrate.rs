//! Platt scaling: a one-dimensional logistic fit `p = sigmoid(a * logit + b)` on logits the
//! model produced for pages it was not trained on (out-of-fold), so the probability means what
//! it says on unseen pages.

use serde::{Deserialize, Serialize};

use super::logistic::sigmoid;

/// Platt calibration parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Platt {
    /// Slope on the raw logit (kept positive, so calibration is monotone).
    pub a: f64,
    /// Offset.
    pub b: f64,
}

impl Default for Platt {
    fn default() -> Self {
        Platt { a: 1.0, b: 0.0 }
    }
}

impl Platt {
    /// The calibrated probability of a raw logit.
    pub fn probability(&self, logit: f64) -> f64 {
        let p = sigmoid(self.a * logit + self.b);
        if p.is_finite() {
            p
        } else {
            0.5
        }
    }

    /// Fits `a` and `b` by Newton's method on Platt's smoothed targets
    /// (`(N+ + 1)/(N+ + 2)` and `1/(N- + 2)`), which keeps the fit finite on separable data.
    pub fn fit(logits: &[f64], is_spam: &[bool]) -> Platt {
        let n_pos = is_spam.iter().filter(|&&y| y).count() as f64;
        let n_neg = is_spam.len() as f64 - n_pos;
        if n_pos == 0.0 || n_neg == 0.0 {
            return Platt::default();
        }
        let t_pos = (n_pos + 1.0) / (n_pos + 2.0);
        let t_neg = 1.0 / (n_neg + 2.0);
        let data: Vec<(f64, f64)> = logits
            .iter()
            .zip(is_spam)
            .filter(|(l, _)| l.is_finite())
            .map(|(&l, &y)| (l, if y { t_pos } else { t_neg }))
            .collect();
        let loss = |a: f64, b: f64| -> f64 {
            data.iter()
                .map(|&(x, t)| {
                    let f = a * x + b;
                    // t*log(1+e^-f) + (1-t)*log(1+e^f), computed stably.
                    let softplus = |v: f64| {
                        if v > 0.0 {
                            v + (-v).exp().ln_1p()
                        } else {
                            v.exp().ln_1p()
                        }
                    };
                    t * softplus(-f) + (1.0 - t) * softplus(f)
                })
                .sum()
        };
        let (mut a, mut b) = (1.0, 0.0);
        let mut current = loss(a, b);
        for _ in 0..100 {
            let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-9, 0.0, 1e-9);
            for &(x, t) in &data {
                let p = sigmoid(a * x + b);
                let d = p - t;
                let w = (p * (1.0 - p)).max(1e-12);
                ga += d * x;
                gb += d;
                haa += w * x * x;
                hab += w * x;
                hbb += w;
            }
            let det = haa * hbb - hab * hab;
            if det.abs() < 1e-18 {
                break;
            }
            let da = (hbb * ga - hab * gb) / det;
            let db = (haa * gb - hab * ga) / det;
            // Backtracking line search.
            let mut step = 1.0;
            let mut improved = false;
            while step > 1e-10 {
                let (na, nb) = (a - step * da, b - step * db);
                let l = loss(na, nb);
                if l.is_finite() && l < current {
                    a = na;
                    b = nb;
                    improved = current - l > 1e-12;
                    current = l;
                    break;
                }
                step /= 2.0;
            }
            if !improved {
                break;
            }
        }
        if a.is_finite() && b.is_finite() && a > 1e-6 {
            Platt { a, b }
        } else {
            Platt::default()
        }
    }
}
