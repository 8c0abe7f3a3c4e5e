//! The three requests: `ask` (ranked passages with their answer sentences, or the events of a
//! period, or a refusal on evidence), `search` (a page of BM25 results with snippets) and
//! `timeline` (a page of dated events).

use std::ops::Bound;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order};

use super::abstain::Refusal;
use super::context::{Context, analysis, corrected};
use super::explain::{Candidate, Explanation};
use super::fusion::{self, QuestionFlags};
use super::hits::{
    Answer, Hit, HitKind, SearchPage, Snippet, TimelineEvent, TimelineFilter, TimelinePage,
};
use super::lexical::{
    Stored, concept_match, concept_queries, i64_range, kind_filter, paragraph_query, stem_tokens,
};
use super::params::Params;
use super::question::{self, Analysis, Question, QuestionKind};
use super::rank::{Scored, nearest_topics, rank_paragraphs};
use super::reading::read_candidate;
use super::schema::{Fields, KIND_EVENT};
use super::span;
use crate::corpus::Role;
use crate::corpus::date::Date;

/// Hits returned by `ask`.
pub const MAX_HITS: usize = 5;

pub fn ask(
    ctx: &Context,
    q: Question,
    question_vector: &[f32],
    explain: bool,
) -> tantivy::Result<Answer> {
    let mut ctx = ctx.fork();
    let a = analysis(&mut ctx, &q);
    let did_you_mean = corrected(&q, &a.corrections);
    let mut answer = Answer {
        question: q.text.clone(),
        hits: Vec::new(),
        did_you_mean,
        corrections: a.corrections.clone(),
        kind: a.kind,
        understood_as: None,
        confidence: 0.0,
        reason: None,
        nearest: Vec::new(),
        explain: None,
    };
    if a.kind == QuestionKind::Period
        && let Some(range) = a.range()
    {
        answer.hits = period_events(&mut ctx, &a, range)?;
        if !answer.hits.is_empty() {
            answer.confidence = ctx.weights.params.period_confidence;
            return Ok(answer);
        }
    }
    let scored = rank_paragraphs(&mut ctx, &a, &q, question_vector)?;
    let flags = question_flags(&a);
    let w = &ctx.weights;
    let Some(first) = scored.first() else {
        answer.reason = Some(Refusal::OffTopic);
        answer.explain = explain.then(|| Explanation::new(flags, None, candidates(&scored, w), w));
        return Ok(answer);
    };
    let doubts = fusion::doubts(&flags, &first.signals, scored.get(1).map(|s| &s.signals), w);
    answer.explain = explain.then(|| {
        let mut e = Explanation::new(flags, Some(doubts), candidates(&scored, w), w);
        for c in &mut e.all {
            c.answer_span = span::answer_span(&a, &q.text, &c.answer);
            for s in &mut c.sentences {
                s.span = span::answer_span(&a, &q.text, &s.text);
            }
        }
        // The shown candidates are the first of `all`: read once, copied.
        e.candidates = e.all.iter().take(e.candidates.len()).cloned().collect();
        e
    });
    tracing::debug!(question = %q.text, kind = ?a.kind, ?doubts, "decision");
    if w.refuses(&doubts) {
        answer.reason = Some(Refusal::of(&doubts));
        answer.nearest = nearest_topics(&scored);
        answer.confidence = w.confidence(&doubts);
        return Ok(answer);
    }
    answer.confidence = w.confidence(&doubts);
    answer.hits = scored.iter().take(MAX_HITS).map(Scored::hit).collect();
    if let Some(first) = answer.hits.first_mut() {
        first.answer_span = span::answer_span(&a, &q.text, &first.answer);
    }
    Ok(answer)
}

/// What the analysis says of a question before any passage is read.
fn question_flags(a: &Analysis) -> QuestionFlags {
    let total = a.total_weight().max(f32::EPSILON);
    let known: f32 = a.concepts.iter().filter(|c| c.known).map(|c| c.idf).sum();
    QuestionFlags {
        asks_date: a.kind == QuestionKind::When,
        unknown_name: a.concepts.iter().any(|c| c.entity && !c.known),
        unknown_focus: !a.focus.is_empty() && a.focus.iter().all(|&f| !a.concepts[f].known),
        known_share: if a.concepts.is_empty() {
            0.0
        } else {
            known / total
        },
    }
}

/// The events whose dates meet `range`, scored by the question's other words.
fn period_query(f: &Fields, a: &Analysis, range: Date, params: &Params) -> BooleanQuery {
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
        &[(f.text, 1.0), (f.heading, params.heading_boost)],
        params,
    ));
    BooleanQuery::new(clauses)
}

/// "What happened in …": the events inside the period, those about the question's other words
/// first, then in date order.
fn period_events(ctx: &mut Context, a: &Analysis, range: Date) -> tantivy::Result<Vec<Hit>> {
    let f = ctx.fields;
    let params = ctx.weights.params;
    let searcher = ctx.snap.searcher.clone();
    let top = searcher.search(
        &period_query(f, a, range, &params),
        &TopDocs::with_limit(params.candidates).order_by_score(),
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
        let fit = if date.within(range) {
            1.0
        } else {
            params.overlap_fit
        };
        let narrow = 1.0 / (1.0 + (date.span_days() as f32 / 366.0).ln_1p());
        let score =
            fit + matched / a.total_weight().max(f32::EPSILON) + params.narrow_share * narrow;
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
            url: None,
            answer_span: None,
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
    let a = analysis(&mut ctx, &q);
    let mut page = SearchPage {
        query: q.text.clone(),
        hits: Vec::new(),
        total: 0,
        offset,
        did_you_mean: corrected(&q, &a.corrections),
    };
    let Some(query) = paragraph_query(ctx.fields, &a, &ctx.weights.params) else {
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
        let p = ctx.passage(&searcher, address)?;
        let reading = read_candidate(&a, &p, &question_words, &ctx.weights.params);
        let best = &p.sentences[reading.best_sentence];
        let snippet = snippets.snippet(&p.text);
        page.hits.push(Hit {
            snippet: Some(Snippet {
                fragment: snippet.fragment().to_string(),
                highlighted: snippet.highlighted().to_vec(),
            }),
            ..p.hit(best, bm25, reading.matches)
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
        let a = analysis(&mut ctx, &Question::new(topic));
        let should = concept_queries(&a.concepts, &[(f.text, 1.0)], &ctx.weights.params);
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

/// Every candidate as an explanation shows it, best first.
fn candidates(scored: &[Scored], w: &fusion::Weights) -> Vec<Candidate> {
    scored.iter().map(|s| s.candidate(w)).collect()
}
