//! The steps of the gateway scenario, in the order the test runs them against one client.

use super::*;

/// Connects with the GUILDS intent only and reports readiness and the shard in /metrics.
pub(super) async fn connects_and_reports_ready(
    fake: &FakeDiscord,
    metrics_addr: std::net::SocketAddr,
) {
    let identify = fake
        .identified(Duration::from_secs(20))
        .await
        .expect("the client identified");
    assert_eq!(identify["intents"], 1, "{identify:#}");

    // DOSSIER_METRICS_ADDR: ready once the shard is connected; the shard shows in /metrics.
    let mut readiness = Value::Null;
    for _ in 0..100 {
        if let Ok(response) = reqwest::get(format!("http://{metrics_addr}/readyz")).await {
            let ok = response.status() == 200;
            readiness = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
            if ok {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        readiness["checks"]["gateway"], "1/1 shards connected",
        "{readiness}"
    );
    assert_eq!(readiness["checks"]["database"], "reachable", "{readiness}");
    let metrics = reqwest::get(format!("http://{metrics_addr}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let scrape =
        prometheus_parse::Scrape::parse(metrics.lines().map(|l| Ok(l.to_string()))).unwrap();
    let connected = scrape
        .samples
        .iter()
        .find(|s| s.metric == "dossier_gateway_shards_connected")
        .map(|s| s.value.clone());
    assert_eq!(
        connected,
        Some(prometheus_parse::Value::Gauge(1.0)),
        "{metrics}"
    );
}

/// Registers every command in the server, with its options and who may run it.
pub(super) async fn registers_every_command(fake: &FakeDiscord) {
    let put = fake
        .wait_request(
            |r| r.method == "PUT" && r.path.ends_with("/guilds/666666666666666666/commands"),
            Duration::from_secs(10),
        )
        .await
        .expect("commands registered in the guild");
    let commands = put.body.as_array().unwrap();
    let names: Vec<&str> = commands
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "ask",
            "search",
            "timeline",
            "about",
            "help",
            "Ask dossier",
            "reindex",
            "gaps",
            "alias",
            "document"
        ]
    );
    for moderators_only in &commands[6..] {
        assert_eq!(moderators_only["default_member_permissions"], "32");
    }
    let ask = &commands[0];
    assert_eq!(ask["options"][0]["name"], "question");
    assert_eq!(ask["options"][0]["required"], true);
    assert_eq!(ask["options"][1]["name"], "hide");
    assert_eq!(commands[1]["options"][1]["min_value"], 1);
    assert_eq!(commands[1]["options"][1]["max_value"], 10);
    assert_eq!(commands[2]["options"][2]["autocomplete"], true);
}

/// `/ask`: an embed holding the answer sentence and its date.
pub(super) async fn asks(fake: &FakeDiscord) -> Value {
    // /ask: an embed holding the answer sentence and its date.
    let token = fake_discord::token();
    let d = fake_discord::ask(&token, "When did Russia lift its arms embargo on Pakistan?");
    check_fixture(&d);
    fake.send_interaction(&d);
    let reply = fake.callback(&token).await;
    assert_within_limits(&reply);
    assert_eq!(reply["type"], 4);
    let embed = &reply["data"]["embeds"][0];
    let description = embed["description"].as_str().unwrap();
    assert!(
        description.contains("__In **June 2014**, Russia lifts arms embargo to Pakistan"),
        "{description}"
    );
    assert_eq!(embed["fields"][0]["name"], "Date");
    assert_eq!(embed["fields"][0]["value"], "June 2014");
    assert!(
        embed["footer"]["text"]
            .as_str()
            .unwrap()
            .contains("M. Tahir Khan")
    );
    assert_eq!(reply["data"]["flags"].as_u64().unwrap_or(0) & 64, 0);
    reply
}

/// "Ask a follow-up" under an answer.
pub(super) async fn follows_up(fake: &FakeDiscord, reply: &Value) {
    // "Ask a follow-up": the button opens a form (type 9); the form sent back is answered in
    // the context of the earlier question.
    let follow = reply["data"]["components"][0]["components"][2].clone();
    assert_eq!(follow["label"], "Ask a follow-up", "{reply}");
    let token = fake_discord::token();
    let d = fake_discord::component(&token, follow["custom_id"].as_str().unwrap());
    check_fixture(&d);
    fake.send_interaction(&d);
    let form = fake.callback(&token).await;
    assert_eq!(form["type"], 9, "{form}");
    assert_eq!(
        form["data"]["components"][0]["components"][0]["required"],
        true
    );
    let token = fake_discord::token();
    let d = fake_discord::form_submit(
        &token,
        form["data"]["custom_id"].as_str().unwrap(),
        "and what did Pakistan want to buy then?",
    );
    check_fixture(&d);
    fake.send_interaction(&d);
    let answer = fake.callback(&token).await;
    assert_within_limits(&answer);
    let passage = answer["data"]["embeds"][0]["description"].to_string();
    assert!(passage.contains("Helicopters MI 35"), "{answer}");
}

/// "Ask dossier" on a message and `/ask` in a DM; `/help`.
pub(super) async fn asks_from_a_message_a_dm_and_help(fake: &FakeDiscord) {
    // "Ask dossier" on a message, and in a DM: the same answer; /help, ephemerally.
    for d in [
        fake_discord::message_command(
            &fake_discord::token(),
            "When did Russia lift its arms embargo on Pakistan?",
        ),
        fake_discord::in_dm(fake_discord::ask(
            &fake_discord::token(),
            "When did Russia lift its arms embargo on Pakistan?",
        )),
    ] {
        check_fixture(&d);
        let token = d["token"].as_str().unwrap().to_string();
        fake.send_interaction(&d);
        let reply = fake.callback(&token).await;
        assert_eq!(
            reply["data"]["embeds"][0]["fields"][0]["value"], "June 2014",
            "{reply}"
        );
    }
    let token = fake_discord::token();
    fake.send_interaction(&fake_discord::command(&token, "help", &[], "0", &[]));
    let help = fake.callback(&token).await;
    assert_eq!(help["data"]["flags"], 64, "{help}");
    assert!(help.to_string().contains("Ask dossier"), "{help}");
}

/// `/search` and its Next button.
pub(super) async fn pages_through_search(fake: &FakeDiscord) {
    // /search with two per page, then its Next button: page two.
    let token = fake_discord::token();
    let d = fake_discord::command(
        &token,
        "search",
        &[("query", json!("Russia Pakistan")), ("limit", json!(2))],
        "0",
        &[],
    );
    fake.send_interaction(&d);
    let page_one = fake.callback(&token).await;
    assert_within_limits(&page_one);
    assert!(
        page_one["data"]["embeds"][0]["footer"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Results 1–2 of")
    );
    let buttons = &page_one["data"]["components"][0]["components"];
    assert_eq!(buttons[0]["disabled"], true);
    let next = buttons[1]["custom_id"].as_str().unwrap();
    let token = fake_discord::token();
    let d = fake_discord::component(&token, next);
    check_fixture(&d);
    fake.send_interaction(&d);
    let page_two = fake.callback(&token).await;
    assert_within_limits(&page_two);
    assert_eq!(page_two["type"], 7, "a page turn updates the message");
    assert!(
        page_two["data"]["embeds"][0]["footer"]["text"]
            .as_str()
            .unwrap()
            .starts_with("Results 3–4 of")
    );
}

/// Forged button ids and tokens; autocomplete.
pub(super) async fn refuses_forged_ids_and_completes_topics(fake: &FakeDiscord) {
    // Forged button ids (issue 11) decode as on the HTTP endpoint: an ephemeral "no longer
    // valid", and the client keeps answering.
    let huge = format!("s:0:5:{}", "Russia ".repeat(60 * 1024 / 7));
    for id in [
        "s:4294967295:5:Russia",
        "s:1000000000000:5:Russia",
        "t:1000000000:::",
        "t:5000000000:::",
        "s:18446744073709551610:5:Russia",
        "t:0:2016:2014:",
        huge.as_str(),
    ] {
        let token = fake_discord::token();
        fake.send_interaction(&fake_discord::component(&token, id));
        let reply = fake.callback(&token).await;
        assert_eq!(reply["type"], 4, "{id:.40}");
        assert_eq!(reply["data"]["flags"], 64, "{id:.40}");
        let content = reply["data"]["content"].as_str().unwrap();
        assert!(content.contains("no longer valid"), "{id:.40}: {content}");
    }
    // A token that would walk the REST path elsewhere: nothing is sent at all.
    let before = fake.requests().len();
    let evil = "x/../../../../v10/channels/123/messages/456?";
    fake.send_interaction(&fake_discord::reindex(evil));

    // Autocomplete of the timeline topic: at most 25 suggestions.
    let token = fake_discord::token();
    let d = fake_discord::autocomplete(&token, "timeline", "topic", "Pu");
    check_fixture(&d);
    fake.send_interaction(&d);
    let choices = fake.callback(&token).await;
    assert_eq!(choices["type"], 8);
    let list = choices["data"]["choices"].as_array().unwrap();
    assert!(!list.is_empty() && list.len() <= 25, "{choices}");
    assert!(list.iter().any(|c| c["name"] == "Putin"), "{choices}");
    let after: Vec<_> = fake.requests().into_iter().skip(before).collect();
    assert!(
        after
            .iter()
            .all(|r| !r.path.contains("channels") && !r.path.contains("x/")),
        "{after:#?}"
    );
}

/// `/reindex` refused to members, run for moderators.
pub(super) async fn reindexes_for_moderators_only(fake: &FakeDiscord) {
    // /reindex from a member without Manage Server or a moderator role: refused, ephemerally.
    let token = fake_discord::token();
    fake.send_interaction(&fake_discord::command(
        &token,
        "reindex",
        &[],
        "0",
        &["123"],
    ));
    let refusal = fake.callback(&token).await;
    assert_eq!(refusal["type"], 4);
    assert_eq!(refusal["data"]["flags"], 64);
    assert!(
        refusal["data"]["content"]
            .as_str()
            .unwrap()
            .contains("Only moderators")
    );

    // From a moderator (by role, then by permission): deferred, then edited with the summary.
    for (permissions, roles) in [("0", vec![MODERATOR_ROLE]), (MANAGE_GUILD, vec![])] {
        let token = fake_discord::token();
        fake.send_interaction(&fake_discord::command(
            &token,
            "reindex",
            &[],
            permissions,
            &roles,
        ));
        let deferral = fake.callback(&token).await;
        assert_eq!(deferral["type"], 5);
        assert_eq!(deferral["data"]["flags"], 64);
        let edit = fake.edited(&token).await;
        let embed = &edit.body["embeds"][0];
        assert_eq!(embed["title"], "Index rebuilt");
        assert!(
            embed["description"]
                .as_str()
                .unwrap()
                .contains("40 paragraphs, 30 events"),
            "{edit:?}"
        );
    }
}

/// 👎 with a reason, `/gaps`, and its CSV export.
pub(super) async fn takes_feedback_and_lists_gaps(fake: &FakeDiscord, vote_down: &str) {
    // Feedback: 👎 on the answer, the reason through the form, then /gaps for a moderator.
    let token = fake_discord::token();
    fake.send_interaction(&fake_discord::component(&token, vote_down));
    let form = fake.callback(&token).await;
    assert_eq!(form["type"], 9, "{form}");
    let token = fake_discord::token();
    let submit = fake_discord::form_submit(
        &token,
        form["data"]["custom_id"].as_str().unwrap(),
        "wrong date",
    );
    check_fixture(&submit);
    fake.send_interaction(&submit);
    let thanks = fake.callback(&token).await;
    assert_eq!(thanks["data"]["flags"], 64, "{thanks}");
    let mut listed = String::new();
    for _ in 0..50 {
        let token = fake_discord::token();
        fake.send_interaction(&fake_discord::command(
            &token,
            "gaps",
            &[],
            MANAGE_GUILD,
            &[],
        ));
        // Deferred (privately: moderation), then the list in the edit.
        let deferred = fake.callback(&token).await;
        assert_eq!(
            (&deferred["type"], &deferred["data"]["flags"]),
            (&json!(5), &json!(64)),
            "{deferred}"
        );
        listed = fake.edited(&token).await.body["embeds"][0].to_string();
        if listed.contains("wrong date") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        listed.contains("arms embargo") && listed.contains("wrong date"),
        "{listed}"
    );
    // "Export CSV": deferred, then the edit carries the file (multipart over REST).
    let token = fake_discord::token();
    fake.send_interaction(&fake_discord::component_by(&token, "c:7", MANAGE_GUILD));
    let deferred = fake.callback(&token).await;
    assert_eq!(deferred["type"], 5, "{deferred}");
    let edit = fake.edited(&token).await;
    let csv = edit
        .files
        .first()
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).to_string())
        .unwrap_or_default();
    assert!(
        csv.contains("arms embargo") && csv.contains("wrong date"),
        "{edit:?}"
    );
}

/// Shutdown with a reply in flight.
pub(super) async fn shuts_down_after_the_reply_in_flight(
    fake: &FakeDiscord,
    stop: tokio::sync::oneshot::Sender<()>,
    bot: tokio::task::JoinHandle<anyhow::Result<()>>,
) {
    // Shutdown while a deferred reply is still being sent: Discord takes 2 s to accept the
    // edit, the stop comes right after the deferral, and `run` returns only once the edit has
    // reached Discord (bounded by DRAIN); the shards close and `run` returns cleanly.
    fake.slow_edits(Duration::from_secs(2));
    let token = fake_discord::token();
    fake.send_interaction(&fake_discord::component_by(&token, "c:7", MANAGE_GUILD));
    assert_eq!(fake.callback(&token).await["type"], 5);
    let stopping = std::time::Instant::now();
    stop.send(()).unwrap();
    let result = tokio::time::timeout(Duration::from_secs(15), bot)
        .await
        .expect("the bot stopped")
        .unwrap();
    assert!(result.is_ok(), "{result:?}");
    let suffix = format!("/{token}/messages/@original");
    let drained = fake
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH" && r.path.ends_with(&suffix));
    assert!(
        drained.is_some_and(|edit| !edit.files.is_empty()),
        "the gateway stopped before the in-flight reply was sent"
    );
    assert!(
        stopping.elapsed() < gateway::DRAIN,
        "{:?}",
        stopping.elapsed()
    );
}
