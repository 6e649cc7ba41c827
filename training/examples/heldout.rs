//! Prints the text models' held-out split (counts and an order-free hash of the keys), and
//! writes the trained and held-out headline keys for checking a corpus against them.
//!
//!     cargo run --release -p pagescore-training --example heldout -- ../shared/data 42 [OUT_DIR]

use anyhow::Result;
use pagescore::signals::text::train::held_out;
use pagescore_training::util::fnv;
use std::collections::HashSet;
use std::path::PathBuf;

fn digest(set: &HashSet<String>) -> u64 {
    set.iter().fold(0u64, |acc, k| acc ^ fnv(k.as_bytes()))
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let data = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data".into()));
    let seed: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(42);
    let h = held_out(&data, seed)?;
    println!(
        "held-out headlines {} ({:016x}), sms {} ({:016x}), trained headlines {} ({:016x})",
        h.headlines.len(),
        digest(&h.headlines),
        h.sms.len(),
        digest(&h.sms),
        h.trained_headlines.len(),
        digest(&h.trained_headlines)
    );
    if let Some(out) = args.next() {
        let out = PathBuf::from(out);
        std::fs::create_dir_all(&out)?;
        let dump = |set: &HashSet<String>| {
            let mut v: Vec<&str> = set.iter().map(String::as_str).collect();
            v.sort_unstable();
            v.join("\n")
        };
        std::fs::write(out.join("heldout-headlines.txt"), dump(&h.headlines))?;
        std::fs::write(
            out.join("trained-headlines.txt"),
            dump(&h.trained_headlines),
        )?;
    }
    Ok(())
}
