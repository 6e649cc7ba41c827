//! `build-corpus`: writes `train.jsonl`, `test.jsonl` and `pages/` into `--out`.

use anyhow::Result;
use clap::Parser;
use std::path::PathBuf;

/// Builds the labeled corpus (CORPUS.md format) from ../shared/data.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// The shared data folder.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Output folder (train.jsonl, test.jsonl, pages/, stats.txt).
    #[arg(long, default_value = "corpus-out")]
    out: PathBuf,
    /// Seed for every random choice.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Spam pages per ham page in each split.
    #[arg(long, default_value_t = 0.85)]
    spam_per_ham: f64,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let t = std::time::Instant::now();
    if args.out.exists() {
        std::fs::remove_dir_all(args.out.join("pages")).ok();
    }
    std::fs::create_dir_all(&args.out)?;
    let recs = pagescore_training::build(&pagescore_training::Config {
        data: args.data,
        out: args.out.clone(),
        seed: args.seed,
        spam_per_ham: args.spam_per_ham,
    })?;
    let s = pagescore_training::summary(&recs);
    std::fs::write(args.out.join("stats.txt"), &s)?;
    println!("{s}");
    println!(
        "built {} pages in {:.1}s into {}",
        recs.len(),
        t.elapsed().as_secs_f64(),
        args.out.display()
    );
    Ok(())
}
