//! Answer quality on question sets, through the library, scored like `../shared/eval/score.py`
//! (normalised substring match of the gold answers; dates equal, or inside a range gold).
//! The floors sit just under the scores reached, so a change that quietly loses quality fails.
//! Every set here is fitting data of the learned fusion (`models/fusion/fusion.json`), so these
//! are in-sample figures; the held-out ones are in BENCHMARKS.md (`examples/squad.rs`).
//!
//! `tests/eval/dev.jsonl` is a copy of the public dev set; `tests/eval/extra.jsonl` holds
//! questions written independently of the code, to check that improvements generalise;
//! `tests/eval/held.jsonl` another such set, by a writer who never read the code.

use dossier::search::Answer;
use serde::Deserialize;

use crate::common;
#[path = "../eval/matching.rs"]
mod matching;
use matching::{contains_any, date_match};

#[derive(Deserialize)]
struct Question {
    id: String,
    question: String,
    category: String,
    answers: Vec<String>,
    date: Option<String>,
    /// For a follow-up pair: the earlier question and the follow-up to it.
    earlier: Option<String>,
    followup: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Scores {
    answerable: usize,
    p1: usize,
    a1: usize,
    r3: usize,
    dated: usize,
    date1: usize,
    unanswerable: usize,
    abstained: usize,
    false_abstentions: usize,
    misses: Vec<String>,
}

impl Scores {
    fn rate(hit: usize, n: usize) -> f64 {
        if n == 0 { 1.0 } else { hit as f64 / n as f64 }
    }

    /// Each rate by its name, as score.py prints them.
    pub(crate) fn rates(&self) -> [(&'static str, f64); 5] {
        [
            ("P@1", Scores::rate(self.p1, self.answerable)),
            ("A@1", Scores::rate(self.a1, self.answerable)),
            ("R@3", Scores::rate(self.r3, self.answerable)),
            ("Date@1", Scores::rate(self.date1, self.dated)),
            ("abstain", Scores::rate(self.abstained, self.unanswerable)),
        ]
    }

    fn add(&mut self, q: &Question, answer: &Answer) {
        let hits = &answer.hits;
        if q.answers.is_empty() {
            self.unanswerable += 1;
            if hits.is_empty() {
                self.abstained += 1;
            } else {
                self.misses
                    .push(format!("{} answered: {}", q.id, q.question));
            }
            return;
        }
        self.answerable += 1;
        let p1 = hits
            .first()
            .is_some_and(|h| contains_any(&h.text, &q.answers, 1200));
        let a1 = hits
            .first()
            .is_some_and(|h| contains_any(&h.answer, &q.answers, 400));
        let r3 = hits
            .iter()
            .take(3)
            .any(|h| contains_any(&h.text, &q.answers, 1200));
        self.p1 += usize::from(p1);
        self.a1 += usize::from(a1);
        self.r3 += usize::from(r3);
        self.false_abstentions += usize::from(hits.is_empty());
        let mut date_ok = true;
        if let Some(gold) = &q.date {
            self.dated += 1;
            date_ok = hits
                .first()
                .is_some_and(|h| date_match(gold, &h.dates, &q.category));
            self.date1 += usize::from(date_ok);
        }
        if !(p1 && a1 && date_ok) {
            self.misses.push(format!(
                "{} [{}] p1={p1} a1={a1} date={date_ok}: {}",
                q.id, q.category, q.question
            ));
        }
    }
}

fn score(file: &str) -> Scores {
    let (engine, _index) = common::article_engine();
    score_with(&engine, file)
}

/// The questions of `file` asked of `engine`, scored.
pub(crate) fn score_with(engine: &dossier::search::Engine, file: &str) -> Scores {
    let text = std::fs::read_to_string(file).unwrap();
    let mut scores = Scores::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let q: Question = serde_json::from_str(line).unwrap();
        let answer = match (&q.earlier, &q.followup) {
            (Some(earlier), Some(followup)) => engine.ask_after(earlier, followup),
            _ => engine.ask(&q.question),
        }
        .unwrap();
        scores.add(&q, &answer);
    }
    eprintln!(
        "{file}: P@1 {:.3} A@1 {:.3} R@3 {:.3} Date@1 {:.3} abstain {:.3} false-abstain {}\n  {}",
        Scores::rate(scores.p1, scores.answerable),
        Scores::rate(scores.a1, scores.answerable),
        Scores::rate(scores.r3, scores.answerable),
        Scores::rate(scores.date1, scores.dated),
        Scores::rate(scores.abstained, scores.unanswerable),
        scores.false_abstentions,
        scores.misses.join("\n  ")
    );
    scores
}

const fn floors(p1: f64, a1: f64, r3: f64, date1: f64, abstain: f64, refused: f64) -> Floors {
    Floors {
        p1,
        a1,
        r3,
        date1,
        abstain,
        max_false_abstentions: refused,
    }
}

// Just under what the shipped weights reach (see README, "How answers are chosen"). The
// answer-sentence model fitted on the SQuAD articles too (A@1 there 0.770 → 0.802 held out)
// costs this article two "who" sentences in FRESH2 (A@1 0.847).
const DEV: Floors = floors(0.95, 0.95, 0.98, 0.90, 0.0, 0.03);
const DEV2: Floors = floors(0.86, 0.72, 0.92, 0.98, 0.35, 0.03);
const EXTRA: Floors = floors(0.98, 0.98, 0.98, 0.98, 0.95, 0.03);
const HELD: Floors = floors(0.95, 0.88, 0.95, 0.98, 0.2, 0.03);
const FRESH: Floors = floors(0.85, 0.76, 0.93, 0.85, 0.2, 0.03);
const FRESH2: Floors = floors(0.88, 0.84, 0.95, 0.98, 0.2, 0.03);
const FOLLOWUPS: Floors = floors(0.9, 0.78, 0.98, 0.98, 0.0, 0.0);
const FRESH3: Floors = floors(0.73, 0.68, 0.89, 0.80, 0.15, 0.03);

/// Floors on the rates, and a ceiling on the share of answerable questions refused: the
/// costliest error for people asking.
struct Floors {
    p1: f64,
    a1: f64,
    r3: f64,
    date1: f64,
    abstain: f64,
    max_false_abstentions: f64,
}

fn assert_floors(s: &Scores, f: Floors) {
    let got = [
        ("P@1", Scores::rate(s.p1, s.answerable), f.p1),
        ("A@1", Scores::rate(s.a1, s.answerable), f.a1),
        ("R@3", Scores::rate(s.r3, s.answerable), f.r3),
        ("Date@1", Scores::rate(s.date1, s.dated), f.date1),
        (
            "abstain",
            Scores::rate(s.abstained, s.unanswerable),
            f.abstain,
        ),
    ];
    for (name, value, floor) in got {
        assert!(
            value >= floor,
            "{name} fell to {value:.3} (floor {floor}); misses:\n{}",
            s.misses.join("\n")
        );
    }
    let refused = Scores::rate(s.false_abstentions, s.answerable);
    assert!(
        refused <= f.max_false_abstentions,
        "{refused:.3} of answerable questions refused (ceiling {}); misses:\n{}",
        f.max_false_abstentions,
        s.misses.join("\n")
    );
}

/// The public set the weights were cross-validated on (with dev2).
#[test]
fn dev_set_keeps_its_scores() {
    let s = score("tests/eval/dev.jsonl");
    assert_eq!(s.answerable + s.unanswerable, 30);
    assert_floors(&s, DEV);
}

/// The second public set (`../shared/eval/dev2.jsonl`), a third of it typed as in Discord.
#[test]
fn second_public_set_keeps_its_scores() {
    let s = score("tests/eval/dev2.jsonl");
    assert_eq!(s.answerable + s.unanswerable, 73);
    assert_floors(&s, DEV2);
}

/// Our sets: `extra.jsonl` (written from the article), `held.jsonl`, `fresh.jsonl`,
/// `fresh2.jsonl` and `fresh3.jsonl` (written by people who never saw the code). They are pooled
/// with the public sets to choose the weights (`examples/tune.rs`, which reports each file held
/// out), so they are tuning data now, not tests of generalisation.
#[test]
fn independent_questions_keep_their_scores() {
    for (file, floors) in [
        ("tests/eval/extra.jsonl", EXTRA),
        ("tests/eval/held.jsonl", HELD),
        ("tests/eval/fresh.jsonl", FRESH),
        ("tests/eval/fresh2.jsonl", FRESH2),
        ("tests/eval/fresh3.jsonl", FRESH3),
    ] {
        let s = score(file);
        assert!(s.answerable >= 30, "{file}");
        assert_floors(&s, floors);
    }
}

/// Follow-up pairs written for the follow-up feature (`tests/eval/followups.jsonl`): a first
/// question and a follow-up that only makes sense after it, scored on the follow-up.
#[test]
fn follow_ups_are_answered_in_the_context_of_the_earlier_question() {
    let s = score("tests/eval/followups.jsonl");
    assert!(s.answerable >= 20);
    assert_floors(&s, FOLLOWUPS);
}

/// "How long …" asks for a stretch of time: on the article, the answer sentence gives one, in
/// words or in figures, for questions written for this test and in no question set.
#[test]
fn how_long_is_answered_by_a_stretch_of_time() {
    let (engine, _index) = common::article_engine();
    for (question, stretch) in [
        ("How long did Liaquat Ali Khan stay in America?", "23 days"),
        ("How long was General Raheel Sharif in Moscow?", "three day"),
        (
            "How long had the arms embargo been in place?",
            "since Soviet era",
        ),
    ] {
        let answer = engine.ask(question).unwrap();
        assert_eq!(answer.kind, dossier::search::QuestionKind::Duration);
        let first = answer.hits.first().expect(question);
        assert!(
            first.answer.contains(stretch),
            "{question}: {:?}",
            first.answer
        );
    }
}

/// A question about a picture is answered by its caption, which otherwise counts less than
/// body text.
#[test]
fn a_question_about_a_picture_is_answered_by_its_caption() {
    let (engine, _index) = common::article_engine();
    for question in [
        "Who is pictured with Putin?",
        "whose picture is shown with the russian president",
    ] {
        let answer = engine.ask(question).unwrap();
        let first = answer.hits.first().expect(question);
        assert!(
            first
                .text
                .contains("Nawaz Sharif with Russian President Vladimir Putin"),
            "{question}: {:?}",
            first.text
        );
    }
}
