//! Issue 28's worst case for the HTTP interactions endpoint (see [`run`]): every user at once,
//! the question log in SQLite.

use std::sync::Arc;
use std::time::{Duration, Instant};

use dossier::bot::App;
use dossier::bot::feedback::Feedback;
use dossier::bot::transport::http;
use dossier::config::{CooldownRule, Settings};
use dossier::search::Engine;
use dossier::store::{Store, UserHasher};
use serde_json::Value;

use crate::common::{self, questions, variant};
use crate::fake_discord::{self, APP_ID, FakeDiscord, GUILD_ID, MANAGE_GUILD, token};

/// The question a follow-up follows, full of short names (the costliest follow-up: it is
/// rewritten the most), within a custom id's 100 characters, as the button under an answer
/// carries it.
const EARLIER: &str =
    "Did Putin, Sharif, Modi, Obama, Xi, Khan, Lavrov, Kerry or Zardari meet in Ufa or Moscow?";

/// A question the article answers: its logged answer is voted on, and it is asked again.
const REPEATED: &str = "When did Russia lift its arms embargo on Pakistan?";

/// One user's or probe's requests until the deadline: their latencies and failures.
type Task = tokio::task::JoinHandle<(Vec<Duration>, usize)>;

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
pub async fn run(seconds: u64) {
    let fake = FakeDiscord::start().await;
    let database = tempfile::tempdir().unwrap();
    let store = Store::open(database.path().join("dossier.db").to_str().unwrap()).unwrap();
    let seeding = Instant::now();
    seed(&store, 6_000);
    println!(
        "6,000 questions logged in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );
    let (engine, _index) = common::fixtures::article_engine();
    let endpoint = serve(engine, &fake, &store).await;
    let vote_ids = vote_ids(&endpoint).await;
    check_followup(&endpoint).await;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let load = Load::start(&endpoint, deadline, &vote_ids);
    println!("issue 28's worst case, {seconds} s, the question log in SQLite:");
    let pressed = load.finish().await;
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

/// Logs `n` distinct unanswered questions, as `/gaps` will find them, and waits until they
/// are written.
fn seed(store: &Store, n: i64) {
    common::log_all(store, dossier::store::now(), n, 512, |i| {
        (common::unanswered(i), dossier::store::Outcome::Abstained)
    });
}

/// Starts the endpoint in-process over `engine`, logging questions in `store` and sending
/// deferred replies to `fake`, and returns how to reach it.
async fn serve(engine: Engine, fake: &FakeDiscord, store: &Store) -> Endpoint {
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
    Endpoint {
        client: reqwest::Client::new(),
        url,
    }
}

/// Asks a question whose answer is logged, and returns the custom ids of the 👍 and 👎 under
/// that answer.
async fn vote_ids(endpoint: &Endpoint) -> Vec<String> {
    let (_, answered, _) = endpoint.post(ask(REPEATED)).await;
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
    vote_ids
}

/// Checks that a follow-up to [`EARLIER`] is answered.
async fn check_followup(endpoint: &Endpoint) {
    let (_, probe, _) = endpoint
        .post(fake_discord::form_submit(
            &token(),
            &format!("a:{EARLIER}"),
            "and what about India?",
        ))
        .await;
    assert!(
        probe["data"]["embeds"].is_array(),
        "a follow-up is answered: {probe}"
    );
}

/// `/ask question: q` by a member without permissions.
fn ask(q: &str) -> Value {
    fake_discord::ask(&token(), q)
}

/// Whether `r` answers a command or a follow-up: at once (4) or deferred (5).
fn answered_now(r: &Value) -> bool {
    r["type"] == 4 || r["type"] == 5
}

/// Whether `r` takes a vote: 👍 is thanked, 👎 asks for a reason (a form); a vote not stored
/// says so.
fn vote_taken(r: &Value) -> bool {
    let text = r.to_string();
    (r["type"] == 4 || r["type"] == 9)
        && !text.contains("could not be stored")
        && !text.contains("not in the log")
}

/// The endpoint in-process, as its users and probes reach it.
#[derive(Clone)]
struct Endpoint {
    client: reqwest::Client,
    url: String,
}

impl Endpoint {
    /// POSTs the interaction `body`, signed now: the status, the reply and how long it took.
    async fn post(&self, body: Value) -> (u16, Value, Duration) {
        let bytes = body.to_string().into_bytes();
        let started = Instant::now();
        let (status, reply) =
            fake_discord::post_signed(&self.client, &self.url, &bytes, fake_discord::now_secs())
                .await;
        (status, reply, started.elapsed())
    }

    /// `body(i)`, every `pause`, until `deadline`: latencies and failures (not 200 or `ok`).
    fn repeat(
        &self,
        deadline: Instant,
        pause: Duration,
        body: Box<dyn Fn(usize) -> Value + Send>,
        ok: fn(&Value) -> bool,
    ) -> Task {
        let endpoint = self.clone();
        tokio::spawn(async move {
            let (mut latencies, mut failures) = (Vec::new(), 0);
            let mut i = 0;
            while Instant::now() < deadline {
                let (status, reply, took) = endpoint.post(body(i)).await;
                latencies.push(took);
                failures += usize::from(status != 200 || !ok(&reply));
                i += 1;
                tokio::time::sleep(pause).await;
            }
            (latencies, failures)
        })
    }

    /// `GET path`, every `pause`, until `deadline`: latencies and failures (not a success).
    fn probe(&self, deadline: Instant, path: &'static str, pause: Duration) -> Task {
        let (client, url) = (self.client.clone(), self.url.clone());
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
    }
}

/// Every user and probe of the worst case, running until the deadline.
struct Load {
    followups: Vec<Task>,
    gaps: Task,
    votes: Vec<Task>,
    new: Task,
    cached: Task,
    health: Task,
    ready: Task,
}

impl Load {
    /// Starts them all on `endpoint` until `deadline`; the voters press `vote_ids` in turn.
    fn start(endpoint: &Endpoint, deadline: Instant, vote_ids: &[String]) -> Load {
        let mut followups = Vec::new();
        for user in 0..4 {
            followups.push(endpoint.repeat(
                deadline,
                Duration::ZERO,
                Box::new(move |i| {
                    fake_discord::form_submit(
                        &token(),
                        &format!("a:{EARLIER}"),
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
        let gaps = endpoint.repeat(
            deadline,
            Duration::from_millis(200),
            Box::new(|_| fake_discord::command(&token(), "gaps", &[], MANAGE_GUILD, &[])),
            |r| r["type"] == 5,
        );
        let mut votes = Vec::new();
        for user in 0..2 {
            let ids = vote_ids.to_vec();
            votes.push(endpoint.repeat(
                deadline,
                Duration::ZERO,
                Box::new(move |i| fake_discord::component(&token(), &ids[(i + user) % 2])),
                vote_taken,
            ));
        }
        let questions = questions(&["tests/eval/dev.jsonl"]);
        let new = endpoint.repeat(
            deadline,
            Duration::from_millis(100),
            Box::new(move |i| ask(&variant(&questions[i % questions.len()], i + 1))),
            answered_now,
        );
        let cached = endpoint.repeat(
            deadline,
            Duration::from_millis(20),
            Box::new(move |_| ask(REPEATED)),
            answered_now,
        );
        Load {
            followups,
            gaps,
            votes,
            new,
            cached,
            health: endpoint.probe(deadline, "/healthz", Duration::from_millis(10)),
            ready: endpoint.probe(deadline, "/readyz", Duration::from_millis(100)),
        }
    }

    /// Waits for them all and prints each one's latency percentiles and failures; returns how
    /// many votes were pressed.
    async fn finish(self) -> usize {
        report("4 users' worst follow-ups", joined(self.followups).await);
        report(
            "/gaps over 6,000 questions (deferred)",
            self.gaps.await.unwrap(),
        );
        let votes = joined(self.votes).await;
        let pressed = votes.0.len();
        report("votes", votes);
        report("another user's new /ask", self.new.await.unwrap());
        report("a cached /ask", self.cached.await.unwrap());
        report("GET /healthz", self.health.await.unwrap());
        report("GET /readyz", self.ready.await.unwrap());
        pressed
    }
}

/// The latencies and failures of `tasks`, together.
async fn joined(tasks: Vec<Task>) -> (Vec<Duration>, usize) {
    let mut all = (Vec::new(), 0);
    for task in tasks {
        let (l, f) = task.await.unwrap();
        all.0.extend(l);
        all.1 += f;
    }
    all
}

/// Prints `name`'s latency percentiles and failures.
fn report(name: &str, (mut latencies, failures): (Vec<Duration>, usize)) {
    println!("  {name}: {}; {failures} failed", spread(&mut latencies));
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
