//! What an operator asks a running process: `GET /healthz` (alive), `GET /readyz` (able to
//! answer: index open, model loaded, database reachable when configured, gateway shards
//! connected; 503 with the reason otherwise) and `GET /metrics` (Prometheus text format). On
//! the HTTP endpoint's address, and in gateway mode on `DOSSIER_METRICS_ADDR`. None of them
//! shows a secret: only counts, times, the generation and check results.

use anyhow::{Context as _, Result};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use tokio::net::TcpListener;
use tracing::{info, warn};

use super::Shutdown;
use crate::bot::App;
use crate::bot::metrics::CONTENT_TYPE;

/// The three routes, for the HTTP endpoint's router or a listener of their own.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(app)
}

/// Serves the routes on `listener` until `shutdown` (gateway mode, `DOSSIER_METRICS_ADDR`).
pub async fn serve(app: App, listener: TcpListener, shutdown: Shutdown) -> Result<()> {
    let addr = listener.local_addr()?;
    info!(%addr, "health and metrics listening");
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown)
        .await
        .context("the health and metrics listener failed")
}

fn json_response(status: StatusCode, body: serde_json::Value) -> Response {
    json(status, body.to_string().into_bytes())
}

async fn healthz(State(app): State<App>) -> Response {
    let info = app.engine.info();
    json_response(
        StatusCode::OK,
        json!({
            "status": "ok",
            "built_at": info.built_at,
            "documents": info.documents.len(),
            "paragraphs": info.paragraphs,
            "events": info.events,
            "version": info.version,
        }),
    )
}

/// Each check's result, and whether all passed.
pub fn readiness(app: &App) -> (bool, serde_json::Value) {
    let info = app.engine.info();
    let mut problems = Vec::new();
    let index = if info.documents.is_empty() {
        problems.push("the index holds no documents");
        "empty"
    } else {
        "open"
    };
    let database = match app.database_reachable() {
        None => "not configured".to_string(),
        Some(Ok(())) => "reachable".to_string(),
        Some(Err(err)) => {
            problems.push("the database is unreachable");
            format!("unreachable: {err}")
        }
    };
    let gateway = match app.metrics.shard_counts() {
        (0, _) => "not in gateway mode".to_string(),
        (total, connected) => {
            if connected < total {
                problems.push("gateway shards are not all connected");
            }
            format!("{connected}/{total} shards connected")
        }
    };
    let ready = problems.is_empty();
    let body = json!({
        "ready": ready,
        "reason": (!ready).then(|| problems.join("; ")),
        "generation": {"built_at": info.built_at, "data_hash": info.data_hash},
        "checks": {
            "index": index,
            // An engine exists only with its model loaded (start-up stops otherwise).
            "model": "loaded",
            "database": database,
            "gateway": gateway,
        },
    });
    (ready, body)
}

async fn readyz(State(app): State<App>) -> Response {
    // The database check waits for the store thread (at most a few seconds).
    let checked = tokio::task::spawn_blocking(move || readiness(&app)).await;
    match checked {
        Ok((true, body)) => json_response(StatusCode::OK, body),
        Ok((false, body)) => {
            warn!(reason = %body["reason"], "not ready");
            json_response(StatusCode::SERVICE_UNAVAILABLE, body)
        }
        Err(_) => json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"ready": false, "reason": "the readiness check failed"}),
        ),
    }
}

async fn metrics(State(app): State<App>) -> Response {
    let generation = app.engine.info().built_at;
    let text = app.metrics.encode(generation, app.dropped_log_rows());
    let mut response = (StatusCode::OK, text).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    response
}

/// A JSON response (this endpoint's and the operator's routes').
pub(super) fn json(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
