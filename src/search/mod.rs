//! The tantivy index over the corpus, and answering from it.
//!
//! [`Engine`] owns one index on disk (`index/v{SCHEMA_VERSION}/`), one reader and, at any time,
//! at most one writer. Every request takes one [`Snapshot`]: a tantivy searcher together with the
//! build information and aliases of the same commit, so an answer comes wholly from one version
//! of the data even while a reindex commits.

mod abstain;
mod answer;
mod build;
mod context;
mod dense;
mod edit_lock;
pub mod encoder;
mod evidence;
mod explain;
#[cfg(test)]
mod fixture;
pub mod followup;
mod fusion;
mod hits;
mod lexical;
mod open;
mod params;
mod question;
mod rank;
mod reading;
pub mod schema;
mod snapshot;
mod span;
mod topics;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader};
use tracing::info;

pub use abstain::Refusal;
pub use build::{DocumentChange, Progress, ReindexSummary};
pub use edit_lock::EditLock;
pub use explain::{Candidate, Explanation, SentenceChoice};
pub use fusion::{
    Doubts, LOW_CONFIDENCE, QuestionFlags, SentenceSignals, Signals, Weights, doubts, sigmoid,
};
pub use hits::{
    Answer, Hit, HitKind, SearchPage, Snippet, TimelineEvent, TimelineFilter, TimelinePage,
};
pub use open::Unusable;
pub use params::Params;
pub use question::{Correction, QuestionKind};
pub use snapshot::Snapshot;

use crate::corpus::{self, Aliases, DataError};
use encoder::{Encoder, ModelError};
use schema::Fields;

/// The longest question accepted, in characters. Discord allows 6000 in an option; no real
/// question about an article needs a tenth of that.
pub const MAX_QUESTION_CHARS: usize = 500;

/// What went wrong, for callers that branch on it.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("index {path}: {source}")]
    Index {
        path: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("index {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("index {path}: {reason}")]
    Unusable {
        path: std::path::PathBuf,
        reason: Unusable,
    },
    #[error("another change to the data or a reindex is running")]
    Busy,
    #[error("the question is empty")]
    EmptyQuestion,
    #[error("the question is too long ({chars} characters; the limit is {limit})")]
    QuestionTooLong { chars: usize, limit: usize },
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// One document as the index knows it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DocumentInfo {
    pub id: String,
    pub title: String,
    pub author: Option<String>,
    pub source: Option<String>,
    /// Where a browser finds it (older index builds have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub hash: String,
    pub paragraphs: usize,
    pub events: usize,
    /// Short hashes of each paragraph's text, to tell what a reindex added or removed.
    pub paragraph_hashes: Vec<String>,
}

/// What the current index was built from, stored inside the index with the same commit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct BuildInfo {
    pub schema: u32,
    pub version: String,
    pub data_hash: String,
    /// Seconds since the Unix epoch.
    pub built_at: u64,
    pub build_millis: u64,
    pub documents: Vec<DocumentInfo>,
    pub paragraphs: usize,
    pub events: usize,
    pub aliases: Aliases,
    /// Names, places and subjects of the events, most frequent first (for autocompletion).
    pub topics: Vec<String>,
}

/// Gives each hit its document's `url`.
fn cite(info: &BuildInfo, hits: &mut [Hit]) {
    for hit in hits {
        hit.url = info
            .documents
            .iter()
            .find(|d| d.id == hit.document)
            .and_then(|d| d.url.clone());
    }
}

/// The index and everything needed to answer from it. Cheap to share behind an `Arc`.
pub struct Engine {
    data_dir: PathBuf,
    index_dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    stemmer: TextAnalyzer,
    words: TextAnalyzer,
    snapshot: RwLock<Arc<Snapshot>>,
    reindexing: Mutex<()>,
    encoder: Arc<Encoder>,
    weights: Weights,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Engine {
    /// The build information of the index now serving (shared, not copied: `/metrics` and
    /// the probes read it on every request).
    pub fn info(&self) -> Arc<BuildInfo> {
        self.snapshot().info.clone()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Rebuilds the index from the data directory. The data is validated first; on any problem
    /// the old index stays as it is. The new index becomes visible atomically with the commit.
    /// It waits for a change to the data being made (see [`Engine::lock_edits`]); a second
    /// call while one runs returns [`SearchError::Busy`].
    pub fn reindex(&self) -> Result<ReindexSummary> {
        self.reindex_reporting(&|_| {})
    }

    /// [`Engine::reindex`], telling `report` how far the encoding has come (after each batch
    /// of texts: a 1 MiB document is minutes of encoding on two cores).
    pub fn reindex_reporting(&self, report: &(dyn Fn(Progress) + Sync)) -> Result<ReindexSummary> {
        let edit = self.lock_edits()?;
        self.reindex_with(&edit, report)
    }

    /// The lock a change to the data holds from before it reads the data until it is indexed
    /// and audited: one change at a time, across processes sharing the data directory. It
    /// waits a few seconds for the change before it, then fails with [`SearchError::Busy`].
    pub fn lock_edits(&self) -> Result<EditLock> {
        edit_lock::acquire(&self.data_dir)
    }

    /// [`Engine::reindex_reporting`] inside a change that holds the edit lock.
    pub fn reindex_with(
        &self,
        _edit: &EditLock,
        report: &(dyn Fn(Progress) + Sync),
    ) -> Result<ReindexSummary> {
        let _guard = self.reindexing.try_lock().map_err(|_| SearchError::Busy)?;
        let started = Instant::now();
        let corpus = corpus::load(&self.data_dir)?;
        let snapshot = self.snapshot();
        let previous = snapshot.info.clone();
        let reuse = snapshot.dense.by_key();
        drop(snapshot);
        let encoding = build::Encoding {
            encoder: &self.encoder,
            previous: &reuse,
            report,
        };
        let info = build::write(&self.index, &self.fields, &corpus, started, encoding).map_err(
            |e| match e {
                SearchError::Index {
                    source: tantivy::TantivyError::LockFailure(..),
                    ..
                } => SearchError::Busy,
                SearchError::Index { source, .. } => self.index_error(source),
                other => other,
            },
        )?;
        self.reader.reload().map_err(|e| self.index_error(e))?;
        let summary = build::summarise(&previous, &info, started.elapsed());
        info!(
            documents = info.documents.len(),
            paragraphs = info.paragraphs,
            events = info.events,
            millis = summary.elapsed.as_millis() as u64,
            "reindexed"
        );
        Ok(summary)
    }

    /// `text` as a question: within the length limit, cleaned, not empty.
    fn question(&self, text: &str) -> Result<question::Question> {
        let chars = text.chars().count();
        if chars > MAX_QUESTION_CHARS {
            return Err(SearchError::QuestionTooLong {
                chars,
                limit: MAX_QUESTION_CHARS,
            });
        }
        let cleaned = question::clean(text);
        if cleaned.is_empty() {
            return Err(SearchError::EmptyQuestion);
        }
        Ok(question::Question::new(cleaned))
    }

    /// Answers a question: at most five hits, best first, each with its answer sentence and the
    /// dates of that sentence; no hits when the data does not answer it.
    pub fn ask(&self, text: &str) -> Result<Answer> {
        self.ask_many(&[text])
            .pop()
            .unwrap_or(Err(SearchError::EmptyQuestion))
    }

    /// Answers `text` as a follow-up to the `earlier` question: the follow-up is rewritten as a
    /// question that stands on its own (see [`followup`]), in each way that fits, and the
    /// answer the engine is surest of is kept; it says what it understood in `understood_as`.
    pub fn ask_after(&self, earlier: &str, text: &str) -> Result<Answer> {
        let earlier = self.question(earlier)?;
        let typed = self.question(text)?;
        let rewrites: Vec<String> = followup::rewrites(&earlier.text, &typed.text)
            .into_iter()
            .map(|r| r.chars().take(MAX_QUESTION_CHARS).collect())
            .collect();
        let texts: Vec<&str> = rewrites.iter().map(String::as_str).collect();
        let mut best: Option<Answer> = None;
        for answer in self.ask_many(&texts) {
            let answer = answer?;
            let surer = |kept: &Answer| {
                (!answer.hits.is_empty(), answer.confidence)
                    > (!kept.hits.is_empty(), kept.confidence)
            };
            if best.as_ref().is_none_or(surer) {
                best = Some(answer);
            }
        }
        let mut answer = best.ok_or(SearchError::EmptyQuestion)?;
        answer.understood_as = Some(std::mem::replace(&mut answer.question, typed.text));
        Ok(answer)
    }

    /// Answers several questions; one result per question, in order.
    pub fn ask_many(&self, texts: &[&str]) -> Vec<Result<Answer>> {
        self.answer_all(texts, false)
    }

    /// Answers a question and says why (`ask --explain`): each signal's contribution to the
    /// top candidates' scores and the doubts behind answering or refusing. Never cached.
    pub fn explain(&self, text: &str) -> Result<Answer> {
        self.answer_all(&[text], true)
            .pop()
            .unwrap_or(Err(SearchError::EmptyQuestion))
    }

    fn answer_all(&self, texts: &[&str], explain: bool) -> Vec<Result<Answer>> {
        let snap = self.snapshot();
        let ctx = self.context(&snap);
        texts
            .iter()
            .map(|text| {
                let q = self.question(text)?;
                if !explain && let Some(answer) = snap.answers.get(&q.text) {
                    return Ok(answer);
                }
                // One question at a time: a batch pads its questions to the longest, and the
                // padded matrix products round differently, so the same question could score
                // differently beside others. Alone, the same question gives the same answer.
                let vector = self
                    .encoder
                    .embed_questions(&[q.text.as_str()])
                    .map_err(|e| {
                        SearchError::Model(ModelError {
                            path: self.encoder.dir().to_path_buf(),
                            problem: e.to_string(),
                        })
                    })?
                    .pop()
                    .unwrap_or_default();
                let mut answer =
                    answer::ask(&ctx, q, &vector, explain).map_err(|e| self.index_error(e))?;
                cite(&snap.info, &mut answer.hits);
                if !explain {
                    snap.answers.put(&answer);
                }
                Ok(answer)
            })
            .collect()
    }

    /// A tantivy error, as an error of this engine's index.
    fn index_error(&self, source: tantivy::TantivyError) -> SearchError {
        SearchError::Index {
            path: self.index_dir.clone(),
            source,
        }
    }

    /// The same engine ranking with other fusion weights (for tuning them).
    pub fn with_weights(mut self, weights: Weights) -> Engine {
        self.weights = weights;
        self.snapshot().answers.clear();
        self
    }

    /// Passages matching the words of `query`, best first, with highlighted snippets.
    pub fn search(&self, text: &str, offset: usize, limit: usize) -> Result<SearchPage> {
        let q = self.question(text)?;
        let snap = self.snapshot();
        let (offset, limit) = page_bounds(&snap, offset, limit);
        let ctx = self.context(&snap);
        let mut page = answer::search(&ctx, q, offset, limit).map_err(|e| self.index_error(e))?;
        cite(&snap.info, &mut page.hits);
        Ok(page)
    }

    /// Dated events in date order, filtered by date range and topic.
    pub fn timeline(
        &self,
        filter: &TimelineFilter,
        offset: usize,
        limit: usize,
    ) -> Result<TimelinePage> {
        if filter.topic.chars().count() > MAX_QUESTION_CHARS {
            return Err(SearchError::QuestionTooLong {
                chars: filter.topic.chars().count(),
                limit: MAX_QUESTION_CHARS,
            });
        }
        let snap = self.snapshot();
        let (offset, limit) = page_bounds(&snap, offset, limit);
        let ctx = self.context(&snap);
        answer::timeline(&ctx, filter, offset, limit).map_err(|e| self.index_error(e))
    }

    /// Up to `limit` topics (names, places, event words) starting with or containing `prefix`,
    /// for autocompletion.
    pub fn topics(&self, prefix: &str, limit: usize) -> Vec<String> {
        let snap = self.snapshot();
        topics::topics(&self.context(&snap), prefix, limit)
    }

    fn context<'a>(&'a self, snap: &'a Snapshot) -> context::Context<'a> {
        context::Context {
            snap,
            fields: &self.fields,
            stemmer: self.stemmer.clone(),
            words: self.words.clone(),
            weights: self.weights,
            encoder: &self.encoder,
        }
    }
}

/// tantivy's collector allocates for `offset + limit`, and both can come from outside (a
/// button id): neither may exceed the number of documents, so the sum cannot overflow either.
fn page_bounds(snap: &Snapshot, offset: usize, limit: usize) -> (usize, usize) {
    let docs = usize::try_from(snap.searcher.num_docs())
        .unwrap_or(usize::MAX / 2)
        .clamp(1, usize::MAX / 2);
    (offset.min(docs), limit.clamp(1, docs))
}
