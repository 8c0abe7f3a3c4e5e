//! What moderators change from Discord: aliases and documents. Each change holds the edit lock
//! from before it reads the data until it is reindexed and audited (one change at a time, in
//! every process sharing the data directory); it is made to the data directory (validated
//! first, nothing half-written), recorded in the audit, reindexed, then confirmed.

use sha2::{Digest, Sha256};
use tracing::{info, warn};

use super::command::{Attachment, EXCERPT, Request, excerpt};
use super::reply::{Body, Notice, Reply};
use super::{App, data_problem};
use crate::corpus::alias_edit::{AliasChange, edit_aliases};
use crate::corpus::document_edit::{Upload, add_document, remove_document};
use crate::corpus::{ALIASES_FILE, DataError, Metadata, hex};
use crate::search::{EditLock, Progress, SearchError};
use crate::store::{self, Change};

/// The latest changes `/document history` shows.
const HISTORY: i64 = 20;

fn file_hash(path: &std::path::Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    Some(hex(&Sha256::digest(&bytes)))
}

/// What a change did, for the audit: the action, what it changed, and the SHA-256 of the file
/// before and after.
struct Edited {
    action: &'static str,
    target: String,
    before: Option<String>,
    after: Option<String>,
    /// What the change did, for the moderator ("Added report (PDF): 41 paragraphs, …").
    note: Option<String>,
}

impl App {
    pub(super) fn alias(
        &self,
        request: &Request,
        add: bool,
        term: &str,
        also: &str,
        report: &(dyn Fn(Progress) + Sync),
    ) -> Reply {
        let edit = match self.engine.lock_edits() {
            Ok(edit) => edit,
            Err(err) => return self.reply(request, Err(err)),
        };
        let path = self.engine.data_dir().join(ALIASES_FILE);
        let before = file_hash(&path);
        let change = AliasChange {
            add,
            term: term.to_string(),
            also: also.to_string(),
        };
        let edited = edit_aliases(self.engine.data_dir(), &change).map_err(SearchError::from);
        if let Ok(changed) = edited {
            info!(add, term, also, changed, "aliases edited");
        }
        let action = if add { "alias add" } else { "alias remove" };
        let target = format!("{term} = {also}");
        self.changed(
            request,
            &edit,
            edited.map(|_| ()),
            Edited {
                action,
                target,
                before,
                after: file_hash(&path),
                note: None,
            },
            report,
        )
    }

    pub(super) fn remove_document(
        &self,
        request: &Request,
        id: &str,
        report: &(dyn Fn(Progress) + Sync),
    ) -> Reply {
        let edit = match self.engine.lock_edits() {
            Ok(edit) => edit,
            Err(err) => return self.reply(request, Err(err)),
        };
        match remove_document(self.engine.data_dir(), id) {
            Ok(None) => Reply::notice(
                Notice::Error,
                format!(
                    "There is no document `{}`; `/document list` shows them.",
                    super::command::excerpt(id, super::command::EXCERPT)
                ),
            ),
            Ok(Some(hash)) => {
                info!(id, "document set aside");
                self.changed(
                    request,
                    &edit,
                    Ok(()),
                    Edited {
                        action: "document remove",
                        target: id.to_string(),
                        before: Some(hash),
                        after: None,
                        note: None,
                    },
                    report,
                )
            }
            Err(err @ DataError::NoDocuments { .. }) => Reply::notice(
                Notice::Error,
                format!("Not removed: {err}. The index needs at least one document."),
            ),
            Err(err) => self.reply(request, Err(err.into())),
        }
    }

    /// `/document add`: the downloaded attachment validated as a document, written, indexed.
    pub(super) fn add_document(
        &self,
        request: &Request,
        file: &Attachment,
        meta: &Metadata,
        report: &(dyn Fn(Progress) + Sync),
    ) -> Reply {
        let Some(bytes) = file.bytes.clone() else {
            return Reply::notice(
                Notice::Error,
                "`/document add` takes a file attached in Discord.",
            );
        };
        let upload = Upload {
            file_name: &file.file_name,
            bytes,
            meta: meta.clone(),
        };
        let edit = match self.engine.lock_edits() {
            Ok(edit) => edit,
            Err(err) => return self.reply(request, Err(err)),
        };
        match add_document(self.engine.data_dir(), upload) {
            Ok(added) => {
                info!(
                    id = added.id,
                    paragraphs = added.paragraphs,
                    replaced = added.before.is_some(),
                    "document added"
                );
                self.changed(
                    request,
                    &edit,
                    Ok(()),
                    Edited {
                        action: "document add",
                        note: Some(added.to_string()),
                        target: added.id,
                        before: added.before,
                        after: Some(added.after),
                    },
                    report,
                )
            }
            Err(err) => {
                info!(file = %excerpt(&file.file_name, EXCERPT), error = %err, "document refused");
                Reply::notice(
                    Notice::Error,
                    format!(
                        "Not added, and nothing was written: {}.",
                        data_problem(&err, self.engine.data_dir())
                    ),
                )
            }
        }
    }

    /// After a change to the data: record it in the audit, reindex, then reply. A change
    /// that reached the disk is always audited, whatever the reindex says.
    fn changed(
        &self,
        request: &Request,
        edit: &EditLock,
        made: Result<(), SearchError>,
        what: Edited,
        report: &(dyn Fn(Progress) + Sync),
    ) -> Reply {
        let Edited {
            action,
            target,
            before,
            after,
            note,
        } = what;
        if let Err(err) = made {
            return self.reply(request, Err(err));
        }
        let mut audited = true;
        if let (Some(feedback), Some(origin)) = (&self.feedback, request.origin) {
            let recorded = feedback.store.audit(Change {
                at: store::now(),
                user_hash: feedback.hasher.hash(origin.user),
                action: action.to_string(),
                target,
                before,
                after,
            });
            if let Err(err) = recorded {
                warn!(error = %err, action, "change not recorded in the audit");
                audited = false;
            }
        }
        let summary = self.engine.reindex_with(edit, report);
        if summary.is_ok() {
            self.announce();
        }
        if !audited {
            return Reply::notice(
                Notice::Error,
                "The change was made, but it could not be recorded in the audit log.",
            );
        }
        let summary = summary.map(|mut s| {
            s.notes.extend(note);
            s
        });
        self.reply(request, summary.map(Body::Reindexed))
    }

    pub(super) fn history(&self) -> Reply {
        let Some(feedback) = &self.feedback else {
            return Reply::notice(Notice::Error, "There is no audit log here.");
        };
        match feedback.store.history(HISTORY) {
            Ok(changes) => Reply {
                ephemeral: true,
                body: Body::History(changes),
            },
            Err(err) => {
                warn!(error = %err, "history not read");
                Reply::notice(
                    Notice::Error,
                    "The audit log cannot be read just now; please try again in a moment.",
                )
            }
        }
    }
}
