//! The one command model. A slash command, a button press, a console line and an HTTP
//! interaction all become a [`Request`]; only where it came from differs.

use crate::corpus::date::{Date, parse_user_date};

/// Search results per page when the user gives no limit.
pub const SEARCH_PAGE: usize = 5;
/// Timeline events per page.
pub const TIMELINE_PAGE: usize = 10;
/// Discord's limit on a component's `custom_id`.
const CUSTOM_ID_MAX: usize = 100;

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Ask {
        question: String,
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
}

/// A command with how its reply is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub command: Command,
    /// Only the user sees the reply (Discord's ephemeral flag).
    pub hide: bool,
    /// A page button was pressed: the reply replaces the message that holds the button.
    pub page_turn: bool,
}

/// A value of a slash-command option, whatever the transport.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Text(String),
    Integer(i64),
    Bool(bool),
}

/// Why input could not become a command; the text is written for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The options each command takes, in the order a console user may give them bare.
pub fn options_of(name: &str) -> &'static [&'static str] {
    match name {
        "ask" => &["question", "hide"],
        "search" => &["query", "limit", "hide"],
        "timeline" => &["from", "to", "topic", "hide"],
        _ => &[],
    }
}

impl Command {
    /// Rebuilding the index is slow: transports defer their reply first.
    pub fn is_slow(&self) -> bool {
        matches!(self, Command::Reindex)
    }

    /// The slash-command name.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Ask { .. } => "ask",
            Command::Search { .. } => "search",
            Command::Timeline { .. } => "timeline",
            Command::About => "about",
            Command::Reindex => "reindex",
            Command::Help => "help",
        }
    }
}

impl Request {
    /// A slash command and its options.
    pub fn from_slash(
        name: &str,
        options: &[(String, OptionValue)],
    ) -> Result<Request, UsageError> {
        let text = |key: &str| -> Option<String> {
            options.iter().find_map(|(k, v)| match v {
                OptionValue::Text(s) if k == key => Some(s.clone()),
                _ => None,
            })
        };
        let hide = options
            .iter()
            .any(|(k, v)| k == "hide" && *v == OptionValue::Bool(true));
        let required = |key: &str| {
            text(key)
                .filter(|s| !s.trim().is_empty())
                .ok_or_else(|| UsageError(format!("`/{name}` needs `{key}`.")))
        };
        let command = match name {
            "ask" => Command::Ask {
                question: required("question")?,
            },
            "search" => {
                let limit = options
                    .iter()
                    .find_map(|(k, v)| match v {
                        OptionValue::Integer(n) if k == "limit" => Some(*n),
                        _ => None,
                    })
                    .unwrap_or(SEARCH_PAGE as i64);
                if !(1..=10).contains(&limit) {
                    return Err(UsageError("`limit` must be between 1 and 10.".into()));
                }
                Command::Search {
                    query: required("query")?,
                    limit: limit as usize,
                    offset: 0,
                }
            }
            "timeline" => Command::Timeline {
                from: date_option("from", text("from"))?,
                to: date_option("to", text("to"))?,
                topic: text("topic").unwrap_or_default().trim().to_string(),
                offset: 0,
            },
            "about" => Command::About,
            "reindex" => Command::Reindex,
            "help" => Command::Help,
            other => return Err(UsageError(format!("There is no `/{other}` command."))),
        };
        if let Command::Timeline {
            from: Some(from),
            to: Some(to),
            ..
        } = &command
            && from.lo() > to.hi()
        {
            return Err(UsageError("`from` is after `to`.".into()));
        }
        Ok(Request {
            command,
            hide,
            page_turn: false,
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
        let known = options_of(&name);
        let mut options: Vec<(String, OptionValue)> = Vec::new();
        let mut current: Option<&str> = None;
        let mut words: Vec<&str> = Vec::new();
        let flush = |key: Option<&str>, words: &mut Vec<&str>, options: &mut Vec<_>| {
            if words.is_empty() {
                return Ok(());
            }
            let value = words.join(" ");
            words.clear();
            let key = match key {
                Some(k) => k,
                // Bare words fill the first option not given yet.
                None => known
                    .iter()
                    .copied()
                    .find(|k| !options.iter().any(|(n, _): &(String, OptionValue)| n == k))
                    .ok_or_else(|| UsageError(format!("`/{name}` takes no text here.")))?,
            };
            let parsed = match key {
                "hide" => OptionValue::Bool(matches!(value.as_str(), "true" | "yes" | "1")),
                "limit" => OptionValue::Integer(value.parse().map_err(|_| {
                    UsageError(format!("`limit` must be a number, not {value:?}."))
                })?),
                _ => OptionValue::Text(value),
            };
            options.push((key.to_string(), parsed));
            Ok(())
        };
        for word in rest.split_whitespace() {
            let key = word
                .strip_suffix(':')
                .map(str::to_lowercase)
                .and_then(|k| known.iter().copied().find(|o| *o == k));
            match key {
                Some(k) => {
                    flush(current, &mut words, &mut options)?;
                    current = Some(k);
                }
                None => words.push(word),
            }
        }
        flush(current, &mut words, &mut options)?;
        Request::from_slash(&name, &options)
    }

    /// A page button's `custom_id`, as made by [`Request::page_id`].
    pub fn from_custom_id(id: &str) -> Result<Request, UsageError> {
        let bad = || UsageError("That button is no longer valid.".into());
        let mut parts = id.splitn(2, ':');
        let kind = parts.next().ok_or_else(bad)?;
        let rest = parts.next().ok_or_else(bad)?;
        let command = match kind {
            "s" => {
                let mut p = rest.splitn(3, ':');
                let offset = p.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
                let limit: usize = p.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
                let query = p.next().ok_or_else(bad)?.to_string();
                if !(1..=10).contains(&limit) || query.is_empty() {
                    return Err(bad());
                }
                Command::Search {
                    query,
                    limit,
                    offset,
                }
            }
            "t" => {
                let mut p = rest.splitn(4, ':');
                let offset = p.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
                let date = |s: Option<&str>| -> Result<Option<Date>, UsageError> {
                    match s.ok_or_else(bad)? {
                        "" => Ok(None),
                        edtf => Date::parse_edtf(edtf).map(Some).ok_or_else(bad),
                    }
                };
                let from = date(p.next())?;
                let to = date(p.next())?;
                let topic = p.next().ok_or_else(bad)?.to_string();
                Command::Timeline {
                    from,
                    to,
                    topic,
                    offset,
                }
            }
            _ => return Err(bad()),
        };
        Ok(Request {
            command,
            hide: false,
            page_turn: true,
        })
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
            _ => return None,
        };
        (id.chars().count() <= CUSTOM_ID_MAX).then_some(id)
    }
}

fn date_option(name: &str, value: Option<String>) -> Result<Option<Date>, UsageError> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => parse_user_date(v).map(Some).ok_or_else(|| {
            UsageError(format!(
                "`{name}`: {v:?} is not a date. Try 2014, 2014-06, June 2015 or 15 June 2015."
            ))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_lines_become_the_same_commands_as_slash_commands() {
        let slash = Request::from_slash(
            "ask",
            &[(
                "question".into(),
                OptionValue::Text("when did Russia lift the embargo?".into()),
            )],
        )
        .unwrap();
        assert_eq!(
            Request::from_line("/ask question: when did Russia lift the embargo?").unwrap(),
            slash
        );
        assert_eq!(
            Request::from_line("when did Russia lift the embargo?").unwrap(),
            slash
        );
        let timeline =
            Request::from_line("/timeline from: 2014 to: 2015 topic: Putin visits").unwrap();
        assert_eq!(
            timeline.command,
            Command::Timeline {
                from: Date::parse_edtf("2014"),
                to: Date::parse_edtf("2015"),
                topic: "Putin visits".into(),
                offset: 0
            }
        );
        let search = Request::from_line("/search embargo limit: 3 hide: true").unwrap();
        assert!(search.hide);
        assert_eq!(
            search.command,
            Command::Search {
                query: "embargo".into(),
                limit: 3,
                offset: 0
            }
        );
        assert_eq!(
            Request::from_line("/about").unwrap().command,
            Command::About
        );
    }

    #[test]
    fn bad_input_is_a_usage_error_for_the_user() {
        for line in [
            "/nope",
            "/ask",
            "/search x limit: 0",
            "/search x limit: many",
            "/timeline from: someday",
            "/timeline from: 2016 to: 2014",
            "/about extra words",
        ] {
            assert!(Request::from_line(line).is_err(), "{line} accepted");
        }
    }

    #[test]
    fn page_state_travels_in_the_custom_id() {
        let search = Command::Search {
            query: "arms: embargo".into(),
            limit: 3,
            offset: 0,
        };
        let id = Request::page_id(&search, 3).unwrap();
        let back = Request::from_custom_id(&id).unwrap();
        assert!(back.page_turn);
        assert_eq!(
            back.command,
            Command::Search {
                query: "arms: embargo".into(),
                limit: 3,
                offset: 3
            }
        );
        let timeline = Command::Timeline {
            from: Date::parse_edtf("2014-06"),
            to: None,
            topic: "Putin".into(),
            offset: 0,
        };
        let id = Request::page_id(&timeline, 10).unwrap();
        match Request::from_custom_id(&id).unwrap().command {
            Command::Timeline {
                from,
                topic,
                offset,
                ..
            } => {
                assert_eq!(from, Date::parse_edtf("2014-06"));
                assert_eq!((topic.as_str(), offset), ("Putin", 10));
            }
            other => panic!("{other:?}"),
        }
        let long = Command::Search {
            query: "x".repeat(200),
            limit: 5,
            offset: 0,
        };
        assert_eq!(Request::page_id(&long, 5), None);
        for bad in ["", "s:", "s:x:5:q", "s:0:50:q", "t:0:never::", "zzz"] {
            assert!(Request::from_custom_id(bad).is_err(), "{bad}");
        }
    }
}
