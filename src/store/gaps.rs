//! `/gaps`: logged questions written alike grouped into one gap each, in near-linear time and
//! off the store thread (the store only reads the rows), so 6,000 questions take milliseconds
//! and never hold a vote waiting.
//!
//! Two questions are alike when their content words are the same or mostly so (Jaccard
//! similarity at least 0.6): "when was the embargo lifted?" and "When was the embargo lifted"
//! count as one. A question is compared only with the gaps that share one of its rarest words
//! (prefix filtering, Bayardo et al. 2007: two sets that similar must share one of the first
//! `n − ⌈0.6 n⌉ + 1` words of each, rarest first), not with every gap.

use std::collections::HashMap;

use super::Gap;

/// One logged question as the store reads it.
pub(super) struct Row {
    pub question: String,
    pub outcome: String,
    pub at: i64,
    pub down_votes: u32,
    pub reason: Option<String>,
}

/// The gaps of `rows` (in the order asked), most asked first; questions answered well and
/// never voted down are no gap.
pub(super) fn group(rows: Vec<Row>) -> Vec<Gap> {
    let words: Vec<Vec<String>> = rows.iter().map(|r| content_words(&r.question)).collect();
    let mut frequency: HashMap<&str, usize> = HashMap::new();
    for w in words.iter().flatten() {
        *frequency.entry(w).or_default() += 1;
    }
    let mut gaps: Vec<(Gap, Vec<String>)> = Vec::new();
    let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_text: HashMap<String, usize> = HashMap::new();
    for (row, mut words) in rows.into_iter().zip(words.iter().cloned()) {
        words.sort_by(|a, b| {
            frequency[a.as_str()]
                .cmp(&frequency[b.as_str()])
                .then(a.cmp(b))
        });
        let text = row.question.trim().to_lowercase();
        let found = if words.is_empty() {
            by_text.get(&text).copied()
        } else {
            let mut candidates: Vec<usize> = prefix(&words)
                .iter()
                .filter_map(|w| by_word.get(w))
                .flatten()
                .copied()
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            candidates.into_iter().find(|&i| alike(&words, &gaps[i].1))
        };
        let i = found.unwrap_or_else(|| {
            let i = gaps.len();
            if words.is_empty() {
                by_text.insert(text, i);
            }
            for w in prefix(&words) {
                by_word.entry(w.clone()).or_default().push(i);
            }
            let gap = Gap {
                question: row.question.clone(),
                count: 0,
                abstained: 0,
                unsure: 0,
                down_votes: 0,
                reasons: Vec::new(),
                last_asked: row.at,
            };
            gaps.push((gap, words));
            i
        });
        let gap = &mut gaps[i].0;
        gap.count += 1;
        gap.last_asked = gap.last_asked.max(row.at);
        gap.abstained += u32::from(row.outcome == "abstained");
        gap.unsure += u32::from(row.outcome == "unsure");
        gap.down_votes += row.down_votes;
        if let Some(reason) = row.reason.filter(|r| !r.is_empty())
            && !gap.reasons.contains(&reason)
        {
            gap.reasons.push(reason);
        }
    }
    let mut gaps: Vec<Gap> = gaps
        .into_iter()
        .map(|(gap, _)| gap)
        .filter(|g| g.abstained + g.unsure + g.down_votes > 0)
        .collect();
    gaps.sort_by(|a, b| b.count.cmp(&a.count).then(b.last_asked.cmp(&a.last_asked)));
    gaps
}

/// The rarest words of a set that any set at least 0.6 like it shares one of.
fn prefix(words: &[String]) -> &[String] {
    let n = words.len();
    let needed = (3 * n).div_ceil(5);
    &words[..(n + 1).saturating_sub(needed).min(n)]
}

/// Jaccard similarity of two word sets at least 0.6.
fn alike(a: &[String], b: &[String]) -> bool {
    let shared = a.iter().filter(|w| b.contains(w)).count();
    let union = a.len() + b.len() - shared;
    shared * 5 >= union * 3
}

/// The question's distinct words that are not stopwords, lowercased.
fn content_words(question: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in crate::corpus::words::plain_words(question) {
        if !crate::corpus::words::is_stopword(&word) && !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(question: &str, outcome: &str) -> Row {
        Row {
            question: question.into(),
            outcome: outcome.into(),
            at: 1,
            down_votes: 0,
            reason: None,
        }
    }

    /// The old pairwise grouping, as the reference.
    fn pairwise(rows: &[Row]) -> Vec<(String, u32)> {
        let mut groups: Vec<(String, Vec<String>, u32)> = Vec::new();
        for r in rows {
            let words = content_words(&r.question);
            let found = groups.iter().position(|(q, w, _)| {
                if words.is_empty() && w.is_empty() {
                    q.trim().eq_ignore_ascii_case(r.question.trim())
                } else {
                    !words.is_empty() && !w.is_empty() && alike(&words, w)
                }
            });
            match found {
                Some(i) => groups[i].2 += 1,
                None => groups.push((r.question.clone(), words, 1)),
            }
        }
        let mut out: Vec<(String, u32)> = groups.into_iter().map(|(q, _, n)| (q, n)).collect();
        out.sort();
        out
    }

    #[test]
    fn questions_written_alike_are_one_gap_as_pairwise_comparison_finds() {
        let questions = [
            "When was the embargo lifted?",
            "when was the embargo lifted",
            "When did Russia lift the arms embargo on Pakistan?",
            "Russia lift arms embargo Pakistan when",
            "Who is the Iranian ambassador?",
            "who is the iranian ambassador",
            "What did Obama say?",
            "?",
            "  ?  ",
            "Which jets did Pakistan buy from Russia in 2015?",
            "Which fighter jets did Pakistan want from Russia?",
            "How many Mi-35 helicopters were sold?",
            "How many helicopters were sold?",
        ];
        let rows: Vec<Row> = questions.iter().map(|q| row(q, "abstained")).collect();
        let mut got: Vec<(String, u32)> =
            group(questions.iter().map(|q| row(q, "abstained")).collect())
                .into_iter()
                .map(|g| (g.question, g.count))
                .collect();
        got.sort();
        assert_eq!(got, pairwise(&rows));
        assert!(got.contains(&("When was the embargo lifted?".into(), 2)));
        assert!(got.contains(&("?".into(), 2)));
    }
}
