//! Where moderation is allowed: only in the admin guilds (`DOSSIER_ADMIN_GUILDS`), for members
//! with Manage Server or a moderator role and for the application's owner (read from Discord at
//! start); refused everywhere else whatever the member's permissions, even for a payload that
//! names a command never registered there. Over the HTTP endpoint with signed requests and the
//! real serenity HTTP client against the fake Discord on loopback.

use crate::common;
use crate::fake_discord;

use std::sync::Arc;
use std::time::Duration;

use crate::fake_discord::{ADMINISTRATOR, FakeDiscord, GUILD_ID, MANAGE_GUILD, OWNER_ID};
use dossier::bot::App;
use dossier::bot::feedback::Feedback;
use dossier::bot::transport::{gateway, http};
use dossier::config::{CooldownRule, Secret, Settings};
use dossier::store::{Store, UserHasher};
use serde_json::{Value, json};

/// A server that installed the bot but is not one of its admin guilds.
const OTHER_GUILD: &str = "444444444444444444";

fn settings(fake: &FakeDiscord) -> Settings {
    Settings {
        token: Some(Secret::new("fake-token-for-the-loopback-test")),
        public_key: Some(fake_discord::public_key_hex()),
        application_id: Some(fake_discord::APP_ID.parse().unwrap()),
        api_proxy: Some(fake.rest.clone()),
        admin_guilds: vec![GUILD_ID.parse().unwrap()],
        cooldown: CooldownRule {
            commands: 1000,
            window: Duration::from_secs(10),
        },
        ..Settings::default()
    }
}

/// Every moderator command, as a member with `permissions` would send it.
fn moderator_payloads(permissions: &str) -> Vec<(String, Value)> {
    let sub = |name: &str, action: &str, options: Value| {
        let mut d = fake_discord::command(&fake_discord::token(), name, &[], permissions, &[]);
        d["data"]["options"] = json!([{"name": action, "type": 1, "options": options}]);
        (format!("/{name} {action}"), d)
    };
    let alias = json!([{"name": "term", "type": 3, "value": "Russia"},
                       {"name": "also", "type": 3, "value": "Moskva"}]);
    vec![
        (
            "/reindex".into(),
            fake_discord::command(&fake_discord::token(), "reindex", &[], permissions, &[]),
        ),
        (
            "/gaps".into(),
            fake_discord::command(&fake_discord::token(), "gaps", &[], permissions, &[]),
        ),
        sub("alias", "add", alias.clone()),
        sub("alias", "remove", alias),
        sub("document", "list", json!([])),
        sub("document", "history", json!([])),
        sub(
            "document",
            "remove",
            json!([{"name": "id", "type": 3, "value": "russia-pakistan-alliance"}]),
        ),
        (
            "/document add".into(),
            fake_discord::document_add(
                &fake_discord::token(),
                "notes.txt",
                "https://cdn.discordapp.com/attachments/1/2/notes.txt",
                10,
                &[],
                permissions,
            ),
        ),
        (
            "Export CSV".into(),
            fake_discord::component_by(&fake_discord::token(), "c:7", permissions),
        ),
        (
            "Gaps page".into(),
            fake_discord::component_by(&fake_discord::token(), "g:5:7", permissions),
        ),
    ]
}

/// The HTTP endpoint over a scratch copy of the article with a question log, on loopback.
struct Served {
    url: String,
    data: std::path::PathBuf,
    store: Store,
    _dir: tempfile::TempDir,
    _index: tempfile::TempDir,
}

async fn serve(fake: &FakeDiscord) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    common::copy_data(&data);
    let (engine, index) = common::engine_over(&data);
    let store = Store::open(dir.path().join("dossier.db").to_str().unwrap()).unwrap();
    let app = App::new(Arc::new(engine), settings(fake)).with_feedback(Feedback {
        store: store.clone(),
        hasher: UserHasher::new(b"test key"),
        log_questions: true,
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(http::run(app, listener, Box::pin(std::future::pending())));
    Served {
        url,
        data,
        store,
        _dir: dir,
        _index: index,
    }
}

async fn send(url: &str, body: &Value) -> Value {
    fake_discord::check_fixture(body);
    let client = reqwest::Client::new();
    let bytes = body.to_string().into_bytes();
    let (status, reply) =
        fake_discord::post_signed(&client, url, &bytes, fake_discord::now_secs()).await;
    assert_eq!(status, 200, "{reply}");
    reply
}

fn refused(reply: &Value) -> bool {
    reply["type"] == 4
        && reply["data"]["flags"] == 64
        && reply["data"]["content"]
            .as_str()
            .is_some_and(|c| c.starts_with("⛔ Only moderators"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderation_works_only_in_admin_guilds() {
    let fake = FakeDiscord::start().await;
    let served = serve(&fake).await;
    let (url, data) = (&served.url, &served.data);
    let original = std::fs::read(data.join("russia-pakistan-alliance.txt")).unwrap();

    // Another server's Administrator, its Manage Server member and even the application's
    // owner there: refused for every moderator command, including ones never registered there.
    for (who, permissions, user) in [
        ("administrator", ADMINISTRATOR, None),
        ("manage server", MANAGE_GUILD, None),
        ("owner", "0", Some(OWNER_ID)),
    ] {
        for (name, payload) in moderator_payloads(permissions) {
            let mut payload = fake_discord::in_guild(payload, OTHER_GUILD);
            if let Some(user) = user {
                payload = fake_discord::by_user(payload, user);
            }
            let reply = send(url, &payload).await;
            assert!(refused(&reply), "{who}, {name} elsewhere: {reply}");
            assert!(
                reply.to_string().contains("only in the servers"),
                "{who}, {name}: {reply}"
            );
        }
    }
    // In a DM there is no server and no member: refused too.
    let dm = fake_discord::in_dm(fake_discord::command(
        &fake_discord::token(),
        "reindex",
        &[],
        "0",
        &[],
    ));
    let reply = send(url, &dm).await;
    assert!(refused(&reply), "DM: {reply}");

    // In the admin guild: a member without Manage Server is refused...
    for (name, payload) in moderator_payloads("0") {
        let reply = send(url, &payload).await;
        assert!(refused(&reply), "{name} without Manage Server: {reply}");
    }
    assert_eq!(
        std::fs::read(data.join("russia-pakistan-alliance.txt")).unwrap(),
        original,
        "no refused command changed the data"
    );

    // ...a moderator succeeds, and so does the owner without Manage Server.
    let list = |permissions: &str| {
        let mut d =
            fake_discord::command(&fake_discord::token(), "document", &[], permissions, &[]);
        d["data"]["options"] = json!([{"name": "list", "type": 1, "options": []}]);
        d
    };
    let reply = send(url, &list(MANAGE_GUILD)).await;
    assert!(
        reply.to_string().contains("russia-pakistan-alliance") && !refused(&reply),
        "{reply}"
    );
    let owner = fake_discord::by_user(list("0"), OWNER_ID);
    let reply = send(url, &owner).await;
    assert!(
        reply.to_string().contains("russia-pakistan-alliance") && !refused(&reply),
        "the owner in an admin guild: {reply}"
    );
    let token = fake_discord::token();
    let reindex = fake_discord::by_user(
        fake_discord::command(&token, "reindex", &[], "0", &[]),
        OWNER_ID,
    );
    assert_eq!(send(url, &reindex).await["type"], 5, "deferred");
    let edited = fake.edited(&token).await;
    assert!(
        edited.body.to_string().contains("Index rebuilt"),
        "{edited:?}"
    );
}

/// The commands' names in a recorded bulk overwrite.
fn names(body: &Value) -> Vec<String> {
    body.as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderator_commands_are_registered_only_in_admin_guilds() {
    let public = ["ask", "search", "timeline", "about", "help", "Ask dossier"];
    let moderation = ["reindex", "gaps", "alias", "document"];
    let fake = FakeDiscord::start().await;
    let (engine, _index) = common::article_engine();
    let engine = Arc::new(engine);
    let app = App::new(
        engine.clone(),
        Settings {
            admin_guilds: vec![GUILD_ID.parse().unwrap(), OTHER_GUILD.parse().unwrap()],
            ..settings(&fake)
        },
    );
    let client = gateway::http_client(&app).unwrap();
    let count = gateway::register(&app, &client).await.unwrap();
    assert_eq!(count, 6 + 2 * 4);
    let puts: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT")
        .collect();
    let global = format!("/applications/{}/commands", fake_discord::APP_ID);
    let global: Vec<_> = puts.iter().filter(|r| r.path.ends_with(&global)).collect();
    assert_eq!(global.len(), 1, "{puts:?}");
    assert_eq!(
        names(&global[0].body),
        public,
        "no moderator command globally"
    );
    for guild in [GUILD_ID, OTHER_GUILD] {
        let put = puts
            .iter()
            .find(|r| r.path.ends_with(&format!("/guilds/{guild}/commands")))
            .unwrap_or_else(|| panic!("moderator commands in {guild}: {puts:?}"));
        assert_eq!(names(&put.body), moderation);
        for command in put.body.as_array().unwrap() {
            assert_eq!(command["integration_types"], json!([0]), "{command}");
            assert_eq!(command["contexts"], json!([0]), "{command}");
        }
    }

    // With no admin guild, nothing but the public commands is registered anywhere.
    let fake = FakeDiscord::start().await;
    let app = App::new(
        engine,
        Settings {
            admin_guilds: Vec::new(),
            ..settings(&fake)
        },
    );
    let client = gateway::http_client(&app).unwrap();
    assert_eq!(gateway::register(&app, &client).await.unwrap(), 6);
    let puts: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT")
        .collect();
    assert_eq!(puts.len(), 1);
    assert_eq!(names(&puts[0].body), public);
}

/// Eight changes sent at the same moment by moderators: four aliases and four documents, each
/// with its interaction token.
fn eight_edits(fake: &FakeDiscord) -> Vec<(String, Value)> {
    let alias = |i: usize| {
        let token = fake_discord::token();
        let mut d = fake_discord::command(&token, "alias", &[], MANAGE_GUILD, &[]);
        d["data"]["options"] = json!([{"name": "add", "type": 1, "options": [
            {"name": "term", "type": 3, "value": format!("Pakistan army {i}")},
            {"name": "also", "type": 3, "value": format!("Rawalpindi {i}")}]}]);
        (token, d)
    };
    let document = |i: usize| {
        let token = fake_discord::token();
        let text = format!(
            "Harbour note {i}\n\nThe harbour of Gwadar was extended in {} by its port \
             authority.\n\nA second berth followed two years later.\n",
            2001 + i
        );
        let name = format!("harbour-{i}.txt");
        let url = fake.host_file(&name, text.as_bytes());
        let d = fake_discord::document_add(&token, &name, &url, text.len(), &[], MANAGE_GUILD);
        (token, d)
    };
    (0..4).flat_map(|i| [alias(i), document(i)]).collect()
}

/// After [`eight_edits`]: every change is written and audited, every moderator was told the
/// index was rebuilt, and no temporary file is left.
async fn all_eight_made(
    fake: &FakeDiscord,
    tokens: &[String],
    data: &std::path::Path,
    store: &Store,
) {
    for token in tokens {
        let edited = fake.edited(token).await;
        assert!(
            edited.body.to_string().contains("Index rebuilt"),
            "every moderator is told the change was made: {:?}",
            edited.body
        );
    }
    let aliases = std::fs::read_to_string(data.join("aliases.toml")).unwrap();
    for i in 0..4 {
        assert!(aliases.contains(&format!("Rawalpindi {i}")), "{aliases}");
        assert!(
            data.join(format!("harbour-{i}.txt")).exists(),
            "document {i} written"
        );
    }
    let audited = store.history(50).unwrap();
    for action in ["alias add", "document add"] {
        assert_eq!(
            audited.iter().filter(|c| c.action == action).count(),
            4,
            "{action}: {audited:?}"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".partial") || n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Eight moderators change the data at the same moment over signed HTTP (four aliases, four
/// documents): every change is written, audited and confirmed; none is lost or told "try
/// again" after it was written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_edits_are_all_written_and_audited() {
    let fake = FakeDiscord::start().await;
    let served = serve(&fake).await;
    let edits = eight_edits(&fake);
    let replies =
        futures_util::future::join_all(edits.iter().map(|(_, d)| send(&served.url, d))).await;
    for reply in replies {
        assert_eq!(reply["type"], 5, "deferred: {reply}");
    }
    let tokens: Vec<String> = edits.into_iter().map(|(t, _)| t).collect();
    all_eight_made(&fake, &tokens, &served.data, &served.store).await;
}

/// The same eight changes through the gateway (the real serenity client and the fake Discord).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_edits_through_the_gateway_are_all_written_and_audited() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    common::copy_data(&data);
    let (engine, _index) = common::engine_over(&data);
    let store = Store::open(dir.path().join("dossier.db").to_str().unwrap()).unwrap();
    let app = App::new(Arc::new(engine), settings(&fake)).with_feedback(Feedback {
        store: store.clone(),
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
    fake.identified(Duration::from_secs(20))
        .await
        .expect("the client identified");
    let edits = eight_edits(&fake);
    for (_, d) in &edits {
        fake.send_interaction(d);
    }
    let tokens: Vec<String> = edits.into_iter().map(|(t, _)| t).collect();
    all_eight_made(&fake, &tokens, &data, &store).await;
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), bot).await;
}
