//! Processes that agree on the index generation. Three processes on one PostgreSQL (two HTTP
//! replicas and a console, each with its own `index/`, one data directory): a moderator's
//! `/alias add` in one of them, and the other two serve the new generation within 5 s (the lag
//! is printed). Then two HTTP replicas sharing one `index/` and no shared database: the same.

use crate::common;
use crate::fake_discord;

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::fake_discord::{APP_ID, FakeDiscord, GUILD_ID, MANAGE_GUILD};
use serde_json::{Value, json};

/// How long another process may take to serve a new generation.
const AGREE_WITHIN: Duration = Duration::from_secs(5);

fn replica(
    fake: &FakeDiscord,
    dir: &Path,
    data: &Path,
    index: &Path,
    database: &str,
) -> common::Served {
    common::Served::start(dir, |command| {
        command
            .env("DOSSIER_DATA", data)
            .env("DOSSIER_INDEX", index)
            .env("DOSSIER_DATABASE", database)
            .env("DISCORD_PUBLIC_KEY", fake_discord::public_key_hex())
            .env("DISCORD_APPLICATION_ID", APP_ID)
            .env("DISCORD_API_PROXY", &fake.rest)
            .env("DOSSIER_ADMIN_GUILDS", GUILD_ID)
            .env("DOSSIER_COOLDOWN", "1000/10")
            .env_remove("DISCORD_TOKEN");
    })
}

/// The data hash of the generation a replica serves, as `/readyz` says.
async fn serving(url: &str) -> String {
    let bytes = reqwest::get(format!("{url}/readyz"))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    body["generation"]["data_hash"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// `/alias add term: Russia also: Moskva` by a moderator, through `url`; waits for the edit.
async fn add_alias(fake: &FakeDiscord, url: &str) {
    let token = fake_discord::token();
    let mut body = fake_discord::command(&token, "alias", &[], MANAGE_GUILD, &[]);
    body["data"]["options"] = json!([{"name": "add", "type": 1, "options": [
        {"name": "term", "type": 3, "value": "Russia"},
        {"name": "also", "type": 3, "value": "Moskva"}
    ]}]);
    let bytes = body.to_string().into_bytes();
    let (status, reply) = fake_discord::post_signed(
        &reqwest::Client::new(),
        url,
        &bytes,
        fake_discord::now_secs(),
    )
    .await;
    assert_eq!((status, reply["type"].clone()), (200, json!(5)), "{reply}");
    let edited = fake.edited(&token).await;
    assert!(
        edited.body.to_string().contains("Index rebuilt"),
        "{}",
        edited.body
    );
}

/// Polls `current` until it gives `want`; how long that took.
async fn lag<F, Fut>(want: &str, mut current: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = String>,
{
    let started = Instant::now();
    loop {
        let now = current().await;
        if now == want {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < AGREE_WITHIN,
            "still serving {now}, not {want}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `dossier console` in a child process, on the replicas' data directory and database.
struct Console {
    child: std::process::Child,
    input: std::process::ChildStdin,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Console {
    /// Starts it in `dir` with its own `index-c/`, its output read line by line.
    fn start(dir: &Path, data: &Path, database: &str) -> Console {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("console")
            .current_dir(dir)
            .env("DOSSIER_DATA", data)
            .env("DOSSIER_INDEX", dir.join("index-c"))
            .env("DOSSIER_DATABASE", database)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let input = child.stdin.take().unwrap();
        let (lines_tx, lines) = std::sync::mpsc::channel::<String>();
        let output = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(output).lines() {
                let Ok(line) = line else { break };
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        });
        Console {
            child,
            input,
            lines,
        }
    }

    /// The console's generation, from its `/about`.
    fn serving(&mut self) -> String {
        writeln!(self.input, "/about").unwrap();
        self.input.flush().unwrap();
        let line = loop {
            let line = self.lines.recv_timeout(Duration::from_secs(60)).unwrap();
            if line.contains("generation ") {
                break line;
            }
        };
        line.split("generation ")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .unwrap_or_default()
            .to_string()
    }

    /// Kills it and waits for it to exit.
    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_on_one_postgres_follow_a_reindex() {
    if std::env::var("DOSSIER_TEST_POSTGRES").is_err() {
        eprintln!("DOSSIER_TEST_POSTGRES not set: the PostgreSQL run is .ci/run's");
        return;
    }
    common::own_postgres("25435", &["stop"]);
    let database = common::own_postgres("25435", &[]);
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    common::copy_data(&data);
    let a = replica(
        &fake,
        dir.path(),
        &data,
        &dir.path().join("index-a"),
        &database,
    );
    let b = replica(
        &fake,
        dir.path(),
        &data,
        &dir.path().join("index-b"),
        &database,
    );
    let mut console = Console::start(dir.path(), &data, &database);

    let before = serving(&a.url).await;
    assert_eq!(serving(&b.url).await, before);
    assert_eq!(console.serving(), before[..12]);
    others_follow_an_alias(&fake, &a.url, &b.url, &mut console, &before).await;
    answers_from_the_new_generation(&b.url).await;
    console.stop();
    drop((a, b));
    common::own_postgres("25435", &["stop"]);
}

/// An alias added through replica `a` changes its generation; `b` and the console follow it.
async fn others_follow_an_alias(
    fake: &FakeDiscord,
    a: &str,
    b: &str,
    console: &mut Console,
    before: &str,
) {
    add_alias(fake, a).await;
    let after = serving(a).await;
    assert_ne!(after, before, "the alias changed the data");
    let b_lag = lag(&after, || serving(b)).await;
    let c_lag = lag(&after[..12], || std::future::ready(console.serving())).await;
    eprintln!(
        "generation lag on PostgreSQL: HTTP replica {} ms, console {} ms",
        b_lag.as_millis(),
        c_lag.as_millis()
    );
}

/// The replica at `url`, which followed, answers from the new generation as a whole.
async fn answers_from_the_new_generation(url: &str) {
    let ask = fake_discord::ask(
        &fake_discord::token(),
        "When did Moskva lift its arms embargo on Pakistan?",
    );
    let (_, reply) = fake_discord::post_signed(
        &reqwest::Client::new(),
        url,
        &ask.to_string().into_bytes(),
        fake_discord::now_secs(),
    )
    .await;
    assert_eq!(
        reply["data"]["embeds"][0]["fields"][0]["value"], "June 2014",
        "{reply}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_sharing_one_index_follow_each_others_commits() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    common::copy_data(&data);
    let index = dir.path().join("index");
    let a_dir = dir.path().join("a");
    let b_dir = dir.path().join("b");
    std::fs::create_dir_all(&a_dir).unwrap();
    std::fs::create_dir_all(&b_dir).unwrap();
    // Each has its own SQLite file (state/ in its directory): nothing shared but index/.
    let a = replica(&fake, &a_dir, &data, &index, "state/dossier.db");
    let b = replica(&fake, &b_dir, &data, &index, "state/dossier.db");
    let before = serving(&a.url).await;
    assert_eq!(serving(&b.url).await, before);
    add_alias(&fake, &a.url).await;
    let after = serving(&a.url).await;
    assert_ne!(after, before);
    let b_lag = lag(&after, || serving(&b.url)).await;
    eprintln!(
        "generation lag with a shared index/: {} ms",
        b_lag.as_millis()
    );
}

/// A process whose data directory holds other data than the generation announced says so, in
/// its logs and in `/about`, and keeps answering from its own data.
#[test]
fn a_process_with_other_data_says_so_in_about() {
    use dossier::bot::App;
    use dossier::bot::command::{Command, Request};
    use dossier::bot::feedback::Feedback;
    use dossier::store::{Store, UserHasher};
    use std::sync::Arc;

    if std::env::var("DOSSIER_TEST_POSTGRES").is_err() {
        eprintln!("DOSSIER_TEST_POSTGRES not set: the PostgreSQL run is .ci/run's");
        return;
    }
    common::own_postgres("25436", &["stop"]);
    let database = common::own_postgres("25436", &[]);
    let app = |data: &Path| {
        let (engine, index) = common::engine_over(data);
        let app = App::new(Arc::new(engine), Default::default()).with_feedback(Feedback {
            store: Store::open(&database).unwrap(),
            hasher: UserHasher::new(b"test key"),
            log_questions: false,
        });
        app.follow_generations();
        (app, index)
    };
    let dir = tempfile::tempdir().unwrap();
    let (ours, theirs) = (dir.path().join("ours"), dir.path().join("theirs"));
    common::copy_data(&ours);
    common::copy_data(&theirs);
    std::fs::write(
        theirs.join("notes.txt"),
        "Notes\n\nThe Tarbela Dam was completed in 1976.\n",
    )
    .unwrap();
    let (ours, _ours_index) = app(&ours);
    let (theirs, _theirs_index) = app(&theirs);
    let reindexed = render(&ours, Command::Reindex);
    assert!(reindexed.contains("Indexed"), "{reindexed}");
    let started = Instant::now();
    let mut about = String::new();
    while started.elapsed() < AGREE_WITHIN {
        about = render(&theirs, Command::About);
        if about.contains("another process announced") {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        about.contains("another process announced generation"),
        "{about}"
    );
    assert!(about.contains("Notes"), "still its own data: {about}");

    fn render(app: &App, command: Command) -> String {
        dossier::bot::render::text::render(&app.execute(&Request::new(command)))
    }
    common::own_postgres("25436", &["stop"]);
}
