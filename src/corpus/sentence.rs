//! Sentence boundaries in a paragraph.
//!
//! A sentence ends at `.`, `!` or `?` (with any closing quotes or brackets) followed by space and
//! a capital letter, a digit or an opening quote. Initials ("M. Tahir Khan") and common
//! abbreviations ("Gen.", "U.S.") do not end a sentence; "$2.5bn", "9/11", "F-16" have no space
//! after their punctuation and never do.

use std::ops::Range;

/// Abbreviations that are followed by a capitalised word without ending the sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "capt", "maj", "sgt", "st", "jr", "sr",
    "no", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "inc", "ltd", "co", "corp", "govt",
    "dept", "approx", "est", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "mt", "ft", "pm", "am",
];

fn closes(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '”' | '’' | '»')
}

fn opens_sentence(c: char) -> bool {
    c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '\'' | '(' | '“' | '‘' | '«' | '$')
}

/// The word that ends just before byte `dot` (the period itself excluded).
fn word_before(text: &str, dot: usize) -> &str {
    let head = &text[..dot];
    let start = head
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .map_or(0, |i| {
            i + head[i..].chars().next().map_or(1, char::len_utf8)
        });
    &head[start..]
}

fn is_abbreviation(word: &str) -> bool {
    let lower = word.to_lowercase();
    let mut letters = lower.chars().filter(|c| c.is_alphabetic());
    let single_letter = letters.next().is_some()
        && letters.next().is_none()
        && word.chars().all(|c| c.is_alphabetic());
    single_letter || ABBREVIATIONS.contains(&lower.as_str())
}

/// Byte ranges of the sentences of `text`, trimmed of surrounding whitespace.
pub fn split(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (pos, c) = chars[k];
        if matches!(c, '.' | '!' | '?' | '…') {
            // Take the whole run of terminal punctuation and closing quotes.
            let mut j = k + 1;
            while j < chars.len()
                && (matches!(chars[j].1, '.' | '!' | '?' | '…') || closes(chars[j].1))
            {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
            let next_word = chars[j..]
                .iter()
                .skip_while(|(_, c)| c.is_whitespace())
                .map(|&(_, c)| c)
                .next();
            let spaced = chars.get(j).is_some_and(|&(_, c)| c.is_whitespace());
            let boundary = match next_word {
                None => true,
                Some(n) => {
                    spaced
                        && opens_sentence(n)
                        && !(c == '.' && j == k + 1 && is_abbreviation(word_before(text, pos)))
                }
            };
            if boundary {
                push_trimmed(text, start..end, &mut out);
                start = end;
            }
            k = j;
            continue;
        }
        k += 1;
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn initials_and_abbreviations_do_not_end_sentences() {
        assert_eq!(sentences("By M. Tahir Khan."), vec!["By M. Tahir Khan."]);
        assert_eq!(
            sentences("Gen. Zia ruled. The U.S. Army helped. Then it ended!"),
            vec!["Gen. Zia ruled.", "The U.S. Army helped.", "Then it ended!"]
        );
    }

    #[test]
    fn numbers_and_model_names_stay_inside_their_sentence() {
        let text = "Relations boosted after 9/11 attacks at USA. Pakistan Russia sign $2.5bn accord. \
                    They discussed Su-35 jets, F-16s, RD-93 engines and MI 35 helicopters. Done.";
        assert_eq!(
            sentences(text),
            vec![
                "Relations boosted after 9/11 attacks at USA.",
                "Pakistan Russia sign $2.5bn accord.",
                "They discussed Su-35 jets, F-16s, RD-93 engines and MI 35 helicopters.",
                "Done."
            ]
        );
    }

    #[test]
    fn a_sentence_may_start_with_a_date_or_a_quote() {
        assert_eq!(
            sentences("It was signed. 2015 was busy. \"Yes,\" he said. no split here."),
            vec![
                "It was signed.",
                "2015 was busy.",
                "\"Yes,\" he said. no split here."
            ]
        );
    }

    #[test]
    fn text_without_final_punctuation_is_one_sentence() {
        assert_eq!(
            sentences("  Joint Image Jawahar Lal Nehru "),
            vec!["Joint Image Jawahar Lal Nehru"]
        );
        assert!(sentences("   ").is_empty());
    }
}
