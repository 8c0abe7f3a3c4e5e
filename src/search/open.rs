//! Opening the index on disk: using it as it is, refreshing it when the data changed, or
//! building it when it is missing, unreadable, of another schema or another version.

use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use tantivy::{Index, ReloadPolicy};
use tracing::{info, warn};

use super::encoder::{self, Encoder};
use super::schema::{self, SCHEMA_VERSION};
use super::snapshot::load_snapshot;
use super::{Engine, Result, SearchError, Weights, build};
use crate::corpus;

/// Why an index on disk cannot serve as it is; it is then rebuilt.
#[derive(Debug, thiserror::Error)]
pub enum Unusable {
    #[error("missing")]
    Missing,
    #[error("built with another schema")]
    OtherSchema,
    #[error("built by another version")]
    OtherVersion,
    #[error("tokenizer {0} missing")]
    Tokenizer(&'static str),
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
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
                Self::open_existing(data_dir, &index_dir, encoder).map_err(|reason| {
                    SearchError::Unusable {
                        path: index_dir.clone(),
                        reason,
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
    ) -> Result<Engine, Unusable> {
        if !index_dir.join("meta.json").exists() {
            return Err(Unusable::Missing);
        }
        let index = Index::open_in_dir(index_dir)?;
        let (expected, fields) = schema::build();
        if index.schema() != expected {
            return Err(Unusable::OtherSchema);
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        let tokenizer = |name| {
            index
                .tokenizers()
                .get(name)
                .ok_or(Unusable::Tokenizer(name))
        };
        let stemmer = tokenizer(schema::STEMMED)?;
        let words = tokenizer(schema::WORDS)?;
        let snapshot = load_snapshot(&reader, &fields)?;
        if snapshot.info.schema != SCHEMA_VERSION {
            return Err(Unusable::OtherVersion);
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
