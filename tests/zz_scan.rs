use pagescore::extract::{self, ads::AdMatcher, ExtractLimits};
use pagescore::read::{read, RawPage, ReadLimits};
use std::collections::BTreeMap;

fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out)
        } else if p.to_string_lossy().ends_with(".html.gz")
            || p.to_string_lossy().ends_with(".gz") && !p.to_string_lossy().contains(".json")
        {
            out.push(p)
        }
    }
}

#[test]
fn scan() {
    let mut files = Vec::new();
    walk(std::path::Path::new("../shared/data/pages"), &mut files);
    let mut stats: BTreeMap<String, usize> = BTreeMap::new();
    let mut errs = 0;
    let all: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    let total: usize = all.iter().map(Vec::len).sum();
    let t = std::time::Instant::now();
    for (f, bytes) in files.iter().zip(&all) {
        let name = f.to_string_lossy();
        let raw = RawPage {
            bytes: &bytes,
            url: None,
            content_type: None,
            name_hint: Some(&name),
        };
        let r = std::panic::catch_unwind(|| read(&raw, &ReadLimits::default()));
        match r {
            Err(_) => {
                println!("PANIC {name}");
            }
            Ok(Err(e)) => {
                errs += 1;
                println!("ERR {name}: {e}");
            }
            Ok(Ok(doc)) => {
                *stats
                    .entry(format!(
                        "{:?} {:?} {}",
                        doc.kind, doc.charset_source, doc.charset
                    ))
                    .or_default() += 1;
                if doc.had_decode_errors {
                    *stats.entry("decode_errors".into()).or_default() += 1;
                }
                if format!("{:?}", doc.kind) == "Text" {
                    println!(
                        "TEXT {name} {:?}",
                        &doc.text.chars().take(80).collect::<String>()
                    );
                }
                let _ = extract::extract(&doc, &ExtractLimits::default(), &AdMatcher::default());
            }
        }
    }
    println!(
        "{} files ({} MB gz), {} errors, {:?}, {:.0} pages/s",
        files.len(),
        total >> 20,
        errs,
        t.elapsed(),
        files.len() as f64 / t.elapsed().as_secs_f64()
    );
    for (k, v) in stats {
        println!("{v:6} {k}");
    }
}
