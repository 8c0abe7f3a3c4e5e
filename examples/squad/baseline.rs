//! The two baselines of the same run: Okapi BM25 over paragraphs (k1 1.5, b 0.75, as
//! rank_bm25), and the shipped MiniLM encoder: the paragraph's cosine plus its best sentence's
//! cosine plus 0.3 × BM25 over the best BM25.

use std::collections::HashMap;

use dossier::search::encoder::{Encoder, dot};

use super::Group;
use super::metrics::{Outcome, em_f1, is_gold, norm};

fn tokens(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

struct Bm25 {
    docs: Vec<HashMap<String, f64>>,
    lengths: Vec<f64>,
    avg: f64,
    idf: HashMap<String, f64>,
}

impl Bm25 {
    fn new(paragraphs: &[String]) -> Bm25 {
        let docs: Vec<Vec<String>> = paragraphs.iter().map(|p| tokens(p)).collect();
        let n = docs.len() as f64;
        let mut df: HashMap<String, f64> = HashMap::new();
        for d in &docs {
            let mut seen: Vec<&String> = d.iter().collect();
            seen.sort();
            seen.dedup();
            for t in seen {
                *df.entry(t.clone()).or_default() += 1.0;
            }
        }
        let mut idf: HashMap<String, f64> = df
            .iter()
            .map(|(t, f)| (t.clone(), ((n - f + 0.5) / (f + 0.5)).ln()))
            .collect();
        // rank_bm25 floors negative idf at a quarter of the mean idf.
        let eps = 0.25 * idf.values().sum::<f64>() / idf.len().max(1) as f64;
        idf.values_mut().for_each(|v| {
            if *v < 0.0 {
                *v = eps;
            }
        });
        let lengths: Vec<f64> = docs.iter().map(|d| d.len() as f64).collect();
        let avg = lengths.iter().sum::<f64>() / n.max(1.0);
        let docs = docs
            .into_iter()
            .map(|d| {
                let mut tf = HashMap::new();
                for t in d {
                    *tf.entry(t).or_default() += 1.0;
                }
                tf
            })
            .collect();
        Bm25 {
            docs,
            lengths,
            avg,
            idf,
        }
    }

    fn scores(&self, query: &str) -> Vec<f64> {
        let (k1, b) = (1.5, 0.75);
        let q = tokens(query);
        (0..self.docs.len())
            .map(|i| {
                q.iter()
                    .map(|t| {
                        let tf = self.docs[i].get(t).copied().unwrap_or(0.0);
                        let idf = self.idf.get(t).copied().unwrap_or(0.0);
                        idf * tf * (k1 + 1.0)
                            / (tf + k1 * (1.0 - b + b * self.lengths[i] / self.avg))
                    })
                    .sum()
            })
            .collect()
    }
}

/// Sentences of a paragraph, split after `.`, `?` or `!` followed by a space.
fn sentences(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = p.as_bytes();
    for i in 0..bytes.len() {
        if matches!(bytes[i], b'.' | b'?' | b'!') && bytes.get(i + 1) == Some(&b' ') {
            out.push(p[start..=i].trim().to_string());
            start = i + 1;
        }
    }
    if start < p.len() && !p[start..].trim().is_empty() {
        out.push(p[start..].trim().to_string());
    }
    out
}

fn order(scores: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]));
    idx
}

/// The outcomes of BM25 and of the MiniLM baseline on a group's questions.
pub fn score(encoder: &Encoder, g: &Group) -> (Vec<Outcome>, Vec<Outcome>) {
    let bm25 = Bm25::new(&g.paragraphs);
    let texts: Vec<&str> = g.paragraphs.iter().map(String::as_str).collect();
    let paragraph_vectors = encoder.embed(&texts).expect("embed paragraphs");
    let split: Vec<Vec<String>> = g.paragraphs.iter().map(|p| sentences(p)).collect();
    let sentence_vectors: Vec<Vec<Vec<f32>>> = split
        .iter()
        .map(|ss| {
            let refs: Vec<&str> = ss.iter().map(String::as_str).collect();
            encoder.embed(&refs).expect("embed sentences")
        })
        .collect();
    let mut out_bm25 = Vec::new();
    let mut out_minilm = Vec::new();
    for item in &g.items {
        let answerable = !item.answers.is_empty();
        let lexical = bm25.scores(&item.question);
        let max = lexical.iter().copied().fold(f64::EPSILON, f64::max);
        let q = encoder.embed(&[item.question.as_str()]).expect("embed")[0].clone();
        let mut best_sentence = vec![0usize; g.paragraphs.len()];
        let dense: Vec<f64> =
            (0..g.paragraphs.len())
                .map(|i| {
                    let cos: Vec<f32> = sentence_vectors[i].iter().map(|s| dot(&q, s)).collect();
                    let (j, best) = cos.iter().enumerate().fold((0, f32::MIN), |b, (j, c)| {
                        if *c > b.1 { (j, *c) } else { b }
                    });
                    best_sentence[i] = j;
                    f64::from(dot(&q, &paragraph_vectors[i]))
                        + f64::from(best.max(0.0))
                        + 0.3 * lexical[i] / max
                })
                .collect();
        let judge = |ranking: &[usize], answer: &str, confidence: f32| {
            let gold = |i: usize| is_gold(g, item, &g.paragraphs[i]);
            let (em, f1) = em_f1(Some(answer), &item.answers);
            Outcome {
                answerable,
                refused: false,
                p1: gold(ranking[0]),
                r3: ranking.iter().take(3).any(|&i| gold(i)),
                a1: answerable && item.answers.iter().any(|a| norm(answer).contains(&norm(a))),
                em,
                f1,
                confidence,
            }
        };
        let by_bm25 = order(&lexical);
        // BM25's answer sentence: the one sharing most question tokens.
        let qt = tokens(&item.question);
        let bm25_sentence = split[by_bm25[0]]
            .iter()
            .max_by_key(|s| tokens(s).iter().filter(|t| qt.contains(t)).count())
            .cloned()
            .unwrap_or_default();
        out_bm25.push(judge(
            &by_bm25,
            &bm25_sentence,
            (max / 30.0).min(1.0) as f32,
        ));
        let by_dense = order(&dense);
        let top = by_dense[0];
        let top_cosine = dot(&q, &paragraph_vectors[top]);
        let sentence = split[top]
            .get(best_sentence[top])
            .cloned()
            .unwrap_or_default();
        out_minilm.push(judge(&by_dense, &sentence, top_cosine));
    }
    (out_bm25, out_minilm)
}
