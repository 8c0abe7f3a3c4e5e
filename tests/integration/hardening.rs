//! Issue 11: every value from outside is bounded, and one request never takes the process
//! down. The real binary (`dossier serve --http 127.0.0.1:0`) on the real article, driven with
//! signed payloads, a fake Discord on loopback receiving its REST calls, its stderr captured.
//! Nothing here leaves 127.0.0.1.

use crate::common;
use crate::fake_discord;

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::fake_discord::{APP_ID, FakeDiscord};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod connections;
mod payloads;

const QUESTION: &str = "When did Russia lift its arms embargo on Pakistan?";

/// `dossier serve --http` in a child process, killed on drop.
struct Bot {
    child: Child,
    url: String,
    client: reqwest::Client,
    logs: Arc<Mutex<Vec<String>>>,
    _dir: Option<tempfile::TempDir>,
}

impl Bot {
    fn start(fake: &FakeDiscord, data: &Path, cooldown: &str) -> Bot {
        let dir = tempfile::tempdir().unwrap();
        let mut bot = Bot::start_in(fake, data, cooldown, dir.path());
        bot._dir = Some(dir);
        bot
    }

    /// The bot with its index and database (`state/`) in `dir`, kept after it stops.
    fn start_in(fake: &FakeDiscord, data: &Path, cooldown: &str, dir: &Path) -> Bot {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dossier"));
        command.args(["serve", "--http", "127.0.0.1:0"]);
        Bot::start_command(command, fake, data, cooldown, dir)
    }

    /// The bot started under a soft limit of `open_files` (`ulimit -Sn`), as a default shell
    /// starts it; the hard limit stays the system's.
    fn start_with_open_files(fake: &FakeDiscord, data: &Path, open_files: u64) -> Bot {
        let dir = tempfile::tempdir().unwrap();
        let mut command = Command::new("sh");
        command.args([
            "-c",
            &format!("ulimit -Sn {open_files} && exec \"$0\" \"$@\""),
            env!("CARGO_BIN_EXE_dossier"),
            "serve",
            "--http",
            "127.0.0.1:0",
        ]);
        let mut bot = Bot::start_command(command, fake, data, "100000/10", dir.path());
        bot._dir = Some(dir);
        bot
    }

    fn start_command(
        mut command: Command,
        fake: &FakeDiscord,
        data: &Path,
        cooldown: &str,
        dir: &Path,
    ) -> Bot {
        let data = std::fs::canonicalize(data).unwrap();
        let mut child = command
            .current_dir(dir)
            .env("DOSSIER_DATA", &data)
            .env("DOSSIER_INDEX", dir.join("index"))
            .env_remove("DOSSIER_DATABASE")
            .env("DISCORD_PUBLIC_KEY", fake_discord::public_key_hex())
            .env("DISCORD_APPLICATION_ID", APP_ID)
            .env("DISCORD_API_PROXY", &fake.rest)
            .env("DOSSIER_COOLDOWN", cooldown)
            .env("RUST_LOG", "info")
            .env_remove("DISCORD_TOKEN")
            .env_remove("DISCORD_GUILD_ID")
            .env("DOSSIER_ADMIN_GUILDS", fake_discord::GUILD_ID)
            .env_remove("DOSSIER_HTTP_ADDR")
            .env_remove("DOSSIER_LOG_FORMAT")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let logs = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = logs.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if line.contains("endpoint listening")
                    && let Some(addr) = line.split("addr=").nth(1)
                {
                    let _ = tx.send(addr.split_whitespace().next().unwrap_or("").to_string());
                }
                sink.lock().unwrap().push(line);
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("the bot did not start: {:?}", logs.lock().unwrap()));
        Bot {
            child,
            url: format!("http://{addr}"),
            client: reqwest::Client::new(),
            logs,
            _dir: None,
        }
    }

    async fn signed(&self, body: &Value) -> (u16, Value) {
        let bytes = body.to_string().into_bytes();
        fake_discord::post_signed(&self.client, &self.url, &bytes, fake_discord::now_secs()).await
    }

    /// Asks the embargo question and checks the answer.
    async fn answers(&self) {
        let ask = fake_discord::ask(&fake_discord::token(), QUESTION);
        let (status, reply) = self.signed(&ask).await;
        assert_eq!(status, 200, "{reply}");
        assert_eq!(
            reply["data"]["embeds"][0]["fields"][0]["value"], "June 2014",
            "{reply}"
        );
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    fn logs(&self) -> Vec<String> {
        self.logs.lock().unwrap().clone()
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn data() -> &'static Path {
    Path::new("data")
}

/// Finding 3: a deferred `/reindex` whose token would walk the REST path elsewhere is refused
/// and nothing is sent; a valid one edits exactly `/webhooks/{app}/{token}/messages/@original`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malicious_token_never_reaches_a_rest_path() {
    let fake = FakeDiscord::start().await;
    let bot = Bot::start(&fake, data(), "1000/10");
    for token in [
        "x/../../../../v10/channels/123/messages/456?",
        "..",
        "a b",
        &"a".repeat(501),
    ] {
        let reindex = fake_discord::reindex(token);
        let (status, reply) = bot.signed(&reindex).await;
        assert_eq!(status, 400, "{token:.40}: {reply}");
    }
    let token = fake_discord::token();
    let (_, deferral) = bot.signed(&fake_discord::reindex(&token)).await;
    assert_eq!(deferral["type"], 5);
    fake.edited(&token).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let expected = format!("/api/v10/webhooks/{APP_ID}/{token}/messages/@original");
    let requests = fake.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.method == "PATCH" && r.path == expected),
        "{requests:#?}"
    );
    assert_eq!(requests.len(), 1);
}

/// Finding 6: a signed interaction delivered twice runs once; the replay is answered 401.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_interaction_is_not_run_twice() {
    let fake = FakeDiscord::start().await;
    let bot = Bot::start(&fake, data(), "1000/10");
    let token = fake_discord::token();
    let body = fake_discord::reindex(&token).to_string().into_bytes();
    let ts = fake_discord::now_secs();
    let (first, reply) = fake_discord::post_signed(&bot.client, &bot.url, &body, ts).await;
    assert_eq!((first, reply["type"].clone()), (200, json!(5)));
    let (second, reply) = fake_discord::post_signed(&bot.client, &bot.url, &body, ts).await;
    assert_eq!(second, 401, "{reply}");
    fake.edited(&token).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let edits = fake
        .requests()
        .iter()
        .filter(|r| r.path.contains(&token))
        .count();
    assert_eq!(edits, 1, "the reindex ran once");
    // The same for a fast command: the second delivery gets no answer.
    let ask = fake_discord::ask(&fake_discord::token(), QUESTION)
        .to_string()
        .into_bytes();
    let ts = fake_discord::now_secs();
    assert_eq!(
        fake_discord::post_signed(&bot.client, &bot.url, &ask, ts)
            .await
            .0,
        200
    );
    assert_eq!(
        fake_discord::post_signed(&bot.client, &bot.url, &ask, ts)
            .await
            .0,
        401
    );
}

/// Finding 6: interactions without a user are not run, so they do not share (and use up) one
/// cooldown bucket; real users keep theirs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interactions_without_a_user_share_no_cooldown_bucket() {
    let fake = FakeDiscord::start().await;
    let bot = Bot::start(&fake, data(), "2/60");
    for _ in 0..4 {
        let mut ask = fake_discord::ask(&fake_discord::token(), QUESTION);
        ask.as_object_mut().unwrap().remove("member");
        fake_discord::check_fixture(&ask);
        let (status, reply) = bot.signed(&ask).await;
        assert_eq!(status, 200);
        assert_eq!(reply["data"]["flags"], 64);
        let content = reply["data"]["content"].as_str().unwrap_or_default();
        assert!(content.contains("did not say who sent this"), "{reply}");
    }
    // The cooldown of 2 commands is untouched for a real user.
    bot.answers().await;
    bot.answers().await;
    let ask = fake_discord::ask(&fake_discord::token(), QUESTION);
    let (_, third) = bot.signed(&ask).await;
    let content = third["data"]["content"].as_str().unwrap_or_default();
    assert!(content.contains("Slow down"), "{third}");
}

/// Finding 4: `/timeline from:` with 5,000 characters (and other long text) gets a short reply,
/// and no log line of the process is longer than 200 characters.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_user_text_gives_short_replies_and_short_log_lines() {
    let fake = FakeDiscord::start().await;
    let bot = Bot::start(&fake, data(), "1000/10");
    let long = "9".repeat(5000);
    let cases = [
        fake_discord::command(
            &fake_discord::token(),
            "timeline",
            &[("from", json!(long))],
            "0",
            &[],
        ),
        fake_discord::command(
            &fake_discord::token(),
            "timeline",
            &[("to", json!("x".repeat(32)))],
            "0",
            &[],
        ),
        fake_discord::ask(&fake_discord::token(), &long),
        fake_discord::command(&fake_discord::token(), &long, &[], "0", &[]),
        fake_discord::autocomplete(&fake_discord::token(), "timeline", "topic", &long),
    ];
    for case in &cases {
        let (status, reply) = bot.signed(case).await;
        assert_eq!(status, 200, "{reply}");
        let text = reply.to_string();
        assert!(text.len() < 400, "a short reply: {text:.300}");
    }
    // A validly signed body whose error message would quote a long value.
    let bad = json!({"type": 2, "id": long, "token": long})
        .to_string()
        .into_bytes();
    let (status, _) =
        fake_discord::post_signed(&bot.client, &bot.url, &bad, fake_discord::now_secs()).await;
    assert_eq!(status, 400);
    bot.answers().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let logs = bot.logs();
    assert!(
        logs.iter().any(|l| l.contains("command")),
        "commands are logged"
    );
    assert!(
        !logs.iter().any(|l| l.contains("888888888888888888")),
        "no user id in any log line (a keyed tag instead): {logs:?}"
    );
    let longest = logs.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(
        logs.iter().all(|l| l.chars().count() <= 200),
        "a log line of {longest} characters: {:?}",
        logs.iter().find(|l| l.chars().count() > 200)
    );
    assert!(
        logs.iter().any(|l| l.contains("unusable command")),
        "{logs:?}"
    );
    assert!(!logs.join("\n").contains(&"9".repeat(130)));
}

/// Finding 5: a bad-data `/reindex` names the file relative to the data directory, never the
/// server's absolute path.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_data_is_named_relative_to_the_data_directory() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    common::copy_data(dir.path());
    let bot = Bot::start(&fake, dir.path(), "1000/10");
    std::fs::write(dir.path().join("broken.txt"), b"\xff\xfe not text").unwrap();
    let token = fake_discord::token();
    bot.signed(&fake_discord::reindex(&token)).await;
    let content = fake.edited(&token).await.body["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        content.contains("Problem: broken.txt: not valid UTF-8"),
        "{content}"
    );
    let absolute = std::fs::canonicalize(dir.path()).unwrap();
    assert!(!content.contains(&*absolute.to_string_lossy()), "{content}");
    assert!(!content.contains("/tmp"), "{content}");
}

/// Issue 14: the bot killed with SIGKILL 10 times while 4 clients ask and vote. The database
/// opens cleanly after each kill, and every vote that was acknowledged is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_votes_survive_kill_9() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut acknowledged = 0;
    for round in 0..10u64 {
        let mut bot = Bot::start_in(&fake, data(), "100000/10", dir.path());
        let acks = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let clients: Vec<_> = (0..4)
            .map(|_| {
                let (url, http, acks) = (bot.url.clone(), bot.client.clone(), acks.clone());
                tokio::spawn(async move {
                    let post = |body: Value| {
                        let (http, url) = (http.clone(), url.clone());
                        async move {
                            let bytes = body.to_string().into_bytes();
                            let ts = fake_discord::now_secs();
                            fake_discord::try_post_signed(&http, &url, &bytes, ts)
                                .await
                                .map(|(_, reply)| reply)
                        }
                    };
                    for n in 0.. {
                        let ask = fake_discord::ask(&fake_discord::token(), QUESTION);
                        let Ok(reply) = post(ask).await else { return };
                        let Some(vote) =
                            reply["data"]["components"][0]["components"][n % 2]["custom_id"]
                                .as_str()
                                .map(str::to_string)
                        else {
                            continue;
                        };
                        let press = fake_discord::component(&fake_discord::token(), &vote);
                        let Ok(reply) = post(press).await else { return };
                        let stored = reply["type"] == 9
                            || reply["data"]["content"]
                                .as_str()
                                .is_some_and(|c| c.contains("noted"));
                        if stored {
                            acks.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        }
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(300 + 70 * round)).await;
        bot.child.kill().unwrap();
        bot.child.wait().unwrap();
        for client in clients {
            client.await.unwrap();
        }
        acknowledged += acks.load(std::sync::atomic::Ordering::SeqCst);
    }
    assert!(acknowledged > 0, "no vote was acknowledged");
    let database = dir.path().join("state/dossier.db");
    let store = dossier::store::Store::open(database.to_str().unwrap()).unwrap();
    let figures = store.figures(0).unwrap();
    eprintln!("{acknowledged} votes acknowledged over 10 kills; stored: {figures:?}");
    assert!(
        (figures.up_votes + figures.down_votes) as usize >= acknowledged,
        "{acknowledged} votes acknowledged, {figures:?} stored"
    );
}
