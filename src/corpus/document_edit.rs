//! `/document remove`: a document taken out of the data directory. Nothing is deleted: its
//! files (the text and its metadata) move to `.removed/` inside the data directory, which
//! loading skips like every hidden name, so a removal can be undone by moving them back.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{DataError, hex, is_document};

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
    let unreadable = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DataError::Unreadable { path, source }
    };
    let documents: Vec<PathBuf> = std::fs::read_dir(data_dir)
        .map_err(unreadable(data_dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| is_document(p))
        .collect();
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
    let bytes = std::fs::read(text).map_err(unreadable(text))?;
    let hash = hex(&Sha256::digest(&bytes));
    let removed = data_dir.join(".removed");
    std::fs::create_dir_all(&removed).map_err(unreadable(&removed))?;
    let stamp = crate::store::now();
    for path in [text.clone(), text.with_extension("toml")] {
        if path.exists() {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or(id);
            let to = removed.join(format!("{stamp}-{name}"));
            std::fs::rename(&path, &to).map_err(unreadable(&path))?;
        }
    }
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
}
