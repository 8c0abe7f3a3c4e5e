//! The local console: the same slash commands as Discord, typed as lines, rendered as text.
//! The person at the console is the operator, so `/reindex` is allowed and there is no
//! cooldown.

use std::io::{BufRead, Write};

use crate::bot::App;
use crate::bot::command::Transport;
use crate::bot::command::{Command, Origin, Request, UsageError};
use crate::bot::render;
use crate::bot::reply::{Body, Notice, Reply};

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
    // The last question answered, for follow-ups ("/followup …" or a line opening with "and").
    let mut last: Option<String> = None;
    for line in input.lines() {
        let line = line?;
        if !line.trim().is_empty() {
            let reply = match followup(&line, last.as_deref())
                .unwrap_or_else(|| Request::from_line(&line))
            {
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
            if let Body::Answer(answer, _) = &reply.body {
                last = Some(
                    answer
                        .understood_as
                        .clone()
                        .unwrap_or(answer.question.clone()),
                );
            }
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

/// A console line that follows up the `last` question: `/followup QUESTION`, or a question
/// opening with "and" ("and when was that?"). `None` for any other line.
fn followup(line: &str, last: Option<&str>) -> Option<Result<Request, UsageError>> {
    let line = line.trim();
    let command = line.split_whitespace().next()?.to_lowercase();
    let question = match command.as_str() {
        "/followup" => line["/followup".len()..].trim(),
        "and" | "and," => line,
        _ => return None,
    };
    let Some(earlier) = last else {
        if command == "/followup" {
            return Some(Err(UsageError(
                "Ask a question first: `/followup` follows up the last answer.".into(),
            )));
        }
        return None;
    };
    let command = Command::Ask {
        question: question.to_string(),
        after: Some(earlier.to_string()),
    };
    Some(command.check().map(|()| Request::new(command)))
}
