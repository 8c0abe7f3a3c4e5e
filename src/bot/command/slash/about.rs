//! `/about` — the documents, their counts, when the index was built.

use super::{Given, Slash};
use crate::bot::command::{Command, UsageError};

pub const ABOUT: Slash = Slash {
    name: "about",
    description: "What dossier knows and when it last read it",
    options: &[],
    actions: &[],
    moderation: false,
    help: "/about — documents, counts, when the index was built",
    build,
};

fn build(_: &Given) -> Result<Command, UsageError> {
    Ok(Command::About)
}
