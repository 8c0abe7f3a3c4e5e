//! `/search query: … [limit: 1-10]` — passages with the words highlighted.

use super::{Given, Kind, Opt, Slash};
use crate::bot::command::{Command, QUESTION_MAX, SEARCH_LIMIT_MAX, SEARCH_PAGE, UsageError};

pub const SEARCH: Slash = Slash {
    name: "search",
    description: "Find passages that contain words",
    options: &[
        Opt::text("query", "Words to look for", QUESTION_MAX).required(),
        Opt {
            name: "limit",
            description: "Passages per page",
            kind: Kind::Integer {
                min: 1,
                max: SEARCH_LIMIT_MAX as u32,
                default: SEARCH_PAGE as u32,
            },
            required: false,
            registered: true,
        },
        Opt::HIDE,
    ],
    actions: &[],
    moderation: false,
    help: "/search query: … [limit: 1-10] — passages with the words highlighted\n\
           e.g. /search query: military exercises",
    build,
};

fn build(given: &Given) -> Result<Command, UsageError> {
    let limit = given.integer("limit")? as usize;
    Ok(Command::Search {
        query: given.required("query")?,
        limit,
        offset: 0,
    })
}
