//! A fake Discord on 127.0.0.1 for the real serenity client and the HTTP endpoint: REST
//! routes (axum) that record every request, and a WebSocket gateway (tokio-tungstenite)
//! that says HELLO, answers heartbeats, sends READY and dispatches interactions on demand.
//! Fixture builders make interactions serenity 0.12.5 accepts.
#![allow(dead_code)] // each test binary uses part of it

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

mod payloads;
mod signed;
pub use payloads::*;
pub use signed::*;

pub const APP_ID: &str = "222222222222222222";
pub const GUILD_ID: &str = "666666666666666666";
/// Manage Server.
pub const MANAGE_GUILD: &str = "32";
/// Administrator.
pub const ADMINISTRATOR: &str = "8";
/// The application's owner, as `GET /oauth2/applications/@me` says.
pub const OWNER_ID: &str = "999999999999999999";

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// The JSON body, or a multipart body's `payload_json`.
    pub body: Value,
    /// A multipart body's files: (file name, bytes).
    pub files: Vec<(String, Vec<u8>)>,
}

#[derive(Default)]
struct State {
    requests: Mutex<Vec<Recorded>>,
    /// What `GET /attachments/{n}/{name}` serves: Discord's CDN, for attachments.
    hosted: Mutex<Vec<Vec<u8>>>,
    identifies: Mutex<Vec<Value>>,
    sessions: Mutex<Vec<mpsc::UnboundedSender<String>>>,
    seq: AtomicU64,
    /// Milliseconds Discord takes to answer an edit of a deferred reply (0: at once).
    edit_delay_ms: AtomicU64,
    /// The shard count `GET /gateway/bot` recommends (0: one).
    recommended_shards: AtomicU64,
}

pub struct FakeDiscord {
    pub rest: String,
    pub gateway: String,
    state: Arc<State>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn next() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

impl FakeDiscord {
    pub async fn start() -> FakeDiscord {
        let state = Arc::new(State::default());
        let ws = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let gateway = format!("ws://{}", ws.local_addr().unwrap());
        let rest_listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let rest = format!("http://{}", rest_listener.local_addr().unwrap());

        let st = state.clone();
        let gw = gateway.clone();
        let router = Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let st = st.clone();
                let gw = gw.clone();
                async move {
                    let delay = st.edit_delay_ms.load(Ordering::Relaxed);
                    if method == Method::PATCH && uri.path().ends_with("/messages/@original") {
                        tokio::time::sleep(Duration::from_millis(delay)).await;
                    }
                    rest_route(&st, &gw, method, uri, &headers, body)
                }
            },
        );
        tokio::spawn(async move {
            axum::serve(rest_listener, router).await.unwrap();
        });

        let st = state.clone();
        let gw = gateway.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = ws.accept().await {
                let st = st.clone();
                let gw = gw.clone();
                tokio::spawn(async move {
                    if let Ok(socket) = tokio_tungstenite::accept_async(stream).await {
                        session(st, gw, socket).await;
                    }
                });
            }
        });
        FakeDiscord {
            rest,
            gateway,
            state,
        }
    }

    /// Waits for an IDENTIFY and returns its payload.
    pub async fn identified(&self, timeout: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(v) = self.state.identifies.lock().unwrap().first() {
                return Some(v.clone());
            }
            if tokio::time::Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Dispatches INTERACTION_CREATE with `d` to the first gateway session.
    pub fn send_interaction(&self, d: &Value) {
        let s = self.state.seq.fetch_add(1, Ordering::Relaxed) + 2;
        let frame = json!({"op": 0, "t": "INTERACTION_CREATE", "s": s, "d": d}).to_string();
        let sessions = self.state.sessions.lock().unwrap();
        sessions
            .first()
            .expect("a gateway session")
            .send(frame)
            .unwrap();
    }

    /// Serves `bytes` as an attachment named `name`; its URL, as Discord's CDN would give it.
    pub fn host_file(&self, name: &str, bytes: &[u8]) -> String {
        let mut hosted = self.state.hosted.lock().unwrap();
        hosted.push(bytes.to_vec());
        format!("{}/attachments/{}/{name}", self.rest, hosted.len() - 1)
    }

    /// From now on, Discord takes `delay` to answer (and record) an edit of a deferred reply.
    pub fn slow_edits(&self, delay: Duration) {
        self.state
            .edit_delay_ms
            .store(delay.as_millis() as u64, Ordering::Relaxed);
    }

    /// From now on, `GET /gateway/bot` recommends `shards` shards to an autosharded client.
    pub fn recommend_shards(&self, shards: u64) {
        self.state
            .recommended_shards
            .store(shards, Ordering::Relaxed);
    }

    /// How many sessions have identified so far.
    pub fn identifies(&self) -> usize {
        self.state.identifies.lock().unwrap().len()
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().clone()
    }

    /// Waits for a recorded REST request matching `pred`.
    pub async fn wait_request(
        &self,
        pred: impl Fn(&Recorded) -> bool,
        timeout: Duration,
    ) -> Option<Recorded> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(r) = self.requests().into_iter().find(|r| pred(r)) {
                return Some(r);
            }
            if tokio::time::Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The edit of the deferred response of the interaction with `token` with the reply (not
    /// one showing a reindex's progress).
    pub async fn edited(&self, token: &str) -> Recorded {
        self.edited_within(token, Duration::from_secs(20)).await
    }

    /// [`FakeDiscord::edited`], waiting at most `timeout` (a long reindex).
    pub async fn edited_within(&self, token: &str, timeout: Duration) -> Recorded {
        let suffix = format!("/webhooks/{APP_ID}/{token}/messages/@original");
        self.wait_request(
            |r| r.method == "PATCH" && r.path.ends_with(&suffix) && !is_progress(r),
            timeout,
        )
        .await
        .expect("the deferred reply was edited")
    }

    /// Every edit of the deferred response of the interaction with `token`, in order.
    pub fn edits(&self, token: &str) -> Vec<Recorded> {
        let suffix = format!("/webhooks/{APP_ID}/{token}/messages/@original");
        self.requests()
            .into_iter()
            .filter(|r| r.method == "PATCH" && r.path.ends_with(&suffix))
            .collect()
    }

    /// The callback POSTed for the interaction with `token`.
    pub async fn callback(&self, token: &str) -> Value {
        let suffix = format!("/{token}/callback");
        self.wait_request(
            |r| r.method == "POST" && r.path.ends_with(&suffix),
            Duration::from_secs(10),
        )
        .await
        .unwrap_or_else(|| panic!("no callback for {token}; requests: {:#?}", self.requests()))
        .body
    }
}

async fn session(
    state: Arc<State>,
    gateway: String,
    socket: tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>,
) {
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    let hello = json!({"op": 10, "d": {"heartbeat_interval": 41250}, "s": null, "t": null});
    if sink.send(Message::Text(hello.to_string())).await.is_err() {
        return;
    }
    let writer = tokio::spawn(async move {
        while let Some(frame) = rx.recv().await {
            if sink.send(Message::Text(frame)).await.is_err() {
                break;
            }
        }
    });
    while let Some(Ok(message)) = stream.next().await {
        let Message::Text(text) = message else {
            if matches!(message, Message::Close(_)) {
                break;
            }
            continue;
        };
        let Ok(payload) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        match payload["op"].as_u64() {
            Some(1) => {
                let _ = tx.send(json!({"op": 11, "d": null, "s": null, "t": null}).to_string());
            }
            Some(2) => {
                let shard = payload["d"]["shard"].clone();
                state.identifies.lock().unwrap().push(payload["d"].clone());
                state.sessions.lock().unwrap().push(tx.clone());
                let ready = json!({"op": 0, "t": "READY", "s": 1, "d": {
                    "v": 10,
                    "user": {"id": "111111111111111111", "username": "fakebot", "discriminator": "0", "bot": true},
                    "guilds": [], "session_id": "s1", "resume_gateway_url": gateway,
                    "shard": if shard.is_null() { json!([0, 1]) } else { shard },
                    "application": {"id": APP_ID, "flags": 0}
                }});
                let _ = tx.send(ready.to_string());
            }
            _ => {}
        }
    }
    writer.abort();
}

fn message_json(body: &Value) -> Value {
    json!({
        "id": next().to_string(), "channel_id": "555555555555555555",
        "author": {"id": "111111111111111111", "username": "fakebot", "discriminator": "0", "bot": true},
        "content": body.get("content").cloned().unwrap_or(json!("")),
        "timestamp": "2026-01-01T00:00:00.000000+00:00", "tts": false, "mention_everyone": false,
        "mentions": [], "mention_roles": [], "attachments": [],
        "embeds": body.get("embeds").cloned().unwrap_or(json!([])),
        "pinned": false, "type": 0
    })
}

/// The parts of a `multipart/form-data` body: (name, file name, bytes). Enough of RFC 7578
/// for what serenity sends.
fn multipart(content_type: &str, body: &[u8]) -> Vec<(String, Option<String>, Vec<u8>)> {
    let Some(boundary) = content_type.split("boundary=").nth(1) else {
        return Vec::new();
    };
    let delimiter = format!("--{}", boundary.trim_matches('"'));
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        hay[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    };
    let mut parts = Vec::new();
    let mut at = find(body, delimiter.as_bytes(), 0);
    while let Some(start) = at {
        let head_start = start + delimiter.len() + 2;
        let Some(head_end) = find(body, b"\r\n\r\n", head_start) else {
            break;
        };
        let Some(next) = find(body, delimiter.as_bytes(), head_end) else {
            break;
        };
        let head = String::from_utf8_lossy(&body[head_start..head_end]).to_string();
        let value = |key: &str| {
            head.split(&format!("{key}=\""))
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(str::to_string)
        };
        let content = body[head_end + 4..next.saturating_sub(2)].to_vec();
        parts.push((
            value(" name").unwrap_or_default(),
            value("filename"),
            content,
        ));
        at = Some(next).filter(|n| !body[n + delimiter.len()..].starts_with(b"--"));
    }
    parts
}

/// Discord's REST API: a hosted attachment, or any other request recorded and routed by family.
fn rest_route(
    state: &State,
    gateway: &str,
    method: Method,
    uri: Uri,
    headers: &HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path();
    if method == Method::GET
        && let Some(rest) = path.strip_prefix("/attachments/")
    {
        return attachment(state, rest);
    }
    let (parsed, files) = request_body(headers, &body);
    state.requests.lock().unwrap().push(Recorded {
        method: method.to_string(),
        path: path.to_string(),
        body: parsed.clone(),
        files,
    });
    let p = path.trim_start_matches("/api/v10");
    match method.as_str() {
        "GET" => start_up_route(state, gateway, p),
        "PUT" if p.ends_with("/commands") => Some(registered_commands(&parsed)),
        "POST" | "PATCH" => interaction_route(method.as_str(), p, &parsed),
        _ => None,
    }
    .unwrap_or_else(|| {
        json_response(
            StatusCode::NOT_FOUND,
            json!({"message": "Unknown route", "code": 0}),
        )
    })
}

/// A request's JSON body, or a multipart body's `payload_json` and files.
fn request_body(headers: &HeaderMap, body: &[u8]) -> (Value, Vec<(String, Vec<u8>)>) {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !content_type.starts_with("multipart/form-data") {
        return (
            serde_json::from_slice(body).unwrap_or(Value::Null),
            Vec::new(),
        );
    }
    let parts = multipart(content_type, body);
    let payload = parts
        .iter()
        .find(|(name, _, _)| name == "payload_json")
        .and_then(|(_, _, bytes)| serde_json::from_slice(bytes).ok())
        .unwrap_or(Value::Null);
    let files = parts
        .into_iter()
        .filter_map(|(_, file, bytes)| file.map(|f| (f, bytes)))
        .collect();
    (payload, files)
}

/// Discord's CDN: the hosted attachment at `rest` (`{n}/{name}`), not recorded.
fn attachment(state: &State, rest: &str) -> Response {
    let n: usize = rest
        .split('/')
        .next()
        .unwrap_or("")
        .parse()
        .unwrap_or(usize::MAX);
    match state.hosted.lock().unwrap().get(n) {
        Some(bytes) => (StatusCode::OK, bytes.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `v` as a JSON response with `status`.
fn json_response(status: StatusCode, v: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        v.to_string(),
    )
        .into_response()
}

/// What a client GETs as it starts: the gateway and its shard count, the application, the bot.
fn start_up_route(state: &State, gateway: &str, p: &str) -> Option<Response> {
    let body = match p {
        "/gateway" => json!({"url": gateway}),
        "/gateway/bot" => {
            let shards = state.recommended_shards.load(Ordering::Relaxed).max(1);
            json!({"url": gateway, "shards": shards, "session_start_limit":
                {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
        }
        "/oauth2/applications/@me" => {
            json!({"id": APP_ID, "name": "dossier", "icon": null, "description": "",
                   "bot_public": true, "bot_require_code_grant": false, "verify_key": "",
                   "owner": {"id": OWNER_ID, "username": "owner", "discriminator": "0"},
                   "team": null})
        }
        "/users/@me" => {
            json!({"id": "111111111111111111", "username": "fakebot", "discriminator": "0",
                   "bot": true})
        }
        _ => return None,
    };
    Some(json_response(StatusCode::OK, body))
}

/// A command registration, the commands PUT echoed back as Discord stores them.
fn registered_commands(parsed: &Value) -> Response {
    let echoed: Vec<Value> = parsed
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|mut c| {
            c["id"] = json!(next().to_string());
            c["application_id"] = json!(APP_ID);
            c["version"] = json!("1");
            if c.get("type").is_none() {
                c["type"] = json!(1);
            }
            if c.get("description").is_none() {
                c["description"] = json!("");
            }
            c
        })
        .collect();
    json_response(StatusCode::OK, Value::Array(echoed))
}

/// An interaction's callback, and the webhook messages that send and edit its replies.
fn interaction_route(method: &str, p: &str, parsed: &Value) -> Option<Response> {
    if method == "POST" && p.starts_with("/interactions/") && p.ends_with("/callback") {
        Some(StatusCode::NO_CONTENT.into_response())
    } else if p.starts_with("/webhooks/") {
        Some(json_response(StatusCode::OK, message_json(parsed)))
    } else {
        None
    }
}

/// An edit showing a reindex's progress ("⏳ Indexing… 30 % encoded (48 of 160 …)").
pub fn is_progress(edit: &Recorded) -> bool {
    edit.body["content"]
        .as_str()
        .is_some_and(|c| c.starts_with("⏳ Indexing…"))
}
