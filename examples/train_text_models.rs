//! Trains the text models alone and saves them, for iterating on them without the full
//! `pagescore train`: `cargo run --release --example train_text_models -- DATA_DIR OUT.json [SEED]`.

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let mut args = std::env::args().skip(1);
    let data = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data".into()));
    let out = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "target/textmodels.json".into()),
    );
    let seed: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(42);
    let (models, report) = pagescore::signals::text::train(&data, seed)?;
    models.save_json(&out)?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    eprintln!("saved {}", out.display());
    Ok(())
}
