use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use dossier::cli::{self, Opts};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let opts = Opts::parse();
    let result = opts
        .config()
        .map_err(anyhow::Error::from)
        .and_then(|config| cli::run(&config, opts.command.as_ref()));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("dossier: {err:#}");
            ExitCode::FAILURE
        }
    }
}
