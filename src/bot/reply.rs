//! The transport-neutral reply: what to say, before it becomes an embed or console text.

use crate::search::DocumentInfo;
use crate::search::{Answer, BuildInfo, ReindexSummary, SearchPage, TimelineEvent, TimelinePage};
use crate::store::{Change, Figures, Gap};

use super::command::Command;

/// What kind of short message a notice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The request could not run (bad input, bad data, internal trouble).
    Error,
    /// The caller may not run this.
    Refused,
    /// The caller sent too many commands.
    Cooldown,
}

#[derive(Debug, Clone)]
pub enum Body {
    /// An answer, with the id of its log row when it can be voted on.
    Answer(Answer, Option<i64>),
    Search {
        page: SearchPage,
        /// The command this page answers, for the page buttons.
        command: Command,
        limit: usize,
    },
    Timeline {
        page: TimelinePage,
        command: Command,
        /// Every event of the timeline asked for, to draw (with a new timeline, not a page turn).
        charted: Option<Vec<TimelineEvent>>,
    },
    /// The index, this week's figures when there is a question log, and the generation
    /// another process announced when this one serves other data.
    About(Box<BuildInfo>, Option<Figures>, Option<String>),
    Reindexed(ReindexSummary),
    Help,
    /// A vote was stored.
    Voted {
        helpful: bool,
        reason: Option<String>,
    },
    /// "Ask a follow-up": the form asking for a question that follows up `earlier`.
    AskFollowUp {
        earlier: String,
    },
    /// A 👎 was stored; the form asking why comes next.
    AskReason {
        question: i64,
    },
    /// The documents of the index.
    Documents(Vec<DocumentInfo>),
    /// The latest changes made from Discord, newest first.
    History(Vec<Change>),
    /// A page of gaps.
    Gaps {
        gaps: Vec<Gap>,
        offset: usize,
        total: usize,
        command: Command,
    },
    /// Every gap of the last `days`, to be sent as a file.
    GapsFile {
        gaps: Vec<Gap>,
        days: u32,
    },
    Notice(Notice, String),
}

#[derive(Debug, Clone)]
pub struct Reply {
    /// Only the caller sees it.
    pub ephemeral: bool,
    pub body: Body,
}

impl Reply {
    /// A short message; notices are always ephemeral.
    pub fn notice(kind: Notice, text: impl Into<String>) -> Reply {
        Reply {
            ephemeral: true,
            body: Body::Notice(kind, text.into()),
        }
    }
}
