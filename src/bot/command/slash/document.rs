//! `/document add|list|history|remove` — the documents and the changes made to them
//! (moderators).

use super::{Action, Given, Kind, Opt, Slash};
use crate::bot::command::{Command, SOURCE_MAX, TOPIC_MAX, UsageError};
use crate::corpus::Metadata;

pub const DOCUMENT: Slash = Slash {
    name: "document",
    description: "The documents dossier answers from (moderators)",
    options: &[],
    actions: &[
        Action {
            name: "add",
            description: "Add or replace a document (text, Markdown, web page or PDF), then reindex",
            options: &[
                Opt {
                    name: "file",
                    description: "The document: a .txt, .md, .html or .pdf file",
                    kind: Kind::File,
                    required: true,
                    registered: true,
                },
                Opt::text("title", "Its title", TOPIC_MAX),
                Opt::text("author", "Who wrote it", TOPIC_MAX),
                Opt::text("source", "Where it comes from", SOURCE_MAX),
                Opt::text("url", "Where a browser finds it (https://…)", SOURCE_MAX),
            ],
        },
        Action {
            name: "list",
            description: "The documents of the index",
            options: &[],
        },
        Action {
            name: "remove",
            description: "Set a document aside, then reindex",
            options: &[Opt::text("id", "The document's id", TOPIC_MAX).required()],
        },
        Action {
            name: "history",
            description: "The latest changes made from Discord",
            options: &[],
        },
    ],
    moderation: true,
    help: "/document add file: … [title: …] [author: …] [source: …] [url: …] | list | history | remove id: … \
           — the documents and the changes (moderators)\n\
           e.g. /document remove id: notes",
    build,
};

fn build(given: &Given) -> Result<Command, UsageError> {
    Ok(match given.action()? {
        "list" => Command::Documents,
        "history" => Command::History,
        "remove" => Command::RemoveDocument {
            id: given.required("id")?.trim().to_string(),
        },
        // "add", the one action left ([`Given::action`] gives only declared ones).
        _ => Command::AddDocument {
            file: Box::new(given.file("file").ok_or_else(|| {
                UsageError(
                    "`/document add` needs `file`: attach a .txt, .md, .html or .pdf file.".into(),
                )
            })?),
            meta: Box::new(Metadata {
                title: given.trimmed("title")?,
                author: given.trimmed("author")?,
                source: given.trimmed("source")?,
                url: given.trimmed("url")?,
                published: None,
            }),
        },
    })
}
