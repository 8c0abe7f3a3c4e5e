//! What an operator sees: `/healthz`, `/readyz` and `/metrics` of a real `dossier serve --http`
//! process, the metrics read back by a Prometheus text-format parser, JSON log lines that
//! parse, and no secret in any of them; `/readyz` failing while PostgreSQL is down and
//! recovering after; a missing model stopping start-up before anything is served.

use crate::common;
use crate::fake_discord;

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use crate::fake_discord::{APP_ID, FakeDiscord};
use dossier::bot::App;
use dossier::bot::feedback::Feedback;
use dossier::bot::transport::ops;
use dossier::config::Settings;
use dossier::store::{Store, UserHasher};
use serde_json::Value;

/// A bot token of the right shape, which must never be shown anywhere.
const TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.SECRETTOKENPART.never-shown-anywhere";

async fn get(url: &str) -> (u16, String, String) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

/// The value of the sample `name` whose labels include `labels`, if any.
fn sample(scrape: &prometheus_parse::Scrape, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    scrape
        .samples
        .iter()
        .find(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .map(|s| match &s.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => *v,
            prometheus_parse::Value::Histogram(buckets) => buckets.last().map_or(0.0, |b| b.count),
            prometheus_parse::Value::Summary(_) => 0.0,
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_sees_health_readiness_metrics_and_json_logs() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let data = std::fs::canonicalize(common::DATA).unwrap();
    let bot = common::Served::start(dir.path(), |command| {
        command
            .env("DOSSIER_DATA", &data)
            .env("DOSSIER_INDEX", dir.path().join("index"))
            .env("DOSSIER_DATABASE", dir.path().join("dossier.db"))
            .env("DISCORD_TOKEN", TOKEN)
            .env("DISCORD_PUBLIC_KEY", fake_discord::public_key_hex())
            .env("DISCORD_APPLICATION_ID", APP_ID)
            .env("DISCORD_API_PROXY", &fake.rest)
            .env("DOSSIER_COOLDOWN", "2/60")
            .env("RUST_LOG", "debug");
    });
    let shown = asks_past_the_cooldown(&bot.url).await;
    let (health, ready) = is_healthy_and_ready(&bot.url).await;
    let metrics = counts_in_its_metrics(&bot.url).await;
    let logs = bot.stop();
    logs_only_json_lines(&logs);
    shows_no_secret(&[logs.join("\n"), health, ready, metrics, shown.join("\n")].join("\n"));
}

/// Three questions at `url`: an answer, an abstention and a cooldown refusal; the replies.
async fn asks_past_the_cooldown(url: &str) -> Vec<String> {
    let client = reqwest::Client::new();
    let ask = |question: &str| fake_discord::ask(&fake_discord::token(), question);
    let mut shown = Vec::new();
    for question in [
        "When did Russia lift its arms embargo on Pakistan?",
        "What did the Iranian ambassador say about the pipeline?",
        "A third question within the cooldown window?",
    ] {
        let bytes = ask(question).to_string().into_bytes();
        let (status, reply) =
            fake_discord::post_signed(&client, url, &bytes, fake_discord::now_secs()).await;
        assert_eq!(status, 200, "{reply}");
        shown.push(reply.to_string());
    }
    assert!(shown[2].contains("Slow down"), "the cooldown: {}", shown[2]);
    shown
}

/// `/healthz` and `/readyz` at `url` say healthy and ready; their bodies.
async fn is_healthy_and_ready(url: &str) -> (String, String) {
    let (status, _, health) = get(&format!("{url}/healthz")).await;
    assert_eq!(status, 200, "{health}");
    let (status, _, ready) = get(&format!("{url}/readyz")).await;
    assert_eq!(status, 200, "{ready}");
    let readiness: Value = serde_json::from_str(&ready).unwrap();
    assert_eq!(readiness["ready"], true);
    assert_eq!(readiness["checks"]["database"], "reachable", "{ready}");
    assert_eq!(readiness["checks"]["gateway"], "not in gateway mode");
    assert!(readiness["generation"]["built_at"].as_u64().unwrap() > 0);
    (health, ready)
}

/// `/metrics` at `url` parses and counts the questions, refusals and answer times; its body.
async fn counts_in_its_metrics(url: &str) -> String {
    let (status, kind, metrics) = get(&format!("{url}/metrics")).await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    let scrape =
        prometheus_parse::Scrape::parse(metrics.lines().map(|l| Ok(l.to_string()))).unwrap();
    let value = |name: &str, labels: &[(&str, &str)]| {
        sample(&scrape, name, labels).unwrap_or_else(|| panic!("no {name} {labels:?}:\n{metrics}"))
    };
    assert_eq!(
        value(
            "dossier_requests_total",
            &[("command", "ask"), ("outcome", "answered")]
        ),
        1.0
    );
    assert_eq!(
        value(
            "dossier_requests_total",
            &[("command", "ask"), ("outcome", "abstained")]
        ),
        1.0
    );
    assert_eq!(value("dossier_abstentions_total", &[]), 1.0);
    assert_eq!(value("dossier_cooldown_refusals_total", &[]), 1.0);
    assert_eq!(
        value("dossier_answer_seconds", &[]),
        2.0,
        "two answers timed"
    );
    assert!(value("dossier_index_generation", &[]) > 1.7e9);
    assert_eq!(value("dossier_dropped_log_rows", &[]), 0.0);
    metrics
}

/// The process logged more than a few lines, each a JSON object with a timestamp and a level.
fn logs_only_json_lines(logs: &[String]) {
    assert!(logs.len() > 5, "{logs:?}");
    for line in logs {
        let parsed: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not a JSON log line ({e}): {line}"));
        assert!(
            parsed["timestamp"].is_string() && parsed["level"].is_string(),
            "{line}"
        );
    }
}

/// Nothing an operator or a user was shown holds the bot token or the public key.
fn shows_no_secret(everything: &str) {
    for secret in [TOKEN, "SECRETTOKENPART", &fake_discord::public_key_hex()] {
        assert!(!everything.contains(secret), "{secret} was shown");
    }
}

/// A model directory that is not there: start-up stops with one line naming it, and nothing
/// is ever served (so no `/readyz` says ready without a model).
#[test]
fn a_missing_model_stops_start_up_before_anything_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--http", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env("DOSSIER_DATA", std::fs::canonicalize(common::DATA).unwrap())
        .env("DOSSIER_INDEX", dir.path().join("index"))
        .env("DOSSIER_MODEL", dir.path().join("no-model"))
        .env("DISCORD_PUBLIC_KEY", fake_discord::public_key_hex())
        .env("DISCORD_APPLICATION_ID", APP_ID)
        .env("DOSSIER_LOG_FORMAT", "json")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no-model"), "{stderr}");
    assert!(!stderr.contains("listening"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_fails_while_postgres_is_down_and_returns_after() {
    if std::env::var("DOSSIER_TEST_POSTGRES").is_err() {
        eprintln!("DOSSIER_TEST_POSTGRES not set: the PostgreSQL run is .ci/run's");
        return;
    }
    common::own_postgres("25434", &["stop"]);
    let url = common::own_postgres("25434", &[]);
    let (engine, _index) = common::article_engine();
    let app = App::new(Arc::new(engine), Settings::default()).with_feedback(Feedback {
        store: Store::open(&url).unwrap(),
        hasher: UserHasher::new(b"test key"),
        log_questions: true,
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(ops::serve(app, listener, Box::pin(std::future::pending())));
    let ready = || async { get(&format!("{base}/readyz")).await };
    let (status, _, body) = ready().await;
    assert_eq!(status, 200, "{body}");

    tokio::task::spawn_blocking(|| common::own_postgres("25434", &["stop"]))
        .await
        .unwrap();
    let (status, _, body) = ready().await;
    assert_eq!(status, 503, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["reason"], "the database is unreachable", "{body}");
    assert!(!body.to_string().contains("postgres://"), "no URL: {body}");
    let (status, _, _) = get(&format!("{base}/healthz")).await;
    assert_eq!(status, 200, "alive while not ready");

    tokio::task::spawn_blocking(|| common::own_postgres("25434", &[]))
        .await
        .unwrap();
    let mut status = 0;
    for _ in 0..50 {
        status = ready().await.0;
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(status, 200, "ready again once the database is back");
    tokio::task::spawn_blocking(|| common::own_postgres("25434", &["stop"]))
        .await
        .unwrap();
}
