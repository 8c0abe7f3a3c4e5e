//! The moderators' loop end to end over the HTTP interactions endpoint (signed requests on
//! loopback): questions are logged, an answer is voted 👎 with a reason through the form, and
//! `/gaps` shows the unanswered and the 👎 question with its reason to a moderator only. Run on
//! SQLite, and on PostgreSQL when `DOSSIER_TEST_POSTGRES` holds a URL (`.ci/run` sets it).

mod common;
mod fake_discord;

use std::sync::Arc;
use std::time::Duration;

use dossier::bot::App;
use dossier::bot::feedback::Feedback;
use dossier::bot::transport::http;
use dossier::config::{CooldownRule, Settings};
use dossier::store::{Store, UserHasher};
use fake_discord::{FakeDiscord, MANAGE_GUILD};
use serde_json::{Value, json};

struct Bot {
    url: String,
    client: reqwest::Client,
    _index: tempfile::TempDir,
}

impl Bot {
    async fn start(fake: &FakeDiscord, store: Store) -> Bot {
        let (engine, index) = common::article_engine();
        let settings = Settings {
            public_key: Some(fake_discord::public_key_hex()),
            application_id: Some(fake_discord::APP_ID.parse().unwrap()),
            api_proxy: Some(fake.rest.clone()),
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
        let body = fake_discord::command(&token, "ask", &[("question", json!(question))], "0", &[]);
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
    assert_eq!(ids.len(), 2, "👍 and 👎 under an answer: {answered}");
    let down = ids
        .iter()
        .find(|id| id.starts_with("f:0:"))
        .unwrap()
        .clone();
    let refused = bot
        .ask("What did the Iranian ambassador say about the pipeline?")
        .await;
    assert!(
        buttons(&refused).is_empty(),
        "no votes on a refusal: {refused}"
    );

    // 👎 is stored, then the form asks why (a modal, type 9).
    let form = bot
        .send(&fake_discord::component(&fake_discord::token(), &down))
        .await;
    assert_eq!(form["type"], 9, "{form}");
    let form_id = form["data"]["custom_id"].as_str().unwrap().to_string();
    let thanks = bot
        .send(&fake_discord::form_submit(
            &fake_discord::token(),
            &form_id,
            "wrong date",
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
    for _ in 0..100 {
        let gaps = bot
            .send(&fake_discord::command(
                &fake_discord::token(),
                "gaps",
                &[],
                MANAGE_GUILD,
                &[],
            ))
            .await;
        assert_eq!(
            gaps["data"]["flags"], 64,
            "moderators see gaps alone: {gaps}"
        );
        listed = gaps["data"]["embeds"][0].to_string();
        if listed.contains("Iranian ambassador") && listed.contains("wrong date") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(listed.contains("Iranian ambassador"), "{listed}");
    assert!(listed.contains("arms embargo"), "{listed}");
    assert!(listed.contains("wrong date"), "{listed}");

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
