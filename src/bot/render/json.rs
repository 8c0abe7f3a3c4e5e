//! A reply as the JSON of `--json` (`../shared/CONTRACT.md`): one object per request. An
//! answer carries the question as the user wrote it; a failed request keeps the shape of what
//! was asked for (`hits: []`, `confidence: 0` for a question) and says why in `error`.

use serde_json::{Value, json};

use crate::bot::command::{Command, Request};
use crate::bot::reply::{Body, Reply};

pub fn render(request: &Request, reply: &Reply) -> Value {
    let mut value = match &reply.body {
        Body::Answer(answer, _) => serde_json::to_value(answer).and_then(|mut value| {
            if let (Some(explain), Some(object)) = (&answer.explain, value.as_object_mut()) {
                object.insert("explain".into(), serde_json::to_value(explain)?);
            }
            Ok(value)
        }),
        Body::Search { page, .. } => serde_json::to_value(page),
        Body::Timeline { page, .. } => serde_json::to_value(page),
        Body::About(info, figures, disagrees) => serde_json::to_value(info).map(|mut v| {
            v["week"] = json!(figures);
            v["announced_elsewhere"] = json!(disagrees);
            v
        }),
        Body::Reindexed(summary) => Ok(json!({"summary": summary.to_string().trim_end()})),
        Body::Help => Ok(json!({"help": crate::bot::command::slash::help()})),
        Body::Voted { helpful, reason } => Ok(json!({"helpful": helpful, "reason": reason})),
        Body::AskReason { question } => Ok(json!({"helpful": false, "question_id": question})),
        Body::AskFollowUp { earlier } => Ok(json!({"follow_up_to": earlier})),
        Body::Gaps { gaps, total, .. } => Ok(json!({"total": total, "gaps": gaps})),
        Body::GapsFile { gaps, .. } => Ok(json!({"total": gaps.len(), "gaps": gaps})),
        Body::Documents(documents) => Ok(json!({"documents": documents})),
        Body::History(changes) => Ok(json!({"changes": changes})),
        Body::Notice(_, text) => Ok(failed(&request.command, text)),
    }
    .unwrap_or_else(|err| json!({"error": err.to_string()}));
    if let (Command::Ask { question, .. }, Some(object)) = (&request.command, value.as_object_mut())
    {
        object.insert("question".into(), json!(question));
    }
    value
}

/// What a failed request answers: the shape of its success, empty, with the reason.
fn failed(command: &Command, reason: &str) -> Value {
    match command {
        Command::Ask { .. } | Command::FollowUp { .. } => {
            json!({"hits": [], "confidence": 0.0, "error": reason})
        }
        Command::Search { query, .. } => json!({"query": query, "hits": [], "error": reason}),
        Command::Timeline { .. } => json!({"events": [], "error": reason}),
        Command::Gaps { .. } | Command::ExportGaps { .. } => {
            json!({"gaps": [], "error": reason})
        }
        Command::About
        | Command::Reindex
        | Command::Help
        | Command::Vote { .. }
        | Command::Alias { .. }
        | Command::Documents
        | Command::RemoveDocument { .. }
        | Command::AddDocument { .. }
        | Command::History => {
            json!({"error": reason})
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::reply::Notice;

    #[test]
    fn a_failed_question_keeps_the_answer_shape() {
        let request = Request::from_line("/ask question: ?").unwrap();
        let reply = Reply::notice(Notice::Error, "The question is empty.");
        assert_eq!(
            render(&request, &reply),
            json!({"question": "?", "hits": [], "confidence": 0.0, "error": "The question is empty."})
        );
        let search = Request::from_line("/search embargo").unwrap();
        let value = render(&search, &reply);
        assert_eq!(
            (value["query"].as_str(), value["hits"].clone()),
            (Some("embargo"), json!([]))
        );
    }
}
