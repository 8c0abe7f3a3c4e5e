//! The first article as people have it (issue 30): as a blog page with navigation, a sidebar,
//! share buttons and comments, as Markdown with front matter, and as a PDF made by LibreOffice
//! with a running head and page numbers. Each gives the paragraphs of `data/`'s text and
//! scores as the text does on the public question sets.

use std::path::Path;

use dossier::corpus::{self, Document, Role};

use crate::common;
use crate::quality::{Scores, score_with};

const FORMATS: &str = "tests/fixtures/formats";
const META: &str = "data/russia-pakistan-alliance.toml";

fn article_as(file: &str) -> Document {
    let bytes = std::fs::read(Path::new(FORMATS).join(file)).unwrap();
    let meta = std::fs::read_to_string(META).unwrap();
    corpus::parse_document(Path::new(file), bytes, Some(&meta)).unwrap()
}

/// A paragraph's text with its whitespace made single spaces.
fn normalised(d: &Document, role: Option<Role>) -> Vec<String> {
    d.paragraphs
        .iter()
        .filter(|p| role.is_none_or(|r| p.role == r))
        .map(|p| p.text.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn the_article_in_every_format_gives_the_paragraphs_of_its_text() {
    let text = corpus::load_document(Path::new("data/russia-pakistan-alliance.txt")).unwrap();
    let body = normalised(&text, Some(Role::Body));
    for file in ["article.html", "article.md", "article.pdf"] {
        let other = article_as(file);
        let all = normalised(&other, None);
        let kept = body.iter().filter(|p| all.contains(p)).count();
        let share = kept as f64 / body.len() as f64;
        eprintln!("{file}: {kept} of {} body paragraphs identical", body.len());
        let missing: Vec<&String> = body.iter().filter(|p| !all.contains(p)).collect();
        assert!(share >= 0.95, "{file}: {share:.3}; missing: {missing:#?}");
        assert_eq!(other.title, "Russia & Pakistan – A New Alliance", "{file}");
        assert_eq!(other.author.as_deref(), Some("M. Tahir Khan"), "{file}");
        // Nothing of the page around the article: no menu, no comment, no page number.
        let joined = all.join("\n");
        for furniture in ["signed in 2015, not 2014", "Leave a Reply", "Recent Posts"] {
            assert!(!joined.contains(furniture), "{file}: {furniture}");
        }
        assert!(
            !all.iter().any(|p| p.chars().all(|c| c.is_ascii_digit())),
            "{file}"
        );
        // The same events, and in a document with a published date those it says from that
        // day ("in coming year").
        let own = other.events.iter().filter(|e| !e.from_published).count();
        assert_eq!(own, text.events.len(), "{file}: events");
    }
    let page = article_as("article.html");
    assert_eq!(page.published.as_deref(), Some("2016-02-03"));
    assert!(
        page.url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    );
}

#[test]
fn the_article_in_every_format_scores_as_its_text() {
    let (engine, _index) = common::article_engine();
    let sets = ["tests/eval/dev.jsonl", "tests/eval/dev2.jsonl"];
    let reference: Vec<Scores> = sets.iter().map(|s| score_with(&engine, s)).collect();
    for file in ["article.html", "article.md", "article.pdf"] {
        let data = tempfile::tempdir().unwrap();
        common::copy_data(data.path());
        std::fs::remove_file(data.path().join("russia-pakistan-alliance.txt")).unwrap();
        let ext = file.rsplit_once('.').unwrap().1;
        std::fs::copy(
            Path::new(FORMATS).join(file),
            data.path().join(format!("russia-pakistan-alliance.{ext}")),
        )
        .unwrap();
        let (engine, _index) = common::engine_over(data.path());
        for (set, before) in sets.iter().zip(&reference) {
            let after = score_with(&engine, set);
            let rates = before.rates().into_iter().zip(after.rates());
            for ((what, text), (_, other)) in rates {
                eprintln!("{file} {set} {what}: {text:.3} as text, {other:.3}");
                assert!(
                    other >= text - 0.02,
                    "{file} {set} {what}: {text:.3} as text, {other:.3}"
                );
            }
        }
    }
}
