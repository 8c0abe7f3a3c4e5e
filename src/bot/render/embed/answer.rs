//! An answer as a Discord message: the answer sentence with its exact phrase in bold, the
//! passage around it, its dates and source, and the buttons under it.

use std::ops::Range;

use super::{BLUE, GREY, PASSAGE_MAX, clean_ranges, marked, source};
use crate::bot::render::{Embed, Field, Message, escape, fit, human_dates, passage_link};
use crate::search::{Answer, Hit};

fn footer(title: &str, author: Option<&str>) -> String {
    match author {
        Some(author) => format!("{title} — {author}"),
        None => title.to_string(),
    }
}

/// The passage with its answer sentence underlined and, in bold, the phrase that answers (or,
/// without one, the question's words).
fn passage(hit: &Hit) -> String {
    let text = &hit.text;
    let answer = if hit.answer_range.end <= text.len()
        && text.is_char_boundary(hit.answer_range.start)
        && text.is_char_boundary(hit.answer_range.end)
        && hit.answer_range.start < hit.answer_range.end
    {
        hit.answer_range.clone()
    } else {
        0..text.len()
    };
    let span: Option<Range<usize>> = hit.answer_span.as_deref().and_then(|span| {
        let at = text[answer.clone()].find(span)? + answer.start;
        Some(at..at + span.len())
    });
    let bold = match span {
        Some(span) => clean_ranges(text, std::slice::from_ref(&span)),
        None => clean_ranges(text, &hit.matches),
    };
    let sentence = format!("__{}__", marked(text, answer.clone(), &bold));
    if text.chars().count() > PASSAGE_MAX {
        let before = if answer.start > 0 { "… " } else { "" };
        let after = if answer.end < text.len() { " …" } else { "" };
        return format!("{before}{sentence}{after}");
    }
    format!(
        "{}{sentence}{}",
        escape(&text[..answer.start]),
        escape(&text[answer.end..])
    )
}

pub(super) fn answer_message(answer: &Answer) -> Message {
    let lines: Vec<String> = [
        answer
            .did_you_mean
            .as_ref()
            .map(|fixed| format!("*Did you mean:* {}", escape(fixed))),
        answer
            .understood_as
            .as_ref()
            .map(|asked| format!("*Understood as:* {}", fit(&escape(asked), 600))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let content = (!lines.is_empty()).then(|| lines.join("\n"));
    let Some(top) = answer.hits.first() else {
        return refusal_message(answer, content);
    };
    let fields = answer_fields(answer, top);
    let content = if answer.unsure() {
        let unsure = "Not sure the article answers this; here is the closest passage.";
        Some(content.map_or(unsure.to_string(), |c| format!("{c}\n{unsure}")))
    } else {
        content
    };
    Message {
        content,
        embeds: vec![Embed {
            title: Some(fit(&escape(&answer.question), 200)),
            description: Some(passage(top)),
            fields,
            footer: Some(footer(&top.title, top.author.as_deref())),
            color: if answer.unsure() { GREY } else { BLUE },
            image: None,
        }],
        links: top
            .url
            .as_deref()
            .and_then(|url| passage_link(url, &top.answer))
            .map(|link| ("Source".to_string(), link))
            .into_iter()
            .collect(),
        ..Message::default()
    }
}

/// A refusal: the question, that the article does not answer it, and the nearest topics.
fn refusal_message(answer: &Answer, content: Option<String>) -> Message {
    let mut description =
        "The article does not answer that. Try other words, or `/search` for passages.".to_string();
    if !answer.nearest.is_empty() {
        description.push_str("\n\n**Nearest topics:** ");
        description.push_str(
            &answer
                .nearest
                .iter()
                .map(|t| escape(t))
                .collect::<Vec<_>>()
                .join(" · "),
        );
    }
    Message {
        content,
        embeds: vec![Embed {
            title: Some(fit(&escape(&answer.question), 200)),
            description: Some(description),
            color: GREY,
            ..Embed::default()
        }],
        ..Message::default()
    }
}

/// The first hit's dates and source, and the next two hits as "Also relevant".
fn answer_fields(answer: &Answer, top: &Hit) -> Vec<Field> {
    let mut fields = Vec::new();
    if !top.dates.is_empty() {
        fields.push(Field {
            name: if top.dates.len() == 1 {
                "Date"
            } else {
                "Dates"
            }
            .into(),
            value: human_dates(&top.dates),
            inline: true,
        });
    }
    fields.push(Field {
        name: "Source".into(),
        value: source(top),
        inline: true,
    });
    let also: Vec<String> = answer
        .hits
        .iter()
        .skip(1)
        .take(2)
        .map(|hit| {
            let dates = if hit.dates.is_empty() {
                String::new()
            } else {
                format!(" ({})", human_dates(&hit.dates))
            };
            format!(
                "• ¶{}{dates}: {}",
                hit.paragraph,
                fit(&escape(&hit.answer), 300)
            )
        })
        .collect();
    if !also.is_empty() {
        fields.push(Field {
            name: "Also relevant".into(),
            value: also.join("\n"),
            inline: false,
        });
    }
    fields
}
