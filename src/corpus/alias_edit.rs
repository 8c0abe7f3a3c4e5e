//! `/alias add` and `/alias remove`: `aliases.toml` edited in place with its comments and order
//! kept (toml_edit), checked like any data file before it is written, and written atomically
//! (a temporary file renamed over it), so a crash never leaves half a file.

use std::path::Path;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, Value, value};

use super::aliases::Aliases;
use super::{ALIASES_FILE, DataError};

/// What to change: `also` added to, or removed from, the entry of `term`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasChange {
    pub add: bool,
    pub term: String,
    pub also: String,
}

/// Whether the file changed (adding what is there, or removing what is not, changes nothing).
pub fn edit_aliases(data_dir: &Path, change: &AliasChange) -> Result<bool, DataError> {
    let path = data_dir.join(ALIASES_FILE);
    let bad = |message: String| DataError::Aliases {
        path: path.clone(),
        message,
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(DataError::Unreadable {
                path: path.clone(),
                source,
            });
        }
    };
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| bad(e.to_string()))?;
    if !doc.contains_key("alias") {
        doc.insert("alias", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let entries = doc["alias"]
        .as_array_of_tables_mut()
        .ok_or_else(|| bad("`alias` is not a list of [[alias]] entries".into()))?;
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    let at = entries.iter().position(|t| {
        t.get("term")
            .and_then(|v| v.as_str())
            .is_some_and(|t| same(t, &change.term))
    });
    let changed = match (at, change.add) {
        (Some(i), true) => {
            let also = entries
                .get_mut(i)
                .and_then(|t| t.get_mut("also"))
                .and_then(Item::as_array_mut)
                .ok_or_else(|| bad(format!("entry {}: `also` is not a list", i + 1)))?;
            let present = also
                .iter()
                .any(|v| v.as_str().is_some_and(|a| same(a, &change.also)));
            if !present {
                also.push(change.also.trim());
            }
            !present
        }
        (None, true) => {
            let mut entry = Table::new();
            entry.insert("term", value(change.term.trim()));
            let mut also = toml_edit::Array::new();
            also.push(change.also.trim());
            entry.insert("also", Item::Value(Value::Array(also)));
            entries.push(entry);
            true
        }
        (Some(i), false) => {
            let also = entries
                .get_mut(i)
                .and_then(|t| t.get_mut("also"))
                .and_then(Item::as_array_mut)
                .ok_or_else(|| bad(format!("entry {}: `also` is not a list", i + 1)))?;
            let before = also.len();
            also.retain(|v| !v.as_str().is_some_and(|a| same(a, &change.also)));
            let removed = also.len() < before;
            if also.is_empty() {
                entries.remove(i);
            }
            removed
        }
        (None, false) => false,
    };
    if !changed {
        return Ok(false);
    }
    let new_text = doc.to_string();
    Aliases::parse(&path, &new_text)?;
    super::document_edit::write_atomically(&path, new_text.as_bytes())?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(add: bool, term: &str, also: &str) -> AliasChange {
        AliasChange {
            add,
            term: term.into(),
            also: also.into(),
        }
    }

    #[test]
    fn aliases_are_added_and_removed_with_comments_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(ALIASES_FILE);
        let original = std::fs::read_to_string("data/aliases.toml").unwrap();
        std::fs::write(&file, &original).unwrap();
        assert!(edit_aliases(dir.path(), &change(true, "russia", "Moskva")).unwrap());
        assert!(!edit_aliases(dir.path(), &change(true, "Russia", "moskva")).unwrap());
        assert!(edit_aliases(dir.path(), &change(true, "Gwadar", "Gwadar port")).unwrap());
        let edited = std::fs::read_to_string(&file).unwrap();
        assert!(
            edited.starts_with("# Aliases: the words people use"),
            "comments kept"
        );
        assert!(edited.contains("# --- Countries, capitals and governments"));
        let parsed = Aliases::parse(&file, &edited).unwrap();
        let russia = parsed.entries.iter().find(|e| e.term == "Russia").unwrap();
        assert!(russia.also.contains(&"Moskva".to_string()));
        assert_eq!(parsed.entries.last().unwrap().term, "Gwadar");

        assert!(edit_aliases(dir.path(), &change(false, "Russia", "Moskva")).unwrap());
        assert!(edit_aliases(dir.path(), &change(false, "Gwadar", "Gwadar port")).unwrap());
        assert!(!edit_aliases(dir.path(), &change(false, "Nowhere", "x")).unwrap());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    }

    #[test]
    fn an_alias_that_would_make_the_file_invalid_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(ALIASES_FILE);
        std::fs::write(&file, "[[alias]]\nterm = \"Russia\"\nalso = [\"Moscow\"]\n").unwrap();
        let err = edit_aliases(
            dir.path(),
            &change(true, "Russia", "one two three four five six seven"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("1 to 6 words"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "[[alias]]\nterm = \"Russia\"\nalso = [\"Moscow\"]\n"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
    }
}
