//! Per-user command menus, refreshed whenever someone's roles or language change.

use super::Result;
use crate::domain::UserId;
use crate::i18n::t;
use crate::outbound::Outbound;
use crate::store::{Conn, users};
use crate::telegram::commands;

/// The menu (setMyCommands for that chat) that `user` should see now, in their language.
pub async fn menu_for(conn: &mut Conn, user: UserId) -> Result<Outbound> {
    let roles = users::roles(conn, user).await?;
    let lang = users::language(conn, user).await?;
    Ok(Outbound::Commands {
        chat_id: Some(user.0),
        language: None,
        commands: commands::menu(&roles.active(), lang),
    })
}

/// The menus `user` should have now: the command menu and, when the dashboard is on (`app_url`), the
/// chat's menu button — "📊 Dasbor" for a coordinator, Telegram's default for anyone else (a coordinator
/// revoked loses it).
pub async fn menus_for(
    conn: &mut Conn,
    user: UserId,
    app_url: Option<&str>,
) -> Result<Vec<Outbound>> {
    let mut out = vec![menu_for(conn, user).await?];
    if let Some(url) = app_url {
        let roles = users::roles(conn, user).await?;
        let lang = users::language(conn, user).await?;
        out.push(Outbound::MenuButton {
            chat_id: user.0,
            web_app: roles
                .coordinator
                .is_some()
                .then(|| (t(lang, "dash-button"), url.to_owned())),
        });
    }
    Ok(out)
}
