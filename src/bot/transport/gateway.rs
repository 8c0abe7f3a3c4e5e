//! The bot over Discord's gateway: serenity's client with the GUILDS intent only (no
//! privileged intents), Discord's recommended shard count unless `DOSSIER_SHARDS` picks a
//! range, commands registered on READY.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context as _, Result};
use serenity::all::{
    ClientBuilder, Command as SlashCommand, ConnectionStage, Context, EventHandler, GatewayIntents,
    GuildId, Http, HttpBuilder, Interaction, Ready,
};
use serenity::async_trait;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tracing::{error, info, warn};

use super::interaction;
use super::{Decision, Shutdown, decide_off_thread, finish, id_and_token, read_owners};
use crate::bot::App;
use crate::bot::command::Transport;

/// The serenity HTTP client for `settings`: through `DISCORD_API_PROXY` when set, with
/// serenity's own ratelimiter off there (the proxy limits; serenity's limiter would bypass it).
pub fn http_client(app: &App) -> Result<Http> {
    let token = app
        .settings
        .token
        .as_ref()
        .context("DISCORD_TOKEN: missing")?;
    let mut builder = HttpBuilder::new(token.expose());
    if let Some(proxy) = &app.settings.api_proxy {
        builder = builder.proxy(proxy.as_str()).ratelimiter_disabled(true);
    }
    if let Some(id) = app.settings.application_id {
        builder = builder.application_id(id.into());
    }
    Ok(builder.build())
}

/// Registers the commands, each list one bulk overwrite (running it again changes nothing):
/// the public commands in `DISCORD_GUILD_ID` when set (instant), globally otherwise; the
/// moderator commands only in the admin guilds, as guild commands, never globally. The number
/// of commands registered, counting each scope.
pub async fn register(app: &App, http: &Http) -> Result<usize> {
    let settings = &app.settings;
    let mut count = 0;
    if settings.guild_id.is_none() {
        count += SlashCommand::set_global_commands(http, interaction::commands())
            .await
            .context("registering the commands globally")?
            .len();
    }
    let mut guilds: Vec<u64> = settings.guild_id.into_iter().collect();
    for guild in &settings.admin_guilds {
        if !guilds.contains(guild) {
            guilds.push(*guild);
        }
    }
    for guild in guilds {
        let mut commands = Vec::new();
        if settings.guild_id == Some(guild) {
            commands.extend(interaction::commands());
        }
        if settings.admin_guilds.contains(&guild) {
            commands.extend(interaction::moderator_commands());
        }
        count += GuildId::new(guild)
            .set_commands(http, commands)
            .await
            .with_context(|| format!("registering the commands in server {guild}"))?
            .len();
    }
    if settings.admin_guilds.is_empty() {
        warn!(
            "no admin server (DOSSIER_ADMIN_GUILDS, or DISCORD_GUILD_ID): moderator commands are \
             not registered, and moderation works only from the console and the command line"
        );
    }
    info!(
        commands = count,
        guild = settings.guild_id,
        admin_guilds = ?settings.admin_guilds,
        "slash commands registered"
    );
    Ok(count)
}

/// The shards this process runs, for readiness: the configured range, or with autosharding
/// as many as Discord recommends (what serenity itself will start).
async fn expected_shards(shards: Option<crate::config::Shards>, http: &Http) -> u32 {
    match shards {
        Some(s) => s.last - s.first + 1,
        None => match http.get_bot_gateway().await {
            Ok(gateway) => gateway.shards.max(1),
            Err(err) => {
                warn!(error = %err, "cannot read the recommended shard count");
                1
            }
        },
    }
}

/// `/healthz`, `/readyz` and `/metrics` on `addr`, until `stopped` turns true.
async fn serve_ops(
    app: &App,
    addr: std::net::SocketAddr,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) -> Result<tokio::task::JoinHandle<Result<()>>> {
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("DOSSIER_METRICS_ADDR: cannot listen on {addr}"))?;
    Ok(tokio::spawn(super::ops::serve(
        app.clone(),
        listener,
        Box::pin(async move {
            let _ = stopped.wait_for(|s| *s).await;
        }),
    )))
}

/// Reads every shard's connection and latency into the metrics every [`SHARD_POLL`], until
/// `stopped` turns true.
async fn poll_shards(
    manager: Arc<serenity::gateway::ShardManager>,
    app: App,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        let shards: Vec<_> = manager
            .runners
            .lock()
            .await
            .iter()
            .map(|(id, runner)| {
                let connected = runner.stage == ConnectionStage::Connected;
                (id.0, connected, runner.latency)
            })
            .collect();
        app.metrics.shards(&shards);
        tokio::select! {
            _ = tokio::time::sleep(SHARD_POLL) => {}
            _ = stopped.wait_for(|s| *s) => break,
        }
    }
}

/// How long shutdown waits for interactions still being answered.
pub const DRAIN: Duration = Duration::from_secs(10);
/// How often shard latency and connection state are read for `/metrics` and `/readyz`.
const SHARD_POLL: Duration = Duration::from_secs(2);

struct Handler {
    app: App,
    in_flight: Arc<InFlight>,
}

/// Interactions being answered, so that shutdown can wait for them.
#[derive(Default)]
struct InFlight {
    count: AtomicUsize,
    idle: Notify,
}

/// Counts one interaction while it lives.
struct Working(Arc<InFlight>);

impl Working {
    fn start(in_flight: &Arc<InFlight>) -> Working {
        in_flight.count.fetch_add(1, Ordering::SeqCst);
        Working(in_flight.clone())
    }
}

impl Drop for Working {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

impl InFlight {
    /// Waits until no interaction is being answered, at most `limit`; how many still were.
    async fn drained(&self, limit: Duration) -> usize {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let idle = self.idle.notified();
            let left = self.count.load(Ordering::SeqCst);
            if left == 0 {
                return 0;
            }
            if tokio::time::timeout_at(deadline, idle).await.is_err() {
                return self.count.load(Ordering::SeqCst);
            }
        }
    }
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        let shard = ready.shard.map(|s| s.id.0);
        info!(
            user = %ready.user.name,
            guilds = ready.guilds.len(),
            shard,
            "connected to Discord"
        );
        // One shard registers; the commands belong to the application, not to a shard.
        if shard.unwrap_or(0) == 0
            && let Err(err) = register(&self.app, &ctx.http).await
        {
            error!(error = %format!("{err:#}"), "cannot register the slash commands");
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let _working = Working::start(&self.in_flight);
        answer(&self.app, &ctx.http, &interaction).await;
    }
}

/// Answers one interaction over REST; one without a token that is safe in a REST path is
/// dropped (there is no way to answer it that does not use the token).
async fn answer(app: &App, http: &Arc<Http>, interaction: &Interaction) {
    let Some((id, token)) = id_and_token(interaction) else {
        if !matches!(interaction, Interaction::Ping(_)) {
            warn!("ignored an interaction without a usable token");
        }
        return;
    };
    let token = token.as_str();
    let Some(outcome) = decide_off_thread(app, interaction.clone(), Transport::Gateway).await
    else {
        return;
    };
    match outcome {
        Decision::Respond(response) => {
            if let Err(err) = http
                .create_interaction_response(id, token, &response, Vec::new())
                .await
            {
                warn!(error = %err, "cannot send a reply");
            }
        }
        Decision::Defer(request) => {
            if let Err(err) = http
                .create_interaction_response(id, token, &interaction::defer(&request), Vec::new())
                .await
            {
                warn!(error = %err, "cannot defer");
                return;
            }
            finish(app, request, http, token, tokio::time::Instant::now()).await;
        }
    }
}

/// Runs the bot until `shutdown` resolves, then closes every shard, waits (at most [`DRAIN`])
/// for interactions still being answered, and returns. With `DOSSIER_METRICS_ADDR`, serves
/// `/healthz`, `/readyz` and `/metrics` there meanwhile.
pub async fn run(app: App, shutdown: Shutdown) -> Result<()> {
    let http = http_client(&app)?;
    read_owners(&app, &http).await;
    let shards = app.settings.shards;
    app.metrics
        .expect_shards(expected_shards(shards, &http).await);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let ops = match app.settings.metrics_addr {
        Some(addr) => Some(serve_ops(&app, addr, stopped.clone()).await?),
        None => None,
    };
    let in_flight = Arc::new(InFlight::default());
    let mut client = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .event_handler(Handler {
            app: app.clone(),
            in_flight: in_flight.clone(),
        })
        .await
        .context("cannot create the Discord client")?;
    let manager = client.shard_manager.clone();
    tokio::spawn(poll_shards(manager.clone(), app.clone(), stopped));
    tokio::spawn(async move {
        shutdown.await;
        info!("closing the gateway shards");
        let _ = stop.send(true);
        manager.shutdown_all().await;
    });
    let started = match shards {
        Some(s) => {
            info!(
                first = s.first,
                last = s.last,
                total = s.total,
                "starting shards"
            );
            client.start_shard_range(s.first..s.last, s.total).await
        }
        None => client.start_autosharded().await,
    };
    let left = in_flight.drained(DRAIN).await;
    if left > 0 {
        warn!(left, "shutdown did not wait for every interaction");
    }
    if let Some(ops) = ops {
        ops.abort();
    }
    started.context("the gateway connection failed")?;
    info!("gateway stopped");
    Ok(())
}
