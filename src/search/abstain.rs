//! Abstention: the bot refuses only on evidence that the article cannot answer.

use super::question::Analysis;
use super::rank::Scored;

/// How many of the best passages are read for the kind of answer asked for.
const TYPE_EVIDENCE: usize = 3;

/// Why the article cannot answer the question, when there is evidence that it cannot: a name
/// the question gives occurs nowhere in the article, or the question asks for a kind of thing
/// (a date, a person, a number) and none of the best passages holds one. Otherwise the
/// question is answered with the best passage, however unsure.
pub(super) fn unanswered(a: &Analysis, scored: &[Scored]) -> Option<&'static str> {
    if scored.is_empty() {
        return Some("nothing matches");
    }
    if a.concepts.iter().any(|c| c.entity && !c.known) {
        return Some("a name in the question is not in the article");
    }
    if !scored
        .iter()
        .take(TYPE_EVIDENCE)
        .any(|s| s.reading.has_answer_type)
    {
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
