//! The moderators' loop end to end over the HTTP interactions endpoint (signed requests on
//! loopback): questions are logged, an answer is voted 👎 with a reason through the form, and
//! `/gaps` shows the unanswered and the 👎 question with its reason to a moderator only. Run on
//! SQLite, and on PostgreSQL when `DOSSIER_TEST_POSTGRES` holds a URL (`.ci/run` sets it).

use crate::common;
use crate::fake_discord;

use std::sync::Arc;
use std::time::Duration;

use crate::fake_discord::{FakeDiscord, MANAGE_GUILD};
use dossier::bot::App;
use dossier::bot::feedback::Feedback;
use dossier::bot::transport::http;
use dossier::config::{CooldownRule, Settings};
use dossier::store::{Store, UserHasher};
use serde_json::{Value, json};

mod moderation;
mod scenario;
use scenario::*;

struct Bot {
    url: String,
    client: reqwest::Client,
    _index: tempfile::TempDir,
}

impl Bot {
    async fn start(fake: &FakeDiscord, store: Store) -> Bot {
        Bot::start_over(fake, store, std::path::Path::new(common::DATA)).await
    }

    async fn start_over(fake: &FakeDiscord, store: Store, data: &std::path::Path) -> Bot {
        let (engine, index) = common::engine_over(data);
        let settings = Settings {
            public_key: Some(fake_discord::public_key_hex()),
            application_id: Some(fake_discord::APP_ID.parse().unwrap()),
            api_proxy: Some(fake.rest.clone()),
            admin_guilds: vec![fake_discord::GUILD_ID.parse().unwrap()],
            cooldown: CooldownRule {
                commands: 1000,
                window: Duration::from_secs(10),
            },
            ..Settings::default()
        };
        let app = App::new(Arc::new(engine), settings).with_feedback(Feedback {
            store,
            hasher: UserHasher::new(b"test key"),
            log_questions: true,
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(http::run(app, listener, Box::pin(std::future::pending())));
        Bot {
            url,
            client: reqwest::Client::new(),
            _index: index,
        }
    }

    async fn send(&self, body: &Value) -> Value {
        fake_discord::check_fixture(body);
        let bytes = body.to_string().into_bytes();
        let (status, reply) =
            fake_discord::post_signed(&self.client, &self.url, &bytes, fake_discord::now_secs())
                .await;
        assert_eq!(status, 200, "{reply}");
        reply
    }

    async fn ask(&self, question: &str) -> Value {
        let token = fake_discord::token();
        let body = fake_discord::ask(&token, question);
        self.send(&body).await
    }
}

/// The custom ids of the buttons of a message reply.
fn buttons(reply: &Value) -> Vec<String> {
    reply["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect()
}

async fn the_loop(store: Store) {
    let fake = FakeDiscord::start().await;
    let bot = Bot::start(&fake, store).await;
    let down = offers_votes_on_answers_only(&bot).await;
    asks_why_an_answer_is_voted_down(&bot, &down).await;
    let export = lists_the_gaps_to_a_moderator(&fake, &bot).await;
    exports_the_gaps_as_csv(&fake, &bot, &export).await;
    refuses_gaps_to_members_and_forged_votes(&bot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_and_gaps_reach_moderators_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("dossier.db").to_str().unwrap()).unwrap();
    the_loop(store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_and_gaps_reach_moderators_on_postgres() {
    let Ok(url) = std::env::var("DOSSIER_TEST_POSTGRES") else {
        eprintln!("DOSSIER_TEST_POSTGRES not set: the PostgreSQL run is .ci/run's");
        return;
    };
    the_loop(Store::open(&url).unwrap()).await;
}

/// PostgreSQL stopped mid-run: answers keep coming, each as fast as before (the log rows are
/// dropped and counted, never waited for), and the writer writes again once the server is
/// back. Runs where `.ci/postgres` can start servers (`DOSSIER_TEST_POSTGRES` set).
#[test]
fn answers_flow_while_postgres_is_down_and_the_log_recovers() {
    if std::env::var("DOSSIER_TEST_POSTGRES").is_err() {
        eprintln!("DOSSIER_TEST_POSTGRES not set: the PostgreSQL run is .ci/run's");
        return;
    }
    common::own_postgres("25433", &["stop"]);
    let url = common::own_postgres("25433", &[]);
    let store = Store::open(&url).unwrap();
    let (engine, _index) = common::article_engine();
    let app = App::new(Arc::new(engine), Settings::default()).with_feedback(Feedback {
        store: store.clone(),
        hasher: UserHasher::new(b"test key"),
        log_questions: true,
    });
    let origin = dossier::bot::command::Origin {
        transport: dossier::bot::command::Transport::Gateway,
        user: 42,
        guild: None,
        channel: None,
    };
    let ask = |n: usize| {
        let request = dossier::bot::command::Request {
            origin: Some(origin),
            ..dossier::bot::command::Request::new(dossier::bot::command::Command::Ask {
                question: format!(
                    "When did Russia lift its arms embargo on Pakistan? {}",
                    "!".repeat(n % 20)
                ),
                after: None,
            })
        };
        let started = std::time::Instant::now();
        let reply = app.execute(&request);
        let answered =
            matches!(&reply.body, dossier::bot::reply::Body::Answer(a, _) if !a.hits.is_empty());
        assert!(answered, "question {n} not answered: {:?}", reply.body);
        started.elapsed()
    };
    let slowest = |range: std::ops::Range<usize>| range.map(ask).max().unwrap();
    let up = slowest(0..50);
    common::own_postgres("25433", &["stop"]);
    let down = slowest(50..250);
    eprintln!("slowest answer with the server up {up:?}, down {down:?}");
    assert!(
        down < up + Duration::from_millis(200),
        "answers waited on the database: {down:?} down vs {up:?} up"
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while store.dropped() == 0 && std::time::Instant::now() < deadline {
        ask(0);
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        store.dropped() > 0,
        "rows written while the server was down?"
    );
    common::own_postgres("25433", &["start"]);
    let back = dossier::store::now();
    let written = loop {
        ask(1);
        let written = store.figures(back).map_or(0, |f| f.questions);
        if written > 0 || std::time::Instant::now() > deadline + Duration::from_secs(20) {
            break written;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    common::own_postgres("25433", &["stop"]);
    eprintln!(
        "dropped while down: {}; written after restart: {written}",
        store.dropped()
    );
    assert!(written > 0, "the writer did not recover");
}
