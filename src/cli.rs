//! The command line: what the user typed ([`Opts`]) becomes the [`Config`] once, and each
//! offline subcommand becomes a [`Request`] that the same [`App`] as Discord's executes. Replies
//! print as the console's text or, with `--json`, as the JSON renderer's objects; a failed
//! request exits non-zero with its reason on stderr. `serve`, `console` and `register` start the
//! bot's transports.

mod add;
mod lines;
use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, Result, bail};
use clap::Parser;
use tracing::{info, warn};

use crate::bot::command::{Command, OptionValue, Request};
use crate::bot::feedback::Feedback;
use crate::bot::reply::Body;
use crate::bot::{self, App, render};
use crate::config::{Config, ConfigError, Need, Settings};
use crate::search::Engine;
use crate::search::encoder::{self, Encoder};
use crate::store::{self, Store, UserHasher};

/// `dossier --version`: the crate's version and the git commit it was built from.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("DOSSIER_COMMIT"),
    ")"
);

#[derive(Debug, Parser)]
#[command(
    name = "dossier",
    version = VERSION,
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
    pub command: Option<Subcommand>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Subcommand {
    /// Answer a question; with no question, answer each line of standard input.
    Ask {
        /// One JSON object per question instead of text.
        #[arg(long)]
        json: bool,
        /// Why the top hits scored as they did and why the bot answered or refused.
        #[arg(long)]
        explain: bool,
        /// Answer the question as a follow-up to this earlier question ("Ask a follow-up").
        #[arg(long, value_name = "EARLIER")]
        after: Option<String>,
        /// The question; words may start with "-" ("-Russia +embargo"), but an unknown flag
        /// ("--explian") is an error, never part of the question.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        question: Vec<String>,
    },
    /// Passages matching the words, best first.
    Search {
        #[arg(long)]
        json: bool,
        /// How many passages to show (1–10, as in Discord).
        #[arg(long, allow_negative_numbers = true)]
        limit: Option<i64>,
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        query: Vec<String>,
    },
    /// Dated events in date order, all of them.
    Timeline {
        #[arg(long)]
        json: bool,
        /// Earliest date (EDTF like 2014-06, or words like "June 2014").
        #[arg(long)]
        from: Option<String>,
        /// Latest date.
        #[arg(long)]
        to: Option<String>,
        /// Also write the timeline as a PNG picture to FILE.
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
        /// Only events about these words.
        topic: Vec<String>,
    },
    /// Rebuild the index from the data directory and print what changed.
    Reindex,
    /// Interactive console: the same slash commands as Discord, as text.
    Console,
    /// The Discord bot over the gateway (DISCORD_TOKEN), or with --http (or DOSSIER_HTTP_ADDR)
    /// the HTTP interactions endpoint (DISCORD_PUBLIC_KEY).
    Serve {
        /// Serve Discord's HTTP interactions on this address (e.g. 127.0.0.1:8080) instead of
        /// connecting to the gateway.
        #[arg(long, value_name = "ADDR")]
        http: Option<SocketAddr>,
    },
    /// Add a document (.txt, .md, .html or .pdf, recognised by its content) to the data
    /// directory and reindex, as `/document add` does.
    Add {
        /// Print the document as it would be indexed, and write nothing.
        #[arg(long)]
        dry_run: bool,
        file: PathBuf,
    },
    /// Register the slash commands with Discord, then exit.
    Register,
    /// The questions that went unanswered, were answered with low confidence or voted 👎.
    Gaps {
        /// How many days back.
        #[arg(long, default_value_t = 7)]
        days: i64,
        #[arg(long)]
        json: bool,
    },
}

impl Opts {
    /// The run's configuration: these options and the environment, read once.
    pub fn config(&self) -> Result<Config, ConfigError> {
        Ok(Config {
            data: self.data.clone(),
            index: self.index.clone(),
            model: self.model.clone().unwrap_or_else(encoder::default_dir),
            bot: Settings::from_env()?,
        })
    }
}

/// Runs `command`; with none, the bot when a token is configured and the console otherwise.
pub fn run(config: &Config, command: Option<&Subcommand>) -> Result<()> {
    match command {
        None if config.bot.token.is_some() => serve(config),
        None | Some(Subcommand::Console) => console(config),
        Some(Subcommand::Ask {
            json,
            explain,
            after,
            question,
        }) if question.is_empty() => {
            lines::ask_each_line(&app(config, open(config)?), *json, *explain, after.clone())
        }
        Some(Subcommand::Reindex) => {
            let engine = Engine::open_as_is(&config.data, &config.index, encoder(config)?)
                .context("cannot open the index")?;
            let request = Request::new(Command::Reindex);
            print(&app(config, engine), &request, false)
        }
        Some(Subcommand::Serve { http }) => match http.or(config.bot.http_addr) {
            Some(addr) => serve_http(config, addr),
            None => serve(config),
        },
        Some(Subcommand::Register) => register(config),
        Some(Subcommand::Add {
            dry_run: true,
            file,
        }) => add::dry_run(file),
        Some(Subcommand::Add { file, .. }) => {
            let engine = Engine::open_as_is(&config.data, &config.index, encoder(config)?)
                .context("cannot open the index")?;
            print(&app(config, engine), &add::request(file)?, false)
        }
        Some(Subcommand::Gaps { days, json }) => {
            let request =
                Request::from_slash("gaps", &[("days".to_string(), OptionValue::Integer(*days))])?;
            let app = app(config, open(config)?).with_feedback(feedback(config)?);
            let request = Request {
                unpaged: true,
                ..request
            };
            print(&app, &request, *json)
        }
        Some(offline) => {
            let (request, json) = request(offline)?;
            let app = app(config, open(config)?);
            if let Subcommand::Timeline {
                png: Some(file), ..
            } = offline
            {
                picture(&app, &request, file)?;
            }
            print(&app, &request, json)
        }
    }
}

/// `ask`, `search` or `timeline` as the slash command it stands for, and whether to print JSON.
fn request(command: &Subcommand) -> Result<(Request, bool)> {
    let text = |key: &str, words: &[String]| (key.to_string(), OptionValue::Text(words.join(" ")));
    let given = |key: &str, value: &Option<String>| {
        value
            .as_ref()
            .map(|v| (key.to_string(), OptionValue::Text(v.clone())))
    };
    if let Subcommand::Ask { question, .. } = command
        && let Some(flag) = question.first().filter(|w| w.starts_with("--"))
    {
        bail!("unknown flag {flag} (see `dossier ask --help`)");
    }
    let (name, options, json): (_, Vec<(String, OptionValue)>, _) = match command {
        Subcommand::Ask {
            json,
            after,
            question,
            ..
        } => (
            "ask",
            [Some(text("question", question)), given("after", after)]
                .into_iter()
                .flatten()
                .collect(),
            json,
        ),
        Subcommand::Search { json, limit, query } => {
            let limit = limit.map(|n| ("limit".to_string(), OptionValue::Integer(n)));
            (
                "search",
                [Some(text("query", query)), limit]
                    .into_iter()
                    .flatten()
                    .collect(),
                json,
            )
        }
        Subcommand::Timeline {
            json,
            from,
            to,
            topic,
            ..
        } => {
            let options = [
                given("from", from),
                given("to", to),
                Some(text("topic", topic)),
            ];
            ("timeline", options.into_iter().flatten().collect(), json)
        }
        _ => bail!("not an offline command"),
    };
    let request = Request::from_slash(name, &options)?;
    let explain = matches!(command, Subcommand::Ask { explain: true, .. });
    Ok((
        Request {
            unpaged: true,
            explain,
            ..request
        },
        *json,
    ))
}

/// `timeline --png FILE`: the timeline's picture, written to `file` (the same picture `/timeline`
/// attaches in Discord).
fn picture(app: &App, request: &Request, file: &std::path::Path) -> Result<()> {
    let reply = app.execute(request);
    let (
        Body::Timeline { page, .. },
        Command::Timeline {
            from, to, topic, ..
        },
    ) = (&reply.body, &request.command)
    else {
        // The failure itself is printed by the timeline that follows.
        return Ok(());
    };
    let png = render::chart::png(&page.events, *from, *to, topic)
        .context("no dated events match, so there is no picture to write")?;
    std::fs::write(file, png).with_context(|| format!("cannot write {}", file.display()))
}

/// Executes one request and prints its reply; a failed request is the command's failure.
fn print(app: &App, request: &Request, json: bool) -> Result<()> {
    let reply = app.execute(request);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", render::json::render(request, &reply))?;
    }
    match &reply.body {
        Body::Notice(_, reason) => bail!("{}", render::text::printable(reason)),
        _ if !json => write!(out, "{}", render::text::render(&reply))?,
        _ => {}
    }
    Ok(())
}

/// Opens the engine, building the index first when needed.
fn open(config: &Config) -> Result<Engine> {
    Engine::open_with_model(&config.data, &config.index, encoder(config)?)
        .context("cannot open the index")
}

/// The sentence encoder: a missing or corrupt model stops here, naming the path.
fn encoder(config: &Config) -> Result<Arc<Encoder>> {
    Ok(Encoder::shared(&config.model)?)
}

fn app(config: &Config, engine: Engine) -> App {
    App::new(Arc::new(engine), config.bot.clone())
}

/// The bot of a long-running mode (console, gateway, HTTP): with its question log, following
/// the generation other processes announce.
fn serving(config: &Config) -> Result<App> {
    let app = app(config, open(config)?).with_feedback(feedback(config)?);
    app.follow_generations();
    Ok(app)
}

/// The question log and votes: the database opened (migrations applied) and rows older than
/// the retention purged.
fn feedback(config: &Config) -> Result<Feedback> {
    let database = &config.bot.database;
    let store = Store::open(&database.0)
        .with_context(|| format!("cannot open the database {database:?} (DOSSIER_DATABASE)"))?;
    let key = match &config.bot.hash_key {
        Some(key) => key.expose().to_string(),
        None => store.user_hash_key(&database.0)?,
    };
    let retention = i64::from(config.bot.retention_days) * 86_400;
    let purged = store.purge(store::now() - retention)?;
    purge_daily(store.clone(), retention);
    info!(
        backend = store.backend(),
        purged,
        retention_days = config.bot.retention_days,
        question_log = config.bot.question_log,
        "question log open"
    );
    Ok(Feedback {
        store,
        hasher: UserHasher::new(key.as_bytes()),
        log_questions: config.bot.question_log,
    })
}

/// Purges rows past the retention once a day while the process runs, not only at start.
fn purge_daily(store: Store, retention: i64) {
    const DAY: std::time::Duration = std::time::Duration::from_secs(86_400);
    let purging = std::thread::Builder::new()
        .name("dossier-purge".into())
        .spawn(move || {
            loop {
                std::thread::sleep(DAY);
                match store.purge(store::now() - retention) {
                    Ok(purged) => info!(purged, "daily purge of the question log"),
                    Err(err) => warn!(error = %err, "daily purge failed; tried again tomorrow"),
                }
            }
        });
    if let Err(err) = purging {
        warn!(error = %err, "no daily purge: rows are purged at start only");
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// The console on stdin/stdout; a prompt only when a person is typing.
fn console(config: &Config) -> Result<()> {
    let app = serving(config)?;
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
fn serve(config: &Config) -> Result<()> {
    config.bot.require(&[Need::Token])?;
    let app = serving(config)?;
    runtime()?.block_on(bot::transport::gateway::run(
        app,
        Box::pin(bot::transport::shutdown_signal()),
    ))
}

/// The HTTP interactions endpoint on `addr`, until Ctrl-C or SIGTERM.
fn serve_http(config: &Config, addr: SocketAddr) -> Result<()> {
    config.bot.require(&[Need::PublicKey])?;
    let app = serving(config)?;
    runtime()?.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        bot::transport::http::run(app, listener, Box::pin(bot::transport::shutdown_signal())).await
    })
}

/// Registers the slash commands over REST and exits.
fn register(config: &Config) -> Result<()> {
    config.bot.require(&[Need::Token, Need::ApplicationId])?;
    let app = app(config, open(config)?);
    let count = runtime()?.block_on(async {
        let http = bot::transport::gateway::http_client(&app)?;
        bot::transport::gateway::register(&app, &http).await
    })?;
    let scope = match app.settings.guild_id {
        Some(guild) => format!("in server {guild}"),
        None => "globally (may take a while to appear)".to_string(),
    };
    let moderation = match app.settings.admin_guilds.as_slice() {
        [] => "no admin server: moderation only from the console".to_string(),
        guilds => format!(
            "moderator commands in {}",
            guilds
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    println!("Registered {count} commands {scope}; {moderation}.");
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Opts::command().debug_assert();
    }

    #[test]
    fn offline_commands_become_the_slash_commands_they_stand_for() {
        let opts = Opts::parse_from(["dossier", "search", "--limit", "3", "arms", "embargo"]);
        let (parsed, json) = request(opts.command.as_ref().unwrap()).unwrap();
        assert!(!json);
        assert_eq!(
            parsed.command,
            Command::Search {
                query: "arms embargo".into(),
                limit: 3,
                offset: 0
            }
        );
        let opts = Opts::parse_from(["dossier", "search", "--limit", "50", "arms"]);
        let err = request(opts.command.as_ref().unwrap()).unwrap_err();
        assert_eq!(err.to_string(), "`limit` must be between 1 and 10.");
        let opts = Opts::parse_from(["dossier", "timeline", "--json", "--from", "2014", "Putin"]);
        let (parsed, json) = request(opts.command.as_ref().unwrap()).unwrap();
        assert!(json && parsed.unpaged);
        assert_eq!(parsed.command.name(), "timeline");
    }
}
