//! Forged button ids, and any payload, signed or not, well-formed or not: answered without a
//! 5xx (proptest against the endpoint in this process), the process alive.

use super::*;

/// The endpoint in this process for the proptest: started once, on its own runtime.
struct Endpoint {
    runtime: tokio::runtime::Runtime,
    url: String,
    client: reqwest::Client,
    _fake: FakeDiscord,
    _index: tempfile::TempDir,
}

fn endpoint() -> &'static Endpoint {
    static ENDPOINT: std::sync::OnceLock<Endpoint> = std::sync::OnceLock::new();
    ENDPOINT.get_or_init(|| {
        use dossier::bot::App;
        use dossier::config::{CooldownRule, Settings};
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (engine, index) = common::engine_over(data());
        let (url, fake) = runtime.block_on(async {
            let fake = FakeDiscord::start().await;
            let settings = Settings {
                public_key: Some(fake_discord::public_key_hex()),
                application_id: Some(APP_ID.parse().unwrap()),
                api_proxy: Some(fake.rest.clone()),
                admin_guilds: vec![fake_discord::GUILD_ID.parse().unwrap()],
                cooldown: CooldownRule {
                    commands: u32::MAX,
                    window: Duration::from_secs(1),
                },
                ..Settings::default()
            };
            let app = App::new(Arc::new(engine), settings);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            tokio::spawn(dossier::bot::transport::http::run(
                app,
                listener,
                Box::pin(std::future::pending()),
            ));
            (url, fake)
        });
        Endpoint {
            runtime,
            url,
            client: reqwest::Client::new(),
            _fake: fake,
            _index: index,
        }
    })
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300)
}

/// Button ids shaped like the bot's (with any numbers and text) and anything at all.
fn custom_id() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        ("[st]", any::<u64>(), any::<u64>(), "\\PC{0,30}")
            .prop_map(|(k, a, b, rest)| format!("{k}:{a}:{b}:{rest}")),
        (
            "[st]",
            "[0-9]{0,25}",
            "[0-9:]{0,8}",
            "[0-9X./-]{0,12}",
            "\\PC{0,20}"
        )
            .prop_map(|(k, a, b, c, d)| format!("{k}:{a}:{b}:{c}:{d}")),
        "\\PC{0,120}",
        ("\\PC{0,4}", 90usize..3000).prop_map(|(s, n)| format!("s:0:5:{}", s.repeat(n))),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases()))]

    /// Arbitrary button ids, option values and autocomplete text, signed, through the real
    /// endpoint: never a 5xx, always an answer.
    #[test]
    fn any_payload_is_answered_without_a_5xx(
        id in custom_id(),
        name in proptest::prop_oneof!["ask", "search", "timeline", "reindex", "\\PC{0,40}"],
        text in "\\PC{0,700}",
        date in "[0-9A-Za-z ./X-]{0,40}",
        limit in proptest::prelude::any::<i64>(),
    ) {
        let e = endpoint();
        let payloads = [
            fake_discord::component(&fake_discord::token(), &id),
            fake_discord::command(&fake_discord::token(), &name, &[
                ("question", json!(text)), ("query", json!(text)), ("limit", json!(limit)),
                ("from", json!(date)), ("to", json!(text)), ("topic", json!(text)),
            ], "0", &[]),
            fake_discord::command(&fake_discord::token(), "timeline", &[("from", json!(date)), ("to", json!(date))], "0", &[]),
            fake_discord::autocomplete(&fake_discord::token(), "timeline", "topic", &text),
        ];
        for payload in payloads {
            let bytes = payload.to_string().into_bytes();
            let (status, reply) = e.runtime.block_on(
                fake_discord::post_signed(&e.client, &e.url, &bytes, fake_discord::now_secs()));
            proptest::prop_assert!(status < 500, "{status}: {reply}");
            proptest::prop_assert!(status == 200 || status == 400, "{status}: {reply}");
        }
    }
}

/// The forged button ids of the issue, and one of 60 KB.
fn forged_ids() -> Vec<String> {
    let mut ids: Vec<String> = [
        "s:4294967295:5:Russia",
        "s:1000000000000:5:Russia",
        "t:1000000000:::",
        "t:5000000000:::",
        "s:18446744073709551610:5:Russia",
        "t:0:2016:2014:",
    ]
    .map(String::from)
    .to_vec();
    ids.push(format!("s:0:5:{}", "Russia ".repeat(60 * 1024 / 7)));
    ids
}

fn assert_no_longer_valid(status: u16, reply: &Value, what: &str) {
    assert_eq!(status, 200, "{what}: {reply}");
    assert_eq!(reply["type"], 4, "{what}: a new message, not a page turn");
    assert_eq!(reply["data"]["flags"], 64, "{what}: ephemeral");
    let content = reply["data"]["content"].as_str().unwrap_or_default();
    assert!(content.contains("no longer valid"), "{what}: {content}");
}

/// Finding 1 (and the no-abort guarantee): each forged button id gets the ephemeral "no
/// longer valid" reply, and the process keeps answering after each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_button_ids_get_an_ephemeral_reply_and_the_process_lives() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .unwrap()
        .replace(' ', "");
    assert!(
        !manifest.contains("panic=\"abort\""),
        "a panic must unwind, not abort"
    );
    let fake = FakeDiscord::start().await;
    let mut bot = Bot::start(&fake, data(), "1000/10");
    for id in forged_ids() {
        let (status, reply) = bot
            .signed(&fake_discord::component(&fake_discord::token(), &id))
            .await;
        assert_no_longer_valid(status, &reply, &id[..id.len().min(40)]);
        bot.answers().await;
        assert!(bot.alive(), "the process died on {:.40}", id);
    }
    // A well-formed button past the last result (made before a reindex, say).
    let (status, reply) = bot
        .signed(&fake_discord::component(
            &fake_discord::token(),
            "s:9990:5:Russia",
        ))
        .await;
    assert_no_longer_valid(status, &reply, "past the end");
    let logs = bot.logs().join("\n");
    assert!(!logs.contains("memory allocation"), "{logs}");
    assert!(!logs.contains("panicked"), "{logs}");
}
