//! Classification metrics for `pagescore eval` and for choosing thresholds: ROC AUC, the
//! confusion counts at a threshold, and the threshold that meets a false-positive target.

use serde::{Deserialize, Serialize};

/// ROC area under the curve: the probability that a random spam page scores above a random ham
/// page (ties count half). `None` when one class is missing.
pub fn roc_auc(scores: &[f64], is_spam: &[bool]) -> Option<f64> {
    let mut idx: Vec<usize> = (0..scores.len().min(is_spam.len())).collect();
    idx.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let n_pos = idx.iter().filter(|&&i| is_spam[i]).count();
    let n_neg = idx.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return None;
    }
    // Mann-Whitney U with average ranks for ties.
    let mut rank_sum_pos = 0.0;
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && scores[idx[j + 1]] == scores[idx[i]] {
            j += 1;
        }
        let avg_rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            if is_spam[k] {
                rank_sum_pos += avg_rank;
            }
        }
        i = j + 1;
    }
    let u = rank_sum_pos - (n_pos * (n_pos + 1)) as f64 / 2.0;
    Some(u / (n_pos as f64 * n_neg as f64))
}

/// Mean log loss of probabilities against labels (probabilities clamped away from 0 and 1).
pub fn log_loss(probs: &[f64], is_spam: &[bool]) -> f64 {
    if probs.is_empty() {
        return 0.0;
    }
    let sum: f64 = probs
        .iter()
        .zip(is_spam)
        .map(|(&p, &y)| {
            let p = p.clamp(1e-12, 1.0 - 1e-12);
            if y {
                -p.ln()
            } else {
                -(1.0 - p).ln()
            }
        })
        .sum();
    sum / probs.len() as f64
}

/// Confusion counts at one threshold (`score >= threshold` means spam).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Confusion {
    /// Spam called spam.
    pub tp: usize,
    /// Ham called spam.
    pub fp: usize,
    /// Ham called ham.
    pub tn: usize,
    /// Spam called ham.
    pub fn_: usize,
}

impl Confusion {
    /// Counts the outcomes of `scores` at `threshold`.
    pub fn at(scores: &[f64], is_spam: &[bool], threshold: f64) -> Self {
        let mut c = Confusion::default();
        for (&s, &y) in scores.iter().zip(is_spam) {
            c.add(y, s >= threshold);
        }
        c
    }

    /// Adds one page.
    pub fn add(&mut self, is_spam: bool, called_spam: bool) {
        match (is_spam, called_spam) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (false, false) => self.tn += 1,
            (true, false) => self.fn_ += 1,
        }
    }

    /// Precision: spam among pages called spam (1 when nothing was called spam).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp, 1.0)
    }

    /// Recall (true-positive rate): spam pages caught.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_, 0.0)
    }

    /// False-positive rate: ham pages called spam.
    pub fn fpr(&self) -> f64 {
        ratio(self.fp, self.fp + self.tn, 0.0)
    }

    /// F1, the harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    /// Precision if spam made up `prevalence` of the pages (e.g. 0.1 for 1 in 10), reweighting
    /// the measured rates: `TPR*prev / (TPR*prev + FPR*(1-prev))`.
    pub fn precision_at_prevalence(&self, prevalence: f64) -> f64 {
        let tp = self.recall() * prevalence;
        let fp = self.fpr() * (1.0 - prevalence);
        if tp + fp == 0.0 {
            1.0
        } else {
            tp / (tp + fp)
        }
    }

    /// Accuracy.
    pub fn accuracy(&self) -> f64 {
        ratio(
            self.tp + self.tn,
            self.tp + self.tn + self.fp + self.fn_,
            0.0,
        )
    }
}

fn ratio(num: usize, den: usize, empty: f64) -> f64 {
    if den == 0 {
        empty
    } else {
        num as f64 / den as f64
    }
}

/// The lowest threshold at which at most `max_fpr` of the ham `scores` reach it
/// (`score >= threshold`). With no ham, 0.5.
pub fn threshold_for_fpr(ham_scores: &[f64], max_fpr: f64) -> f64 {
    if ham_scores.is_empty() {
        return 0.5;
    }
    let mut desc: Vec<f64> = ham_scores
        .iter()
        .copied()
        .filter(|s| s.is_finite())
        .collect();
    if desc.is_empty() {
        return 0.5;
    }
    desc.sort_by(|a, b| b.total_cmp(a));
    // Up to `allowed` ham pages may sit at or above the threshold.
    let allowed = (max_fpr * desc.len() as f64).floor() as usize;
    match desc.get(allowed) {
        // Just above the first ham score that must stay below.
        Some(&s) => next_above(s),
        None => desc.last().copied().unwrap_or(0.5),
    }
}

fn next_above(s: f64) -> f64 {
    (s + 1e-9).min(1.0)
}

/// The headline metrics of a model on labeled pages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Pages scored.
    pub pages: usize,
    /// Spam pages among them.
    pub spam: usize,
    /// ROC AUC of the spam probability (`None` when one class is missing).
    pub roc_auc: Option<f64>,
    /// Mean log loss of the spam probability.
    pub log_loss: f64,
    /// Outcomes at the spam threshold.
    pub at_spam: Confusion,
    /// Outcomes at the suspect threshold.
    pub at_suspect: Confusion,
}

impl Metrics {
    /// Computes the metrics of `probs` at the two thresholds.
    pub fn compute(probs: &[f64], is_spam: &[bool], spam_t: f64, suspect_t: f64) -> Self {
        Metrics {
            pages: probs.len(),
            spam: is_spam.iter().filter(|&&y| y).count(),
            roc_auc: roc_auc(probs, is_spam),
            log_loss: log_loss(probs, is_spam),
            at_spam: Confusion::at(probs, is_spam, spam_t),
            at_suspect: Confusion::at(probs, is_spam, suspect_t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_perfect_random_and_ties() {
        assert_eq!(
            roc_auc(&[0.1, 0.2, 0.8, 0.9], &[false, false, true, true]),
            Some(1.0)
        );
        assert_eq!(
            roc_auc(&[0.9, 0.8, 0.2, 0.1], &[false, false, true, true]),
            Some(0.0)
        );
        assert_eq!(roc_auc(&[0.5, 0.5], &[false, true]), Some(0.5));
        assert_eq!(roc_auc(&[0.5], &[true]), None);
    }

    #[test]
    fn threshold_meets_fpr() {
        let ham: Vec<f64> = (0..200).map(|i| i as f64 / 200.0).collect();
        let t = threshold_for_fpr(&ham, 0.01);
        let fp = ham.iter().filter(|&&s| s >= t).count();
        assert!(fp <= 2, "{fp} false positives at {t}");
        // And it is the lowest such threshold: the next ham score down would break the target.
        assert!(ham.iter().filter(|&&s| s >= t - 0.005).count() > 2);
    }

    #[test]
    fn precision_at_one_in_ten() {
        let c = Confusion {
            tp: 90,
            fn_: 10,
            fp: 1,
            tn: 99,
        };
        let p = c.precision_at_prevalence(0.1);
        assert!((p - 0.09 / (0.09 + 0.01 * 0.9)).abs() < 1e-12);
    }
}
