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
    "money",
    "dollars",
    "expensive",
];

/// Currencies, which make "the value" a sum of money ("the value in dollars").
const CURRENCY_WORDS: &[&str] = &[
    "dollar", "dollars", "usd", "euro", "euros", "pound", "pounds", "sterling", "yen", "yuan",
    "rupee", "rupees", "rouble", "roubles", "ruble", "rubles", "franc", "francs",
];

/// Verbs that open a question after "when": "When did …", "When was …".
const AUXILIARIES: &[&str] = &[
    "did", "does", "do", "is", "was", "were", "are", "am", "has", "have", "had", "will", "would",
    "could", "can", "should", "shall", "might", "may", "must",
];

/// Words that open what a question asks.
const WH_WORDS: &[&str] = &[
    "what", "which", "who", "whom", "whose", "where", "why", "how", "when",
];

/// Phrases that ask for a time.
const WHEN_PHRASES: &[&str] = &[
    "what year",
    "which year",
    "what date",
    "which date",
    "what month",
    "which month",
    "what day",
    "what century",
    "which century",
    "what decade",
    "which decade",
    "what era",
    "which era",
    "what season",
    "which season",
    "how long ago",
    "since when",
    "until when",
    "till when",
    "by when",
    "what time",
];

/// The main clause of a question that opens with a clause of its own ("When the Rhine emerges
/// from Lake Constance, which way does it flow?" → "which way does it flow"): there "when" is a
/// conjunction, not what is asked. `None` when "when" asks ("When did …", "When the war
/// ended?").
fn main_clause(lower: &str, words: &[&str]) -> Option<String> {
    // "And when did …": the question starts at "when".
    let at = usize::from(matches!(
        words.first(),
        Some(&("and" | "so" | "but" | "then"))
    ));
    if words.get(at) != Some(&"when") || words.get(at + 1).is_some_and(|w| AUXILIARIES.contains(w))
    {
        return None;
    }
    // After the opening clause's comma, when the rest asks something; else from the next
    // wh-word.
    let after_comma = lower.split_once(',').map(|(_, rest)| rest.trim());
    if let Some(rest) = after_comma {
        let next = rest
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .unwrap_or_default();
        if WH_WORDS.contains(&next) || AUXILIARIES.contains(&next) {
            return Some(rest.to_string());
        }
    }
    let wh = words
        .iter()
        .skip(at + 1)
        .position(|w| WH_WORDS.contains(w) && *w != "when")?;
    Some(words[at + 1 + wh..].join(" "))
}

pub(super) fn kind_of(lower: &str, has_dates: bool) -> QuestionKind {
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if let Some(main) = main_clause(lower, &words) {
        return kind_of(&main, has_dates);
    }
    let has = |phrase: &str| lower.contains(phrase);
    let first = words
        .iter()
        .copied()
        .find(|w| !matches!(*w, "and" | "so" | "but" | "then"))
        .unwrap_or_default();
    // The nouns shortly after "which"/"what" say what kind of thing is asked for.
    let after_which: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| matches!(**w, "which" | "what"))
        .flat_map(|(i, _)| words.iter().skip(i + 1).take(3).copied())
        .collect();
    let happened = HAPPENED.iter().any(|p| has(p));
    if has_dates && happened {
        QuestionKind::Period
    } else if first == "when" || WHEN_PHRASES.iter().any(|p| has(p)) {
        QuestionKind::When
    } else if has("how long") || has("how much time") {
        QuestionKind::Duration
    } else if asks_share(lower) {
        // "What percentage did OPEC raise the price?" asks for a share, not a sum.
        QuestionKind::Quantity
    } else if (words.iter().any(|w| MONEY_WORDS.contains(w))
        || (words.contains(&"value") && words.iter().any(|w| CURRENCY_WORDS.contains(w))))
        && (has("how much") || matches!(first, "what" | "which") || has("what was the"))
    {
        // "the value" alone is no sum of money ("what is commonly believed to be the value");
        // with a currency it is.
        QuestionKind::Money
    } else if has("how many")
        || has("how much")
        || has("what number")
        || has("what amount")
        || has("worth")
    {
        QuestionKind::Quantity
    } else if asks_person(&words, first) {
        QuestionKind::Who
    } else if asks_name(lower) {
        QuestionKind::Name
    } else if first == "where" || after_which.iter().any(|w| PLACE_NOUNS.contains(w)) {
        QuestionKind::Place
    } else {
        QuestionKind::Other
    }
}

/// Words that ask what happened in a period the question names.
const HAPPENED: [&str; 7] = [
    "happen",
    "took place",
    "take place",
    "occur",
    "event",
    "going on",
    "went on",
];

/// "What percentage did OPEC raise the price?" asks for a share, not a sum.
fn asks_share(lower: &str) -> bool {
    ["percent", "proportion", "fraction", "share of"]
        .iter()
        .any(|p| lower.contains(&format!("what {p}")) || lower.contains(&format!("which {p}")))
        || lower.contains("how many percent")
}

/// "who", "whom", or a person noun shortly after "which"/"what" ("which general").
fn asks_person(words: &[&str], first: &str) -> bool {
    matches!(first, "who" | "whom" | "whose")
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
}

/// "the name of", "named", "called" (not "called off").
fn asks_name(lower: &str) -> bool {
    let has = |phrase: &str| lower.contains(phrase);
    has("name of")
        || has("named")
        || (has("called")
            && !["called off", "called for", "called on", "called upon"]
                .iter()
                .any(|p| has(p)))
        || has("whats the name")
        || has("what's the name")
        || has("wats the name")
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(q: &str) -> QuestionKind {
        kind_of(&q.to_lowercase(), false)
    }

    #[test]
    fn when_opening_a_clause_is_a_conjunction_and_the_main_question_decides() {
        let table = [
            (
                "When the Rhine emerges from Lake Constance, which way does it flow?",
                QuestionKind::Other,
            ),
            ("When Kublai died, who succeeded him?", QuestionKind::Who),
            (
                "When the embargo ended, how many barrels were sold?",
                QuestionKind::Quantity,
            ),
            (
                "When the war ended where did the troops go",
                QuestionKind::Place,
            ),
            (
                "When Sky launched its service, when did ITV answer?",
                QuestionKind::When,
            ),
            ("When did the war end?", QuestionKind::When),
            (
                "When was the treaty signed, and by whom?",
                QuestionKind::When,
            ),
            ("When the war ended?", QuestionKind::When),
            ("And when did it end?", QuestionKind::When),
            // "when" inside the question is a conjunction too.
            (
                "What satellite was used when Sky digital was launched?",
                QuestionKind::Other,
            ),
            (
                "Who was the chief executive officer when the service began?",
                QuestionKind::Who,
            ),
        ];
        for (q, want) in table {
            assert_eq!(kind(q), want, "{q}");
        }
    }

    #[test]
    fn centuries_decades_and_until_when_ask_for_a_time() {
        for q in [
            "In what century did the history of the steam engine begin?",
            "Which decade saw the most strikes?",
            "In what era was the canal built?",
            "The price of oil was stable until when?",
        ] {
            assert_eq!(kind(q), QuestionKind::When, "{q}");
        }
    }

    #[test]
    fn a_value_is_money_only_with_a_currency_or_a_word_of_paying() {
        let table = [
            (
                "What is commonly believed to be the value of the constant?",
                QuestionKind::Other,
            ),
            ("What is the value of the ratio?", QuestionKind::Other),
            (
                "What was the value of the deal in dollars?",
                QuestionKind::Money,
            ),
            (
                "What was the price of oil in March 1974?",
                QuestionKind::Money,
            ),
            ("How much did the deal cost?", QuestionKind::Money),
            ("What was the deal worth?", QuestionKind::Money),
            (
                "What percentage did OPEC raise the price of oil?",
                QuestionKind::Quantity,
            ),
        ];
        for (q, want) in table {
            assert_eq!(kind(q), want, "{q}");
        }
    }
}
