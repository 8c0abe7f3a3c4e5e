//! The `dossier` binary on the real article, each test with its own copy of the data and its
//! own index in a temporary directory.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

mod add;
mod timeline;

mod index;

struct Workspace {
    dir: TempDir,
}

impl Workspace {
    /// A temporary directory holding a copy of the shipped `data/` and no index yet.
    fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        common::copy_data(&dir.path().join("data"));
        Workspace { dir }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, "")
    }

    fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("DOSSIER_DATA")
            .env_remove("DOSSIER_INDEX")
            .env_remove("DISCORD_TOKEN")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "dossier {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn ask(&self, question: &str) -> Value {
        serde_json::from_str(&self.ok(&["ask", "--json", question])).unwrap()
    }
}

fn write(path: &Path, contents: impl AsRef<[u8]>) {
    std::fs::write(path, contents).unwrap();
}

#[test]
fn ask_json_follows_the_contract() {
    let ws = Workspace::new();
    let answer = ws.ask("When did Russia lift its arms embargo on Pakistan?");
    assert_eq!(
        answer["question"],
        "When did Russia lift its arms embargo on Pakistan?"
    );
    let hits = answer["hits"].as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 5);
    let top = &hits[0];
    assert_eq!(top["kind"], "paragraph");
    assert_eq!(top["document"], "russia-pakistan-alliance");
    assert!(top["paragraph"].as_u64().is_some());
    assert!(
        top["text"]
            .as_str()
            .unwrap()
            .starts_with("In June 2014, Russia lifts arms embargo")
    );
    assert!(
        top["answer"]
            .as_str()
            .unwrap()
            .starts_with("In June 2014, Russia lifts arms embargo to Pakistan")
    );
    assert_eq!(top["dates"], serde_json::json!(["2014-06"]));
    assert!(top["score"].as_f64().unwrap() > 0.0);
    assert_eq!(top["answer_span"], "June 2014", "the exact answer");
    assert!(answer.get("reason").is_none(), "{answer}");
}

/// The exact answer of each kind, and the reason of a refusal, on the real article; the same
/// question gives the same answer in two runs.
#[test]
fn exact_answers_and_refusal_reasons_on_the_article() {
    let ws = Workspace::new();
    let spans = [
        ("Who wrote the article?", "M. Tahir Khan"),
        (
            "How many F-16s did the US approve for Pakistan?",
            "eight F-16",
        ),
    ];
    for (question, span) in spans {
        let answer = ws.ask(question);
        let got = answer["hits"][0]["answer_span"]
            .as_str()
            .unwrap_or_default();
        assert!(got.contains(span), "{question}: {answer}");
        let sentence = answer["hits"][0]["answer"].as_str().unwrap_or_default();
        assert!(sentence.contains(got), "a span is part of its sentence");
    }
    let refused = ws.ask("When did Erdogan visit Islamabad?");
    assert_eq!(refused["hits"], serde_json::json!([]));
    assert_eq!(refused["reason"], "unknown-name", "{refused}");
    let c = refused["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&c));
    let again = ws.ask("When did Erdogan visit Islamabad?");
    assert_eq!(refused, again, "deterministic");
}

#[test]
fn explain_shows_why_and_an_unknown_flag_is_an_error() {
    let ws = Workspace::new();
    let question = "When did Russia lift its arms embargo on Pakistan?";
    let out = ws.run(&["ask", "--json", "--explain", question]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        answer["question"], question,
        "the flag is not part of the question"
    );
    assert!(
        answer["hits"][0]["answer"]
            .as_str()
            .unwrap()
            .contains("June 2014")
    );
    let why = &answer["explain"];
    let p = why["answerable"].as_f64().unwrap();
    assert!(p > why["refuse_below"].as_f64().unwrap(), "{why}");
    let first = &why["candidates"][0];
    assert_eq!(first["paragraph"], answer["hits"][0]["paragraph"], "{why}");
    let sum: f64 = first["contributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[1].as_f64().unwrap())
        .sum();
    assert!(
        (sum - first["score"].as_f64().unwrap()).abs() < 1e-3,
        "the contributions add up to the score: {first}"
    );
    assert!(ws.ask(question).get("explain").is_none(), "only when asked");
    let text = ws.run(&["ask", "--explain", question]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Why: answerable") && text.contains("1. russia-pakistan-alliance"),
        "{text}"
    );

    let bogus = ws.run(&["ask", "--bogus", question]);
    assert!(!bogus.status.success());
    assert!(String::from_utf8_lossy(&bogus.stderr).contains("--bogus"));
    assert!(bogus.stdout.is_empty(), "nothing answered");
}

#[test]
fn questions_from_stdin_are_answered_in_order_in_one_process() {
    let ws = Workspace::new();
    let out = ws.run_with_stdin(
        &["ask", "--json"],
        "Who wrote this article?\n\nWhen did Crimea get annexed?\n",
    );
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["question"], "Who wrote this article?");
    assert!(
        lines[0]["hits"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Tahir Khan")
    );
    // An empty line gets an answer saying so, not an error exit.
    assert_eq!(lines[1]["hits"], serde_json::json!([]));
    assert!(lines[1]["error"].as_str().unwrap().contains("empty"));
    assert_eq!(
        lines[2]["hits"][0]["dates"],
        serde_json::json!(["2015-03-18"])
    );
}

#[test]
fn query_syntax_in_a_question_is_just_text() {
    let ws = Workspace::new();
    for question in [
        "embargo AND (Russia",
        "title:Russia embargo",
        "\"unclosed embargo",
        "*",
        "embargo~2",
        "-Russia +embargo",
        "Russia: what's the [deal]^3?",
    ] {
        let answer = ws.ask(question);
        assert!(answer["hits"].is_array(), "{question}: {answer}");
    }
    let answer = ws.ask("Russia AND embargo: (lifted)?");
    assert!(
        answer["hits"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Russia lifts arms embargo")
    );
}

#[test]
fn questions_the_article_does_not_answer_get_no_hits() {
    let ws = Workspace::new();
    let answer = ws.ask("What is the capital of Australia?");
    assert_eq!(answer["hits"], serde_json::json!([]));
    let text = ws.ok(&["ask", "What is the capital of Australia?"]);
    assert!(text.contains("does not answer"), "{text}");
}

/// A capitalised ordinary word ("Western", "House") is not taken for a name the article lacks;
/// a person it never mentions is.
#[test]
fn only_names_the_article_lacks_make_a_question_unanswerable() {
    let ws = Workspace::new();
    let answered = ws.ask("Which parts of Moscow's economy did the Western penalties hit?");
    let first = answered["hits"][0]["text"].as_str().unwrap_or_default();
    assert!(first.to_lowercase().contains("sanctions"), "{answered}");
    let refused = ws.ask("When did Erdogan visit Islamabad?");
    assert_eq!(refused["hits"], serde_json::json!([]), "{refused}");
}

#[test]
fn search_returns_passages_with_the_matched_words() {
    let ws = Workspace::new();
    let out: Value =
        serde_json::from_str(&ws.ok(&["search", "--json", "--limit", "3", "combat helicopters"]))
            .unwrap();
    assert_eq!(out["query"], "combat helicopters");
    let hits = out["hits"].as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 3);
    assert!(
        hits[0]["text"]
            .as_str()
            .unwrap()
            .contains("Helicopters MI 35")
    );
}

#[test]
fn the_console_answers_piped_slash_commands_like_discord() {
    let ws = Workspace::new();
    let out = ws.run_with_stdin(
        &["console"],
        "/ask question: when did Russia lift the embargo?\n\
         /timeline from: 2015-06 to: 2015-07\n\
         Who wrote this article?\n\
         /search query: helicopters limit: 1\n\
         /about\n\
         /help\n\
         /timeline from: someday\n\
         /nope\n",
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "» In June 2014, Russia lifts arms embargo to Pakistan",
        "Date: June 2014",
        "15 June 2015       June 15, 2015 General Raheel Sharif visited Moscow",
        "9 July 2015",
        "By M. Tahir Khan.",
        "(results 1–1 of 2)",
        "Russia & Pakistan – A New Alliance by M. Tahir Khan: 40 paragraphs, 30 events",
        "/timeline [from: 2014]",
        "Error: `from`: \"someday\" is not a date",
        "Error: There is no `/nope` command.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(
        !text.contains("20 September 2015"),
        "the range was not applied:\n{text}"
    );
}

#[test]
fn without_a_token_dossier_opens_the_console() {
    let ws = Workspace::new();
    let out = ws.run_with_stdin(&[], "/about\n");
    assert!(out.status.success());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("40 paragraphs, 30 events")
    );
}

#[test]
fn bad_configuration_is_named_at_start() {
    let ws = Workspace::new();
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--http", "127.0.0.1:0"])
        .current_dir(ws.dir.path())
        .env("DISCORD_PUBLIC_KEY", "not-a-key")
        .env("DOSSIER_SHARDS", "9/3")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("DISCORD_PUBLIC_KEY"), "{stderr}");
    assert!(stderr.contains("DOSSIER_SHARDS"), "{stderr}");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("serve")
        .current_dir(ws.dir.path())
        .env_remove("DISCORD_TOKEN")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("DISCORD_TOKEN: missing"));
}

/// Secrets never reach the logs, even at trace level.
#[test]
fn the_token_and_public_key_never_appear_in_logs() {
    let ws = Workspace::new();
    let token = "MTAwMDAwMDAwMDAwMDAwMDAw.SECRET-TOKEN.do-not-log-me";
    let key: String = ed25519_dalek::SigningKey::from_bytes(&[7; 32])
        .verifying_key()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    // The HTTP endpoint at trace level (nothing reaches Discord): start, then stop it. The
    // index is built first, so the endpoint is up (signal handlers in place) when stopped.
    ws.ok(&["reindex"]);
    let child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["serve", "--http", "127.0.0.1:0"])
        .current_dir(ws.dir.path())
        .env("RUST_LOG", "trace")
        .env("DISCORD_TOKEN", token)
        .env("DISCORD_PUBLIC_KEY", &key)
        .env("DISCORD_APPLICATION_ID", "222222222222222222")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(3000));
    #[cfg(unix)]
    terminate(child.id());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "SIGTERM exits 0: {:?}", out.status);
    let logs =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(logs.len() > 100, "expected trace logs: {logs}");
    assert!(!logs.contains("SECRET-TOKEN"), "token leaked");
    assert!(!logs.contains(&key), "public key leaked");
    // A malformed token is named without being printed.
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("serve")
        .current_dir(ws.dir.path())
        .env("RUST_LOG", "trace")
        .env("DISCORD_TOKEN", "short SECRET")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("DISCORD_TOKEN") && !stderr.contains("short SECRET"),
        "{stderr}"
    );
}

/// Sends SIGTERM with the `kill` command (no unsafe code, no extra crate).
#[cfg(unix)]
fn terminate(pid: u32) {
    let status = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// `--version` names the commit the binary was built from: the one checked out here.
#[test]
fn the_version_names_the_commit() {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    assert_eq!(
        version,
        format!("dossier {} (commit {head})", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn ask_after_answers_a_follow_up_in_the_context_of_the_earlier_question() {
    let ws = Workspace::new();
    let out = ws.ok(&[
        "ask",
        "--json",
        "--after",
        "What did Russia and Pakistan sign in November 2014?",
        "who signed it?",
    ]);
    let answer: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(answer["question"], "who signed it?", "{answer}");
    let understood = answer["understood_as"].as_str().unwrap_or_default();
    assert!(understood.contains("November 2014"), "{answer}");
    let first = answer["hits"][0]["text"].as_str().unwrap_or_default();
    assert!(first.contains("Khawaja Asif"), "{answer}");
    // The same follow-up alone has no subject: it is not answered with that passage.
    let alone: Value = serde_json::from_str(&ws.ok(&["ask", "--json", "who signed it?"])).unwrap();
    assert!(alone.get("understood_as").is_none(), "{alone}");
    // A follow-up to an empty earlier question is refused like an empty question.
    let out = ws.run(&["ask", "--after", " ", "and when?"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("empty"),
        "{out:?}"
    );
}

#[test]
fn the_console_follows_up_the_last_answer() {
    let ws = Workspace::new();
    let out = ws.run_with_stdin(
        &["console"],
        "/followup who signed it?\n\
         What jets did Pakistan discuss buying from Russia?\n\
         and when was that?\n",
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "Error: Ask a question first: `/followup` follows up the last answer.",
        "Understood as: when was jets Pakistan discuss buying from Russia",
        "Date: 20 September 2015",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}
