//! The HTTP interactions endpoint, served for real on 127.0.0.1:0 and driven with signed
//! requests (test key: `SigningKey::from_bytes(&[7; 32])`), with a fake Discord REST server
//! receiving the edit of a deferred `/reindex`.

use crate::common;
use crate::fake_discord;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::fake_discord::FakeDiscord;
use dossier::bot::App;
use dossier::bot::transport::http;
use dossier::config::{CooldownRule, Settings};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{Value, json};

mod scenario;
mod shutdown;
use scenario::*;

struct Server {
    url: String,
    key: SigningKey,
    client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    _index: tempfile::TempDir,
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Server {
    async fn start(fake: &FakeDiscord) -> Server {
        Server::start_with(fake, std::path::Path::new("data")).await
    }

    async fn start_with(fake: &FakeDiscord, data: &std::path::Path) -> Server {
        let key = SigningKey::from_bytes(&[7; 32]);
        let (engine, index) = common::engine_over(data);
        let settings = Settings {
            public_key: Some(hex(key.verifying_key().as_bytes())),
            application_id: Some(fake_discord::APP_ID.parse().unwrap()),
            api_proxy: Some(fake.rest.clone()),
            admin_guilds: vec![fake_discord::GUILD_ID.parse().unwrap()],
            cooldown: CooldownRule {
                commands: 1000,
                window: Duration::from_secs(10),
            },
            ..Settings::default()
        };
        let app = App::new(Arc::new(engine), settings);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(http::run(
            app,
            listener,
            Box::pin(async move {
                let _ = stopped.await;
            }),
        ));
        Server {
            url,
            key,
            client: reqwest::Client::new(),
            stop: Some(stop),
            task,
            _index: index,
        }
    }

    async fn post(&self, body: &[u8], signature: Option<String>, timestamp: i64) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}/interactions", self.url))
            .header("content-type", "application/json")
            .body(body.to_vec());
        if let Some(signature) = signature {
            request = request
                .header("x-signature-ed25519", signature)
                .header("x-signature-timestamp", timestamp.to_string());
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    fn sign(&self, timestamp: i64, body: &[u8]) -> String {
        let message = [timestamp.to_string().as_bytes(), body].concat();
        hex(&self.key.sign(&message).to_bytes())
    }

    async fn signed(&self, body: &Value) -> (u16, Value) {
        let bytes = body.to_string().into_bytes();
        let ts = now();
        self.post(&bytes, Some(self.sign(ts, &bytes)), ts).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signatures_are_checked_before_anything_else() {
    let fake = FakeDiscord::start().await;
    let server = Server::start(&fake).await;
    let ping = json!({"id": "1", "application_id": fake_discord::APP_ID, "type": 1, "token": "t", "version": 1});
    assert_eq!(server.signed(&ping).await, (200, json!({"type": 1})));

    let body = ping.to_string().into_bytes();
    let ts = now();
    // Missing headers.
    assert_eq!(server.post(&body, None, ts).await.0, 401);
    // Signed by another key.
    let other = SigningKey::from_bytes(&[8; 32]);
    let forged = hex(&other
        .sign(&[ts.to_string().as_bytes(), &body].concat())
        .to_bytes());
    assert_eq!(server.post(&body, Some(forged), ts).await.0, 401);
    // Body changed after signing.
    let signature = server.sign(ts, &body);
    let tampered = ping.to_string().replace("\"t\"", "\"u\"").into_bytes();
    assert_eq!(
        server.post(&tampered, Some(signature.clone()), ts).await.0,
        401
    );
    // Garbage signature.
    assert_eq!(server.post(&body, Some("zz".into()), ts).await.0, 401);
    // Stale timestamp, correctly signed: a replay.
    let old = ts - 600;
    assert_eq!(
        server
            .post(&body, Some(server.sign(old, &body)), old)
            .await
            .0,
        401
    );

    // Oversize: 413, even though signed.
    let big = format!("{{\"pad\": \"{}\"}}", "x".repeat(70 * 1024)).into_bytes();
    assert_eq!(
        server.post(&big, Some(server.sign(ts, &big)), ts).await.0,
        413
    );
    // Validly signed but not an interaction: 400 with a clear message.
    for body in [&b"not json"[..], b"{\"type\": 99}", b"[]", b"{\"type\": 2}"] {
        let (status, reply) = server.post(body, Some(server.sign(ts, body)), ts).await;
        assert_eq!(status, 400, "{}", String::from_utf8_lossy(body));
        assert!(reply["error"].is_string());
    }
    let (status, reply) = server
        .post(
            b"{\"type\": 99}",
            Some(server.sign(ts, b"{\"type\": 99}")),
            ts,
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(reply["error"], "unknown interaction type 99");

    let health = reqwest::get(format!("{}/healthz", server.url))
        .await
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let health: Value = serde_json::from_slice(&health.bytes().await.unwrap()).unwrap();
    assert_eq!(health["paragraphs"], 40);
    assert_eq!(health["events"], 30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interactions_are_answered_like_on_the_gateway() {
    let fake = FakeDiscord::start().await;
    let mut server = Server::start(&fake).await;
    asks_from_a_message(&server).await;
    let reply = asks_hidden(&server).await;
    follows_up(&server, &reply).await;
    pages_through_the_timeline(&fake, &server).await;
    completes_topics(&server).await;
    reindexes_for_moderators_only(&fake, &server).await;
    shuts_down(&mut server).await;
}

/// A moderator's `/reindex` over bad data: the deferred (ephemeral) reply is edited with the
/// problem, naming the file, and the old index keeps answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reindex_of_bad_data_tells_the_moderator_and_keeps_answering() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    common::copy_data(dir.path());
    let server = Server::start_with(&fake, dir.path()).await;
    std::fs::write(dir.path().join("broken.txt"), b"\xff\xfe not text").unwrap();

    let token = fake_discord::token();
    let (_, deferral) = server.signed(&fake_discord::reindex(&token)).await;
    assert_eq!(deferral["type"], 5);
    assert_eq!(deferral["data"]["flags"], 64, "only the moderator sees it");
    let edit = fake.edited(&token).await;
    let content = edit.body["content"].as_str().unwrap();
    assert!(content.contains("not reindexed"), "{content}");
    assert!(
        content.contains("broken.txt") && content.contains("UTF-8"),
        "{content}"
    );
    let absolute = dir.path().display().to_string();
    assert!(
        !content.contains(&absolute),
        "a relative path only: {content}"
    );

    let ask = fake_discord::ask(
        &fake_discord::token(),
        "When did Russia lift its arms embargo on Pakistan?",
    );
    let (_, reply) = server.signed(&ask).await;
    assert_eq!(
        reply["data"]["embeds"][0]["fields"][0]["value"],
        "June 2014"
    );
}

/// A document with a `url` in its metadata: the answer's source and a "Source" link button
/// open the passage with a text fragment of its answer sentence; search hits link too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_link_to_the_passage_with_a_text_fragment() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    common::copy_data(&data);
    let meta = data.join("russia-pakistan-alliance.toml");
    let mut toml = std::fs::read_to_string(&meta).unwrap();
    toml.push_str("url = \"https://example.org/russia-pakistan\"\n");
    std::fs::write(&meta, toml).unwrap();
    let server = Server::start_with(&fake, &data).await;
    let ask = fake_discord::ask(
        &fake_discord::token(),
        "When did Russia lift its arms embargo on Pakistan?",
    );
    let (_, reply) = server.signed(&ask).await;
    let link = "https://example.org/russia-pakistan#:~:text=In%20June%202014%2C%20Russia%20lifts%20arms%20embargo";
    let source = reply["data"]["embeds"][0]["fields"][1]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(source.contains(&format!("]({link}")), "{source}");
    let buttons = reply["data"]["components"][0]["components"]
        .as_array()
        .unwrap()
        .clone();
    let button = buttons
        .iter()
        .find(|b| b["style"] == 5)
        .unwrap_or_else(|| panic!("a link button: {buttons:?}"));
    assert_eq!(button["label"], "Source");
    let url = button["url"].as_str().unwrap();
    assert!(url.starts_with(link) && url.len() <= 512, "{url}");
    assert!(button.get("custom_id").is_none(), "{button}");

    let search = fake_discord::command(
        &fake_discord::token(),
        "search",
        &[("query", json!("embargo"))],
        "0",
        &[],
    );
    let (_, reply) = server.signed(&search).await;
    assert!(
        reply
            .to_string()
            .contains("https://example.org/russia-pakistan#:~:text="),
        "{reply}"
    );
}
