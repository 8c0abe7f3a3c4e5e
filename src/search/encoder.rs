//! The sentence encoder: all-MiniLM-L6-v2 (BERT, 6 layers, 384 dimensions) run in-process by
//! candle, with the Hugging Face tokenizer. Texts become unit vectors (mean pooling over the
//! tokens, then L2 normalisation), so a dot product is a cosine.
//!
//! The model directory ships with the project (`models/all-MiniLM-L6-v2`); its `SHA256SUMS`
//! is checked on load, and a missing or corrupt file is an error naming the path.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use sha2::{Digest, Sha256};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

/// Dimensions of a vector.
pub const DIM: usize = 384;
/// Tokens (estimated, padding included) encoded in one forward pass. Texts are sorted by length
/// first, so padding stays small; many short texts share a pass, few long ones do. The
/// largest buffer of a pass (attention scores: tokens × 12 heads × length × 4 bytes) then
/// stays under glibc's 32 MiB limit for reusing freed memory, instead of being mapped and
/// faulted in afresh each pass.
const TOKENS_PER_BATCH: usize = 2048;
/// Bytes of English text per WordPiece token, about; to size batches before tokenizing.
const BYTES_PER_TOKEN: usize = 4;
/// Tokens kept of a text; the model was trained on at most 256.
const MAX_TOKENS: usize = 256;

/// The model shipped with the project.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models/all-MiniLM-L6-v2")
}

/// The model could not be loaded or run.
#[derive(Debug, thiserror::Error)]
#[error("model {}: {problem}", path.display())]
pub struct ModelError {
    pub path: PathBuf,
    pub problem: String,
}

pub struct Encoder {
    dir: PathBuf,
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
    /// Questions' vectors by text, so a question asked again (also after a reindex) is not
    /// encoded again. Bounded: past `QUESTION_CACHE` entries it starts over.
    questions: Mutex<HashMap<String, Vec<f32>>>,
}

const QUESTION_CACHE: usize = 4096;

/// How many of the vocabulary's most frequent words count as ordinary English words rather
/// than names when a question capitalises them.
const COMMON_WORDS: u32 = 2000;

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder").field("dir", &self.dir).finish()
    }
}

fn verify(dir: &Path) -> Result<(), ModelError> {
    let sums_path = dir.join("SHA256SUMS");
    let sums = std::fs::read_to_string(&sums_path).map_err(|e| ModelError {
        path: sums_path.clone(),
        problem: format!("cannot read the checksums: {e}"),
    })?;
    let mut checked = 0;
    for line in sums.lines().filter(|l| !l.trim().is_empty()) {
        let Some((want, name)) = line.split_once(char::is_whitespace) else {
            return Err(ModelError {
                path: sums_path.clone(),
                problem: format!("malformed line {line:?}"),
            });
        };
        let name = name.trim().trim_start_matches('*');
        let path = dir.join(name);
        let bytes = std::fs::read(&path).map_err(|e| ModelError {
            path: path.clone(),
            problem: format!("cannot read: {e}"),
        })?;
        let got: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if got != want.trim() {
            return Err(ModelError {
                path,
                problem: format!("checksum mismatch (sha256 {got}, SHA256SUMS says {want})"),
            });
        }
        checked += 1;
    }
    if checked == 0 {
        return Err(ModelError {
            path: sums_path,
            problem: "lists no files".into(),
        });
    }
    Ok(())
}

impl Encoder {
    /// Loads the model in `dir` after checking every file against its `SHA256SUMS`.
    pub fn load(dir: &Path) -> Result<Encoder, ModelError> {
        let fail = |name: &str, problem: String| ModelError {
            path: dir.join(name),
            problem,
        };
        if !dir.is_dir() {
            return Err(ModelError {
                path: dir.to_path_buf(),
                problem: "no such model directory".into(),
            });
        }
        verify(dir)?;
        let config: Config = std::fs::read_to_string(dir.join("config.json"))
            .map_err(|e| fail("config.json", e.to_string()))
            .and_then(|s| {
                serde_json::from_str(&s).map_err(|e| fail("config.json", e.to_string()))
            })?;
        let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| fail("tokenizer.json", e.to_string()))?;
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            ..PaddingParams::default()
        }));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|e| fail("tokenizer.json", e.to_string()))?;
        let device = Device::Cpu;
        let weights = dir.join("model.safetensors");
        // SAFETY: the file is memory-mapped read-only; it is part of the shipped model and is
        // not modified while the process runs (its checksum was just verified).
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[&weights], DType::F32, &device) }
            .map_err(|e| fail("model.safetensors", e.to_string()))?;
        let model =
            BertModel::load(vb, &config).map_err(|e| fail("model.safetensors", e.to_string()))?;
        let encoder = Encoder {
            dir: dir.to_path_buf(),
            model,
            tokenizer,
            device,
            questions: Mutex::default(),
        };
        // One forward pass proves the weights fit the config.
        let probe = encoder.embed(&["probe"])?;
        if probe.first().is_none_or(|v| v.len() != DIM) {
            return Err(fail(
                "model.safetensors",
                format!("does not give {DIM}-dimensional vectors"),
            ));
        }
        Ok(encoder)
    }

    /// The encoder of `dir`, loaded once per process and shared.
    pub fn shared(dir: &Path) -> Result<Arc<Encoder>, ModelError> {
        static LOADED: OnceLock<Mutex<Vec<Arc<Encoder>>>> = OnceLock::new();
        let loaded = LOADED.get_or_init(Mutex::default);
        let mut loaded = loaded.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = loaded.iter().find(|e| e.dir == dir) {
            return Ok(e.clone());
        }
        let encoder = Arc::new(Encoder::load(dir)?);
        loaded.push(encoder.clone());
        Ok(encoder)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether `word` (lowercase) is among the most frequent English words of the encoder's
    /// vocabulary ("house", "western", "south"), as opposed to a rarer name ("putin",
    /// "erdogan"). The WordPiece vocabulary lists its whole words from "the" on, most frequent
    /// first, so a word's id tells its rank.
    pub fn is_common_word(&self, word: &str) -> bool {
        let (Some(first), Some(id)) = (
            self.tokenizer.token_to_id("the"),
            self.tokenizer.token_to_id(word),
        ) else {
            return false;
        };
        (first..first + COMMON_WORDS).contains(&id)
    }

    /// Whether `word` (lowercase) is a whole word of the encoder's WordPiece vocabulary (not a
    /// `##` piece) of at least two letters: a real word ("bounded", "insignificant", "marry")
    /// or a well-known name ("moscow"), never a misspelling ("pakistn").
    pub fn is_vocabulary_word(&self, word: &str) -> bool {
        word.chars().nth(1).is_some()
            && word.chars().all(char::is_alphabetic)
            && self.tokenizer.token_to_id(word).is_some()
    }

    /// Unit vectors of questions, in order; remembered, so a repeated question costs nothing.
    pub fn embed_questions(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        let known: Vec<Option<Vec<f32>>> = {
            let cache = self.questions.lock().unwrap_or_else(|e| e.into_inner());
            texts.iter().map(|t| cache.get(*t).cloned()).collect()
        };
        let missing: Vec<&str> = texts
            .iter()
            .zip(&known)
            .filter(|(_, k)| k.is_none())
            .map(|(t, _)| *t)
            .collect();
        let mut fresh = self.embed(&missing)?.into_iter();
        let mut cache = self.questions.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() + missing.len() > QUESTION_CACHE {
            cache.clear();
        }
        Ok(texts
            .iter()
            .zip(known)
            .map(|(t, k)| {
                k.unwrap_or_else(|| {
                    let v = fresh.next().unwrap_or_default();
                    cache.insert((*t).to_string(), v.clone());
                    v
                })
            })
            .collect())
    }

    /// Unit vectors of `texts`, in order.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        self.embed_reporting(texts, &|_| {})
    }

    /// [`Encoder::embed`], telling `report` after each batch how many texts are encoded.
    pub fn embed_reporting(
        &self,
        texts: &[&str],
        report: &(dyn Fn(usize) + Sync),
    ) -> Result<Vec<Vec<f32>>, ModelError> {
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        let mut out = vec![Vec::new(); texts.len()];
        let mut encoded = 0;
        for chunk in batches(&order, |i| texts[i].len()) {
            let batch: Vec<&str> = chunk.iter().map(|&i| texts[i]).collect();
            for (&i, v) in chunk.iter().zip(self.embed_batch(&batch)?) {
                out[i] = v;
            }
            encoded += chunk.len();
            report(encoded);
        }
        Ok(out)
    }

    /// Each paragraph's vector and its sentences' vectors (`sentences` are byte ranges of the
    /// paragraph) from one pass over the paragraph: a sentence's vector is the mean of its
    /// tokens' states in that pass, so each token is encoded once ("late chunking"). The
    /// paragraph's vector is the one [`Encoder::embed`] gives. A sentence the 256-token limit
    /// cuts off is encoded alone. `report` is told after each batch how many texts
    /// (paragraphs and sentences) are done.
    pub fn embed_in_context(
        &self,
        paragraphs: &[(&str, &[Range<usize>])],
        report: &(dyn Fn(usize) + Sync),
    ) -> Result<Vec<InContext>, ModelError> {
        let mut order: Vec<usize> = (0..paragraphs.len()).collect();
        order.sort_by_key(|&i| paragraphs[i].0.len());
        let mut out: Vec<InContext> = paragraphs
            .iter()
            .map(|(_, sentences)| InContext {
                paragraph: Vec::new(),
                sentences: vec![Vec::new(); sentences.len()],
            })
            .collect();
        let mut alone: Vec<(usize, usize)> = Vec::new();
        let mut encoded = 0;
        for chunk in batches(&order, |i| paragraphs[i].0.len()) {
            let texts: Vec<&str> = chunk.iter().map(|&i| paragraphs[i].0).collect();
            let Pass {
                encodings,
                hidden,
                pooled,
            } = self.forward(&texts)?;
            let states = hidden.to_vec3::<f32>().map_err(|e| ModelError {
                path: self.dir.clone(),
                problem: format!("inference: {e}"),
            })?;
            for (((&i, encoding), states), paragraph) in
                chunk.iter().zip(&encodings).zip(states).zip(pooled)
            {
                out[i].paragraph = paragraph;
                encoded += 1;
                for (k, range) in paragraphs[i].1.iter().enumerate() {
                    match pool_span(encoding, &states, range) {
                        Some(v) => {
                            out[i].sentences[k] = v;
                            encoded += 1;
                        }
                        None => alone.push((i, k)),
                    }
                }
            }
            report(encoded);
        }
        let texts: Vec<&str> = alone
            .iter()
            .map(|&(i, k)| &paragraphs[i].0[paragraphs[i].1[k].clone()])
            .collect();
        let vectors = self.embed_reporting(&texts, &|n| report(encoded + n))?;
        for ((i, k), v) in alone.into_iter().zip(vectors) {
            out[i].sentences[k] = v;
        }
        Ok(out)
    }

    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        Ok(self.forward(texts)?.pooled)
    }

    /// One forward pass over `texts`; a text's vector is the mean of its tokens' states,
    /// L2-normalised.
    fn forward(&self, texts: &[&str]) -> Result<Pass, ModelError> {
        let fail = |problem: String| ModelError {
            path: self.dir.clone(),
            problem,
        };
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| fail(format!("tokenizing: {e}")))?;
        let n = encodings.len();
        let len = encodings.first().map_or(0, |e| e.get_ids().len());
        let flat = |get: &dyn Fn(&tokenizers::Encoding) -> &[u32]| -> Vec<u32> {
            encodings.iter().flat_map(|e| get(e).to_vec()).collect()
        };
        let tensor = |data: Vec<u32>| {
            Tensor::from_vec(data, (n, len), &self.device).map_err(|e| fail(e.to_string()))
        };
        let ids = tensor(flat(&|e| e.get_ids()))?;
        let types = tensor(flat(&|e| e.get_type_ids()))?;
        let mask = tensor(flat(&|e| e.get_attention_mask()))?;
        let (hidden, pooled) = (|| {
            let hidden = self.model.forward(&ids, &types, Some(&mask))?;
            let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
            let counts = mask.sum(1)?.clamp(1.0, f64::MAX)?;
            let mean = summed.broadcast_div(&counts)?;
            let norms = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
            let pooled = mean.broadcast_div(&norms)?.to_vec2::<f32>()?;
            Ok::<_, candle_core::Error>((hidden, pooled))
        })()
        .map_err(|e| fail(format!("inference: {e}")))?;
        Ok(Pass {
            encodings,
            hidden,
            pooled,
        })
    }
}

/// `order` (indices of texts sorted by length) cut into consecutive batches of at most
/// [`TOKENS_PER_BATCH`] tokens, each text counted as long as the batch's longest (its last).
fn batches(order: &[usize], bytes: impl Fn(usize) -> usize) -> Vec<&[usize]> {
    let tokens = |i: usize| (bytes(i) / BYTES_PER_TOKEN + 2).min(MAX_TOKENS);
    let mut out = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && (end + 1 - start) * tokens(order[end]) <= TOKENS_PER_BATCH {
            end += 1;
        }
        out.push(&order[start..end]);
        start = end;
    }
    out
}

/// What one forward pass gives: the texts' encodings, every token's last hidden state (texts ×
/// tokens × [`DIM`]), and each text's unit vector.
struct Pass {
    encodings: Vec<tokenizers::Encoding>,
    hidden: Tensor,
    pooled: Vec<Vec<f32>>,
}

/// A paragraph's unit vector and its sentences', from one pass ([`Encoder::embed_in_context`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InContext {
    pub paragraph: Vec<f32>,
    pub sentences: Vec<Vec<f32>>,
}

/// The unit mean of the states of the tokens inside `span` (bytes of the encoded text), or
/// `None` when the encoding does not hold the whole span (cut off by the token limit).
fn pool_span(
    encoding: &tokenizers::Encoding,
    states: &[Vec<f32>],
    span: &Range<usize>,
) -> Option<Vec<f32>> {
    let special = encoding.get_special_tokens_mask();
    let tokens: Vec<usize> = encoding
        .get_offsets()
        .iter()
        .enumerate()
        .filter(|&(t, &(start, end))| {
            special.get(t) == Some(&0) && start >= span.start && end <= span.end
        })
        .map(|(t, _)| t)
        .collect();
    let covered = encoding
        .get_offsets()
        .iter()
        .zip(special)
        .filter(|&(_, &s)| s == 0)
        .any(|(&(_, end), _)| end >= span.end);
    if tokens.is_empty() || !covered {
        return None;
    }
    let mut mean = vec![0.0f32; DIM];
    for &t in &tokens {
        for (m, x) in mean.iter_mut().zip(states.get(t)?) {
            *m += x;
        }
    }
    let norm = mean.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    Some(mean.into_iter().map(|x| x / norm).collect())
}

/// Cosine of two unit vectors.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests;
