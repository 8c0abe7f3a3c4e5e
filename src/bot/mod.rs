//! The bot: one command model served by every transport.
//!
//! ```text
//! slash command ─┐                                    ┌─ render::embed (Discord message)
//! button press  ─┤                                    │
//! console line  ─┼─▶ Request ─▶ App::execute ─▶ Reply ─┼─ render::text (console, CLI)
//! CLI command   ─┘   (command)                        └─ render::json (--json)
//! ```
//!
//! - [`command`]: `Command` and `Request`, parsed from slash options, console lines and
//!   button ids.
//! - [`App`]: the engine plus the bot's rules (cooldown, who may reindex); executes requests.
//! - [`reply`]: the transport-neutral reply.
//! - [`render`]: Discord messages within Discord's limits, text, and JSON.
//! - [`transport`]: the gateway (serenity), the HTTP interactions endpoint, the console; the
//!   command line is [`crate::cli`].

pub mod command;
pub mod cooldown;
pub mod feedback;
pub(crate) mod follow;
pub mod metrics;
mod moderation;
pub mod render;
pub mod reply;
pub mod transport;

use std::hash::BuildHasher;
use std::path::Path;
use std::sync::{Arc, LazyLock, RwLock};

use tracing::{info, warn};

use crate::config::Settings;
use crate::corpus::DataError;
use crate::search::{Engine, Progress, SearchError, TimelineFilter, TimelinePage};
use command::{Command, Request};
use cooldown::Cooldown;
use feedback::Feedback;
use reply::{Body, Notice, Reply};

/// Manage Server, in Discord's permission bits.
pub const MANAGE_GUILD: u64 = 1 << 5;

/// Who sent a request, as far as the bot's rules care.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caller {
    pub user: u64,
    /// The server the request came from; `None` in a DM.
    pub guild: Option<u64>,
    /// The member's permissions in the channel, when in a server.
    pub permissions: Option<u64>,
    pub roles: Vec<u64>,
}

/// Shared state of a running bot: cheap to clone.
#[derive(Clone)]
pub struct App {
    pub engine: Arc<Engine>,
    pub settings: Arc<Settings>,
    cooldown: Arc<Cooldown>,
    /// The question log and votes; none on the command line.
    feedback: Option<Feedback>,
    /// The application's owner and team members, read from Discord at start.
    owners: Arc<RwLock<Vec<u64>>>,
    pub metrics: Arc<metrics::Metrics>,
    /// The generation another process announced, while this one serves other data.
    disagrees: Arc<RwLock<Option<String>>>,
}

impl App {
    pub fn new(engine: Arc<Engine>, settings: Settings) -> App {
        App {
            engine,
            cooldown: Arc::new(Cooldown::new(settings.cooldown)),
            settings: Arc::new(settings),
            feedback: None,
            owners: Arc::default(),
            metrics: Arc::default(),
            disagrees: Arc::default(),
        }
    }

    /// The users who own the application (its owner, or its team's members): moderators in
    /// every admin guild.
    pub fn set_owners(&self, owners: Vec<u64>) {
        *self.owners.write().unwrap_or_else(|e| e.into_inner()) = owners;
    }

    /// The same bot with a question log and votes.
    pub fn with_feedback(mut self, feedback: Feedback) -> App {
        self.feedback = Some(feedback);
        self
    }

    /// May `caller` use moderator commands? Only in an admin guild (`DOSSIER_ADMIN_GUILDS`),
    /// and there with Manage Server (or Administrator), a moderator role, or as the
    /// application's owner. Nowhere else, whatever the member's permissions there.
    pub fn is_moderator(&self, caller: &Caller) -> bool {
        let in_admin_guild = caller
            .guild
            .is_some_and(|g| self.settings.admin_guilds.contains(&g));
        let owner = || {
            self.owners
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .contains(&caller.user)
        };
        in_admin_guild
            && (caller
                .permissions
                .is_some_and(|p| p & MANAGE_GUILD != 0 || p & 0x8 != 0)
                || caller
                    .roles
                    .iter()
                    .any(|r| self.settings.moderator_roles.contains(r))
                || owner())
    }

    /// The bot's rules before running anything: the per-user cooldown, and `/reindex` for
    /// moderators only. `Err` holds the refusal to send instead.
    pub fn admit(&self, request: &Request, caller: &Caller) -> Result<(), Box<Reply>> {
        if !self.cooldown.admit(caller.user) {
            info!(user = %user_tag(caller.user), "cooldown");
            self.metrics.refused(&request.command, true);
            return Err(Box::new(Reply::notice(
                Notice::Cooldown,
                format!(
                    "Slow down a little: at most {} commands every {} seconds. Try again in a moment.",
                    self.settings.cooldown.commands,
                    self.settings.cooldown.window.as_secs()
                ),
            )));
        }
        if request.command.is_moderation() && !self.is_moderator(caller) {
            let admin_guild = caller
                .guild
                .is_some_and(|g| self.settings.admin_guilds.contains(&g));
            info!(
                user = %user_tag(caller.user),
                guild = caller.guild,
                command = request.command.name(),
                admin_guild,
                "refused: not a moderator here"
            );
            self.metrics.refused(&request.command, false);
            let why = if admin_guild {
                format!(
                    "Only moderators (Manage Server, or a moderator role) can use `/{}`.",
                    request.command.name()
                )
            } else {
                format!(
                    "Only moderators can use `/{}`, and only in the servers that run this bot.",
                    request.command.name()
                )
            };
            return Err(Box::new(Reply::notice(Notice::Refused, why)));
        }
        Ok(())
    }

    /// Runs a request. Blocking: `/reindex` takes tens of milliseconds to seconds, so async
    /// callers run it with `spawn_blocking`. The request is held to [`Command::check`]'s bounds
    /// first, whoever made it.
    pub fn execute(&self, request: &Request) -> Reply {
        self.execute_reporting(request, &|_| {})
    }

    /// [`App::execute`], telling `report` how far a reindex it makes has come.
    pub fn execute_reporting(
        &self,
        request: &Request,
        report: &(dyn Fn(Progress) + Sync),
    ) -> Reply {
        let started = std::time::Instant::now();
        let reply = self.run(request, report);
        self.metrics
            .observe(&request.command, &reply, Some(started.elapsed()));
        reply
    }

    fn run(&self, request: &Request, report: &(dyn Fn(Progress) + Sync)) -> Reply {
        if let Err(usage) = request.command.check() {
            return Reply::notice(Notice::Error, usage.0);
        }
        match self.body(request, report) {
            Ok(body) => self.reply(request, body),
            Err(own) => *own,
        }
    }

    /// What a command answers, made into a reply by [`App::reply`] (errors included); `Err`
    /// holds the whole reply of a command that makes its own.
    fn body(
        &self,
        request: &Request,
        report: &(dyn Fn(Progress) + Sync),
    ) -> Result<Result<Body, SearchError>, Box<Reply>> {
        let own = match &request.command {
            Command::Ask { question, after } => {
                return Ok(match after {
                    Some(earlier) => self.engine.ask_after(earlier, question),
                    None if request.explain => self.engine.explain(question),
                    None => self.engine.ask(question),
                }
                .map(|answer| self.answered(request, answer)));
            }
            Command::FollowUp { earlier } => Reply {
                ephemeral: true,
                body: Body::AskFollowUp {
                    earlier: earlier.clone(),
                },
            },
            Command::Search {
                query,
                limit,
                offset,
            } => {
                return Ok(self
                    .engine
                    .search(query, *offset, *limit)
                    .map(|page| Body::Search {
                        page,
                        command: request.command.clone(),
                        limit: *limit,
                    }));
            }
            Command::Timeline {
                from,
                to,
                topic,
                offset,
            } => {
                let filter = TimelineFilter {
                    from: *from,
                    to: *to,
                    topic: topic.clone(),
                };
                return Ok(self.timeline(request, &filter, *offset));
            }
            Command::About => {
                let info = Box::new(crate::search::BuildInfo::clone(&self.engine.info()));
                return Ok(Ok(Body::About(info, self.week(), self.disagreement())));
            }
            Command::Reindex => {
                return Ok(self.engine.reindex_reporting(report).map(|summary| {
                    self.announce();
                    Body::Reindexed(summary)
                }));
            }
            Command::Alias { add, term, also } => self.alias(request, *add, term, also, report),
            Command::RemoveDocument { id } => self.remove_document(request, id, report),
            Command::AddDocument { file, meta } => self.add_document(request, file, meta, report),
            Command::Documents => Reply {
                ephemeral: true,
                body: Body::Documents(self.engine.info().documents.clone()),
            },
            Command::History => self.history(),
            Command::Help => Reply {
                ephemeral: true,
                body: Body::Help,
            },
            Command::Vote {
                question,
                helpful,
                reason,
            } => self.vote(request.origin, *question, *helpful, reason),
            Command::Gaps { days, offset } => self.gaps(request, *days, *offset),
            Command::ExportGaps { days } => self.export_gaps(*days),
        };
        Err(Box::new(own))
    }

    /// A page of the timeline from `offset`; a new timeline in Discord comes with its picture,
    /// of every event asked for (one query, the page cut from it).
    fn timeline(
        &self,
        request: &Request,
        filter: &TimelineFilter,
        offset: usize,
    ) -> Result<Body, SearchError> {
        let per_page = if request.unpaged {
            usize::MAX
        } else {
            command::TIMELINE_PAGE
        };
        let command = request.command.clone();
        if !request.defers() {
            return self
                .engine
                .timeline(filter, offset, per_page)
                .map(|page| Body::Timeline {
                    page,
                    command,
                    charted: None,
                });
        }
        self.engine
            .timeline(filter, 0, usize::MAX)
            .map(|all| Body::Timeline {
                page: TimelinePage {
                    events: all
                        .events
                        .iter()
                        .skip(offset)
                        .take(per_page)
                        .cloned()
                        .collect(),
                    total: all.total,
                    offset,
                },
                command,
                charted: Some(all.events),
            })
    }

    /// Runs requests in order, one reply each. The questions among them are answered as one
    /// batch, so the sentence encoder runs once for all of them (the command line's stdin).
    pub fn execute_all(&self, requests: &[Request]) -> Vec<Reply> {
        let questions: Vec<&str> = requests
            .iter()
            .filter(|r| r.command.check().is_ok() && !r.explain)
            .filter_map(|r| match &r.command {
                Command::Ask {
                    question,
                    after: None,
                } => Some(question.as_str()),
                _ => None,
            })
            .collect();
        let mut answers = self.engine.ask_many(&questions).into_iter();
        requests
            .iter()
            .map(|request| match &request.command {
                Command::Ask { after: None, .. }
                    if request.command.check().is_ok() && !request.explain =>
                {
                    let answer = answers.next().unwrap_or(Err(SearchError::EmptyQuestion));
                    let body = answer.map(|answer| self.answered(request, answer));
                    let reply = self.reply(request, body);
                    self.metrics.observe(&request.command, &reply, None);
                    reply
                }
                _ => self.execute(request),
            })
            .collect()
    }

    fn reply(&self, request: &Request, body: Result<Body, SearchError>) -> Reply {
        match body {
            Ok(body) if past_the_end(&body) => Reply::notice(
                Notice::Error,
                "That button is no longer valid: there are fewer results now.",
            ),
            Ok(body) => Reply {
                ephemeral: request.hide,
                body,
            },
            Err(err) => user_error(&err, self.engine.data_dir()),
        }
    }
}

/// A page past the last result: what a button made before a reindex (or forged) can ask for.
fn past_the_end(body: &Body) -> bool {
    let (offset, total) = match body {
        Body::Search { page, .. } => (page.offset, page.total),
        Body::Timeline { page, .. } => (page.offset, page.total),
        _ => return false,
    };
    offset > 0 && offset >= total
}

/// Where a bad file is, as moderators know it: relative to the data directory, never the
/// server's absolute path.
fn shown_path(path: &Path, data_dir: &Path) -> String {
    match path.strip_prefix(data_dir) {
        Ok(relative) if relative.as_os_str().is_empty() => "the data directory".to_string(),
        Ok(relative) => relative.display().to_string(),
        Err(_) => path.file_name().map_or_else(
            || "a data file".to_string(),
            |n| n.to_string_lossy().to_string(),
        ),
    }
}

/// A user as the logs name it: a keyed hash (SipHash under a key drawn at start and never
/// written), so an operator can follow one user through a run's log while no log line holds
/// who it is.
pub fn user_tag(user: u64) -> String {
    static KEY: LazyLock<std::collections::hash_map::RandomState> =
        LazyLock::new(std::collections::hash_map::RandomState::new);
    format!("{:016x}", KEY.hash_one(user))
}

/// A data problem as shown to moderators: the error's text with its path made relative.
pub(super) fn data_problem(err: &DataError, data_dir: &Path) -> String {
    let path = match err {
        DataError::Unreadable { path, .. }
        | DataError::InvalidUtf8 { path, .. }
        | DataError::Binary { path, .. }
        | DataError::Empty { path }
        | DataError::TooLarge { path, .. }
        | DataError::NoParagraphs { path }
        | DataError::Metadata { path, .. }
        | DataError::Aliases { path, .. }
        | DataError::OrphanMetadata { path, .. }
        | DataError::NotADocument { path }
        | DataError::Malformed { path, .. }
        | DataError::NoDocuments { path }
        | DataError::Reserved { path, .. } => path,
    };
    let text = err.to_string();
    let full = path.display().to_string();
    match text.strip_prefix(&full) {
        Some(rest) => format!("{}{rest}", shown_path(path, data_dir)),
        None => text,
    }
}

/// The reply for a failed request: written for users; details go to the log.
fn user_error(err: &SearchError, data_dir: &Path) -> Reply {
    let text = match err {
        SearchError::EmptyQuestion | SearchError::QuestionTooLong { .. } => err.to_string() + ".",
        SearchError::Busy => {
            "The data is being changed or reindexed just now, and nothing was done; try again in a moment."
                .into()
        }
        SearchError::Data(data) => {
            warn!(error = %data, "reindex refused bad data");
            format!(
                "The data was not reindexed; the old index keeps answering. Problem: {}",
                data_problem(data, data_dir)
            )
        }
        SearchError::Index { .. }
        | SearchError::Unusable { .. }
        | SearchError::Io { .. }
        | SearchError::Model(_) => {
            warn!(error = %err, "index error");
            "Something went wrong on the bot's side; the moderators can see the details in the logs."
                .into()
        }
    };
    Reply::notice(Notice::Error, text)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn moderators_see_data_paths_relative_to_the_data_directory() {
        let dir = Path::new("/srv/dossier/data");
        let bad = DataError::InvalidUtf8 {
            path: dir.join("broken.txt"),
            offset: 0,
        };
        assert_eq!(
            data_problem(&bad, dir),
            "broken.txt: not valid UTF-8 (invalid byte at offset 0)"
        );
        let none = DataError::NoDocuments {
            path: dir.to_path_buf(),
        };
        assert!(data_problem(&none, dir).starts_with("the data directory: no documents"));
        let elsewhere = DataError::Empty {
            path: PathBuf::from("/etc/elsewhere/aliases.toml"),
        };
        assert_eq!(
            data_problem(&elsewhere, dir),
            "aliases.toml: empty document"
        );
    }
}
