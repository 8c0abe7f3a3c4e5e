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

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use dossier::bot::App;
use dossier::bot::feedback::Feedback;
use dossier::bot::transport::http;
use dossier::config::{CooldownRule, Settings};
use dossier::store::{Store, UserHasher};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod common;
use common::{questions, variant};
#[path = "../tests/integration/fake_discord/mod.rs"]
mod fake_discord;

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
            .block_on(worst(seconds));
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
    runtime.block_on(async move {
        let key = SigningKey::from_bytes(&[7; 32]);
        let (engine, _index) = common::fixtures::article_engine();
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
        let database = tempfile::tempdir().unwrap();
        let logging = std::env::var("LOG").is_ok_and(|v| v == "on");
        if logging {
            let path = database.path().join("dossier.db");
            app = app.with_feedback(Feedback {
                store: Store::open(path.to_str().unwrap()).unwrap(),
                hasher: UserHasher::new(b"bench"),
                log_questions: true,
            });
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(http::run(app, listener, Box::pin(std::future::pending())));

        let requests = Arc::new(requests(&key, count, distinct));
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let warmup = Instant::now() + Duration::from_secs(1);
        let mut tasks = Vec::new();
        for c in 0..connections {
            let requests = requests.clone();
            tasks.push(tokio::spawn(async move {
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
            }));
        }
        let probe = tokio::spawn(async move {
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
        });
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
    });
}

/// Percentiles of `v` (sorted here): "p50 …, p99 …, max …" in milliseconds.
fn spread(v: &mut [Duration]) -> String {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let at = |p: f64| ms(v[((v.len() as f64 * p) as usize).min(v.len() - 1)]);
    format!(
        "{} requests, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        v.len(),
        at(0.5),
        at(0.99),
        v.last().map_or(0.0, |d| ms(*d))
    )
}

/// Logs `n` distinct unanswered questions, as `/gaps` will find them, and waits until they
/// are written.
fn seed(store: &Store, n: i64) {
    common::log_all(store, dossier::store::now(), n, 512, |i| {
        (common::unanswered(i), dossier::store::Outcome::Abstained)
    });
}

/// Issue 28's worst case, for `seconds`: the endpoint in-process (the question log in SQLite,
/// 6,000 unanswered questions logged beforehand; deferred replies go to a fake Discord on
/// loopback), and at once
/// - four users each sending, again and again, a follow-up to a question full of short names
///   (the costliest follow-up: it is rewritten the most);
/// - a moderator asking for `/gaps` every 200 ms (each groups the 6,000 questions);
/// - two users pressing 👍/👎 on a logged answer without pause;
/// - one user asking a new question every 100 ms, and one a repeated question every 20 ms;
/// - `GET /healthz` every 10 ms and `GET /readyz` every 100 ms.
///
/// Prints each one's latency percentiles and failures, and the votes stored.
async fn worst(seconds: u64) {
    use fake_discord::{APP_ID, GUILD_ID, MANAGE_GUILD, token};
    let fake = fake_discord::FakeDiscord::start().await;
    let database = tempfile::tempdir().unwrap();
    let store = Store::open(database.path().join("dossier.db").to_str().unwrap()).unwrap();
    let seeding = Instant::now();
    seed(&store, 6_000);
    println!(
        "6,000 questions logged in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );
    let (engine, _index) = common::fixtures::article_engine();
    let settings = Settings {
        public_key: Some(fake_discord::public_key_hex()),
        application_id: APP_ID.parse().ok(),
        api_proxy: Some(fake.rest.clone()),
        admin_guilds: vec![GUILD_ID.parse().unwrap()],
        cooldown: CooldownRule {
            commands: u32::MAX,
            window: Duration::from_secs(1),
        },
        ..Settings::default()
    };
    let app = App::new(Arc::new(engine), settings).with_feedback(Feedback {
        store: store.clone(),
        hasher: UserHasher::new(b"bench"),
        log_questions: true,
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(http::run(app, listener, Box::pin(std::future::pending())));

    let client = reqwest::Client::new();
    let post = {
        let (client, url) = (client.clone(), url.clone());
        move |body: serde_json::Value| {
            let (client, url) = (client.clone(), url.clone());
            async move {
                let bytes = body.to_string().into_bytes();
                let started = Instant::now();
                let (status, reply) =
                    fake_discord::post_signed(&client, &url, &bytes, fake_discord::now_secs())
                        .await;
                (status, reply, started.elapsed())
            }
        }
    };
    let ask = |q: &str| fake_discord::command(&token(), "ask", &[("question", json!(q))], "0", &[]);
    // A logged answer to vote on.
    let (_, answered, _) = post(ask("When did Russia lift its arms embargo on Pakistan?")).await;
    let vote_ids: Vec<String> = answered["data"]["components"][0]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b["custom_id"].as_str())
        .filter(|id| id.starts_with("f:"))
        .map(str::to_string)
        .collect();
    assert_eq!(
        vote_ids.len(),
        2,
        "👍 and 👎 under a logged answer: {answered}"
    );
    // Within a custom id's 100 characters, as the button under an answer carries it.
    let earlier =
        "Did Putin, Sharif, Modi, Obama, Xi, Khan, Lavrov, Kerry or Zardari meet in Ufa or Moscow?";
    let (_, probe, _) = post(fake_discord::form_submit(
        &token(),
        &format!("a:{earlier}"),
        "and what about India?",
    ))
    .await;
    assert!(
        probe["data"]["embeds"].is_array(),
        "a follow-up is answered: {probe}"
    );
    let form = fake_discord::form_submit; // (token, custom_id, typed)
    let deadline = Instant::now() + Duration::from_secs(seconds);
    type Task = tokio::task::JoinHandle<(Vec<Duration>, usize)>;
    // `body(i)`, every `pause`, until the deadline: latencies and failures (not 200 or `ok`).
    let repeat = |pause: Duration,
                  body: Box<dyn Fn(usize) -> serde_json::Value + Send>,
                  ok: fn(&serde_json::Value) -> bool|
     -> Task {
        let post = post.clone();
        tokio::spawn(async move {
            let (mut latencies, mut failures) = (Vec::new(), 0);
            let mut i = 0;
            while Instant::now() < deadline {
                let (status, reply, took) = post(body(i)).await;
                latencies.push(took);
                failures += usize::from(status != 200 || !ok(&reply));
                i += 1;
                tokio::time::sleep(pause).await;
            }
            (latencies, failures)
        })
    };
    let answered_now = |r: &serde_json::Value| r["type"] == 4 || r["type"] == 5;
    let mut followups = Vec::new();
    for user in 0..4 {
        followups.push(repeat(
            Duration::ZERO,
            Box::new(move |i| {
                form(
                    &token(),
                    &format!("a:{earlier}"),
                    // A new year each time: answered anew, never from the cache.
                    &format!(
                        "and what about India and China in {}?",
                        1000 + user * 2_500 + i
                    ),
                )
            }),
            answered_now,
        ));
    }
    let gaps = repeat(
        Duration::from_millis(200),
        Box::new(|_| fake_discord::command(&token(), "gaps", &[], MANAGE_GUILD, &[])),
        |r| r["type"] == 5,
    );
    let mut votes = Vec::new();
    for user in 0..2 {
        let ids = vote_ids.clone();
        votes.push(repeat(
            Duration::ZERO,
            Box::new(move |i| fake_discord::component(&token(), &ids[(i + user) % 2])),
            // 👍 is thanked, 👎 asks for a reason (a form); a vote not stored says so.
            |r| {
                let text = r.to_string();
                (r["type"] == 4 || r["type"] == 9)
                    && !text.contains("could not be stored")
                    && !text.contains("not in the log")
            },
        ));
    }
    let questions = questions(&["tests/eval/dev.jsonl"]);
    let new = repeat(
        Duration::from_millis(100),
        Box::new(move |i| ask(&variant(&questions[i % questions.len()], i + 1))),
        answered_now,
    );
    let cached = repeat(
        Duration::from_millis(20),
        Box::new(move |_| ask("When did Russia lift its arms embargo on Pakistan?")),
        answered_now,
    );
    let probe = |path: &'static str, pause: Duration| -> Task {
        let (client, url) = (client.clone(), url.clone());
        tokio::spawn(async move {
            let (mut latencies, mut failures) = (Vec::new(), 0);
            while Instant::now() < deadline {
                let started = Instant::now();
                let status = client
                    .get(format!("{url}{path}"))
                    .send()
                    .await
                    .map(|r| r.status());
                latencies.push(started.elapsed());
                failures += usize::from(!status.is_ok_and(|s| s.is_success()));
                tokio::time::sleep(pause).await;
            }
            (latencies, failures)
        })
    };
    let health = probe("/healthz", Duration::from_millis(10));
    let ready = probe("/readyz", Duration::from_millis(100));
    println!("issue 28's worst case, {seconds} s, the question log in SQLite:");
    let report = |name: &str, (mut latencies, failures): (Vec<Duration>, usize)| {
        println!("  {name}: {}; {failures} failed", spread(&mut latencies));
    };
    let mut all_followups = (Vec::new(), 0);
    for task in followups {
        let (l, f) = task.await.unwrap();
        all_followups.0.extend(l);
        all_followups.1 += f;
    }
    report("4 users' worst follow-ups", all_followups);
    report("/gaps over 6,000 questions (deferred)", gaps.await.unwrap());
    let mut all_votes = (Vec::new(), 0);
    for task in votes {
        let (l, f) = task.await.unwrap();
        all_votes.0.extend(l);
        all_votes.1 += f;
    }
    let pressed = all_votes.0.len();
    report("votes", all_votes);
    report("another user's new /ask", new.await.unwrap());
    report("a cached /ask", cached.await.unwrap());
    report("GET /healthz", health.await.unwrap());
    report("GET /readyz", ready.await.unwrap());
    let stored = store.figures(0).map_or(0, |f| f.up_votes + f.down_votes);
    println!(
        "  votes stored: {stored} (one user: each press replaces the last; {pressed} pressed)"
    );
    let edits = fake
        .requests()
        .iter()
        .filter(|r| r.path.contains("@original"))
        .count();
    println!("  deferred replies edited at the fake Discord: {edits}");
}
