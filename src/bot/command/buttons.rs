//! The state of buttons and forms, carried in their `custom_id`s: pages of `/search`,
//! `/timeline` and `/gaps`, "Export CSV" under `/gaps`, the 👍/👎 under an answer and the form
//! that follows a 👎, "Ask a follow-up" and its form (the earlier question). Whatever
//! an id says, it is held to the bounds of the command it stands for before anything is done.

use super::{CUSTOM_ID_MAX, Command, Request, UsageError};
use crate::corpus::date::Date;

impl Request {
    /// A page button's `custom_id`, as made by [`Request::page_id`]. Whatever it says, it is
    /// held to the same bounds as the slash command it stands for (and to Discord's 100
    /// characters) before anything is done with it; anything else is "no longer valid".
    pub fn from_custom_id(id: &str) -> Result<Request, UsageError> {
        let bad = || UsageError("That button is no longer valid.".into());
        // Checked on bytes first so that a huge id is not even counted.
        if id.len() > 4 * CUSTOM_ID_MAX || id.chars().count() > CUSTOM_ID_MAX {
            return Err(bad());
        }
        let (kind, rest) = id.split_once(':').ok_or_else(bad)?;
        let command = match kind {
            "s" => search_page(rest),
            "t" => timeline_page(rest),
            "f" => vote(rest),
            "g" => gaps_page(rest),
            "c" => digits(rest)
                .and_then(|days| u32::try_from(days).ok())
                .map(|days| Command::ExportGaps { days }),
            "q" if !rest.trim().is_empty() => Some(Command::FollowUp {
                earlier: rest.to_string(),
            }),
            _ => None,
        }
        .ok_or_else(bad)?;
        command.check().map_err(|_| bad())?;
        if matches!(
            command,
            Command::Vote { .. } | Command::ExportGaps { .. } | Command::FollowUp { .. }
        ) {
            // A vote answers the user alone and leaves the answer as it is; the file comes
            // in a message of its own; the follow-up form opens over the answer.
            return Ok(Request {
                hide: true,
                ..Request::new(command)
            });
        }
        Ok(Request {
            page_turn: true,
            ..Request::new(command)
        })
    }

    /// A submitted form (a modal's `custom_id` and what was typed): the reason for a 👎, or a
    /// follow-up question to the earlier question its id carries.
    pub fn from_form(id: &str, typed: &str) -> Result<Request, UsageError> {
        let bad = || UsageError("That form is no longer valid.".into());
        if id.len() > 4 * CUSTOM_ID_MAX || id.chars().count() > CUSTOM_ID_MAX {
            return Err(bad());
        }
        if let Some(earlier) = id.strip_prefix("a:") {
            if earlier.trim().is_empty() {
                return Err(bad());
            }
            let command = Command::Ask {
                question: typed.to_string(),
                after: Some(earlier.to_string()),
            };
            command.check()?;
            return Ok(Request::new(command));
        }
        let reason = typed;
        let question = id
            .strip_prefix("r:")
            .filter(|q| q.len() <= 20 && !q.is_empty() && q.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|q| q.parse::<i64>().ok())
            .ok_or_else(bad)?;
        // An empty form is a 👎 without a reason: `Some("")`, so it is not asked for again
        // (Discord allows no form in answer to a form).
        let command = Command::Vote {
            question,
            helpful: false,
            reason: Some(reason.trim().to_string()),
        };
        command.check()?;
        Ok(Request {
            hide: true,
            ..Request::new(command)
        })
    }

    /// The 👍 or 👎 button's `custom_id` on the answer to `question`.
    pub fn vote_id(question: i64, helpful: bool) -> String {
        format!("f:{}:{question}", u8::from(helpful))
    }

    /// The "Export CSV" button's `custom_id` under `/gaps` of `days`.
    pub fn export_id(days: u32) -> String {
        format!("c:{days}")
    }

    /// The "Ask a follow-up" button's `custom_id` under the answer to `question`: the question,
    /// compacted to fit.
    pub fn followup_id(question: &str) -> String {
        format!(
            "q:{}",
            crate::search::followup::compact(question, CUSTOM_ID_MAX - 2)
        )
    }

    /// The `custom_id` of the form asking for a follow-up to `earlier` (from the button's id).
    pub fn followup_form_id(earlier: &str) -> String {
        format!("a:{earlier}")
    }

    /// The `custom_id` of the form asking why an answer was not helpful.
    pub fn form_id(question: i64) -> String {
        format!("r:{question}")
    }

    /// The `custom_id` of a button showing this command at `offset`; `None` when the state does
    /// not fit in Discord's 100 characters.
    pub fn page_id(command: &Command, offset: usize) -> Option<String> {
        let id = match command {
            Command::Search { query, limit, .. } => format!("s:{offset}:{limit}:{query}"),
            Command::Timeline {
                from, to, topic, ..
            } => {
                let edtf = |d: &Option<Date>| d.map(|d| d.edtf()).unwrap_or_default();
                format!("t:{offset}:{}:{}:{topic}", edtf(from), edtf(to))
            }
            Command::Gaps { days, .. } => format!("g:{offset}:{days}"),
            _ => return None,
        };
        (id.chars().count() <= CUSTOM_ID_MAX).then_some(id)
    }
}

/// A number of ASCII digits only (no sign, no space).
fn digits(s: &str) -> Option<usize> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `s:OFFSET:LIMIT:QUERY`: a page of search results.
fn search_page(rest: &str) -> Option<Command> {
    let mut p = rest.splitn(3, ':');
    let offset = digits(p.next()?)?;
    let limit = digits(p.next()?)?;
    let query = p.next()?;
    (!query.trim().is_empty()).then(|| Command::Search {
        query: query.to_string(),
        limit,
        offset,
    })
}

/// `t:OFFSET:FROM:TO:TOPIC`: a page of the timeline (dates in EDTF, empty when not given).
fn timeline_page(rest: &str) -> Option<Command> {
    let mut p = rest.splitn(4, ':');
    let offset = digits(p.next()?)?;
    let date = |s: &str| match s {
        "" => Some(None),
        edtf => Date::parse_edtf(edtf).map(Some),
    };
    let from = date(p.next()?)?;
    let to = date(p.next()?)?;
    let topic = p.next()?.to_string();
    Some(Command::Timeline {
        from,
        to,
        topic,
        offset,
    })
}

/// `f:1:QUESTION` or `f:0:QUESTION`: 👍 or 👎 on the logged answer to QUESTION.
fn vote(rest: &str) -> Option<Command> {
    let (vote, question) = rest.split_once(':')?;
    let question = i64::try_from(digits(question)?).ok()?;
    let helpful = match vote {
        "1" => true,
        "0" => false,
        _ => return None,
    };
    Some(Command::Vote {
        question,
        helpful,
        reason: None,
    })
}

/// `g:OFFSET:DAYS`: a page of the gaps.
fn gaps_page(rest: &str) -> Option<Command> {
    let (offset, days) = rest.split_once(':')?;
    Some(Command::Gaps {
        offset: digits(offset)?,
        days: u32::try_from(digits(days)?).ok()?,
    })
}
