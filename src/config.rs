//! The configuration of a run, read once at start and passed down: the paths from the command
//! line ([`crate::cli::Opts`], which clap also fills from `DOSSIER_DATA`, `DOSSIER_INDEX`,
//! `DOSSIER_MODEL`) and the bot's [`Settings`] from the environment. Every missing or
//! malformed variable is named in one error; secrets never print. Nothing reads the
//! environment after this.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything a run is configured with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the documents live (`--data`).
    pub data: PathBuf,
    /// Where the tantivy index lives (`--index`; generated).
    pub index: PathBuf,
    /// The sentence encoder's directory (`--model`; default the one shipped in `models/`).
    pub model: PathBuf,
    /// Discord, moderators, cooldown, shards, the HTTP address.
    pub bot: Settings,
}

/// A secret value (the bot token). `Debug` and `Display` print `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself, for the one place that sends it to Discord.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Gateway shards run by this process: `first..=last` of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shards {
    pub first: u32,
    pub last: u32,
    pub total: u32,
}

/// At most `commands` per user within `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CooldownRule {
    pub commands: u32,
    pub window: Duration,
}

impl Default for CooldownRule {
    fn default() -> Self {
        CooldownRule {
            commands: 5,
            window: Duration::from_secs(10),
        }
    }
}

/// Everything the Discord transports need, validated.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub token: Option<Secret>,
    pub application_id: Option<u64>,
    /// The Ed25519 public key, as the hex Discord shows.
    pub public_key: Option<String>,
    pub guild_id: Option<u64>,
    pub api_proxy: Option<String>,
    pub moderator_roles: Vec<u64>,
    /// `DOSSIER_ADMIN_GUILDS` (default: `DISCORD_GUILD_ID`): the servers where moderator
    /// commands are registered and work; none, and moderation is the console's alone.
    pub admin_guilds: Vec<u64>,
    /// `DOSSIER_HTTP_ADDR`: `serve` without `--http` serves the HTTP endpoint here.
    pub http_addr: Option<SocketAddr>,
    /// `DOSSIER_METRICS_ADDR`: gateway mode serves `/healthz`, `/readyz`, `/metrics` here.
    pub metrics_addr: Option<SocketAddr>,
    pub shards: Option<Shards>,
    pub cooldown: CooldownRule,
    /// The question log and votes (`DOSSIER_DATABASE`): a SQLite file or a `postgres://` URL.
    pub database: Database,
    /// `DOSSIER_QUESTION_LOG`: record the questions asked through Discord and the console.
    pub question_log: bool,
    /// `DOSSIER_LOG_RETENTION_DAYS`: logged questions older than this are deleted.
    pub retention_days: u32,
    /// `DOSSIER_HASH_KEY`: the key of the user-id hash; unset, the database keeps one.
    pub hash_key: Option<Secret>,
}

/// Where the database is. `Debug` hides a URL's password.
#[derive(Clone, PartialEq, Eq)]
pub struct Database(pub String);

impl Default for Database {
    fn default() -> Self {
        Database("state/dossier.db".into())
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.split_once("://").zip(self.0.rfind('@')) {
            Some(((scheme, _), at)) => write!(f, "{scheme}://[redacted]{}", &self.0[at..]),
            None => write!(f, "{:?}", self.0),
        }
    }
}

/// A setting a mode cannot run without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Token,
    ApplicationId,
    PublicKey,
}

impl Need {
    /// The environment variable that gives it.
    pub fn variable(self) -> &'static str {
        match self {
            Need::Token => "DISCORD_TOKEN",
            Need::ApplicationId => "DISCORD_APPLICATION_ID",
            Need::PublicKey => "DISCORD_PUBLIC_KEY",
        }
    }
}

/// Every problem with the environment, each naming its variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad configuration: {}", .0.join("; "))]
pub struct ConfigError(pub Vec<String>);

impl Settings {
    /// Reads the settings from the process environment.
    pub fn from_env() -> Result<Settings, ConfigError> {
        Settings::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup` (the environment, or a map in tests). Empty values
    /// count as unset, as in `.env.example`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let mut errors = Vec::new();
        let mut settings = Settings::default();

        discord_settings(&get, &mut settings, &mut errors);
        dossier_settings(&get, &mut settings, &mut errors);
        if errors.is_empty() {
            Ok(settings)
        } else {
            Err(ConfigError(errors))
        }
    }

    /// Checks that what a mode needs is there, naming each missing variable.
    pub fn require(&self, needs: &[Need]) -> Result<(), ConfigError> {
        let missing: Vec<String> = needs
            .iter()
            .filter(|need| match need {
                Need::Token => self.token.is_none(),
                Need::ApplicationId => self.application_id.is_none(),
                Need::PublicKey => self.public_key.is_none(),
            })
            .map(|need| format!("{}: missing", need.variable()))
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(ConfigError(missing))
        }
    }
}

fn parse_shards(s: &str) -> Option<Shards> {
    let (range, total) = s.split_once('/')?;
    let total: u32 = total.trim().parse().ok()?;
    let (first, last) = match range.split_once('-') {
        Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
        None => {
            let one = range.trim().parse().ok()?;
            (one, one)
        }
    };
    (first <= last && last < total).then_some(Shards { first, last, total })
}

fn parse_cooldown(s: &str) -> Option<CooldownRule> {
    let (n, secs) = s.split_once('/')?;
    let commands: u32 = n.trim().parse().ok()?;
    let secs: u64 = secs.trim().parse().ok()?;
    (commands > 0 && secs > 0).then_some(CooldownRule {
        commands,
        window: Duration::from_secs(secs),
    })
}

/// The `DISCORD_*` variables into `settings`; each bad value's problem into `errors`.
fn discord_settings(
    get: &dyn Fn(&str) -> Option<String>,
    settings: &mut Settings,
    errors: &mut Vec<String>,
) {
    if let Some(token) = get("DISCORD_TOKEN") {
        if token.chars().any(char::is_whitespace) || token.len() < 20 {
            errors.push("DISCORD_TOKEN: does not look like a bot token".to_string());
        } else {
            settings.token = Some(Secret::new(token));
        }
    }
    let id = |name: &str, errors: &mut Vec<String>| -> Option<u64> {
        let value = get(name)?;
        match value.parse::<u64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                errors.push(format!("{name}: {value:?} is not a Discord id (a number)"));
                None
            }
        }
    };
    settings.application_id = id("DISCORD_APPLICATION_ID", errors);
    settings.guild_id = id("DISCORD_GUILD_ID", errors);
    if let Some(key) = get("DISCORD_PUBLIC_KEY") {
        if key.len() == 64 && key.chars().all(|c| c.is_ascii_hexdigit()) {
            settings.public_key = Some(key.to_ascii_lowercase());
        } else {
            errors.push("DISCORD_PUBLIC_KEY: must be 64 hexadecimal characters".to_string());
        }
    }
    if let Some(url) = get("DISCORD_API_PROXY") {
        let ok = (url.starts_with("http://") || url.starts_with("https://"))
            && url.split("://").nth(1).is_some_and(|rest| !rest.is_empty());
        if ok {
            settings.api_proxy = Some(url.trim_end_matches('/').to_string());
        } else {
            errors.push(format!(
                "DISCORD_API_PROXY: {url:?} is not an http:// or https:// URL"
            ));
        }
    }
}

/// The `DOSSIER_*` variables into `settings`; each bad value's problem into `errors`.
fn dossier_settings(
    get: &dyn Fn(&str) -> Option<String>,
    settings: &mut Settings,
    errors: &mut Vec<String>,
) {
    let ids = |name: &str, what: &str, errors: &mut Vec<String>| -> Vec<u64> {
        let list = get(name).unwrap_or_default();
        let mut ids = Vec::new();
        for item in list.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            match item.parse::<u64>() {
                Ok(id) if id > 0 => ids.push(id),
                _ => errors.push(format!("{name}: {item:?} is not a {what} id (a number)")),
            }
        }
        ids
    };
    settings.moderator_roles = ids("DOSSIER_MODERATOR_ROLES", "role", errors);
    settings.admin_guilds = match get("DOSSIER_ADMIN_GUILDS") {
        Some(_) => ids("DOSSIER_ADMIN_GUILDS", "server", errors),
        None => settings.guild_id.into_iter().collect(),
    };
    if let Some(addr) = get("DOSSIER_HTTP_ADDR") {
        match addr.parse() {
            Ok(addr) => settings.http_addr = Some(addr),
            Err(_) => errors.push(format!(
                "DOSSIER_HTTP_ADDR: {addr:?} is not an address like 127.0.0.1:8080"
            )),
        }
    }
    if let Some(addr) = get("DOSSIER_METRICS_ADDR") {
        match addr.parse() {
            Ok(addr) => settings.metrics_addr = Some(addr),
            Err(_) => errors.push(format!(
                "DOSSIER_METRICS_ADDR: {addr:?} is not an address like 127.0.0.1:9100"
            )),
        }
    }
    if let Some(shards) = get("DOSSIER_SHARDS") {
        match parse_shards(&shards) {
            Some(s) => settings.shards = Some(s),
            None => errors.push(format!(
                "DOSSIER_SHARDS: {shards:?} is not FIRST-LAST/TOTAL with FIRST ≤ LAST < TOTAL (e.g. 0-3/16)"
            )),
        }
    }
    if let Some(rule) = get("DOSSIER_COOLDOWN") {
        match parse_cooldown(&rule) {
            Some(r) => settings.cooldown = r,
            None => errors.push(format!(
                "DOSSIER_COOLDOWN: {rule:?} is not COMMANDS/SECONDS (e.g. 5/10)"
            )),
        }
    }
    settings.question_log = true;
    settings.retention_days = 90;
    if let Some(database) = get("DOSSIER_DATABASE") {
        settings.database = Database(database);
    }
    if let Some(log) = get("DOSSIER_QUESTION_LOG") {
        match log.to_ascii_lowercase().as_str() {
            "on" => settings.question_log = true,
            "off" => settings.question_log = false,
            _ => errors.push(format!("DOSSIER_QUESTION_LOG: {log:?} is not on or off")),
        }
    }
    if let Some(days) = get("DOSSIER_LOG_RETENTION_DAYS") {
        match days.parse::<u32>() {
            Ok(days) if days > 0 => settings.retention_days = days,
            _ => errors.push(format!(
                "DOSSIER_LOG_RETENTION_DAYS: {days:?} is not a number of days (1 or more)"
            )),
        }
    }
    settings.hash_key = get("DOSSIER_HASH_KEY").map(Secret::new);
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn every_bad_variable_is_named_at_once() {
        let err = settings(&[
            ("DISCORD_APPLICATION_ID", "abc"),
            ("DISCORD_PUBLIC_KEY", "xyz"),
            ("DOSSIER_SHARDS", "4-2/3"),
            ("DOSSIER_HTTP_ADDR", "localhost"),
            ("DOSSIER_MODERATOR_ROLES", "12,x"),
            ("DISCORD_API_PROXY", "127.0.0.1:8080"),
            ("DOSSIER_COOLDOWN", "0/10"),
            ("DOSSIER_ADMIN_GUILDS", "1,guild"),
            ("DOSSIER_METRICS_ADDR", "9100"),
        ])
        .unwrap_err();
        let text = err.to_string();
        for name in [
            "DISCORD_APPLICATION_ID",
            "DISCORD_PUBLIC_KEY",
            "DOSSIER_SHARDS",
            "DOSSIER_HTTP_ADDR",
            "DOSSIER_MODERATOR_ROLES",
            "DISCORD_API_PROXY",
            "DOSSIER_COOLDOWN",
            "DOSSIER_ADMIN_GUILDS",
            "DOSSIER_METRICS_ADDR",
        ] {
            assert!(text.contains(name), "{name} not named in {text}");
        }
    }

    #[test]
    fn admin_guilds_default_to_the_guild_of_the_commands() {
        let admin = |vars: &[(&str, &str)]| settings(vars).unwrap().admin_guilds;
        assert_eq!(admin(&[]), Vec::<u64>::new());
        assert_eq!(admin(&[("DISCORD_GUILD_ID", "77")]), [77]);
        assert_eq!(
            admin(&[("DISCORD_GUILD_ID", "77"), ("DOSSIER_ADMIN_GUILDS", "5, 6")]),
            [5, 6]
        );
    }

    #[test]
    fn good_values_parse_and_empty_ones_are_unset() {
        let s = settings(&[
            ("DISCORD_TOKEN", "MTIzNDU2Nzg5MDEyMzQ1Njc4.abc.def-ghi"),
            ("DISCORD_GUILD_ID", ""),
            ("DOSSIER_SHARDS", "0-3/16"),
            ("DOSSIER_MODERATOR_ROLES", "123, 456"),
            ("DISCORD_API_PROXY", "http://127.0.0.1:8080/"),
            ("DOSSIER_COOLDOWN", "3/5"),
        ])
        .unwrap();
        assert_eq!(s.guild_id, None);
        assert_eq!(
            s.shards,
            Some(Shards {
                first: 0,
                last: 3,
                total: 16
            })
        );
        assert_eq!(s.moderator_roles, [123, 456]);
        assert_eq!(s.api_proxy.as_deref(), Some("http://127.0.0.1:8080"));
        assert_eq!(s.cooldown.commands, 3);
        assert!(s.require(&[Need::Token]).is_ok());
        let missing = s.require(&[Need::PublicKey, Need::ApplicationId]);
        assert_eq!(
            missing.unwrap_err().0,
            [
                "DISCORD_PUBLIC_KEY: missing",
                "DISCORD_APPLICATION_ID: missing"
            ]
        );
    }

    #[test]
    fn the_token_never_prints() {
        let s = settings(&[("DISCORD_TOKEN", "MTIzNDU2Nzg5MDEyMzQ1Njc4.secret.value")]).unwrap();
        let debug = format!("{s:?}");
        assert!(!debug.contains("secret.value"), "{debug}");
        assert!(debug.contains("[redacted]"));
    }
}
