//! A candidate passage read against the question: how much of the question it covers, each
//! sentence's lexical score (its share of the question, whether it holds what the question asks
//! for, whether its dates fall in the period asked about), and whether the passage holds the
//! kind of answer asked for at all.

use std::ops::Range;

use super::evidence::{self, holds};
use super::lexical::{Passage, concept_match};
use super::params::Params;
use super::question::{Analysis, QuestionKind};
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

/// Reads a candidate passage against the question.
pub(super) fn read_candidate(
    a: &Analysis,
    p: &Passage,
    question_words: &[String],
    params: &Params,
) -> Reading {
    let total = a.total_weight().max(f32::EPSILON);
    let found = Found::in_passage(a, p, params);
    let sentences = SentenceScores::of(a, p, &found.per_sentence, question_words, params);
    let (has_answer_type, typed) = answer_type(a, p, &found, &sentences.holding, question_words);
    let range = a.range();
    let dates_outside = range.is_some_and(|r| {
        let dates: Vec<&Date> = p.sentences.iter().flat_map(|s| &s.dates).collect();
        !dates.is_empty() && !dates.iter().any(|d| d.overlaps(r))
    });
    let mut matches = found.matches;
    matches.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    Reading {
        absent: if found.most_idf > 0.0 {
            found.absent / found.most_idf
        } else {
            0.0
        },
        absent_share: if found.known_weight > 0.0 {
            found.absent_weight / found.known_weight
        } else {
            0.0
        },
        sentence_cover: sentence_cover(a, p, sentences.best) / total,
        has_answer_type,
        typed,
        names_all: found.names_all,
        coverage: found.paragraph_weight / total,
        best_sentence: sentences.best,
        sentence_score: sentences.best_score.max(0.0),
        sentence_scores: sentences.scores,
        matches,
        dates_outside,
        holding: sentences.holding,
        names_role: found.names_role,
    }
}

/// What the question's concepts find in a passage, sentence by sentence.
struct Found {
    /// The question's weight found in the paragraph, its heading or descriptive words.
    paragraph_weight: f32,
    matches: Vec<Range<usize>>,
    /// Each sentence's share of the question's weight (not yet divided by the total).
    per_sentence: Vec<f32>,
    /// Sentences that name the question's subject: one of its most specific known concepts.
    about: Vec<bool>,
    /// Sentences that name the question's most specific known concept (what was paid for, in
    /// a "how much").
    names_subject: Vec<bool>,
    known_weight: f32,
    most_idf: f32,
    absent: f32,
    absent_weight: f32,
    names_all: bool,
    names_role: bool,
}

impl Found {
    fn in_passage(a: &Analysis, p: &Passage, params: &Params) -> Found {
        let n = p.sentences.len();
        let known = || a.concepts.iter().filter(|c| c.known);
        let most_specific = a
            .concepts
            .iter()
            .enumerate()
            .filter(|(_, c)| c.known)
            .max_by(|x, y| x.1.idf.total_cmp(&y.1.idf))
            .map(|(i, _)| i);
        let most_idf = known().map(|c| c.idf).fold(0.0, f32::max);
        let specific = params.subject_idf * most_idf;
        let mut found = Found {
            paragraph_weight: 0.0,
            matches: Vec::new(),
            per_sentence: vec![0.0; n],
            about: vec![false; n],
            names_subject: vec![false; n],
            known_weight: known().map(|c| c.idf).sum(),
            most_idf,
            absent: 0.0,
            absent_weight: 0.0,
            names_all: true,
            names_role: false,
        };
        let mut known_per_sentence = vec![0.0f32; n];
        let mut passage_about = false;
        for (k, c) in a.concepts.iter().enumerate() {
            let mut best: f32 = 0.0;
            for (i, toks) in p.sentence_tokens.iter().enumerate() {
                let (m, ranges) = concept_match(c, toks);
                found.per_sentence[i] += c.idf * m;
                if m > 0.0 && c.known {
                    known_per_sentence[i] += c.idf * m;
                    found.about[i] |= c.idf >= specific;
                    found.names_subject[i] |= most_specific == Some(k);
                }
                best = best.max(m);
                found.matches.extend(ranges);
            }
            let in_heading = concept_match(c, &p.heading_tokens).0;
            let role_words = concept_match(c, &p.meta_tokens).0;
            found.names_role |= role_words > 0.0;
            passage_about |= in_heading.max(role_words) > 0.0 && c.known && c.idf >= specific;
            best = best.max(params.heading_share * in_heading).max(role_words);
            found.paragraph_weight += c.idf * best;
            if c.known && best == 0.0 {
                found.absent_weight += c.idf;
                found.absent = found.absent.max(c.idf);
            }
            found.names_all &= !(c.entity && c.known) || best > 0.0;
        }
        // A sentence holding a good share of what the question names is about its subject too,
        // and so is every sentence of a passage whose heading or descriptive words name it.
        for (i, w) in known_per_sentence.iter().enumerate() {
            found.about[i] |= passage_about || *w >= params.subject_share * found.known_weight;
        }
        found
    }

    /// Sentence `i` or a neighbour is about the question's subject.
    fn near_subject(&self, i: usize) -> bool {
        self.about[i.saturating_sub(1)..(i + 2).min(self.about.len())].contains(&true)
    }
}

/// Each sentence's lexical score, whether it holds the kind of answer asked for, and the best.
struct SentenceScores {
    best: usize,
    best_score: f32,
    scores: Vec<f32>,
    holding: Vec<Option<bool>>,
}

impl SentenceScores {
    fn of(
        a: &Analysis,
        p: &Passage,
        per_sentence: &[f32],
        question_words: &[String],
        params: &Params,
    ) -> Self {
        let total = a.total_weight().max(f32::EPSILON);
        let range = a.range();
        let mut out = SentenceScores {
            best: 0,
            best_score: f32::MIN,
            scores: Vec::with_capacity(p.sentences.len()),
            holding: Vec::with_capacity(p.sentences.len()),
        };
        for (i, s) in p.sentences.iter().enumerate() {
            let body = &p.text[s.range.clone()];
            let held = holds(a.kind, body, &s.dates, question_words);
            out.holding.push(held);
            let mut score = per_sentence[i] / total;
            if held == Some(true) {
                score += match a.kind {
                    QuestionKind::When => params.holds_date,
                    QuestionKind::Place => params.holds_place,
                    _ => params.holds_other,
                };
            }
            if let Some(r) = range
                && s.dates.iter().any(|d| d.overlaps(r))
            {
                score += params.date_in_period;
            }
            out.scores.push(score);
            if score > out.best_score {
                out.best_score = score;
                out.best = i;
            }
        }
        out
    }
}

/// Whether the passage holds the kind of answer asked for near the question's subject (as
/// evidence for refusal), and whether it holds it for every kind that has one (as ranked).
fn answer_type(
    a: &Analysis,
    p: &Passage,
    found: &Found,
    holding: &[Option<bool>],
    question_words: &[String],
) -> (bool, bool) {
    let n = p.sentences.len();
    // Where the passage speaks of what is asked for ("how many F-16s", "the foreign minister"),
    // the answer stands next to it: a number before the thing counted, a name beside the office.
    let mut focus_seen = false;
    let mut attached = vec![false; n];
    for &f in &a.focus {
        for (i, toks) in p.sentence_tokens.iter().enumerate() {
            let sentence = p.sentences[i].range.clone();
            for r in concept_match(&a.concepts[f], toks).1 {
                focus_seen = true;
                let before = &p.text[sentence.start..r.start.max(sentence.start)];
                let after = &p.text[r.end.min(sentence.end)..sentence.end];
                attached[i] |= evidence::attached(a.kind, before, after, question_words);
            }
        }
    }
    let typed = (0..n).any(|i| holding[i] == Some(true) && found.near_subject(i));
    let has_answer_type = match a.kind {
        // A stretch of time is too often said in words ("since the Soviet era", "through
        // the Cold War") for its absence to be evidence: it only ranks sentences.
        QuestionKind::Place
        | QuestionKind::Duration
        | QuestionKind::Period
        | QuestionKind::Other => true,
        _ if focus_seen => (0..n).any(|i| attached[i] && found.near_subject(i)),
        // An amount of money answers only in a sentence about what was paid for.
        QuestionKind::Money => (0..n).any(|i| holding[i] == Some(true) && found.names_subject[i]),
        _ => typed,
    };
    (has_answer_type, typed)
}

/// The question's weight that the best sentence and its neighbours hold.
fn sentence_cover(a: &Analysis, p: &Passage, best: usize) -> f32 {
    let window = best.saturating_sub(1)..(best + 2).min(p.sentences.len());
    a.concepts
        .iter()
        .map(|c| {
            let held = p.sentence_tokens[window.clone()]
                .iter()
                .map(|toks| concept_match(c, toks).0)
                .fold(0.0, f32::max);
            c.idf * held
        })
        .sum::<f32>()
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
        read_candidate(a, &passage(sentences), &words(question), &Params::SHIPPED).has_answer_type
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
        assert!(
            !read_candidate(
                &a,
                &p,
                &words("What did China say about the F-16?"),
                &Params::SHIPPED
            )
            .names_all
        );
        let p = passage(&[("China objected to the F-16 sale.", &[])]);
        assert!(
            read_candidate(
                &a,
                &p,
                &words("What did China say about the F-16?"),
                &Params::SHIPPED
            )
            .names_all
        );
    }
}
