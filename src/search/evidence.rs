//! What a sentence holds that a question may ask for: a date, a person (a name or an office),
//! a quantity, an amount of money, a proper name. Dates come parsed with each sentence.

use super::question::QuestionKind;
use crate::corpus::date::{self, Date};

/// Whether a sentence holds the kind of thing a question of `kind` asks for; `None` when the
/// kind asks for nothing in particular.
pub(super) fn holds(
    kind: QuestionKind,
    sentence: &str,
    dates: &[Date],
    question_words: &[String],
) -> Option<bool> {
    Some(match kind {
        // A date read with the sentence, or a time no calendar places without one ("74,000
        // years ago", "during the reign of Kublai", "on November 22").
        QuestionKind::When => !dates.is_empty() || date::names_an_undated_time(sentence),
        QuestionKind::Who => {
            names_someone_new(sentence, question_words) || names_a_role(sentence, question_words)
        }
        QuestionKind::Quantity => gives_quantity(sentence),
        QuestionKind::Duration => gives_duration(sentence),
        QuestionKind::Money => gives_money(sentence),
        QuestionKind::Name | QuestionKind::Place => {
            names_someone_new(sentence, question_words) || quotes_a_name(sentence)
        }
        QuestionKind::Period | QuestionKind::Other => return None,
    })
}

/// Words either side of what is asked for that may hold its number or name.
const BESIDE: usize = 4;

/// Whether the words just `before` or `after` what a question asks for give it: a number
/// before the thing counted ("eight F-16"), a name beside the office ("Commander in Chief
/// Oleg Salyukov", "Boris Volkhonsky, Head of Asia") or the thing named.
pub(super) fn attached(
    kind: QuestionKind,
    before: &str,
    after: &str,
    question_words: &[String],
) -> bool {
    let words: Vec<&str> = before.split_whitespace().collect();
    let just_before = words[words.len().saturating_sub(BESIDE)..].join(" ");
    let just_after = after
        .split_whitespace()
        .take(BESIDE)
        .collect::<Vec<_>>()
        .join(" ");
    match kind {
        QuestionKind::Quantity => {
            let counted: Vec<&str> = words[words.len().saturating_sub(BESIDE - 1)..].to_vec();
            gives_quantity(&counted.join(" "))
        }
        QuestionKind::Who | QuestionKind::Name => {
            names_someone_new(&just_before, question_words)
                || names_someone_new(&just_after, question_words)
                || quotes_a_name(&just_after)
                || quotes_a_name(&just_before)
        }
        _ => false,
    }
}

const CURRENCIES: &[&str] = &[
    "dollar", "dollars", "usd", "rupee", "rupees", "rs", "euro", "euros", "pound", "pounds",
    "rouble", "roubles", "ruble", "rubles",
];

/// True when the sentence gives an amount of money: "$2.5bn", "5 billion dollars", "Rs 10".
pub(super) fn gives_money(sentence: &str) -> bool {
    let words: Vec<String> = sentence
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '$')
                .to_lowercase()
        })
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        let numeric = |w: &str| w.chars().next().is_some_and(|c| c.is_ascii_digit());
        (w.starts_with('$') && w.len() > 1)
            || (CURRENCIES.contains(&w.as_str())
                && (i > 0
                    && (numeric(&words[i - 1]) || NUMBER_WORDS.contains(&words[i - 1].as_str()))
                    || words.get(i + 1).is_some_and(|n| numeric(n))))
    })
}

/// True when the sentence quotes a capitalised name: “Friendship 2016”.
fn quotes_a_name(sentence: &str) -> bool {
    sentence
        .split(['"', '“', '”'])
        .skip(1)
        .step_by(2)
        .any(|q| q.chars().next().is_some_and(char::is_uppercase) && q.len() < 60)
}

/// Words of titles and institutions that are capitalised without naming a person (months are
/// told by `date::is_month`).
pub(super) const NOT_NAMES: &[&str] = &[
    "president",
    "prime",
    "minister",
    "general",
    "army",
    "chief",
    "defense",
    "defence",
    "foreign",
    "head",
    "commander",
    "mr",
    "mrs",
    "dr",
    "united",
    "states",
    "soviet",
    "union",
    "security",
    "council",
    "european",
    "national",
    "assembly",
    "natural",
    "gas",
    "liquefied",
    "cooperation",
    "organization",
    "summit",
    "affairs",
    "advisor",
    "in",
    "on",
    "the",
    "during",
    "after",
    "before",
    "however",
    "last",
    "new",
    "era",
    "cold",
    "war",
    "state",
];

/// Does the text name someone by office ("his Foreign Minister") that the question does not?
/// A "who" question may be answered by a role as well as by a name.
pub(super) fn names_a_role(text: &str, question_words: &[String]) -> bool {
    const ROLES: &[&str] = &[
        "minister",
        "president",
        "general",
        "chief",
        "commander",
        "advisor",
        "adviser",
        "head",
        "ambassador",
        "secretary",
        "envoy",
        "spokesman",
    ];
    text.split(|c: char| !c.is_alphanumeric()).any(|w| {
        let lower = w.to_lowercase();
        w.chars().next().is_some_and(char::is_uppercase)
            && ROLES.contains(&lower.as_str())
            && !question_words.contains(&lower)
    })
}

/// True when the sentence names a person the question does not: two capitalised words in a row
/// that are neither titles nor words of the question.
pub(super) fn names_someone_new(sentence: &str, question_words: &[String]) -> bool {
    let mut run = 0;
    for word in
        sentence.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')'))
    {
        let w = word
            .trim_end_matches(['’', '\'', 's'])
            .trim_matches(|c: char| !c.is_alphanumeric());
        let lower = w.to_lowercase();
        let capitalised =
            w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() >= 2;
        if capitalised
            && !NOT_NAMES.contains(&lower.as_str())
            && !date::is_month(&lower)
            && !question_words.contains(&lower)
        {
            run += 1;
            if run >= 2 {
                return true;
            }
        } else if !(w.len() == 1 && w.chars().all(char::is_uppercase)) {
            // An initial ("M.") neither ends nor starts a name.
            run = 0;
        }
    }
    false
}

/// Number words a count may be written with.
pub(super) const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "million",
    "millions",
    "billion",
    "billions",
    "dozen",
    "dozens",
];

/// Units of time, singular and plural.
const TIME_UNITS: &[&str] = &[
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "decade",
    "decades",
    "century",
    "centuries",
];

/// True when the sentence gives a stretch of time: a count of a unit of time ("three day
/// official visit", "23 days", "nine years", "three-day"), a vague one ("for decades",
/// "several years") or a start it runs from ("since Soviet era", "since 1947").
pub(super) fn gives_duration(sentence: &str) -> bool {
    let words: Vec<String> = sentence
        .split(|c: char| c.is_whitespace() || c == '-')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let counted = |w: &str| {
        NUMBER_WORDS.contains(&w)
            || matches!(w, "a" | "an" | "several" | "many" | "few" | "some")
            || (!w.is_empty() && w.chars().all(|c| c.is_ascii_digit()) && w.len() < 4)
    };
    words.iter().enumerate().any(|(i, w)| {
        if w == "since" {
            return i + 1 < words.len();
        }
        if !TIME_UNITS.contains(&w.as_str()) {
            return false;
        }
        let before = &words[i.saturating_sub(2)..i];
        before.iter().any(|b| counted(b))
            || (w.ends_with('s') && before.last().is_some_and(|b| b == "for"))
    })
}

/// True when the sentence gives a quantity: a number word, an amount of money, a number with a
/// unit ("1,000 m3/s", "2000 kilometres", "70%"), or a number that is neither a year nor part of
/// a model name ("F-16", "MI 35").
pub(super) fn gives_quantity(sentence: &str) -> bool {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    words.iter().enumerate().any(|(i, raw)| {
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '$');
        let lower = w.to_lowercase();
        if NUMBER_WORDS.contains(&lower.as_str()) || w.starts_with('$') {
            return true;
        }
        let digits = w.trim_end_matches(|c: char| c.is_alphabetic());
        if digits.is_empty()
            || !digits.starts_with(|c: char| c.is_ascii_digit())
            || !digits
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
            || w.contains('-')
        {
            return false;
        }
        // A measure is a quantity whatever stands around it.
        let measured = raw
            .trim_end_matches(['.', ',', ';', ':', ')'])
            .ends_with('%')
            || words.get(i + 1).is_some_and(|n| date::is_unit(n));
        if measured {
            return true;
        }
        let year_like = digits.len() == 4;
        let after_name = i > 0 && words[i - 1].chars().next().is_some_and(char::is_uppercase);
        let ordinal =
            w.ends_with("st") || w.ends_with("nd") || w.ends_with("rd") || w.ends_with("th");
        !year_like && !after_name && !ordinal
    })
}

#[cfg(test)]
mod tests;
