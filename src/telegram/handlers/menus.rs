//! Per-user command menus, refreshed whenever someone's roles or language change.

use super::Result;
use crate::domain::UserId;
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
