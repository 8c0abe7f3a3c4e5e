//! The one command model. A slash command, a button press, a console line and an HTTP
//! interaction all become a [`Request`]; only where it came from differs.

use crate::corpus::Metadata;
use crate::corpus::date::{Date, parse_user_date};
use crate::corpus::document_edit::{UPLOAD_MAX_BYTES, id_of};

mod buttons;
mod origin;
pub mod slash;

pub use origin::{Origin, Transport};

/// Search results per page when the user gives no limit.
pub const SEARCH_PAGE: usize = 5;
/// The most search results on one page (the `limit` option's `max_value`).
pub const SEARCH_LIMIT_MAX: usize = 10;
/// Timeline events per page.
pub const TIMELINE_PAGE: usize = 10;
/// Gaps per page.
pub const GAPS_PAGE: usize = 5;
/// The longest look back of `/gaps`, in days.
pub const GAPS_DAYS_MAX: u32 = 365;
/// The longest reason given with a 👎.
pub const REASON_MAX: usize = 200;
/// Discord's limit on a component's `custom_id`, in characters.
const CUSTOM_ID_MAX: usize = 100;

/// The longest `question` and `query`, in characters: the options' `max_length` in the
/// registration and the check here are the same number, and the engine's own limit.
pub const QUESTION_MAX: usize = crate::search::MAX_QUESTION_CHARS;
/// The longest `from` or `to`: "15 September 2015" is 17 characters.
pub const DATE_MAX: usize = 32;
/// The longest `topic` (autocompletion offers topics of at most 100 characters).
pub const TOPIC_MAX: usize = 100;
/// The longest `source` or `url` of a document.
pub const SOURCE_MAX: usize = 300;
/// The deepest page a button may ask for. The real bound is the result count, checked after
/// searching; this one keeps what reaches the engine small whatever a button id says.
pub const MAX_OFFSET: usize = 10_000;
/// How much of a bad value a reply or a log line repeats.
pub const EXCERPT: usize = 40;

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Ask {
        question: String,
        /// The earlier question this one follows up ("and when was that?").
        after: Option<String>,
    },
    /// "Ask a follow-up" under an answer: the form asking for the follow-up to `earlier`.
    FollowUp {
        earlier: String,
    },
    Search {
        query: String,
        limit: usize,
        offset: usize,
    },
    Timeline {
        from: Option<Date>,
        to: Option<Date>,
        topic: String,
        offset: usize,
    },
    About,
    Reindex,
    Help,
    /// 👍 or 👎 on an answer (a button), or the reason for a 👎 (the form that follows).
    Vote {
        question: i64,
        helpful: bool,
        reason: Option<String>,
    },
    /// `/alias add` or `/alias remove`: `also` as another name of `term`, then a reindex
    /// (moderators).
    Alias {
        add: bool,
        term: String,
        also: String,
    },
    /// `/document list`: the documents of the index (moderators).
    Documents,
    /// `/document remove`: the document set aside, then a reindex (moderators).
    RemoveDocument {
        id: String,
    },
    /// `/document add`: the attached file as a document (new, or replacing the one of the
    /// same id) with its metadata, then a reindex (moderators).
    AddDocument {
        file: Box<Attachment>,
        meta: Box<Metadata>,
    },
    /// `/document history`: the latest changes made from Discord (moderators).
    History,
    /// The questions of the last `days` that went unanswered, unsure or voted 👎 (moderators).
    Gaps {
        days: u32,
        offset: usize,
    },
    /// Every gap of the last `days`, as a CSV file (moderators).
    ExportGaps {
        days: u32,
    },
}

/// A file attached to a command: what Discord says of it, and its bytes once the transport
/// has downloaded them.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    /// The size Discord gives, in bytes.
    pub size: u64,
    pub url: String,
    pub bytes: Option<Vec<u8>>,
}

/// Without the bytes (a document is up to a megabyte) and the signed URL.
impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("file_name", &self.file_name)
            .field("size", &self.size)
            .field("downloaded", &self.bytes.as_ref().map(Vec::len))
            .finish()
    }
}

/// A command with how its reply is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub command: Command,
    /// Only the user sees the reply (Discord's ephemeral flag).
    pub hide: bool,
    /// A page button was pressed: the reply replaces the message that holds the button.
    pub page_turn: bool,
    /// Every result in one reply, no pages: the command line's timeline.
    pub unpaged: bool,
    /// With an answer, why its top hits scored as they did and why it answered or refused
    /// (`dossier ask --explain`).
    pub explain: bool,
    pub origin: Option<Origin>,
    /// Said above the reply: how the request was understood (a long message cut short).
    pub note: Option<String>,
}

/// A value of a slash-command option, whatever the transport.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Text(String),
    Integer(i64),
    Bool(bool),
    File(Attachment),
}

/// Why input could not become a command; the text is written for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

impl Command {
    /// The bounds a command must keep, wherever it was parsed from: text lengths, the limit,
    /// page offsets (a whole page, not past [`MAX_OFFSET`]) and an ordered date range.
    pub fn check(&self) -> Result<(), UsageError> {
        let page = |offset: usize, per_page: usize| {
            (offset > MAX_OFFSET || !offset.is_multiple_of(per_page))
                .then(|| UsageError("That page does not exist.".into()))
        };
        let problem = match self {
            Command::Ask { question, after } => too_long("question", question, QUESTION_MAX)
                .or_else(|| {
                    after
                        .as_deref()
                        .and_then(|a| too_long("after", a, QUESTION_MAX))
                }),
            Command::FollowUp { earlier } => too_long("after", earlier, QUESTION_MAX),
            Command::Search {
                query,
                limit,
                offset,
            } => too_long("query", query, QUESTION_MAX)
                .or_else(|| {
                    (!(1..=SEARCH_LIMIT_MAX).contains(limit)).then(|| {
                        UsageError(format!("`limit` must be between 1 and {SEARCH_LIMIT_MAX}."))
                    })
                })
                .or_else(|| page(*offset, *limit)),
            Command::Timeline {
                from,
                to,
                topic,
                offset,
            } => too_long("topic", topic, TOPIC_MAX)
                .or_else(|| {
                    from.zip(*to)
                        .filter(|(from, to)| from.lo() > to.hi())
                        .map(|_| UsageError("`from` is after `to`.".into()))
                })
                .or_else(|| page(*offset, TIMELINE_PAGE)),
            Command::Vote { reason, .. } => reason
                .as_deref()
                .and_then(|r| too_long("reason", r, REASON_MAX)),
            Command::Alias { term, also, .. } => {
                too_long("term", term, TOPIC_MAX).or_else(|| too_long("also", also, TOPIC_MAX))
            }
            Command::Gaps { days, offset } => (!(1..=GAPS_DAYS_MAX).contains(days))
                .then(|| UsageError(format!("`days` must be between 1 and {GAPS_DAYS_MAX}.")))
                .or_else(|| page(*offset, GAPS_PAGE)),
            Command::RemoveDocument { id } => too_long("id", id, TOPIC_MAX),
            Command::AddDocument { file, meta } => check_upload(file, meta),
            Command::ExportGaps { days } => (!(1..=GAPS_DAYS_MAX).contains(days))
                .then(|| UsageError(format!("`days` must be between 1 and {GAPS_DAYS_MAX}."))),
            Command::About
            | Command::Reindex
            | Command::Help
            | Command::Documents
            | Command::History => None,
        };
        problem.map_or(Ok(()), Err)
    }

    /// Rebuilding the index is slow, a download too, and a file can only be attached to an
    /// edited reply: transports defer their reply first.
    pub fn is_slow(&self) -> bool {
        matches!(
            self,
            Command::Reindex
                | Command::Alias { .. }
                | Command::RemoveDocument { .. }
                | Command::AddDocument { .. }
                | Command::Gaps { .. }
                | Command::ExportGaps { .. }
        )
    }

    /// Only moderators may run it: its slash command is declared so ([`slash::Slash`]).
    pub fn is_moderation(&self) -> bool {
        slash::find(self.name()).is_some_and(|s| s.moderation)
    }

    /// The slash-command name.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Ask { .. } | Command::FollowUp { .. } => "ask",
            Command::Search { .. } => "search",
            Command::Timeline { .. } => "timeline",
            Command::About => "about",
            Command::Reindex => "reindex",
            Command::Help => "help",
            Command::Vote { .. } => "vote",
            Command::Gaps { .. } | Command::ExportGaps { .. } => "gaps",
            Command::Alias { .. } => "alias",
            Command::Documents
            | Command::RemoveDocument { .. }
            | Command::AddDocument { .. }
            | Command::History => "document",
        }
    }
}

impl Request {
    /// Answered after a deferral: slow work, a file to attach, or a new timeline (its picture).
    pub fn defers(&self) -> bool {
        self.command.is_slow() || matches!(self.command, Command::Timeline { .. }) && !self.unpaged
    }

    /// Only the caller sees the reply (and its deferral): asked to hide, or moderation.
    pub fn ephemeral(&self) -> bool {
        self.hide || self.command.is_moderation()
    }

    /// `command` shown to everyone, as a new message.
    pub fn new(command: Command) -> Request {
        Request {
            command,
            hide: false,
            page_turn: false,
            unpaged: false,
            explain: false,
            origin: None,
            note: None,
        }
    }

    /// "Ask dossier" on a message: its text as the question, at most its first
    /// [`QUESTION_MAX`] characters (and the reply says so).
    pub fn from_message(content: &str) -> Result<Request, UsageError> {
        let content = content.trim();
        if content.is_empty() {
            return Err(UsageError("That message has no text to ask about.".into()));
        }
        let cut = content.chars().count() > QUESTION_MAX;
        let question: String = content.chars().take(QUESTION_MAX).collect();
        let command = Command::Ask {
            question,
            after: None,
        };
        command.check()?;
        Ok(Request {
            note: cut.then(|| {
                format!("The message is long: I asked its first {QUESTION_MAX} characters.")
            }),
            ..Request::new(command)
        })
    }

    /// A slash command and its options, read against its declaration ([`slash::ALL`]).
    pub fn from_slash(
        name: &str,
        options: &[(String, OptionValue)],
    ) -> Result<Request, UsageError> {
        let slash = slash::find(name).ok_or_else(|| {
            UsageError(format!(
                "There is no `/{}` command.",
                excerpt(name, EXCERPT)
            ))
        })?;
        let given = slash::Given::new(slash, options);
        let command = (slash.build)(&given)?;
        command.check()?;
        Ok(Request {
            hide: given.flag("hide"),
            ..Request::new(command)
        })
    }

    /// A console line: `/ask question: when …`, `/timeline from: 2014 to: 2015`, `/about`, or a
    /// bare question. Options may also be given bare, in order (`/search embargo`).
    pub fn from_line(line: &str) -> Result<Request, UsageError> {
        let line = line.trim();
        let Some(rest) = line.strip_prefix('/') else {
            return Request::from_slash(
                "ask",
                &[("question".into(), OptionValue::Text(line.into()))],
            );
        };
        let (name, rest) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let name = name.to_lowercase();
        let slash = slash::find(&name);
        let declared = |key: &str| slash.and_then(|s| s.all_options().find(|o| o.name == key));
        let is_key = |key: &str| {
            key == "action" && slash.is_some_and(|s| !s.actions.is_empty())
                || declared(key).is_some()
        };
        let mut options: Vec<(String, OptionValue)> = Vec::new();
        let mut current: Option<String> = None;
        let mut words: Vec<&str> = Vec::new();
        let flush = |key: Option<String>, words: &mut Vec<&str>, options: &mut Vec<_>| {
            if words.is_empty() {
                return Ok(());
            }
            let value = words.join(" ");
            words.clear();
            let key = match key {
                Some(k) => k,
                // Bare words fill the first option not given yet (the action first).
                None => bare_key(slash, options)
                    .ok_or_else(|| UsageError(format!("`/{name}` takes no text here.")))?,
            };
            let parsed = match declared(&key).map(|o| &o.kind) {
                Some(slash::Kind::Bool) => {
                    OptionValue::Bool(matches!(value.as_str(), "true" | "yes" | "1"))
                }
                Some(slash::Kind::Integer { .. }) => {
                    OptionValue::Integer(value.parse().map_err(|_| {
                        UsageError(format!(
                            "`{key}` must be a number, not {:?}.",
                            excerpt(&value, EXCERPT)
                        ))
                    })?)
                }
                _ => OptionValue::Text(value),
            };
            options.push((key, parsed));
            Ok(())
        };
        for word in rest.split_whitespace() {
            match word.strip_suffix(':').map(str::to_lowercase) {
                Some(key) if is_key(&key) => {
                    flush(current.take(), &mut words, &mut options)?;
                    current = Some(key);
                }
                _ => words.push(word),
            }
        }
        flush(current, &mut words, &mut options)?;
        Request::from_slash(&name, &options)
    }
}

/// The option bare words on a console line fill: the first of the command's (of its action's,
/// once given) not given yet.
fn bare_key(slash: Option<&slash::Slash>, given: &[(String, OptionValue)]) -> Option<String> {
    let action = given.iter().find_map(|(k, v)| match v {
        OptionValue::Text(a) if k == "action" => Some(a.trim()),
        _ => None,
    });
    slash?
        .bare_order(action)
        .into_iter()
        .find(|k| !given.iter().any(|(n, _)| n == k))
        .map(str::to_string)
}

/// The error when the option `key` holds more than `max` characters.
fn too_long(key: &str, text: &str, max: usize) -> Option<UsageError> {
    (text.chars().count() > max)
        .then(|| UsageError(format!("`{key}` is too long: at most {max} characters.")))
}

/// At most `max` characters of `text`, with "…" when cut: what a reply or a log line may
/// repeat of what a user sent.
pub fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

/// What can be known of an attachment before downloading it: a document's name (`.txt`, `.md`,
/// `.html`, `.pdf`), a size within the largest format's limit (the content, once downloaded,
/// says which format it is and so its own limit), metadata that loading would take.
fn check_upload(file: &Attachment, meta: &Metadata) -> Option<UsageError> {
    let name = excerpt(&file.file_name, EXCERPT);
    if id_of(&file.file_name).is_none() {
        return Some(UsageError(format!(
            "{name:?} is not a document: attach a .txt, .md, .html or .pdf file."
        )));
    }
    if file.size > UPLOAD_MAX_BYTES {
        return Some(UsageError(format!(
            "{name:?} is too large: {} bytes, and a document may have at most {UPLOAD_MAX_BYTES}.",
            file.size
        )));
    }
    let long = [
        ("title", &meta.title, TOPIC_MAX),
        ("author", &meta.author, TOPIC_MAX),
        ("source", &meta.source, SOURCE_MAX),
        ("url", &meta.url, SOURCE_MAX),
    ]
    .into_iter()
    .find_map(|(key, value, max)| too_long(key, value.as_deref()?, max));
    if long.is_some() {
        return long;
    }
    meta.check()
        .err()
        .map(|problem| UsageError(format!("Not added: {problem}.")))
}

fn date_option(name: &str, value: Option<String>) -> Result<Option<Date>, UsageError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => parse_user_date(v).map(Some).ok_or_else(|| {
            UsageError(format!(
                "`{name}`: {:?} is not a date. Try 2014, 2014-06, June 2015 or 15 June 2015.",
                excerpt(v, EXCERPT)
            ))
        }),
    }
}

#[cfg(test)]
mod tests;
