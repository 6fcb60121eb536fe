//! The bot's command menus: setMyCommands, getMyCommands and deleteMyCommands per scope and language.

use serde_json::{Map, Value, json};

use super::server::{Reply, param_json, param_str, value_as_i64};
use super::{Res, St};

impl St {
    fn commands_key(&self, p: &Map<String, Value>) -> Res<(Value, String)> {
        let scope = normalize_scope(&param_json(p, "scope").unwrap_or(Value::Null));
        let kind = scope
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match kind {
            "default" | "all_private_chats" | "all_group_chats" | "all_chat_administrators" => {}
            "chat" | "chat_administrators" | "chat_member" => {
                let chat_id = scope.get("chat_id").and_then(Value::as_i64);
                if !chat_id.is_some_and(|id| self.chats.contains_key(&id)) {
                    return Err(Reply::bad("chat not found"));
                }
                if kind == "chat_member" && scope.get("user_id").and_then(value_as_i64).is_none() {
                    return Err(Reply::bad("user not found"));
                }
            }
            _ => return Err(Reply::bad("can't parse BotCommandScope JSON object")),
        }
        let lang = param_str(p, "language_code").unwrap_or_default();
        let lang_ok =
            lang.is_empty() || (lang.len() == 2 && lang.bytes().all(|b| b.is_ascii_lowercase()));
        if !lang_ok {
            return Err(Reply::bad("LANG_CODE_INVALID"));
        }
        Ok((scope, lang))
    }

    pub(super) fn set_my_commands(&mut self, p: &Map<String, Value>) -> Res<Value> {
        let (scope, lang) = self.commands_key(p)?;
        let Some(Value::Array(list)) = param_json(p, "commands") else {
            return Err(Reply::bad("can't parse commands JSON object"));
        };
        if list.len() > 100 {
            return Err(Reply::bad("BOT_COMMANDS_TOO_MUCH"));
        }
        let mut commands = Vec::new();
        for c in &list {
            let command = c.get("command").and_then(Value::as_str).unwrap_or_default();
            let description = c
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let valid_command = (1..=32).contains(&command.len())
                && command
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !valid_command {
                return Err(Reply::bad("BOT_COMMAND_INVALID"));
            }
            if description.trim().is_empty() || description.chars().count() > 256 {
                return Err(Reply::bad("BOT_COMMAND_DESCRIPTION_INVALID"));
            }
            commands.push((command.to_owned(), description.to_owned()));
        }
        self.commands
            .retain(|(s, l, _)| !(*s == scope && *l == lang));
        self.commands.push((scope, lang, commands));
        Ok(json!(true))
    }

    pub(super) fn get_my_commands(&self, p: &Map<String, Value>) -> Res<Value> {
        let (scope, lang) = self.commands_key(p)?;
        let list = self
            .commands
            .iter()
            .find(|(s, l, _)| *s == scope && *l == lang)
            .map(|(_, _, c)| {
                c.iter()
                    .map(|(c, d)| json!({"command": c, "description": d}))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        Ok(Value::Array(list))
    }

    pub(super) fn delete_my_commands(&mut self, p: &Map<String, Value>) -> Res<Value> {
        let (scope, lang) = self.commands_key(p)?;
        self.commands
            .retain(|(s, l, _)| !(*s == scope && *l == lang));
        Ok(json!(true))
    }
}

impl St {
    /// setChatMenuButton: a private chat's menu button — `default`, `commands`, or `web_app` with a text
    /// and an HTTPS URL (Telegram refuses others: "BUTTON_URL_INVALID", "WEBAPP_URL_INVALID").
    pub(super) fn set_chat_menu_button(&mut self, p: &Map<String, Value>) -> Res<Value> {
        let button = param_json(p, "menu_button").unwrap_or_else(|| json!({"type": "default"}));
        let kind = button
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match kind {
            "default" | "commands" => {}
            "web_app" => {
                let text = button
                    .get("text")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if text.is_empty() || text.chars().count() > 64 {
                    return Err(Reply::bad("BUTTON_TEXT_INVALID"));
                }
                let url = button
                    .get("web_app")
                    .and_then(|w| w.get("url"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if !url.starts_with("https://") || url.len() <= "https://".len() {
                    return Err(Reply::bad("WEBAPP_URL_INVALID"));
                }
            }
            _ => return Err(Reply::bad("can't parse menu button JSON object")),
        }
        match param_json(p, "chat_id").as_ref().and_then(value_as_i64) {
            None => {
                self.menu_buttons.insert(0, button);
            }
            Some(chat) => {
                let private = self
                    .chats
                    .get(&chat)
                    .and_then(|c| c.get("type"))
                    .and_then(Value::as_str)
                    == Some("private");
                if !self.chats.contains_key(&chat) {
                    return Err(Reply::bad("chat not found"));
                }
                if !private {
                    return Err(Reply::bad("a menu button can be set in private chats only"));
                }
                self.menu_buttons.insert(chat, button);
            }
        }
        Ok(json!(true))
    }

    pub(super) fn get_chat_menu_button(&self, p: &Map<String, Value>) -> Res<Value> {
        let chat = param_json(p, "chat_id")
            .as_ref()
            .and_then(value_as_i64)
            .unwrap_or(0);
        Ok(self
            .menu_buttons
            .get(&chat)
            .cloned()
            .unwrap_or_else(|| json!({"type": "default"})))
    }
}

pub(super) fn normalize_scope(scope: &Value) -> Value {
    let mut scope = match scope {
        Value::Object(_) => scope.clone(),
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| json!({"type": "default"})),
        _ => json!({"type": "default"}),
    };
    for key in ["chat_id", "user_id"] {
        if let Some(id) = scope.get(key).and_then(value_as_i64) {
            scope[key] = json!(id);
        }
    }
    scope
}
