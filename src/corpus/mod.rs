//! The data directory as documents: paragraphs, sentences, dates and events.
//!
//! `data/` holds documents (`*.txt`, `*.md`), each with an optional metadata file of the same
//! name (`russia-pakistan-alliance.toml`: title, author, source), and `aliases.toml`. Loading
//! validates everything first and names the file and the problem of the first thing wrong, so a
//! bad file never reaches the index.

pub mod alias_edit;
pub mod aliases;
pub mod article;
pub mod date;
pub mod document_edit;
pub mod formats;
pub mod sentence;
mod structure;
pub mod words;

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use aliases::{Alias, Aliases};
pub use date::Date;

/// The largest document accepted, in bytes. The article is 11 kB; a book is about 1 MB.
pub const MAX_DOCUMENT_BYTES: u64 = 8 * 1024 * 1024;

/// The alias file's name inside the data directory.
pub const ALIASES_FILE: &str = "aliases.toml";

/// Why the data directory cannot be indexed. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("{path}: cannot read: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not valid UTF-8 (invalid byte at offset {offset})")]
    InvalidUtf8 { path: PathBuf, offset: usize },
    #[error("{path}: binary file, not text (NUL byte at offset {offset})")]
    Binary { path: PathBuf, offset: usize },
    #[error("{path}: empty document")]
    Empty { path: PathBuf },
    #[error("{path}: too large ({size} bytes; documents may have at most {limit} bytes)")]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{path}: cannot read this {format}: {message}")]
    Malformed {
        path: PathBuf,
        format: &'static str,
        message: String,
    },
    #[error("{path}: no paragraphs (only a title, captions, headings or boilerplate)")]
    NoParagraphs { path: PathBuf },
    #[error("{path}: malformed metadata: {message}")]
    Metadata { path: PathBuf, message: String },
    #[error("{path}: malformed alias file: {message}")]
    Aliases { path: PathBuf, message: String },
    #[error("{path}: metadata without a document (expected {expected})")]
    OrphanMetadata { path: PathBuf, expected: String },
    #[error(
        "{path}: not a document (a .txt, .md, .html or .pdf file whose name has letters or digits)"
    )]
    NotADocument { path: PathBuf },
    #[error("{path}: no documents (put .txt, .md, .html or .pdf files here)")]
    NoDocuments { path: PathBuf },
    #[error(
        "{path}: the name `{id}` is reserved: its metadata file would be {ALIASES_FILE}, which \
         holds the aliases; rename the file"
    )]
    Reserved { path: PathBuf, id: String },
}

/// What a block of a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Title,
    Byline,
    Heading,
    Caption,
    Body,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Title => "title",
            Role::Byline => "byline",
            Role::Heading => "heading",
            Role::Caption => "caption",
            Role::Body => "body",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [
            Role::Title,
            Role::Byline,
            Role::Heading,
            Role::Caption,
            Role::Body,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    /// Words that describe a block, so "who wrote this?" finds the byline and "what is the
    /// title?" the title. They are indexed, never shown.
    pub fn descriptive_words(self) -> &'static str {
        match self {
            Role::Title => "title headline name article called",
            Role::Byline => "author writer wrote written byline article journalist",
            Role::Caption => "caption picture photo image",
            Role::Heading => "heading section",
            Role::Body => "",
        }
    }
}

/// A sentence of a paragraph: where it is and the dates it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub range: Range<usize>,
    pub dates: Vec<Date>,
}

/// A paragraph, caption, heading, title or byline, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// 1-based position among the blocks kept from the document.
    pub number: u32,
    pub role: Role,
    /// The section heading this paragraph stands under.
    pub heading: Option<String>,
    pub text: String,
    pub sentences: Vec<Sentence>,
}

/// A dated statement: what happened, when, and where the document says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub date: Date,
    /// The clause that carries the date.
    pub text: String,
    /// The whole sentence the clause is part of.
    pub sentence: String,
    pub paragraph: u32,
    pub heading: Option<String>,
    /// The date was said from the day of publication ("last year") and resolved from it.
    pub from_published: bool,
}

/// Metadata a moderator edits next to the document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Where the text comes from (a URL or a description).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where a browser finds the document: an `http://` or `https://` address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The day the document was published (`2016-02-03`): relative dates ("last year") are
    /// read from it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
}

impl Metadata {
    /// The metadata file `path` holding `raw`, validated: no empty field, a web address.
    pub fn parse(path: &Path, raw: &str) -> Result<Metadata, DataError> {
        let wrong = |message: String| DataError::Metadata {
            path: path.to_path_buf(),
            message,
        };
        let meta: Metadata = toml::from_str(raw).map_err(|e| wrong(e.message().to_string()))?;
        meta.check().map_err(wrong)?;
        Ok(meta)
    }

    /// What is wrong with the fields, for the user.
    pub fn check(&self) -> Result<(), String> {
        for (field, value) in [
            ("title", &self.title),
            ("author", &self.author),
            ("source", &self.source),
            ("url", &self.url),
            ("published", &self.published),
        ] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                return Err(format!("`{field}` is empty"));
            }
        }
        if let Some(url) = &self.url {
            let web = ["https://", "http://"]
                .iter()
                .find_map(|scheme| url.strip_prefix(scheme))
                .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace));
            if !web {
                return Err(format!(
                    "`url` is not an http:// or https:// address: {url:?}"
                ));
            }
        }
        if let Some(day) = &self.published
            && date::day_of(day).is_none()
        {
            return Err(format!("`published` is not a date (2016-02-03): {day:?}"));
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        *self == Metadata::default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The file name without extension: `russia-pakistan-alliance`.
    pub id: String,
    pub title: String,
    pub author: Option<String>,
    pub source: Option<String>,
    /// Where a browser finds the document.
    pub url: Option<String>,
    /// The day it was published (`2016-02-03`), from its metadata file or from the document.
    pub published: Option<String>,
    /// The format its file was read as.
    pub format: formats::Format,
    /// What reading left out (navigation, comments, page numbers), for the moderator.
    pub dropped: Vec<String>,
    pub paragraphs: Vec<Paragraph>,
    pub events: Vec<Event>,
    /// SHA-256 of the document and its metadata file.
    pub hash: String,
}

/// Everything in the data directory, validated.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub documents: Vec<Document>,
    pub aliases: Aliases,
    /// [`fingerprint`] of the data directory: the index stores it to know when to rebuild.
    pub hash: String,
}

impl Corpus {
    pub fn paragraph_count(&self) -> usize {
        self.documents.iter().map(|d| d.paragraphs.len()).sum()
    }

    pub fn event_count(&self) -> usize {
        self.documents.iter().map(|d| d.events.len()).sum()
    }
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, DataError> {
    let unreadable = |source| DataError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    let size = fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_DOCUMENT_BYTES {
        return Err(DataError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: MAX_DOCUMENT_BYTES,
        });
    }
    fs::read(path).map_err(unreadable)
}

fn read_text(path: &Path) -> Result<String, DataError> {
    decode(path, read_bytes(path)?)
}

/// The text of a document's bytes: not binary, UTF-8, without a byte-order mark, with `\n`
/// line ends. `path` names the file in errors.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, DataError> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(DataError::Binary {
            path: path.to_path_buf(),
            offset,
        });
    }
    let text = String::from_utf8(bytes).map_err(|e| DataError::InvalidUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    Ok(text.trim_start_matches('\u{feff}').replace("\r\n", "\n"))
}

pub(crate) fn is_document(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(formats::Format::of_extension)
        .is_some()
}

/// The files of the data directory, sorted, without hidden ones.
pub(crate) fn data_files(dir: &Path) -> Result<Vec<PathBuf>, DataError> {
    let unreadable = |source| DataError::Unreadable {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(unreadable)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(unreadable)?;
    paths.retain(|p| {
        !p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
    });
    paths.sort();
    Ok(paths)
}

/// A hash of every file in the data directory (names and bytes), cheap enough to compute at
/// every start: the index stores it and is rebuilt when it differs.
pub fn fingerprint(dir: &Path) -> Result<String, DataError> {
    let mut hash = Sha256::new();
    for path in data_files(dir)? {
        let bytes = read_bytes(&path)?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        hash.update((name.len() as u64).to_le_bytes());
        hash.update(name.as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    Ok(hex(&hash.finalize()))
}

/// Reads and validates the data directory.
pub fn load(dir: &Path) -> Result<Corpus, DataError> {
    // Hashed before reading: a file that changes while it is read leaves a hash that no longer
    // matches, so the next start reindexes rather than trust a stale index.
    let hash = fingerprint(dir)?;
    let paths = data_files(dir)?;
    let mut aliases = Aliases::default();
    let mut documents = Vec::new();
    for path in &paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name == ALIASES_FILE {
            aliases = Aliases::parse(path, &read_text(path)?)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            if !paths
                .iter()
                .any(|p| is_document(p) && p.file_stem().and_then(|s| s.to_str()) == Some(stem))
            {
                return Err(DataError::OrphanMetadata {
                    path: path.clone(),
                    expected: format!("{stem}.txt, .md, .html or .pdf"),
                });
            }
        } else if is_document(path) {
            documents.push(load_document(path)?);
        }
    }
    if documents.is_empty() {
        return Err(DataError::NoDocuments {
            path: dir.to_path_buf(),
        });
    }
    Ok(Corpus {
        documents,
        aliases,
        hash,
    })
}

/// Bytes as lower-case hexadecimal (hashes in the index, the audit and the log).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads one document and its metadata file.
pub fn load_document(path: &Path) -> Result<Document, DataError> {
    let bytes = read_bytes(path)?;
    let meta_path = path.with_extension("toml");
    let meta = match fs::read_to_string(&meta_path) {
        Ok(raw) => Some(raw),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(DataError::Unreadable {
                path: meta_path,
                source,
            });
        }
    };
    parse_document(path, bytes, meta.as_deref())
}

/// A document from its file's bytes and the text of its metadata file, as [`load_document`]
/// reads them from `path` (which names the files in errors and gives the id). The format is
/// recognised from the bytes.
pub fn parse_document(
    path: &Path,
    bytes: Vec<u8>,
    meta: Option<&str>,
) -> Result<Document, DataError> {
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("document")
        .to_string();
    let meta_path = path.with_extension("toml");
    let mut hash = Sha256::new();
    hash.update(id.as_bytes());
    hash.update(&bytes);
    let meta = match meta {
        Some(raw) => {
            hash.update(raw.as_bytes());
            Metadata::parse(&meta_path, raw)?
        }
        None => Metadata::default(),
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DataError::Empty {
            path: path.to_path_buf(),
        });
    }
    let extension = path.extension().and_then(|e| e.to_str());
    let format = formats::sniff(&bytes, extension);
    let read = formats::read(path, bytes, format, meta.title.as_deref())?;
    let found = read.found;
    let title = meta.title.or(found.title).unwrap_or_else(|| id.clone());
    let author = meta.author.or(found.author);
    let mut blocks = found.blocks;
    if !blocks.iter().any(|b| b.role == Role::Body) {
        return Err(DataError::NoParagraphs {
            path: path.to_path_buf(),
        });
    }
    if let Some(author) = &author
        && !blocks.iter().any(|b| b.role == Role::Byline)
    {
        let at = usize::from(blocks.first().is_some_and(|b| b.role == Role::Title));
        blocks.insert(
            at,
            article::Block {
                role: Role::Byline,
                text: format!("By {author}."),
            },
        );
    }
    let published = meta.published.or(read.published);
    let day = published.as_deref().and_then(date::day_of);
    let (paragraphs, events) = structure::structure(blocks, day);
    Ok(Document {
        id,
        title,
        author,
        source: meta.source,
        url: meta.url.or(read.url),
        published,
        format,
        dropped: read.dropped,
        paragraphs,
        events,
        hash: hex(&hash.finalize()),
    })
}
