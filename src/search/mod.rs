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
pub mod encoder;
mod evidence;
#[cfg(test)]
mod fixture;
mod fusion;
mod hits;
mod lexical;
mod question;
mod rank;
mod reading;
pub mod schema;
mod topics;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};
use tracing::{info, warn};

pub use build::{DocumentChange, ReindexSummary};
pub use fusion::{LOW_CONFIDENCE, Weights};
pub use hits::{
    Answer, Hit, HitKind, SearchPage, Snippet, TimelineEvent, TimelineFilter, TimelinePage,
};
pub use question::{Correction, QuestionKind};

use crate::corpus::{self, Aliases, DataError};
use encoder::{Encoder, ModelError};
use schema::{Fields, KIND_INFO, SCHEMA_VERSION};

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
    #[error("a reindex is already running")]
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

/// One consistent view of the index: searcher, build information and aliases of one commit.
pub struct Snapshot {
    pub(crate) searcher: Searcher,
    pub info: BuildInfo,
    pub(crate) aliases: question::AliasTable,
    /// Candidate paragraphs as re-ranking reads them, filled as questions come.
    pub(crate) passages: lexical::PassageCache,
    /// The paragraphs' and sentences' vectors of the same commit.
    pub(crate) dense: dense::DenseIndex,
    /// Answers already given from this snapshot, by question text.
    pub(crate) answers: hits::AnswerCache,
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
    /// Opens the index for `data_dir` in `index_root`, building it first when it is missing,
    /// unreadable, of another schema, or built from other data. When the data is bad but an
    /// index exists, the old index keeps serving and the problem is logged.
    /// The sentence encoder is the one shipped in `models/`.
    pub fn open(data_dir: &Path, index_root: &Path) -> Result<Engine> {
        let encoder = Encoder::shared(&encoder::default_dir())?;
        Self::open_with(data_dir, index_root, encoder, true)
    }

    /// [`Engine::open`] with the sentence encoder given.
    pub fn open_with_model(
        data_dir: &Path,
        index_root: &Path,
        encoder: Arc<Encoder>,
    ) -> Result<Engine> {
        Self::open_with(data_dir, index_root, encoder, true)
    }

    /// Opens the index as it is, building it only when there is no usable one; for a caller
    /// that is about to reindex and wants the summary against what was there.
    pub fn open_as_is(data_dir: &Path, index_root: &Path, encoder: Arc<Encoder>) -> Result<Engine> {
        Self::open_with(data_dir, index_root, encoder, false)
    }

    fn open_with(
        data_dir: &Path,
        index_root: &Path,
        encoder: Arc<Encoder>,
        refresh: bool,
    ) -> Result<Engine> {
        let index_dir = index_root.join(format!("v{SCHEMA_VERSION}"));
        let io = |source| SearchError::Io {
            path: index_root.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(index_root).map_err(io)?;
        let engine = match Self::open_existing(data_dir, &index_dir, encoder.clone()) {
            Ok(engine) => {
                if refresh {
                    engine.refresh();
                }
                engine
            }
            Err(reason) => {
                if index_dir.exists() {
                    warn!(index = %index_dir.display(), %reason, "index unusable; rebuilding");
                } else {
                    info!(index = %index_dir.display(), "no index yet; building");
                }
                build::build_fresh(data_dir, &index_dir, &encoder)?;
                Self::open_existing(data_dir, &index_dir, encoder).map_err(|e| {
                    SearchError::Index {
                        path: index_dir.clone(),
                        source: tantivy::TantivyError::InternalError(e),
                    }
                })?
            }
        };
        remove_other_versions(index_root);
        Ok(engine)
    }

    /// Reindexes when the data changed since the index was built; on bad data, keeps serving
    /// the index as it is and logs why.
    fn refresh(&self) {
        match corpus::fingerprint(&self.data_dir) {
            Ok(hash) if hash == self.snapshot().info.data_hash => {}
            Ok(_) => {
                info!(data = %self.data_dir.display(), "data changed since the index was built; reindexing");
                if let Err(err) = self.reindex() {
                    warn!(error = %err, "cannot reindex; serving the existing index");
                }
            }
            Err(err) => warn!(error = %err, "data is unreadable; serving the existing index"),
        }
    }

    fn open_existing(
        data_dir: &Path,
        index_dir: &Path,
        encoder: Arc<Encoder>,
    ) -> Result<Engine, String> {
        if !index_dir.join("meta.json").exists() {
            return Err("missing".into());
        }
        let index = Index::open_in_dir(index_dir).map_err(|e| e.to_string())?;
        let (expected, fields) = schema::build();
        if index.schema() != expected {
            return Err("built with another schema".into());
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(|e| e.to_string())?;
        let tokenizer = |name| {
            index
                .tokenizers()
                .get(name)
                .ok_or(format!("tokenizer {name} missing"))
        };
        let stemmer = tokenizer(schema::STEMMED)?;
        let words = tokenizer(schema::WORDS)?;
        let snapshot = load_snapshot(&reader, &fields).map_err(|e| e.to_string())?;
        if snapshot.info.schema != SCHEMA_VERSION {
            return Err("built by another version".into());
        }
        Ok(Engine {
            data_dir: data_dir.to_path_buf(),
            index_dir: index_dir.to_path_buf(),
            index,
            reader,
            fields,
            stemmer,
            words,
            snapshot: RwLock::new(Arc::new(snapshot)),
            reindexing: Mutex::new(()),
            encoder,
            weights: Weights::default(),
        })
    }

    /// The view every request answers from; refreshed when a new commit is visible.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        let searcher = self.reader.searcher();
        let current = self
            .snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if current.searcher.generation().generation_id() == searcher.generation().generation_id() {
            return current;
        }
        match snapshot_of(searcher, &self.fields) {
            Ok(fresh) => {
                let fresh = Arc::new(fresh);
                *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = fresh.clone();
                fresh
            }
            Err(err) => {
                warn!(error = %err, "cannot read the new index build; answering from the previous one");
                current
            }
        }
    }

    /// The build information of the index now serving.
    pub fn info(&self) -> BuildInfo {
        self.snapshot().info.clone()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Rebuilds the index from the data directory. The data is validated first; on any problem
    /// the old index stays as it is. The new index becomes visible atomically with the commit.
    /// A second call while one runs returns [`SearchError::Busy`].
    pub fn reindex(&self) -> Result<ReindexSummary> {
        let _guard = self.reindexing.try_lock().map_err(|_| SearchError::Busy)?;
        let started = Instant::now();
        let corpus = corpus::load(&self.data_dir)?;
        let snapshot = self.snapshot();
        let previous = snapshot.info.clone();
        let reuse = snapshot.dense.by_key();
        drop(snapshot);
        let info = build::write(
            &self.index,
            &self.fields,
            &corpus,
            started,
            &self.encoder,
            &reuse,
        )
        .map_err(|e| match e {
            SearchError::Index {
                source: tantivy::TantivyError::LockFailure(..),
                ..
            } => SearchError::Busy,
            SearchError::Index { source, .. } => SearchError::Index {
                path: self.index_dir.clone(),
                source,
            },
            other => other,
        })?;
        self.reader.reload().map_err(|source| SearchError::Index {
            path: self.index_dir.clone(),
            source,
        })?;
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

    fn analyse(&self, text: &str) -> Result<question::Question> {
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

    /// Answers several questions, encoding them in batches; one result per question, in order.
    pub fn ask_many(&self, texts: &[&str]) -> Vec<Result<Answer>> {
        let snap = self.snapshot();
        let mut results: Vec<Option<Result<Answer>>> = Vec::new();
        let mut pending: Vec<(usize, question::Question)> = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            match self.analyse(text) {
                Ok(q) => match snap.answers.get(&q.text) {
                    Some(answer) => results.push(Some(Ok(answer))),
                    None => {
                        results.push(None);
                        pending.push((i, q));
                    }
                },
                Err(e) => results.push(Some(Err(e))),
            }
        }
        if !pending.is_empty() {
            let texts: Vec<&str> = pending.iter().map(|(_, q)| q.text.as_str()).collect();
            match self.encoder.embed_questions(&texts) {
                Ok(vectors) => {
                    let ctx = self.context(&snap);
                    for ((i, q), v) in pending.into_iter().zip(vectors) {
                        let answer =
                            answer::ask(&ctx, q, &v).map_err(|source| SearchError::Index {
                                path: self.index_dir.clone(),
                                source,
                            });
                        if let Ok(a) = &answer {
                            snap.answers.put(a);
                        }
                        results[i] = Some(answer);
                    }
                }
                Err(e) => {
                    let message = e.to_string();
                    for (i, _) in pending {
                        results[i] = Some(Err(SearchError::Model(ModelError {
                            path: self.encoder.dir().to_path_buf(),
                            problem: message.clone(),
                        })));
                    }
                }
            }
        }
        results
            .into_iter()
            .map(|r| r.unwrap_or(Err(SearchError::EmptyQuestion)))
            .collect()
    }

    /// The same engine ranking with other fusion weights (for tuning them).
    pub fn with_weights(mut self, weights: Weights) -> Engine {
        self.weights = weights;
        self.snapshot().answers.clear();
        self
    }

    /// Passages matching the words of `query`, best first, with highlighted snippets.
    pub fn search(&self, text: &str, offset: usize, limit: usize) -> Result<SearchPage> {
        let q = self.analyse(text)?;
        let snap = self.snapshot();
        let (offset, limit) = page_bounds(&snap, offset, limit);
        let ctx = self.context(&snap);
        answer::search(&ctx, q, offset, limit).map_err(|source| SearchError::Index {
            path: self.index_dir.clone(),
            source,
        })
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
        answer::timeline(&ctx, filter, offset, limit).map_err(|source| SearchError::Index {
            path: self.index_dir.clone(),
            source,
        })
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

fn load_snapshot(reader: &IndexReader, fields: &Fields) -> tantivy::Result<Snapshot> {
    snapshot_of(reader.searcher(), fields)
}

fn snapshot_of(searcher: Searcher, fields: &Fields) -> tantivy::Result<Snapshot> {
    let query = TermQuery::new(
        Term::from_field_text(fields.kind, KIND_INFO),
        IndexRecordOption::Basic,
    );
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let (_, address) = top.first().ok_or_else(|| {
        tantivy::TantivyError::InternalError("the index has no build record".into())
    })?;
    let doc: TantivyDocument = searcher.doc(*address)?;
    let json = doc
        .get_first(fields.info)
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let info: BuildInfo = serde_json::from_str(json)
        .map_err(|e| tantivy::TantivyError::InternalError(format!("build record: {e}")))?;
    let aliases = question::AliasTable::new(&info.aliases);
    let dense = dense::DenseIndex::load(&searcher, fields)?;
    Ok(Snapshot {
        searcher,
        info,
        aliases,
        passages: lexical::PassageCache::default(),
        dense,
        answers: hits::AnswerCache::default(),
    })
}

/// Removes index directories of other schema versions and abandoned temporary builds.
fn remove_other_versions(index_root: &Path) {
    let current = format!("v{SCHEMA_VERSION}");
    let Ok(entries) = std::fs::read_dir(index_root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let ours = name.starts_with('v') && name[1..].chars().all(|c| c.is_ascii_digit());
        let abandoned = name.starts_with(".build-");
        if ((ours && name != current) || abandoned)
            && let Err(err) = std::fs::remove_dir_all(entry.path())
        {
            warn!(path = %entry.path().display(), error = %err, "cannot remove an old index");
        }
    }
}
