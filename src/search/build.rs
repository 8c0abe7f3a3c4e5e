//! Writing the corpus into the index, and telling what a reindex changed.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tantivy::{Index, IndexWriter, TantivyDocument};
use tracing::info;

use super::dense::{self, Vectors};
use super::encoder::{Encoder, InContext, ModelError};
use super::schema::{self, Fields, KIND_EVENT, KIND_INFO, KIND_PARAGRAPH, SCHEMA_VERSION};
use super::{BuildInfo, DocumentInfo, Result, SearchError, now_secs};
use crate::corpus::{self, Corpus};

/// Memory the writer may use before flushing a segment. Enough for 100k paragraphs in a few
/// segments, small enough for a bot's budget.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

fn short_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Documents with more paragraph text than this (bytes) read their sentences' vectors in their
/// paragraphs' pass ([`Encoder::embed_in_context`]): about half the tokens are encoded, so a
/// 1 MiB document is indexed within two minutes on 2 cores. Below it every sentence is encoded
/// alone, which ranks a little better (held out on SQuAD, every document read in context:
/// P@1 0.870 → 0.862).
const IN_CONTEXT_BYTES: usize = 256 * 1024;

/// A paragraph before its vectors are made: whether its document is read in context, its
/// vectors' key, and the vectors of the previous index under that key, if any.
struct Planned<'a> {
    paragraph: &'a corpus::Paragraph,
    in_context: bool,
    key: String,
    reused: Option<&'a Vectors>,
}

fn plan<'a>(corpus: &'a Corpus, previous: &'a HashMap<String, Vectors>) -> Vec<Planned<'a>> {
    corpus
        .documents
        .iter()
        .flat_map(|d| {
            let in_context =
                d.paragraphs.iter().map(|p| p.text.len()).sum::<usize>() > IN_CONTEXT_BYTES;
            d.paragraphs.iter().map(move |p| {
                let key = dense::text_key(&p.text, in_context);
                let reused = previous
                    .get(&key)
                    .filter(|v| v.sentences.len() == p.sentences.len());
                Planned {
                    paragraph: p,
                    in_context,
                    key,
                    reused,
                }
            })
        })
        .collect()
}

/// Every paragraph's vectors with the key they are stored and reused by: those of an unchanged
/// text are reused from `previous`, the others are encoded in batched passes.
fn paragraph_vectors(
    corpus: &Corpus,
    encoder: &Encoder,
    previous: &HashMap<String, Vectors>,
    report: &(dyn Fn(Progress) + Sync),
) -> Result<Vec<(String, Vectors)>, ModelError> {
    let planned = plan(corpus, previous);
    let mut alone: Vec<&str> = Vec::new();
    let mut in_context: Vec<(&str, Vec<Range<usize>>)> = Vec::new();
    for Planned {
        paragraph: p,
        in_context: read_in_context,
        ..
    } in planned.iter().filter(|p| p.reused.is_none())
    {
        let sentences = p.sentences.iter().map(|s| s.range.clone());
        if *read_in_context {
            in_context.push((&p.text, sentences.collect()));
        } else {
            alone.push(&p.text);
            alone.extend(sentences.map(|r| &p.text[r]));
        }
    }
    let to_encode = alone.len() + in_context.iter().map(|(_, s)| 1 + s.len()).sum::<usize>();
    let mut fresh_alone = encoder
        .embed_reporting(&alone, &|encoded| report(Progress { encoded, to_encode }))?
        .into_iter();
    let spans: Vec<(&str, &[Range<usize>])> =
        in_context.iter().map(|(t, s)| (*t, s.as_slice())).collect();
    let mut fresh_in_context = encoder
        .embed_in_context(&spans, &|n| {
            let encoded = alone.len() + n;
            report(Progress { encoded, to_encode });
        })?
        .into_iter();
    info!(
        texts_encoded = to_encode,
        read_in_context = in_context.len(),
        paragraphs_reused = planned.iter().filter(|p| p.reused.is_some()).count(),
        "paragraph vectors"
    );
    let mut vectors = |p: &Planned| match p.reused {
        Some(v) => v.clone(),
        None if p.in_context => {
            let InContext {
                paragraph,
                sentences,
            } = fresh_in_context.next().unwrap_or_default();
            Vectors {
                paragraph,
                sentences,
            }
        }
        None => Vectors {
            paragraph: fresh_alone.next().unwrap_or_default(),
            sentences: fresh_alone
                .by_ref()
                .take(p.paragraph.sentences.len())
                .collect(),
        },
    };
    Ok(planned
        .iter()
        .map(|p| (p.key.clone(), vectors(p)))
        .collect())
}

/// How far the encoding of a reindex has come: texts (paragraphs and their sentences) encoded
/// of those to encode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub encoded: usize,
    pub to_encode: usize,
}

/// What to encode before a corpus is indexed: the encoder and the vectors to reuse (by text),
/// and whom to tell how far it has come.
pub(super) struct Encoding<'a> {
    pub(super) encoder: &'a Encoder,
    pub(super) previous: &'a HashMap<String, Vectors>,
    pub(super) report: &'a (dyn Fn(Progress) + Sync),
}

/// Replaces the whole content of `index` with `corpus` in one commit; vectors of paragraphs
/// whose text is in `previous` are reused.
pub(super) fn write(
    index: &Index,
    f: &Fields,
    corpus: &Corpus,
    started: Instant,
    encoding: Encoding,
) -> Result<BuildInfo> {
    let index_error = |source| SearchError::Index {
        path: PathBuf::new(),
        source,
    };
    let Encoding {
        encoder,
        previous,
        report,
    } = encoding;
    let mut vectors = paragraph_vectors(corpus, encoder, previous, report)?.into_iter();
    write_documents(index, f, corpus, started, &mut vectors).map_err(index_error)
}

fn write_documents(
    index: &Index,
    f: &Fields,
    corpus: &Corpus,
    started: Instant,
    vectors: &mut impl Iterator<Item = (String, Vectors)>,
) -> tantivy::Result<BuildInfo> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    let mut writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(threads, WRITER_MEMORY)?;
    writer.delete_all_documents()?;
    let mut documents = Vec::new();
    for d in &corpus.documents {
        for p in &d.paragraphs {
            writer.add_document(paragraph_doc(f, d, p, vectors.next()))?;
        }
        for e in &d.events {
            writer.add_document(event_doc(f, d, e))?;
        }
        documents.push(DocumentInfo {
            id: d.id.clone(),
            title: d.title.clone(),
            author: d.author.clone(),
            source: d.source.clone(),
            url: d.url.clone(),
            hash: d.hash.clone(),
            paragraphs: d.paragraphs.len(),
            events: d.events.len(),
            paragraph_hashes: d.paragraphs.iter().map(|p| short_hash(&p.text)).collect(),
        });
    }
    let mut info = BuildInfo {
        schema: SCHEMA_VERSION,
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_hash: corpus.hash.clone(),
        built_at: now_secs(),
        build_millis: 0,
        paragraphs: corpus.paragraph_count(),
        events: corpus.event_count(),
        documents,
        aliases: corpus.aliases.clone(),
        topics: super::topics::event_topics(
            corpus
                .documents
                .iter()
                .flat_map(|d| d.events.iter().map(|e| e.text.as_str())),
        ),
    };
    info.build_millis = started.elapsed().as_millis() as u64;
    let mut doc = TantivyDocument::new();
    doc.add_text(f.kind, KIND_INFO);
    doc.add_text(f.info, serde_json::to_string(&info).unwrap_or_default());
    writer.add_document(doc)?;
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(&info.data_hash);
    commit.commit()?;
    writer.wait_merging_threads()?;
    Ok(info)
}

/// A paragraph's entry: its text and words, its place, its vectors and sentences, and the span
/// of its dates.
fn paragraph_doc(
    f: &Fields,
    d: &corpus::Document,
    p: &corpus::Paragraph,
    vectors: Option<(String, Vectors)>,
) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_text(f.kind, KIND_PARAGRAPH);
    doc.add_text(f.role, p.role.as_str());
    common(&mut doc, f, d);
    doc.add_u64(f.paragraph, u64::from(p.number));
    if let Some(h) = &p.heading {
        doc.add_text(f.heading, h);
    }
    doc.add_text(f.text, &p.text);
    doc.add_text(f.words, &p.text);
    doc.add_text(f.meta, p.role.descriptive_words());
    if let Some((key, v)) = vectors {
        doc.add_text(f.text_key, key);
        doc.add_bytes(f.vectors, &v.to_bytes());
    }
    doc.add_text(
        f.sentences,
        serde_json::to_string(&p.sentences).unwrap_or_default(),
    );
    let dates = p.sentences.iter().flat_map(|s| &s.dates);
    if let (Some(lo), Some(hi)) = (
        dates.clone().map(|d| d.lo()).min(),
        dates.map(|d| d.hi()).max(),
    ) {
        doc.add_i64(f.date_lo, lo);
        doc.add_i64(f.date_hi, hi);
    }
    doc
}

/// An event's entry: what happened, its sentence, its date and where the document says so.
fn event_doc(f: &Fields, d: &corpus::Document, e: &corpus::Event) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_text(f.kind, KIND_EVENT);
    common(&mut doc, f, d);
    doc.add_u64(f.paragraph, u64::from(e.paragraph));
    if let Some(h) = &e.heading {
        doc.add_text(f.heading, h);
    }
    doc.add_text(f.text, &e.text);
    doc.add_text(f.words, &e.text);
    doc.add_text(f.sentence, &e.sentence);
    doc.add_text(f.date, e.date.edtf());
    doc.add_i64(f.date_lo, e.date.lo());
    doc.add_i64(f.date_hi, e.date.hi());
    doc
}

fn common(doc: &mut TantivyDocument, f: &Fields, d: &corpus::Document) {
    doc.add_text(f.doc, &d.id);
    doc.add_text(f.doc_title, &d.title);
    if let Some(a) = &d.author {
        doc.add_text(f.doc_author, a);
    }
}

/// Builds an index from scratch in a temporary directory next to `index_dir`, then moves it into
/// place: a crash leaves either no index (rebuilt at the next start) or a whole one.
pub(super) fn build_fresh(data_dir: &Path, index_dir: &Path, encoder: &Encoder) -> Result<()> {
    let started = Instant::now();
    let corpus = corpus::load(data_dir)?;
    let parent = index_dir.parent().unwrap_or(Path::new("."));
    let tmp = parent.join(format!(".build-{}", std::process::id()));
    let io = |source| SearchError::Io {
        path: index_dir.to_path_buf(),
        source,
    };
    let tantivy = |source| SearchError::Index {
        path: index_dir.to_path_buf(),
        source,
    };
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(io)?;
    }
    std::fs::create_dir_all(&tmp).map_err(io)?;
    let (schema, fields) = schema::build();
    let index = Index::create_in_dir(&tmp, schema).map_err(tantivy)?;
    // A first build can take minutes: its progress is logged every tenth.
    let tenths = std::sync::atomic::AtomicUsize::new(0);
    let report = |p: Progress| {
        let tenth = p.encoded * 10 / p.to_encode.max(1);
        if tenths.fetch_max(tenth, std::sync::atomic::Ordering::Relaxed) < tenth {
            info!(
                encoded = p.encoded,
                to_encode = p.to_encode,
                "building the index"
            );
        }
    };
    let encoding = Encoding {
        encoder,
        previous: &HashMap::new(),
        report: &report,
    };
    write(&index, &fields, &corpus, started, encoding).map_err(|e| match e {
        SearchError::Index { source, .. } => tantivy(source),
        other => other,
    })?;
    drop(index);
    if index_dir.exists() {
        std::fs::remove_dir_all(index_dir).map_err(io)?;
    }
    std::fs::rename(&tmp, index_dir).map_err(io)?;
    Ok(())
}

/// What changed in one document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocumentChange {
    pub id: String,
    pub paragraphs_added: usize,
    pub paragraphs_removed: usize,
    pub events_before: usize,
    pub events_after: usize,
}

/// The result of a reindex, for the moderator who ran it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReindexSummary {
    pub documents: usize,
    pub paragraphs: usize,
    pub events: usize,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<DocumentChange>,
    pub aliases_changed: bool,
    #[serde(serialize_with = "millis")]
    pub elapsed: Duration,
    /// What the change that led to the reindex did, said first ("Added report (PDF): …").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

impl ReindexSummary {
    pub fn unchanged(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && !self.aliases_changed
    }
}

pub(super) fn summarise(
    before: &BuildInfo,
    after: &BuildInfo,
    elapsed: Duration,
) -> ReindexSummary {
    let find = |info: &BuildInfo, id: &str| info.documents.iter().find(|d| d.id == id).cloned();
    let added = after
        .documents
        .iter()
        .filter(|d| find(before, &d.id).is_none())
        .map(|d| d.id.clone())
        .collect();
    let removed = before
        .documents
        .iter()
        .filter(|d| find(after, &d.id).is_none())
        .map(|d| d.id.clone())
        .collect();
    let changed = after
        .documents
        .iter()
        .filter_map(|new| {
            let old = find(before, &new.id)?;
            if old.hash == new.hash {
                return None;
            }
            let count =
                |list: &[String], of: &[String]| list.iter().filter(|h| !of.contains(h)).count();
            Some(DocumentChange {
                id: new.id.clone(),
                paragraphs_added: count(&new.paragraph_hashes, &old.paragraph_hashes),
                paragraphs_removed: count(&old.paragraph_hashes, &new.paragraph_hashes),
                events_before: old.events,
                events_after: new.events,
            })
        })
        .collect();
    ReindexSummary {
        documents: after.documents.len(),
        paragraphs: after.paragraphs,
        events: after.events,
        added,
        removed,
        changed,
        aliases_changed: before.aliases != after.aliases,
        elapsed,
        notes: Vec::new(),
    }
}

impl fmt::Display for ReindexSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for note in &self.notes {
            writeln!(f, "{note}")?;
        }
        writeln!(
            f,
            "Indexed {} document{}, {} paragraphs, {} events in {} ms.",
            self.documents,
            if self.documents == 1 { "" } else { "s" },
            self.paragraphs,
            self.events,
            self.elapsed.as_millis()
        )?;
        if self.unchanged() {
            return write!(f, "No changes since the previous index.");
        }
        for id in &self.added {
            writeln!(f, "Added document {id}.")?;
        }
        for id in &self.removed {
            writeln!(f, "Removed document {id}.")?;
        }
        for c in &self.changed {
            writeln!(
                f,
                "Changed {}: {} paragraphs added, {} removed; events {} → {}.",
                c.id, c.paragraphs_added, c.paragraphs_removed, c.events_before, c.events_after
            )?;
        }
        if self.aliases_changed {
            writeln!(f, "Aliases changed.")?;
        }
        Ok(())
    }
}
