//! `/alias add|remove term: … also: …` — another name for a term, then a reindex (moderators).

use super::{Action, Given, Opt, Slash};
use crate::bot::command::{Command, TOPIC_MAX, UsageError};

const TERM_AND_ALSO: &[Opt] = &[
    Opt::text(
        "term",
        "The article's word or phrase, e.g. Russia",
        TOPIC_MAX,
    )
    .required(),
    Opt::text("also", "What people write instead, e.g. Moskva", TOPIC_MAX).required(),
];

pub const ALIAS: Slash = Slash {
    name: "alias",
    description: "Teach the bot another name for a term of the article (moderators)",
    options: &[],
    actions: &[
        Action {
            name: "add",
            description: "Add a name for a term, then reindex",
            options: TERM_AND_ALSO,
        },
        Action {
            name: "remove",
            description: "Remove a name of a term, then reindex",
            options: TERM_AND_ALSO,
        },
    ],
    moderation: true,
    help: "/alias add|remove term: … also: … — another name for a term, then reindex (moderators)\n\
           e.g. /alias add term: Russia also: Moskva",
    build,
};

fn build(given: &Given) -> Result<Command, UsageError> {
    let add = given.action()? == "add";
    Ok(Command::Alias {
        add,
        term: given.required("term")?.trim().to_string(),
        also: given.required("also")?.trim().to_string(),
    })
}
