//! Topics: what a timeline can be filtered by, and their completion.

use std::collections::HashMap;

use super::context::Context;
use super::evidence::NOT_NAMES;
use super::question;
use crate::corpus::date;

pub fn topics(ctx: &Context, prefix: &str, limit: usize) -> Vec<String> {
    let needle = question::clean(prefix).to_lowercase();
    let all = &ctx.snap.info.topics;
    let mut starts: Vec<&String> = all
        .iter()
        .filter(|t| t.to_lowercase().starts_with(&needle))
        .collect();
    let contains = all.iter().filter(|t| {
        let l = t.to_lowercase();
        !l.starts_with(&needle) && l.contains(&needle)
    });
    starts.extend(contains);
    starts.into_iter().take(limit).cloned().collect()
}

/// Names, places and subjects of the events, most frequent first: what a timeline can be
/// filtered by.
pub fn event_topics<'a>(events: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for text in events {
        let mut run: Vec<&str> = Vec::new();
        let words: Vec<&str> = text.split_whitespace().collect();
        for (i, raw) in words.iter().enumerate() {
            let w = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
            let w = w
                .strip_suffix("’s")
                .or_else(|| w.strip_suffix("'s"))
                .unwrap_or(w);
            let capital = w.chars().next().is_some_and(char::is_uppercase);
            let lower = w.to_lowercase();
            let skip = crate::corpus::words::is_stopword(&lower)
                || date::recognise(w).len() == 1
                || date::is_month(&lower)
                || ["last", "new"].contains(&lower.as_str());
            if capital && !skip && w.chars().count() > 1 {
                run.push(w);
            }
            let ends =
                !capital || skip || raw.ends_with([',', '.', ';', ':']) || i + 1 == words.len();
            if ends && !run.is_empty() {
                *counts.entry(run.join(" ")).or_default() += 1;
                if run.len() > 1 {
                    for single in &run {
                        if !NOT_NAMES.contains(&single.to_lowercase().as_str()) {
                            *counts.entry((*single).to_string()).or_default() += 1;
                        }
                    }
                }
                run.clear();
            }
        }
    }
    let mut list: Vec<(String, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.into_iter().map(|(t, _)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_topics_are_names_most_frequent_first() {
        let events = [
            "In 2014 Russia lifted the arms embargo on Pakistan.",
            "On August 20, 2015 Pakistan and Russia signed a defence deal.",
            "Vladimir Putin accepted the invitation to visit Pakistan.",
        ];
        let topics = event_topics(events.into_iter());
        assert_eq!(topics[0], "Pakistan", "{topics:?}");
        assert!(topics.contains(&"Russia".to_string()), "{topics:?}");
        assert!(topics.contains(&"Vladimir Putin".to_string()), "{topics:?}");
        assert!(topics.contains(&"Putin".to_string()), "{topics:?}");
        for not_a_topic in ["In", "On", "August", "2014", "2015"] {
            assert!(!topics.contains(&not_a_topic.to_string()), "{topics:?}");
        }
    }
}
