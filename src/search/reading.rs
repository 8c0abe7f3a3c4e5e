//! A candidate passage read against the question: how much of the question it covers, each
//! sentence's lexical score (its share of the question, whether it holds what the question asks
//! for, whether its dates fall in the period asked about), and whether the passage holds the
//! kind of answer asked for at all.

use std::ops::Range;

use super::evidence::{self, holds};
use super::lexical::{Passage, concept_match};
use super::question::{Analysis, QuestionKind};
use crate::corpus::Role;
use crate::corpus::date::Date;

/// A candidate paragraph read against the question.
pub(super) struct Reading {
    /// Share of the question's weight found in the paragraph, its heading or descriptive words.
    pub(super) coverage: f32,
    pub(super) best_sentence: usize,
    pub(super) sentence_score: f32,
    /// Each sentence's lexical score: its share of the question, type and date fit.
    pub(super) sentence_scores: Vec<f32>,
    pub(super) matches: Vec<Range<usize>>,
    /// The paragraph has dates, none of them in the period asked about.
    pub(super) dates_outside: bool,
    /// A sentence about the question's subject holds what the question asks for: a date for
    /// "when", a person for "who", a number for "how many", an amount for "what did it cost".
    pub(super) has_answer_type: bool,
    /// A sentence about the question's subject holds the kind of answer asked for, for every
    /// kind that has one (a stretch of time included), wherever the asked-for thing stands:
    /// what the ranking rewards (`Weights::typed`).
    pub(super) typed: bool,
    /// Every name the question gives (capitalised, known to the article) occurs here.
    pub(super) names_all: bool,
    /// Whether each sentence holds the kind of answer asked for (`None`: any sentence may).
    pub(super) holding: Vec<Option<bool>>,
    /// The question names what the passage is ("the photo" for a caption, "the heading").
    pub(super) names_role: bool,
    /// The most specific word of the question the documents hold but this passage lacks, as a
    /// share of the most specific word's weight (0 when the passage holds them all).
    pub(super) absent: f32,
    /// Share of the question's known weight that this passage lacks.
    pub(super) absent_share: f32,
    /// The best sentence's share of the question's weight, its neighbours' words included.
    pub(super) sentence_cover: f32,
}

/// A concept is of the question's subject when its idf is at least this share of the most
/// specific concept's.
const SUBJECT_IDF: f32 = 0.6;

/// A sentence is about the question's subject when it holds at least this share of the weight
/// of the question's known words.
const SUBJECT_SHARE: f32 = 0.3;

/// A word of the question in the passage's heading counts this share of one in its text.
const HEADING_SHARE: f32 = 0.5;

/// What a sentence's lexical score gains when it holds the kind of answer asked for: a date for
/// "when" (the kind most often given by one word of the sentence), a place, anything else.
const HOLDS_DATE: f32 = 0.25;
const HOLDS_PLACE: f32 = 0.1;
const HOLDS_OTHER: f32 = 0.2;

/// What a sentence's lexical score gains when one of its dates lies in the period the question
/// names.
const DATE_IN_PERIOD: f32 = 0.3;

/// How much a passage counts next to body text, by role (see [`role_factor`]).
const TITLE_FACTOR: f32 = 0.9;
const CAPTION_FACTOR: f32 = 0.7;
const HEADING_FACTOR: f32 = 0.6;

pub(super) fn read_candidate(a: &Analysis, p: &Passage, question_words: &[String]) -> Reading {
    let text = p.text.as_str();
    let sentences = p.sentences.as_slice();
    let total = a.total_weight().max(f32::EPSILON);
    let (heading_tokens, meta_tokens, sentence_tokens) =
        (&p.heading_tokens, &p.meta_tokens, &p.sentence_tokens);
    let range = a.range();

    let mut paragraph_weight = 0.0;
    let mut matches = Vec::new();
    let mut per_sentence = vec![0.0f32; sentences.len()];
    // Sentences that name the question's subject: one of its most specific known concepts.
    let mut about = vec![false; sentences.len()];
    // Sentences that name the question's most specific known concept (what was paid for, in
    // a "how much").
    let mut names_subject = vec![false; sentences.len()];
    let most_specific = a
        .concepts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.known)
        .max_by(|x, y| x.1.idf.total_cmp(&y.1.idf))
        .map(|(i, _)| i);
    let specific = SUBJECT_IDF
        * a.concepts
            .iter()
            .filter(|c| c.known)
            .map(|c| c.idf)
            .fold(0.0, f32::max);
    let known_weight: f32 = a.concepts.iter().filter(|c| c.known).map(|c| c.idf).sum();
    let most_idf = a
        .concepts
        .iter()
        .filter(|c| c.known)
        .map(|c| c.idf)
        .fold(0.0, f32::max);
    let (mut absent, mut absent_weight) = (0.0f32, 0.0f32);
    let mut known_per_sentence = vec![0.0f32; sentences.len()];
    let mut passage_about = false;
    let mut names_all = true;
    let mut names_role = false;
    for (k, c) in a.concepts.iter().enumerate() {
        let mut best: f32 = 0.0;
        for (i, toks) in sentence_tokens.iter().enumerate() {
            let (m, ranges) = concept_match(c, toks);
            per_sentence[i] += c.idf * m;
            if m > 0.0 && c.known {
                known_per_sentence[i] += c.idf * m;
                about[i] |= c.idf >= specific;
                names_subject[i] |= most_specific == Some(k);
            }
            best = best.max(m);
            matches.extend(ranges);
        }
        let role_words = concept_match(c, meta_tokens).0;
        names_role |= role_words > 0.0;
        let framed = concept_match(c, heading_tokens).0.max(role_words);
        passage_about |= framed > 0.0 && c.known && c.idf >= specific;
        best = best
            .max(HEADING_SHARE * concept_match(c, heading_tokens).0)
            .max(concept_match(c, meta_tokens).0);
        paragraph_weight += c.idf * best;
        if c.known && best == 0.0 {
            absent_weight += c.idf;
            absent = absent.max(c.idf);
        }
        names_all &= !(c.entity && c.known) || best > 0.0;
    }
    // A sentence holding a good share of what the question names is about its subject too, and
    // so is every sentence of a passage whose heading or descriptive words name it.
    for (i, w) in known_per_sentence.iter().enumerate() {
        about[i] |= passage_about || *w >= SUBJECT_SHARE * known_weight;
    }

    let mut best_sentence = 0;
    let mut best_score = f32::MIN;
    let mut sentence_scores = Vec::with_capacity(sentences.len());
    let mut holding = Vec::with_capacity(sentences.len());
    for (i, s) in sentences.iter().enumerate() {
        let body = &text[s.range.clone()];
        let held = holds(a.kind, body, &s.dates, question_words);
        holding.push(held);
        let mut score = per_sentence[i] / total;
        if held == Some(true) {
            score += match a.kind {
                QuestionKind::When => HOLDS_DATE,
                QuestionKind::Place => HOLDS_PLACE,
                _ => HOLDS_OTHER,
            };
        }
        if let Some(r) = range
            && s.dates.iter().any(|d| d.overlaps(r))
        {
            score += DATE_IN_PERIOD;
        }
        sentence_scores.push(score);
        if score > best_score {
            best_score = score;
            best_sentence = i;
        }
    }
    let dates_outside = range.is_some_and(|r| {
        let dates: Vec<&Date> = sentences.iter().flat_map(|s| &s.dates).collect();
        !dates.is_empty() && !dates.iter().any(|d| d.overlaps(r))
    });
    matches.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let near_subject =
        |i: usize| about[i.saturating_sub(1)..(i + 2).min(about.len())].contains(&true);
    // Where the passage speaks of what is asked for ("how many F-16s", "the foreign minister"),
    // the answer stands next to it: a number before the thing counted, a name beside the office.
    let mut focus_seen = false;
    let mut attached = vec![false; sentences.len()];
    for &f in &a.focus {
        for (i, toks) in sentence_tokens.iter().enumerate() {
            let sentence = sentences[i].range.clone();
            for r in concept_match(&a.concepts[f], toks).1 {
                focus_seen = true;
                let before = &text[sentence.start..r.start.max(sentence.start)];
                let after = &text[r.end.min(sentence.end)..sentence.end];
                attached[i] |= evidence::attached(a.kind, before, after, question_words);
            }
        }
    }
    let typed = (0..sentences.len()).any(|i| holding[i] == Some(true) && near_subject(i));
    let has_answer_type = match a.kind {
        // A stretch of time is too often said in words ("since the Soviet era", "through
        // the Cold War") for its absence to be evidence: it only ranks sentences.
        QuestionKind::Place
        | QuestionKind::Duration
        | QuestionKind::Period
        | QuestionKind::Other => true,
        _ if focus_seen => (0..sentences.len()).any(|i| attached[i] && near_subject(i)),
        // An amount of money answers only in a sentence about what was paid for.
        QuestionKind::Money => {
            (0..sentences.len()).any(|i| holding[i] == Some(true) && names_subject[i])
        }
        _ => typed,
    };
    // The words the best sentence and its neighbours hold of the question.
    let window = best_sentence.saturating_sub(1)..(best_sentence + 2).min(sentences.len());
    let sentence_cover = a
        .concepts
        .iter()
        .map(|c| {
            let held = sentence_tokens[window.clone()]
                .iter()
                .map(|toks| concept_match(c, toks).0)
                .fold(0.0, f32::max);
            c.idf * held
        })
        .sum::<f32>()
        / total;
    Reading {
        absent: if most_idf > 0.0 {
            absent / most_idf
        } else {
            0.0
        },
        absent_share: if known_weight > 0.0 {
            absent_weight / known_weight
        } else {
            0.0
        },
        sentence_cover,
        has_answer_type,
        typed,
        names_all,
        coverage: paragraph_weight / total,
        best_sentence,
        sentence_score: best_score.max(0.0),
        sentence_scores,
        matches,
        dates_outside,
        holding,
        names_role,
    }
}

/// How much a passage of `role` counts next to body text; as much as body text when the
/// question names what it is ("who is in the photo" of a caption).
pub(super) fn role_factor(role: Role, named: bool) -> f32 {
    if named {
        return 1.0;
    }
    match role {
        Role::Body | Role::Byline => 1.0,
        Role::Title => TITLE_FACTOR,
        Role::Caption => CAPTION_FACTOR,
        Role::Heading => HEADING_FACTOR,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{analysis, concept, passage};
    use super::*;

    fn words(q: &str) -> Vec<String> {
        crate::corpus::words::plain_words(q).collect()
    }

    /// Sentences of a passage, each with the EDTF dates it holds.
    type Sentences<'a> = Vec<(&'a str, &'a [&'a str])>;

    /// Whether the passage of `sentences` holds what the question asks for.
    fn answers(a: &Analysis, question: &str, sentences: &[(&str, &[&str])]) -> bool {
        read_candidate(a, &passage(sentences), &words(question)).has_answer_type
    }

    #[test]
    fn a_caption_counts_as_body_text_when_the_question_names_it() {
        assert!(role_factor(Role::Caption, false) < role_factor(Role::Body, false));
        assert!(role_factor(Role::Heading, false) < role_factor(Role::Caption, false));
        assert_eq!(role_factor(Role::Caption, true), 1.0);
        assert_eq!(role_factor(Role::Heading, true), 1.0);
    }

    #[test]
    fn a_passage_holds_the_kind_of_answer_only_next_to_its_subject() {
        let su35 = || concept("su-35", 3.4, true);
        let lifted = || concept("embargo", 3.0, true);
        let when = analysis(QuestionKind::When, vec![lifted()], vec![]);
        let table: [(&str, &Analysis, &str, Sentences, bool); 4] = [
            (
                "a dated sentence about the subject",
                &when,
                "When was the embargo lifted?",
                vec![(
                    "In June 2014, Russia lifts arms embargo to Pakistan.",
                    &["2014-06"],
                )],
                true,
            ),
            (
                "no date anywhere",
                &when,
                "When was the embargo lifted?",
                vec![("Russia lifts arms embargo to Pakistan.", &[])],
                false,
            ),
            (
                "a date next to it counts",
                &when,
                "When was the embargo lifted?",
                vec![
                    ("It happened in 2014.", &["2014"]),
                    ("Russia lifts arms embargo to Pakistan.", &[]),
                ],
                true,
            ),
            (
                "money only beside another deal",
                &analysis(
                    QuestionKind::Money,
                    vec![su35(), concept("deal", 3.0, true)],
                    vec![],
                ),
                "What was the price of the Su-35 deal?",
                vec![
                    (
                        "September 20, 2015 Pakistan discussed with Russia to buy Su-35 jets.",
                        &["2015-09-20"],
                    ),
                    (
                        "October 15, 2015 Pakistan Russia sign $2.5bn deal for a pipeline.",
                        &["2015-10-15"],
                    ),
                ],
                false,
            ),
        ];
        for (label, a, question, sentences, expected) in table {
            assert_eq!(answers(a, question, &sentences), expected, "{label}");
        }
    }

    #[test]
    fn what_is_asked_for_needs_its_number_or_name_beside_it() {
        let f16 = analysis(
            QuestionKind::Quantity,
            vec![concept("f-16", 3.9, true), concept("approve", 3.0, true)],
            vec![0],
        );
        assert!(answers(
            &f16,
            "How many F-16s did the US approve?",
            &[("The US approval to sell new eight F-16 to Pakistan.", &[])]
        ));
        let helicopters = analysis(
            QuestionKind::Quantity,
            vec![
                concept("helicopters", 3.4, true),
                concept("receive", 2.0, true),
            ],
            vec![0],
        );
        assert!(!answers(
            &helicopters,
            "How many helicopters did Pakistan receive?",
            &[(
                "Russia started talks to provide Islamabad with combat Helicopters MI 35 and 20 tanks.",
                &[]
            )]
        ));
        let minister = analysis(
            QuestionKind::Who,
            vec![
                concept("foreign", 2.4, true),
                concept("minister", 1.5, true),
            ],
            vec![1],
        );
        assert!(!answers(
            &minister,
            "Who was the foreign minister?",
            &[(
                "President Putin sent his Foreign Minister to Pakistan.",
                &[]
            )]
        ));
        let chief = analysis(
            QuestionKind::Who,
            vec![concept("russian", 1.4, true), concept("chief", 2.6, true)],
            vec![1],
        );
        assert!(answers(
            &chief,
            "Who was the Russian chief?",
            &[(
                "Russian Army’s Commander in Chief Oleg Salyukov announced exercises.",
                &[]
            )]
        ));
    }

    #[test]
    fn every_name_of_the_question_must_be_in_the_passage() {
        let mut china = concept("china", 3.4, true);
        china.entity = true;
        let a = analysis(
            QuestionKind::Other,
            vec![china, concept("f-16", 3.9, true)],
            vec![],
        );
        let p = passage(&[("US approval to sell new eight F-16 to Pakistan.", &[])]);
        assert!(!read_candidate(&a, &p, &words("What did China say about the F-16?")).names_all);
        let p = passage(&[("China objected to the F-16 sale.", &[])]);
        assert!(read_candidate(&a, &p, &words("What did China say about the F-16?")).names_all);
    }
}
