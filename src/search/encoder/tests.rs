use super::*;

#[derive(serde::Deserialize)]
struct Reference {
    text: String,
    ids: Vec<u32>,
    vector: Vec<f32>,
}

#[test]
fn vectors_match_the_reference_implementation() {
    let encoder = Encoder::shared(&default_dir()).unwrap();
    let fixture = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minilm_reference.json"),
    )
    .unwrap();
    let refs: Vec<Reference> = serde_json::from_str(&fixture).unwrap();
    let texts: Vec<&str> = refs.iter().map(|r| r.text.as_str()).collect();
    let got = encoder.embed(&texts).unwrap();
    for (r, v) in refs.iter().zip(&got) {
        let ids = encoder.tokenizer.encode(r.text.as_str(), true).unwrap();
        assert_eq!(ids.get_ids(), r.ids.as_slice(), "{}", r.text);
        let cos = dot(v, &r.vector);
        assert!(cos > 0.999, "{}: cosine {cos} to the reference", r.text);
    }
    // Meaning: the question is closer to its answer than to small talk.
    assert!(dot(&got[0], &got[1]) > dot(&got[0], &got[4]) + 0.3);
}

#[test]
fn sentences_read_in_their_paragraph_keep_their_meaning() {
    let encoder = Encoder::shared(&default_dir()).unwrap();
    let corpus = crate::corpus::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data")).unwrap();
    let paragraphs: Vec<_> = corpus
        .documents
        .iter()
        .flat_map(|d| &d.paragraphs)
        .filter(|p| p.sentences.len() > 1)
        .take(12)
        .collect();
    let ranges: Vec<Vec<Range<usize>>> = paragraphs
        .iter()
        .map(|p| p.sentences.iter().map(|s| s.range.clone()).collect())
        .collect();
    let spans: Vec<(&str, &[Range<usize>])> = paragraphs
        .iter()
        .zip(&ranges)
        .map(|(p, r)| (p.text.as_str(), r.as_slice()))
        .collect();
    let texts: Vec<usize> = spans.iter().map(|(_, r)| 1 + r.len()).collect();
    let reported = Mutex::new(Vec::new());
    let read = encoder
        .embed_in_context(&spans, &|n| reported.lock().unwrap().push(n))
        .unwrap();
    assert_eq!(
        reported.lock().unwrap().last(),
        Some(&texts.iter().sum::<usize>())
    );
    let (mut sentences, mut nearest_own) = (0, 0);
    for (p, got) in paragraphs.iter().zip(&read) {
        let texts: Vec<&str> = std::iter::once(p.text.as_str())
            .chain(p.sentences.iter().map(|s| &p.text[s.range.clone()]))
            .collect();
        let alone = encoder.embed(&texts).unwrap();
        assert!(dot(&got.paragraph, &alone[0]) > 0.9999, "{}", p.text);
        for (k, v) in got.sentences.iter().enumerate() {
            let own = dot(v, &alone[k + 1]);
            assert!(own > 0.6, "{}: {own}", texts[k + 1]);
            sentences += 1;
            let others = alone[1..].iter().enumerate().filter(|&(j, _)| j != k);
            nearest_own += usize::from(others.map(|(_, o)| dot(v, o)).all(|o| o < own));
        }
    }
    // Read in context a sentence takes on some of its paragraph's meaning, yet mostly it
    // is still nearest to itself read alone among its paragraph's sentences.
    assert!(
        nearest_own * 10 >= sentences * 9,
        "{nearest_own} of {sentences}"
    );
}

#[test]
fn a_sentence_past_the_token_limit_is_read_alone() {
    let encoder = Encoder::shared(&default_dir()).unwrap();
    let first = "Pakistan and Russia held their first joint military exercise in 2016.";
    let long = format!(
        "{} {first}",
        "Moscow and Islamabad talked again. ".repeat(60)
    );
    let last = long.len() - first.len()..long.len();
    let read = encoder
        .embed_in_context(&[(long.as_str(), &[0..34, last][..])], &|_| {})
        .unwrap();
    let alone = encoder.embed(&[first]).unwrap();
    assert!(dot(&read[0].sentences[1], &alone[0]) > 0.9999);
    assert_eq!(read[0].sentences[0].len(), DIM);
}

#[test]
fn ordinary_words_are_told_from_names() {
    let encoder = Encoder::shared(&default_dir()).unwrap();
    for (word, common) in [
        ("house", true),
        ("western", true),
        ("south", true),
        ("minister", true),
        ("putin", false),
        ("erdogan", false),
        ("kremlin", false),
        ("brezhnev", false),
        ("", false),
    ] {
        assert_eq!(encoder.is_common_word(word), common, "{word}");
    }
}

#[test]
fn a_missing_or_corrupt_model_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let err = Encoder::load(&dir.path().join("nope")).unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
    for name in ["config.json", "tokenizer.json", "SHA256SUMS"] {
        std::fs::copy(default_dir().join(name), dir.path().join(name)).unwrap();
    }
    std::fs::write(dir.path().join("model.safetensors"), b"not a model").unwrap();
    let err = Encoder::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("model.safetensors") && err.contains("checksum mismatch"),
        "{err}"
    );
}
