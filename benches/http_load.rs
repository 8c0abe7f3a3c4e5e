//! Load tool for the HTTP interactions endpoint: starts `dossier serve --http`'s server
//! in-process on 127.0.0.1:0, then keeps `CONNECTIONS` keep-alive connections busy with
//! pre-signed `/ask` interactions for `SECONDS`, and prints throughput and latency
//! percentiles. Client and server share this machine.
//!
//! `cargo bench --bench http_load` (env: `CONNECTIONS`, default 4; `SECONDS`, default 10;
//! `QUESTIONS`, `repeated` (default: the 30 dev questions round robin, answered from the cache
//! after their first time) or `distinct` (every request a new question text, so every answer
//! encodes its question); `LOG=on` attaches the question log (SQLite in a temporary file), so
//! every answer is logged and carries vote buttons. Every interaction has its own id: the
//! endpoint refuses replays. Meanwhile a probe asks `GET /healthz` every 10 ms on its own
//! connection: how fast the server answers what needs no engine while the engine is busy.
//!
//! `SCENARIO=worst cargo bench --bench http_load`: issue 28's worst case instead (see
//! [`worst`]): four users sending the costliest follow-up, a moderator listing `/gaps` over
//! 6,000 logged questions, two users voting, while one user asks new questions and one a
//! repeated question, and `/healthz` and `/readyz` are probed.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use dossier::bot::App;
use dossier::bot::feedback::Feedback;
use dossier::bot::transport::http;
use dossier::config::{CooldownRule, Settings};
use dossier::search::Engine;
use dossier::store::{Store, UserHasher};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod common;
use common::{questions, variant};
#[path = "../tests/integration/fake_discord/mod.rs"]
mod fake_discord;
#[path = "http_load/worst.rs"]
mod worst;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `n` complete HTTP/1.1 requests, each with its own interaction id, signed once up front.
fn requests(key: &SigningKey, n: usize, distinct: bool) -> Vec<Vec<u8>> {
    let questions = questions(&["tests/eval/dev.jsonl"]);
    let ts = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    (0..n)
        .map(|i| {
            let base = &questions[i % questions.len()];
            let q = if distinct {
                variant(base, i + 1)
            } else {
                base.clone()
            };
            let body = json!({
                "id": format!("{}", 700000000000000000u64 + i as u64),
                "application_id": "222222222222222222", "type": 2, "token": format!("tok-{i}"),
                "version": 1, "guild_id": "666666666666666666", "channel_id": "555555555555555555",
                "member": {"user": {"id": format!("{}", 800000000000000000u64 + i as u64),
                    "username": "load", "discriminator": "0", "avatar": null},
                    "roles": [], "joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": false,
                    "mute": false, "flags": 0, "permissions": "0"},
                "locale": "en-US", "entitlements": [], "attachment_size_limit": 10485760,
                "data": {"id": "900000000000000000", "name": "ask", "type": 1,
                    "options": [{"name": "question", "type": 3, "value": q}]}
            })
            .to_string();
            let signature = hex(&key.sign(format!("{ts}{body}").as_bytes()).to_bytes());
            format!(
                "POST /interactions HTTP/1.1\r\nhost: bench\r\ncontent-type: application/json\r\n\
                 x-signature-ed25519: {signature}\r\nx-signature-timestamp: {ts}\r\n\
                 content-length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        })
        .collect()
}

/// Reads one response; returns its status code.
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> u16 {
    buf.clear();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let status: u16 = head[9..12].parse().unwrap_or(0);
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await.expect("read");
                assert!(n > 0, "connection closed");
                buf.extend_from_slice(&chunk[..n]);
            }
            return status;
        }
        let n = stream.read(&mut chunk).await.expect("read");
        assert!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn main() {
    if std::env::var("SCENARIO").is_ok_and(|v| v == "worst") {
        let seconds = env_or("SECONDS", 20);
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(worst::run(seconds));
        return;
    }
    let connections = env_or("CONNECTIONS", 4) as usize;
    let seconds = env_or("SECONDS", 10);
    let distinct = std::env::var("QUESTIONS").is_ok_and(|v| v == "distinct");
    // More than the endpoint can answer in the time: answers from the cache take well under 0.1 ms.
    let count = (seconds as usize) * if distinct { 2_000 } else { 20_000 };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(load(connections, seconds, distinct, count));
}

/// The app over `engine` that `key` signs for, no one rate-limited, logging every question in
/// the SQLite file `log` if given.
fn app(key: &SigningKey, engine: Engine, log: Option<PathBuf>) -> App {
    let settings = Settings {
        public_key: Some(hex(key.verifying_key().as_bytes())),
        application_id: Some(222222222222222222),
        cooldown: CooldownRule {
            commands: u32::MAX,
            window: Duration::from_secs(1),
        },
        ..Settings::default()
    };
    let mut app = App::new(Arc::new(engine), settings);
    if let Some(path) = log {
        app = app.with_feedback(Feedback {
            store: Store::open(path.to_str().unwrap()).unwrap(),
            hasher: UserHasher::new(b"bench"),
            log_questions: true,
        });
    }
    app
}

/// Sends `count` pre-signed `/ask` interactions over `connections` keep-alive connections for
/// `seconds` while probing `/healthz`, and prints throughput and latency percentiles.
async fn load(connections: usize, seconds: u64, distinct: bool, count: usize) {
    let key = SigningKey::from_bytes(&[7; 32]);
    let (engine, _index) = common::fixtures::article_engine();
    let database = tempfile::tempdir().unwrap();
    let logging = std::env::var("LOG").is_ok_and(|v| v == "on");
    let app = app(
        &key,
        engine,
        logging.then(|| database.path().join("dossier.db")),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(http::run(app, listener, Box::pin(std::future::pending())));

    let requests = Arc::new(requests(&key, count, distinct));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let warmup = Instant::now() + Duration::from_secs(1);
    let mut tasks = Vec::new();
    for c in 0..connections {
        let requests = requests.clone();
        tasks.push(tokio::spawn(connection(
            addr,
            requests,
            c,
            connections,
            deadline,
            warmup,
        )));
    }
    let probe = tokio::spawn(probe_health(addr, deadline, warmup));
    let mut all = Vec::new();
    let mut failures = 0;
    for task in tasks {
        let (latencies, f, ran_out) = task.await.unwrap();
        assert!(!ran_out, "ran out of pre-signed requests; raise the count");
        all.extend(latencies);
        failures += f;
    }
    all.sort();
    let measured = seconds.saturating_sub(1).max(1) as f64;
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    let kind = if distinct { "distinct" } else { "repeated" };
    println!(
        "HTTP /interactions, signed /ask, {kind} questions, {connections} keep-alive connections, {measured} s measured, question log {}",
        if logging { "on" } else { "off" }
    );
    println!(
        "  {} answered, {failures} failed: {:.0} interactions/s; latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        all.len(),
        all.len() as f64 / measured,
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        all.last().unwrap().as_secs_f64() * 1e3,
    );
    let health = probe.await.unwrap();
    let at = |p: f64| health[((health.len() as f64 * p) as usize).min(health.len() - 1)];
    println!(
        "  meanwhile GET /healthz: {} probes, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        health.len(),
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        health.last().unwrap().as_secs_f64() * 1e3,
    );
}

/// Sends every `connections`-th of `requests` from the `c`-th on, over one keep-alive connection
/// to `addr` until `deadline`: the latencies and failures (not 200) from `warmup` on, and
/// whether the requests ran out.
async fn connection(
    addr: SocketAddr,
    requests: Arc<Vec<Vec<u8>>>,
    c: usize,
    connections: usize,
    deadline: Instant,
    warmup: Instant,
) -> (Vec<Duration>, u64, bool) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let mut buf = Vec::with_capacity(16 * 1024);
    let mut latencies = Vec::new();
    let mut failures = 0u64;
    let mut i = c;
    while Instant::now() < deadline && i < requests.len() {
        let started = Instant::now();
        stream.write_all(&requests[i]).await.unwrap();
        let status = read_response(&mut stream, &mut buf).await;
        if started >= warmup {
            latencies.push(started.elapsed());
            failures += u64::from(status != 200);
        }
        i += connections;
    }
    (latencies, failures, i >= requests.len())
}

/// Asks `addr` for `GET /healthz` every 10 ms on its own connection until `deadline`: the
/// latencies from `warmup` on, sorted.
async fn probe_health(addr: SocketAddr, deadline: Instant, warmup: Instant) -> Vec<Duration> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let mut buf = Vec::new();
    let mut latencies = Vec::new();
    while Instant::now() < deadline {
        let started = Instant::now();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nhost: bench\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(read_response(&mut stream, &mut buf).await, 200);
        if started >= warmup {
            latencies.push(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    latencies.sort();
    latencies
}
