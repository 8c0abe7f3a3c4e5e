use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use dossier::cli::{self, Opts};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // DOSSIER_LOG_FORMAT=json: one JSON object a line, for log collectors.
    match std::env::var("DOSSIER_LOG_FORMAT")
        .as_deref()
        .map(str::trim)
    {
        Ok("json") => logs.json().flatten_event(true).init(),
        Ok("text" | "") | Err(_) => logs.with_ansi(std::io::stderr().is_terminal()).init(),
        Ok(other) => {
            eprintln!(
                "dossier: bad configuration: DOSSIER_LOG_FORMAT: {other:?} is not text or json"
            );
            return ExitCode::FAILURE;
        }
    }
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
