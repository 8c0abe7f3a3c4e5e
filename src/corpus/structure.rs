//! A document's blocks as the index reads them: numbered paragraphs under their headings,
//! sentences with their dates, and events drawn from the body's dated clauses.

use super::{Date, Event, Paragraph, Role, Sentence, article, date, sentence};

/// Numbers the blocks, splits sentences, reads dates and draws events from the body.
/// `published` is the day the document was published: "last year" is read from it.
pub(super) fn structure(
    blocks: Vec<article::Block>,
    published: Option<date::Day>,
) -> (Vec<Paragraph>, Vec<Event>) {
    let mut paragraphs = Vec::new();
    let mut events = Vec::new();
    let mut heading: Option<String> = None;
    let mut dates_read = date::Reader::from_published(published);
    for (i, block) in blocks.into_iter().enumerate() {
        let number = i as u32 + 1;
        if block.role == Role::Heading {
            heading = Some(block.text.clone());
        }
        let mut sentences = Vec::new();
        for range in sentence::split(&block.text) {
            let sentence_text = &block.text[range.clone()];
            // Captions and headings name dates but do not move the narrative's "same year".
            let mentions = if block.role == Role::Body {
                dates_read.read(sentence_text)
            } else {
                dates_read.clone().read(sentence_text)
            };
            if block.role == Role::Body {
                events.extend(events_of(
                    sentence_text,
                    &mentions,
                    number,
                    heading.as_deref(),
                ));
            }
            let mut dates: Vec<Date> = Vec::new();
            for m in &mentions {
                if !dates.contains(&m.date) {
                    dates.push(m.date);
                }
            }
            sentences.push(Sentence { range, dates });
        }
        let under = match block.role {
            Role::Body | Role::Caption => heading.clone(),
            _ => None,
        };
        paragraphs.push(Paragraph {
            number,
            role: block.role,
            heading: under,
            text: block.text,
            sentences,
        });
    }
    (paragraphs, events)
}

/// Where a sentence with several dates splits into clauses: the last clause boundary between
/// the end of one date and the start of the next.
const CLAUSE_BREAKS: &[&str] = &["; ", ", ", " and ", " or ", " but ", " whereas ", " while "];

fn events_of(
    sentence: &str,
    mentions: &[date::Mention],
    paragraph: u32,
    heading: Option<&str>,
) -> Vec<Event> {
    let mut cuts = vec![0];
    for pair in mentions.windows(2) {
        let between = &sentence[pair[0].end..pair[1].start];
        let cut = CLAUSE_BREAKS
            .iter()
            .filter_map(|b| between.rfind(b).map(|at| pair[0].end + at + b.len()))
            .max()
            .unwrap_or(pair[1].start);
        cuts.push(cut);
    }
    cuts.push(sentence.len());
    mentions
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let clause = sentence[cuts[i]..cuts[i + 1]].trim();
            let clause = clause.trim_end_matches([',', ';']).trim_end();
            let clause = clause
                .strip_suffix(" and")
                .or_else(|| clause.strip_suffix(" or"))
                .or_else(|| clause.strip_suffix(" but"))
                .unwrap_or(clause);
            Event {
                date: m.date,
                text: clause.trim_end_matches(',').to_string(),
                sentence: sentence.to_string(),
                paragraph,
                heading: heading.map(str::to_string),
                from_published: m.published,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_with_two_dates_gives_two_clauses() {
        let s = "After Indra Gandhi’s death in 1984, Rajeev Gandhi visited USSR in 1985 and signed multiple economic agreements.";
        let mentions = date::recognise(s);
        let events = events_of(s, &mentions, 7, None);
        let got: Vec<(String, &str)> = events
            .iter()
            .map(|e| (e.date.edtf(), e.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("1984".to_string(), "After Indra Gandhi’s death in 1984"),
                (
                    "1985".to_string(),
                    "Rajeev Gandhi visited USSR in 1985 and signed multiple economic agreements."
                ),
            ]
        );
    }
}
