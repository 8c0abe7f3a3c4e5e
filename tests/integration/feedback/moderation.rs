//! Moderators teaching the bot from Discord: an alias that turns a refusal into an answer, a
//! document added (with its progress) and a broken one refused.

use super::*;

use std::ffi::OsString;
use std::path::Path;

/// `/alias add` teaches the bot a name the article never uses: the question it refused is
/// answered after the reindex, within the same session; `/alias remove` takes it back. Only
/// moderators may do either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alias_added_in_discord_turns_a_refusal_into_an_answer() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    common::copy_data(&dir.path().join("data"));
    let store = Store::open(dir.path().join("dossier.db").to_str().unwrap()).unwrap();
    let bot = Bot::start_over(&fake, store, &dir.path().join("data")).await;
    let question = "When did Moskva lift its arms embargo on Pakistan?";
    let hits = |reply: &Value| reply["data"]["embeds"][0]["fields"][0]["value"].clone();
    let before = bot.ask(question).await;
    assert!(
        before.to_string().contains("does not answer"),
        "refused before the alias: {before}"
    );

    let alias = |action: &str, permissions: &str| {
        let token = fake_discord::token();
        let mut body = fake_discord::command(&token, "alias", &[], permissions, &[]);
        body["data"]["options"] = json!([{"name": action, "type": 1, "options": [
            {"name": "term", "type": 3, "value": "Russia"},
            {"name": "also", "type": 3, "value": "Moskva"}
        ]}]);
        (token, body)
    };
    let (_, body) = alias("add", "0");
    let refused = bot.send(&body).await;
    assert!(
        refused["data"]["content"]
            .as_str()
            .unwrap()
            .contains("Only moderators"),
        "{refused}"
    );

    let (token, body) = alias("add", MANAGE_GUILD);
    let deferred = bot.send(&body).await;
    assert_eq!(deferred["type"], 5, "the reindex is deferred: {deferred}");
    let edited = fake.edited(&token).await;
    assert!(
        edited.body.to_string().contains("Index rebuilt"),
        "{}",
        edited.body
    );
    let aliases = std::fs::read_to_string(dir.path().join("data/aliases.toml")).unwrap();
    assert!(
        aliases.contains("\"Moskva\"") && aliases.starts_with("# Aliases"),
        "{aliases}"
    );
    let after = bot.ask(question).await;
    assert_eq!(hits(&after), "June 2014", "{after}");

    let (token, body) = alias("remove", MANAGE_GUILD);
    bot.send(&body).await;
    fake.edited(&token).await;
    assert!(
        !std::fs::read_to_string(dir.path().join("data/aliases.toml"))
            .unwrap()
            .contains("Moskva")
    );
}

/// A fake Discord and a bot over a copy of `data/` (in the directory returned, with its
/// database).
async fn over_a_copy_of_the_data() -> (FakeDiscord, tempfile::TempDir, Bot) {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    common::copy_data(&data);
    let store = Store::open(dir.path().join("dossier.db").to_str().unwrap()).unwrap();
    let bot = Bot::start_over(&fake, store, &data).await;
    (fake, dir, bot)
}

/// `/document add` of a second document makes a question the article cannot answer
/// answerable, cited from the new document; a broken attachment is refused with its reason and
/// nothing is written; `/document history` shows the change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_added_in_discord_answers_and_a_broken_one_is_refused() {
    let (fake, dir, bot) = over_a_copy_of_the_data().await;
    let data = dir.path().join("data");
    let question = "When was the Tarbela Dam completed?";
    let before = bot.ask(question).await;
    assert!(before.to_string().contains("does not answer"), "{before}");
    refuses_members_and_broken_attachments(&fake, &bot, &data).await;
    adds_a_document_that_answers(&fake, &bot, &data, question).await;
    shows_the_addition_in_the_history(&bot).await;
    shows_progress_while_encoding_a_long_document(&fake, &bot).await;
}

/// Documents as people have them, added in Discord through the signed HTTP endpoint: a real
/// PDF report, a real Wikipedia page sent under a `.txt` name (its content says what it is),
/// and a Markdown note; each is answered from, cited by its own title, with its dates.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pdf_a_web_page_and_markdown_added_in_discord_are_read_by_their_content() {
    let (fake, dir, bot) = over_a_copy_of_the_data().await;
    let data = dir.path().join("data");
    let formats = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    let sent = [
        (
            "workshop.pdf",
            "public/18f-agile-workshop-case-study.pdf",
            "(PDF)",
        ),
        ("mozilla.txt", "public/wikipedia-mozilla.html", "(web page)"),
        ("indus.md", "", "(Markdown)"),
    ];
    for (name, fixture, said) in sent {
        let bytes = if fixture.is_empty() {
            INDUS_MD.as_bytes().to_vec()
        } else {
            std::fs::read(formats.join(fixture)).unwrap()
        };
        let token = fake_discord::token();
        let url = fake.host_file(name, &bytes);
        let body = fake_discord::document_add(&token, name, &url, bytes.len(), &[], MANAGE_GUILD);
        assert_eq!(bot.send(&body).await["type"], 5);
        let edited = fake.edited(&token).await.body.to_string();
        assert!(
            edited.contains("Index rebuilt") && edited.contains(said),
            "{edited}"
        );
    }
    assert!(data.join("workshop.pdf").exists() && data.join("mozilla.html").exists());
    assert!(!data.join("mozilla.txt").exists());
    for (question, answer, title) in [
        (
            "When was the name Firefox chosen?",
            "February 9, 2004",
            "Mozilla",
        ),
        (
            "How many teams did the workshop at 18F have?",
            "two teams",
            "18F",
        ),
        (
            "When was the Mangla Dam raised?",
            "2009",
            "Dams of the Indus",
        ),
    ] {
        let reply = bot.ask(question).await;
        let embed = &reply["data"]["embeds"][0];
        assert!(embed.to_string().contains(answer), "{question}: {reply}");
        assert!(
            embed["footer"]["text"]
                .as_str()
                .is_some_and(|f| f.contains(title)),
            "{question}: cited from {title}: {reply}"
        );
    }
}

/// A Markdown note with front matter.
const INDUS_MD: &str = "---\ntitle: Dams of the Indus\nauthor: A. Engineer\ndate: 2021-06-01\n---\n\
                        # Dams of the Indus\n\nMangla Dam on the Jhelum was finished in 1967 and \
                        raised in 2009 to hold more water.\n\n## Tarbela\n\nTarbela Dam on the \
                        Indus was finished in 1976.\n";

/// The text of the document added: three paragraphs on the Tarbela Dam.
const TARBELA: &str = "The Tarbela Dam\n\nThe Tarbela Dam on the Indus River was completed in 1976. \
                       It was built with funding from the World Bank.\n\nIts power station was \
                       extended in 2018, when a fourth tunnel was added.\n";

/// The names of the files in the data folder, sorted.
fn files(data: &Path) -> Vec<OsString> {
    let mut names: Vec<_> = std::fs::read_dir(data)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    names
}

/// A `/document add` of a file the fake Discord hosts, and the token of its interaction.
fn add(
    fake: &FakeDiscord,
    name: &str,
    bytes: &[u8],
    size: usize,
    permissions: &str,
) -> (String, Value) {
    let token = fake_discord::token();
    let url = fake.host_file(name, bytes);
    let options = [("title", "The Tarbela Dam"), ("author", "A. Engineer")];
    let body = fake_discord::document_add(&token, name, &url, size, &options, permissions);
    (token, body)
}

/// A member is refused, and so is every broken attachment, with its reason and nothing written.
async fn refuses_members_and_broken_attachments(fake: &FakeDiscord, bot: &Bot, data: &Path) {
    let untouched = files(data);

    // A member without Manage Server is refused before anything is downloaded.
    let (_, body) = add(fake, "tarbela.txt", TARBELA.as_bytes(), TARBELA.len(), "0");
    let refused = bot.send(&body).await;
    assert!(refused.to_string().contains("Only moderators"), "{refused}");

    // Broken attachments: refused with the reason, nothing written.
    let large = vec![b'a'; 2 * 1024 * 1024];
    let broken: [(&str, &[u8], usize, &str); 4] = [
        ("dam.png", b"\x89PNG\r\n", 6, "not a document"),
        ("dam.txt", &large, large.len(), "too large"),
        ("dam.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "binary"),
        ("dam.txt", b"caf\xe9 cr\xe8me", 11, "not valid UTF-8"),
    ];
    for (name, bytes, size, reason) in broken {
        let (token, body) = add(fake, name, bytes, size, MANAGE_GUILD);
        let reply = bot.send(&body).await;
        let said = if reply["type"] == 5 {
            fake.edited(&token).await.body["content"].to_string()
        } else {
            reply["data"]["content"].to_string()
        };
        assert!(said.contains(reason), "{name}: {said}");
        assert_eq!(files(data), untouched, "{name}: nothing written");
    }
    // An attachment whose real size is over the limit, whatever Discord said of it.
    let (token, body) = add(fake, "dam.txt", &large, 100, MANAGE_GUILD);
    bot.send(&body).await;
    let said = fake.edited(&token).await.body["content"].to_string();
    assert!(said.contains("too large"), "{said}");
    assert_eq!(files(data), untouched);
}

/// A moderator adds the document, and the question it answers is answered, citing it.
async fn adds_a_document_that_answers(fake: &FakeDiscord, bot: &Bot, data: &Path, question: &str) {
    let (token, body) = add(
        fake,
        "Tarbela.txt",
        TARBELA.as_bytes(),
        TARBELA.len(),
        MANAGE_GUILD,
    );
    assert_eq!(bot.send(&body).await["type"], 5);
    let edited = fake.edited(&token).await;
    assert!(
        edited.body.to_string().contains("Index rebuilt"),
        "{}",
        edited.body
    );
    assert!(data.join("tarbela.txt").exists() && data.join("tarbela.toml").exists());

    let after = bot.ask(question).await;
    let embed = &after["data"]["embeds"][0];
    assert!(embed.to_string().contains("1976"), "{after}");
    assert!(
        embed["footer"]["text"]
            .as_str()
            .is_some_and(|f| f.contains("The Tarbela Dam")),
        "cited from the new document: {after}"
    );
}

/// `/document history` lists the document added.
async fn shows_the_addition_in_the_history(bot: &Bot) {
    let token = fake_discord::token();
    let mut body = fake_discord::command(&token, "document", &[], MANAGE_GUILD, &[]);
    body["data"]["options"] = json!([{"name": "history", "type": 1, "options": []}]);
    let history = bot.send(&body).await;
    assert!(
        history.to_string().contains("document add") && history.to_string().contains("tarbela"),
        "{history}"
    );
}

/// The text of a long document: 200 paragraphs of three sentences made of a dozen words.
fn long_document() -> String {
    let words = [
        "harbour",
        "railway",
        "treaty",
        "reactor",
        "festival",
        "refinery",
        "corridor",
        "summit",
        "tariff",
        "province",
        "satellite",
        "pipeline",
    ];
    (0..200)
        .map(|i: usize| {
            let w = |k: usize| words[(i / 12usize.pow(k as u32) + k) % 12];
            format!(
                "The {} of the {} was opened in {}. Its {} served the {} for {} years. \
                 Engineers from the {} district planned a second {}.",
                w(0),
                w(1),
                1800 + i,
                w(2),
                w(0),
                i % 90 + 3,
                w(1),
                w(2)
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A long document shows its encoding progress in the deferral, then the reply replaces it.
async fn shows_progress_while_encoding_a_long_document(fake: &FakeDiscord, bot: &Bot) {
    // A long document (600 sentences, none seen before) takes seconds to encode: meanwhile
    // the deferral shows how far it has come, then the reply replaces it.
    let long = long_document();
    let (token, body) = add(fake, "long.txt", long.as_bytes(), long.len(), MANAGE_GUILD);
    assert_eq!(bot.send(&body).await["type"], 5);
    // Seconds alone; minutes while the other tests run beside it.
    let done = fake.edited_within(&token, Duration::from_secs(300)).await;
    assert!(
        done.body.to_string().contains("Index rebuilt"),
        "{}",
        done.body
    );
    let edits = fake.edits(&token);
    let shown: Vec<String> = edits
        .iter()
        .filter(|e| fake_discord::is_progress(e))
        .map(|e| e.body["content"].to_string())
        .collect();
    assert!(
        !shown.is_empty() && shown.iter().all(|s| s.contains("% encoded")),
        "progress shown while encoding: {edits:?}"
    );
    assert!(
        !fake_discord::is_progress(edits.last().unwrap()),
        "the reply is the last edit: {shown:?}"
    );
    eprintln!("progress shown: {shown:?}");
}
