//! What the gateway and the HTTP endpoint share: the slash-command definitions, reading a
//! serenity [`Interaction`] into the command model, and serenity's builders for a rendered
//! [`Message`]. The builders serialise to Discord's JSON, so the endpoint's response body and
//! the gateway's REST call carry the same bytes.

use serenity::all::{
    ActionRow, ActionRowComponent, AutocompleteChoice, ButtonStyle, ChannelId, CommandDataOption,
    CommandDataOptionValue, CommandDataResolved, CommandOptionType, CommandType, CreateActionRow,
    CreateAllowedMentions, CreateAttachment, CreateAutocompleteResponse, CreateButton,
    CreateCommand, CreateCommandOption, CreateEmbed, CreateEmbedFooter, CreateInputText,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateModal,
    EditInteractionResponse, GuildId, InputTextStyle, InstallationContext, Interaction,
    InteractionContext, Member, Permissions, ResolvedTarget, User, UserId,
};

use crate::bot::command::{
    Attachment, DATE_MAX, GAPS_DAYS_MAX, OptionValue, Origin, QUESTION_MAX, Request, TOPIC_MAX,
    UsageError, max_chars,
};
use crate::bot::render::{Message, fit, limits};
use crate::bot::{App, Caller};
use crate::store::Transport;

/// The commands everyone may use, as registered with Discord.
pub fn commands() -> Vec<CreateCommand> {
    let hide = || {
        CreateCommandOption::new(
            CommandOptionType::Boolean,
            "hide",
            "Show the reply to you only",
        )
    };
    vec![
        CreateCommand::new("ask")
            .description("Ask a question about the article")
            .add_option(
                CreateCommandOption::new(
                    CommandOptionType::String,
                    "question",
                    "Your question, in your own words",
                )
                .required(true)
                .max_length(QUESTION_MAX as u16),
            )
            .add_option(hide()),
        CreateCommand::new("search")
            .description("Find passages that contain words")
            .add_option(
                CreateCommandOption::new(CommandOptionType::String, "query", "Words to look for")
                    .required(true)
                    .max_length(QUESTION_MAX as u16),
            )
            .add_option(
                CreateCommandOption::new(
                    CommandOptionType::Integer,
                    "limit",
                    "Passages per page (1–10)",
                )
                .min_int_value(1)
                .max_int_value(10),
            )
            .add_option(hide()),
        CreateCommand::new("timeline")
            .description("Dated events in order")
            .add_option(
                CreateCommandOption::new(
                    CommandOptionType::String,
                    "from",
                    "Earliest date: 2014, June 2014, 2014-06-15",
                )
                .max_length(DATE_MAX as u16),
            )
            .add_option(
                CreateCommandOption::new(
                    CommandOptionType::String,
                    "to",
                    "Latest date: 2015, June 2015, 2015-06-15",
                )
                .max_length(DATE_MAX as u16),
            )
            .add_option(
                CreateCommandOption::new(
                    CommandOptionType::String,
                    "topic",
                    "Only events about a person, place or subject",
                )
                .set_autocomplete(true)
                .max_length(TOPIC_MAX as u16),
            )
            .add_option(hide()),
        CreateCommand::new("about").description("What dossier knows and when it last read it"),
        CreateCommand::new("help").description("The commands, with an example each"),
        CreateCommand::new(ASK_MESSAGE).kind(CommandType::Message),
    ]
    .into_iter()
    .map(|command| {
        // Installed on a server or on a user's own account, and usable in servers, in DMs
        // with the bot and in private channels.
        command
            .integration_types(vec![InstallationContext::Guild, InstallationContext::User])
            .contexts(vec![
                InteractionContext::Guild,
                InteractionContext::BotDm,
                InteractionContext::PrivateChannel,
            ])
    })
    .collect()
}

/// The message command's name, as Discord shows it in a message's Apps menu.
pub const ASK_MESSAGE: &str = "Ask dossier";

/// The moderator commands: registered only in the admin guilds, as guild commands, for the
/// server installation only.
pub fn moderator_commands() -> Vec<CreateCommand> {
    let commands = vec![
        CreateCommand::new("reindex")
            .description("Rebuild the index from the data (moderators)")
            .default_member_permissions(Permissions::MANAGE_GUILD)
            .contexts(vec![InteractionContext::Guild]),
        CreateCommand::new("alias")
            .description("Teach the bot another name for a term of the article (moderators)")
            .add_option(alias_action("add", "Add a name for a term, then reindex"))
            .add_option(alias_action(
                "remove",
                "Remove a name of a term, then reindex",
            ))
            .default_member_permissions(Permissions::MANAGE_GUILD)
            .contexts(vec![InteractionContext::Guild]),
        CreateCommand::new("document")
            .description("The documents dossier answers from (moderators)")
            .add_option(document_add())
            .add_option(CreateCommandOption::new(
                CommandOptionType::SubCommand,
                "list",
                "The documents of the index",
            ))
            .add_option(
                CreateCommandOption::new(
                    CommandOptionType::SubCommand,
                    "remove",
                    "Set a document aside, then reindex",
                )
                .add_sub_option(
                    CreateCommandOption::new(CommandOptionType::String, "id", "The document's id")
                        .required(true)
                        .max_length(TOPIC_MAX as u16),
                ),
            )
            .add_option(CreateCommandOption::new(
                CommandOptionType::SubCommand,
                "history",
                "The latest changes made from Discord",
            ))
            .default_member_permissions(Permissions::MANAGE_GUILD)
            .contexts(vec![InteractionContext::Guild]),
        CreateCommand::new("gaps")
            .description("Questions that went unanswered or were voted 👎 (moderators)")
            .add_option(
                CreateCommandOption::new(
                    CommandOptionType::Integer,
                    "days",
                    "How far back (default 7)",
                )
                .min_int_value(1)
                .max_int_value(u64::from(GAPS_DAYS_MAX)),
            )
            .default_member_permissions(Permissions::MANAGE_GUILD)
            .contexts(vec![InteractionContext::Guild]),
    ];
    commands
        .into_iter()
        .map(|command| command.integration_types(vec![InstallationContext::Guild]))
        .collect()
}

/// `/alias add` or `/alias remove`, with its `term` and `also`.
fn alias_action(name: &str, description: &str) -> CreateCommandOption {
    let text = |name: &str, description: &str| {
        CreateCommandOption::new(CommandOptionType::String, name, description)
            .required(true)
            .max_length(TOPIC_MAX as u16)
    };
    CreateCommandOption::new(CommandOptionType::SubCommand, name, description)
        .add_sub_option(text("term", "The article's word or phrase, e.g. Russia"))
        .add_sub_option(text("also", "What people write instead, e.g. Moskva"))
}

/// `/document add`: the file, and the metadata a moderator may give with it.
fn document_add() -> CreateCommandOption {
    let text = |name: &str, description: &str| {
        CreateCommandOption::new(CommandOptionType::String, name, description)
            .max_length(max_chars(name) as u16)
    };
    CreateCommandOption::new(
        CommandOptionType::SubCommand,
        "add",
        "Add or replace a document (.txt or .md, at most 1 MiB), then reindex",
    )
    .add_sub_option(
        CreateCommandOption::new(
            CommandOptionType::Attachment,
            "file",
            "The document, a .txt or .md file",
        )
        .required(true),
    )
    .add_sub_option(text("title", "Its title"))
    .add_sub_option(text("author", "Who wrote it"))
    .add_sub_option(text("source", "Where it comes from"))
    .add_sub_option(text("url", "Where a browser finds it (https://…)"))
}

/// An interaction read into the command model.
pub enum Incoming {
    Ping,
    /// A slash command or a page button: run it, unless parsing failed.
    Request {
        request: Result<Request, UsageError>,
        caller: Caller,
    },
    /// The user is typing into an autocompleted option.
    Autocomplete {
        typed: String,
    },
    /// A command or button that does not say who sent it: not run, so that no such
    /// interactions share one cooldown.
    Anonymous,
    /// Anything else (modals, new interaction kinds).
    Unsupported,
}

/// Who sent an interaction: the member's user in a server, else the user. serenity fills a
/// missing `user` with a default one (id 1, which no account has): that is nobody.
fn caller(user: &User, member: Option<&Member>, guild: Option<GuildId>) -> Option<Caller> {
    let user = member.map_or(user, |m| &m.user);
    (user.id != UserId::default()).then(|| Caller {
        user: user.id.get(),
        guild: guild.map(GuildId::get),
        permissions: member.and_then(|m| m.permissions).map(|p| p.bits()),
        roles: member
            .map(|m| m.roles.iter().map(|r| r.get()).collect())
            .unwrap_or_default(),
    })
}

/// The options of a slash command; a subcommand (`/alias add`) becomes the `action` option
/// followed by its own options. An attachment option is the file the interaction's resolved
/// data describes (none when it describes none).
fn option_values(
    options: &[CommandDataOption],
    resolved: &CommandDataResolved,
) -> Vec<(String, OptionValue)> {
    options
        .iter()
        .flat_map(|o| match &o.value {
            CommandDataOptionValue::SubCommand(inner) => {
                let mut values = vec![("action".to_string(), OptionValue::Text(o.name.clone()))];
                values.extend(option_values(inner, resolved));
                values
            }
            _ => option_value(o, resolved).into_iter().collect(),
        })
        .collect()
}

fn option_value(
    o: &CommandDataOption,
    resolved: &CommandDataResolved,
) -> Option<(String, OptionValue)> {
    let value = match &o.value {
        CommandDataOptionValue::String(s) => OptionValue::Text(s.clone()),
        CommandDataOptionValue::Integer(n) => OptionValue::Integer(*n),
        CommandDataOptionValue::Boolean(b) => OptionValue::Bool(*b),
        CommandDataOptionValue::Autocomplete { value, .. } => OptionValue::Text(value.clone()),
        CommandDataOptionValue::Attachment(id) => {
            let file = resolved.attachments.get(id)?;
            OptionValue::File(Attachment {
                file_name: file.filename.clone(),
                size: u64::from(file.size),
                url: file.url.clone(),
                bytes: None,
            })
        }
        _ => return None,
    };
    Some((o.name.clone(), value))
}

/// What was typed into a form's first text field.
fn typed(components: &[ActionRow]) -> String {
    components
        .iter()
        .flat_map(|row| &row.components)
        .find_map(|c| match c {
            ActionRowComponent::InputText(input) => input.value.clone(),
            _ => None,
        })
        .unwrap_or_default()
}

/// An interaction as a request, from whom and where; `transport` says how it arrived.
pub fn read(interaction: &Interaction, transport: Transport) -> Incoming {
    let incoming = |request: Result<Request, UsageError>,
                    caller: Option<Caller>,
                    guild: Option<GuildId>,
                    channel: ChannelId| {
        let Some(caller) = caller else {
            return Incoming::Anonymous;
        };
        let origin = Origin {
            transport,
            user: caller.user,
            guild: guild.map(|g| g.get()),
            channel: Some(channel.get()),
        };
        Incoming::Request {
            request: request.map(|r| Request {
                origin: Some(origin),
                ..r
            }),
            caller,
        }
    };
    match interaction {
        Interaction::Ping(_) => Incoming::Ping,
        Interaction::Command(c) if c.data.kind == CommandType::Message => incoming(
            match c.data.target() {
                Some(ResolvedTarget::Message(message)) => Request::from_message(&message.content),
                _ => Err(UsageError("Discord did not send the message.".into())),
            },
            caller(&c.user, c.member.as_deref(), c.guild_id),
            c.guild_id,
            c.channel_id,
        ),
        Interaction::Command(c) => incoming(
            Request::from_slash(
                &c.data.name,
                &option_values(&c.data.options, &c.data.resolved),
            ),
            caller(&c.user, c.member.as_deref(), c.guild_id),
            c.guild_id,
            c.channel_id,
        ),
        Interaction::Component(c) => incoming(
            Request::from_custom_id(&c.data.custom_id),
            caller(&c.user, c.member.as_ref(), c.guild_id),
            c.guild_id,
            c.channel_id,
        ),
        Interaction::Modal(m) => incoming(
            Request::from_form(&m.data.custom_id, &typed(&m.data.components)),
            caller(&m.user, m.member.as_ref(), m.guild_id),
            m.guild_id,
            m.channel_id,
        ),
        Interaction::Autocomplete(c) => Incoming::Autocomplete {
            typed: c
                .data
                .autocomplete()
                .map(|o| o.value.to_string())
                .unwrap_or_default(),
        },
        _ => Incoming::Unsupported,
    }
}

/// Suggestions for the `topic` option: at most 25, each within Discord's 100 characters;
/// none for text longer than a topic can be.
pub fn autocomplete(app: &App, typed: &str) -> CreateInteractionResponse {
    let typed_ok = typed.len() <= 4 * TOPIC_MAX && typed.chars().count() <= TOPIC_MAX;
    let suggestions = if typed_ok {
        app.engine.topics(typed, limits::AUTOCOMPLETE_CHOICES)
    } else {
        Vec::new()
    };
    let choices = suggestions
        .into_iter()
        .filter(|t| t.chars().count() <= limits::CHOICE_NAME)
        .map(|t| AutocompleteChoice::new(t.clone(), t))
        .collect();
    CreateInteractionResponse::Autocomplete(CreateAutocompleteResponse::new().set_choices(choices))
}

fn embeds(message: &Message) -> Vec<CreateEmbed> {
    message
        .embeds
        .iter()
        .map(|e| {
            let mut embed = CreateEmbed::new().colour(e.color);
            if let Some(title) = &e.title {
                embed = embed.title(title);
            }
            if let Some(description) = &e.description {
                embed = embed.description(description);
            }
            for f in &e.fields {
                embed = embed.field(&f.name, &f.value, f.inline);
            }
            if let Some(footer) = &e.footer {
                embed = embed.footer(CreateEmbedFooter::new(footer));
            }
            if let Some(image) = &e.image {
                embed = embed.image(image);
            }
            embed
        })
        .collect()
}

fn components(message: &Message) -> Vec<CreateActionRow> {
    let buttons = message.buttons.iter().map(|b| {
        CreateButton::new(&b.custom_id)
            .label(fit(&b.label, limits::BUTTON_LABEL))
            .style(ButtonStyle::Secondary)
            .disabled(b.disabled)
    });
    let links = message
        .links
        .iter()
        .map(|(label, url)| CreateButton::new_link(url).label(fit(label, limits::BUTTON_LABEL)));
    // One row holds five buttons.
    let row: Vec<CreateButton> = buttons.chain(links).take(5).collect();
    if row.is_empty() {
        return Vec::new();
    }
    vec![CreateActionRow::Buttons(row)]
}

fn response_message(message: &Message) -> CreateInteractionResponseMessage {
    let mut builder = CreateInteractionResponseMessage::new()
        .embeds(embeds(message))
        .components(components(message))
        .allowed_mentions(CreateAllowedMentions::new())
        .ephemeral(message.ephemeral);
    if let Some(content) = &message.content {
        builder = builder.content(content);
    }
    builder
}

/// The response to an interaction: a new message, or for a page button, the same message
/// updated in place.
pub fn respond(message: &Message, page_turn: bool) -> CreateInteractionResponse {
    if let Some(form) = &message.form {
        let field = CreateInputText::new(InputTextStyle::Short, &form.label, "text")
            .placeholder(fit(&form.placeholder, 100))
            .max_length(form.max_length as u16)
            .required(form.required);
        return CreateInteractionResponse::Modal(
            CreateModal::new(&form.custom_id, fit(&form.title, 45))
                .components(vec![CreateActionRow::InputText(field)]),
        );
    }
    if page_turn {
        CreateInteractionResponse::UpdateMessage(response_message(message))
    } else {
        CreateInteractionResponse::Message(response_message(message))
    }
}

/// The deferral sent before slow work (`/reindex`, a timeline and its picture): a new message
/// to come, private when the request is; for a page turn, the message turned to be edited in
/// place (its picture is drawn again and attached with the edit: an update without it would
/// drop it).
pub fn defer(request: &Request) -> CreateInteractionResponse {
    if request.page_turn {
        return CreateInteractionResponse::Acknowledge;
    }
    CreateInteractionResponse::Defer(
        CreateInteractionResponseMessage::new().ephemeral(request.private()),
    )
}

/// The edit of a deferred response with the finished reply, and its files.
pub fn edit(message: &Message) -> EditInteractionResponse {
    message.files.iter().fold(
        EditInteractionResponse::new()
            .content(message.content.clone().unwrap_or_default())
            .embeds(embeds(message))
            .components(components(message))
            .allowed_mentions(CreateAllowedMentions::new()),
        |edit, file| edit.new_attachment(CreateAttachment::bytes(file.bytes.clone(), &file.name)),
    )
}
