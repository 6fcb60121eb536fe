//! What a handler works with: the transaction, the clock, the sender with their roles and dialogue, and
//! the messages it wants sent (written to the outbox in the same transaction when the handler returns).

use crate::domain::dialogue::Dialogue;
use crate::domain::policy::Actor;
use crate::domain::role::Roles;
use crate::domain::{Lang, UserId};
use crate::i18n::{Arg, t, tf};
use crate::outbound::{Keyboard, Outbound};
use crate::store::{Conn, users::User};
use chrono::{DateTime, Utc};

/// Facts about the running bot and the programme's settings that handlers need.
#[derive(Debug, Clone)]
pub struct BotInfo {
    pub username: String,
    /// How long a sponsor has to answer an offer.
    pub offer_ttl: chrono::Duration,
    /// How long a child stays held for a sponsor who asked for one.
    pub hold: chrono::Duration,
    /// How deliveries are planned, rescheduled and reminded.
    pub deliveries: crate::services::deliveries::Settings,
    /// How far a photo's place and time may be from the family and the delivery before it is flagged.
    pub evidence: crate::domain::evidence::Checks,
    /// How digests read (`/ringkasan`).
    pub digest: crate::services::digest::Settings,
    /// Where files the bot makes (the weekly chart asked for with `/ringkasan minggu`) are kept to be sent.
    pub media: crate::media::MediaStore,
    /// The dashboard, when `ASUH_PUBLIC_URL` turns it on: its settings, and the bot token meeting links
    /// are signed with.
    pub dashboard: Option<DashboardInfo>,
}

/// What handlers need of the dashboard.
#[derive(Debug, Clone)]
pub struct DashboardInfo {
    pub settings: crate::services::dashboard::Settings,
    pub token: crate::config::Token,
}

pub struct Ctx<'a> {
    pub conn: &'a mut Conn,
    pub now: DateTime<Utc>,
    pub me: User,
    pub roles: Roles,
    pub dialogue: Dialogue,
    pub chat_id: i64,
    pub bot: &'a BotInfo,
    pub out: Vec<Outbound>,
    /// The text of the answer to a pressed button (a small notice over the chat), if any.
    pub answer: Option<String>,
    /// People whose roles changed: their command menus are sent anew.
    pub menus: Vec<UserId>,
}

impl Ctx<'_> {
    pub fn lang(&self) -> Lang {
        self.me.lang
    }

    pub fn user_id(&self) -> UserId {
        self.me.id
    }

    /// Who is acting, with the roles they hold in this update's transaction: what the access policy
    /// decides on.
    pub fn actor(&self) -> Actor {
        Actor {
            user: self.me.id,
            roles: self.roles.clone(),
        }
    }

    /// `user`'s roles changed: their command menu is sent anew when the update is done.
    pub fn refresh_menu(&mut self, user: UserId) {
        if !self.menus.contains(&user) {
            self.menus.push(user);
        }
    }

    /// Says a refusal: as the notice over a pressed button (`message_id` given), else as a reply.
    pub fn refuse(&mut self, text: String, pressed: bool) {
        if pressed {
            self.answer = Some(text);
        } else {
            self.reply(text, Keyboard::None);
        }
    }

    pub fn tr(&self, key: &str) -> String {
        t(self.lang(), key)
    }

    pub fn trf(&self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        tf(self.lang(), key, args)
    }

    /// Replies in the user's chat.
    pub fn reply(&mut self, text: String, keyboard: Keyboard) {
        self.out.push(Outbound::Message {
            chat_id: self.chat_id,
            text,
            keyboard,
        });
    }

    /// Replies with one localized text.
    pub fn say(&mut self, key: &str) {
        let text = self.tr(key);
        self.reply(text, Keyboard::None);
    }

    /// Turns the message a button was pressed on into `text` (the next question, or the outcome), or sends
    /// it anew when that message cannot be edited.
    pub fn show(&mut self, message_id: Option<i64>, text: String, keyboard: Keyboard) {
        match message_id {
            Some(message_id)
                if !matches!(
                    keyboard,
                    Keyboard::ShareContact { .. }
                        | Keyboard::ShareLocation { .. }
                        | Keyboard::Remove
                ) =>
            {
                self.out.push(Outbound::Edit {
                    chat_id: self.chat_id,
                    message_id,
                    text,
                    keyboard,
                })
            }
            _ => self.reply(text, keyboard),
        }
    }

    /// Sends to someone else (a coordinator, a sponsor).
    pub fn send_to(&mut self, user: UserId, text: String, keyboard: Keyboard) {
        self.out.push(Outbound::Message {
            chat_id: user.0,
            text,
            keyboard,
        });
    }

    /// The small notice shown when a button press is answered.
    pub fn notice(&mut self, key: &str) {
        self.answer = Some(self.tr(key));
    }
}
