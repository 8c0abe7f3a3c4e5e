//! The steps of the HTTP interactions scenario, in the order the test runs them against one
//! server.

use super::*;

/// "Ask dossier" answers a long message from its first 500 characters and refuses an empty one.
pub(super) async fn asks_from_a_message(server: &Server) {
    // "Ask dossier" on a long message: its first 500 characters, and the reply says so; on a
    // message without text, a usage error.
    let long = format!(
        "When did Russia lift its arms embargo on Pakistan? {}",
        "I have been wondering about this for a while. ".repeat(20)
    );
    let (status, reply) = server
        .signed(&fake_discord::message_command(
            &fake_discord::token(),
            &long,
        ))
        .await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(
        reply["data"]["embeds"][0]["fields"][0]["value"], "June 2014",
        "{reply}"
    );
    assert!(
        reply["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("first 500 characters")),
        "{reply}"
    );
    let (_, reply) = server
        .signed(&fake_discord::message_command(&fake_discord::token(), "  "))
        .await;
    assert!(reply.to_string().contains("no text"), "{reply}");
}

/// `/ask` with `hide: true` answers at once and ephemerally; returns the reply.
pub(super) async fn asks_hidden(server: &Server) -> Value {
    // /ask → type 4 with the answer.
    let ask = fake_discord::command(
        &fake_discord::token(),
        "ask",
        &[
            ("question", json!("When did Crimea get annexed?")),
            ("hide", json!(true)),
        ],
        "0",
        &[],
    );
    let (status, reply) = server.signed(&ask).await;
    assert_eq!(status, 200);
    assert_eq!(reply["type"], 4);
    assert_eq!(reply["data"]["flags"], 64, "hide: true is ephemeral");
    assert_eq!(reply["data"]["allowed_mentions"]["parse"], json!([]));
    let embed = &reply["data"]["embeds"][0];
    assert!(embed["description"].as_str().unwrap().contains("Crimea"));
    assert_eq!(embed["fields"][0]["value"], "18 March 2015");
    reply
}

/// "Ask a follow-up" under an answer opens a form answered in the context of its question.
pub(super) async fn follows_up(server: &Server, reply: &Value) {
    // "Ask a follow-up" under the answer opens a form (type 9) carrying the question; the
    // form sent back (type 5 interaction) is answered in the context of that question.
    let follow = reply["data"]["components"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["label"] == "Ask a follow-up")
        .expect("a follow-up button")["custom_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, form) = server
        .signed(&fake_discord::component(&fake_discord::token(), &follow))
        .await;
    assert_eq!(form["type"], 9, "{form}");
    let form_id = form["data"]["custom_id"].as_str().unwrap().to_string();
    assert!(form_id.contains("Crimea"), "{form}");
    let (status, answer) = server
        .signed(&fake_discord::form_submit(
            &fake_discord::token(),
            &form_id,
            "what did the US and EU do after that?",
        ))
        .await;
    assert_eq!(
        (status, answer["type"].as_u64()),
        (200, Some(4)),
        "{answer}"
    );
    let passage = answer["data"]["embeds"][0]["description"].to_string();
    assert!(passage.contains("international restrictions"), "{answer}");
    assert!(
        answer["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("Understood as") && c.contains("Crimea")),
        "{answer}"
    );
}

/// `/timeline` is deferred, then edited with its first page and picture; Next edits in page two.
pub(super) async fn pages_through_the_timeline(fake: &FakeDiscord, server: &Server) {
    // /timeline: deferred (seen by everyone), then the edit brings the list and its picture
    // as a multipart file shown in the embed; Next → page two, the picture left in place.
    let token = fake_discord::token();
    let timeline = fake_discord::command(&token, "timeline", &[], "0", &[]);
    let (_, deferred) = server.signed(&timeline).await;
    assert_eq!(deferred["type"], 5, "{deferred}");
    assert_eq!(deferred["data"]["flags"].as_u64().unwrap_or(0) & 64, 0);
    let edit = fake.edited(&token).await;
    let page_one = json!({"data": edit.body});
    assert_eq!(
        page_one["data"]["embeds"][0]["footer"]["text"],
        "Events 1–10 of 30"
    );
    assert_eq!(
        page_one["data"]["embeds"][0]["image"]["url"],
        "attachment://timeline.png"
    );
    let (name, png) = edit.files.first().expect("the picture is attached");
    assert_eq!(name, "timeline.png");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    // 800 px wide; a 26 px row for each of the 30 events under an 88 px head, 20 px margin.
    assert_eq!(
        (be(&png[16..20]), be(&png[20..24])),
        (800, 88 + 30 * 26 + 20)
    );
    let next = page_one["data"]["components"][0]["components"][1]["custom_id"]
        .as_str()
        .unwrap()
        .to_string();
    // The page turn is acknowledged (type 6), then the message is edited in place with page
    // two and its picture attached again: an update without the file would drop it.
    let token = fake_discord::token();
    let (status, turned) = server.signed(&fake_discord::component(&token, &next)).await;
    assert_eq!(status, 200);
    assert_eq!(turned["type"], 6, "{turned}");
    let edit = fake.edited(&token).await;
    assert_eq!(
        edit.body["embeds"][0]["footer"]["text"],
        "Events 11–20 of 30"
    );
    assert_eq!(
        edit.body["embeds"][0]["image"]["url"],
        "attachment://timeline.png"
    );
    let (name, png) = edit.files.first().expect("the picture stays with page two");
    assert_eq!(name, "timeline.png");
    assert!(
        png.len() <= 150 * 1024,
        "the picture of 30 events is {} bytes",
        png.len()
    );
}

/// Autocomplete of a `/timeline` topic offers between 1 and 25 choices.
pub(super) async fn completes_topics(server: &Server) {
    // Autocomplete → at most 25 choices.
    let (_, choices) = server
        .signed(&fake_discord::autocomplete(
            &fake_discord::token(),
            "timeline",
            "topic",
            "",
        ))
        .await;
    assert_eq!(choices["type"], 8);
    let n = choices["data"]["choices"].as_array().unwrap().len();
    assert!((1..=25).contains(&n), "{n}");
}

/// `/reindex` is refused to a member and deferred, then summed up, for a moderator.
pub(super) async fn reindexes_for_moderators_only(fake: &FakeDiscord, server: &Server) {
    // /reindex by a member without permission: refused, ephemerally.
    let (_, refusal) = server
        .signed(&fake_discord::command(
            &fake_discord::token(),
            "reindex",
            &[],
            "0",
            &[],
        ))
        .await;
    assert_eq!(refusal["type"], 4);
    assert_eq!(refusal["data"]["flags"], 64);

    // By a moderator: deferred at once, then the summary PATCHed to the fake Discord.
    let token = fake_discord::token();
    let (_, deferral) = server.signed(&fake_discord::reindex(&token)).await;
    assert_eq!(deferral["type"], 5);
    assert_eq!(deferral["data"]["flags"], 64);
    let edit = fake.edited(&token).await;
    assert_eq!(edit.body["embeds"][0]["title"], "Index rebuilt");
}

/// The server stops cleanly when told to.
pub(super) async fn shuts_down(server: &mut Server) {
    // Graceful shutdown.
    server.stop.take().unwrap().send(()).unwrap();
    let result = tokio::time::timeout(Duration::from_secs(10), &mut server.task)
        .await
        .expect("the server stopped")
        .unwrap();
    assert!(result.is_ok());
}
