//! A reply as console text: the same content the embed shows, without markdown.

use std::fmt::Write as _;

use super::human_dates;
use crate::bot::command::slash;
use crate::bot::follow::short;
use crate::bot::reply::{Body, Notice, Reply};
use crate::search::{Answer, BuildInfo, SearchPage, TimelinePage};
use crate::store::{Figures, Gap};

pub fn render(reply: &Reply) -> String {
    let mut out = text(reply);
    if let Body::Answer(answer, _) = &reply.body
        && let Some(why) = &answer.explain
    {
        out.push_str(&explanation(why));
    }
    printable(&out)
}

/// `ask --explain` as text: the answerability and the largest shares of its log-odds, then each
/// top candidate's score and its largest signal contributions.
fn explanation(why: &crate::search::Explanation) -> String {
    fn largest(shares: &[(&'static str, f32)], n: usize) -> String {
        let mut shares: Vec<&(&str, f32)> = shares.iter().filter(|s| s.1 != 0.0).collect();
        shares.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        let shown: Vec<String> = shares
            .iter()
            .take(n)
            .map(|(name, v)| format!("{name} {v:+.2}"))
            .collect();
        shown.join(", ")
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Why: answerable {:.2} (refused below {:.2}); {}",
        why.answerable,
        why.refuse_below,
        largest(&why.answerable_contributions, 5)
    );
    for (i, c) in why.candidates.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {}. {} ¶{} score {:.2}: {}",
            i + 1,
            c.document,
            c.paragraph,
            c.score,
            largest(&c.contributions, 4)
        );
    }
    out
}

/// Text made safe for a terminal: control characters from user text or documents (escape
/// sequences that recolour, move the cursor or retitle the window) are dropped; line breaks
/// and tabs stay.
pub fn printable(text: &str) -> String {
    text.chars()
        .filter(|&c| !c.is_control() || c == '\n' || c == '\t')
        .collect()
}

fn text(reply: &Reply) -> String {
    let mut out = String::new();
    match &reply.body {
        Body::Answer(answer, _) => answer_text(&mut out, answer),
        Body::Search { page, .. } => search_text(&mut out, page),
        Body::Timeline { page, .. } => timeline_text(&mut out, page),
        Body::About(info, figures, disagrees) => {
            about_text(&mut out, info, figures.as_ref(), disagrees.as_deref())
        }
        Body::Voted { helpful, reason } => {
            let mark = if *helpful { "👍" } else { "👎" };
            let because = reason
                .as_ref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            let _ = writeln!(out, "Thanks — noted {mark}{because}");
        }
        Body::AskReason { .. } => out.push_str("Thanks — noted 👎\n"),
        Body::AskFollowUp { earlier } => {
            let _ = writeln!(
                out,
                "Ask a follow-up to \"{earlier}\" with /followup QUESTION."
            );
        }
        Body::Documents(documents) => {
            for d in documents {
                let _ = writeln!(
                    out,
                    "{}: {} ({} paragraphs, {} events)",
                    d.id, d.title, d.paragraphs, d.events
                );
            }
        }
        Body::History(changes) => {
            if changes.is_empty() {
                out.push_str("No changes yet.\n");
            }
            for c in changes {
                let _ = writeln!(
                    out,
                    "{} {} {} ({} → {})",
                    super::utc(c.at.max(0) as u64),
                    c.action,
                    c.target,
                    c.before.as_deref().unwrap_or("—"),
                    c.after.as_deref().unwrap_or("—")
                );
            }
        }
        Body::Gaps {
            gaps,
            offset,
            total,
            ..
        } => gaps_text(&mut out, gaps, *offset, *total),
        Body::GapsFile { gaps, .. } => {
            out.push_str(&String::from_utf8_lossy(&super::gaps_csv(gaps).0));
        }
        Body::Reindexed(summary) => {
            let _ = writeln!(out, "{}", summary.to_string().trim_end());
        }
        Body::Help => {
            let _ = writeln!(
                out,
                "{}\nA line without a command is a question. Ctrl-D exits.",
                slash::help()
            );
        }
        Body::Notice(kind, text) => {
            let prefix = match kind {
                Notice::Error => "Error",
                Notice::Refused => "Refused",
                Notice::Cooldown => "Cooldown",
            };
            let _ = writeln!(out, "{prefix}: {text}");
        }
    }
    out
}

fn answer_text(out: &mut String, answer: &Answer) {
    if let Some(fixed) = &answer.did_you_mean {
        let _ = writeln!(out, "Did you mean: {fixed}");
    }
    if let Some(asked) = &answer.understood_as {
        let _ = writeln!(out, "Understood as: {asked}");
    }
    match answer.hits.first() {
        None => {
            out.push_str("The article does not answer that.\n");
            if !answer.nearest.is_empty() {
                let _ = writeln!(out, "Nearest topics: {}", answer.nearest.join(" · "));
            }
        }
        Some(top) => {
            if answer.unsure() {
                out.push_str("Not sure the article answers this; the closest passage:\n");
            }
            let _ = writeln!(out, "» {}", top.answer);
            if !top.dates.is_empty() {
                let _ = writeln!(out, "  Date: {}", human_dates(&top.dates));
            }
            let heading = top
                .heading
                .as_ref()
                .map(|h| format!(" · “{h}”"))
                .unwrap_or_default();
            let _ = writeln!(out, "  Source: {}{heading} · ¶{}", top.title, top.paragraph);
            if top.text != top.answer {
                let _ = writeln!(out, "  Passage: {}", top.text);
            }
            for hit in answer.hits.iter().skip(1).take(2) {
                let _ = writeln!(out, "  Also relevant, ¶{}: {}", hit.paragraph, hit.answer);
            }
        }
    }
}

fn search_text(out: &mut String, page: &SearchPage) {
    if let Some(fixed) = &page.did_you_mean {
        let _ = writeln!(out, "Did you mean: {fixed}");
    }
    if page.hits.is_empty() {
        out.push_str("No passage matches those words.\n");
    }
    for (i, hit) in page.hits.iter().enumerate() {
        let fragment = hit
            .snippet
            .as_ref()
            .map_or(hit.answer.as_str(), |s| s.fragment.as_str());
        let _ = writeln!(
            out,
            "{}. ¶{}: {}",
            page.offset + i + 1,
            hit.paragraph,
            fragment
        );
    }
    if !page.hits.is_empty() {
        let range = super::page_range("results", page.offset, page.hits.len(), page.total);
        let _ = writeln!(out, "({range})");
    }
}

fn timeline_text(out: &mut String, page: &TimelinePage) {
    if page.events.is_empty() {
        out.push_str("No dated events match.\n");
    }
    for e in &page.events {
        let _ = writeln!(
            out,
            "{:<18} {} (¶{})",
            e.date.to_string(),
            e.text,
            e.paragraph
        );
    }
    if !page.events.is_empty() {
        let range = super::page_range("events", page.offset, page.events.len(), page.total);
        let _ = writeln!(out, "({range})");
    }
}

fn about_text(
    out: &mut String,
    info: &BuildInfo,
    figures: Option<&Figures>,
    disagrees: Option<&str>,
) {
    for d in &info.documents {
        let by = d
            .author
            .as_ref()
            .map(|a| format!(" by {a}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}{by}: {} paragraphs, {} events",
            d.title, d.paragraphs, d.events
        );
    }
    let _ = writeln!(
        out,
        "{} paragraphs, {} events; index built {}, generation {}; dossier {}",
        info.paragraphs,
        info.events,
        super::utc(info.built_at),
        short(&info.data_hash),
        info.version
    );
    if let Some(announced) = disagrees {
        let _ = writeln!(
            out,
            "Warning: another process announced generation {}; this data directory holds other data.",
            short(announced)
        );
    }
    if let Some(f) = figures {
        let _ = writeln!(
            out,
            "This week: {} questions, {} answered, 👍 {} · 👎 {}, {} log rows dropped",
            f.questions, f.answered, f.up_votes, f.down_votes, f.dropped
        );
    }
}

fn gaps_text(out: &mut String, gaps: &[Gap], offset: usize, total: usize) {
    if gaps.is_empty() {
        out.push_str("No gaps: every question was answered, and none was voted 👎.\n");
    }
    for gap in gaps {
        let reasons = if gap.reasons.is_empty() {
            String::new()
        } else {
            format!(" — {}", gap.reasons.join("; "))
        };
        let _ = writeln!(
            out,
            "×{:<3} {} (unanswered {}, unsure {}, 👎 {}){reasons}",
            gap.count, gap.question, gap.abstained, gap.unsure, gap.down_votes
        );
    }
    if !gaps.is_empty() {
        let range = super::page_range("gaps", offset, gaps.len(), total);
        let _ = writeln!(out, "({range})");
    }
}
