//! `/document add` and `/document remove`: documents put into and taken out of the data
//! directory. Nothing is deleted: a removed or replaced document's files (the text and its
//! metadata) are kept in `.removed/` inside the data directory, which loading skips like every
//! hidden name, so a change can be undone by moving them back. A new document is validated in
//! memory, exactly as loading would, before anything is written, and written atomically
//! (a hidden temporary file, synced, renamed into place), so a crash never leaves half of it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use super::formats::{self, Format};
use super::{
    ALIASES_FILE, DataError, Document, Metadata, data_files, hex, is_document, parse_document,
};

/// The largest file `/document add` takes, in bytes: a PDF's (each format has its own limit,
/// [`Format::max_bytes`]; the text any of them gives is at most about 170,000 words, which the
/// reindex embeds in well under a minute).
pub const UPLOAD_MAX_BYTES: u64 = 8 * 1024 * 1024;

/// A document sent by a moderator: the attachment's file name and bytes, and its metadata.
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: Vec<u8>,
    pub meta: Metadata,
}

/// What `/document add` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    pub id: String,
    /// The format the file was read as, and what reading left out.
    pub format: Format,
    pub dropped: Vec<String>,
    pub events: usize,
    pub published: Option<String>,
    /// The SHA-256 of the text it replaced, if a document of that id was there.
    pub before: Option<String>,
    /// The SHA-256 of the new text.
    pub after: String,
    pub paragraphs: usize,
}

/// The id a file name gives a document (`Report 2024.PDF` → `report-2024`) and the format its
/// extension claims (the content decides: [`formats::sniff`]); `None` for a name that is not a
/// document's (`.txt`, `.md`, `.html`, `.pdf`) or has no letters or digits.
pub fn id_of(file_name: &str) -> Option<(String, Format)> {
    let (stem, ext) = file_name.rsplit_once('.')?;
    let ext = Format::of_extension(ext)?;
    let mut id = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id: String = id.trim_end_matches('-').chars().take(100).collect();
    valid_id(&id).then_some((id, ext))
}

/// "Added report (PDF): 41 paragraphs, 12 events, published 2016-02-03; left out: navigation,
/// 3 share blocks."
impl std::fmt::Display for Added {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Added {} ({}): {} paragraphs, {} events",
            self.id,
            self.format.name(),
            self.paragraphs,
            self.events
        )?;
        if let Some(day) = &self.published {
            write!(f, ", published {day}")?;
        }
        if !self.dropped.is_empty() {
            write!(f, "; left out: {}", self.dropped.join(", "))?;
        }
        write!(f, ".")
    }
}

/// What an upload would become in `data_dir`: its id, the file it would be written to, the text
/// of its metadata file, and the document as loading would read it. Every check of
/// [`add_document`] is made; nothing is written (`dossier add --dry-run` shows this).
pub struct Prepared {
    pub id: String,
    pub path: PathBuf,
    pub meta: Option<String>,
    pub document: Document,
}

/// Reads `upload` as a document of `data_dir` would be read, recognised by its content.
pub fn prepare(data_dir: &Path, upload: &Upload) -> Result<Prepared, DataError> {
    let named = data_dir.join(upload.file_name);
    let Some((id, claimed)) = id_of(upload.file_name) else {
        return Err(DataError::NotADocument { path: named });
    };
    let format = formats::sniff(&upload.bytes, Some(claimed.extension()));
    let path = data_dir.join(format!("{id}.{}", format.extension()));
    if reserved(&id) {
        return Err(DataError::Reserved { path, id });
    }
    let size = upload.bytes.len() as u64;
    if size > format.max_bytes() {
        return Err(DataError::TooLarge {
            path,
            size,
            limit: format.max_bytes(),
        });
    }
    let meta = (!upload.meta.is_empty())
        .then(|| toml::to_string(&upload.meta))
        .transpose()
        .map_err(|e| DataError::Metadata {
            path: path.with_extension("toml"),
            message: e.to_string(),
        })?;
    let document = parse_document(&path, upload.bytes.clone(), meta.as_deref())?;
    Ok(Prepared {
        id,
        path,
        meta,
        document,
    })
}

/// Validates `upload` as a document of `data_dir` and writes it there, replacing a document
/// of the same id (kept in `.removed/`). Nothing is written unless the document is valid.
pub fn add_document(data_dir: &Path, upload: Upload) -> Result<Added, DataError> {
    let Prepared {
        id,
        path,
        meta,
        document,
    } = prepare(data_dir, &upload)?;
    let after = hex(&Sha256::digest(&upload.bytes));
    let unreadable = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DataError::Unreadable { path, source }
    };
    let old = documents(data_dir)?
        .into_iter()
        .filter(|p| p.file_stem().and_then(|s| s.to_str()) == Some(id.as_str()))
        .collect::<Vec<_>>();
    let before = match old.first() {
        Some(p) => Some(hex(&Sha256::digest(
            std::fs::read(p).map_err(unreadable(p))?,
        ))),
        None => None,
    };
    let meta_path = path.with_extension("toml");
    let mut kept = old.clone();
    kept.extend(meta_path.exists().then(|| meta_path.clone()));
    set_aside(data_dir, &kept, false)?;
    // The text first: a crash before the metadata leaves a whole document with the old (or
    // no) metadata, never metadata without its document.
    write_atomically(&path, &upload.bytes)?;
    for other in old.iter().filter(|p| **p != path) {
        std::fs::remove_file(other).map_err(unreadable(other))?;
    }
    match &meta {
        Some(meta) => write_atomically(&meta_path, meta.as_bytes())?,
        None if meta_path.exists() => {
            std::fs::remove_file(&meta_path).map_err(unreadable(&meta_path))?
        }
        None => {}
    }
    Ok(Added {
        id,
        format: document.format,
        events: document.events.len(),
        paragraphs: document.paragraphs.len(),
        dropped: document.dropped,
        published: document.published,
        before,
        after,
    })
}

/// The document files of `data_dir`.
fn documents(data_dir: &Path) -> Result<Vec<PathBuf>, DataError> {
    let mut files = data_files(data_dir)?;
    files.retain(|p| is_document(p));
    Ok(files)
}

/// Keeps `paths` in `.removed/` under a time stamp: moved there, or copied when `moving` is
/// false (the file is about to be replaced in place).
fn set_aside(data_dir: &Path, paths: &[PathBuf], moving: bool) -> Result<(), DataError> {
    if paths.is_empty() {
        return Ok(());
    }
    let unreadable = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DataError::Unreadable { path, source }
    };
    let removed = data_dir.join(".removed");
    std::fs::create_dir_all(&removed).map_err(unreadable(&removed))?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("document");
        let to = removed.join(format!("{stamp}-{}-{name}", unique()));
        if moving {
            std::fs::rename(path, &to).map_err(unreadable(path))?;
        } else {
            std::fs::copy(path, &to).map_err(unreadable(path))?;
        }
    }
    Ok(())
}

/// A name part no other file of this process or of another one has: the process id and a
/// sequence number. Temporary files and backups carry it, so two edits never share one.
fn unique() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Writes `bytes` to `path` so that `path` holds either its old content or all of the new:
/// a hidden temporary file beside it (loading skips hidden names), synced, then renamed.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), DataError> {
    let failed = |source| DataError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temporary = path.with_file_name(format!(".{name}.{}.partial", unique()));
    let written = std::fs::File::create_new(&temporary).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&temporary, path)) {
        let _ = std::fs::remove_file(&temporary);
        return Err(failed(e));
    }
    if let Some(dir) = path.parent() {
        // The rename itself is durable once the directory is synced.
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(failed)?;
    }
    Ok(())
}

/// An id whose files would clash with another file of the data directory: a document's
/// metadata is `ID.toml`, so `aliases` would take the alias file's place.
pub fn reserved(id: &str) -> bool {
    ALIASES_FILE.strip_suffix(".toml") == Some(id)
}

/// A document id as the data directory names it: letters, digits, `-` and `_`.
pub fn valid_id(id: &str) -> bool {
    (1..=100).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Moves the document `id` (and its metadata file) to `.removed/`; the SHA-256 of its text,
/// or `None` when there is no such document. The last document is never removed: the index
/// needs one.
pub fn remove_document(data_dir: &Path, id: &str) -> Result<Option<String>, DataError> {
    if !valid_id(id) {
        return Ok(None);
    }
    let documents = documents(data_dir)?;
    let Some(text) = documents
        .iter()
        .find(|p| p.file_stem().and_then(|s| s.to_str()) == Some(id))
    else {
        return Ok(None);
    };
    if documents.len() == 1 {
        return Err(DataError::NoDocuments {
            path: data_dir.to_path_buf(),
        });
    }
    let bytes = std::fs::read(text).map_err(|source| DataError::Unreadable {
        path: text.clone(),
        source,
    })?;
    let hash = hex(&Sha256::digest(&bytes));
    let meta = text.with_extension("toml");
    let mut paths = vec![text.clone()];
    paths.extend(meta.exists().then_some(meta));
    set_aside(data_dir, &paths, true)?;
    Ok(Some(hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_removed_document_is_kept_aside_and_the_last_one_stays() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Alpha text.").unwrap();
        std::fs::write(dir.path().join("a.toml"), "title = \"A\"\n").unwrap();
        std::fs::write(dir.path().join("b.md"), "Beta text.").unwrap();
        assert_eq!(remove_document(dir.path(), "nothing").unwrap(), None);
        assert_eq!(remove_document(dir.path(), "../etc/passwd").unwrap(), None);
        let hash = remove_document(dir.path(), "a").unwrap().unwrap();
        assert_eq!(hash.len(), 64);
        assert!(!dir.path().join("a.txt").exists() && !dir.path().join("a.toml").exists());
        let kept: Vec<_> = std::fs::read_dir(dir.path().join(".removed"))
            .unwrap()
            .collect();
        assert_eq!(kept.len(), 2, "text and metadata kept aside");
        let err = remove_document(dir.path(), "b").unwrap_err();
        assert!(err.to_string().contains("no documents"), "{err}");
        assert!(dir.path().join("b.md").exists());
    }

    fn upload<'a>(file_name: &'a str, bytes: &[u8]) -> Upload<'a> {
        Upload {
            file_name,
            bytes: bytes.to_vec(),
            meta: Metadata::default(),
        }
    }

    /// The names and bytes of every file under `dir`, hidden ones included.
    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap();
                (p, bytes)
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn file_names_become_ids() {
        assert_eq!(
            id_of("Report 2024.TXT"),
            Some(("report-2024".into(), Format::Text))
        );
        assert_eq!(
            id_of("notes_v2.md"),
            Some(("notes_v2".into(), Format::Markdown))
        );
        assert_eq!(
            id_of("../../etc/passwd.txt"),
            Some(("etc-passwd".into(), Format::Text))
        );
        assert_eq!(id_of("Report.PDF"), Some(("report".into(), Format::Pdf)));
        assert_eq!(id_of("page.htm"), Some(("page".into(), Format::Html)));
        for bad in ["report.png", "report", ".txt", "---.md", "rapport.txt.exe"] {
            assert_eq!(id_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_new_document_is_written_whole_with_its_metadata_and_loads() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Alpha text.").unwrap();
        let text = "Gwadar port\n\nChina began building the Gwadar port in March 2002.";
        let added = add_document(
            dir.path(),
            Upload {
                meta: Metadata {
                    title: Some("Gwadar".into()),
                    url: Some("https://example.org/gwadar".into()),
                    ..Metadata::default()
                },
                ..upload("Gwadar Port.txt", text.as_bytes())
            },
        )
        .unwrap();
        assert_eq!(added.id, "gwadar-port");
        assert_eq!(added.before, None);
        assert_eq!(added.paragraphs, 2, "the title and one paragraph");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("gwadar-port.txt")).unwrap(),
            text
        );
        let corpus = crate::corpus::load(dir.path()).unwrap();
        let doc = corpus
            .documents
            .iter()
            .find(|d| d.id == "gwadar-port")
            .unwrap();
        assert_eq!(doc.title, "Gwadar");
        assert_eq!(doc.url.as_deref(), Some("https://example.org/gwadar"));
        assert!(
            !snapshot(dir.path())
                .iter()
                .any(|(p, _)| p.to_string_lossy().ends_with(".partial")),
            "no temporary file is left"
        );
    }

    #[test]
    fn a_replaced_document_is_kept_aside_with_its_metadata() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "Old alpha text.").unwrap();
        std::fs::write(dir.path().join("a.toml"), "title = \"Old\"\n").unwrap();
        let added = add_document(dir.path(), upload("A.txt", b"New alpha text.")).unwrap();
        assert_eq!(added.before.as_deref().map(str::len), Some(64));
        assert!(!dir.path().join("a.md").exists(), "one document per id");
        assert!(
            !dir.path().join("a.toml").exists(),
            "the old metadata went with it"
        );
        let kept = snapshot(&dir.path().join(".removed"));
        assert_eq!(kept.len(), 2, "{kept:?}");
        let corpus = crate::corpus::load(dir.path()).unwrap();
        assert_eq!(corpus.documents.len(), 1);
        assert_eq!(corpus.documents[0].title, "a");
    }

    #[test]
    fn an_id_whose_metadata_would_be_the_alias_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(ALIASES_FILE), "# aliases\n").unwrap();
        let before = snapshot(dir.path());
        for name in ["aliases.txt", "Aliases.md", "ALIASES.TXT"] {
            let mut up = upload(name, b"Some text about a treaty signed in 2014.\n");
            up.meta.title = Some("Clobber".into());
            let err = add_document(dir.path(), up).unwrap_err().to_string();
            assert!(
                err.contains("reserved") && err.contains(ALIASES_FILE),
                "{err}"
            );
            assert_eq!(snapshot(dir.path()), before, "nothing written for {name}");
        }
        assert!(!reserved("aliases-2014") && reserved("aliases"));
    }

    #[test]
    fn a_broken_upload_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Alpha text.").unwrap();
        let before = snapshot(dir.path());
        let large = vec![b'a'; UPLOAD_MAX_BYTES as usize + 1];
        let cases: [(Upload, &str); 7] = [
            (upload("b.txt", b"GIF89a\0\0\x01"), "binary"),
            (upload("b.txt", b"caf\xe9 au lait"), "not valid UTF-8"),
            (upload("b.txt", &large), "too large"),
            (upload("b.png", b"text"), "not a document"),
            (upload("b.txt", b"%PDF-1.4\ngarbage"), "malformed"),
            (upload("b.md", b"  \n\n "), "empty"),
            (
                Upload {
                    meta: Metadata {
                        url: Some("javascript:alert(1)".into()),
                        ..Metadata::default()
                    },
                    ..upload("b.txt", b"Beta text.")
                },
                "`url` is not",
            ),
        ];
        for (upload, reason) in cases {
            let name = upload.file_name.to_string();
            let err = add_document(dir.path(), upload).unwrap_err().to_string();
            assert!(err.contains(reason), "{name}: {err}");
            assert_eq!(snapshot(dir.path()), before, "{name}: nothing written");
            assert!(!dir.path().join(".removed").exists());
        }
    }
}
