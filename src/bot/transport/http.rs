//! Discord's HTTP interactions endpoint: `POST /interactions`, with the operator's routes of
//! [`ops`](super::ops) (`/healthz`, `/readyz`, `/metrics`) beside it.
//!
//! Every request is verified (Ed25519 over `timestamp ‖ body`, timestamp within 5 minutes)
//! before anything else is read, and an interaction already handled within that window is
//! refused ([`replay`](super::replay)). Page state travels in button ids, so any number of
//! processes behind a load balancer serve one bot (each remembers only its own replays).
//! Connections are bounded by [`connections`](super::connections); the body must arrive within
//! [`BODY_TIMEOUT`]; a panic while handling one request answers that request with a 500.

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serenity::all::{Http, HttpBuilder, Interaction};
use serenity::interactions_endpoint::Verifier;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tracing::{error, info, warn};

use super::connections::{self, Limits};
use super::interaction;
use super::ops::json;
use super::replay::Replays;
use super::{Decision, LOG_EXCERPT, Shutdown, Token, decide_off_thread, finish, id_and_token};
use crate::bot::App;
use crate::bot::command::Transport;
use crate::bot::command::excerpt;

/// Discord's interactions are a few kilobytes; anything larger is refused unread.
pub const MAX_BODY: usize = 64 * 1024;
/// How far a request's timestamp may be from now, in seconds (replay protection).
pub const MAX_SKEW_SECS: i64 = 300;
/// The least time between answering with a deferral and editing it.
const EDIT_AFTER: std::time::Duration = std::time::Duration::from_millis(500);
/// How long a client may take to send the body once its headers are in.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);
/// Interaction ids remembered for replay protection: a signed request is valid while its
/// timestamp is within ±[`MAX_SKEW_SECS`] of now, so at most twice that after it was first seen.
const REPLAY_WINDOW: std::time::Duration = std::time::Duration::from_secs(2 * MAX_SKEW_SECS as u64);
/// At most this many ids are remembered (a few megabytes).
const REPLAY_CAPACITY: usize = 100_000;

struct Endpoint {
    app: App,
    verifier: Verifier,
    replays: Replays,
    /// REST client for editing deferred responses.
    http: Arc<Http>,
    /// Deferred work still running, awaited at shutdown.
    pending: Mutex<Vec<JoinHandle<()>>>,
}

/// A verifier for the hex public key, or why the key is unusable.
pub fn verifier(public_key: &str) -> Result<Verifier> {
    let mut bytes = [0u8; 32];
    if public_key.len() != 64 {
        anyhow::bail!("DISCORD_PUBLIC_KEY: must be 64 hexadecimal characters");
    }
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&public_key[2 * i..2 * i + 2], 16)
            .context("DISCORD_PUBLIC_KEY: not hexadecimal")?;
    }
    Verifier::try_new(bytes)
        .map_err(|_| anyhow::anyhow!("DISCORD_PUBLIC_KEY: not a valid Ed25519 public key"))
}

/// The router, for `run` and for tests that serve it themselves.
fn router(endpoint: Arc<Endpoint>) -> Router {
    Router::new()
        .route("/interactions", post(interactions))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(endpoint.clone())
        .merge(super::ops::router(endpoint.app.clone()))
}

/// Serves the endpoint on `listener` until `shutdown` resolves; requests already accepted and
/// deferred work both finish before it returns.
pub async fn run(app: App, listener: TcpListener, shutdown: Shutdown) -> Result<()> {
    let key = app
        .settings
        .public_key
        .clone()
        .context("DISCORD_PUBLIC_KEY: missing")?;
    let verifier = verifier(&key)?;
    let mut http = HttpBuilder::new(app.settings.token.as_ref().map_or("", |t| t.expose()));
    if let Some(proxy) = &app.settings.api_proxy {
        http = http.proxy(proxy.as_str()).ratelimiter_disabled(true);
    }
    if let Some(id) = app.settings.application_id {
        http = http.application_id(id.into());
    }
    let http = http.build();
    if app.settings.token.is_some() {
        super::read_owners(&app, &http).await;
    } else {
        info!("no DISCORD_TOKEN: the application's owners are not known, only moderators are");
    }
    let endpoint = Arc::new(Endpoint {
        app,
        verifier,
        replays: Replays::new(REPLAY_WINDOW, REPLAY_CAPACITY),
        http: Arc::new(http),
        pending: Mutex::new(Vec::new()),
    });
    let addr = listener.local_addr()?;
    let files = connections::raise_open_file_limit();
    let limits = Limits::default().within(files.soft);
    info!(
        %addr,
        max_connections = limits.max_connections,
        max_per_peer = limits.max_per_peer,
        open_files = files.soft,
        "HTTP interactions endpoint listening"
    );
    connections::serve(listener, router(endpoint.clone()), limits, shutdown).await;
    let pending: Vec<JoinHandle<()>> =
        std::mem::take(&mut *endpoint.pending.lock().unwrap_or_else(|e| e.into_inner()));
    for task in pending {
        let _ = task.await;
    }
    info!("HTTP endpoint stopped");
    Ok(())
}

fn problem(status: StatusCode, message: &str) -> Response {
    json(
        status,
        serde_json::json!({ "error": message })
            .to_string()
            .into_bytes(),
    )
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Checks the signature headers against the body; `Err` says why, for the log.
fn verify(endpoint: &Endpoint, headers: &HeaderMap, body: &[u8]) -> Result<(), &'static str> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(signature), Some(timestamp)) = (
        header("x-signature-ed25519"),
        header("x-signature-timestamp"),
    ) else {
        return Err("missing signature headers");
    };
    let Ok(sent) = timestamp.trim().parse::<i64>() else {
        return Err("malformed timestamp");
    };
    if (now_secs() - sent).abs() > MAX_SKEW_SECS {
        return Err("stale timestamp");
    }
    endpoint
        .verifier
        .verify(signature, timestamp, body)
        .map_err(|()| "bad signature")
}

/// `POST /interactions`: the body is read within [`BODY_TIMEOUT`] (and [`MAX_BODY`]), then
/// handled in a task of its own, so that a panic answers 500 instead of dropping the
/// connection.
async fn interactions(
    State(endpoint): State<Arc<Endpoint>>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let body = match tokio::time::timeout(BODY_TIMEOUT, Bytes::from_request(request, &())).await {
        Ok(Ok(body)) => body,
        Ok(Err(rejection)) => return rejection.into_response(),
        Err(_) => {
            info!("request body too slow; closed");
            return problem(
                StatusCode::REQUEST_TIMEOUT,
                "the request body took too long",
            );
        }
    };
    match tokio::spawn(handle(endpoint, headers, body)).await {
        Ok(response) => response,
        Err(err) => {
            error!(error = %err, "handling an interaction failed");
            problem(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

async fn handle(endpoint: Arc<Endpoint>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(why) = verify(&endpoint, &headers, &body) {
        warn!(reason = why, "rejected an unsigned or badly signed request");
        return problem(StatusCode::UNAUTHORIZED, "invalid request signature");
    }
    let interaction: Interaction = match serde_json::from_slice(&body) {
        Ok(interaction) => interaction,
        Err(err) => {
            let kind = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("type").and_then(serde_json::Value::as_u64));
            let message = match kind {
                None => "the body is not an interaction".to_string(),
                Some(kind @ 1..=5) => format!("interaction of type {kind} is malformed"),
                Some(kind) => format!("unknown interaction type {kind}"),
            };
            // serde's message can quote the offending value: only an excerpt.
            info!(error = %excerpt(&err.to_string(), LOG_EXCERPT), "rejected a malformed interaction");
            return problem(StatusCode::BAD_REQUEST, &message);
        }
    };
    if let Interaction::Ping(_) = interaction {
        return json(StatusCode::OK, br#"{"type":1}"#.to_vec());
    }
    let Some((id, token)) = id_and_token(&interaction) else {
        info!("rejected an interaction without a usable token");
        return problem(StatusCode::BAD_REQUEST, "interaction without a valid token");
    };
    if let Some(ours) = endpoint.app.settings.application_id
        && application_of(&interaction) != Some(ours)
    {
        info!("rejected an interaction for another application");
        return problem(
            StatusCode::BAD_REQUEST,
            "interaction for another application",
        );
    }
    if !endpoint.replays.first_time(id.get()) {
        warn!(interaction = id.get(), "rejected a replayed interaction");
        return problem(StatusCode::UNAUTHORIZED, "interaction already handled");
    }
    let Some(outcome) = decide_off_thread(&endpoint.app, interaction, Transport::Http).await else {
        return problem(StatusCode::BAD_REQUEST, "unsupported interaction type");
    };
    let response = match outcome {
        Decision::Respond(response) => response,
        Decision::Defer(request) => {
            let deferral = interaction::defer(&request);
            let task = tokio::spawn(edit_deferred(endpoint.clone(), request, token));
            let mut pending = endpoint.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending.retain(|t| !t.is_finished());
            pending.push(task);
            deferral
        }
    };
    match serde_json::to_vec(&response) {
        Ok(body) => json(StatusCode::OK, body),
        Err(err) => {
            error!(error = %err, "cannot serialise a response");
            problem(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        }
    }
}

/// The application an interaction is for.
fn application_of(interaction: &Interaction) -> Option<u64> {
    let id = match interaction {
        Interaction::Command(c) | Interaction::Autocomplete(c) => c.application_id,
        Interaction::Component(c) => c.application_id,
        Interaction::Modal(m) => m.application_id,
        _ => return None,
    };
    Some(id.get())
}

/// Runs a deferred request and edits the deferral with the result: the one REST call of this
/// endpoint, `PATCH /webhooks/{application}/{token}/messages/@original`, with a token that
/// [`Token::parse`] accepted.
async fn edit_deferred(
    endpoint: Arc<Endpoint>,
    request: crate::bot::command::Request,
    token: Token,
) {
    // Discord must have our deferral before the edit can find it.
    let earliest = tokio::time::Instant::now() + EDIT_AFTER;
    finish(
        &endpoint.app,
        request,
        &endpoint.http,
        token.as_str(),
        earliest,
    )
    .await;
}
