//! The transports: each reads what arrives into the command model and sends back the render.
//!
//! - [`gateway`]: serenity's client over Discord's WebSocket gateway (`dossier serve`).
//! - [`http`]: the HTTP interactions endpoint (`dossier serve --http ADDR`).
//! - [`console`]: lines on stdin, text on stdout (`dossier console`).
//!
//! The gateway and the HTTP endpoint decide what to answer with [`decide`], so they answer
//! identically.

pub mod console;
pub mod gateway;
pub mod http;

use std::future::Future;

use serenity::all::{CreateInteractionResponse, Interaction, InteractionId};
use tracing::{debug, info};

use super::command::Request;
use super::discord::{self, Incoming};
use super::render;
use super::reply::{Body, Notice, Reply};
use super::{App, Caller};

/// What to send back for an interaction.
pub enum Outcome {
    /// Answer at once with this response.
    Respond(CreateInteractionResponse),
    /// Send [`discord::defer`] now, run the request off the async threads, then edit the
    /// deferred response with [`finish`].
    Defer(Request),
}

/// The interaction's id and token, for responding over REST.
pub fn id_and_token(interaction: &Interaction) -> Option<(InteractionId, &str)> {
    match interaction {
        Interaction::Command(c) | Interaction::Autocomplete(c) => Some((c.id, &c.token)),
        Interaction::Component(c) => Some((c.id, &c.token)),
        Interaction::Modal(m) => Some((m.id, &m.token)),
        _ => None,
    }
}

/// Decides the answer to an interaction: fast commands run here (well under a millisecond),
/// slow ones are deferred. `None` for a PING or an interaction kind the bot does not handle.
pub fn decide(app: &App, interaction: &Interaction) -> Option<Outcome> {
    let (request, caller) = match discord::read(interaction) {
        Incoming::Ping | Incoming::Unsupported => return None,
        Incoming::Autocomplete { typed, .. } => {
            return Some(Outcome::Respond(discord::autocomplete(app, &typed)));
        }
        Incoming::Request { request, caller } => (request, caller),
    };
    let request = match request {
        Ok(request) => request,
        Err(usage) => {
            info!(user = caller.user, error = %usage, "unusable command");
            let reply = Reply::notice(Notice::Error, usage.0);
            return Some(Outcome::Respond(respond(&reply, false)));
        }
    };
    if let Err(refusal) = app.admit(&request, &caller) {
        return Some(Outcome::Respond(respond(&refusal, false)));
    }
    log_request(&request, &caller);
    if request.command.is_slow() {
        return Some(Outcome::Defer(request));
    }
    let reply = app.execute(&request);
    Some(Outcome::Respond(respond(&reply, request.page_turn)))
}

/// Runs a deferred request (blocking) and renders the edit of the deferred response.
pub fn finish(app: &App, request: &Request) -> serenity::all::EditInteractionResponse {
    let reply = app.execute(request);
    discord::edit(&render::discord::render(&reply))
}

fn respond(reply: &Reply, page_turn: bool) -> CreateInteractionResponse {
    // A notice answering a button press is a new ephemeral message, not a replacement of the
    // page the others see.
    let page_turn = page_turn && !matches!(reply.body, Body::Notice(..));
    discord::respond(&render::discord::render(reply), page_turn)
}

fn log_request(request: &Request, caller: &Caller) {
    info!(
        command = request.command.name(),
        user = caller.user,
        page_turn = request.page_turn,
        "command"
    );
    debug!(?request, "command details");
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => info!("Ctrl-C: shutting down"),
        () = term => info!("SIGTERM: shutting down"),
    }
}

/// A boxed shutdown future, for transports that hand it to a spawned task.
pub type Shutdown = std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;
