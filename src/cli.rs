//! The command line: what the user typed (`Opts`) and the offline commands (`ask`, `search`,
//! `timeline`, `reindex`), and starting the bot's transports from [`crate::bot`].

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};
use clap::{Parser, Subcommand};
use serde_json::json;

use std::io::IsTerminal;
use std::sync::Arc;

use crate::bot::{self, App, config::Settings};
use crate::corpus::date::parse_user_date;
use crate::search::encoder::{self, Encoder};
use crate::search::{Answer, Engine, SearchError, TimelineFilter};

#[derive(Debug, Parser)]
#[command(
    name = "dossier",
    version,
    about = "Answers questions about an article: the passage, the sentence that matters, and the dates."
)]
pub struct Opts {
    /// Where the documents live.
    #[arg(long, global = true, env = "DOSSIER_DATA", default_value = "data")]
    pub data: PathBuf,
    /// Where the tantivy index lives (generated).
    #[arg(long, global = true, env = "DOSSIER_INDEX", default_value = "index")]
    pub index: PathBuf,
    /// The sentence-embedding model's directory (default: the one shipped in models/).
    #[arg(long, global = true, env = "DOSSIER_MODEL")]
    pub model: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer a question; with no question, answer each line of standard input.
    Ask {
        /// One JSON object per question instead of text.
        #[arg(long)]
        json: bool,
        /// The question; words may start with "-" ("-Russia +embargo").
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        question: Vec<String>,
    },
    /// Passages matching the words, best first.
    Search {
        #[arg(long)]
        json: bool,
        /// How many passages to show.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=100))]
        limit: u16,
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        query: Vec<String>,
    },
    /// Dated events in date order.
    Timeline {
        #[arg(long)]
        json: bool,
        /// Earliest date (EDTF like 2014-06, or words like "June 2014").
        #[arg(long)]
        from: Option<String>,
        /// Latest date.
        #[arg(long)]
        to: Option<String>,
        /// Only events about these words.
        topic: Vec<String>,
    },
    /// Rebuild the index from the data directory and print what changed.
    Reindex,
    /// Interactive console: the same slash commands as Discord, as text.
    Console,
    /// The Discord bot over the gateway (DISCORD_TOKEN), or with --http the HTTP
    /// interactions endpoint (DISCORD_PUBLIC_KEY).
    Serve {
        /// Serve Discord's HTTP interactions on this address (e.g. 127.0.0.1:8080) instead of
        /// connecting to the gateway.
        #[arg(long, env = "DOSSIER_HTTP_ADDR", value_name = "ADDR")]
        http: Option<std::net::SocketAddr>,
    },
    /// Register the slash commands with Discord, then exit.
    Register,
}

/// Opens the engine, building the index first when needed.
pub fn open(opts: &Opts) -> Result<Engine> {
    Engine::open_with_model(&opts.data, &opts.index, encoder(opts)?)
        .context("cannot open the index")
}

/// The sentence encoder: a missing or corrupt model stops here, naming the path.
fn encoder(opts: &Opts) -> Result<Arc<Encoder>> {
    let dir = opts.model.clone().unwrap_or_else(encoder::default_dir);
    Ok(Encoder::shared(&dir)?)
}

fn answer_json(question: &str, answer: &Answer) -> serde_json::Value {
    let mut value = serde_json::to_value(answer).unwrap_or_else(|_| json!({}));
    value["question"] = json!(question);
    value
}

fn print_answer_text(out: &mut impl Write, answer: &Answer) -> std::io::Result<()> {
    if let Some(fixed) = &answer.did_you_mean {
        writeln!(out, "(did you mean: {fixed})")?;
    }
    if answer.hits.is_empty() {
        writeln!(out, "The article does not answer that.")?;
        if !answer.nearest.is_empty() {
            writeln!(out, "Nearest topics: {}", answer.nearest.join("; "))?;
        }
        return Ok(());
    }
    if answer.unsure() {
        writeln!(
            out,
            "Not sure the article answers this; the closest passages:"
        )?;
    }
    for (i, hit) in answer.hits.iter().enumerate() {
        let dates: Vec<String> = hit.dates.iter().map(ToString::to_string).collect();
        writeln!(
            out,
            "{}. {} ¶{} [{}]",
            i + 1,
            hit.document,
            hit.paragraph,
            dates.join(", ")
        )?;
        writeln!(out, "   {}", hit.answer)?;
    }
    Ok(())
}

/// Questions from standard input answered per batch: the encoder runs once a batch.
const STDIN_BATCH: usize = 64;

fn ask(engine: &Engine, json: bool, question: &str, out: &mut impl Write) -> Result<()> {
    let answer = engine.ask(question);
    print_result(json, question, answer, out)
}

fn print_result(
    json: bool,
    question: &str,
    answer: Result<Answer, SearchError>,
    out: &mut impl Write,
) -> Result<()> {
    match answer {
        Ok(answer) if json => writeln!(out, "{}", answer_json(question, &answer))?,
        Ok(answer) => print_answer_text(out, &answer)?,
        Err(err @ (SearchError::EmptyQuestion | SearchError::QuestionTooLong { .. })) => {
            if json {
                writeln!(
                    out,
                    "{}",
                    json!({"question": question, "hits": [], "confidence": 0.0, "error": err.to_string()})
                )?;
            } else {
                writeln!(out, "{err}")?;
            }
        }
        Err(err) => return Err(err.into()),
    }
    Ok(())
}

/// Runs an offline command.
pub fn run(opts: &Opts, command: &Command) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match command {
        Command::Ask { json, question } => {
            let engine = open(opts)?;
            if question.is_empty() {
                let lines: Vec<String> = std::io::stdin()
                    .lock()
                    .lines()
                    .collect::<Result<_, _>>()
                    .context("cannot read standard input")?;
                for batch in lines.chunks(STDIN_BATCH) {
                    let texts: Vec<&str> = batch.iter().map(String::as_str).collect();
                    for (line, answer) in batch.iter().zip(engine.ask_many(&texts)) {
                        print_result(*json, line, answer, &mut out)?;
                    }
                    out.flush()?;
                }
            } else {
                ask(&engine, *json, &question.join(" "), &mut out)?;
            }
        }
        Command::Search { json, limit, query } => {
            let engine = open(opts)?;
            let page = engine.search(&query.join(" "), 0, usize::from(*limit))?;
            if *json {
                writeln!(out, "{}", serde_json::to_string(&page)?)?;
            } else {
                if let Some(fixed) = &page.did_you_mean {
                    writeln!(out, "(did you mean: {fixed})")?;
                }
                if page.hits.is_empty() {
                    writeln!(out, "No passage matches.")?;
                }
                for (i, hit) in page.hits.iter().enumerate() {
                    let fragment = hit
                        .snippet
                        .as_ref()
                        .map_or(hit.answer.as_str(), |s| s.fragment.as_str());
                    writeln!(
                        out,
                        "{}. {} ¶{}: {}",
                        i + 1,
                        hit.document,
                        hit.paragraph,
                        fragment
                    )?;
                }
            }
        }
        Command::Timeline {
            json,
            from,
            to,
            topic,
        } => {
            let parse = |name: &str, value: &Option<String>| -> Result<_> {
                match value {
                    None => Ok(None),
                    Some(v) => match parse_user_date(v) {
                        Some(d) => Ok(Some(d)),
                        None => {
                            bail!("--{name} {v:?} is not a date (try 2014, 2014-06, \"June 2014\")")
                        }
                    },
                }
            };
            let filter = TimelineFilter {
                from: parse("from", from)?,
                to: parse("to", to)?,
                topic: topic.join(" "),
            };
            let engine = open(opts)?;
            let page = engine.timeline(&filter, 0, usize::MAX / 2)?;
            if *json {
                writeln!(out, "{}", json!({"events": page.events}))?;
            } else {
                if page.events.is_empty() {
                    writeln!(out, "No events match.")?;
                }
                for e in &page.events {
                    writeln!(out, "{:<16} {}", e.date.to_string(), e.text)?;
                }
            }
        }
        Command::Console => console(opts)?,
        Command::Serve { http: None } => serve(opts)?,
        Command::Serve { http: Some(addr) } => serve_http(opts, *addr)?,
        Command::Register => register(opts)?,
        Command::Reindex => {
            let engine = Engine::open_as_is(&opts.data, &opts.index, encoder(opts)?)
                .context("cannot open the index")?;
            let summary = engine.reindex()?;
            writeln!(out, "{}", summary.to_string().trim_end())?;
        }
    }
    Ok(())
}

fn settings() -> Result<Settings> {
    Ok(Settings::from_env()?)
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// The console on stdin/stdout; a prompt only when a person is typing.
pub fn console(opts: &Opts) -> Result<()> {
    let app = App::new(Arc::new(open(opts)?), settings()?);
    let interactive = std::io::stdin().is_terminal();
    bot::transport::console::run(
        &app,
        std::io::stdin().lock(),
        std::io::stdout().lock(),
        interactive,
    )
    .context("console input/output failed")
}

/// The bot over the gateway, until Ctrl-C or SIGTERM.
pub fn serve(opts: &Opts) -> Result<()> {
    let settings = settings()?;
    settings.require(&["DISCORD_TOKEN"])?;
    let app = App::new(Arc::new(open(opts)?), settings);
    runtime()?.block_on(bot::transport::gateway::run(
        app,
        Box::pin(bot::transport::shutdown_signal()),
    ))
}

/// The HTTP interactions endpoint on `addr`, until Ctrl-C or SIGTERM.
pub fn serve_http(opts: &Opts, addr: std::net::SocketAddr) -> Result<()> {
    let settings = settings()?;
    settings.require(&["DISCORD_PUBLIC_KEY"])?;
    let app = App::new(Arc::new(open(opts)?), settings);
    runtime()?.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        bot::transport::http::run(app, listener, Box::pin(bot::transport::shutdown_signal())).await
    })
}

/// Registers the slash commands over REST and exits.
pub fn register(opts: &Opts) -> Result<()> {
    let settings = settings()?;
    settings.require(&["DISCORD_TOKEN", "DISCORD_APPLICATION_ID"])?;
    let app = App::new(Arc::new(open(opts)?), settings);
    let count = runtime()?.block_on(async {
        let http = bot::transport::gateway::http_client(&app)?;
        bot::transport::gateway::register(&app, &http).await
    })?;
    let scope = match app.settings.guild_id {
        Some(guild) => format!("in server {guild}"),
        None => "globally (may take a while to appear)".to_string(),
    };
    println!("Registered {count} commands {scope}.");
    Ok(())
}

/// `dossier` with no command: the bot when a token is configured, the console otherwise.
pub fn default_command(opts: &Opts) -> Result<()> {
    if settings()?.token.is_some() {
        serve(opts)
    } else {
        console(opts)
    }
}
