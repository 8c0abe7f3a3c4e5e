//! The bot over Discord's gateway: serenity's client with the GUILDS intent only (no
//! privileged intents), Discord's recommended shard count unless `DOSSIER_SHARDS` picks a
//! range, commands registered on READY.

use std::sync::Arc;

use anyhow::{Context as _, Result};
use serenity::all::Builder as _;
use serenity::all::{
    ClientBuilder, Command as SlashCommand, Context, EventHandler, GatewayIntents, GuildId, Http,
    HttpBuilder, Interaction, Ready,
};
use serenity::async_trait;
use tracing::{error, info, warn};

use super::interaction;
use super::{Outcome, Shutdown, decide, finish, id_and_token};
use crate::bot::App;
use crate::store::Transport;

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

/// Registers the slash commands: in `DISCORD_GUILD_ID` when set (instant), globally otherwise.
/// A bulk overwrite, so running it again changes nothing.
pub async fn register(app: &App, http: &Http) -> Result<usize> {
    let registered = match app.settings.guild_id {
        Some(guild) => GuildId::new(guild)
            .set_commands(http, interaction::commands())
            .await
            .with_context(|| format!("registering the commands in server {guild}"))?,
        None => SlashCommand::set_global_commands(http, interaction::commands())
            .await
            .context("registering the commands globally")?,
    };
    info!(
        commands = registered.len(),
        guild = app.settings.guild_id,
        "slash commands registered"
    );
    Ok(registered.len())
}

struct Handler {
    app: App,
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
    let Some(outcome) = decide(app, interaction, Transport::Gateway) else {
        return;
    };
    match outcome {
        Outcome::Respond(response) => {
            if let Err(err) = http
                .create_interaction_response(id, token, &response, Vec::new())
                .await
            {
                warn!(error = %err, "cannot send a reply");
            }
        }
        Outcome::Defer(request) => {
            if let Err(err) = http
                .create_interaction_response(id, token, &interaction::defer(), Vec::new())
                .await
            {
                warn!(error = %err, "cannot defer");
                return;
            }
            let edit = finish(app, request).await;
            if let Err(err) = edit.execute(http.as_ref(), token).await {
                warn!(error = %err, "cannot edit the deferred reply");
            }
        }
    }
}

/// Runs the bot until `shutdown` resolves, then closes every shard and returns.
pub async fn run(app: App, shutdown: Shutdown) -> Result<()> {
    let http = http_client(&app)?;
    let shards = app.settings.shards;
    let mut client = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .event_handler(Handler { app })
        .await
        .context("cannot create the Discord client")?;
    let manager = client.shard_manager.clone();
    tokio::spawn(async move {
        shutdown.await;
        info!("closing the gateway shards");
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
    started.context("the gateway connection failed")?;
    info!("gateway stopped");
    Ok(())
}
