//! `pagescore score`, `eval`, `train` and `bench` through the built binary, on pages and a tiny
//! corpus written for these tests (tests/fixtures/).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pagescore"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("pagescore runs");
    if !out.status.success() {
        eprintln!("stderr: {}", String::from_utf8_lossy(&out.stderr));
    }
    out
}

fn assert_score_line(v: &serde_json::Value) {
    let p = v["spam_probability"].as_f64().expect("spam_probability");
    assert!((0.0..=1.0).contains(&p));
    assert!(["ham", "suspect", "spam"].contains(&v["verdict"].as_str().expect("verdict")));
    assert!(!v["model_version"]
        .as_str()
        .expect("model_version")
        .is_empty());
    let signals = v["signals"].as_array().expect("signals");
    assert!(!signals.is_empty());
    for s in signals {
        assert!(s["name"].is_string(), "{s}");
        assert!(s["value"].is_number(), "{s}");
        assert!(s["contribution"].is_number(), "{s}");
        assert!(s["evidence"].is_array(), "{s}");
    }
    // Contributions are sorted and add up to the logit.
    let c: Vec<f64> = signals
        .iter()
        .map(|s| s["contribution"].as_f64().unwrap())
        .collect();
    assert!(c.windows(2).all(|w| w[0] >= w[1]));
    let logit = v["intercept"].as_f64().unwrap() + c.iter().sum::<f64>();
    assert!((logit - v["logit"].as_f64().unwrap()).abs() < 1e-9);
    // Every family is reported once, largest first, and the families add up to the same logit.
    let families = v["families"].as_array().expect("families");
    let names: Vec<&str> = families
        .iter()
        .map(|f| f["name"].as_str().expect("family name"))
        .collect();
    let mut want: Vec<&str> = pagescore::signals::FAMILIES.iter().map(|f| f.0).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    want.sort_unstable();
    assert_eq!(sorted, want);
    let f: Vec<f64> = families
        .iter()
        .map(|f| f["contribution"].as_f64().unwrap())
        .collect();
    assert!(f.windows(2).all(|w| w[0] >= w[1]), "{f:?}");
    let by_family = v["intercept"].as_f64().unwrap() + f.iter().sum::<f64>();
    assert!((by_family - v["logit"].as_f64().unwrap()).abs() < 1e-9);
}

#[test]
fn score_a_page_as_json() {
    let out = run(bin()
        .args([
            "score",
            "--json",
            "--url",
            "https://bayside.example/local/ferry",
        ])
        .arg(fixture("page.html")));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert!(v["id"].as_str().unwrap().ends_with("page.html"));
    assert_score_line(&v);
}

#[test]
fn score_human_output_explains() {
    let out = run(bin().arg("score").arg(fixture("page.html")));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("spam probability"), "{text}");
    assert!(text.contains("logit units"), "{text}");
    assert!(
        text.contains("by family: ") && text.contains("related_links "),
        "{text}"
    );
}

#[test]
fn score_a_missing_file_exits_2_after_scoring_the_others() {
    let out = bin()
        .args(["score", "--json", "/no/such/page.html"])
        .arg(fixture("page.html"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0]["error"].is_string());
    assert_score_line(&lines[1]);
}

#[test]
fn score_corpus_keeps_going_past_bad_pages() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("page.html"), dir.path().join("good.html")).unwrap();
    let corpus = dir.path().join("c.jsonl");
    std::fs::write(
        &corpus,
        concat!(
            r#"{"id":"one","path":"good.html","content_type":"text/html; charset=utf-8"}"#,
            "\n",
            r#"{"id":"gone","path":"missing.html"}"#,
            "\n",
            "this is not json\n",
            r#"{"id":"three","text":"A title\n\nSome plain text body."}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = run(bin().args(["score", "--json", "--corpus"]).arg(&corpus));
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(lines[0]["id"], "one");
    assert_score_line(&lines[0]);
    assert_eq!(lines[1]["id"], "gone");
    assert!(lines[1]["error"].as_str().unwrap().contains("missing.html"));
    assert!(lines[2]["error"].is_string());
    assert_eq!(lines[3]["id"], "three");
    assert_score_line(&lines[3]);
}

#[test]
fn score_a_missing_corpus_is_a_usage_error() {
    let out = bin()
        .args(["score", "--json", "--corpus", "/no/such/corpus.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn train_refuses_a_spam_target_outside_the_suspect_one() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["0", "0.05", "-0.01", "1.5"] {
        let o = bin()
            .args(["train", "--data", "/nonexistent-data"])
            .arg(format!("--spam-fpr={bad}"))
            .arg("--corpus")
            .arg(fixture("tiny-corpus.jsonl"))
            .arg("--out")
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(!o.status.success(), "--spam-fpr {bad} accepted");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("--spam-fpr"), "{err}");
    }
    assert!(!dir.path().join("pagescore-model.json").exists());
}

#[test]
fn train_is_deterministic_and_eval_reports_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        let o = run(bin()
            .args([
                "train",
                "--data",
                "/nonexistent-data",
                "--date",
                "2026-11-27",
            ])
            .arg("--corpus")
            .arg(fixture("tiny-corpus.jsonl"))
            .arg("--out")
            .arg(out));
        assert!(o.status.success());
        let summary = String::from_utf8(o.stdout).unwrap();
        assert!(summary.contains("thresholds"), "{summary}");
        // without text models there is nothing to cross-fit, and the header says so
        let header = std::fs::read_to_string(out.join("pagescore-model.json")).unwrap();
        assert!(header.contains("not cross-fitted"), "{header}");
    }
    for f in ["pagescore-model.json", "pagescore-model.bin"] {
        let x = std::fs::read(a.join(f)).unwrap();
        let y = std::fs::read(b.join(f)).unwrap();
        assert!(
            x == y,
            "{f} differs between two runs with the same data and seed"
        );
    }

    let out = run(bin()
        .args(["eval", "--model"])
        .arg(&a)
        .arg("--corpus")
        .arg(fixture("tiny-corpus.jsonl")));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "ROC AUC",
        "precision",
        "recall",
        "FPR",
        "precision@1:10",
        "by kind",
        "worst false positives",
        "worst false negatives",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }

    let out = run(bin()
        .args(["eval", "--json", "--model"])
        .arg(&a)
        .arg("--corpus")
        .arg(fixture("tiny-corpus.jsonl")));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["pages"], 12);
    assert!(v["roc_auc"].is_number());
    assert!(v["at_spam"]["fpr"].is_number());
    assert!(v["by_kind"]["template"]["tp"].is_number());
}

#[test]
fn headlines_uses_the_built_in_text_models() {
    use std::io::Write;
    let mut child = bin()
        .args(["headlines", "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pagescore runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(
            b"You Won't Believe What This Dog Did When His Owner Came Home\n\n\
              Council approves budget for new river bridge\n",
        )
        .expect("write headlines");
    let out = child.wait_with_output().expect("pagescore ends");
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    assert_eq!(rows.len(), 2, "the blank line is skipped");
    let p = |i: usize| rows[i]["clickbait"].as_f64().expect("clickbait");
    assert!(p(0) > 0.8 && p(1) < 0.2, "{rows:?}");
    assert!(rows[0]["clickbait_words"]
        .as_array()
        .is_some_and(|w| !w.is_empty()));
}

#[test]
fn bench_reports_both_passes_their_ratio_and_the_scaling_of_the_same_run() {
    let corpus = fixture("tiny-corpus.jsonl");
    let out = run(bin()
        .args([
            "bench",
            "--threads",
            "2",
            "--warmup",
            "0",
            "--passes",
            "1",
            "--json",
        ])
        .arg("--corpus")
        .arg(&corpus));
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let pages = v["pages"].as_u64().expect("pages");
    assert!(pages > 0);
    for pass in ["parse_only", "end_to_end"] {
        assert_eq!(v[pass]["pages"].as_u64(), Some(pages), "{pass}");
        assert_eq!(v[pass]["errors"].as_u64(), Some(0), "{pass}");
        assert!(v[pass]["pages_per_sec"].as_f64().unwrap() > 0.0, "{pass}");
    }
    let ratio = v["ratio_end_to_end_to_parse_only"].as_f64().unwrap();
    let want = v["end_to_end"]["pages_per_sec"].as_f64().unwrap()
        / v["parse_only"]["pages_per_sec"].as_f64().unwrap();
    assert!((ratio - want).abs() < 1e-9 * want.max(1.0));
    let shares: f64 = ["read", "extract", "signals", "model"]
        .iter()
        .map(|k| v["stage_share"][k].as_f64().unwrap())
        .sum();
    assert!((shares - 1.0).abs() < 1e-6, "stage shares sum to {shares}");
    // two threads: the one-thread passes of the same run give the speed-up
    let one = v["scaling"]["one_thread_pages_per_sec"]
        .as_f64()
        .expect("scaling");
    let speedup = v["scaling"]["speedup"].as_f64().unwrap();
    let want = v["end_to_end"]["pages_per_sec"].as_f64().unwrap() / one;
    assert!(one > 0.0 && (speedup - want).abs() < 1e-9 * want.max(1.0));

    // one thread: no scaling figure
    let out = run(bin()
        .args([
            "bench", "--warmup", "0", "--passes", "1", "--json", "--corpus",
        ])
        .arg(&corpus));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("scaling").is_none(), "{v}");
}

#[test]
fn bench_with_no_threads_is_a_usage_error() {
    let out = bin()
        .args(["bench", "--threads", "0", "--corpus"])
        .arg(fixture("tiny-corpus.jsonl"))
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--threads"));
}
