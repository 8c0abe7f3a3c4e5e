use super::lexicon::edit_distance;
use super::*;

#[test]
fn control_zero_width_and_bidi_characters_are_removed() {
    assert_eq!(
        clean("  when\u{200b} did\u{0}\tit\u{202e} happen?\n"),
        "when did it happen?"
    );
    assert_eq!(clean("\u{200b}\u{feff} \u{7}"), "");
}

#[test]
fn question_kinds_follow_the_question_words() {
    let k = |q: &str| {
        kind_of(
            &q.to_lowercase(),
            q.chars().any(|c| c.is_ascii_digit()) && q.contains("20"),
        )
    };
    assert_eq!(k("When did Russia lift the embargo?"), QuestionKind::When);
    assert_eq!(
        k("In what year did the USSR broker peace?"),
        QuestionKind::When
    );
    assert_eq!(k("Who signed the deal?"), QuestionKind::Who);
    assert_eq!(
        k("Which Pakistani leader offered the army?"),
        QuestionKind::Who
    );
    assert_eq!(
        k("How many F-16s did the US approve?"),
        QuestionKind::Quantity
    );
    assert_eq!(
        k("Between which cities will the pipeline run?"),
        QuestionKind::Place
    );
    assert_eq!(k("What happened in 2015?"), QuestionKind::Period);
    assert_eq!(
        k("How long did the general stay in Moscow?"),
        QuestionKind::Duration
    );
    assert_eq!(k("how much time did the war take"), QuestionKind::Duration);
    assert_eq!(
        k("How long ago was the embargo lifted?"),
        QuestionKind::When
    );
    assert_eq!(k("How much did the deal cost?"), QuestionKind::Money);
    assert_eq!(k("what price did they pay"), QuestionKind::Money);
    assert_eq!(k("How much did relations improve?"), QuestionKind::Quantity);
    assert_eq!(k("What were the drills called?"), QuestionKind::Name);
    assert_eq!(k("Why was the visit called off?"), QuestionKind::Other);
    assert_eq!(k("wats the name of the ambassador"), QuestionKind::Name);
    assert_eq!(
        k("Who was the minister named in the deal?"),
        QuestionKind::Who
    );
    assert_eq!(k("Why is India in an odd position?"), QuestionKind::Other);
}

#[test]
fn the_focus_is_what_the_question_asks_for() {
    let focus = |q: &str| {
        let lower = q.to_lowercase();
        let words: Vec<String> = crate::corpus::words::plain_words(&lower)
            .filter(|w| !w.is_empty())
            .collect();
        let kind = kind_of(&lower, false);
        focus_words(kind, &words, &vec![false; words.len()])
            .into_iter()
            .map(|i| words[i].clone())
            .collect::<Vec<_>>()
    };
    let table: [(&str, &[&str]); 11] = [
        (
            "How many Mi-35 helicopters did Pakistan receive?",
            &["helicopters"],
        ),
        ("how many f16s did the us ok", &["f16s"]),
        ("Who was Russia's foreign minister then?", &["minister"]),
        (
            "What is the name of the Indian defence minister?",
            &["minister"],
        ),
        (
            "What was the name of the minister who went there?",
            &["minister"],
        ),
        (
            "what was the name of the first russia pak joint exercise",
            &["exercise"],
        ),
        (
            "What were the planned Russian-Pakistani drills called?",
            &["drills"],
        ),
        ("Who visited Moscow in June 2015?", &[]),
        ("Who went to Russia after the foreign minister's trip?", &[]),
        (
            "Which Russian general announced the exercises?",
            &["general"],
        ),
        ("When did Russia lift the embargo?", &[]),
    ];
    for (q, expected) in table {
        assert_eq!(focus(q), expected, "{q}");
    }
}

#[test]
fn model_names_typed_without_a_hyphen_are_split() {
    assert_eq!(glued_model("f16s"), Some(("f", "16")));
    assert_eq!(glued_model("su35"), Some(("su", "35")));
    assert_eq!(glued_model("mi35"), Some(("mi", "35")));
    assert_eq!(glued_model("2015"), None);
    assert_eq!(glued_model("1990s"), None);
    assert_eq!(glued_model("covid19"), None);
    assert_eq!(glued_model("f"), None);
}

#[test]
fn edit_distance_counts_transpositions_once() {
    assert_eq!(edit_distance("embago", "embargo"), 1);
    assert_eq!(edit_distance("pipline", "pipeline"), 1);
    assert_eq!(edit_distance("ebmargo", "embargo"), 1);
    assert_eq!(edit_distance("liquified", "liquefied"), 1);
}

#[test]
fn a_negation_prefix_is_never_corrected_away() {
    use super::lexicon::negates;
    assert!(negates("insignificant", "significant"));
    assert!(negates("impossible", "possible"));
    assert!(negates("unpossible", "possible"));
    assert!(negates("typical", "atypical"));
    assert!(negates("nonlethal", "lethal"));
    assert!(!negates("pakistn", "pakistan"));
    assert!(!negates("embrago", "embargo"));
    assert!(!negates("unhapy", "unhappy"));
    assert!(!negates("atack", "attack"));
    assert!(!negates("dispaly", "display"));
}

#[test]
fn a_real_word_is_only_spelt_as_the_documents_spell_it() {
    use super::forms::spelt_otherwise;
    for (a, b) in [
        ("neighbour", "neighbor"),
        ("neighbours", "neighbor"),
        ("defence", "defense"),
        ("recognise", "recognized"),
        ("sergei", "sergey"),
        ("theatre", "theater"),
    ] {
        assert!(spelt_otherwise(a, b), "{a} {b}");
    }
    for (a, b) in [
        ("decrease", "increase"),
        ("bounded", "founded"),
        ("ahead", "head"),
        ("carry", "harry"),
        ("expert", "export"),
        ("white", "while"),
        ("four", "for"),
        ("news", "new"),
        ("engines", "engine"),
        ("seed", "see"),
    ] {
        assert!(!spelt_otherwise(a, b), "{a} {b}");
    }
}

#[test]
fn a_correction_is_written_in_the_users_case() {
    use super::lexicon::in_case_of;
    assert_eq!(in_case_of("Herve", "hervé"), "Hervé");
    assert_eq!(in_case_of("PAKISTN", "pakistan"), "PAKISTAN");
    assert_eq!(in_case_of("pakistn", "pakistan"), "pakistan");
    assert_eq!(in_case_of("I", "it"), "It");
}

/// Engines over the shipped article, over a second document whose words the old corrector
/// turned correct words into ("founded", "see", "Bonn", "not", "for", "significant",
/// "possible", "increase") and which names Hervé and Emma, and over both.
mod over_documents {
    use std::path::Path;
    use std::sync::OnceLock;

    use super::super::{Analysis, Question, clean};
    use crate::search::Engine;
    use crate::search::context;

    const SECOND: &str = "Hervé Morin and the Bonn society\n\n\
        The society was founded in 1950 in Bonn, where its members could see the river. It \
        was not large, but for a time its influence was significant. Its chairman Hervé Morin \
        said an increase in membership was possible.\n\n\
        His daughter Emma married Paul Durand in 1975. She said she married for love.\n";

    struct Fixture {
        engine: Engine,
        _dirs: Vec<tempfile::TempDir>,
    }

    fn data() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
    }

    fn article() -> &'static Engine {
        static F: OnceLock<Fixture> = OnceLock::new();
        &F.get_or_init(|| {
            let index = tempfile::tempdir().unwrap();
            let engine = Engine::open(&data(), index.path()).unwrap();
            Fixture {
                engine,
                _dirs: vec![index],
            }
        })
        .engine
    }

    /// An engine over `SECOND` alone, or with the shipped article.
    fn engine_over(with_article: bool) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        if with_article {
            for entry in std::fs::read_dir(data()).unwrap() {
                let entry = entry.unwrap();
                std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
            }
        }
        std::fs::write(dir.path().join("bonn-society.txt"), SECOND).unwrap();
        let index = tempfile::tempdir().unwrap();
        let engine = Engine::open(dir.path(), index.path()).unwrap();
        Fixture {
            engine,
            _dirs: vec![dir, index],
        }
    }

    fn second() -> &'static Engine {
        static F: OnceLock<Fixture> = OnceLock::new();
        &F.get_or_init(|| engine_over(false)).engine
    }

    fn two_documents() -> &'static Engine {
        static F: OnceLock<Fixture> = OnceLock::new();
        &F.get_or_init(|| engine_over(true)).engine
    }

    /// The analysis of `q`, and the question as corrected ("did you mean").
    fn analyse(engine: &Engine, q: &str) -> (Analysis, Option<String>) {
        let snap = engine.snapshot();
        let mut ctx = engine.context(&snap);
        let q = Question::new(clean(q));
        let a = context::analysis(&mut ctx, &q);
        let corrected = context::corrected(&q, &a.corrections);
        (a, corrected)
    }

    /// The concept of `word` in the analysis of `q`.
    fn concept_of(engine: &Engine, q: &str, word: &str) -> super::super::Concept {
        let (a, _) = analyse(engine, q);
        let stem = crate::search::question::stems(&mut crate::search::fixture::stemmer(), word);
        a.concepts
            .into_iter()
            .find(|c| c.alts[0].stems == stem)
            .unwrap_or_else(|| panic!("{q}: no concept {word}"))
    }

    #[test]
    fn correct_words_the_documents_lack_are_kept_as_written() {
        let engine = second();
        for (q, word) in [
            ("When was the society bounded?", "bounded"),
            ("What did its members seek?", "seek"),
            ("Where was Hervé Morin born?", "born"),
            ("Did Morin note the membership?", "note"),
            ("Were there four rivers?", "four"),
            ("Was its influence insignificant?", "insignificant"),
            ("Was an increase in membership impossible?", "impossible"),
            ("Did the membership decrease?", "decrease"),
            ("Did the membership decreases?", "decreases"),
            ("Was a bigger membership unpossible?", "unpossible"),
            ("When was the socety bounded?", "bounded"),
        ] {
            let (a, _) = analyse(engine, q);
            let wrong: Vec<_> = a
                .corrections
                .iter()
                .filter(|c| c.from != "socety")
                .collect();
            assert!(wrong.is_empty(), "{q}: {wrong:?}");
            let concept = concept_of(engine, q, word);
            assert_eq!(concept.alts.len(), 1, "{q}: {:?}", concept.alts);
            assert!(!concept.known, "{q}");
        }
    }

    #[test]
    fn a_real_word_is_found_in_the_form_the_article_uses() {
        let engine = article();
        for (q, word, form) in [
            ("Who did Putin send to Pakistan?", "send", "sent"),
            (
                "Which South Asian rivals did Moscow court?",
                "asian",
                "asia",
            ),
            ("Who is the neighbour of Pakistan?", "neighbour", "neighbor"),
        ] {
            let concept = concept_of(engine, q, word);
            let form = crate::search::question::stems(&mut crate::search::fixture::stemmer(), form);
            assert!(
                concept.alts.iter().any(|a| a.stems == form),
                "{q}: {:?}",
                concept.alts
            );
            assert!(concept.known, "{q}");
            assert!(analyse(engine, q).0.corrections.is_empty(), "{q}");
        }
    }

    #[test]
    fn real_typos_are_corrected_in_the_users_case() {
        for engine in [article(), two_documents()] {
            for (q, expected) in [
                (
                    "When did Russia lift the embrago on Pakistn?",
                    "When did Russia lift the embargo on Pakistan?",
                ),
                (
                    "WHEN DID RUSSIA LIFT THE EMBRAGO ON PAKISTN?",
                    "WHEN DID RUSSIA LIFT THE EMBARGO ON PAKISTAN?",
                ),
            ] {
                assert_eq!(analyse(engine, q).1.as_deref(), Some(expected), "{q}");
            }
        }
        let (_, corrected) = analyse(two_documents(), "What did Herve Morin say?");
        assert_eq!(corrected.as_deref(), Some("What did Hervé Morin say?"));
        let (_, corrected) = analyse(two_documents(), "When was the socety founded?");
        assert_eq!(corrected.as_deref(), Some("When was the society founded?"));
    }

    #[test]
    fn a_capitalised_ordinary_word_is_not_a_name() {
        let engine = two_documents();
        let entity = |q: &str, word: &str| concept_of(engine, q, word).entity;
        assert!(!entity("Who did Emma Marry?", "marry"));
        assert!(!entity("Who did Emma marry?", "marry"));
        assert!(entity("Who did Emma Marry?", "emma"));
        assert!(entity("When did Erdogan visit Islamabad?", "erdogan"));
        assert!(entity("What is the capital of Australia?", "australia"));
        assert!(!entity(
            "Which parts of Moscow's economy did the Western penalties hit?",
            "western"
        ));
        let answered = |q: &str| !engine.ask(q).unwrap().hits.is_empty();
        assert!(answered("Who did Emma marry?"));
        assert!(answered("Who did Emma Marry?"));
    }
}
