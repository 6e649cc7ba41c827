//! Command-line interface: one file per subcommand, each with its clap `Args` and a `run`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod eval;
mod extract_eval;
mod headlines;
mod inspect;
mod loadtest;
mod pages;
mod score;
mod serve;
mod train;

/// pagescore: tells crawlers which pages are scraped copies or spam, and why.
#[derive(Debug, Parser)]
#[command(name = "pagescore", version, about, long_about = None)]
pub struct Cli {
    /// Log filter (tracing `EnvFilter` syntax), e.g. `info` or `pagescore=debug`.
    #[arg(long, global = true, env = "PAGESCORE_LOG", default_value = "warn")]
    pub log: String,
    /// Write logs as JSON lines instead of text.
    #[arg(long, global = true, env = "PAGESCORE_LOG_JSON")]
    pub log_json: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what the reader saw in a page: charset, title, main text, link blocks, dates,
    /// breadcrumb, ad markers. The first tool to reach for when a score surprises you.
    Inspect(inspect::Args),
    /// Score pages: verdict, spam probability, and the signals that decided it, with evidence.
    Score(score::Args),
    /// Train the model bundle (ad matcher, text models, spam model) and write it to models/.
    Train(train::Args),
    /// Evaluate a model on a labeled corpus: AUC, precision, recall, FPR, worst mistakes.
    Eval(eval::Args),
    /// Measure main-text extraction against ground truth (wcxb-dev token F1, trafilatura-eval
    /// snippets) and the read+extract speed over every page; `--min-f1` makes it a CI check.
    ExtractEval(extract_eval::Args),
    /// Clickbait and promo probabilities of headlines, one a line (debugs the text models).
    Headlines(headlines::Args),
    /// Serve the gRPC API (Score, ScoreStream, GetModelInfo, health, reflection) with the
    /// shipped model or `--model FILE`; Prometheus metrics on `--metrics-addr`.
    Serve(serve::Args),
    /// Load-test a running server with pages from a corpus, for a bounded time (loopback only
    /// unless `--allow-remote`); prints pages/s, latency percentiles and errors by status.
    Loadtest(loadtest::Args),
}

/// Parses the process arguments.
pub fn parse() -> Cli {
    Cli::parse()
}

/// Sets up `tracing` logs on stderr.
pub fn init_logging(cli: &Cli) {
    let filter = tracing_subscriber::EnvFilter::try_new(&cli.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if cli.log_json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Inspect(args) => inspect::run(args),
        Command::Score(args) => score::run(args),
        Command::Train(args) => train::run(args),
        Command::Eval(args) => eval::run(args),
        Command::ExtractEval(args) => extract_eval::run(args),
        Command::Headlines(args) => headlines::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Loadtest(args) => loadtest::run(args),
    }
}
