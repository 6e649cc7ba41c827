//! The spam model on small synthetic feature matrices: fitting is deterministic and points the
//! right way, the binned model fits a non-monotone effect a plain logistic regression cannot,
//! calibration is monotone, thresholds meet their false-positive targets, the bundle round-trips
//! exactly and refuses a foreign schema or an old layout, and contributions add up to the logit
//! on any value, NaN and infinities included.

use pagescore::extract::ads::AdMatcher;
use pagescore::model::artifact::{self, Bundle, BundleMeta};
use pagescore::model::calibrate::Platt;
use pagescore::model::fit::{self, FitOptions};
use pagescore::model::{logistic, metrics, SpamModel};
use pagescore::signals::text::TextModels;
use pagescore::signals::{Signal, SignalSet, SCHEMA};
use pagescore::Error;

/// A tiny deterministic generator (no dependency on rand's algorithms staying the same).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64) / ((1u64 << 53) as f64)
    }
    fn normal(&mut self) -> f64 {
        // Irwin-Hall approximation: good enough for test data.
        (0..12).map(|_| self.next()).sum::<f64>() - 6.0
    }
}

/// `n` pages with `d` features: feature 0 separates spam (+) from ham, feature 1 leans the other
/// way, the rest are noise; one constant column checks the zero-deviation guard.
fn synthetic(
    n: usize,
    d: usize,
    seed: u64,
) -> (Vec<String>, Vec<Vec<f64>>, Vec<bool>, Vec<String>) {
    let mut r = Lcg(seed);
    let names: Vec<String> = (0..d).map(|j| format!("f{j}")).collect();
    let mut x = Vec::new();
    let mut y = Vec::new();
    let mut g = Vec::new();
    for i in 0..n {
        let spam = i % 3 == 0;
        let mut row: Vec<f64> = (0..d).map(|_| r.normal()).collect();
        row[0] += if spam { 2.5 } else { 0.0 };
        if d > 1 {
            row[1] -= if spam { 1.0 } else { 0.0 };
        }
        if d > 2 {
            row[d - 1] = 7.0; // constant
        }
        x.push(row);
        y.push(spam);
        g.push(format!("{}-{}", if spam { "tpl" } else { "host" }, i % 11));
    }
    (names, x, y, g)
}

#[test]
fn fit_is_deterministic_and_points_the_right_way() {
    let (names, x, y, g) = synthetic(600, 5, 7);
    let opts = FitOptions::default();
    let (m1, r1) = fit::fit(&names, &x, &y, &g, &opts).unwrap();
    let (m2, r2) = fit::fit(&names, &x, &y, &g, &opts).unwrap();
    assert_eq!(m1, m2);
    assert_eq!(r1, r2);
    assert_eq!(
        serde_json::to_string(&m1).unwrap(),
        serde_json::to_string(&m2).unwrap()
    );
    let a = &m1.additive;
    // The spam feature pushes up as it grows, the ham-leaning one down.
    let up = a.contribution(0, 3.0) - a.contribution(0, -1.0);
    assert!(up > 1.0, "spam feature effect {up}");
    let down = a.contribution(1, 2.0) - a.contribution(1, -2.0);
    assert!(down < 0.0, "ham-leaning feature effect {down}");
    // The constant feature gets no bins and no weight: it contributes exactly nothing.
    assert!(a.edges[4].is_empty() && a.bin_weights[4].is_empty());
    assert_eq!(a.linear.weights[4], 0.0);
    assert_eq!(a.scaler.std[4], 1.0);
    assert_eq!(a.contribution(4, 7.0), 0.0);
    assert_eq!(a.contribution(4, 1e9), 0.0);
    // A continuous noise feature gets the full count of bins the options ask for, and the
    // fit records the options it used.
    let bins = opts.bins;
    assert!(a.edges[2].len() == bins - 1 && a.bin_weights[2].len() == bins);
    assert_eq!((r1.bins, r1.reweights), (opts.bins, opts.reweights));
    let auc = r1.cv.roc_auc.unwrap();
    assert!(auc > 0.9, "cv auc {auc}");
    // A different seed cuts different folds but keeps the same shape of answer.
    let (m3, _) = fit::fit(&names, &x, &y, &g, &FitOptions { seed: 1, ..opts }).unwrap();
    assert!(m3.additive.contribution(0, 3.0) > m3.additive.contribution(0, -1.0) + 1.0);
}

#[test]
fn thresholds_respect_the_fpr_targets() {
    let (names, x, y, g) = synthetic(900, 4, 11);
    let (m, r) = fit::fit(&names, &x, &y, &g, &FitOptions::default()).unwrap();
    assert!(r.cv.at_spam.fpr() <= 0.01, "cv FPR {}", r.cv.at_spam.fpr());
    assert!(
        r.cv.at_suspect.fpr() <= 0.05,
        "cv FPR {}",
        r.cv.at_suspect.fpr()
    );
    assert!(m.thresholds.suspect <= m.thresholds.spam);
    assert!(m.thresholds.spam >= fit::MIN_SPAM_THRESHOLD);
    // Thresholds are useful, not degenerate: most spam is still caught at the spam threshold.
    assert!(
        r.cv.at_spam.recall() > 0.5,
        "recall {}",
        r.cv.at_spam.recall()
    );
}

#[test]
fn increasing_signals_never_fall_and_count_from_their_absence() {
    // f1 leans towards ham as it grows: fitted as increasing it may not argue for ham, so its
    // contributions stay at zero or above; f0 stays free and keeps its (positive) effect.
    let (names, x, y, g) = synthetic(900, 4, 5);
    let opts = FitOptions {
        increasing: vec!["f1".to_string(), "no_such_signal".to_string()],
        ..FitOptions::default()
    };
    let (m, r) = fit::fit(&names, &x, &y, &g, &opts).unwrap();
    assert_eq!(r.increasing, vec!["f1".to_string()]);
    let a = &m.additive;
    assert!(a.linear.weights[1] >= 0.0);
    assert!(a.bin_weights[1].windows(2).all(|w| w[1] >= w[0]));
    let lowest = x.iter().map(|r| r[1]).fold(f64::INFINITY, f64::min);
    assert!(a.contribution(1, lowest).abs() < 1e-9);
    assert!(x.iter().all(|r| a.contribution(1, r[1]) >= -1e-9));
    let (free, _) = fit::fit(&names, &x, &y, &g, &FitOptions::default()).unwrap();
    let high = x.iter().map(|r| r[1]).fold(f64::NEG_INFINITY, f64::max);
    assert!(free.additive.contribution(1, high) < free.additive.contribution(1, lowest));
    // the constraint costs little where the data agrees: f0 still separates the classes
    assert!(
        r.cv.roc_auc.is_some_and(|auc| auc > 0.9),
        "auc {:?}",
        r.cv.roc_auc
    );
}

#[test]
fn fit_refuses_one_class_and_ragged_rows() {
    let names = vec!["a".to_string()];
    let x = vec![vec![1.0]; 4];
    let g: Vec<String> = (0..4).map(|i| i.to_string()).collect();
    assert!(fit::fit(&names, &x, &[false; 4], &g, &FitOptions::default()).is_err());
    let ragged = vec![vec![1.0], vec![1.0, 2.0], vec![0.0], vec![3.0]];
    let y = [true, false, true, false];
    assert!(fit::fit(&names, &ragged, &y, &g, &FitOptions::default()).is_err());
}

#[test]
fn calibration_is_monotone() {
    let mut r = Lcg(3);
    let mut logits = Vec::new();
    let mut y = Vec::new();
    for i in 0..400 {
        let spam = i % 2 == 0;
        logits.push(r.normal() * 2.0 + if spam { 3.0 } else { -3.0 });
        y.push(spam);
    }
    let p = Platt::fit(&logits, &y);
    assert!(p.a > 0.0);
    let mut prev = -1.0;
    for k in -100..=100 {
        let q = p.probability(k as f64 / 5.0);
        assert!(q >= prev, "not monotone at {k}");
        assert!((0.0..=1.0).contains(&q));
        prev = q;
    }
    // Separable data stays finite thanks to Platt's smoothed targets.
    let sep = Platt::fit(&[-5.0, -4.0, 4.0, 5.0], &[false, false, true, true]);
    assert!(sep.a.is_finite() && sep.b.is_finite());
}

fn schema_model() -> SpamModel {
    let d = SCHEMA.len();
    let (_, x, y, g) = synthetic(300, d.max(1), 5);
    let names: Vec<String> = SCHEMA.iter().map(|s| s.to_string()).collect();
    let x: Vec<Vec<f64>> = x.into_iter().map(|r| r[..d].to_vec()).collect();
    // One strength, few folds: these tests need a fitted model, not the choice of strength.
    let opts = FitOptions {
        folds: 2,
        lambdas: vec![1e-3],
        max_iter: 100,
        ..FitOptions::default()
    };
    fit::fit(&names, &x, &y, &g, &opts).unwrap().0
}

fn meta() -> BundleMeta {
    BundleMeta {
        trained_on: "2026-11-27".into(),
        data_fingerprint: artifact::data_fingerprint([("a", true), ("b", false)]),
        seed: 42,
        metrics: Default::default(),
        fit: None,
        notes: vec!["test".into()],
        text_report: None,
    }
}

#[test]
fn bundle_round_trips_exactly() {
    let model = schema_model();
    let bundle = Bundle::new(
        model.clone(),
        AdMatcher::default(),
        TextModels::default(),
        meta(),
    );
    let (h1, p1) = bundle.to_bytes().unwrap();
    let back = Bundle::from_bytes(&h1, &p1).unwrap();
    assert_eq!(back.header.model, model);
    assert_eq!(back.header.schema.hash, artifact::schema_hash(SCHEMA));
    assert!(back.header.model_version.starts_with("2.0.0+20261127."));
    // Another fit on the same data (the same fingerprint) is another version.
    let mut refit = model.clone();
    refit.lambda *= 2.0;
    let other = Bundle::new(refit, AdMatcher::default(), TextModels::default(), meta());
    assert_ne!(other.header.model_version, bundle.header.model_version);
    let again = Bundle::new(
        model.clone(),
        AdMatcher::default(),
        TextModels::default(),
        meta(),
    );
    assert_eq!(again.header.model_version, bundle.header.model_version);
    let (h2, p2) = back.to_bytes().unwrap();
    assert_eq!(h1, h2);
    assert_eq!(p1, p2);

    // Through the file system too.
    let dir = tempfile::tempdir().unwrap();
    let path = bundle.save(dir.path()).unwrap();
    let loaded = pagescore::Scorer::load(&path).unwrap();
    assert_eq!(loaded.bundle().header.model, model);
    assert_eq!(
        loaded.model_info().schema_hash,
        artifact::schema_hash(SCHEMA)
    );
    let from_dir = pagescore::Scorer::load(dir.path()).unwrap();
    assert_eq!(from_dir.bundle().header.model, model);
}

#[test]
fn a_foreign_schema_is_refused_with_a_clear_error() {
    let mut names: Vec<&str> = SCHEMA.to_vec();
    names.push("a_signal_this_build_does_not_have");
    let model = SpamModel::untrained(&names);
    let bundle = Bundle::new(model, AdMatcher::default(), TextModels::default(), meta());
    let (h, p) = bundle.to_bytes().unwrap();
    let err = Bundle::from_bytes(&h, &p).unwrap_err();
    assert!(matches!(err, Error::Model(_)), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains(&artifact::schema_hash(&names)), "{msg}");
    assert!(msg.contains(&artifact::schema_hash(SCHEMA)), "{msg}");
    assert!(msg.contains("retrain with `pagescore train`"), "{msg}");
}

#[test]
fn corrupt_payload_and_header_are_errors_not_panics() {
    let bundle = Bundle::new(
        schema_model(),
        AdMatcher::default(),
        TextModels::default(),
        meta(),
    );
    let (h, mut p) = bundle.to_bytes().unwrap();
    p.push(0);
    assert!(matches!(Bundle::from_bytes(&h, &p), Err(Error::Model(_))));
    assert!(matches!(Bundle::from_bytes(b"{", &p), Err(Error::Model(_))));
    let future = String::from_utf8(h.clone())
        .unwrap()
        .replace("\"format_version\": 2", "\"format_version\": 99");
    let err = Bundle::from_bytes(future.as_bytes(), &p).unwrap_err();
    assert!(err.to_string().contains("format 99"), "{err}");
}

#[test]
fn contributions_sum_to_the_logit() {
    let model = schema_model();
    let mut r = Lcg(9);
    for _ in 0..20 {
        let values: Vec<f64> = SCHEMA.iter().map(|_| r.normal() * 3.0).collect();
        let set = SignalSet {
            signals: SCHEMA
                .iter()
                .zip(&values)
                .map(|(&name, &value)| Signal {
                    name,
                    value,
                    evidence: vec![format!("{name} evidence")],
                })
                .collect(),
        };
        let score = model.score(set, false, "v");
        let sum: f64 = score.signals.iter().map(|s| s.contribution).sum();
        assert!((score.intercept + sum - score.logit).abs() < 1e-9);
        // Summed in schema order, the contributions give the logit bit for bit.
        let mut in_order = score.intercept;
        for (j, name) in SCHEMA.iter().enumerate() {
            let s = score.signals.iter().find(|s| s.name == *name).unwrap();
            assert_eq!(s.contribution, model.additive.contribution(j, values[j]));
            in_order += s.contribution;
        }
        assert_eq!(in_order, score.logit);
        assert_eq!(model.logit(&values), score.logit);
        assert!((model.platt.probability(score.logit) - score.spam_probability).abs() < 1e-12);
        assert_eq!(
            score.verdict,
            model.thresholds.verdict(score.spam_probability)
        );
        // Sorted by contribution, largest first, evidence carried through.
        assert!(score
            .signals
            .windows(2)
            .all(|w| w[0].contribution >= w[1].contribution));
        assert!(score.signals.iter().all(|s| s.evidence.len() == 1));
    }
    // Wild values cannot produce NaN.
    let set = SignalSet {
        signals: SCHEMA
            .iter()
            .map(|&name| Signal {
                name,
                value: f64::NAN,
                evidence: vec![],
            })
            .collect(),
    };
    let s = model.score(set, false, "v");
    assert!(s.spam_probability.is_finite());
}

fn set_of(values: &[f64]) -> SignalSet {
    SignalSet {
        signals: SCHEMA
            .iter()
            .zip(values)
            .map(|(&name, &value)| Signal {
                name,
                value,
                evidence: vec![],
            })
            .collect(),
    }
}

#[test]
fn wild_values_score_finitely_and_non_finite_counts_as_the_mean() {
    let model = schema_model();
    let a = &model.additive;
    for wild in [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        -0.0,
        1e300,
    ] {
        let values = vec![wild; SCHEMA.len()];
        let s = model.score(set_of(&values), false, "v");
        assert!(
            s.logit.is_finite() && s.spam_probability.is_finite(),
            "{wild}"
        );
        assert!((0.0..=1.0).contains(&s.spam_probability));
        assert!(s.signals.iter().all(|x| x.contribution.is_finite()));
        let sum: f64 = s.signals.iter().map(|x| x.contribution).sum();
        assert!((s.intercept + sum - s.logit).abs() < 1e-9);
    }
    // A non-finite value scores as the training mean: the mean's bin and z = 0.
    for j in 0..SCHEMA.len() {
        let mean = a.scaler.mean[j];
        let at_mean_bin = a.bin_weights[j]
            .get(a.bin(j, mean))
            .map_or(0.0, |w| w - a.centres[j]);
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(a.bin(j, v), a.bin(j, mean));
            assert_eq!(a.contribution(j, v), at_mean_bin);
        }
    }
    // Huge finite values land in the end bins and the clipped linear term.
    let big = a.contribution(0, 1e300);
    let edge = a.contribution(0, 1e6);
    assert_eq!(big, edge);
}

/// Spam exactly when feature 0 sits in the middle of its range: an effect no single weight can
/// express.
fn middle_band(n: usize, seed: u64) -> (Vec<String>, Vec<Vec<f64>>, Vec<bool>, Vec<String>) {
    let mut r = Lcg(seed);
    let names = vec!["band".to_string(), "noise".to_string()];
    let mut x = Vec::new();
    let mut y = Vec::new();
    let mut g = Vec::new();
    for i in 0..n {
        let v = r.next();
        let spam = (0.35..0.65).contains(&v);
        x.push(vec![v, r.normal()]);
        y.push(spam);
        g.push(format!("g{}", i % 13));
    }
    (names, x, y, g)
}

#[test]
fn the_binned_model_fits_a_non_monotone_effect_plain_lr_cannot() {
    let (names, x, y, g) = middle_band(1200, 21);
    let (model, report) = fit::fit(&names, &x, &y, &g, &FitOptions::default()).unwrap();
    let cv_auc = report.cv.roc_auc.unwrap();
    assert!(cv_auc > 0.95, "binned cv auc {cv_auc}");

    // On fresh pages from the same process.
    let (_, tx, ty, _) = middle_band(600, 99);
    let logits: Vec<f64> = tx.iter().map(|r| model.logit(r)).collect();
    let auc = metrics::roc_auc(&logits, &ty).unwrap();
    assert!(auc > 0.95, "binned test auc {auc}");
    let probs: Vec<f64> = tx.iter().map(|r| model.probability(r)).collect();
    let correct = probs
        .iter()
        .zip(&ty)
        .filter(|(&p, &t)| (p >= 0.5) == t)
        .count();
    let accuracy = correct as f64 / ty.len() as f64;
    assert!(accuracy > 0.9, "binned accuracy {accuracy}");
    // The middle of the band pushes towards spam, both ends towards ham.
    let a = &model.additive;
    assert!(a.contribution(0, 0.5) > a.contribution(0, 0.1) + 1.0);
    assert!(a.contribution(0, 0.5) > a.contribution(0, 0.9) + 1.0);

    // A plain logistic regression on the same standardised feature is near chance.
    let z: Vec<Vec<f64>> = x.iter().map(|r| a.scaler.transform(r)).collect();
    let lr = logistic::fit(&z, &y, 1.0, 300).unwrap();
    let lr_logits: Vec<f64> = tx
        .iter()
        .map(|r| lr.logit(&a.scaler.transform(r)))
        .collect();
    let lr_auc = metrics::roc_auc(&lr_logits, &ty).unwrap();
    assert!(lr_auc < 0.7, "plain LR auc {lr_auc}");
}

#[test]
fn an_old_layout_model_is_refused_with_a_clear_error() {
    let bundle = Bundle::new(
        schema_model(),
        AdMatcher::default(),
        TextModels::default(),
        meta(),
    );
    let (h, p) = bundle.to_bytes().unwrap();
    // Rewrite the header into the format-1 layout: a plain logistic regression.
    let mut v: serde_json::Value = serde_json::from_slice(&h).unwrap();
    let additive = v["model"]["additive"].clone();
    let model = v["model"].as_object_mut().unwrap();
    model.remove("additive");
    model.insert("scaler".into(), additive["scaler"].clone());
    model.insert("linear".into(), additive["linear"].clone());
    v["format_version"] = 1.into();
    let old = serde_json::to_vec(&v).unwrap();
    let err = Bundle::from_bytes(&old, &p).unwrap_err();
    assert!(matches!(err, Error::Model(_)), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("format 1"), "{msg}");
    assert!(msg.contains("retrain with `pagescore train`"), "{msg}");
    // The old layout under the new format number is refused too, naming what is missing.
    v["format_version"] = 2.into();
    let relabelled = serde_json::to_vec(&v).unwrap();
    let err = Bundle::from_bytes(&relabelled, &p).unwrap_err();
    assert!(err.to_string().contains("additive"), "{err}");
    // And a model whose bins do not fit its edges is inconsistent, not a panic at scoring.
    let mut v: serde_json::Value = serde_json::from_slice(&h).unwrap();
    v["model"]["additive"]["bin_weights"][2] = serde_json::json!([0.5]);
    let bad = serde_json::to_vec(&v).unwrap();
    let err = Bundle::from_bytes(&bad, &p).unwrap_err();
    assert!(err.to_string().contains("inconsistent"), "{err}");
}
