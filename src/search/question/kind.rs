//! What kind of answer a question asks for, and which of its words are the focus.

use serde::Serialize;

use crate::corpus::words::is_stopword;

/// The kind of answer a question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    /// "When …", "In what year …": a dated sentence.
    When,
    /// "Who …", "Which leader …": a sentence naming someone.
    Who,
    /// "How many …", "How much …": a sentence with a number.
    Quantity,
    /// "How long did … last?": a sentence giving a stretch of time ("a three day visit",
    /// "more than nine years of war", "since the Soviet era").
    Duration,
    /// "What did it cost?", "What price …": a sentence with an amount of money.
    Money,
    /// "What was it called?", "What is the name of …": a sentence with a proper name.
    Name,
    /// "Where …", "Between which cities …": a sentence naming places.
    Place,
    /// "What happened in 2015?": the events inside the dates named.
    Period,
    Other,
}

/// Nouns that, right after a person word, make it an adjective of something else.
const NOT_PERSON_HEADS: &[&str] = &[
    "reason",
    "cause",
    "purpose",
    "role",
    "position",
    "policy",
    "view",
    "stance",
    "statement",
    "visit",
    "trip",
    "response",
    "reaction",
    "line",
    "aim",
    "goal",
];

pub(super) const PERSON_NOUNS: &[&str] = &[
    "person",
    "people",
    "leader",
    "leaders",
    "minister",
    "president",
    "general",
    "official",
    "officials",
    "chief",
    "commander",
    "head",
    "man",
    "woman",
    "politician",
    "diplomat",
    "ruler",
    "premier",
    "advisor",
    "adviser",
    "author",
    "writer",
    "journalist",
    "prime",
];
pub(super) const PLACE_NOUNS: &[&str] = &[
    "city",
    "cities",
    "country",
    "countries",
    "place",
    "places",
    "region",
    "town",
    "towns",
    "territory",
    "nation",
    "nations",
    "capital",
];

/// Words that make "how much" or "what" ask for an amount of money.
const MONEY_WORDS: &[&str] = &[
    "price",
    "cost",
    "costs",
    "costed",
    "pay",
    "paid",
    "spend",
    "spent",
    "worth",
    "value",
    "money",
    "dollars",
    "expensive",
];

pub(super) fn kind_of(lower: &str, has_dates: bool) -> QuestionKind {
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |phrase: &str| lower.contains(phrase);
    let first = words.first().copied().unwrap_or_default();
    // The nouns shortly after "which"/"what" say what kind of thing is asked for.
    let after_which: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| matches!(**w, "which" | "what"))
        .flat_map(|(i, _)| words.iter().skip(i + 1).take(3).copied())
        .collect();
    let happened = [
        "happen",
        "took place",
        "take place",
        "occur",
        "event",
        "going on",
        "went on",
    ]
    .iter()
    .any(|p| has(p));
    if has_dates && happened {
        QuestionKind::Period
    } else if first == "when"
        || [
            "what year",
            "which year",
            "what date",
            "which date",
            "what month",
            "which month",
            "what day",
            "how long ago",
            "since when",
            "what time",
        ]
        .iter()
        .any(|p| has(p))
    {
        QuestionKind::When
    } else if has("how long") || has("how much time") {
        QuestionKind::Duration
    } else if words.iter().any(|w| MONEY_WORDS.contains(w))
        && (has("how much") || matches!(first, "what" | "which") || has("what was the"))
    {
        QuestionKind::Money
    } else if has("how many")
        || has("how much")
        || has("what number")
        || has("what amount")
        || has("worth")
    {
        QuestionKind::Quantity
    } else if matches!(first, "who" | "whom" | "whose")
        || words.iter().any(|w| matches!(*w, "who" | "whom"))
        || words.iter().enumerate().any(|(i, w)| {
            // "which general …" asks for a person; "what official reason …" does not.
            let near_which = words[i.saturating_sub(3)..i]
                .iter()
                .any(|w| matches!(*w, "which" | "what"));
            near_which
                && PERSON_NOUNS.contains(w)
                && !words
                    .get(i + 1)
                    .is_some_and(|n| NOT_PERSON_HEADS.contains(n))
        })
    {
        QuestionKind::Who
    } else if has("name of")
        || has("named")
        || (has("called")
            && !["called off", "called for", "called on", "called upon"]
                .iter()
                .any(|p| has(p)))
        || has("whats the name")
        || has("what's the name")
        || has("wats the name")
    {
        QuestionKind::Name
    } else if first == "where" || after_which.iter().any(|w| PLACE_NOUNS.contains(w)) {
        QuestionKind::Place
    } else {
        QuestionKind::Other
    }
}

/// The position of the word that names what the question asks for (see `Analysis::focus`):
/// the head noun of the phrase after "how many" or "name of" ("how many Mi-35 helicopters"),
/// the office a "who" question asks about ("minister", "chief"), or the word before "called".
/// `joined[i]` is true when word `i` continues a hyphenated compound ("American-made").
pub(super) fn focus_words(kind: QuestionKind, words: &[String], joined: &[bool]) -> Vec<usize> {
    // The last word of the noun phrase starting at `from`: English puts the head last.
    let head_from = |from: usize| -> Option<usize> {
        (from..words.len())
            .skip_while(|&i| matches!(words[i].as_str(), "the" | "a" | "an" | "of"))
            // A possessive ("Russia's") stays inside the phrase.
            .take_while(|&i| !is_stopword(&words[i]) || words[i] == "s" || joined[i])
            .last()
    };
    let after = |pair: [&str; 2]| {
        words
            .windows(2)
            .position(|w| w[0] == pair[0] && w[1] == pair[1])
            .map(|i| i + 2)
    };
    let person = |i: &usize| PERSON_NOUNS.contains(&words[*i].as_str());
    match kind {
        QuestionKind::Quantity => [["how", "many"], ["number", "of"]]
            .into_iter()
            .find_map(after)
            .and_then(head_from)
            .into_iter()
            .collect(),
        // "Who was Russia's foreign minister …", "Which general …": the office asked about,
        // not one the question mentions on the way ("who went after the minister's trip").
        QuestionKind::Who => after(["name", "of"])
            .or_else(|| {
                ["is", "was", "were", "are"]
                    .into_iter()
                    .find_map(|copula| after(["who", copula]))
            })
            .and_then(head_from)
            .filter(person)
            .or_else(|| {
                (0..words.len()).filter(person).find(|&i| {
                    words[i.saturating_sub(3)..i]
                        .iter()
                        .any(|w| matches!(w.as_str(), "which" | "what"))
                })
            })
            .into_iter()
            .collect(),
        QuestionKind::Name => after(["name", "of"])
            .and_then(head_from)
            .or_else(|| {
                // "What were the planned drills called?"
                let at = words
                    .iter()
                    .position(|w| matches!(w.as_str(), "called" | "named"))?;
                at.checked_sub(1).filter(|&i| !is_stopword(&words[i]))
            })
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}
