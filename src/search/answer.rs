//! From an analysed question to ranked hits: retrieval with tantivy (BM25 over paragraphs,
//! headings and descriptive words, with aliases and corrections as weaker alternatives), then a
//! re-ranking that reads each candidate's sentences: how much of the question one sentence
//! covers, whether it has what the question asks for (a date, a name, a number), whether its
//! dates fall in the period asked about. The same reading picks the answer sentence and decides
//! when the article does not answer at all.

use std::collections::HashMap;
use std::ops::{Bound, Range};
use std::sync::{Arc, RwLock};

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{DocAddress, Order, TantivyDocument, Term};

use super::Snapshot;
use super::dense::Closeness;
use super::fusion::{self, Signals, Weights};
use super::question::{
    self, Analysis, Concept, Correction, Lexicon, Question, QuestionKind, stem_key,
};
use super::schema::{Fields, KIND_EVENT, KIND_PARAGRAPH};
use crate::corpus::date::{self, Date};
use crate::corpus::{Role, Sentence};

/// Candidates read closely for each question.
const CANDIDATES: usize = 30;
/// Hits returned by `ask`.
pub const MAX_HITS: usize = 5;

/// Candidates taken from dense retrieval, besides BM25's.
const DENSE_CANDIDATES: usize = 20;

/// Everything a request needs, borrowed from the engine and one snapshot.
pub struct Context<'a> {
    pub snap: &'a Snapshot,
    pub fields: &'a Fields,
    pub stemmer: TextAnalyzer,
    pub words: TextAnalyzer,
    pub weights: Weights,
}

impl Context<'_> {
    fn fork(&self) -> Context<'_> {
        Context {
            snap: self.snap,
            fields: self.fields,
            stemmer: self.stemmer.clone(),
            words: self.words.clone(),
            weights: self.weights,
        }
    }
}

/// Answers of one snapshot by question text. Bounded: past `ANSWER_CACHE` entries it starts
/// over.
#[derive(Default)]
pub(crate) struct AnswerCache(RwLock<HashMap<String, Answer>>);

const ANSWER_CACHE: usize = 4096;

impl AnswerCache {
    pub(crate) fn get(&self, question: &str) -> Option<Answer> {
        self.0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(question)
            .cloned()
    }

    pub(crate) fn put(&self, answer: &Answer) {
        let mut cache = self.0.write().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= ANSWER_CACHE {
            cache.clear();
        }
        cache.insert(answer.question.clone(), answer.clone());
    }

    pub(crate) fn clear(&self) {
        self.0.write().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HitKind {
    Paragraph,
    Event,
}

/// A passage that answers, with its answer sentence and that sentence's dates.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub kind: HitKind,
    pub document: String,
    pub paragraph: u32,
    /// The passage as written.
    pub text: String,
    /// The sentence of `text` that best answers.
    pub answer: String,
    pub dates: Vec<Date>,
    pub score: f32,
    pub role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Where `answer` is in `text`.
    #[serde(skip)]
    pub answer_range: Range<usize>,
    /// Byte ranges of `text` where the question's words (or their aliases) occur.
    #[serde(skip)]
    pub matches: Vec<Range<usize>>,
    /// For `search`: a short fragment around the matches, with highlighted ranges.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<Snippet>,
}

/// A fragment of a passage with the matched words marked, from tantivy's snippet generator.
#[derive(Debug, Clone, Serialize)]
pub struct Snippet {
    pub fragment: String,
    pub highlighted: Vec<Range<usize>>,
}

/// The answer to one question.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub question: String,
    pub hits: Vec<Hit>,
    /// The question as corrected, when a word was not in the article and a close one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
    pub kind: QuestionKind,
    /// How sure the bot is that the first hit answers (0–1); 0 when there are no hits.
    pub confidence: f32,
    /// When there are no hits: what the article is about nearest to the question.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nearest: Vec<String>,
}

impl Answer {
    /// The first hit is only the closest passage: the bot is not sure it answers.
    pub fn unsure(&self) -> bool {
        !self.hits.is_empty() && self.confidence < fusion::LOW_CONFIDENCE
    }
}

/// One page of search results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    pub query: String,
    pub hits: Vec<Hit>,
    pub total: usize,
    pub offset: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
}

/// Which events a timeline shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineFilter {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub topic: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEvent {
    pub date: Date,
    pub text: String,
    pub document: String,
    pub paragraph: u32,
    #[serde(skip)]
    pub sentence: String,
    #[serde(skip)]
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelinePage {
    pub events: Vec<TimelineEvent>,
    pub total: usize,
    pub offset: usize,
}

// ------------------------------------------------------------------ building queries

fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

fn alt_query(field: Field, stems: &[String]) -> Box<dyn Query> {
    match stems {
        [one] => Box::new(TermQuery::new(
            term(field, one),
            IndexRecordOption::WithFreqs,
        )),
        many => Box::new(PhraseQuery::new(
            many.iter().map(|s| term(field, s)).collect(),
        )),
    }
}

/// One clause per concept: the best of its alternatives in any of `fields`.
fn concept_queries(concepts: &[Concept], fields: &[(Field, f32)]) -> Vec<(Occur, Box<dyn Query>)> {
    concepts
        .iter()
        .filter_map(|c| {
            let mut options: Vec<Box<dyn Query>> = Vec::new();
            for alt in c.alts.iter().filter(|a| !a.stems.is_empty()) {
                for &(field, boost) in fields {
                    options.push(Box::new(BoostQuery::new(
                        alt_query(field, &alt.stems),
                        boost * alt.weight,
                    )));
                }
            }
            (!options.is_empty()).then(|| {
                let best: Box<dyn Query> =
                    Box::new(DisjunctionMaxQuery::with_tie_breaker(options, 0.1));
                (Occur::Should, best)
            })
        })
        .collect()
}

fn kind_filter(f: &Fields, kind: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(term(f.kind, kind), IndexRecordOption::Basic))
}

fn i64_range(field: Field, lo: Bound<i64>, hi: Bound<i64>) -> Box<dyn Query> {
    let map = |b: Bound<i64>| match b {
        Bound::Included(v) => Bound::Included(Term::from_field_i64(field, v)),
        Bound::Excluded(v) => Bound::Excluded(Term::from_field_i64(field, v)),
        Bound::Unbounded => Bound::Unbounded,
    };
    Box::new(RangeQuery::new(map(lo), map(hi)))
}

/// Paragraph retrieval: text counts fully, the heading a paragraph stands under less, the
/// descriptive words of titles, bylines and captions fully.
fn paragraph_query(f: &Fields, a: &Analysis) -> Option<BooleanQuery> {
    let should = concept_queries(
        &a.concepts,
        &[(f.text, 1.0), (f.heading, 0.3), (f.meta, 1.0)],
    );
    if should.is_empty() {
        return None;
    }
    Some(BooleanQuery::new(vec![
        (Occur::Must, kind_filter(f, KIND_PARAGRAPH)),
        (Occur::Must, Box::new(BooleanQuery::new(should))),
    ]))
}

// ------------------------------------------------------------------ reading candidates

/// A stored paragraph or event.
struct Stored {
    doc: TantivyDocument,
}

impl Stored {
    fn str(&self, field: Field) -> Option<&str> {
        self.doc.get_first(field).and_then(|v| v.as_str())
    }
    fn string(&self, field: Field) -> String {
        self.str(field).unwrap_or_default().to_string()
    }
    fn u32(&self, field: Field) -> u32 {
        self.doc
            .get_first(field)
            .and_then(|v| v.as_u64())
            .unwrap_or(0) as u32
    }
}

/// A stemmed token with its byte range in the text it came from. The stem is kept as a hash:
/// matching compares integers, not strings.
struct Tok {
    key: u64,
    range: Range<usize>,
}

fn stem_tokens(stemmer: &mut TextAnalyzer, text: &str, base: usize) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut stream = stemmer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push(Tok {
            key: stem_key(&t.text),
            range: base + t.offset_from..base + t.offset_to,
        });
    }
    out
}

/// A stored paragraph, parsed and stemmed once per index version: re-ranking reads the same
/// candidates question after question, and stemming them again was most of the answer time.
pub(crate) struct Passage {
    text: String,
    role: Role,
    heading: Option<String>,
    sentences: Vec<Sentence>,
    document: String,
    paragraph: u32,
    title: String,
    author: Option<String>,
    sentence_tokens: Vec<Vec<Tok>>,
    heading_tokens: Vec<Tok>,
    meta_tokens: Vec<Tok>,
}

/// Passages of one snapshot by address. Bounded: past `PASSAGE_CACHE` entries it starts over.
#[derive(Default)]
pub(crate) struct PassageCache(RwLock<HashMap<DocAddress, Arc<Passage>>>);

const PASSAGE_CACHE: usize = 50_000;

fn passage(
    ctx: &mut Context,
    searcher: &tantivy::Searcher,
    address: DocAddress,
) -> tantivy::Result<Arc<Passage>> {
    let cache = &ctx.snap.passages.0;
    if let Some(p) = cache
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(&address)
    {
        return Ok(p.clone());
    }
    let stored = Stored {
        doc: searcher.doc(address)?,
    };
    let f = ctx.fields;
    let text = stored.string(f.text);
    let role = Role::parse(stored.str(f.role).unwrap_or_default()).unwrap_or(Role::Body);
    let heading = stored.str(f.heading).map(str::to_string);
    let mut sentences: Vec<Sentence> =
        serde_json::from_str(stored.str(f.sentences).unwrap_or("[]")).unwrap_or_default();
    if sentences.is_empty() {
        sentences.push(Sentence {
            range: 0..text.len(),
            dates: Vec::new(),
        });
    }
    let p = Arc::new(Passage {
        heading_tokens: heading
            .as_deref()
            .map(|h| stem_tokens(&mut ctx.stemmer, h, 0))
            .unwrap_or_default(),
        meta_tokens: stem_tokens(&mut ctx.stemmer, super::build::meta_words(role), 0),
        sentence_tokens: sentences
            .iter()
            .map(|s| stem_tokens(&mut ctx.stemmer, &text[s.range.clone()], s.range.start))
            .collect(),
        document: stored.string(f.doc),
        paragraph: stored.u32(f.paragraph),
        title: stored.string(f.doc_title),
        author: stored.str(f.doc_author).map(str::to_string),
        text,
        role,
        heading,
        sentences,
    });
    let mut cache = cache.write().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= PASSAGE_CACHE {
        cache.clear();
    }
    cache.insert(address, p.clone());
    Ok(p)
}

/// How well `tokens` hold a concept (the weight of its best alternative present), and where.
fn concept_match(c: &Concept, tokens: &[Tok]) -> (f32, Vec<Range<usize>>) {
    let mut best = 0.0;
    let mut ranges = Vec::new();
    for alt in &c.alts {
        let n = alt.stems.len();
        if n == 0 || tokens.len() < n {
            continue;
        }
        let keys = &alt.keys;
        let mut found = Vec::new();
        for w in 0..=tokens.len() - n {
            if (0..n).all(|k| tokens[w + k].key == keys[k]) {
                found.push(tokens[w].range.start..tokens[w + n - 1].range.end);
            }
        }
        if !found.is_empty() {
            if alt.weight > best {
                best = alt.weight;
            }
            ranges.extend(found);
        }
    }
    (best, ranges)
}

/// Words of titles and institutions that are capitalised without naming a person.
const NOT_NAMES: &[&str] = &[
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
    "february",
    "january",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "last",
    "new",
    "era",
    "cold",
    "war",
    "state",
];

/// True when the sentence names a person the question does not: two capitalised words in a row
/// that are neither titles nor words of the question.
/// Does the text name someone by office ("his Foreign Minister") that the question does not?
/// A "who" question may be answered by a role as well as by a name.
fn names_a_role(text: &str, question_words: &[String]) -> bool {
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

fn names_someone_new(sentence: &str, question_words: &[String]) -> bool {
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
        if capitalised && !NOT_NAMES.contains(&lower.as_str()) && !question_words.contains(&lower) {
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

const NUMBER_WORDS: &[&str] = &[
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

/// True when the sentence gives a quantity: a number word, an amount of money, or a number that
/// is neither a year nor part of a model name ("F-16", "MI 35").
fn gives_quantity(sentence: &str) -> bool {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    words.iter().enumerate().any(|(i, raw)| {
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '$');
        let lower = w.to_lowercase();
        if NUMBER_WORDS.contains(&lower.as_str()) || w.starts_with('$') {
            return true;
        }
        let digits = w.trim_end_matches(|c: char| c.is_alphabetic());
        if digits.is_empty()
            || !digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            || w.contains('-')
        {
            return false;
        }
        let year_like = digits.len() == 4;
        let after_name = i > 0 && words[i - 1].chars().next().is_some_and(char::is_uppercase);
        let ordinal =
            w.ends_with("st") || w.ends_with("nd") || w.ends_with("rd") || w.ends_with("th");
        !year_like && !after_name && !ordinal
    })
}

/// A candidate paragraph read against the question.
struct Reading {
    /// Share of the question's weight found in the paragraph, its heading or descriptive words.
    coverage: f32,
    best_sentence: usize,
    sentence_score: f32,
    /// Each sentence's lexical score: its share of the question, type and date fit.
    sentence_scores: Vec<f32>,
    matches: Vec<Range<usize>>,
    /// The paragraph has dates, none of them in the period asked about.
    dates_outside: bool,
    /// The paragraph has what the question asks for: a date for "when", a name for "who", a
    /// number for "how many".
    has_answer_type: bool,
}

fn read_candidate(a: &Analysis, p: &Passage, question_words: &[String]) -> Reading {
    let text = p.text.as_str();
    let sentences = p.sentences.as_slice();
    let total = a.total_weight().max(f32::EPSILON);
    let (heading_tokens, meta_tokens, sentence_tokens) =
        (&p.heading_tokens, &p.meta_tokens, &p.sentence_tokens);
    let range = a.range();

    let mut paragraph_weight = 0.0;
    let mut matches = Vec::new();
    let mut per_sentence = vec![0.0f32; sentences.len()];
    for c in &a.concepts {
        let mut best: f32 = 0.0;
        for (i, toks) in sentence_tokens.iter().enumerate() {
            let (m, ranges) = concept_match(c, toks);
            per_sentence[i] += c.idf * m;
            best = best.max(m);
            matches.extend(ranges);
        }
        best = best
            .max(0.5 * concept_match(c, heading_tokens).0)
            .max(concept_match(c, meta_tokens).0);
        paragraph_weight += c.idf * best;
    }

    let mut best_sentence = 0;
    let mut best_score = f32::MIN;
    let mut sentence_scores = Vec::with_capacity(sentences.len());
    for (i, s) in sentences.iter().enumerate() {
        let body = &text[s.range.clone()];
        let mut score = per_sentence[i] / total;
        score += match a.kind {
            QuestionKind::When if !s.dates.is_empty() => 0.25,
            QuestionKind::Who if names_someone_new(body, question_words) => 0.2,
            QuestionKind::Quantity if gives_quantity(body) => 0.2,
            QuestionKind::Place if names_someone_new(body, question_words) => 0.1,
            _ => 0.0,
        };
        if let Some(r) = range
            && s.dates.iter().any(|d| d.overlaps(r))
        {
            score += 0.3;
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
    let has_answer_type = match a.kind {
        QuestionKind::When => sentences.iter().any(|s| !s.dates.is_empty()),
        QuestionKind::Who => {
            names_someone_new(text, question_words) || names_a_role(text, question_words)
        }
        QuestionKind::Quantity => gives_quantity(text),
        _ => true,
    };
    Reading {
        has_answer_type,
        coverage: paragraph_weight / total,
        best_sentence,
        sentence_score: best_score.max(0.0),
        sentence_scores,
        matches,
        dates_outside,
    }
}

fn role_factor(role: Role) -> f32 {
    match role {
        Role::Body | Role::Byline => 1.0,
        Role::Title => 0.9,
        Role::Caption => 0.7,
        Role::Heading => 0.6,
    }
}

// ------------------------------------------------------------------ ask

fn lexicon<'a>(ctx: &'a Context) -> Lexicon<'a> {
    Lexicon {
        searcher: &ctx.snap.searcher,
        text: ctx.fields.text,
        words_field: ctx.fields.words,
        meta: ctx.fields.meta,
        aliases: &ctx.snap.aliases,
    }
}

fn analyse(ctx: &mut Context, q: &Question) -> Analysis {
    let mut stemmer = ctx.stemmer.clone();
    let mut words = ctx.words.clone();
    question::analyse(q, &lexicon(ctx), &mut stemmer, &mut words)
}

fn corrected(q: &Question, corrections: &[Correction]) -> Option<String> {
    if corrections.is_empty() {
        return None;
    }
    let mut out = q.text.clone();
    for c in corrections {
        if let Some(range) = find_ignoring_case(&out, &c.from) {
            out.replace_range(range, &c.to);
        }
    }
    Some(out)
}

/// Where `needle` (lower case) occurs in `text` ignoring case, as a byte range of `text`.
/// Lower-casing can change byte lengths ("Ⱥ" → "ⱥ"), so offsets into a lower-cased copy
/// would not fit `text`.
fn find_ignoring_case(text: &str, needle: &str) -> Option<Range<usize>> {
    let wanted: Vec<char> = needle.chars().collect();
    if wanted.is_empty() {
        return None;
    }
    for (start, _) in text.char_indices() {
        let mut matched = 0;
        for (offset, c) in text[start..].char_indices() {
            let mut fits = true;
            for lower in c.to_lowercase() {
                if wanted.get(matched) == Some(&lower) {
                    matched += 1;
                } else {
                    fits = false;
                    break;
                }
            }
            if !fits {
                break;
            }
            if matched == wanted.len() {
                return Some(start..start + offset + c.len_utf8());
            }
        }
    }
    None
}

struct Scored {
    hit: Hit,
    reading: Reading,
    signals: Signals,
}

/// The candidates of a question, BM25's and dense retrieval's, read and scored by fusion.
fn rank_paragraphs(
    ctx: &mut Context,
    a: &Analysis,
    q: &Question,
    question_vector: &[f32],
) -> tantivy::Result<Vec<Scored>> {
    let searcher = ctx.snap.searcher.clone();
    let lexical = match paragraph_query(ctx.fields, a) {
        Some(query) => {
            searcher.search(&query, &TopDocs::with_limit(CANDIDATES).order_by_score())?
        }
        None => Vec::new(),
    };
    let max_bm25 = lexical.first().map_or(1.0, |(s, _)| *s).max(f32::EPSILON);
    let closeness = ctx.snap.dense.closeness(question_vector);
    let mut by_meaning: Vec<(&DocAddress, &Closeness)> = closeness.iter().collect();
    by_meaning.sort_by(|x, y| y.1.score().total_cmp(&x.1.score()).then(x.0.cmp(y.0)));
    let mut candidates: Vec<(DocAddress, f32)> = lexical
        .iter()
        .map(|(bm25, address)| (*address, bm25 / max_bm25))
        .collect();
    for (address, _) in by_meaning.into_iter().take(DENSE_CANDIDATES) {
        if !candidates.iter().any(|(c, _)| c == address) {
            candidates.push((*address, 0.0));
        }
    }
    let question_words: Vec<String> = crate::corpus::words::plain_words(&q.text).collect();
    let mut scored = Vec::new();
    for (address, bm25) in candidates {
        let p = passage(ctx, &searcher, address)?;
        let reading = read_candidate(a, &p, &question_words);
        let close = closeness.get(&address).cloned().unwrap_or_default();
        let signals = Signals {
            dense: close.score(),
            coverage: reading.coverage,
            sentence: reading.sentence_score,
            bm25,
            dates_outside: reading.dates_outside,
            role: role_factor(p.role),
        };
        let w = &ctx.weights;
        let best = &p.sentences[w
            .answer_sentence(&close.sentences, &reading.sentence_scores)
            .min(p.sentences.len() - 1)];
        let hit = Hit {
            kind: HitKind::Paragraph,
            document: p.document.clone(),
            paragraph: p.paragraph,
            answer: p.text[best.range.clone()].to_string(),
            answer_range: best.range.clone(),
            dates: best.dates.clone(),
            score: w.score(&signals),
            role: p.role,
            heading: p.heading.clone(),
            title: p.title.clone(),
            author: p.author.clone(),
            matches: reading.matches.clone(),
            text: p.text.clone(),
            snippet: None,
        };
        scored.push(Scored {
            hit,
            reading,
            signals,
        });
    }
    scored.sort_by(|x, y| y.hit.score.total_cmp(&x.hit.score));
    Ok(scored)
}

/// How many of the best passages are read for the kind of answer asked for.
const TYPE_EVIDENCE: usize = 3;

/// Why the article cannot answer the question, when there is evidence that it cannot: a name
/// the question gives occurs nowhere in the article, or the question asks for a kind of thing
/// (a date, a person, a number) and none of the best passages holds one. Otherwise the
/// question is answered with the best passage, however unsure.
fn unanswered(a: &Analysis, scored: &[Scored]) -> Option<&'static str> {
    if scored.is_empty() {
        return Some("nothing matches");
    }
    if a.concepts.iter().any(|c| c.entity && !c.known) {
        return Some("a name in the question is not in the article");
    }
    if !scored
        .iter()
        .take(TYPE_EVIDENCE)
        .any(|s| s.reading.has_answer_type)
    {
        return Some("the best passages lack the kind of answer asked for");
    }
    None
}

pub fn ask(ctx: &Context, q: Question, question_vector: &[f32]) -> tantivy::Result<Answer> {
    let mut ctx = ctx.fork();
    let a = analyse(&mut ctx, &q);
    let did_you_mean = corrected(&q, &a.corrections);
    let mut answer = Answer {
        question: q.text.clone(),
        hits: Vec::new(),
        did_you_mean,
        corrections: a.corrections.clone(),
        kind: a.kind,
        confidence: 0.0,
        nearest: Vec::new(),
    };
    if a.kind == QuestionKind::Period
        && let Some(range) = a.range()
    {
        answer.hits = period_events(&mut ctx, &a, range)?;
        if !answer.hits.is_empty() {
            answer.confidence = 0.9;
            return Ok(answer);
        }
    }
    let scored = rank_paragraphs(&mut ctx, &a, &q, question_vector)?;
    if tracing::enabled!(tracing::Level::DEBUG) {
        let concepts: Vec<String> = a
            .concepts
            .iter()
            .map(|c| {
                format!(
                    "{}{}:{:.2}",
                    c.alts[0].stems.join("_"),
                    if c.known { "" } else { "?" },
                    c.idf
                )
            })
            .collect();
        tracing::debug!(question = %q.text, kind = ?a.kind, concepts = %concepts.join(" "), "analysed");
        for s in scored.iter().take(3) {
            tracing::debug!(
                paragraph = s.hit.paragraph,
                score = s.hit.score,
                dense = s.signals.dense,
                coverage = s.reading.coverage,
                sentence = s.reading.sentence_score,
                "candidate"
            );
        }
    }
    let why_not = unanswered(&a, &scored);
    tracing::debug!(reason = why_not.unwrap_or("answered"), "decision");
    if why_not.is_none() {
        answer.confidence = fusion::confidence(
            &scored[0].signals,
            scored.get(1).map(|s| &s.signals),
            &ctx.weights,
        );
        answer.hits = scored.into_iter().take(MAX_HITS).map(|s| s.hit).collect();
    } else {
        answer.nearest = nearest_topics(&scored);
    }
    Ok(answer)
}

fn nearest_topics(scored: &[Scored]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in scored.iter().take(6) {
        let label = s.hit.heading.clone().unwrap_or_else(|| {
            let words: Vec<&str> = s.hit.answer.split_whitespace().take(8).collect();
            format!("{}…", words.join(" "))
        });
        if !out.contains(&label) {
            out.push(label);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// "What happened in …": the events inside the period, those about the question's other words
/// first, then in date order.
fn period_events(ctx: &mut Context, a: &Analysis, range: Date) -> tantivy::Result<Vec<Hit>> {
    let f = ctx.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
        (Occur::Must, kind_filter(f, KIND_EVENT)),
        (
            Occur::Must,
            i64_range(f.date_lo, Bound::Unbounded, Bound::Included(range.hi())),
        ),
        (
            Occur::Must,
            i64_range(f.date_hi, Bound::Included(range.lo()), Bound::Unbounded),
        ),
    ];
    clauses.extend(concept_queries(
        &a.concepts,
        &[(f.text, 1.0), (f.heading, 0.3)],
    ));
    let searcher = ctx.snap.searcher.clone();
    let top = searcher.search(
        &BooleanQuery::new(clauses),
        &TopDocs::with_limit(CANDIDATES).order_by_score(),
    )?;
    let mut hits: Vec<Hit> = Vec::new();
    for (_, address) in top {
        let stored = Stored {
            doc: searcher.doc(address)?,
        };
        let Some(date) = stored.str(f.date).and_then(Date::parse_edtf) else {
            continue;
        };
        let sentence = stored.string(f.sentence);
        let tokens = stem_tokens(&mut ctx.stemmer, &sentence, 0);
        let mut matched = 0.0;
        let mut matches = Vec::new();
        for c in &a.concepts {
            let (m, ranges) = concept_match(c, &tokens);
            matched += c.idf * m;
            matches.extend(ranges);
        }
        let fit = if date.within(range) { 1.0 } else { 0.4 };
        let narrow = 1.0 / (1.0 + (date.span_days() as f32 / 366.0).ln_1p());
        let score = fit + matched / a.total_weight().max(f32::EPSILON) + 0.1 * narrow;
        let document = stored.string(f.doc);
        let paragraph = stored.u32(f.paragraph);
        if let Some(same) = hits
            .iter_mut()
            .find(|h| h.document == document && h.paragraph == paragraph && h.text == sentence)
        {
            if !same.dates.contains(&date) {
                same.dates.push(date);
            }
            continue;
        }
        hits.push(Hit {
            kind: HitKind::Event,
            document,
            paragraph,
            answer: sentence.clone(),
            answer_range: 0..sentence.len(),
            dates: vec![date],
            score,
            role: Role::Body,
            heading: stored.str(f.heading).map(str::to_string),
            title: stored.string(f.doc_title),
            author: stored.str(f.doc_author).map(str::to_string),
            matches,
            text: sentence,
            snippet: None,
        });
    }
    hits.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then_with(|| x.dates[0].lo().cmp(&y.dates[0].lo()))
    });
    hits.truncate(MAX_HITS);
    Ok(hits)
}

// ------------------------------------------------------------------ search

pub fn search(
    ctx: &Context,
    q: Question,
    offset: usize,
    limit: usize,
) -> tantivy::Result<SearchPage> {
    let mut ctx = ctx.fork();
    let a = analyse(&mut ctx, &q);
    let mut page = SearchPage {
        query: q.text.clone(),
        hits: Vec::new(),
        total: 0,
        offset,
        did_you_mean: corrected(&q, &a.corrections),
    };
    let Some(query) = paragraph_query(ctx.fields, &a) else {
        return Ok(page);
    };
    let searcher = ctx.snap.searcher.clone();
    let (top, total) = searcher.search(
        &query,
        &(
            TopDocs::with_limit(limit.max(1))
                .and_offset(offset)
                .order_by_score(),
            Count,
        ),
    )?;
    page.total = total;
    let snippets = SnippetGenerator::create(&searcher, &query, ctx.fields.text)?;
    let question_words: Vec<String> = crate::corpus::words::plain_words(&q.text).collect();
    for (bm25, address) in top {
        let p = passage(&mut ctx, &searcher, address)?;
        let reading = read_candidate(&a, &p, &question_words);
        let best = &p.sentences[reading.best_sentence];
        let snippet = snippets.snippet(&p.text);
        page.hits.push(Hit {
            kind: HitKind::Paragraph,
            document: p.document.clone(),
            paragraph: p.paragraph,
            answer: p.text[best.range.clone()].to_string(),
            answer_range: best.range.clone(),
            dates: best.dates.clone(),
            score: bm25,
            role: p.role,
            heading: p.heading.clone(),
            title: p.title.clone(),
            author: p.author.clone(),
            matches: reading.matches,
            snippet: Some(Snippet {
                fragment: snippet.fragment().to_string(),
                highlighted: snippet.highlighted().to_vec(),
            }),
            text: p.text.clone(),
        });
    }
    Ok(page)
}

// ------------------------------------------------------------------ timeline

pub fn timeline(
    ctx: &Context,
    filter: &TimelineFilter,
    offset: usize,
    limit: usize,
) -> tantivy::Result<TimelinePage> {
    let mut ctx = ctx.fork();
    let f = ctx.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, kind_filter(f, KIND_EVENT))];
    let lo = filter
        .from
        .map_or(Bound::Unbounded, |d| Bound::Included(d.lo()));
    let hi = filter
        .to
        .map_or(Bound::Unbounded, |d| Bound::Included(d.hi()));
    if filter.from.is_some() || filter.to.is_some() {
        clauses.push((Occur::Must, i64_range(f.date_lo, lo, hi)));
    }
    let topic = question::clean(&filter.topic);
    if !topic.is_empty() {
        let a = analyse(&mut ctx, &Question::new(topic));
        let should = concept_queries(&a.concepts, &[(f.text, 1.0)]);
        if should.is_empty() {
            return Ok(TimelinePage {
                events: Vec::new(),
                total: 0,
                offset,
            });
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(should))));
    }
    let searcher = ctx.snap.searcher.clone();
    // The collector allocates for `limit`; there are never more events than documents.
    let limit = limit.clamp(1, (searcher.num_docs() as usize).max(1));
    let collector = TopDocs::with_limit(limit)
        .and_offset(offset)
        .order_by_fast_field::<i64>("date_lo", Order::Asc);
    let (top, total): (Vec<(Option<i64>, DocAddress)>, usize) =
        searcher.search(&BooleanQuery::new(clauses), &(collector, Count))?;
    let mut events = Vec::new();
    for (_, address) in top {
        let stored = Stored {
            doc: searcher.doc(address)?,
        };
        let Some(date) = stored.str(f.date).and_then(Date::parse_edtf) else {
            continue;
        };
        events.push(TimelineEvent {
            date,
            text: stored.string(f.text),
            document: stored.string(f.doc),
            paragraph: stored.u32(f.paragraph),
            sentence: stored.string(f.sentence),
            title: stored.string(f.doc_title),
        });
    }
    // The fast-field order ties on the start day; keep the text's order within a day.
    events.sort_by_key(|e| (e.date.lo(), e.date.hi(), e.document.clone(), e.paragraph));
    Ok(TimelinePage {
        events,
        total,
        offset,
    })
}

// ------------------------------------------------------------------ topics

pub fn topics(ctx: &Context, prefix: &str, limit: usize) -> Vec<String> {
    let needle = question::clean(prefix).to_lowercase();
    let all = &ctx.snap.info.topics;
    let mut starts: Vec<&String> = all
        .iter()
        .filter(|t| t.to_lowercase().starts_with(&needle))
        .collect();
    let contains = all.iter().filter(|t| {
        let l = t.to_lowercase();
        !l.starts_with(&needle) && l.contains(&needle)
    });
    starts.extend(contains);
    starts.into_iter().take(limit).cloned().collect()
}

/// Names, places and subjects of the events, most frequent first: what a timeline can be
/// filtered by.
pub fn event_topics<'a>(events: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for text in events {
        let mut run: Vec<&str> = Vec::new();
        let words: Vec<&str> = text.split_whitespace().collect();
        for (i, raw) in words.iter().enumerate() {
            let w = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
            let w = w
                .strip_suffix("’s")
                .or_else(|| w.strip_suffix("'s"))
                .unwrap_or(w);
            let capital = w.chars().next().is_some_and(char::is_uppercase);
            let lower = w.to_lowercase();
            let skip = crate::corpus::words::is_stopword(&lower)
                || date::recognise(w, &mut None).len() == 1
                || [
                    "february",
                    "january",
                    "march",
                    "april",
                    "june",
                    "july",
                    "august",
                    "september",
                    "october",
                    "november",
                    "december",
                    "last",
                    "new",
                ]
                .contains(&lower.as_str());
            if capital && !skip && w.chars().count() > 1 {
                run.push(w);
            }
            let ends =
                !capital || skip || raw.ends_with([',', '.', ';', ':']) || i + 1 == words.len();
            if ends && !run.is_empty() {
                *counts.entry(run.join(" ")).or_default() += 1;
                if run.len() > 1 {
                    for single in &run {
                        if !NOT_NAMES.contains(&single.to_lowercase().as_str()) {
                            *counts.entry((*single).to_string()).or_default() += 1;
                        }
                    }
                }
                run.clear();
            }
        }
    }
    let mut list: Vec<(String, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.into_iter().map(|(t, _)| t).collect()
}
