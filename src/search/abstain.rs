//! Abstention: the bot refuses only on evidence that the article cannot answer.

use super::question::Analysis;
use super::rank::Scored;
use super::reading::Reading;

/// How many of the best passages are read for the kind of answer asked for.
const TYPE_EVIDENCE: usize = 2;

/// A passage is about the question when it covers at least this share of the question's weight.
const ABOUT_COVERAGE: f32 = 0.25;

/// Why the article cannot answer the question, when there is evidence that it cannot: a name
/// the question gives occurs nowhere in the article or not in the best passage; what it asks
/// about ("how many *bombs*", "the name of the *ambassador*") occurs nowhere; or it asks for a
/// kind of thing (a date, a person, a number) and none of the best passages holds one that
/// fits its subject. Otherwise the question is answered with the best passage, however unsure.
pub(super) fn unanswered(a: &Analysis, best: &[&Reading]) -> Option<&'static str> {
    let Some(first) = best.first() else {
        return Some("nothing matches");
    };
    if a.concepts.iter().any(|c| c.entity && !c.known) {
        return Some("a name in the question is not in the article");
    }
    if !a.focus.is_empty() && a.focus.iter().all(|&f| !a.concepts[f].known) {
        return Some("the article never mentions what is asked about");
    }
    if !first.names_all {
        return Some("the best passage does not mention a name the question gives");
    }
    // A passage that covers little of the question says nothing of what the article holds:
    // only passages about the question can show that the asked-for kind is missing.
    let about: Vec<&&Reading> = best
        .iter()
        .take(TYPE_EVIDENCE)
        .filter(|r| r.coverage >= ABOUT_COVERAGE)
        .collect();
    if !about.is_empty() && !about.iter().any(|r| r.has_answer_type) {
        return Some("the best passages lack the kind of answer asked for");
    }
    None
}

pub(super) fn nearest_topics(scored: &[Scored]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in scored.iter().take(6) {
        let label = s.hit.heading.clone().unwrap_or_else(|| {
            let words: Vec<&str> = s.hit.answer.split_whitespace().take(8).collect();
            format!("{}…", words.join(" "))
        });
        if !out.contains(&label) {
            out.push(label);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{analysis, concept};
    use super::super::question::QuestionKind;
    use super::*;

    fn reading(coverage: f32, has_answer_type: bool, names_all: bool) -> Reading {
        Reading {
            coverage,
            best_sentence: 0,
            sentence_score: coverage,
            sentence_scores: vec![coverage],
            matches: Vec::new(),
            dates_outside: false,
            has_answer_type,
            typed: has_answer_type,
            names_all,
            holding: vec![None],
            names_role: false,
        }
    }

    #[test]
    fn the_bot_refuses_only_on_evidence() {
        let su35 = concept("su-35", 3.0, true);
        let bombs = concept("bomb", 5.0, false);
        let mut iran = concept("iran", 5.0, false);
        iran.entity = true;
        let mut china = concept("china", 3.0, true);
        china.entity = true;
        let when = analysis(QuestionKind::When, vec![su35.clone()], vec![]);
        let table: [(&str, Analysis, Vec<Reading>, Option<&str>); 9] = [
            (
                "answers",
                when.clone(),
                vec![reading(0.8, true, true)],
                None,
            ),
            ("nothing", when.clone(), vec![], Some("nothing matches")),
            (
                "unknown name",
                analysis(QuestionKind::Other, vec![iran, su35.clone()], vec![]),
                vec![reading(0.8, true, true)],
                Some("a name in the question is not in the article"),
            ),
            (
                "counted thing unknown",
                analysis(QuestionKind::Quantity, vec![bombs, su35.clone()], vec![0]),
                vec![reading(0.8, true, true)],
                Some("the article never mentions what is asked about"),
            ),
            (
                "name not in the best passage",
                analysis(QuestionKind::Other, vec![china, su35.clone()], vec![]),
                vec![reading(0.8, true, false), reading(0.7, true, true)],
                Some("the best passage does not mention a name the question gives"),
            ),
            (
                "passages about it lack a date",
                when.clone(),
                vec![reading(0.8, false, true), reading(0.5, false, true)],
                Some("the best passages lack the kind of answer asked for"),
            ),
            (
                "the second passage has one",
                when.clone(),
                vec![reading(0.8, false, true), reading(0.5, true, true)],
                None,
            ),
            (
                "only the third has one",
                when.clone(),
                vec![
                    reading(0.8, false, true),
                    reading(0.5, false, true),
                    reading(0.5, true, true),
                ],
                Some("the best passages lack the kind of answer asked for"),
            ),
            (
                "passages not about the question prove nothing",
                when,
                vec![reading(0.1, false, true), reading(0.05, false, true)],
                None,
            ),
        ];
        for (label, a, readings, expected) in table {
            let best: Vec<&Reading> = readings.iter().collect();
            assert_eq!(unanswered(&a, &best), expected, "{label}");
        }
    }
}
