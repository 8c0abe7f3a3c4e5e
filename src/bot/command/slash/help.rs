//! `/help` — the commands, with an example each.

use super::{Given, Slash};
use crate::bot::command::{Command, UsageError};

pub const HELP: Slash = Slash {
    name: "help",
    description: "The commands, with an example each",
    options: &[],
    actions: &[],
    moderation: false,
    help: "/help — this list",
    build,
};

fn build(_: &Given) -> Result<Command, UsageError> {
    Ok(Command::Help)
}
