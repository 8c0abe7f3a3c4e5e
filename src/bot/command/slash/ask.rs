//! `/ask question: …` — the passage that answers, its key sentence and dates.

use super::{Given, Kind, Opt, Slash};
use crate::bot::command::{Command, QUESTION_MAX, UsageError};

pub const ASK: Slash = Slash {
    name: "ask",
    description: "Ask a question about the article",
    options: &[
        Opt::text("question", "Your question, in your own words", QUESTION_MAX).required(),
        Opt::HIDE,
        // The earlier question this one follows up: the command line's `ask --after`.
        Opt {
            name: "after",
            description: "The earlier question this one follows up",
            kind: Kind::Text {
                max: QUESTION_MAX,
                autocomplete: false,
            },
            required: false,
            registered: false,
        },
    ],
    actions: &[],
    moderation: false,
    help: "/ask question: … — the passage that answers, its key sentence and dates\n\
           e.g. /ask question: When did Russia lift its arms embargo on Pakistan?\n\
           Ask a follow-up (the button under an answer; /followup … in the console) — e.g. and when was that?\n\
           Ask dossier (a message's ⋯ menu → Apps) — asks the message's text as a question",
    build,
};

fn build(given: &Given) -> Result<Command, UsageError> {
    Ok(Command::Ask {
        question: given.required("question")?,
        after: given.text("after")?,
    })
}
