//! A reply as a Discord message: embeds, page buttons, ephemeral flag. Article text is escaped;
//! everything is cut to Discord's limits by [`Message::fit`].

use std::ops::Range;

use crate::search::{
    BuildInfo, Hit, Progress, ReindexSummary, SearchPage, TimelineEvent, TimelinePage,
};
use crate::store::Figures;

use super::{Button, Embed, Field, File, Message, chart, escape, fit, page_range, passage_link};
use crate::bot::command::{Command, Request, TIMELINE_PAGE};
use crate::bot::follow::short;
use crate::bot::reply::{Body, Notice, Reply};

mod answer;
use answer::answer_message;
mod feedback;

/// The name of the timeline's picture among the message's files.
const CHART_FILE: &str = "timeline.png";
const BLUE: u32 = 0x3b82f6;
const GREY: u32 = 0x6b7280;
const GREEN: u32 = 0x16a34a;
/// A passage longer than this shows only its answer sentence.
const PASSAGE_MAX: usize = 3000;

/// How far a deferred reindex has come, shown in its deferral until the reply replaces it.
pub fn progress(p: Progress) -> Message {
    let percent = p.encoded * 100 / p.to_encode.max(1);
    Message {
        content: Some(format!(
            "⏳ Indexing… {percent} % encoded ({} of {} paragraphs and sentences).",
            p.encoded, p.to_encode
        )),
        ..Message::default()
    }
}

pub fn render(reply: &Reply) -> Message {
    let mut message = match &reply.body {
        Body::Answer(answer, feedback) => {
            let mut message = answer_message(answer);
            if let Some(question) = feedback {
                message.buttons = feedback::vote_buttons(*question);
            }
            let asked = answer.understood_as.as_ref().unwrap_or(&answer.question);
            message.buttons.push(Button {
                label: "Ask a follow-up".into(),
                custom_id: Request::followup_id(asked),
                disabled: false,
            });
            message
        }
        Body::Search {
            page,
            command,
            limit,
        } => search_message(page, command, *limit),
        Body::Timeline {
            page,
            command,
            charted,
        } => charted_timeline(page, command, charted.as_deref()),
        Body::About(info, figures, disagrees) => {
            about_with(info, figures.as_ref(), disagrees.as_deref())
        }
        Body::Reindexed(summary) => reindexed_message(summary),
        Body::Help => help_message(),
        Body::Voted { helpful, reason } => feedback::voted_message(*helpful, reason.as_deref()),
        Body::AskReason { question } => feedback::reason_form(*question),
        Body::AskFollowUp { earlier } => feedback::followup_form(earlier),
        Body::Documents(documents) => feedback::documents_message(documents),
        Body::History(changes) => feedback::history_message(changes),
        Body::Gaps {
            gaps,
            offset,
            total,
            command,
        } => feedback::gaps_message(gaps, *offset, *total, command),
        Body::GapsFile { gaps, days } => feedback::gaps_file_message(gaps, *days),
        Body::Notice(kind, text) => Message {
            content: Some(match kind {
                Notice::Error => format!("⚠️ {text}"),
                Notice::Refused => format!("⛔ {text}"),
                Notice::Cooldown => format!("⏳ {text}"),
            }),
            ..Message::default()
        },
    };
    message.ephemeral = reply.ephemeral;
    message.fit()
}

/// A timeline page, with the picture of `charted` (every event asked for) when given.
fn charted_timeline(
    page: &TimelinePage,
    command: &Command,
    charted: Option<&[TimelineEvent]>,
) -> Message {
    let mut message = timeline_message(page, command);
    if let (
        Some(events),
        Command::Timeline {
            from, to, topic, ..
        },
    ) = (charted, command)
        && let Some(png) = chart::png(events, *from, *to, topic)
    {
        if let Some(embed) = message.embeds.first_mut() {
            embed.image = Some(format!("attachment://{CHART_FILE}"));
        }
        message.files.push(File {
            name: CHART_FILE.into(),
            bytes: png,
        });
    }
    message
}

/// `/about`, with the week's figures and a warning when another process announced other data.
fn about_with(info: &BuildInfo, figures: Option<&Figures>, disagrees: Option<&str>) -> Message {
    let mut message = about_message(info);
    if let Some(embed) = message.embeds.first_mut() {
        if let Some(figures) = figures {
            embed.fields.push(feedback::week_field(figures));
        }
        if let Some(announced) = disagrees {
            embed.fields.push(Field {
                name: "⚠️ Not the announced generation".into(),
                value: format!(
                    "Another process announced data `{}`; this one's data directory holds other data.",
                    short(announced)
                ),
                inline: false,
            });
        }
    }
    message
}

fn source(hit: &Hit) -> String {
    let mut parts = vec![escape(&hit.title)];
    if let Some(heading) = &hit.heading {
        parts.push(format!("“{}”", escape(heading)));
    }
    // The paragraph number opens the passage when the document has a url.
    match hit
        .url
        .as_deref()
        .and_then(|url| passage_link(url, &hit.answer))
    {
        Some(link) => parts.push(format!("[¶{}]({link})", hit.paragraph)),
        None => parts.push(format!("¶{}", hit.paragraph)),
    }
    parts.join(" · ")
}

/// `text[range]` escaped, with the `bold` ranges inside it in bold.
fn marked(text: &str, range: Range<usize>, bold: &[Range<usize>]) -> String {
    let mut out = String::new();
    let mut at = range.start;
    for b in bold {
        let start = b.start.max(at);
        let end = b.end.min(range.end);
        if start >= end {
            continue;
        }
        out.push_str(&escape(&text[at..start]));
        out.push_str("**");
        out.push_str(&escape(&text[start..end]));
        out.push_str("**");
        at = end;
    }
    out.push_str(&escape(&text[at..range.end]));
    out
}

/// Sorted ranges on character boundaries of `text`, merged when they overlap or only
/// whitespace separates them.
fn clean_ranges(text: &str, ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut sorted: Vec<Range<usize>> = ranges
        .iter()
        .filter(|r| {
            r.start < r.end
                && r.end <= text.len()
                && text.is_char_boundary(r.start)
                && text.is_char_boundary(r.end)
        })
        .cloned()
        .collect();
    sorted.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in sorted {
        match merged.last_mut() {
            // Words next to each other make one bold run, not "**a** **b**".
            Some(last) if r.start <= last.end || text[last.end..r.start].trim().is_empty() => {
                last.end = last.end.max(r.end)
            }
            _ => merged.push(r),
        }
    }
    merged
}

/// Previous / Next buttons for a paged reply; none when everything fits on one page.
pub(super) fn page_buttons(
    command: &Command,
    offset: usize,
    per_page: usize,
    total: usize,
) -> Vec<Button> {
    if total <= per_page && offset == 0 {
        return Vec::new();
    }
    let prev = offset.saturating_sub(per_page);
    let next = offset + per_page;
    let (Some(prev_id), Some(next_id)) = (
        Request::page_id(command, prev),
        Request::page_id(command, next),
    ) else {
        return Vec::new();
    };
    // Two buttons may not share an id; the disabled "Previous" of page one points nowhere.
    let prev_id = if offset == 0 {
        "first-page".to_string()
    } else {
        prev_id
    };
    vec![
        Button {
            label: "◀ Previous".into(),
            custom_id: prev_id,
            disabled: offset == 0,
        },
        Button {
            label: "Next ▶".into(),
            custom_id: next_id,
            disabled: next >= total,
        },
    ]
}

fn search_message(page: &SearchPage, command: &Command, limit: usize) -> Message {
    let mut lines = Vec::new();
    for (i, hit) in page.hits.iter().enumerate() {
        let fragment = match &hit.snippet {
            Some(snippet) if !snippet.fragment.is_empty() => {
                let ranges = clean_ranges(&snippet.fragment, &snippet.highlighted);
                marked(&snippet.fragment, 0..snippet.fragment.len(), &ranges)
            }
            _ => escape(&hit.answer),
        };
        lines.push(format!(
            "**{}.** {} — {}",
            page.offset + i + 1,
            source(hit),
            fit(&fragment, 600)
        ));
    }
    let description = if lines.is_empty() {
        "No passage matches those words.".to_string()
    } else {
        lines.join("\n\n")
    };
    let shown = page_range("Results", page.offset, page.hits.len(), page.total);
    Message {
        content: page
            .did_you_mean
            .as_ref()
            .map(|f| format!("*Did you mean:* {}", escape(f))),
        embeds: vec![Embed {
            title: Some(format!("Search: {}", fit(&escape(&page.query), 200))),
            description: Some(description),
            footer: Some(shown),
            color: BLUE,
            ..Embed::default()
        }],
        buttons: page_buttons(command, page.offset, limit, page.total),
        ..Message::default()
    }
}

fn timeline_message(page: &TimelinePage, command: &Command) -> Message {
    let Command::Timeline {
        from, to, topic, ..
    } = command
    else {
        return Message::default();
    };
    let mut title = "Timeline".to_string();
    if !topic.is_empty() {
        title.push_str(&format!(": {}", fit(&escape(topic), 150)));
    }
    match (from, to) {
        (Some(f), Some(t)) => title.push_str(&format!(" ({f} – {t})")),
        (Some(f), None) => title.push_str(&format!(" (from {f})")),
        (None, Some(t)) => title.push_str(&format!(" (to {t})")),
        (None, None) => {}
    }
    // Each line gets an equal share of the description.
    let share = 4000 / TIMELINE_PAGE.max(1) - 20;
    let lines: Vec<String> = page
        .events
        .iter()
        .map(|e| {
            format!(
                "**{}** — {} *(¶{})*",
                e.date,
                fit(&escape(&e.text), share),
                e.paragraph
            )
        })
        .collect();
    let description = if lines.is_empty() {
        "No dated events match.".to_string()
    } else {
        lines.join("\n")
    };
    let shown = page_range("Events", page.offset, page.events.len(), page.total);
    Message {
        embeds: vec![Embed {
            title: Some(title),
            description: Some(description),
            footer: Some(shown),
            color: BLUE,
            ..Embed::default()
        }],
        buttons: page_buttons(command, page.offset, TIMELINE_PAGE, page.total),
        ..Message::default()
    }
}

fn about_message(info: &BuildInfo) -> Message {
    let documents: Vec<String> = info
        .documents
        .iter()
        .map(|d| {
            let by = d
                .author
                .as_ref()
                .map(|a| format!(" by {}", escape(a)))
                .unwrap_or_default();
            format!(
                "**{}**{by} — {} paragraphs, {} events",
                escape(&d.title),
                d.paragraphs,
                d.events
            )
        })
        .collect();
    Message {
        embeds: vec![Embed {
            title: Some("About dossier".into()),
            description: Some(format!(
                "Answers questions about the documents below: the passage, the sentence that matters, and the dates.\n\n{}",
                documents.join("\n")
            )),
            fields: vec![
                Field {
                    name: "Paragraphs".into(),
                    value: info.paragraphs.to_string(),
                    inline: true,
                },
                Field {
                    name: "Events".into(),
                    value: info.events.to_string(),
                    inline: true,
                },
                Field {
                    name: "Index built".into(),
                    value: format!("<t:{}:f>", info.built_at),
                    inline: true,
                },
                Field {
                    name: "Generation".into(),
                    value: format!("data `{}`", short(&info.data_hash)),
                    inline: true,
                },
            ],
            footer: Some(format!("dossier {}", info.version)),
            color: GREY,
            image: None,
        }],
        ..Message::default()
    }
}

fn reindexed_message(summary: &ReindexSummary) -> Message {
    Message {
        embeds: vec![Embed {
            title: Some("Index rebuilt".into()),
            description: Some(escape(summary.to_string().trim_end())),
            color: GREEN,
            ..Embed::default()
        }],
        ..Message::default()
    }
}

fn help_message() -> Message {
    Message {
        embeds: vec![Embed {
            title: Some("dossier commands".into()),
            description: Some(crate::bot::command::slash::help().into()),
            color: GREY,
            ..Embed::default()
        }],
        ..Message::default()
    }
}

#[cfg(test)]
mod tests;
