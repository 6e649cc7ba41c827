//! The real `pagescore serve` process: it starts with flags, reports where it listens, serves,
//! and on SIGTERM with requests in flight answers them all and exits 0 within a bounded time.

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pagescore::service::pb::{self, page_score_client::PageScoreClient};

/// A large page (a few MB of paragraphs), so scoring takes a while.
fn big_page(n: usize) -> Vec<u8> {
    let mut s = format!("<html><head><title>Big page {n}</title></head><body>");
    for i in 0..20_000 {
        s.push_str(&format!(
            "<p>Paragraph {i}: the harbour board met to discuss the new ferry timetable.</p>"
        ));
    }
    s.push_str("</body></html>");
    s.into_bytes()
}

#[test]
fn sigterm_under_load_answers_in_flight_requests_and_exits() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pagescore"))
        .args([
            "--log",
            "info",
            "--log-json",
            "serve",
            "--addr",
            "127.0.0.1:0",
        ])
        .args(["--metrics-addr", "127.0.0.1:0", "--drain-timeout", "20s"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // The JSON log line that says where it serves.
    let addr = loop {
        let line = lines.next().expect("server exited before serving").unwrap();
        let v: serde_json::Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(_) => continue,
        };
        if v["fields"]["message"] == "pagescore serving" {
            break v["fields"]["addr"].as_str().unwrap().to_string();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    let log = std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>());

    let rt = tokio::runtime::Runtime::new().unwrap();
    let results = rt.block_on(async {
        let client = PageScoreClient::connect(format!("http://{addr}"))
            .await
            .unwrap()
            .max_decoding_message_size(64 << 20);
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..6 {
            let mut c = client.clone();
            tasks.spawn(async move {
                c.score(pb::ScoreRequest {
                    id: n.to_string(),
                    body: big_page(n),
                    ..Default::default()
                })
                .await
                .map(|r| r.into_inner().id)
            });
        }
        // Let the requests reach the server, then ask it to stop.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let killed = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let mut out = Vec::new();
        while let Some(r) = tasks.join_next().await {
            out.push(r.unwrap());
        }
        out
    });
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if t0.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("server did not exit within 30 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let log = log.join().unwrap();
    assert!(status.success(), "exit status {status:?}; log: {log:#?}");
    for r in &results {
        assert!(r.is_ok(), "a request in flight was lost: {r:?}");
    }
    assert_eq!(results.len(), 6);
    assert!(
        log.iter().any(|l| l.contains("SIGTERM received")),
        "{log:#?}"
    );
    assert!(log.iter().any(|l| l.contains("server stopped")), "{log:#?}");
}
