use super::lexicon::edit_distance;
use super::*;

#[test]
fn control_zero_width_and_bidi_characters_are_removed() {
    assert_eq!(
        clean("  when\u{200b} did\u{0}\tit\u{202e} happen?\n"),
        "when did it happen?"
    );
    assert_eq!(clean("\u{200b}\u{feff} \u{7}"), "");
}

#[test]
fn question_kinds_follow_the_question_words() {
    let k = |q: &str| {
        kind_of(
            &q.to_lowercase(),
            q.chars().any(|c| c.is_ascii_digit()) && q.contains("20"),
        )
    };
    assert_eq!(k("When did Russia lift the embargo?"), QuestionKind::When);
    assert_eq!(
        k("In what year did the USSR broker peace?"),
        QuestionKind::When
    );
    assert_eq!(k("Who signed the deal?"), QuestionKind::Who);
    assert_eq!(
        k("Which Pakistani leader offered the army?"),
        QuestionKind::Who
    );
    assert_eq!(
        k("How many F-16s did the US approve?"),
        QuestionKind::Quantity
    );
    assert_eq!(
        k("Between which cities will the pipeline run?"),
        QuestionKind::Place
    );
    assert_eq!(k("What happened in 2015?"), QuestionKind::Period);
    assert_eq!(
        k("How long did the general stay in Moscow?"),
        QuestionKind::Duration
    );
    assert_eq!(k("how much time did the war take"), QuestionKind::Duration);
    assert_eq!(
        k("How long ago was the embargo lifted?"),
        QuestionKind::When
    );
    assert_eq!(k("How much did the deal cost?"), QuestionKind::Money);
    assert_eq!(k("what price did they pay"), QuestionKind::Money);
    assert_eq!(k("How much did relations improve?"), QuestionKind::Quantity);
    assert_eq!(k("What were the drills called?"), QuestionKind::Name);
    assert_eq!(k("Why was the visit called off?"), QuestionKind::Other);
    assert_eq!(k("wats the name of the ambassador"), QuestionKind::Name);
    assert_eq!(
        k("Who was the minister named in the deal?"),
        QuestionKind::Who
    );
    assert_eq!(k("Why is India in an odd position?"), QuestionKind::Other);
}

#[test]
fn the_focus_is_what_the_question_asks_for() {
    let focus = |q: &str| {
        let lower = q.to_lowercase();
        let words: Vec<String> = crate::corpus::words::plain_words(&lower)
            .filter(|w| !w.is_empty())
            .collect();
        let kind = kind_of(&lower, false);
        focus_words(kind, &words, &vec![false; words.len()])
            .into_iter()
            .map(|i| words[i].clone())
            .collect::<Vec<_>>()
    };
    let table: [(&str, &[&str]); 11] = [
        (
            "How many Mi-35 helicopters did Pakistan receive?",
            &["helicopters"],
        ),
        ("how many f16s did the us ok", &["f16s"]),
        ("Who was Russia's foreign minister then?", &["minister"]),
        (
            "What is the name of the Indian defence minister?",
            &["minister"],
        ),
        (
            "What was the name of the minister who went there?",
            &["minister"],
        ),
        (
            "what was the name of the first russia pak joint exercise",
            &["exercise"],
        ),
        (
            "What were the planned Russian-Pakistani drills called?",
            &["drills"],
        ),
        ("Who visited Moscow in June 2015?", &[]),
        ("Who went to Russia after the foreign minister's trip?", &[]),
        (
            "Which Russian general announced the exercises?",
            &["general"],
        ),
        ("When did Russia lift the embargo?", &[]),
    ];
    for (q, expected) in table {
        assert_eq!(focus(q), expected, "{q}");
    }
}

#[test]
fn model_names_typed_without_a_hyphen_are_split() {
    assert_eq!(glued_model("f16s"), Some(("f", "16")));
    assert_eq!(glued_model("su35"), Some(("su", "35")));
    assert_eq!(glued_model("mi35"), Some(("mi", "35")));
    assert_eq!(glued_model("2015"), None);
    assert_eq!(glued_model("1990s"), None);
    assert_eq!(glued_model("covid19"), None);
    assert_eq!(glued_model("f"), None);
}

#[test]
fn edit_distance_counts_transpositions_once() {
    assert_eq!(edit_distance("embago", "embargo"), 1);
    assert_eq!(edit_distance("pipline", "pipeline"), 1);
    assert_eq!(edit_distance("ebmargo", "embargo"), 1);
    assert_eq!(edit_distance("liquified", "liquefied"), 1);
}
