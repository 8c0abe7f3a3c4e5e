//! Times no calendar can place: "74,000 years ago", "during the reign of Kublai", "in the
//! Middle Ages".

use super::words::*;
use super::{Token, recognise, tokens};

/// Nouns that name a stretch of history after a preposition of time and a determiner or name:
/// "during the reign of Kublai", "since the Sui and Tang dynasties", "in Roman times".
const ERA_NOUNS: &[&str] = &[
    "era",
    "eras",
    "epoch",
    "reign",
    "reigns",
    "dynasty",
    "dynasties",
    "period",
    "times",
    "war",
    "wars",
    "revolution",
    "administration",
    "presidency",
    "premiership",
];

/// Prepositions that put what follows in time.
const WHEN_PREPOSITIONS: &[&str] = &[
    "during",
    "in",
    "under",
    "since",
    "before",
    "after",
    "until",
    "till",
    "throughout",
    "by",
    "from",
    "at",
];

/// Words that name a time of history by themselves.
const ERA_WORDS: &[&str] = &[
    "medieval",
    "prehistoric",
    "prehistory",
    "antiquity",
    "neolithic",
    "paleolithic",
    "palaeolithic",
    "mesolithic",
    "chalcolithic",
];

/// Units of time, for "years ago" and "the following year".
const TIME_NOUNS: &[&str] = &[
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "decade",
    "decades",
    "century",
    "centuries",
    "millennium",
    "millennia",
    "spring",
    "summer",
    "autumn",
    "winter",
];

/// True when the text names a time, dated or not: any date [`recognise`] reads, and times no
/// calendar places without an anchor: "74,000 years ago", "12 kya", "during the reign of
/// Kublai", "in the Middle Ages", "in the Pleistocene", "on November 22", "in March", "in
/// winter", "the following year".
pub fn names_a_time(text: &str) -> bool {
    !recognise(text).is_empty() || names_an_undated_time(text)
}

/// True when the text names a time no calendar places without an anchor (see
/// [`names_a_time`]); for a sentence whose dates were read already.
pub fn names_an_undated_time(text: &str) -> bool {
    let toks = tokens(text);
    (0..toks.len()).any(|i| undated_at(&toks, i))
}

/// An undated time written at token `i`.
fn undated_at(toks: &[Token], i: usize) -> bool {
    let t = &toks[i];
    let w = t.core.to_lowercase();
    let prev = |k: usize| {
        i.checked_sub(k)
            .map(|p| lower(toks.get(p)))
            .unwrap_or_default()
    };
    let capital = t.core.starts_with(|c: char| c.is_uppercase());
    // After a preposition of time, past "the" and "early", "mid", "late".
    let introduced = || {
        (1..=3).any(|k| {
            WHEN_PREPOSITIONS.contains(&prev(k).as_str())
                && (1..k).all(|j| matches!(prev(j).as_str(), "the" | "early" | "mid" | "late"))
        })
    };
    let number_before = || {
        i.checked_sub(1)
            .is_some_and(|p| number_of(&toks[p]).is_some() || toks[p].core.contains('.'))
    };
    match w.as_str() {
        // "74,000 years ago", "a century ago", "long ago"
        "ago" => TIME_NOUNS.contains(&prev(1).as_str()) || prev(1) == "long",
        "bp" | "kya" | "mya" => number_before(),
        _ if ERA_WORDS.contains(&w.as_str()) => true,
        // "the Pleistocene", "the Holocene"
        _ if capital && w.len() > 6 && w.ends_with("ocene") => true,
        // "in March", "by June"; "on November 22"
        _ if capital_month(t).is_some() => {
            introduced() || toks.get(i + 1).and_then(day_of).is_some()
        }
        // "in spring", "during the winter"
        _ if season_of(&w).is_some() => introduced(),
        // "the same year", "the following spring", "later that year"
        _ if TIME_NOUNS.contains(&w.as_str()) => matches!(
            prev(1).as_str(),
            "same" | "following" | "next" | "previous" | "preceding" | "that"
        ),
        // "the Bronze Age", "the Middle Ages"
        "age" | "ages" => {
            capital
                && i.checked_sub(1)
                    .is_some_and(|p| toks[p].core.starts_with(|c: char| c.is_uppercase()))
        }
        _ if ERA_NOUNS.contains(&w.as_str()) => {
            // A preposition of time two to five words before, within the clause: "during his
            // reign", not "uninterested in administration".
            (2..=5).any(|k| {
                i.checked_sub(k).is_some_and(|p| {
                    WHEN_PREPOSITIONS.contains(&lower(toks.get(p)).as_str())
                        && (p + 1..=i).all(|q| !toks[q].gap.contains([',', ';', ':', '.']))
                })
            })
        }
        _ => false,
    }
}
