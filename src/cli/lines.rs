//! `dossier ask` with no question: each line of standard input a question.

use std::io::{BufRead, Write};

use anyhow::{Context as _, Result};

use crate::bot::App;
use crate::bot::command::{Command, Request};
use crate::bot::render;

/// Questions from standard input answered per batch (the encoder runs once a batch), each
/// reply printed in input order; a question that fails is reported in its place.
pub(super) fn ask_each_line(
    app: &App,
    json: bool,
    explain: bool,
    after: Option<String>,
) -> Result<()> {
    const BATCH: usize = 64;
    let lines: Vec<String> = std::io::stdin()
        .lock()
        .lines()
        .collect::<Result<_, _>>()
        .context("cannot read standard input")?;
    let mut out = std::io::stdout().lock();
    for batch in lines.chunks(BATCH) {
        let requests: Vec<Request> = batch
            .iter()
            .map(|line| Request {
                explain,
                ..Request::new(Command::Ask {
                    question: line.clone(),
                    after: after.clone(),
                })
            })
            .collect();
        for (request, reply) in requests.iter().zip(app.execute_all(&requests)) {
            if json {
                writeln!(out, "{}", render::json::render(request, &reply))?;
            } else {
                write!(out, "{}", render::text::render(&reply))?;
            }
        }
        out.flush()?;
    }
    Ok(())
}
