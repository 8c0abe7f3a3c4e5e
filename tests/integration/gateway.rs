//! The real serenity client — the `dossier serve` code path — against a fake Discord on
//! loopback: registration, `/ask`, paging, autocomplete, `/reindex` permissions, shutdown.

use crate::common;
use crate::fake_discord;

use std::sync::Arc;
use std::time::Duration;

use crate::fake_discord::{FakeDiscord, MANAGE_GUILD, check_fixture};
use dossier::bot::App;
use dossier::bot::feedback::Feedback;
use dossier::bot::transport::gateway;
use dossier::config::{CooldownRule, Secret, Settings};
use dossier::store::{Store, UserHasher};
use serde_json::{Value, json};

mod scenario;
use scenario::*;

const MODERATOR_ROLE: &str = "999999999999999999";

/// Discord's limits, checked on every message the bot sent.
fn assert_within_limits(body: &Value) {
    let data = &body["data"];
    if let Some(content) = data["content"].as_str() {
        assert!(content.chars().count() <= 2000);
    }
    let mut total = 0;
    for embed in data["embeds"].as_array().into_iter().flatten() {
        let len = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
        assert!(len(&embed["title"]) <= 256);
        assert!(len(&embed["description"]) <= 4096);
        let fields = embed["fields"].as_array().cloned().unwrap_or_default();
        assert!(fields.len() <= 25);
        for f in &fields {
            assert!(len(&f["name"]) <= 256 && len(&f["value"]) <= 1024);
            total += len(&f["name"]) + len(&f["value"]);
        }
        total += len(&embed["title"]) + len(&embed["description"]) + len(&embed["footer"]["text"]);
    }
    assert!(total <= 6000, "{total}");
    if body["type"] == 4 || body["type"] == 7 {
        assert_eq!(data["allowed_mentions"]["parse"], json!([]), "{body:#}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_client_serves_slash_commands_through_a_fake_discord() {
    let fake = FakeDiscord::start().await;
    let (engine, _index) = common::article_engine();
    // A free port for DOSSIER_METRICS_ADDR.
    let metrics_addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let settings = Settings {
        metrics_addr: Some(metrics_addr),
        token: Some(Secret::new("fake-token-for-the-loopback-test")),
        api_proxy: Some(fake.rest.clone()),
        guild_id: Some(fake_discord::GUILD_ID.parse().unwrap()),
        admin_guilds: vec![fake_discord::GUILD_ID.parse().unwrap()],
        moderator_roles: vec![MODERATOR_ROLE.parse().unwrap()],
        cooldown: CooldownRule {
            commands: 100,
            window: Duration::from_secs(10),
        },
        ..Settings::default()
    };
    let database = tempfile::tempdir().unwrap();
    let store = Store::open(database.path().join("dossier.db").to_str().unwrap()).unwrap();
    let app = App::new(Arc::new(engine), settings).with_feedback(Feedback {
        store,
        hasher: UserHasher::new(b"test key"),
        log_questions: true,
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let bot = tokio::spawn(gateway::run(
        app,
        Box::pin(async move {
            let _ = stopped.await;
        }),
    ));

    connects_and_reports_ready(&fake, metrics_addr).await;
    registers_every_command(&fake).await;
    let reply = asks(&fake).await;
    let vote_down = reply["data"]["components"][0]["components"][1]["custom_id"]
        .as_str()
        .expect("👎 under the answer")
        .to_string();
    follows_up(&fake, &reply).await;
    asks_from_a_message_a_dm_and_help(&fake).await;
    pages_through_search(&fake).await;
    refuses_forged_ids_and_completes_topics(&fake).await;
    reindexes_for_moderators_only(&fake).await;
    takes_feedback_and_lists_gaps(&fake, &vote_down).await;
    shuts_down_after_the_reply_in_flight(&fake, stop, bot).await;
}

/// Readiness of an autosharded process waits for every shard Discord recommends, not only the
/// first one to connect.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_autosharded_bot_is_ready_only_when_every_recommended_shard_is_connected() {
    let fake = FakeDiscord::start().await;
    fake.recommend_shards(2);
    let (engine, _index) = common::article_engine();
    let metrics_addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let settings = Settings {
        metrics_addr: Some(metrics_addr),
        token: Some(Secret::new("fake-token-for-the-loopback-test")),
        api_proxy: Some(fake.rest.clone()),
        ..Settings::default()
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let bot = tokio::spawn(gateway::run(
        App::new(Arc::new(engine), settings),
        Box::pin(async move {
            let _ = stopped.await;
        }),
    ));
    let readiness = || async {
        let response = reqwest::get(format!("http://{metrics_addr}/readyz"))
            .await
            .ok()?;
        let status = response.status().as_u16();
        let body: Value = serde_json::from_slice(&response.bytes().await.ok()?).ok()?;
        Some((status, body["checks"]["gateway"].as_str()?.to_string()))
    };
    // Discord starts one shard per 5 s at max_concurrency 1: wait for the first, and for the
    // shard poll to have seen it connected.
    fake.identified(Duration::from_secs(20))
        .await
        .expect("the first shard identified");
    let mut seen = None;
    for _ in 0..30 {
        seen = readiness().await;
        if seen.as_ref().is_some_and(|(_, g)| g.starts_with("1/")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(seen, Some((503, "1/2 shards connected".to_string())));
    for _ in 0..150 {
        seen = readiness().await;
        if seen.as_ref().is_some_and(|(status, _)| *status == 200) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(fake.identifies(), 2);
    assert_eq!(seen, Some((200, "2/2 shards connected".to_string())));
    stop.send(()).unwrap();
    let result = tokio::time::timeout(Duration::from_secs(15), bot)
        .await
        .expect("the bot stopped")
        .unwrap();
    assert!(result.is_ok(), "{result:?}");
}
