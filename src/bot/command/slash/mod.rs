//! The slash commands, one file each: the name, what it does, its options and their bounds, who
//! may run it, its lines in `/help`, and how its options become a [`Command`]. Discord's
//! registration (`transport::interaction`), `/help`, the console's syntax, option bounds and
//! the moderation check all derive from [`ALL`].
//!
//! Adding a command: a file here declaring its [`Slash`], its line in [`ALL`], and its
//! [`Command`] variant with what the App does with it.

mod about;
mod alias;
mod ask;
mod document;
mod gaps;
mod help;
mod reindex;
mod search;
mod timeline;

use super::{Attachment, Command, EXCERPT, OptionValue, UsageError, excerpt, too_long};

/// Every slash command, in the order `/help` lists them.
pub const ALL: &[&Slash] = &[
    &ask::ASK,
    &search::SEARCH,
    &timeline::TIMELINE,
    &about::ABOUT,
    &help::HELP,
    &reindex::REINDEX,
    &gaps::GAPS,
    &alias::ALIAS,
    &document::DOCUMENT,
];

/// One slash command.
pub struct Slash {
    pub name: &'static str,
    /// What Discord shows beside the name.
    pub description: &'static str,
    pub options: &'static [Opt],
    /// A command of actions (`/document add|list|…`) has these instead of options.
    pub actions: &'static [Action],
    /// Only moderators may run it, and it is registered only in the admin guilds.
    pub moderation: bool,
    /// Its lines in `/help`: the syntax, what it gives, an example.
    pub help: &'static str,
    /// The command its options ask for; bounds are checked by [`Given`] and [`Command::check`].
    pub build: fn(&Given) -> Result<Command, UsageError>,
}

/// One action of a command of actions: a Discord subcommand.
pub struct Action {
    pub name: &'static str,
    pub description: &'static str,
    pub options: &'static [Opt],
}

/// One option of a command.
pub struct Opt {
    pub name: &'static str,
    pub description: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Registered with Discord; otherwise given only by the console or the command line
    /// (`ask --after`).
    pub registered: bool,
}

/// What an option holds, and its bounds.
pub enum Kind {
    Text { max: usize, autocomplete: bool },
    Integer { min: u32, max: u32, default: u32 },
    Bool,
    File,
}

impl Opt {
    /// A text option of at most `max` characters, registered, not required.
    pub const fn text(name: &'static str, description: &'static str, max: usize) -> Opt {
        Opt {
            name,
            description,
            kind: Kind::Text {
                max,
                autocomplete: false,
            },
            required: false,
            registered: true,
        }
    }

    pub const fn required(self) -> Opt {
        Opt {
            required: true,
            ..self
        }
    }

    /// `hide: true` shows the reply to the caller only.
    pub const HIDE: Opt = Opt {
        name: "hide",
        description: "Show the reply to you only",
        kind: Kind::Bool,
        required: false,
        registered: true,
    };
}

impl Slash {
    /// Every option the command declares, its actions' included, each name once.
    pub fn all_options(&self) -> impl Iterator<Item = &'static Opt> + use<> {
        let mut seen: Vec<&'static str> = Vec::new();
        self.options
            .iter()
            .chain(self.actions.iter().flat_map(|a| a.options))
            .filter(move |o| {
                let new = !seen.contains(&o.name);
                seen.push(o.name);
                new
            })
    }

    /// The options a console user may give bare, in order: the action first, then that
    /// action's options (or the command's), files excepted.
    pub fn bare_order(&self, action: Option<&str>) -> Vec<&'static str> {
        let options = match self.actions.iter().find(|a| Some(a.name) == action) {
            Some(a) => a.options,
            None => self.options,
        };
        let action = (!self.actions.is_empty()).then_some("action");
        action
            .into_iter()
            .chain(
                options
                    .iter()
                    .filter(|o| !matches!(o.kind, Kind::File))
                    .map(|o| o.name),
            )
            .collect()
    }
}

/// The slash command of this name.
pub fn find(name: &str) -> Option<&'static Slash> {
    ALL.iter().copied().find(|s| s.name == name)
}

/// The options given to one command, read against what it declares.
pub struct Given<'a> {
    slash: &'static Slash,
    options: &'a [(String, OptionValue)],
}

impl<'a> Given<'a> {
    pub fn new(slash: &'static Slash, options: &'a [(String, OptionValue)]) -> Given<'a> {
        Given { slash, options }
    }

    fn declared(&self, key: &str) -> Option<&'static Opt> {
        self.slash.all_options().find(|o| o.name == key)
    }

    fn value(&self, key: &str) -> Option<&'a OptionValue> {
        self.options.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A text option, within its declared length.
    pub fn text(&self, key: &str) -> Result<Option<String>, UsageError> {
        let max = match self.declared(key).map(|o| &o.kind) {
            Some(Kind::Text { max, .. }) => *max,
            _ => return Ok(None),
        };
        match self.value(key) {
            Some(OptionValue::Text(s)) => too_long(key, s, max).map_or(Ok(Some(s.clone())), Err),
            _ => Ok(None),
        }
    }

    /// A text option that must be given (a blank one is the engine's to refuse, as from
    /// every entry point).
    pub fn required(&self, key: &str) -> Result<String, UsageError> {
        self.text(key)?
            .ok_or_else(|| UsageError(format!("`/{}` needs `{key}`.", self.slash.name)))
    }

    /// A text option trimmed, `None` when blank.
    pub fn trimmed(&self, key: &str) -> Result<Option<String>, UsageError> {
        Ok(self
            .text(key)?
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty()))
    }

    /// An integer option within its declared bounds, or its default.
    pub fn integer(&self, key: &str) -> Result<u32, UsageError> {
        let Some(Kind::Integer { min, max, default }) = self.declared(key).map(|o| &o.kind) else {
            return Err(UsageError(format!(
                "`/{}` has no `{key}`.",
                self.slash.name
            )));
        };
        let value = match self.value(key) {
            Some(OptionValue::Integer(n)) => u32::try_from(*n).ok(),
            _ => Some(*default),
        };
        value
            .filter(|v| (*min..=*max).contains(v))
            .ok_or_else(|| UsageError(format!("`{key}` must be between {min} and {max}.")))
    }

    pub fn flag(&self, key: &str) -> bool {
        self.value(key) == Some(&OptionValue::Bool(true))
    }

    pub fn file(&self, key: &str) -> Option<Attachment> {
        match self.value(key) {
            Some(OptionValue::File(file)) => Some(file.clone()),
            _ => None,
        }
    }

    /// The action of a command of actions.
    pub fn action(&self) -> Result<&'static str, UsageError> {
        let Some(OptionValue::Text(given)) = self.value("action") else {
            return Err(UsageError(format!(
                "`/{}` needs `action`.",
                self.slash.name
            )));
        };
        let given = given.trim();
        self.slash
            .actions
            .iter()
            .find(|a| a.name == given)
            .map(|a| a.name)
            .ok_or_else(|| {
                let names: Vec<String> = self
                    .slash
                    .actions
                    .iter()
                    .map(|a| format!("`{}`", a.name))
                    .collect();
                let (last, rest) = names.split_last().map_or(("", &[][..]), |(l, r)| (l, r));
                let choices = if rest.is_empty() {
                    last.to_string()
                } else {
                    format!("{} or {last}", rest.join(", "))
                };
                UsageError(format!(
                    "`/{}` is {choices}, not {:?}.",
                    self.slash.name,
                    excerpt(given, EXCERPT)
                ))
            })
    }
}

/// `/help`: every command's lines, then how to hide a reply.
pub fn help() -> &'static str {
    static HELP: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HELP.get_or_init(|| {
        let mut text: Vec<&str> = ALL.iter().map(|s| s.help).collect();
        text.push("Add hide: true to see a reply alone.");
        text.join("\n")
    })
}
