//! The outside benchmark: public SQuAD 2.0 articles added as documents nobody here wrote, scored
//! for dossier, plain BM25 and a MiniLM embedding baseline in one run; and the training of the
//! learned fusion (`models/fusion/fusion.json`) with a held-out protocol.
//!
//! ```sh
//! cargo run --release --example squad -- ../shared/eval/external/squad-public.json
//! cargo run --release --example squad -- ../shared/eval/external/squad-public.json --all
//! cargo run --release --example squad -- ../shared/eval/external/squad-public.json \
//!     --own ../shared/eval/dev.jsonl --own ../shared/eval/dev2.jsonl --train models/fusion/fusion.json
//! ```
//!
//! Each article becomes one document in a scratch data directory (with `--all`, all of them
//! together in one). `--own FILE` adds question files about the first article (`data/`) as one
//! more group. With `--train OUT`, the four linear models of the fusion are fitted leaving one
//! group out at a time: every figure under "held out" comes from models that never saw that
//! group; then they are fitted on every group and written to OUT. `--set NAME=V1,V2,…` scores
//! the shipped models with one of the hand-set numbers (`dossier::search::Params`) at each value.

#[path = "squad/baseline.rs"]
mod baseline;
#[path = "squad/learn.rs"]
mod learn;
/// How `score.py` matches (one copy, shared with `tests/integration/quality.rs`); its date matching is
/// not used here.
#[allow(dead_code)]
#[path = "../tests/eval/matching.rs"]
mod matching;
#[path = "squad/metrics.rs"]
mod metrics;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dossier::search::encoder::{self, Encoder};
use dossier::search::{Engine, Weights};

use learn::Sample;
use metrics::Table;

#[derive(serde::Deserialize)]
struct Squad {
    data: Vec<Article>,
}

#[derive(serde::Deserialize)]
struct Article {
    title: String,
    paragraphs: Vec<Paragraph>,
}

#[derive(serde::Deserialize)]
struct Paragraph {
    context: String,
    qas: Vec<Qa>,
}

#[derive(serde::Deserialize)]
struct Qa {
    question: String,
    is_impossible: bool,
    answers: Vec<Gold>,
}

#[derive(serde::Deserialize)]
struct Gold {
    text: String,
}

/// A question of our own sets (`shared/eval/*.jsonl`).
#[derive(serde::Deserialize)]
struct Own {
    question: String,
    category: String,
    answers: Vec<String>,
}

/// One question as the harness scores it.
pub struct Item {
    pub question: String,
    pub answers: Vec<String>,
    /// The paragraph that answers (SQuAD), or none: then a passage holding a gold answer counts.
    pub gold: Option<usize>,
}

/// A group of questions over one data directory: an article, all articles, or our article.
pub struct Group {
    pub name: String,
    pub paragraphs: Vec<String>,
    pub items: Vec<Item>,
    pub data: PathBuf,
}

struct Args {
    squad: PathBuf,
    all: bool,
    own: Vec<PathBuf>,
    train: Option<PathBuf>,
    /// Reuse the candidates of an earlier run (`--samples FILE`): only the fitting runs.
    samples: Option<PathBuf>,
    /// Score the engine with one hand-set number at each of several values (`--set
    /// holds_date=0.15,0.25,0.35`; the names are `Params`'s fields).
    set: Option<(String, Vec<String>)>,
}

fn args() -> Args {
    let mut out = Args {
        squad: PathBuf::new(),
        all: false,
        own: Vec::new(),
        train: None,
        samples: None,
        set: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--all" => out.all = true,
            "--own" => out.own.extend(it.next().map(PathBuf::from)),
            "--train" => out.train = it.next().map(PathBuf::from),
            "--samples" => out.samples = it.next().map(PathBuf::from),
            "--set" => {
                let spec = it.next().unwrap_or_default();
                let (name, values) = spec.split_once('=').expect("--set NAME=V1,V2,…");
                let values = values.split(',').map(str::to_string).collect();
                out.set = Some((name.to_string(), values));
            }
            _ => out.squad = PathBuf::from(a),
        }
    }
    out
}

fn slug(title: &str) -> String {
    title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn write_article(dir: &Path, title: &str, paragraphs: &[String]) {
    let id = slug(title);
    std::fs::write(dir.join(format!("{id}.txt")), paragraphs.join("\n\n")).expect("write");
    let meta = format!("title = {:?}\n", title.replace('_', " "));
    std::fs::write(dir.join(format!("{id}.toml")), meta).expect("write");
}

fn squad_groups(path: &Path, all: bool, scratch: &Path) -> Vec<Group> {
    let squad: Squad =
        serde_json::from_slice(&std::fs::read(path).expect("read the SQuAD file")).expect("json");
    let mut groups = Vec::new();
    for article in &squad.data {
        let paragraphs: Vec<String> = article
            .paragraphs
            .iter()
            .map(|p| p.context.clone())
            .collect();
        let mut items = Vec::new();
        for (i, p) in article.paragraphs.iter().enumerate() {
            for qa in &p.qas {
                items.push(Item {
                    question: qa.question.clone(),
                    answers: if qa.is_impossible {
                        Vec::new()
                    } else {
                        qa.answers.iter().map(|g| g.text.clone()).collect()
                    },
                    gold: (!qa.is_impossible).then_some(i),
                });
            }
        }
        groups.push(Group {
            name: article.title.clone(),
            paragraphs,
            items,
            data: scratch.join(slug(&article.title)),
        });
    }
    for g in &groups {
        std::fs::create_dir_all(&g.data).expect("mkdir");
    }
    if all {
        let data = scratch.join("all");
        std::fs::create_dir_all(&data).expect("mkdir");
        let mut merged = Group {
            name: "all articles".into(),
            paragraphs: Vec::new(),
            items: Vec::new(),
            data,
        };
        for g in groups {
            write_article(&merged.data, &g.name, &g.paragraphs);
            let base = merged.paragraphs.len();
            merged.paragraphs.extend(g.paragraphs);
            merged.items.extend(g.items.into_iter().map(|mut it| {
                it.gold = it.gold.map(|i| i + base);
                it
            }));
        }
        return vec![merged];
    }
    for g in &groups {
        write_article(&g.data, &g.name, &g.paragraphs);
    }
    groups
}

fn own_group(files: &[PathBuf], scratch: &Path) -> Option<Group> {
    if files.is_empty() {
        return None;
    }
    let data = scratch.join("own");
    std::fs::create_dir_all(&data).expect("mkdir");
    for entry in std::fs::read_dir("data").expect("data/") {
        let entry = entry.expect("data/");
        if entry.path().is_file() {
            std::fs::copy(entry.path(), data.join(entry.file_name())).expect("copy data/");
        }
    }
    let mut items = Vec::new();
    for f in files {
        for line in std::fs::read_to_string(f).expect("read").lines() {
            if line.trim().is_empty() {
                continue;
            }
            let q: Own = serde_json::from_str(line).expect("a question");
            items.push(Item {
                question: q.question,
                answers: if q.category == "unanswerable" {
                    Vec::new()
                } else {
                    q.answers
                },
                gold: None,
            });
        }
    }
    Some(Group {
        name: "russia-pakistan (ours)".into(),
        paragraphs: Vec::new(),
        items,
        data,
    })
}

fn main() {
    let args = args();
    let scratch = tempfile::tempdir().expect("scratch dir");
    let encoder: Arc<Encoder> = Encoder::shared(&encoder::default_dir()).expect("model");
    let mut groups = squad_groups(&args.squad, args.all, scratch.path());
    groups.extend(own_group(&args.own, scratch.path()));

    if let Some(path) = args.samples.as_ref().filter(|p| p.exists()) {
        let samples: Vec<Vec<learn::Sample>> =
            serde_json::from_slice(&std::fs::read(path).expect("read samples")).expect("samples");
        let names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
        train(&args, &samples, &names);
        return;
    }
    if let Some((name, values)) = &args.set {
        for value in values {
            let mut weights = Weights::default();
            weights.params.set(name, value).expect("--set");
            let (table, _) = score_engine(&groups, scratch.path(), &encoder, weights);
            println!(
                "## dossier, {name}={value} (in-sample)\n\n{}",
                table.render()
            );
        }
        return;
    }
    let (engine_table, samples) =
        score_engine(&groups, scratch.path(), &encoder, Weights::default());
    let mut bm25_table = Table::default();
    let mut minilm_table = Table::default();
    for g in groups.iter().filter(|g| !g.paragraphs.is_empty()) {
        let (bm25, minilm) = baseline::score(&encoder, g);
        bm25_table.add(&g.name, &bm25);
        minilm_table.add(&g.name, &minilm);
    }
    println!("## dossier (shipped models)\n\n{}", engine_table.render());
    println!("## BM25 over paragraphs\n\n{}", bm25_table.render());
    println!(
        "## MiniLM paragraph + best sentence + 0.3 BM25\n\n{}",
        minilm_table.render()
    );
    if let Some(path) = &args.samples {
        std::fs::write(path, serde_json::to_vec(&samples).expect("json")).expect("write samples");
    }
    let names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
    train(&args, &samples, &names);
}

/// Every group's questions asked of the engine with `weights`: the table, and each group's
/// candidates for the fitting.
fn score_engine(
    groups: &[Group],
    scratch: &Path,
    encoder: &Arc<Encoder>,
    weights: Weights,
) -> (Table, Vec<Vec<Sample>>) {
    let mut table = Table::default();
    let mut samples = Vec::new();
    for g in groups {
        let index = scratch.join(format!("{}.index", slug(&g.name)));
        let engine = Engine::open_with_model(&g.data, &index, encoder.clone())
            .expect("open the engine")
            .with_weights(weights);
        let mut outcomes = Vec::new();
        let mut group_samples = Vec::new();
        for item in &g.items {
            let answer = engine.explain(&item.question).expect("answer");
            let (outcome, sample) = metrics::judge(g, item, &answer);
            outcomes.push(outcome);
            group_samples.extend(sample);
        }
        table.add(&g.name, &outcomes);
        samples.push(group_samples);
        eprintln!("{}: {} questions", g.name, g.items.len());
    }
    (table, samples)
}

fn train(args: &Args, samples: &[Vec<learn::Sample>], names: &[String]) {
    if let Some(out) = &args.train {
        let held = learn::held_out(samples, names);
        println!(
            "## dossier, learned fusion held out (leave one group out)\n\n{}",
            held.render()
        );
        if !args.own.is_empty() {
            let k = samples.len() - 1;
            let by_question = learn::held_out_by_question(samples, k, &names[k]);
            println!(
                "## our article, its questions held out (5 folds; other folds and every SQuAD article fitted on)\n\n{}",
                by_question.render()
            );
        }
        let all: Vec<&[learn::Sample]> = samples.iter().map(Vec::as_slice).collect();
        let w: Weights = learn::fit(&all);
        if std::env::var("STATS").is_ok() {
            learn::flag_stats(samples, names, &w);
        }
        learn::write(out, &w, names);
        println!("wrote {}", out.display());
    }
}
