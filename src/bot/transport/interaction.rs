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

use crate::bot::command::Transport;
use crate::bot::command::slash::{self, Kind, Opt, Slash};
use crate::bot::command::{Attachment, OptionValue, Origin, Request, TOPIC_MAX, UsageError};
use crate::bot::render::{Message, fit, limits};
use crate::bot::{App, Caller};

/// The commands everyone may use, as registered with Discord: every non-moderation
/// [`slash::ALL`], and "Ask dossier" on a message.
pub fn commands() -> Vec<CreateCommand> {
    slash::ALL
        .iter()
        .filter(|s| !s.moderation)
        .map(|s| register(s))
        .chain([CreateCommand::new(ASK_MESSAGE).kind(CommandType::Message)])
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
    slash::ALL
        .iter()
        .filter(|s| s.moderation)
        .map(|s| {
            register(s)
                .default_member_permissions(Permissions::MANAGE_GUILD)
                .contexts(vec![InteractionContext::Guild])
                .integration_types(vec![InstallationContext::Guild])
        })
        .collect()
}

/// A slash command's registration: its options, or its actions as subcommands.
fn register(slash: &Slash) -> CreateCommand {
    let command = CreateCommand::new(slash.name).description(slash.description);
    let command = slash
        .options
        .iter()
        .filter(|o| o.registered)
        .fold(command, |c, o| c.add_option(option(o)));
    slash.actions.iter().fold(command, |c, action| {
        let sub = CreateCommandOption::new(
            CommandOptionType::SubCommand,
            action.name,
            action.description,
        );
        c.add_option(
            action
                .options
                .iter()
                .fold(sub, |sub, o| sub.add_sub_option(option(o))),
        )
    })
}

/// An option's registration, its bounds from its declaration.
fn option(o: &Opt) -> CreateCommandOption {
    let option = match o.kind {
        Kind::Text { max, autocomplete } => {
            CreateCommandOption::new(CommandOptionType::String, o.name, o.description)
                .max_length(u16::try_from(max).unwrap_or(u16::MAX))
                .set_autocomplete(autocomplete)
        }
        Kind::Integer { min, max, default } => CreateCommandOption::new(
            CommandOptionType::Integer,
            o.name,
            format!("{} ({min}–{max}, default {default})", o.description),
        )
        .min_int_value(u64::from(min))
        .max_int_value(u64::from(max)),
        Kind::Bool => CreateCommandOption::new(CommandOptionType::Boolean, o.name, o.description),
        Kind::File => {
            CreateCommandOption::new(CommandOptionType::Attachment, o.name, o.description)
        }
    };
    option.required(o.required)
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
        CreateInteractionResponseMessage::new().ephemeral(request.ephemeral()),
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
