//! The engine as a library: open it over a data directory (the index is built in a scratch
//! directory the first time), ask a question, and read the answer — the passage, the sentence
//! that answers, its exact phrase and dates, the confidence, or why it refused.
//!
//! ```sh
//! cargo run --release --example ask -- "When did Russia lift its arms embargo on Pakistan?"
//! ```

use std::path::Path;

use dossier::search::Engine;

fn main() -> anyhow::Result<()> {
    let question = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let question = if question.trim().is_empty() {
        "When did Russia lift its arms embargo on Pakistan?".to_string()
    } else {
        question
    };
    let index = tempfile::tempdir()?;
    let engine = Engine::open(Path::new("data"), index.path())?;
    let answer = engine.ask(&question)?;
    println!("{question}");
    match answer.hits.first() {
        None => println!(
            "refused ({}); nearest topics: {}",
            answer
                .reason
                .map_or("no reason".into(), |r| format!("{r:?}")),
            answer.nearest.join(", ")
        ),
        Some(hit) => {
            println!("answer:     {}", hit.answer);
            if let Some(span) = &hit.answer_span {
                println!("exactly:    {span}");
            }
            let dates: Vec<String> = hit.dates.iter().map(ToString::to_string).collect();
            if !dates.is_empty() {
                println!("dates:      {}", dates.join(", "));
            }
            println!(
                "from:       {} ¶{} (confidence {:.2})",
                hit.document, hit.paragraph, answer.confidence
            );
        }
    }
    Ok(())
}
