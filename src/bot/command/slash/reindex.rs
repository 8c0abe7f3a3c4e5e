//! `/reindex` — rebuild the index from the data (moderators).

use super::{Given, Slash};
use crate::bot::command::{Command, UsageError};

pub const REINDEX: Slash = Slash {
    name: "reindex",
    description: "Rebuild the index from the data (moderators)",
    options: &[],
    actions: &[],
    moderation: true,
    help: "/reindex — rebuild the index from the data (moderators)",
    build,
};

fn build(_: &Given) -> Result<Command, UsageError> {
    Ok(Command::Reindex)
}
