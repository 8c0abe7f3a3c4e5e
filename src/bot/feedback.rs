//! The moderators' loop on the bot's side: questions asked through Discord and the console go
//! to the question log, answers carry 👍/👎, votes are stored before they are acknowledged, and
//! `/gaps` shows what failed.

use tracing::warn;

use super::App;
use super::command::Transport;
use super::command::{Command, GAPS_PAGE, Origin, Request};
use super::reply::{Body, Notice, Reply};
use crate::search::Answer;
use crate::store::{self, Asked, Outcome, Store, UserHasher, Vote};

/// The question log and votes, with the key that hashes user ids.
#[derive(Clone, Debug)]
pub struct Feedback {
    pub store: Store,
    pub hasher: UserHasher,
    /// `DOSSIER_QUESTION_LOG`: when off, nothing is logged and answers carry no vote buttons.
    pub log_questions: bool,
}

const DAY: i64 = 86_400;

impl App {
    /// An answer as the reply's body: logged when it came through Discord or the console, and
    /// given vote buttons when it came through Discord.
    pub(super) fn answered(&self, request: &Request, answer: Answer) -> Body {
        let (Some(feedback), Some(origin), Command::Ask { question, .. }) =
            (&self.feedback, request.origin, &request.command)
        else {
            return Body::Answer(answer, None);
        };
        if !feedback.log_questions {
            return Body::Answer(answer, None);
        }
        let outcome = match answer.hits.first() {
            None => Outcome::Abstained,
            Some(_) if answer.unsure() => Outcome::Unsure,
            Some(_) => Outcome::Answered,
        };
        let id = store::new_id(question);
        feedback.store.log(Asked {
            id,
            at: store::now(),
            transport: origin.transport.name(),
            guild: origin.guild,
            channel: origin.channel,
            user_hash: feedback.hasher.hash(origin.user),
            question: question.clone(),
            outcome,
            hit: answer
                .hits
                .first()
                .map(|h| (h.document.clone(), h.paragraph)),
            confidence: answer.confidence,
            generation: self.engine.snapshot().info.built_at as i64,
        });
        let votable = matches!(origin.transport, Transport::Gateway | Transport::Http)
            && !answer.hits.is_empty();
        Body::Answer(answer, votable.then_some(id))
    }

    /// Stores a vote, then acknowledges it; a 👎 from its button (`reason` is `None`) asks for
    /// a reason next; one from the form is a vote with the reason typed, if any.
    pub(super) fn vote(
        &self,
        origin: Option<Origin>,
        question: i64,
        helpful: bool,
        reason: &Option<String>,
    ) -> Reply {
        let (Some(feedback), Some(origin)) = (&self.feedback, origin) else {
            return Reply::notice(Notice::Error, "Votes are not recorded here.");
        };
        let typed = reason.clone().filter(|r| !r.is_empty());
        let vote = Vote {
            question,
            user_hash: feedback.hasher.hash(origin.user),
            helpful,
            reason: typed.clone(),
            at: store::now(),
        };
        match feedback.store.vote(vote) {
            Ok(false) => Reply::notice(
                Notice::Error,
                "That answer is not in the log (it may have expired), so the vote was not counted.",
            ),
            Ok(true) if !helpful && reason.is_none() => Reply {
                ephemeral: true,
                body: Body::AskReason { question },
            },
            Ok(true) => Reply {
                ephemeral: true,
                body: Body::Voted {
                    helpful,
                    reason: typed,
                },
            },
            Err(err) => {
                warn!(error = %err, "vote not stored");
                Reply::notice(
                    Notice::Error,
                    "Your vote could not be stored just now; please try again in a moment.",
                )
            }
        }
    }

    /// A page of the gaps of the last `days` (all of them on the command line).
    pub(super) fn gaps(&self, request: &Request, days: u32, offset: usize) -> Reply {
        let gaps = match self.read_gaps(days) {
            Ok(gaps) => gaps,
            Err(why) => return Reply::notice(Notice::Error, why),
        };
        let total = gaps.len();
        let per_page = if request.unpaged {
            total.max(1)
        } else {
            GAPS_PAGE
        };
        let page = gaps.into_iter().skip(offset).take(per_page).collect();
        Reply {
            ephemeral: true,
            body: Body::Gaps {
                gaps: page,
                offset,
                total,
                command: request.command.clone(),
            },
        }
    }

    /// Every gap of the last `days`, for the CSV file.
    pub(super) fn export_gaps(&self, days: u32) -> Reply {
        match self.read_gaps(days) {
            Ok(gaps) => Reply {
                ephemeral: true,
                body: Body::GapsFile { gaps, days },
            },
            Err(why) => Reply::notice(Notice::Error, why),
        }
    }

    /// The gaps of the last `days`, or why they cannot be read (for the user).
    fn read_gaps(&self, days: u32) -> Result<Vec<store::Gap>, &'static str> {
        let Some(feedback) = &self.feedback else {
            return Err("There is no question log here.");
        };
        feedback
            .store
            .gaps(store::now() - i64::from(days) * DAY)
            .map_err(|err| {
                warn!(error = %err, "gaps not read");
                "The question log cannot be read just now; please try again in a moment."
            })
    }

    /// Whether the database answers: `None` when there is none.
    pub fn database_reachable(&self) -> Option<Result<(), String>> {
        let feedback = self.feedback.as_ref()?;
        Some(feedback.store.ping().map_err(|err| err.to_string()))
    }

    /// Question-log rows dropped since start.
    pub fn dropped_log_rows(&self) -> u64 {
        self.feedback.as_ref().map_or(0, |f| f.store.dropped())
    }

    /// This week's figures for `/about`, when there is a question log that answers.
    pub(super) fn week(&self) -> Option<store::Figures> {
        let feedback = self.feedback.as_ref()?;
        feedback
            .store
            .figures(store::now() - 7 * DAY)
            .map_err(|err| warn!(error = %err, "figures not read"))
            .ok()
    }
}
