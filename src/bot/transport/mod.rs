//! The transports: each reads what arrives into the command model and sends back the render.
//!
//! - [`gateway`]: serenity's client over Discord's WebSocket gateway (`dossier serve`).
//! - [`http`]: the HTTP interactions endpoint (`dossier serve --http ADDR`).
//! - [`console`]: lines on stdin, text on stdout (`dossier console`).
//!
//! The gateway and the HTTP endpoint decide what to answer with [`decide`], so they answer
//! identically.

pub mod attachment;
pub mod connections;
pub mod console;
pub mod gateway;
pub mod http;
pub mod interaction;
pub mod ops;
pub mod replay;

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use serenity::all::{Builder as _, CreateInteractionResponse, Interaction, InteractionId};
use serenity::http::Http;
use tokio::sync::Semaphore;
use tokio::time::{Duration, Instant};
use tracing::{debug, error, info, warn};

use super::command::{Command, Request, excerpt};
use super::render::{self, Message};
use super::reply::{Body, Notice, Reply};
use super::{App, Caller, user_tag};
use crate::bot::command::Transport;
use crate::search::Progress;
use interaction::Incoming;

/// What to send back for an interaction.
pub enum Decision {
    /// Answer at once with this response.
    Respond(CreateInteractionResponse),
    /// Send [`interaction::defer`] now, run the request off the async threads, then edit the
    /// deferred response with [`finish`].
    Defer(Request),
}

/// How much of user-supplied text a log line at INFO or above may hold: with the timestamp,
/// level, target and fields, a line stays under 200 characters.
pub const LOG_EXCERPT: usize = 80;

/// An interaction token that is safe inside a REST path (`/webhooks/{app}/{token}/…`).
/// Discord's tokens are long ASCII made of letters, digits, `_`, `-` and `.`; anything else
/// (a `/`, a `?`, `..`) could steer the bot's authenticated request elsewhere, so it is refused.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// The longest token accepted (Discord's are a few hundred characters).
    pub const MAX: usize = 500;

    pub fn parse(raw: &str) -> Option<Token> {
        let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
        let ok = (1..=Token::MAX).contains(&raw.len())
            && raw.bytes().all(allowed)
            // "." and ".." are path segments a URL parser resolves.
            && raw.bytes().any(|b| b.is_ascii_alphanumeric());
        ok.then(|| Token(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Tokens are credentials for the interaction: never printed.
impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token([redacted])")
    }
}

/// The interaction's id and validated token, for responding over REST; `None` when it has no
/// token or one that is unsafe in a path. (The id is a snowflake serenity already parsed.)
pub fn id_and_token(interaction: &Interaction) -> Option<(InteractionId, Token)> {
    let (id, raw) = match interaction {
        Interaction::Command(c) | Interaction::Autocomplete(c) => (c.id, &c.token),
        Interaction::Component(c) => (c.id, &c.token),
        Interaction::Modal(m) => (m.id, &m.token),
        _ => return None,
    };
    Some((id, Token::parse(raw)?))
}

/// Decides the answer to an interaction: fast commands run here (well under a millisecond),
/// slow ones are deferred. `None` for a PING or an interaction kind the bot does not handle.
/// A panic while deciding is caught: the caller gets an error notice and the process goes on.
pub fn decide(app: &App, interaction: &Interaction, transport: Transport) -> Option<Decision> {
    guarded(|| decide_unguarded(app, interaction, transport))
        .unwrap_or_else(|| Some(Decision::Respond(respond(&internal_error(), false))))
}

/// Requests worked on at once off the async threads; past this a request is answered "busy"
/// at once instead of queueing behind the others.
pub const WORKERS: usize = 32;

/// [`decide`] on tokio's blocking pool, so that encoding a question, waiting for the store or
/// drawing a picture never holds an async thread: `/healthz`, PING and the gateway's heartbeat
/// keep their speed however busy the engine is. With [`WORKERS`] requests in flight, a new
/// one is told the bot is busy.
pub async fn decide_off_thread(
    app: &App,
    interaction: Interaction,
    transport: Transport,
) -> Option<Decision> {
    static WORK: std::sync::LazyLock<Arc<Semaphore>> =
        std::sync::LazyLock::new(|| Arc::new(Semaphore::new(WORKERS)));
    let Ok(permit) = WORK.clone().try_acquire_owned() else {
        info!("every worker busy; a request told to try again");
        let reply = Reply::notice(
            Notice::Error,
            "The bot is busy just now; please try again in a moment.",
        );
        return Some(Decision::Respond(respond(&reply, false)));
    };
    let app = app.clone();
    let work = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        decide(&app, &interaction, transport)
    });
    work.await
        .unwrap_or_else(|_| Some(Decision::Respond(respond(&internal_error(), false))))
}

/// Runs `work`, catching a panic (logged; the default hook has printed where) as `None`.
pub fn guarded<T>(work: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(value) => Some(value),
        Err(_) => {
            error!("a request panicked; answered with an error");
            None
        }
    }
}

/// What a user sees when handling their request failed inside the bot.
pub fn internal_error() -> Reply {
    Reply::notice(
        Notice::Error,
        "Something went wrong on the bot's side; the moderators can see the details in the logs.",
    )
}

fn decide_unguarded(
    app: &App,
    interaction: &Interaction,
    transport: Transport,
) -> Option<Decision> {
    let (request, caller) = match interaction::read(interaction, transport) {
        Incoming::Ping | Incoming::Unsupported => return None,
        Incoming::Autocomplete { typed } => {
            return Some(Decision::Respond(interaction::autocomplete(app, &typed)));
        }
        Incoming::Anonymous => {
            info!("interaction without a user; not run");
            let reply = Reply::notice(
                Notice::Refused,
                "Discord did not say who sent this, so it was not run.",
            );
            return Some(Decision::Respond(respond(&reply, false)));
        }
        Incoming::Request { request, caller } => (request, caller),
    };
    let request = match request {
        Ok(request) => request,
        Err(usage) => {
            info!(user = %user_tag(caller.user), error = %excerpt(&usage.0, LOG_EXCERPT), "unusable command");
            let reply = Reply::notice(Notice::Error, usage.0);
            return Some(Decision::Respond(respond(&reply, false)));
        }
    };
    if let Err(refusal) = app.admit(&request, &caller) {
        return Some(Decision::Respond(respond(&refusal, false)));
    }
    log_request(&request, &caller);
    if request.defers() {
        return Some(Decision::Defer(request));
    }
    let reply = app.execute(&request);
    Some(Decision::Respond(respond_noted(
        &reply,
        request.page_turn,
        request.note.as_deref(),
    )))
}

/// When a deferred request's progress is first shown, and then how often at most.
const PROGRESS_AFTER: Duration = Duration::from_secs(1);
const PROGRESS_EVERY: Duration = Duration::from_secs(3);

/// Runs a deferred request and edits the deferral (`token`'s original response) with the
/// reply, not before `earliest`: an attached file is downloaded first, then the request runs
/// off the async threads, a reindex's progress shown in the deferral meanwhile. A panic
/// becomes an error notice.
pub async fn finish(app: &App, mut request: Request, http: &Http, token: &str, earliest: Instant) {
    let edit = |message: Message| async move {
        if let Err(err) = interaction::edit(&message).execute(http, token).await {
            warn!(error = %err, "cannot edit the deferred reply");
        }
    };
    if let Command::AddDocument { file, .. } = &mut request.command {
        match attachment::download(file, &app.settings).await {
            Ok(bytes) => file.bytes = Some(bytes),
            Err(reason) => {
                info!(reason = %excerpt(&reason, LOG_EXCERPT), "attachment not downloaded");
                tokio::time::sleep_until(earliest).await;
                return edit(render::embed::render(&Reply::notice(Notice::Error, reason))).await;
            }
        }
    }
    let (progress, mut told) = tokio::sync::watch::channel(None);
    let worker = app.clone();
    let mut work = tokio::task::spawn_blocking(move || {
        let report = |p: Progress| {
            progress.send_replace(Some(p));
        };
        guarded(|| worker.execute_reporting(&request, &report)).unwrap_or_else(internal_error)
    });
    let mut next = earliest.max(Instant::now() + PROGRESS_AFTER);
    let reply = loop {
        tokio::select! {
            done = &mut work => break done.unwrap_or_else(|err| {
                error!(error = %err, "deferred command failed");
                internal_error()
            }),
            () = tokio::time::sleep_until(next) => {
                let latest = *told.borrow_and_update();
                if let Some(p) = latest.filter(|p| p.encoded < p.to_encode) {
                    edit(render::embed::progress(p)).await;
                }
                next = Instant::now() + PROGRESS_EVERY;
            }
        }
    };
    tokio::time::sleep_until(earliest).await;
    edit(render::embed::render(&reply)).await;
}

fn respond(reply: &Reply, page_turn: bool) -> CreateInteractionResponse {
    respond_noted(reply, page_turn, None)
}

/// The response for `reply`, with `note` (how the request was understood) above it.
fn respond_noted(reply: &Reply, page_turn: bool, note: Option<&str>) -> CreateInteractionResponse {
    // A notice answering a button press is a new ephemeral message, not a replacement of the
    // page the others see.
    let page_turn = page_turn && !matches!(reply.body, Body::Notice(..));
    let mut message = render::embed::render(reply);
    if let Some(note) = note {
        message.content = Some(match message.content {
            Some(content) => format!("{note}\n{content}"),
            None => note.to_string(),
        });
    }
    interaction::respond(&message, page_turn)
}

fn log_request(request: &Request, caller: &Caller) {
    info!(
        command = request.command.name(),
        user = %user_tag(caller.user),
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

/// The application's owner, or its team's members, as Discord says at start; they moderate
/// in every admin guild. Unknown (a warning, and no owners) when Discord cannot be asked.
pub async fn read_owners(app: &App, http: &Http) {
    match http.get_current_application_info().await {
        Ok(info) => {
            let mut owners: Vec<u64> = info.owner.iter().map(|u| u.id.get()).collect();
            if let Some(team) = &info.team {
                owners.extend(team.members.iter().map(|m| m.user.id.get()));
            }
            info!(owners = owners.len(), "application owners read");
            app.set_owners(owners);
        }
        Err(err) => warn!(error = %err, "cannot read the application's owners"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_tokens_safe_in_a_path_are_accepted() {
        for good in ["tok-1", "aW50ZXJhY3Rpb246MTIzNDU2Nzg5OmFiY2RlZg_-.x", "a"] {
            assert!(Token::parse(good).is_some(), "{good}");
        }
        let long = "a".repeat(Token::MAX + 1);
        for bad in [
            "",
            ".",
            "..",
            "x/../../../../v10/channels/123/messages/456?",
            "a?b",
            "a b",
            "a%2e",
            "a#b",
            "tök",
            long.as_str(),
        ] {
            assert!(Token::parse(bad).is_none(), "{bad}");
        }
        assert!(!format!("{:?}", Token::parse("secret").unwrap()).contains("secret"));
    }

    #[test]
    fn a_panic_in_a_request_is_caught() {
        assert_eq!(guarded(|| 7), Some(7));
        assert_eq!(guarded(|| -> u8 { panic!("boom") }), None);
    }
}
