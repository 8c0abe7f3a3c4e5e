//! Interaction payloads as Discord sends them: slash commands, buttons, forms, autocomplete,
//! in a guild or a DM, by a moderator or not.

use super::*;

fn member(permissions: &str, roles: &[&str]) -> Value {
    json!({
        "user": {"id": "888888888888888888", "username": "tester", "discriminator": "0",
                 "global_name": "Tester", "avatar": null},
        "roles": roles, "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "deaf": false, "mute": false, "flags": 0, "permissions": permissions
    })
}

fn base(kind: u8, token: &str, permissions: &str, roles: &[&str]) -> Value {
    json!({
        "id": next().to_string(), "application_id": APP_ID, "type": kind,
        "token": token, "version": 1, "guild_id": GUILD_ID, "channel_id": "555555555555555555",
        "member": member(permissions, roles),
        "app_permissions": "2248473465835073", "locale": "en-US", "guild_locale": "en-US",
        "entitlements": [], "authorizing_integration_owners": {"0": GUILD_ID}, "context": 0,
        "attachment_size_limit": 10485760
    })
}

/// "Ask dossier" (a message command, type 3) on a message holding `content`.
pub fn message_command(token: &str, content: &str) -> Value {
    let mut d = base(2, token, "0", &[]);
    let message = json!({"content": content});
    let mut target = message_json(&message);
    target["id"] = json!("333333333333333333");
    d["data"] = json!({"id": "900000000000000001", "name": "Ask dossier", "type": 3,
                       "target_id": "333333333333333333",
                       "resolved": {"messages": {"333333333333333333": target}}});
    d
}

/// The interaction `d` sent in a DM with the bot: no server, no member, the user in `user`.
pub fn in_dm(mut d: Value) -> Value {
    let user = d["member"]["user"].clone();
    let object = d.as_object_mut().unwrap();
    object.remove("guild_id");
    object.remove("member");
    object.insert("user".into(), user);
    object.insert("context".into(), json!(1));
    object.insert(
        "authorizing_integration_owners".into(),
        json!({"1": "888888888888888888"}),
    );
    d
}

/// The interaction `d` sent from another server.
pub fn in_guild(mut d: Value, guild: &str) -> Value {
    d["guild_id"] = json!(guild);
    d["authorizing_integration_owners"] = json!({"0": guild});
    d
}

/// The interaction `d` sent by the member `user`.
pub fn by_user(mut d: Value, user: &str) -> Value {
    d["member"]["user"]["id"] = json!(user);
    d
}

/// A fresh interaction token.
pub fn token() -> String {
    format!("tok-{}", next())
}

/// A slash command. `options`: `[["question", "…"], ["limit", 2], ["hide", true]]` style
/// pairs given as JSON values (string → type 3, integer → 4, bool → 5).
/// `/ask question: …` by a member without permissions, in the guild.
pub fn ask(token: &str, question: &str) -> Value {
    command(token, "ask", &[("question", json!(question))], "0", &[])
}

/// `/reindex` by a moderator (Manage Server), in the guild.
pub fn reindex(token: &str) -> Value {
    command(token, "reindex", &[], MANAGE_GUILD, &[])
}

pub fn command(
    token: &str,
    name: &str,
    options: &[(&str, Value)],
    permissions: &str,
    roles: &[&str],
) -> Value {
    let mut d = base(2, token, permissions, roles);
    let options: Vec<Value> = options
        .iter()
        .map(|(n, v)| {
            let kind = match v {
                Value::Bool(_) => 5,
                Value::Number(_) => 4,
                _ => 3,
            };
            json!({"name": n, "type": kind, "value": v})
        })
        .collect();
    d["data"] = json!({"id": "900000000000000000", "name": name, "type": 1, "options": options});
    d
}

/// `/document add` with `file` attached (served at `url`) and more options (`title`, …).
pub fn document_add(
    token: &str,
    file_name: &str,
    url: &str,
    size: usize,
    options: &[(&str, &str)],
    permissions: &str,
) -> Value {
    let mut d = command(token, "document", &[], permissions, &[]);
    let mut inner = vec![json!({"name": "file", "type": 11, "value": "777777777777777777"})];
    inner.extend(
        options
            .iter()
            .map(|(n, v)| json!({"name": n, "type": 3, "value": v})),
    );
    d["data"]["options"] = json!([{"name": "add", "type": 1, "options": inner}]);
    d["data"]["resolved"] = json!({"attachments": {"777777777777777777": {
        "id": "777777777777777777", "filename": file_name, "size": size,
        "url": url, "proxy_url": url, "content_type": "text/plain; charset=utf-8"
    }}});
    d
}

/// A button press on a message the bot sent.
pub fn component(token: &str, custom_id: &str) -> Value {
    let mut d = base(3, token, "0", &[]);
    d["message"] = message_json(&json!({}));
    d["data"] = json!({"custom_id": custom_id, "component_type": 2});
    d
}

/// A button press by a member with `permissions`.
pub fn component_by(token: &str, custom_id: &str, permissions: &str) -> Value {
    let mut d = component(token, custom_id);
    d["member"] = member(permissions, &[]);
    d
}

/// A form (modal) sent back with `typed` in its one text field.
pub fn form_submit(token: &str, custom_id: &str, typed: &str) -> Value {
    let mut d = base(5, token, "0", &[]);
    d["data"] = json!({"custom_id": custom_id, "components": [
        {"type": 1, "components": [{"type": 4, "custom_id": "reason", "value": typed}]}
    ]});
    d
}

/// Typing into an autocompleted option.
pub fn autocomplete(token: &str, name: &str, option: &str, typed: &str) -> Value {
    let mut d = base(4, token, "0", &[]);
    d["data"] = json!({"id": "900000000000000000", "name": name, "type": 1,
        "options": [{"name": option, "type": 3, "value": typed, "focused": true}]});
    d
}

/// Checks a fixture against serenity's own model, so a typo fails loudly instead of being
/// dropped as an unknown event.
pub fn check_fixture(d: &Value) {
    if let Err(err) = serde_json::from_value::<serenity::all::Interaction>(d.clone()) {
        panic!("fixture rejected by serenity: {err}\n{d:#}");
    }
}
