//! The local console: the same slash commands as Discord, typed as lines, rendered as text.
//! The person at the console is the operator, so `/reindex` is allowed and there is no
//! cooldown.

use std::io::{BufRead, Write};

use crate::bot::App;
use crate::bot::command::{Origin, Request};
use crate::bot::render;
use crate::bot::reply::{Notice, Reply};
use crate::store::Transport;

/// Reads commands from `input` until it ends (Ctrl-D), writing each reply to `output`. With
/// `prompt`, shows a prompt and a greeting for interactive use.
pub fn run(
    app: &App,
    input: impl BufRead,
    mut output: impl Write,
    prompt: bool,
) -> std::io::Result<()> {
    if prompt {
        writeln!(
            output,
            "dossier console — ask a question, or /help for the commands. Ctrl-D exits."
        )?;
        write!(output, "> ")?;
        output.flush()?;
    }
    for line in input.lines() {
        let line = line?;
        if !line.trim().is_empty() {
            let reply = match Request::from_line(&line) {
                Ok(request) => app.execute(&Request {
                    origin: Some(Origin {
                        transport: Transport::Console,
                        user: 0,
                        guild: None,
                        channel: None,
                    }),
                    ..request
                }),
                Err(usage) => Reply::notice(Notice::Error, usage.0),
            };
            write!(output, "{}", render::text::render(&reply))?;
            if prompt {
                writeln!(output)?;
            }
        }
        if prompt {
            write!(output, "> ")?;
        }
        output.flush()?;
    }
    if prompt {
        writeln!(output)?;
    }
    Ok(())
}
