//! One consistent view of the index, taken by every request: a tantivy searcher with the build
//! information, aliases and vectors of the same commit, and the caches filled from it.

use std::sync::Arc;

use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexReader, Searcher, TantivyDocument, Term};
use tracing::warn;

use super::schema::{Fields, KIND_INFO};
use super::{BuildInfo, Engine, dense, hits, lexical, question};

/// One consistent view of the index: searcher, build information and aliases of one commit.
pub struct Snapshot {
    pub(crate) searcher: Searcher,
    pub info: Arc<BuildInfo>,
    pub(crate) aliases: question::AliasTable,
    /// Candidate paragraphs as re-ranking reads them, filled as questions come.
    pub(crate) passages: lexical::PassageCache,
    /// The paragraphs' and sentences' vectors of the same commit.
    pub(crate) dense: dense::DenseIndex,
    /// Answers already given from this snapshot, by question text.
    pub(crate) answers: hits::AnswerCache,
}

impl Engine {
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
}

pub(super) fn load_snapshot(reader: &IndexReader, fields: &Fields) -> tantivy::Result<Snapshot> {
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
        info: Arc::new(info),
        aliases,
        passages: lexical::PassageCache::default(),
        dense,
        answers: hits::AnswerCache::default(),
    })
}
