//! The real article read as a reader does: paragraphs, captions, headings, sentences, events.

use std::path::Path;

use dossier::corpus::{self, Document, Role};

fn article() -> Document {
    let corpus = corpus::load(Path::new("data")).expect("the shipped data loads");
    corpus
        .documents
        .into_iter()
        .find(|d| d.id == "russia-pakistan-alliance")
        .expect("the article is in data/")
}

fn paragraph_starting<'a>(doc: &'a Document, start: &str) -> &'a corpus::Paragraph {
    doc.paragraphs
        .iter()
        .find(|p| p.text.starts_with(start))
        .unwrap_or_else(|| panic!("no paragraph starts with {start:?}"))
}

#[test]
fn title_and_byline_become_metadata() {
    let doc = article();
    assert_eq!(doc.title, "Russia & Pakistan – A New Alliance");
    assert_eq!(doc.author.as_deref(), Some("M. Tahir Khan"));
    assert_eq!(doc.paragraphs[0].role, Role::Title);
    assert_eq!(doc.paragraphs[1].role, Role::Byline);
}

#[test]
fn the_paragraph_broken_mid_sentence_is_joined_back() {
    let doc = article();
    let p = paragraph_starting(&doc, "If we look into the history of Pakistan and India");
    assert!(
        p.text
            .contains("In 1950, United States extended its hand of friendship to Pakistan"),
        "{}",
        p.text
    );
    assert!(
        !doc.paragraphs
            .iter()
            .any(|p| p.text.starts_with("of friendship"))
    );
}

#[test]
fn captions_keep_their_words_and_lose_file_names() {
    let doc = article();
    let captions: Vec<&str> = doc
        .paragraphs
        .iter()
        .filter(|p| p.role == Role::Caption)
        .map(|p| p.text.as_str())
        .collect();
    assert!(
        captions.contains(&"Prime Minister Nawaz Sharif with Russian President Vladimir Putin.")
    );
    assert!(
        captions.contains(&"Obama visiting India in 2010"),
        "{captions:?}"
    );
    for noise in ["- Copy", "_01", "Joint Picture", "Pact Signed"] {
        assert!(
            doc.paragraphs.iter().all(|p| !p.text.contains(noise)),
            "{noise:?} survived"
        );
    }
}

#[test]
fn headings_are_attached_to_the_paragraphs_under_them() {
    let doc = article();
    let headings: Vec<&str> = doc
        .paragraphs
        .iter()
        .filter(|p| p.role == Role::Heading)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(
        headings,
        [
            "US President Barack Obama Visited India",
            "New Era: Russia Lift Arms Embargo to Pakistan",
            "India Strengthened Relations with US & West",
            "Russian Annexation of Crimea",
            "Pakistan – Russia relations reached new heights",
        ]
    );
    let p = paragraph_starting(&doc, "In June 2014, Russia lifts arms embargo");
    assert_eq!(
        p.heading.as_deref(),
        Some("New Era: Russia Lift Arms Embargo to Pakistan")
    );
    let first = paragraph_starting(&doc, "If we look into the history");
    assert_eq!(first.heading, None);
}

#[test]
fn blog_boilerplate_is_dropped() {
    let doc = article();
    for boilerplate in [
        "Leave a Reply",
        "Your email address will not be published",
        "Required fields",
    ] {
        assert!(
            doc.paragraphs.iter().all(|p| !p.text.contains(boilerplate)),
            "{boilerplate:?} survived"
        );
    }
    let last = doc.paragraphs.last().unwrap();
    assert!(
        last.text.ends_with("while India has failed."),
        "{}",
        last.text
    );
}

#[test]
fn sentences_split_around_initials_numbers_and_model_names() {
    let doc = article();
    let sentences: Vec<&str> = doc
        .paragraphs
        .iter()
        .flat_map(|p| p.sentences.iter().map(|s| &p.text[s.range.clone()]))
        .collect();
    let containing = |needle: &str| -> &str {
        sentences
            .iter()
            .find(|s| s.contains(needle))
            .unwrap_or_else(|| panic!("no sentence contains {needle:?}"))
    };
    assert_eq!(containing("Tahir"), "By M. Tahir Khan.");
    assert!(containing("9/11").contains("boosted after 9/11 attacks"));
    assert!(containing("$2.5bn").ends_with("from Karachi to Lahore."));
    assert_eq!(
        containing("Su-35"),
        "September 20, 2015 Pakistan discussed with Russia to buy Su-35 and Flanker-E fighter jets."
    );
    assert!(containing("RD-93").contains("JF Thunder 17 fighter planes."));
    assert!(containing("MI 35").starts_with("In June 2014, Russia lifts arms embargo"));
    assert!(containing("eight F-16").starts_with("US approval to sell new eight F-16"));
}

#[test]
fn the_article_is_quoted_with_its_own_spelling() {
    let doc = article();
    let all: String = doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
    for spelling in ["Musharaf", "Kiyani", "Ukrine", "Krushchev", "Sartaz"] {
        assert!(all.contains(spelling), "{spelling} was changed");
    }
}

#[test]
fn every_dated_statement_becomes_an_event() {
    let doc = article();
    let events: Vec<(String, &str)> = doc
        .events
        .iter()
        .map(|e| (e.date.edtf(), e.text.as_str()))
        .collect();
    let expected: &[(&str, &str)] = &[
        ("1947", "independence from British Rule in 1947"),
        ("1950", "In 1950, United States extended its hand"),
        ("195X", "established in early 1950s"),
        ("1955", "Nehru paid his first visit to USSR"),
        ("1955", "Krushchev also visited India"),
        ("1965", "1965 war between India and Pakistan"),
        ("1965", "In 1965, USSR successfully broker peace"),
        ("1971", "1971 war on Pakistan"),
        ("1984", "Indra Gandhi’s death in 1984"),
        ("1985", "Rajeev Gandhi visited USSR in 1985"),
        ("1988/2001", "from 1988 to 2001 the relationship"),
        (
            "1998",
            "in 1998 USA imposed economic and military support sanctions",
        ),
        ("2007", "visit of Russian Prime Minister Mikhail Fradkov"),
        ("2010", "President Obama’s first visit of India"),
        ("2010", "Putin openly described he was against"),
        ("2012", "Putin’s state visit to Pakistan was also cancelled"),
        ("2012", "Kiyani’s 2012 Russia trip"),
        ("2014-06", "Russia lifts arms embargo to Pakistan"),
        ("2014-11", "signed defense cooperation agreement"),
        ("2015-01", "Obama’s 2nd India trip in January 2015"),
        ("2015-02-15", "China granted no objection certificate"),
        ("2015-03-18", "Crimea a territory of Ukrine was annexed"),
        ("2015-06-15", "General Raheel Sharif visited Moscow"),
        ("2015-07-09", "Putin has accepted the invitation"),
        ("2015-09-20", "buy Su-35 and Flanker-E fighter jets"),
        ("2015-10-15", "$2.5bn accord for Liquefied Natural Gas"),
        ("2015-12", "Indian Defense Minister visited US"),
        ("2016-01-23", "first ever joint military exercises"),
    ];
    for (date, words) in expected {
        assert!(
            events.iter().any(|(d, t)| d == date && t.contains(words)),
            "missing event {date} {words:?}; have {events:#?}"
        );
    }
    // Numbers that are not dates never become events.
    for (date, text) in &events {
        assert!(
            !["9/11", "68", "23", "75", "16", "17", "35", "93"].contains(&date.as_str()),
            "{date} from {text:?}"
        );
    }
    // Nothing beyond the expected list but the two open intervals "starting from 1947" and
    // "after 2010".
    assert_eq!(events.len(), expected.len() + 2, "{events:#?}");
    // The clause of a sentence with two dates is the part with its own date.
    let krushchev = doc
        .events
        .iter()
        .find(|e| e.text.contains("Krushchev"))
        .unwrap();
    assert!(!krushchev.text.contains("Nehru"), "{}", krushchev.text);
    assert!(krushchev.sentence.contains("Nehru"));
}
