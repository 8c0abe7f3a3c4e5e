//! The feedback parts of Discord messages: vote buttons on answers, the acknowledgement, the
//! form asking why an answer was not helpful, `/gaps`, and this week's figures in `/about`.

use super::{GREY, page_buttons};
use crate::bot::command::{Command, GAPS_PAGE, QUESTION_MAX, REASON_MAX, Request};
use crate::bot::render::{
    Button, CSV_MAX_BYTES, Embed, Field, File, Form, Message, escape, fit, gaps_csv, page_range,
};
use crate::search::DocumentInfo;
use crate::store::{Change, Figures, Gap};

/// 👍 and 👎 under an answer.
pub(super) fn vote_buttons(question: i64) -> Vec<Button> {
    vec![
        Button {
            label: "👍 Helpful".into(),
            custom_id: Request::vote_id(question, true),
            disabled: false,
        },
        Button {
            label: "👎 Not helpful".into(),
            custom_id: Request::vote_id(question, false),
            disabled: false,
        },
    ]
}

pub(super) fn voted_message(helpful: bool, reason: Option<&str>) -> Message {
    let text = match (helpful, reason) {
        (true, _) => "Thanks — noted 👍".to_string(),
        (false, Some(reason)) => format!("Thanks — noted 👎: {}", escape(reason)),
        (false, None) => "Thanks — noted 👎".to_string(),
    };
    Message {
        content: Some(text),
        ..Message::default()
    }
}

/// The form asking for a follow-up question to `earlier`.
pub(super) fn followup_form(earlier: &str) -> Message {
    Message {
        form: Some(Form {
            custom_id: Request::followup_form_id(earlier),
            title: "Ask a follow-up".into(),
            label: "Your follow-up question".into(),
            placeholder: fit(&format!("e.g. and when was that? — after: {earlier}"), 100),
            max_length: QUESTION_MAX,
            required: true,
        }),
        ..Message::default()
    }
}

pub(super) fn reason_form(question: i64) -> Message {
    Message {
        form: Some(Form {
            custom_id: Request::form_id(question),
            title: "What was wrong with the answer?".into(),
            label: "What was wrong (optional)".into(),
            placeholder: "wrong passage / wrong date / not in the article / other".into(),
            max_length: REASON_MAX,
            required: false,
        }),
        ..Message::default()
    }
}

pub(super) fn gaps_message(
    gaps: &[Gap],
    offset: usize,
    total: usize,
    command: &Command,
) -> Message {
    let days = match command {
        Command::Gaps { days, .. } => *days,
        _ => 7,
    };
    let fields = gaps
        .iter()
        .map(|gap| {
            let mut what = Vec::new();
            if gap.abstained > 0 {
                what.push(format!("unanswered {}", gap.abstained));
            }
            if gap.unsure > 0 {
                what.push(format!("unsure {}", gap.unsure));
            }
            if gap.down_votes > 0 {
                what.push(format!("👎 {}", gap.down_votes));
            }
            let mut value = format!("{} · last <t:{}:R>", what.join(" · "), gap.last_asked);
            if !gap.reasons.is_empty() {
                let reasons: Vec<String> = gap.reasons.iter().map(|r| escape(r)).collect();
                value.push_str(&format!("\nReasons: {}", reasons.join("; ")));
            }
            Field {
                name: fit(&format!("×{} {}", gap.count, gap.question), 256),
                value,
                inline: false,
            }
        })
        .collect();
    let description = (total == 0).then(|| {
        format!("Every question of the last {days} days was answered, and none was voted 👎.")
    });
    Message {
        embeds: vec![Embed {
            title: Some(format!("Gaps of the last {days} days")),
            description,
            fields,
            footer: Some(page_range("Gaps", offset, gaps.len(), total)),
            color: GREY,
            image: None,
        }],
        buttons: gaps_buttons(command, offset, total, days),
        ..Message::default()
    }
}

/// The page buttons, then "Export CSV" when there is something to export.
fn gaps_buttons(command: &Command, offset: usize, total: usize, days: u32) -> Vec<Button> {
    let mut buttons = page_buttons(command, offset, GAPS_PAGE, total);
    if total > 0 {
        buttons.push(Button {
            label: "Export CSV".into(),
            custom_id: Request::export_id(days),
            disabled: false,
        });
    }
    buttons
}

/// Every gap as a CSV attachment.
pub(super) fn gaps_file_message(gaps: &[Gap], days: u32) -> Message {
    let (bytes, rows) = gaps_csv(gaps);
    let which = match (rows, gaps.len()) {
        (1, 1) => "The one gap".to_string(),
        (rows, n) if rows == n => format!("All {n} gaps"),
        (rows, n) => format!(
            "The {rows} most asked of {n} gaps (a file stops at {} MiB)",
            CSV_MAX_BYTES / (1024 * 1024)
        ),
    };
    Message {
        content: Some(format!("{which} of the last {days} days, as CSV.")),
        files: vec![File {
            name: format!("dossier-gaps-{days}d.csv"),
            bytes,
        }],
        ..Message::default()
    }
}

pub(super) fn week_field(figures: &Figures) -> Field {
    let share = if figures.questions == 0 {
        "—".to_string()
    } else {
        format!(
            "{:.0}%",
            100.0 * figures.answered as f64 / figures.questions as f64
        )
    };
    let mut value = format!(
        "{} questions, {share} answered, 👍 {} · 👎 {}",
        figures.questions, figures.up_votes, figures.down_votes
    );
    if figures.dropped > 0 {
        value.push_str(&format!(" ({} log rows dropped)", figures.dropped));
    }
    Field {
        name: "This week".into(),
        value,
        inline: false,
    }
}

pub(super) fn documents_message(documents: &[DocumentInfo]) -> Message {
    let lines: Vec<String> = documents
        .iter()
        .map(|d| {
            format!(
                "`{}` — **{}**: {} paragraphs, {} events",
                d.id,
                escape(&d.title),
                d.paragraphs,
                d.events
            )
        })
        .collect();
    Message {
        embeds: vec![Embed {
            title: Some(format!("{} documents", documents.len())),
            description: Some(lines.join("\n")),
            color: GREY,
            ..Embed::default()
        }],
        ..Message::default()
    }
}

pub(super) fn history_message(changes: &[Change]) -> Message {
    let short = |hash: &Option<String>| {
        hash.as_deref()
            .map_or("—", |h| &h[..h.len().min(8)])
            .to_string()
    };
    let lines: Vec<String> = changes
        .iter()
        .map(|c| {
            format!(
                "<t:{}:f> **{}** {} ({} → {}, by {})",
                c.at,
                c.action,
                escape(&c.target),
                short(&c.before),
                short(&c.after),
                &c.user_hash[..c.user_hash.len().min(8)]
            )
        })
        .collect();
    Message {
        embeds: vec![Embed {
            title: Some("Changes made from Discord".into()),
            description: Some(if lines.is_empty() {
                "No changes yet.".into()
            } else {
                lines.join("\n")
            }),
            color: GREY,
            ..Embed::default()
        }],
        ..Message::default()
    }
}
