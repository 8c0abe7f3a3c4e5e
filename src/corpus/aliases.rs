//! Alternative names and everyday words for the article's terms, kept as data in
//! `data/aliases.toml` so moderators can edit them without touching code.
//!
//! ```toml
//! [[alias]]
//! term = "Pakistan"                      # the article's word or phrase
//! also = ["Islamabad", "Pakistani"]      # what people write instead
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::DataError;

/// One article term and the words that mean it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alias {
    pub term: String,
    pub also: Vec<String>,
}

/// All aliases of the data directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aliases {
    #[serde(default, rename = "alias")]
    pub entries: Vec<Alias>,
}

/// The longest alias phrase, in words; longer ones are surely a mistake in the file.
const MAX_WORDS: usize = 6;

impl Aliases {
    /// Parses and validates an alias file; errors name the file and the entry.
    pub fn parse(path: &Path, text: &str) -> Result<Aliases, DataError> {
        let bad = |message: String| DataError::Aliases {
            path: path.to_path_buf(),
            message,
        };
        let aliases: Aliases = toml::from_str(text).map_err(|e| bad(e.message().to_string()))?;
        for (i, entry) in aliases.entries.iter().enumerate() {
            let n = i + 1;
            let words = |s: &str| s.split_whitespace().count();
            if entry.term.trim().is_empty() {
                return Err(bad(format!("entry {n}: `term` is empty")));
            }
            if entry.also.is_empty() {
                return Err(bad(format!(
                    "entry {n} ({}): `also` lists no alternative",
                    entry.term
                )));
            }
            for alt in std::iter::once(&entry.term).chain(&entry.also) {
                if alt.trim().is_empty() || words(alt) > MAX_WORDS {
                    return Err(bad(format!(
                        "entry {n} ({}): {alt:?} must have 1 to {MAX_WORDS} words",
                        entry.term
                    )));
                }
                if alt.chars().any(char::is_control) {
                    return Err(bad(format!(
                        "entry {n} ({}): {alt:?} holds control characters",
                        entry.term
                    )));
                }
            }
        }
        Ok(aliases)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_well_formed_file_parses() {
        let a = Aliases::parse(
            Path::new("aliases.toml"),
            "[[alias]]\nterm = \"Russia\"\nalso = [\"the Kremlin\"]\n",
        )
        .unwrap();
        assert_eq!(a.entries[0].also, vec!["the Kremlin"]);
    }

    #[test]
    fn malformed_files_are_refused_with_the_file_and_the_problem() {
        for (text, needle) in [
            ("[[alias]]\nterm = \"Russia\"\n", "also"),
            ("[[alias]]\nterm = \"\"\nalso = [\"x\"]\n", "empty"),
            (
                "[[alias]]\nterm = \"Russia\"\nalso = []\n",
                "no alternative",
            ),
            (
                "[[alias]]\nterm = \"Russia\"\nalso = [\"a b c d e f g\"]\n",
                "1 to 6 words",
            ),
            ("[[alias]\nterm = ", "aliases.toml"),
            (
                "[[alias]]\nterm = \"Russia\"\nalso = [\"x\"]\nextra = 1\n",
                "unknown field",
            ),
        ] {
            let err = Aliases::parse(Path::new("data/aliases.toml"), text)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("data/aliases.toml") && err.contains(needle),
                "{err}"
            );
        }
    }
}
