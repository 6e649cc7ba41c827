//! Trains the text models alone and saves them, for iterating on them without the full
//! `pagescore train`: `cargo run --release --example train_text_models -- DATA_DIR OUT.json [SEED]`;
//! `-- --time-load OUT.json` times loading and scoring; `-- --eval-topics OUT.json [DATA_DIR]
//! [SEED]` re-evaluates a saved topic model on the held-out news split; `-- --retrain-promo
//! BASE OUT.json [DATA_DIR] [SEED]` refits only the promo classifier into a copy of BASE
//! (`--retrain-feature-promo`, the promo classifier of the features' text models, BASE then
//! being those; `--retrain-topics` and `--retrain-feature-topics`, same arguments, the topic
//! model);
//! `-- --features DATA_DIR OUT.json [SEED]` trains the models the spam model's training
//! features come from (`train::Purpose::Features`); `-- --promo MODELS.json < lines` prints
//! each stdin line's promo probability (MODELS a text-models JSON or a model folder);
//! `-- --deals N [held-out] [SEED]` prints synthetic ad copy.

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("--eval-topics") {
        let path = PathBuf::from(
            args.nth(1)
                .unwrap_or_else(|| "target/textmodels.json".into()),
        );
        let data = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data".into()));
        let seed: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(42);
        let models = if path.is_dir() {
            pagescore::model::Bundle::load_parts(&path)?.1.text
        } else {
            pagescore::signals::text::TextModels::load_json(&path)?
        };
        let rep = pagescore::signals::text::train::evaluate_topics(&data, seed, &models.topics)?;
        println!("{}", serde_json::to_string_pretty(&rep)?);
        return Ok(());
    }
    let retrain_promo = match args.peek().map(String::as_str) {
        Some("--retrain-promo") => Some(pagescore::signals::text::train::Purpose::Shipped),
        Some("--retrain-feature-promo") => Some(pagescore::signals::text::train::Purpose::Features),
        _ => None,
    };
    if let Some(purpose) = retrain_promo {
        let base = PathBuf::from(
            args.nth(1)
                .unwrap_or_else(|| "target/textmodels.json".into()),
        );
        let out = PathBuf::from(
            args.next()
                .unwrap_or_else(|| "target/textmodels.json".into()),
        );
        let data = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data".into()));
        let seed: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(42);
        // BASE is a text-models JSON or a model folder (e.g. the shipped `models/`)
        let base = if base.is_dir() {
            pagescore::model::Bundle::load_parts(&base)?.1.text
        } else {
            pagescore::signals::text::TextModels::load_json(&base)?
        };
        let (models, rep) =
            pagescore::signals::text::train::retrain_promo(&data, seed, base, purpose)?;
        models.save_json(&out)?;
        println!("{}", serde_json::to_string_pretty(&rep)?);
        eprintln!("saved {}", out.display());
        return Ok(());
    }
    let retrain_topics = match args.peek().map(String::as_str) {
        Some("--retrain-topics") => Some(pagescore::signals::text::train::Purpose::Shipped),
        Some("--retrain-feature-topics") => {
            Some(pagescore::signals::text::train::Purpose::Features)
        }
        _ => None,
    };
    if let Some(purpose) = retrain_topics {
        let base = PathBuf::from(
            args.nth(1)
                .unwrap_or_else(|| "target/textmodels.json".into()),
        );
        let out = PathBuf::from(
            args.next()
                .unwrap_or_else(|| "target/textmodels.json".into()),
        );
        let data = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data".into()));
        let seed: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(42);
        let base = if base.is_dir() {
            pagescore::model::Bundle::load_parts(&base)?.1.text
        } else {
            pagescore::signals::text::TextModels::load_json(&base)?
        };
        let (models, rep) =
            pagescore::signals::text::train::retrain_topics(&data, seed, base, purpose)?;
        models.save_json(&out)?;
        println!("{}", serde_json::to_string_pretty(&rep)?);
        eprintln!("saved {}", out.display());
        return Ok(());
    }
    if args.peek().map(String::as_str) == Some("--promo") {
        let path = PathBuf::from(
            args.nth(1)
                .unwrap_or_else(|| "target/textmodels.json".into()),
        );
        let models = if path.is_dir() {
            pagescore::model::Bundle::load_parts(&path)?.1.text
        } else {
            pagescore::signals::text::TextModels::load_json(&path)?
        };
        for line in std::io::stdin().lines() {
            let line = line?;
            println!("{:.3}\t{line}", models.promo.probability(&line));
        }
        return Ok(());
    }
    if args.peek().map(String::as_str) == Some("--deals") {
        // `-- --deals N [held-out] [SEED]`: N synthetic ad headlines (`adcopy`) of the training
        // or the held-out split, to probe a promo classifier with `--promo`
        let n: usize = args.nth(1).map(|s| s.parse()).transpose()?.unwrap_or(20);
        let held_out = args.next().as_deref() == Some("held-out");
        let seed: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1);
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
        for _ in 0..n {
            println!(
                "{}",
                pagescore::signals::text::adcopy::deal(
                    &mut rng,
                    pagescore::signals::text::adcopy::DealParts::of_test(held_out)
                )
            );
        }
        return Ok(());
    }
    if args.peek().map(String::as_str) == Some("--time-load") {
        let path = PathBuf::from(
            args.nth(1)
                .unwrap_or_else(|| "target/textmodels.json".into()),
        );
        let t = std::time::Instant::now();
        let models = pagescore::signals::text::TextModels::load_json(&path)?;
        let load = t.elapsed();
        let t = std::time::Instant::now();
        let n = 1000;
        let mut sum = 0.0;
        for i in 0..n {
            let h = format!("Headline number {i} about the economy and the markets today");
            sum +=
                models.clickbait.probability(&h) + models.topics.distance(&h, "a story on trade");
        }
        println!(
            "load {:.1} ms; clickbait + distance per headline {:.1} us ({sum:.1})",
            load.as_secs_f64() * 1e3,
            t.elapsed().as_secs_f64() * 1e6 / f64::from(n)
        );
        return Ok(());
    }
    // `-- --features DATA_DIR OUT.json [SEED]`: the models the spam model's training
    // features come from (without the training pages' ingredients; see `train::Purpose`)
    let purpose = if args.peek().map(String::as_str) == Some("--features") {
        args.next();
        pagescore::signals::text::train::Purpose::Features
    } else {
        pagescore::signals::text::train::Purpose::Shipped
    };
    let data = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data".into()));
    let out = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "target/textmodels.json".into()),
    );
    let seed: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(42);
    let (models, report) = pagescore::signals::text::train::train_for(&data, seed, purpose)?;
    models.save_json(&out)?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    eprintln!("saved {}", out.display());
    Ok(())
}
