//! Nothing lost under load, bad questions, or arbitrary input.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use dossier::corpus::date;
use dossier::search::{Engine, SearchError};
use proptest::prelude::*;

const ARTICLE: &str = "russia-pakistan-alliance.txt";
const QUESTION: &str = "When did Russia lift its arms embargo on Pakistan?";

/// While four threads keep asking, 50 reindexes alternate between two versions of the data
/// (the embargo lifted in June or in July 2014). Every answer must succeed and come wholly
/// from one version: the passage, the answer sentence and its date agree.
#[test]
fn answers_never_fail_or_mix_versions_during_50_reindexes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    common::copy_data(&data);
    let june = std::fs::read_to_string(data.join(ARTICLE)).unwrap();
    let july = june.replace("In June 2014, Russia lifts", "In July 2014, Russia lifts");
    assert_ne!(june, july);
    let engine = Arc::new(Engine::open(&data, &dir.path().join("index")).unwrap());

    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let askers: Vec<_> = (0..4)
        .map(|_| {
            let (engine, stop, answered) = (engine.clone(), stop.clone(), answered.clone());
            std::thread::spawn(move || {
                let mut seen = [0usize; 2];
                while !stop.load(Ordering::Relaxed) {
                    let answer = engine.ask(QUESTION).expect("an answer during reindex");
                    let top = answer.hits.first().expect("a hit during reindex");
                    let dates: Vec<String> = top.dates.iter().map(|d| d.edtf()).collect();
                    let version = if top.text.contains("In June 2014") {
                        assert!(top.answer.contains("June 2014"), "{top:?}");
                        assert_eq!(dates, ["2014-06"], "mixed versions: {top:?}");
                        0
                    } else {
                        assert!(top.text.contains("In July 2014"), "{top:?}");
                        assert!(top.answer.contains("July 2014"), "{top:?}");
                        assert_eq!(dates, ["2014-07"], "mixed versions: {top:?}");
                        1
                    };
                    seen[version] += 1;
                    answered.fetch_add(1, Ordering::Relaxed);
                }
                seen
            })
        })
        .collect();
    for i in 0..50 {
        let text = if i % 2 == 0 { &july } else { &june };
        std::fs::write(data.join(ARTICLE), text).unwrap();
        let summary = engine.reindex().unwrap();
        assert_eq!(summary.changed.len(), 1, "{summary}");
    }
    stop.store(true, Ordering::Relaxed);
    let mut seen = [0usize; 2];
    for asker in askers {
        let s = asker.join().expect("no asker panicked");
        seen[0] += s[0];
        seen[1] += s[1];
    }
    eprintln!(
        "{} answers during 50 reindexes, 0 failed (June version {}, July version {})",
        answered.load(Ordering::Relaxed),
        seen[0],
        seen[1]
    );
    assert!(seen[0] > 0 && seen[1] > 0, "both versions served: {seen:?}");
}

#[test]
fn a_second_reindex_while_one_runs_is_told_it_is_busy() {
    let (engine, _dir) = common::article_engine();
    let engine = Arc::new(engine);
    let busy = (0..8)
        .map(|_| {
            let engine = engine.clone();
            std::thread::spawn(move || matches!(engine.reindex(), Err(SearchError::Busy)))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .filter(|b| *b)
        .count();
    assert!(busy < 8, "at least one reindex ran");
}

#[test]
fn hostile_questions_get_a_reply_never_a_panic() {
    let (engine, _dir) = common::article_engine();
    let long = "embargo ".repeat(12_800); // 100 kB
    for question in [
        "a AND (b",
        "title:x",
        "\"unclosed",
        "*",
        "~2",
        "",
        "   \t ",
        "🇵🇰🇷🇺 embargo? 🤔",
        "متى رفعت روسيا الحظر؟",
        "em\u{200b}bargo\u{202e} lifted\u{0}?",
        "\u{0}\u{1}\u{7f}",
        "Ⱥ 𞹤Rip¡", // lower-casing changes byte lengths (found by the fuzz test)
        long.as_str(),
    ] {
        match engine.ask(question) {
            Ok(_) | Err(SearchError::EmptyQuestion) | Err(SearchError::QuestionTooLong { .. }) => {}
            Err(other) => panic!("{question:?}: {other}"),
        }
    }
    assert!(matches!(
        engine.ask(&long),
        Err(SearchError::QuestionTooLong { .. })
    ));
    assert!(matches!(
        engine.ask(" \u{200b} "),
        Err(SearchError::EmptyQuestion)
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any text: `ask` and `search` answer or refuse cleanly.
    #[test]
    fn any_question_is_answered_or_refused(question in "\\PC{0,120}") {
        let engine = shared_engine();
        for result in [engine.ask(&question).map(|_| ()), engine.search(&question, 0, 5).map(|_| ())] {
            match result {
                Ok(()) | Err(SearchError::EmptyQuestion) | Err(SearchError::QuestionTooLong { .. }) => {}
                Err(other) => prop_assert!(false, "{other}"),
            }
        }
    }

    /// Any text: the date recogniser returns well-formed dates inside the text.
    #[test]
    fn the_date_recogniser_never_panics(text in "[0-9A-Za-z ,./–-]{0,80}") {
        for mention in date::recognise(&text) {
            prop_assert!(mention.start <= mention.end && mention.end <= text.len());
            prop_assert!(mention.date.lo() <= mention.date.hi());
            prop_assert!(dossier::corpus::Date::parse_edtf(&mention.date.edtf()).is_some());
        }
        let _ = date::parse_user_date(&text);
    }
}

fn shared_engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<(Engine, tempfile::TempDir)> = std::sync::OnceLock::new();
    &ENGINE.get_or_init(common::article_engine).0
}
