//! `/gaps [days: 7]` — questions unanswered, unsure or voted 👎 (moderators).

use super::{Given, Kind, Opt, Slash};
use crate::bot::command::{Command, GAPS_DAYS_MAX, UsageError};

pub const GAPS: Slash = Slash {
    name: "gaps",
    description: "Questions that went unanswered or were voted 👎 (moderators)",
    options: &[Opt {
        name: "days",
        description: "How far back, in days",
        kind: Kind::Integer {
            min: 1,
            max: GAPS_DAYS_MAX,
            default: 7,
        },
        required: false,
        registered: true,
    }],
    actions: &[],
    moderation: true,
    help: "/gaps [days: 7] — questions unanswered, unsure or voted 👎 (moderators)\n\
           e.g. /gaps days: 30",
    build,
};

fn build(given: &Given) -> Result<Command, UsageError> {
    Ok(Command::Gaps {
        days: given.integer("days")?,
        offset: 0,
    })
}
