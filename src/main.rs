use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use dossier::cli::{self, Opts};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    keep_freed_memory();
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

/// The encoder allocates and frees buffers of up to ~30 MiB in every forward pass. By default
/// glibc returns such buffers to the kernel and maps them afresh on the next pass: millions of
/// page faults, a fifth of the time of indexing a large document. Keep freed memory of up to
/// these sizes instead (BENCHMARKS.md: a 1 MiB document 109 s → 96 s, peak RSS 290 → 337 MB).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_freed_memory() {
    // SAFETY: mallopt only sets the allocator's parameters; it is called first thing in main,
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_freed_memory() {}
