//! Understanding a question: its content words (with aliases and spelling corrections), the
//! dates it names, and what kind of answer it wants.
//!
//! A question is always text: characters of tantivy's query language (`AND`, `:`, `"`, `*`,
//! `~`) are separators or words here, because queries are built term by term, never parsed.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{Searcher, Term};

use super::encoder::Encoder;
use crate::corpus::Aliases;
use crate::corpus::date::{self, Date};
use crate::corpus::words::is_stopword;

/// Weight of an alias relative to the word the user wrote.
const ALIAS_WEIGHT: f32 = 0.7;
/// Weight of a spelling correction.
const FUZZY_WEIGHT: f32 = 0.9;

/// Removes control, zero-width and direction-override characters and collapses whitespace.
pub fn clean(text: &str) -> String {
    let visible = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|c| {
            !matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{feff}')
        });
    visible
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A cleaned, non-empty question of acceptable length.
pub struct Question {
    pub text: String,
}

impl Question {
    pub fn new(text: String) -> Question {
        Question { text }
    }
}

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

const PERSON_NOUNS: &[&str] = &[
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
const PLACE_NOUNS: &[&str] = &[
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

fn kind_of(lower: &str, has_dates: bool) -> QuestionKind {
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
fn focus_words(kind: QuestionKind, words: &[String], joined: &[bool]) -> Vec<usize> {
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

/// One way a concept may appear in the text: a sequence of stems (a word or a phrase).
#[derive(Debug, Clone, PartialEq)]
pub struct Alt {
    pub stems: Vec<String>,
    pub weight: f32,
    /// The stems hashed, as the passages' tokens are, for matching.
    pub keys: Vec<u64>,
}

impl Alt {
    pub fn new(stems: Vec<String>, weight: f32) -> Alt {
        let keys = stems.iter().map(|s| stem_key(s)).collect();
        Alt {
            stems,
            weight,
            keys,
        }
    }
}

/// A stem as a 64-bit hash: matching compares integers, not strings.
pub fn stem_key(stem: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    stem.hash(&mut h);
    h.finish()
}

/// Something the question is about: a word (or alias phrase) and its alternatives.
#[derive(Debug, Clone)]
pub struct Concept {
    pub alts: Vec<Alt>,
    /// Inverse document frequency of the best-known alternative.
    pub idf: f32,
    /// False when neither the word nor any alternative occurs in the index.
    pub known: bool,
    /// A name the user capitalised ("Obama", "US"), not an ordinary word written in capitals
    /// ("the White House", "Western sanctions") nor, when the article knows it, an adjective of
    /// place ("Russian"): a passage that does not mention it does not answer.
    pub entity: bool,
}

/// How adjectives of place and direction end ("Western", "Asian", "Japanese").
const ADJECTIVE_ENDINGS: &[&str] = &["ern", "ian", "ean", "ese", "ish"];

/// Words that frame a question about the text rather than name its subject; they count for
/// little unless they are all the question has.
const FRAME_WORDS: &[&str] = &[
    "author",
    "article",
    "writer",
    "say",
    "says",
    "said",
    "text",
    "piece",
    "story",
    "post",
    "blog",
    "describe",
    "describes",
    "described",
    "talk",
    "talks",
    "mention",
    "mentions",
    "think",
    "thinks",
];
const FRAME_WEIGHT: f32 = 0.3;

/// Nouns that type the answer ("which cities", "what leader"): when the article never uses
/// them, they say what is asked for, not what about.
fn is_answer_type(word: &str) -> bool {
    PERSON_NOUNS.contains(&word) || PLACE_NOUNS.contains(&word)
}

/// A spelling correction the analysis made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub from: String,
    pub to: String,
}

/// What a question asks, ready for retrieval and ranking.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub concepts: Vec<Concept>,
    pub dates: Vec<Date>,
    pub kind: QuestionKind,
    pub corrections: Vec<Correction>,
    /// The concepts (indexes into `concepts`) naming what is asked for: the thing counted in
    /// "how many F-16s", the office in "who was the foreign minister", the thing named in
    /// "what were the drills called". An answer gives its number or name next to it.
    pub focus: Vec<usize>,
}

impl Analysis {
    /// The span of every date the question names, when it names any.
    pub fn range(&self) -> Option<Date> {
        let lo = self.dates.iter().min_by_key(|d| d.lo())?;
        let hi = self.dates.iter().max_by_key(|d| d.hi())?;
        if self.dates.len() == 1 {
            return Some(*lo);
        }
        Some(Date::Interval(date::point_lo(*lo), date::point_hi(*hi)))
    }

    pub fn total_weight(&self) -> f32 {
        self.concepts.iter().map(|c| c.idf).sum()
    }
}

/// Aliases compiled for matching: phrases as lower-case word sequences, grouped by meaning.
pub struct AliasTable {
    groups: Vec<Vec<Phrase>>,
    /// First word → (group, phrase) of every phrase starting with it.
    by_first: HashMap<String, Vec<(usize, usize)>>,
}

/// Lower-case alphanumeric words, as tantivy's simple tokenizer splits them.
fn simple_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// An alias phrase as lower-case words. An acronym ("US", "PM") matches only in capitals.
struct Phrase {
    words: Vec<String>,
    /// The words stemmed: "banning" finds the alias "ban".
    keys: Vec<String>,
    acronym: bool,
}

/// One word as the stemmed field indexes it (all its tokens, joined).
fn word_key(analyzer: &mut TextAnalyzer, word: &str) -> String {
    let key = stems(analyzer, word).join(" ");
    if key.is_empty() {
        word.to_string()
    } else {
        key
    }
}

impl AliasTable {
    pub fn new(aliases: &Aliases) -> AliasTable {
        use tantivy::tokenizer::{
            Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
        };
        // The same pipeline as tantivy's "en_stem", which the question's words go through.
        let mut stemmer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let mut groups = Vec::new();
        let mut by_first: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for entry in &aliases.entries {
            let phrases: Vec<Phrase> = std::iter::once(&entry.term)
                .chain(&entry.also)
                .map(|p| Phrase {
                    keys: simple_words(p)
                        .iter()
                        .map(|w| word_key(&mut stemmer, w))
                        .collect(),
                    words: simple_words(p),
                    acronym: p.chars().filter(|c| c.is_alphabetic()).count() >= 2
                        && p.chars().all(|c| !c.is_alphabetic() || c.is_uppercase()),
                })
                .filter(|p| !p.words.is_empty())
                .collect();
            let g = groups.len();
            for (i, p) in phrases.iter().enumerate() {
                by_first.entry(p.keys[0].clone()).or_default().push((g, i));
            }
            groups.push(phrases);
        }
        AliasTable { groups, by_first }
    }

    /// The longest alias phrase at the start of `words` (stemmed keys, with `written` as
    /// typed): how many words it took.
    fn match_at(&self, words: &[String], written: &[String]) -> Option<usize> {
        let first = words.first()?;
        self.by_first
            .get(first)?
            .iter()
            .map(|&(g, p)| &self.groups[g][p])
            .filter(|phrase| {
                let n = phrase.words.len();
                words.len() >= n
                    && words[..n] == phrase.keys[..]
                    && (!phrase.acronym
                        || written[..n]
                            .iter()
                            .all(|w| w.chars().all(|c| !c.is_lowercase())))
            })
            .map(|phrase| phrase.words.len())
            .max()
    }

    /// Every phrase of the groups that contain `phrase` (as stemmed keys), besides `phrase`.
    fn equivalents(&self, phrase: &[String]) -> Vec<&[String]> {
        let mut out: Vec<&[String]> = Vec::new();
        for group in &self.groups {
            if group.iter().any(|p| p.keys[..] == *phrase) {
                for p in group.iter().filter(|p| p.keys[..] != *phrase) {
                    if !out.contains(&&p.words[..]) {
                        out.push(&p.words);
                    }
                }
            }
        }
        out
    }
}

/// Stems `text` with the index's analyzer.
pub fn stems(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Word tokens of the question: (lower-cased word, start offset, end offset).
fn word_tokens(words: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut stream = words.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push((t.text.clone(), t.offset_from, t.offset_to));
    }
    out
}

/// Letters glued to a number, as people type model names: "f16s" → ("f", "16"), "su35" →
/// ("su", "35"). Words of more than three letters before the number are not models.
fn glued_model(word: &str) -> Option<(&str, &str)> {
    let cut = word.find(|c: char| c.is_ascii_digit())?;
    let (letters, rest) = word.split_at(cut);
    let number = rest.strip_suffix('s').unwrap_or(rest);
    (!letters.is_empty()
        && letters.len() <= 3
        && letters.chars().all(|c| c.is_ascii_alphabetic())
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit()))
    .then_some((letters, number))
}

/// A word of the question: lower-cased, and as written.
struct Word {
    lower: String,
    written: String,
}

/// What the analysis needs from the index.
pub struct Lexicon<'a> {
    pub searcher: &'a Searcher,
    pub text: Field,
    /// Descriptive words of titles, bylines and captions ("author", "photo").
    pub meta: Field,
    pub words_field: Field,
    pub aliases: &'a AliasTable,
    /// Tells ordinary words from names.
    pub encoder: &'a Encoder,
}

impl Lexicon<'_> {
    fn df(&self, field: Field, term: &str) -> u64 {
        self.searcher
            .doc_freq(&Term::from_field_text(field, term))
            .unwrap_or(0)
    }

    /// Documents holding a stem in their text or their descriptive words.
    fn stem_df(&self, stem: &str) -> u64 {
        self.df(self.text, stem).max(self.df(self.meta, stem))
    }

    /// Whether the `len` words at `at` of the question are a name: capitalised though not
    /// opening the question, unless they are ordinary words written in capitals. An ordinary
    /// word is one of the encoder vocabulary's most frequent words that is an adjective
    /// ("Western", "Asian") or part of a longer capitalised phrase ("the White House"); a lone
    /// frequent noun ("Australia") is still a name.
    fn names_something(&self, written: &[String], at: usize, len: usize) -> bool {
        let capitalised = |i: usize| {
            i > 0
                && written
                    .get(i)
                    .and_then(|w| w.chars().next())
                    .is_some_and(char::is_uppercase)
        };
        if !capitalised(at) {
            return false;
        }
        let in_phrase = len > 1 || capitalised(at - 1) || capitalised(at + len);
        let ordinary = |w: &String| {
            let w = w.to_lowercase();
            let w = w.trim_end_matches("'s").trim_end_matches('\u{2019}');
            self.encoder.is_common_word(w)
                && (in_phrase || ADJECTIVE_ENDINGS.iter().any(|e| w.ends_with(e)))
        };
        !written[at..(at + len).min(written.len())]
            .iter()
            .all(ordinary)
    }

    fn idf(&self, df: u64) -> f32 {
        let n = self.searcher.num_docs() as f32;
        let df = df as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The closest word of the vocabulary to an unknown `word`, if one is close enough:
    /// one edit for words of 4 to 7 letters, two for longer ones.
    fn correct(&self, word: &str) -> Option<String> {
        let len = word.chars().count();
        let distance = match len {
            0..=3 => return None,
            4..=7 => 1,
            _ => 2,
        };
        let query = FuzzyTermQuery::new(
            Term::from_field_text(self.words_field, word),
            distance,
            true,
        );
        let automaton = query.automaton().ok()?;
        let mut best: Option<(usize, u64, String)> = None;
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(self.words_field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if candidate.chars().any(|c| c.is_ascii_digit()) {
                    continue;
                }
                let d = edit_distance(word, candidate);
                let df = u64::from(stream.value().doc_freq);
                let better = match &best {
                    None => true,
                    Some((bd, bdf, bw)) => {
                        (d, std::cmp::Reverse(df), candidate)
                            < (*bd, std::cmp::Reverse(*bdf), bw.as_str())
                    }
                };
                if better {
                    best = Some((d, df, candidate.to_string()));
                }
            }
        }
        best.map(|(_, _, w)| w)
    }
}

/// Optimal-string-alignment distance (Levenshtein with adjacent transpositions), the measure the
/// fuzzy automaton uses; only called on the few words the automaton already matched.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// Analyses a cleaned question against the index's vocabulary and aliases.
pub fn analyse(
    q: &Question,
    lex: &Lexicon,
    stemmer: &mut TextAnalyzer,
    words: &mut TextAnalyzer,
) -> Analysis {
    let lower = q.text.to_lowercase();
    let mut context_year = None;
    let date_mentions = date::recognise(&q.text, &mut context_year);
    let dates: Vec<Date> = date_mentions.iter().map(|m| m.date).collect();
    let kind = kind_of(&lower, !dates.is_empty());

    // Words, with hyphenated compounds ("F-16", "go-ahead") kept together as one unit.
    let mut units: Vec<Vec<Word>> = Vec::new();
    let mut last_end: Option<usize> = None;
    let date_spans: Vec<(usize, usize)> = date_mentions.iter().map(|m| (m.start, m.end)).collect();
    for (lower, start, end) in word_tokens(words, &q.text) {
        // Dates are matched as dates, not as words.
        if date_spans.iter().any(|&(s, e)| start >= s && end <= e) {
            continue;
        }
        // "F-16s" is the plural of "F-16".
        let lower = match lower.strip_suffix('s') {
            Some(number) if number.chars().all(|c| c.is_ascii_digit()) && !number.is_empty() => {
                number.to_string()
            }
            _ => lower,
        };
        // A model name typed without its hyphen ("f16s", "su35") is the hyphenated one.
        if let Some((letters, number)) = glued_model(&lower) {
            let cut = start + letters.len();
            units.push(vec![
                Word {
                    lower: letters.to_string(),
                    written: q.text[start..cut].to_string(),
                },
                Word {
                    lower: number.to_string(),
                    written: q.text[cut..end].to_string(),
                },
            ]);
            last_end = Some(end);
            continue;
        }
        let word = Word {
            lower,
            written: q.text[start..end].to_string(),
        };
        // Compounds of a model or a phrase ("F-16", "go-ahead") stay one unit; names joined by a
        // hyphen ("Pakistan-US") are two.
        let hyphenated = last_end.is_some_and(|e: usize| &q.text[e..start] == "-");
        let compound = hyphenated
            && units.last().is_some_and(|u| {
                let any_digit = |w: &Word| w.lower.chars().any(|c| c.is_ascii_digit());
                let lowercase = |w: &Word| w.written.chars().all(|c| !c.is_uppercase());
                u.iter().chain(std::iter::once(&word)).any(any_digit)
                    || u.iter().chain(std::iter::once(&word)).all(lowercase)
            });
        last_end = Some(end);
        match units.last_mut() {
            Some(unit) if compound => unit.push(word),
            _ => units.push(vec![word]),
        }
    }
    let lower: Vec<String> = units.iter().flatten().map(|w| w.lower.clone()).collect();
    let written: Vec<String> = units.iter().flatten().map(|w| w.written.clone()).collect();

    let mut concepts: Vec<Concept> = Vec::new();
    // The words each concept covers.
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    let mut corrections = Vec::new();
    let keys: Vec<String> = lower.iter().map(|w| word_key(stemmer, w)).collect();
    let mut at = 0; // index into the words
    let mut u = 0; // index into the units
    while u < units.len() {
        // An alias phrase must end where a unit ends.
        let mut ends = 0;
        let alias_len = lex
            .aliases
            .match_at(&keys[at..], &written[at..])
            .and_then(|len| {
                let mut k = u;
                while ends < len && k < units.len() {
                    ends += units[k].len();
                    k += 1;
                }
                (ends == len).then_some((len, k))
            });
        if let Some((len, next_unit)) = alias_len {
            let phrase = &lower[at..at + len];
            let mut alts = vec![Alt::new(stems(stemmer, &phrase.join(" ")), 1.0)];
            for other in lex.aliases.equivalents(&keys[at..at + len]) {
                let s = stems(stemmer, &other.join(" "));
                if !alts.iter().any(|a| a.stems == s) {
                    alts.push(Alt::new(s, ALIAS_WEIGHT));
                }
            }
            let entity = lex.names_something(&written, at, len);
            concepts.push(concept(lex, alts, entity, 1.0));
            describes(concepts.last_mut(), &lower[at..at + len]);
            spans.push(at..at + len);
            at += len;
            u = next_unit;
            continue;
        }
        let unit: Vec<&str> = units[u].iter().map(|w| w.lower.as_str()).collect();
        let entity = lex.names_something(&written, at, unit.len());
        let start = at;
        at += unit.len();
        u += 1;
        if unit.len() == 1 && is_stopword(unit[0]) {
            continue;
        }
        let own = stems(stemmer, &unit.join(" "));
        if own.is_empty() {
            continue;
        }
        let mut alts = vec![Alt::new(own.clone(), 1.0)];
        let known = own.iter().all(|s| lex.stem_df(s) > 0)
            || unit.iter().all(|w| lex.df(lex.words_field, w) > 0);
        let numeric = unit.iter().all(|w| w.chars().all(|c| c.is_ascii_digit()));
        if !known && unit.len() == 1 && is_answer_type(unit[0]) {
            continue;
        }
        if !known
            && unit.len() == 1
            && !numeric
            && let Some(fixed) = lex.correct(unit[0])
        {
            alts.push(Alt::new(stems(stemmer, &fixed), FUZZY_WEIGHT));
            // The corrected word brings its aliases: "Islamabd" → "Islamabad" → "Pakistan".
            let key = [word_key(stemmer, &fixed)];
            for other in lex.aliases.equivalents(&key) {
                let s = stems(stemmer, &other.join(" "));
                if !alts.iter().any(|a| a.stems == s) {
                    alts.push(Alt::new(s, FUZZY_WEIGHT * ALIAS_WEIGHT));
                }
            }
            corrections.push(Correction {
                from: unit[0].to_string(),
                to: fixed,
            });
        }
        let weight = if unit.len() == 1 && FRAME_WORDS.contains(&unit[0]) {
            FRAME_WEIGHT
        } else {
            1.0
        };
        concepts.push(concept(lex, alts, entity, weight));
        describes(concepts.last_mut(), &lower[start..at]);
        spans.push(start..at);
    }
    let joined: Vec<bool> = units
        .iter()
        .flat_map(|u| (0..u.len()).map(|k| k > 0))
        .collect();
    let asked = focus_words(kind, &lower, &joined);
    let focus = (0..concepts.len())
        .filter(|&c| asked.iter().any(|w| spans[c].contains(w)))
        .collect();
    Analysis {
        concepts,
        dates,
        kind,
        corrections,
        focus,
    }
}

/// A known word shaped like an adjective of place ("Asian", "Russian", "Western") describes
/// its subject rather than names it: a passage about India need not say "Indian".
fn describes(concept: Option<&mut Concept>, words: &[String]) {
    if let Some(c) = concept
        && c.known
        && words
            .last()
            .is_some_and(|w| ADJECTIVE_ENDINGS.iter().any(|e| w.ends_with(e)))
    {
        c.entity = false;
    }
}

fn concept(lex: &Lexicon, alts: Vec<Alt>, entity: bool, weight: f32) -> Concept {
    let df_of = |alt: &Alt| alt.stems.iter().map(|s| lex.stem_df(s)).min().unwrap_or(0);
    let df = alts.iter().map(df_of).max().unwrap_or(0);
    // The rarest form the user means decides how telling the concept is; unknown words count
    // as rare, so a question about something the article never names is not answered.
    let own_df = alts.first().map_or(0, df_of);
    let idf = weight
        * if own_df > 0 {
            lex.idf(own_df)
        } else {
            lex.idf(df)
        };
    Concept {
        alts,
        idf,
        known: df > 0,
        entity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_zero_width_and_bidi_characters_are_removed() {
        assert_eq!(
            clean("  when\u{200b} did\u{0}\tit\u{202e} happen?\n"),
            "when did it happen?"
        );
        assert_eq!(clean("\u{200b}\u{feff} \u{7}"), "");
    }

    #[test]
    fn question_kinds_follow_the_question_words() {
        let k = |q: &str| {
            kind_of(
                &q.to_lowercase(),
                q.chars().any(|c| c.is_ascii_digit()) && q.contains("20"),
            )
        };
        assert_eq!(k("When did Russia lift the embargo?"), QuestionKind::When);
        assert_eq!(
            k("In what year did the USSR broker peace?"),
            QuestionKind::When
        );
        assert_eq!(k("Who signed the deal?"), QuestionKind::Who);
        assert_eq!(
            k("Which Pakistani leader offered the army?"),
            QuestionKind::Who
        );
        assert_eq!(
            k("How many F-16s did the US approve?"),
            QuestionKind::Quantity
        );
        assert_eq!(
            k("Between which cities will the pipeline run?"),
            QuestionKind::Place
        );
        assert_eq!(k("What happened in 2015?"), QuestionKind::Period);
        assert_eq!(k("How much did the deal cost?"), QuestionKind::Money);
        assert_eq!(k("what price did they pay"), QuestionKind::Money);
        assert_eq!(k("How much did relations improve?"), QuestionKind::Quantity);
        assert_eq!(k("What were the drills called?"), QuestionKind::Name);
        assert_eq!(k("Why was the visit called off?"), QuestionKind::Other);
        assert_eq!(k("wats the name of the ambassador"), QuestionKind::Name);
        assert_eq!(
            k("Who was the minister named in the deal?"),
            QuestionKind::Who
        );
        assert_eq!(k("Why is India in an odd position?"), QuestionKind::Other);
    }

    #[test]
    fn the_focus_is_what_the_question_asks_for() {
        let focus = |q: &str| {
            let lower = q.to_lowercase();
            let words: Vec<String> = crate::corpus::words::plain_words(&lower)
                .filter(|w| !w.is_empty())
                .collect();
            let kind = kind_of(&lower, false);
            focus_words(kind, &words, &vec![false; words.len()])
                .into_iter()
                .map(|i| words[i].clone())
                .collect::<Vec<_>>()
        };
        let table: [(&str, &[&str]); 11] = [
            (
                "How many Mi-35 helicopters did Pakistan receive?",
                &["helicopters"],
            ),
            ("how many f16s did the us ok", &["f16s"]),
            ("Who was Russia's foreign minister then?", &["minister"]),
            (
                "What is the name of the Indian defence minister?",
                &["minister"],
            ),
            (
                "What was the name of the minister who went there?",
                &["minister"],
            ),
            (
                "what was the name of the first russia pak joint exercise",
                &["exercise"],
            ),
            (
                "What were the planned Russian-Pakistani drills called?",
                &["drills"],
            ),
            ("Who visited Moscow in June 2015?", &[]),
            ("Who went to Russia after the foreign minister's trip?", &[]),
            (
                "Which Russian general announced the exercises?",
                &["general"],
            ),
            ("When did Russia lift the embargo?", &[]),
        ];
        for (q, expected) in table {
            assert_eq!(focus(q), expected, "{q}");
        }
    }

    #[test]
    fn model_names_typed_without_a_hyphen_are_split() {
        assert_eq!(glued_model("f16s"), Some(("f", "16")));
        assert_eq!(glued_model("su35"), Some(("su", "35")));
        assert_eq!(glued_model("mi35"), Some(("mi", "35")));
        assert_eq!(glued_model("2015"), None);
        assert_eq!(glued_model("1990s"), None);
        assert_eq!(glued_model("covid19"), None);
        assert_eq!(glued_model("f"), None);
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("embago", "embargo"), 1);
        assert_eq!(edit_distance("pipline", "pipeline"), 1);
        assert_eq!(edit_distance("ebmargo", "embargo"), 1);
        assert_eq!(edit_distance("liquified", "liquefied"), 1);
    }
}
