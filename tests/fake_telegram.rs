//! Tests of the fake Telegram Bot API server itself, driven by teloxide's `Bot` exactly as
//! the bot drives it.

#[path = "support/fake_telegram/mod.rs"]
mod fake_telegram;

use std::time::{Duration, Instant};

use fake_telegram::{Failure, FakeTelegram, Storm, TestUser};
use serde_json::json;
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, BotCommandScope, ButtonRequest, FileId, InlineKeyboardButton, InlineKeyboardMarkup,
    InputFile, KeyboardButton, KeyboardMarkup, MaybeInaccessibleMessage, MessageEntityKind,
    MessageId, ParseMode, Recipient, UpdateKind,
};
use teloxide::{ApiError, RequestError};

fn bot(fake: &FakeTelegram) -> Bot {
    Bot::new(FakeTelegram::TOKEN).set_api_url(fake.api_url().parse().expect("api url"))
}

fn keyboard(buttons: &[(&str, &str)]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(buttons.iter().map(|(text, data)| {
        vec![InlineKeyboardButton::callback(
            text.to_string(),
            data.to_string(),
        )]
    }))
}

fn api_err<T: std::fmt::Debug>(r: Result<T, RequestError>) -> ApiError {
    match r {
        Err(RequestError::Api(e)) => e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn unknown(r: Result<impl std::fmt::Debug, RequestError>) -> String {
    match api_err(r) {
        ApiError::Unknown(s) => s,
        other => panic!("expected ApiError::Unknown, got {other:?}"),
    }
}

fn cant_parse(r: Result<impl std::fmt::Debug, RequestError>) -> String {
    match api_err(r) {
        ApiError::CantParseEntities(s) => s,
        other => panic!("expected ApiError::CantParseEntities, got {other:?}"),
    }
}

/// A user whose private chat the fake knows (they wrote to the bot).
fn known_user(fake: &FakeTelegram, id: i64) -> TestUser {
    let user = TestUser::new(id, "Siti", Some("id"));
    fake.send_text(&user, "/start");
    user
}

fn add_group(fake: &FakeTelegram, chat_id: i64, from: &TestUser) {
    fake.inject_raw(json!({"message": {
        "message_id": 1, "date": 1_700_000_000,
        "chat": {"id": chat_id, "type": "supergroup", "title": "Posyandu"},
        "from": {"id": from.id, "is_bot": false, "first_name": from.first_name},
        "text": "halo"
    }}));
}

async fn raw_post(
    fake: &FakeTelegram,
    bot: &Bot,
    method: &str,
    content_type: &str,
    body: &str,
) -> (u16, String) {
    let url = format!("{}/bot{}/{method}", fake.api_url(), FakeTelegram::TOKEN);
    let r = bot
        .client()
        .post(url)
        .header("content-type", content_type)
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn get_me_and_token_check() {
    let fake = FakeTelegram::start().await;
    let me = bot(&fake).get_me().await.unwrap();
    assert_eq!(me.id, UserId(999_000));
    assert!(me.is_bot);
    assert_eq!(me.username(), fake.bot_username());
    assert_eq!(me.first_name, "Asuh");

    let wrong = Bot::new("1:WRONG").set_api_url(fake.api_url().parse().unwrap());
    assert_eq!(api_err(wrong.get_me().await), ApiError::InvalidToken);
    assert_eq!(fake.calls("getMe").len(), 2);
    assert_eq!(fake.calls("getMe")[1].status, 401);
    assert!(fake.spec_violations().is_empty());
}

#[tokio::test]
async fn every_kind_of_update_deserializes() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    let user = TestUser::new(1001, "Siti", Some("id"));
    fake.send_text(&user, "/start ref_42");
    fake.send_contact(&user, "+628123456789", Some(1001));
    fake.send_photo(&user, "PHOTO1", Some("foto anak"));
    fake.send_document(&user, "DOC1", "laporan.pdf", "application/pdf");
    fake.send_sticker(&user);
    fake.send_location(&user, -6.2, 106.8);
    let sent = bot
        .send_message(ChatId(1001), "Pilih")
        .reply_markup(keyboard(&[("Ya", "yes")]))
        .await
        .unwrap();
    let msg = fake.next_message(1001).await;
    fake.press_button(&user, &msg, "yes");
    assert_eq!(fake.pending_updates(), 7);

    let updates = bot.get_updates().await.unwrap();
    assert_eq!(updates.len(), 7);
    for u in &updates {
        assert!(
            !matches!(u.kind, UpdateKind::Error(_)),
            "update did not deserialize: {u:?}"
        );
    }
    let message = |i: usize| match &updates[i].kind {
        UpdateKind::Message(m) => m.clone(),
        other => panic!("expected a message, got {other:?}"),
    };
    let m = message(0);
    assert_eq!(m.text(), Some("/start ref_42"));
    assert!(m.chat.is_private());
    assert_eq!(m.chat.id, ChatId(1001));
    let from = m.from.as_ref().unwrap();
    assert_eq!(from.id, UserId(1001));
    assert_eq!(from.language_code.as_deref(), Some("id"));
    let entities = m.entities().unwrap();
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].kind, MessageEntityKind::BotCommand);
    assert_eq!((entities[0].offset, entities[0].length), (0, 6));

    let contact = message(1).contact().cloned().unwrap();
    assert_eq!(contact.phone_number, "+628123456789");
    assert_eq!(contact.user_id, Some(UserId(1001)));

    let m = message(2);
    let photo = m.photo().unwrap();
    assert_eq!(photo.len(), 3);
    assert_eq!(photo[2].file.id.0, "PHOTO1");
    assert_eq!(m.caption(), Some("foto anak"));

    let m = message(3);
    let doc = m.document().unwrap();
    assert_eq!(doc.file.id.0, "DOC1");
    assert_eq!(doc.file_name.as_deref(), Some("laporan.pdf"));
    assert_eq!(
        doc.mime_type.as_ref().map(|m| m.essence_str()),
        Some("application/pdf")
    );

    assert!(message(4).sticker().is_some());
    let loc = message(5).location().cloned().unwrap();
    assert!((loc.latitude + 6.2).abs() < 1e-9 && (loc.longitude - 106.8).abs() < 1e-9);

    match &updates[6].kind {
        UpdateKind::CallbackQuery(q) => {
            assert_eq!(q.data.as_deref(), Some("yes"));
            assert_eq!(q.from.id, UserId(1001));
            match q.message.as_ref().unwrap() {
                MaybeInaccessibleMessage::Regular(m) => {
                    assert_eq!(m.id, sent.id);
                    assert_eq!(m.text(), Some("Pilih"));
                }
                other => panic!("expected a regular message, got {other:?}"),
            }
        }
        other => panic!("expected a callback query, got {other:?}"),
    }
    // Message ids are per chat and shared between the user's and the bot's messages.
    assert_eq!(sent.id.0, 7);

    // A button on a deleted message comes as an inaccessible message.
    bot.delete_message(ChatId(1001), sent.id).await.unwrap();
    fake.press_button(&user, &msg, "yes");
    let updates = bot
        .get_updates()
        .offset(updates[6].id.as_offset())
        .await
        .unwrap();
    assert_eq!(updates.len(), 1);
    match &updates[0].kind {
        UpdateKind::CallbackQuery(q) => {
            assert!(
                matches!(q.message, Some(MaybeInaccessibleMessage::Inaccessible(_))),
                "{q:?}"
            )
        }
        other => panic!("expected a callback query, got {other:?}"),
    }
    assert!(
        fake.spec_violations().is_empty(),
        "{:?}",
        fake.spec_violations()
    );
}

#[tokio::test]
async fn long_polling_waits_wakes_and_confirms() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    let user = TestUser::new(7, "Budi", None);

    let t0 = Instant::now();
    assert!(bot.get_updates().timeout(0).await.unwrap().is_empty());
    assert!(t0.elapsed() < Duration::from_millis(500));

    let t0 = Instant::now();
    let held = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(5).await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!held.is_finished(), "getUpdates must wait for an update");
    let id = fake.send_text(&user, "halo");
    let got = held.await.unwrap().unwrap();
    assert!(t0.elapsed() < Duration::from_secs(2));
    assert_eq!(got.len(), 1);
    assert_eq!(i64::from(got[0].id.0), id);

    // Not confirmed yet: delivered again.
    assert_eq!(fake.pending_updates(), 1);
    assert_eq!(bot.get_updates().timeout(0).await.unwrap().len(), 1);
    // Confirmed by a higher offset.
    assert!(
        bot.get_updates()
            .offset(got[0].id.as_offset())
            .timeout(0)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(fake.pending_updates(), 0);

    // limit
    for i in 0..3 {
        fake.send_text(&user, &format!("m{i}"));
    }
    assert_eq!(
        bot.get_updates().limit(2).timeout(0).await.unwrap().len(),
        2
    );

    // A timeout with nothing to deliver.
    let t0 = Instant::now();
    let last = bot
        .get_updates()
        .timeout(0)
        .await
        .unwrap()
        .last()
        .unwrap()
        .id;
    assert!(
        bot.get_updates()
            .offset(last.as_offset())
            .timeout(1)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(t0.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn a_newer_long_poll_terminates_the_held_one_with_409() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    let poll = |offset: i32, timeout: u32| {
        let bot = bot.clone();
        tokio::spawn(async move { bot.get_updates().offset(offset).timeout(timeout).await })
    };
    let first = poll(0, 3);
    tokio::time::sleep(Duration::from_millis(200)).await;
    // A held poll is recorded at once, with status 0 until it is answered.
    let calls = fake.calls("getUpdates");
    assert_eq!((calls.len(), calls[0].status), (1, 0));

    // timeout=0 (teloxide's last call when it stops) never conflicts.
    assert!(bot.get_updates().timeout(0).await.unwrap().is_empty());
    assert!(!first.is_finished());

    // Like telegram-bot-api: the newer poll wins, the held one gets 409.
    let second = poll(0, 3);
    assert_eq!(
        api_err(first.await.unwrap()),
        ApiError::TerminatedByOtherGetUpdates
    );
    fake.send_text(&TestUser::new(5, "A", None), "x");
    let got = second.await.unwrap().unwrap();
    assert_eq!(got.len(), 1);
    let offset = got[0].id.as_offset();
    let statuses: Vec<u16> = fake.calls("getUpdates").iter().map(|c| c.status).collect();
    assert_eq!(statuses, [409, 200, 200]);

    // A poll whose client went away (the bot was killed) does not disturb the next one.
    let dead = poll(offset, 5);
    tokio::time::sleep(Duration::from_millis(100)).await;
    dead.abort();
    let next = poll(offset, 5);
    tokio::time::sleep(Duration::from_millis(100)).await;
    fake.send_text(&TestUser::new(5, "A", None), "y");
    let got = next.await.unwrap().unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(fake.calls("getUpdates").last().unwrap().status, 200);
}

#[tokio::test]
async fn send_edit_delete_and_callbacks() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    let user = known_user(&fake, 42);
    let chat = ChatId(42);

    let html = "<b>Halo</b> &amp; <i>selamat</i> <a href=\"https://example.com/\">datang</a> &lt;3";
    let m = bot
        .send_message(chat, html)
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard(&[("Ya, lanjut", "yes"), ("Tidak", "no")]))
        .await
        .unwrap();
    assert_eq!(m.text(), Some("Halo & selamat datang <3"));
    let kinds: Vec<_> = m
        .entities()
        .unwrap()
        .iter()
        .map(|e| (e.kind.clone(), e.offset, e.length))
        .collect();
    assert_eq!(kinds[0], (MessageEntityKind::Bold, 0, 4));
    assert_eq!(kinds[1], (MessageEntityKind::Italic, 7, 7));
    assert!(matches!(kinds[2].0, MessageEntityKind::TextLink { .. }));
    assert_eq!(m.from.as_ref().unwrap().id, UserId(999_000));
    assert!(m.reply_markup().is_some());

    let s = fake.next_message(42).await;
    assert_eq!(s.method, "sendMessage");
    assert_eq!(s.message_id, m.id.0 as i64);
    assert_eq!(s.text.as_deref(), Some(html));
    assert_eq!(s.parse_mode.as_deref(), Some("HTML"));
    assert_eq!(s.plain_text(), "Halo & selamat datang <3");
    assert_eq!(
        s.buttons(),
        vec![
            ("Ya, lanjut".into(), "yes".into()),
            ("Tidak".into(), "no".into())
        ]
    );
    assert_eq!(s.button_data("lanjut").as_deref(), Some("yes"));
    assert_eq!(s.button_data("nope"), None);

    // Callback: answer once; a second answer is refused.
    fake.press_button(&user, &s, "yes");
    let q = bot
        .get_updates()
        .await
        .unwrap()
        .into_iter()
        .find_map(|u| match u.kind {
            UpdateKind::CallbackQuery(q) => Some(q),
            _ => None,
        })
        .unwrap();
    bot.answer_callback_query(q.id.clone())
        .text("Oke")
        .await
        .unwrap();
    assert_eq!(
        api_err(bot.answer_callback_query(q.id.clone()).await),
        ApiError::InvalidQueryId
    );
    assert_eq!(fake.callback_answers().len(), 1);
    assert_eq!(fake.callback_answers()[0]["text"], "Oke");
    fake.press_button(&user, &s, "no");
    let q2 = bot
        .get_updates()
        .await
        .unwrap()
        .into_iter()
        .rev()
        .find_map(|u| match u.kind {
            UpdateKind::CallbackQuery(q) => Some(q),
            _ => None,
        });
    let q2 = q2.unwrap();
    assert_ne!(q2.id, q.id);
    assert_eq!(
        api_err(
            bot.answer_callback_query(q2.id.clone())
                .text("x".repeat(201))
                .await
        ),
        ApiError::EditedMessageIsTooLong
    );

    // Edits.
    let e = bot
        .edit_message_text(chat, m.id, "Sudah dipilih")
        .await
        .unwrap();
    assert_eq!(e.text(), Some("Sudah dipilih"));
    assert!(
        e.reply_markup().is_none(),
        "an edit without reply_markup removes the keyboard"
    );
    assert!(e.edit_date().is_some());
    let s = fake.next_message(42).await;
    assert_eq!(
        (s.method.as_str(), s.text.as_deref()),
        ("editMessageText", Some("Sudah dipilih"))
    );
    assert_eq!(
        api_err(bot.edit_message_text(chat, m.id, "Sudah dipilih").await),
        ApiError::MessageNotModified
    );
    assert_eq!(
        api_err(bot.edit_message_text(chat, MessageId(999), "x").await),
        ApiError::MessageToEditNotFound
    );
    bot.edit_message_reply_markup(chat, m.id)
        .reply_markup(keyboard(&[("Ulang", "again")]))
        .await
        .unwrap();
    let s = fake.next_message(42).await;
    assert_eq!(s.method, "editMessageReplyMarkup");
    assert_eq!(s.text.as_deref(), Some("Sudah dipilih"));
    assert_eq!(s.button_data("Ulang").as_deref(), Some("again"));
    assert_eq!(
        api_err(
            bot.edit_message_reply_markup(chat, m.id)
                .reply_markup(keyboard(&[("Ulang", "again")]))
                .await
        ),
        ApiError::MessageNotModified
    );
    // The user's own /start can't be edited.
    assert_eq!(
        api_err(bot.edit_message_text(chat, MessageId(1), "x").await),
        ApiError::MessageCantBeEdited
    );

    // Delete.
    bot.delete_message(chat, m.id).await.unwrap();
    let s = fake.next_message(42).await;
    assert_eq!(
        (s.method.as_str(), s.message_id),
        ("deleteMessage", m.id.0 as i64)
    );
    assert_eq!(
        api_err(bot.delete_message(chat, m.id).await),
        ApiError::MessageToDeleteNotFound
    );

    fake.expect_no_message(42, Duration::from_millis(50)).await;
    assert!(
        fake.next_message_within(42, Duration::from_millis(10))
            .await
            .is_none()
    );
    assert_eq!(fake.messages_to(42).len(), 4);
    assert!(
        fake.spec_violations().is_empty(),
        "{:?}",
        fake.spec_violations()
    );
}

#[tokio::test]
async fn texts_are_validated_like_telegram() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    known_user(&fake, 42);
    let chat = ChatId(42);

    assert_eq!(
        api_err(bot.send_message(ChatId(4242), "x").await),
        ApiError::ChatNotFound
    );
    assert_eq!(
        api_err(bot.send_message(chat, "").await),
        ApiError::MessageTextIsEmpty
    );
    assert_eq!(
        api_err(bot.send_message(chat, "  \n ").await),
        ApiError::MessageTextIsEmpty
    );
    assert_eq!(
        api_err(
            bot.send_message(chat, "<b></b>")
                .parse_mode(ParseMode::Html)
                .await
        ),
        ApiError::MessageTextIsEmpty
    );

    // 4096 UTF-16 code units after entity parsing.
    bot.send_message(chat, "a".repeat(4096)).await.unwrap();
    bot.send_message(chat, format!("<b>{}</b>", "a".repeat(4096)))
        .parse_mode(ParseMode::Html)
        .await
        .unwrap();
    bot.send_message(chat, "\u{1F600}".repeat(2048))
        .await
        .unwrap();
    assert_eq!(
        api_err(bot.send_message(chat, "a".repeat(4097)).await),
        ApiError::MessageIsTooLong
    );
    assert_eq!(
        api_err(bot.send_message(chat, "\u{1F600}".repeat(2049)).await),
        ApiError::MessageIsTooLong
    );

    for bad in [
        "a<br>b",
        "<b>x",
        "<b>x</i>",
        "x</b>",
        "1 < 2",
        "Tom & Jerry",
        "<span>x</span>",
        "<p>x</p>",
    ] {
        let e = cant_parse(
            bot.send_message(chat, bad)
                .parse_mode(ParseMode::Html)
                .await,
        );
        assert!(
            e.starts_with("Bad Request: can't parse entities: "),
            "{bad}: {e}"
        );
    }
    for good in [
        "a > b &#39; &#x1F600; &quot;q&quot;",
        "<strong>s</strong><em>e</em><ins>i</ins><s>s</s><strike>s</strike><del>d</del><u>u</u>",
        "<span class=\"tg-spoiler\">x</span><tg-spoiler>y</tg-spoiler><code>c</code>",
        "<pre><code class=\"language-rust\">fn main() {}</code></pre><blockquote expandable>q</blockquote>",
        "<a href='https://t.me/x?a=1&amp;b=2'>link</a>",
    ] {
        bot.send_message(chat, good)
            .parse_mode(ParseMode::Html)
            .await
            .unwrap_or_else(|e| panic!("{good}: {e}"));
    }

    let e = cant_parse(
        bot.send_message(chat, "Halo.")
            .parse_mode(ParseMode::MarkdownV2)
            .await,
    );
    assert_eq!(
        e,
        "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'"
    );
    let e = cant_parse(
        bot.send_message(chat, "*tebal")
            .parse_mode(ParseMode::MarkdownV2)
            .await,
    );
    assert!(e.contains("Can't find end of Bold entity"), "{e}");
    for bad in ["a-b", "(x)", "1+1=2", "#tag", "a!"] {
        cant_parse(
            bot.send_message(chat, bad)
                .parse_mode(ParseMode::MarkdownV2)
                .await,
        );
    }
    let m = bot
        .send_message(chat, "*tebal* _miring_ __garis__ ~coret~ ||rahasia|| `ko.de` [tautan](https://x.y/a_(b\\)) Halo\\.")
        .parse_mode(ParseMode::MarkdownV2)
        .await
        .unwrap();
    assert_eq!(
        m.text(),
        Some("tebal miring garis coret rahasia ko.de tautan Halo.")
    );
    assert_eq!(m.entities().unwrap().len(), 7);
    let s = fake.messages_to(42).pop().unwrap();
    assert_eq!(
        s.plain_text(),
        "tebal miring garis coret rahasia ko.de tautan Halo."
    );

    let long_caption = "c".repeat(1025);
    fake.add_file("PHOTO9", "U9", vec![1, 2, 3]);
    assert_eq!(
        unknown(
            bot.send_photo(chat, InputFile::file_id(FileId("PHOTO9".into())))
                .caption(long_caption)
                .await
        ),
        "Bad Request: message caption is too long"
    );
    assert!(
        fake.spec_violations().is_empty(),
        "{:?}",
        fake.spec_violations()
    );
}

#[tokio::test]
async fn keyboards_are_validated() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    let user = known_user(&fake, 42);
    let chat = ChatId(42);

    let long = "d".repeat(65);
    assert_eq!(
        api_err(
            bot.send_message(chat, "x")
                .reply_markup(keyboard(&[("A", &long)]))
                .await
        ),
        ApiError::ButtonDataInvalid
    );
    assert_eq!(
        api_err(
            bot.send_message(chat, "x")
                .reply_markup(keyboard(&[("A", "")]))
                .await
        ),
        ApiError::ButtonDataInvalid
    );
    bot.send_message(chat, "x")
        .reply_markup(keyboard(&[("A", &"d".repeat(64))]))
        .await
        .unwrap();
    assert_eq!(
        api_err(
            bot.send_message(chat, "x")
                .reply_markup(keyboard(&[("", "data")]))
                .await
        ),
        ApiError::TextButtonsAreUnallowed
    );

    let contact_kb = || {
        KeyboardMarkup::new([
            [KeyboardButton::new("Bagikan nomor").request(ButtonRequest::Contact)],
        ])
        .resize_keyboard()
    };
    bot.send_message(chat, "Nomor?")
        .reply_markup(contact_kb())
        .await
        .unwrap();
    let s = fake.messages_to(42).pop().unwrap();
    assert_eq!(s.keyboard_buttons()[0]["request_contact"], true);
    assert_eq!(s.keyboard_buttons()[0]["text"], "Bagikan nomor");

    add_group(&fake, -100_123, &user);
    assert_eq!(
        unknown(
            bot.send_message(ChatId(-100_123), "Nomor?")
                .reply_markup(contact_kb())
                .await
        ),
        "Bad Request: phone number can be requested in private chats only"
    );
    bot.send_message(ChatId(-100_123), "Halo grup")
        .await
        .unwrap();

    fake.block_user(42);
    assert_eq!(
        api_err(bot.send_message(chat, "x").await),
        ApiError::BotBlocked
    );
    fake.unblock_user(42);
    bot.send_message(chat, "x").await.unwrap();
    assert!(
        fake.spec_violations().is_empty(),
        "{:?}",
        fake.spec_violations()
    );
}

#[tokio::test]
async fn my_commands_per_scope_and_language() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    known_user(&fake, 42);
    let default = json!({"type": "default"});
    let chat_scope = json!({"type": "chat", "chat_id": 42});

    bot.set_my_commands([
        BotCommand::new("start", "Mulai"),
        BotCommand::new("help", "Bantuan"),
    ])
    .await
    .unwrap();
    bot.set_my_commands([BotCommand::new("laporan", "Laporan")])
        .scope(BotCommandScope::Chat {
            chat_id: Recipient::Id(ChatId(42)),
        })
        .language_code("id")
        .await
        .unwrap();
    assert_eq!(
        fake.my_commands(&default, None),
        Some(vec![
            ("start".into(), "Mulai".into()),
            ("help".into(), "Bantuan".into())
        ])
    );
    assert_eq!(
        fake.my_commands(&chat_scope, Some("id")),
        Some(vec![("laporan".into(), "Laporan".into())])
    );
    assert_eq!(fake.my_commands(&chat_scope, None), None);
    assert_eq!(fake.my_commands(&default, Some("id")), None);
    assert_eq!(bot.get_my_commands().await.unwrap().len(), 2);

    assert_eq!(
        unknown(bot.set_my_commands([BotCommand::new("Start", "x")]).await),
        "Bad Request: BOT_COMMAND_INVALID"
    );
    assert_eq!(
        unknown(
            bot.set_my_commands([BotCommand::new("a".repeat(33), "x")])
                .await
        ),
        "Bad Request: BOT_COMMAND_INVALID"
    );
    assert_eq!(
        unknown(bot.set_my_commands([BotCommand::new("ok", "")]).await),
        "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"
    );
    assert_eq!(
        unknown(
            bot.set_my_commands([BotCommand::new("ok", "d".repeat(257))])
                .await
        ),
        "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID"
    );
    assert_eq!(
        api_err(
            bot.set_my_commands([BotCommand::new("ok", "x")])
                .scope(BotCommandScope::Chat {
                    chat_id: Recipient::Id(ChatId(777))
                })
                .await
        ),
        ApiError::ChatNotFound
    );
    bot.delete_my_commands().await.unwrap();
    assert_eq!(fake.my_commands(&default, None), None);
    assert!(
        fake.spec_violations().is_empty(),
        "{:?}",
        fake.spec_violations()
    );
}

#[tokio::test]
async fn files_get_and_download() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    let user = known_user(&fake, 42);

    fake.add_file("FILE1", "U1", b"hello".to_vec());
    let f = bot.get_file(FileId("FILE1".into())).await.unwrap();
    assert_eq!((f.size, f.unique_id.0.as_str()), (5, "U1"));
    let mut buf = Vec::new();
    bot.download_file(&f.path, &mut buf).await.unwrap();
    assert_eq!(buf, b"hello");

    assert_eq!(
        api_err(bot.get_file(FileId("nope".into())).await),
        ApiError::FileIdInvalid
    );
    fake.add_file("BIG", "UB", vec![0; 20 * 1024 * 1024 + 1]);
    assert_eq!(
        unknown(bot.get_file(FileId("BIG".into())).await),
        "Bad Request: file is too big"
    );

    // A photo the user sent can be fetched (placeholder PNG unless add_file gave bytes).
    fake.send_photo(&user, "PHOTO1", None);
    let f = bot.get_file(FileId("PHOTO1".into())).await.unwrap();
    let mut buf = Vec::new();
    bot.download_file(&f.path, &mut buf).await.unwrap();
    assert!(buf.starts_with(b"\x89PNG\r\n\x1a\n"));
    fake.add_file("PHOTO2", "UP2", b"jpeg bytes".to_vec());
    fake.send_photo(&user, "PHOTO2", None);
    let f = bot.get_file(FileId("PHOTO2".into())).await.unwrap();
    let mut buf = Vec::new();
    bot.download_file(&f.path, &mut buf).await.unwrap();
    assert_eq!(buf, b"jpeg bytes");
    assert!(
        fake.spec_violations().is_empty(),
        "{:?}",
        fake.spec_violations()
    );
}

#[tokio::test]
async fn uploads_are_recorded_and_served() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    known_user(&fake, 42);
    let chat = ChatId(42);
    let png = vec![0x89, b'P', b'N', b'G', 1, 2, 3, 4];

    let m = bot
        .send_photo(chat, InputFile::memory(png.clone()).file_name("grafik.png"))
        .caption("<b>Grafik</b> minggu ini")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard(&[("Detail", "detail")]))
        .await
        .unwrap();
    assert_eq!(m.caption(), Some("Grafik minggu ini"));
    assert_eq!(
        m.caption_entities().unwrap()[0].kind,
        MessageEntityKind::Bold
    );
    let file_id = m.photo().unwrap().last().unwrap().file.id.clone();
    let s = fake.next_message(42).await;
    assert_eq!(s.method, "sendPhoto");
    assert_eq!(
        s.params["photo"],
        json!({"file_name": "grafik.png", "size": png.len()})
    );
    assert_eq!(s.text.as_deref(), Some("<b>Grafik</b> minggu ini"));
    assert_eq!(s.plain_text(), "Grafik minggu ini");
    assert_eq!(s.button_data("Detail").as_deref(), Some("detail"));

    let f = bot.get_file(file_id.clone()).await.unwrap();
    let mut buf = Vec::new();
    bot.download_file(&f.path, &mut buf).await.unwrap();
    assert_eq!(buf, png);

    // Re-send by file_id; edit the caption.
    let again = bot
        .send_photo(chat, InputFile::file_id(file_id))
        .await
        .unwrap();
    bot.edit_message_caption(chat, again.id)
        .caption("baru")
        .await
        .unwrap();
    let s = fake.messages_to(42).pop().unwrap();
    assert_eq!(
        (s.method.as_str(), s.text.as_deref()),
        ("editMessageCaption", Some("baru"))
    );
    assert_eq!(
        api_err(bot.edit_message_text(chat, again.id, "x").await),
        ApiError::Unknown("Bad Request: there is no text in the message to edit".into())
    );

    let d = bot
        .send_document(
            chat,
            InputFile::memory(b"a,b\n1,2\n".to_vec()).file_name("data.csv"),
        )
        .await
        .unwrap();
    let doc = d.document().unwrap();
    assert_eq!(doc.file_name.as_deref(), Some("data.csv"));
    assert_eq!(
        doc.mime_type.as_ref().map(|m| m.essence_str()),
        Some("text/csv")
    );
    assert_eq!(doc.file.size, 8);
    let s = fake.messages_to(42).pop().unwrap();
    assert_eq!(s.method, "sendDocument");
    assert_eq!(s.params["document"]["file_name"], "data.csv");

    assert_eq!(
        api_err(
            bot.send_photo(chat, InputFile::file_id(FileId("unknown".into())))
                .await
        ),
        ApiError::WrongFileIdOrUrl
    );
    assert_eq!(
        unknown(
            bot.send_photo(chat, InputFile::file_id(doc.file.id.clone()))
                .await
        ),
        "Bad Request: can't use file of type Document as Photo"
    );
    // The attach://<id> parts teloxide uses are not reported as unknown parameters.
    assert!(
        fake.spec_violations().is_empty(),
        "{:?}",
        fake.spec_violations()
    );
}

#[tokio::test]
async fn rate_limits() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    let user = known_user(&fake, 42);
    fake.set_rate_limits(true);

    let m = bot.send_message(ChatId(42), "satu").await.unwrap();
    match bot.send_message(ChatId(42), "dua").await {
        Err(RequestError::RetryAfter(s)) => assert_eq!(s.seconds(), 1),
        other => panic!("expected RetryAfter, got {other:?}"),
    }
    // Edits and callback answers are not sends.
    bot.edit_message_text(ChatId(42), m.id, "satu!")
        .await
        .unwrap();
    bot.edit_message_text(ChatId(42), m.id, "satu!!")
        .await
        .unwrap();
    let c = fake.calls("sendMessage").pop().unwrap();
    assert_eq!(c.status, 429);
    assert_eq!(c.response["parameters"]["retry_after"], 1);
    assert_eq!(
        fake.messages_to(42)
            .iter()
            .filter(|m| m.method == "sendMessage")
            .count(),
        1
    );

    // 20 per minute to a group.
    add_group(&fake, -100_555, &user);
    for i in 0..20 {
        bot.send_message(ChatId(-100_555), format!("g{i}"))
            .await
            .unwrap();
    }
    match bot.send_message(ChatId(-100_555), "g20").await {
        Err(RequestError::RetryAfter(s)) => assert!((1..=60).contains(&s.seconds())),
        other => panic!("expected RetryAfter, got {other:?}"),
    }
    // 30 per second overall (the 21 sends above are still within the last second).
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for id in 1..=31 {
        known_user(&fake, 1000 + id);
    }
    for id in 1..=30 {
        bot.send_message(ChatId(1000 + id), "x").await.unwrap();
    }
    assert!(matches!(
        bot.send_message(ChatId(1031), "x").await,
        Err(RequestError::RetryAfter(_))
    ));

    fake.set_rate_limits(false);
    bot.send_message(ChatId(1031), "x").await.unwrap();
    bot.send_message(ChatId(1031), "x").await.unwrap();
}

#[tokio::test]
async fn fail_next_injects_failures() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    known_user(&fake, 42);
    let chat = ChatId(42);

    fake.fail_next("sendMessage", 2, Failure::RetryAfter(3));
    for _ in 0..2 {
        match bot.send_message(chat, "x").await {
            Err(RequestError::RetryAfter(s)) => assert_eq!(s.seconds(), 3),
            other => panic!("expected RetryAfter, got {other:?}"),
        }
    }
    bot.send_message(chat, "x").await.unwrap();
    fake.fail_next(
        "sendmessage",
        1,
        Failure::Forbidden("bot was blocked by the user".into()),
    );
    assert_eq!(
        api_err(bot.send_message(chat, "x").await),
        ApiError::BotBlocked
    );
    fake.fail_next(
        "sendMessage",
        1,
        Failure::BadRequest("chat not found".into()),
    );
    assert_eq!(
        api_err(bot.send_message(chat, "x").await),
        ApiError::ChatNotFound
    );
    let statuses: Vec<u16> = fake.calls("sendMessage").iter().map(|c| c.status).collect();
    assert_eq!(statuses, [429, 429, 200, 403, 400]);
    assert_eq!(
        fake.messages_to(42).len(),
        1,
        "failed sends are not messages"
    );

    // teloxide sleeps 10 s on a 5xx before reading it, so check this one with a plain request.
    fake.fail_next("getMe", 1, Failure::ServerError(502));
    let (status, body) = raw_post(&fake, &bot, "getMe", "application/json", "{}").await;
    assert_eq!(status, 502);
    assert!(body.contains("\"Bad Gateway\""), "{body}");
    let (status, _) = raw_post(&fake, &bot, "getMe", "application/json", "{}").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_storm_hits_the_next_sends_as_told() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    known_user(&fake, 42);
    fake.storm(Storm {
        server_errors: 2,
        hangs: 1,
        hang_for: Duration::from_millis(300),
        retry_afters: 1,
        retry_after: 5,
        every: 2,
    });
    let body = r#"{"chat_id":42,"text":"x"}"#;
    let mut answers = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        let (status, text) = raw_post(&fake, &bot, "sendMessage", "application/json", body).await;
        answers.push((status, started.elapsed(), text));
    }
    let statuses: Vec<u16> = answers.iter().map(|a| a.0).collect();
    // 502, hang (answered 200), 429, 502, each after a call that goes through; then calm.
    assert_eq!(statuses, [200, 502, 200, 200, 200, 429, 200, 502, 200, 200]);
    assert!(
        answers[3].1 >= Duration::from_millis(300),
        "the hang is held"
    );
    assert!(
        answers[5].2.contains("\"retry_after\":5"),
        "{}",
        answers[5].2
    );
    assert_eq!(fake.storm_left(), 0);
    // Only the calls that went through are messages, the slow one included.
    assert_eq!(fake.messages_to(42).len(), 7);
    // Other methods are not hit.
    fake.storm(Storm {
        server_errors: 1,
        hangs: 0,
        hang_for: Duration::ZERO,
        retry_afters: 0,
        retry_after: 1,
        every: 1,
    });
    bot.get_me().await.unwrap();
    assert_eq!(fake.storm_left(), 1);
}

#[tokio::test]
async fn spec_violations_and_raw_requests() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    known_user(&fake, 42);

    let (status, body) = raw_post(
        &fake,
        &bot,
        "sendMessage",
        "application/json",
        r#"{"chat_id":42,"text":"hi","bogus":1}"#,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        fake.spec_violations(),
        ["sendMessage: unknown parameter `bogus`"]
    );

    // Method names are case-insensitive; form bodies work.
    let (status, body) = raw_post(
        &fake,
        &bot,
        "SENDMESSAGE",
        "application/x-www-form-urlencoded",
        "chat_id=42&text=halo+dunia%21",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let s = fake.messages_to(42).pop().unwrap();
    assert_eq!(
        (s.method.as_str(), s.text.as_deref()),
        ("sendMessage", Some("halo dunia!"))
    );

    let (status, body) = raw_post(
        &fake,
        &bot,
        "sendMessage",
        "application/json",
        r#"{"text":"hi"}"#,
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("Bad Request: chat_id is empty"), "{body}");
    let (status, body) = raw_post(&fake, &bot, "sendMesage", "application/json", "{}").await;
    assert_eq!(status, 404);
    assert!(body.contains("\"Not Found\""), "{body}");
    let (status, _) = raw_post(&fake, &bot, "sendMessage", "application/json", "{not json").await;
    assert_eq!(status, 400);
    let (status, _) = raw_post(&fake, &bot, "sendMessage", "application/json", "[1,2]").await;
    assert_eq!(status, 400);

    // Methods without special handling answer true.
    let (status, body) = raw_post(
        &fake,
        &bot,
        "setMyDescription",
        "application/json",
        r#"{"description":"d"}"#,
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (200, r#"{"ok":true,"result":true}"#)
    );

    assert_eq!(
        fake.spec_violations(),
        [
            "sendMessage: unknown parameter `bogus`",
            "sendMessage: missing required parameter `chat_id`",
            "sendMesage: no such Bot API method",
        ]
    );
    // GET with a query string works too.
    let url = format!(
        "{}/bot{}/sendMessage?chat_id=42&text=lewat%20GET",
        fake.api_url(),
        FakeTelegram::TOKEN
    );
    let r = bot.client().get(url).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        fake.messages_to(42).pop().unwrap().text.as_deref(),
        Some("lewat GET")
    );

    let call = fake
        .wait_for_call(
            "sendMessage",
            |c| c.params["text"] == "halo dunia!",
            Duration::from_millis(10),
        )
        .await
        .unwrap();
    assert_eq!(call.status, 200);
    assert!(
        fake.wait_for_call("deleteMessage", |_| true, Duration::from_millis(10))
            .await
            .is_none()
    );
    assert!(fake.all_calls().len() >= 7);
}

#[tokio::test]
async fn a_teloxide_dispatcher_runs_against_the_fake() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    let handler = dptree::entry()
        .branch(
            Update::filter_message().endpoint(|bot: Bot, msg: Message| async move {
                let text = format!("echo: {}", msg.text().unwrap_or_default());
                bot.send_message(msg.chat.id, text)
                    .reply_markup(keyboard(&[("Lagi", "again")]))
                    .await?;
                respond(())
            }),
        )
        .branch(Update::filter_callback_query().endpoint(
            |bot: Bot, q: CallbackQuery| async move {
                bot.answer_callback_query(q.id.clone()).await?;
                if let Some(m) = q.regular_message() {
                    bot.edit_message_text(
                        m.chat.id,
                        m.id,
                        format!("pressed {}", q.data.unwrap_or_default()),
                    )
                    .await?;
                }
                respond(())
            },
        ));
    let mut dispatcher = Dispatcher::builder(bot, handler).build();
    let shutdown = dispatcher.shutdown_token();
    let task = tokio::spawn(async move { dispatcher.dispatch().await });

    let user = TestUser::new(77, "Rina", Some("id"));
    fake.send_text(&user, "halo");
    let m = fake.next_message(77).await;
    assert_eq!(m.text.as_deref(), Some("echo: halo"));
    fake.press_button(&user, &m, &m.button_data("Lagi").unwrap());
    let e = fake.next_message(77).await;
    assert_eq!(
        (e.method.as_str(), e.text.as_deref()),
        ("editMessageText", Some("pressed again"))
    );
    assert_eq!(fake.callback_answers().len(), 1);
    let call = fake
        .wait_for_call(
            "getUpdates",
            |c| c.params.get("offset").is_some(),
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    // teloxide derives allowed_updates from the handler tree.
    let first = &fake.calls("getUpdates")[0];
    let mut allowed: Vec<&str> = first.params["allowed_updates"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    allowed.sort();
    assert_eq!(allowed, ["callback_query", "message"]);
    assert_eq!(call.status, 200);
    assert!(
        fake.spec_violations().is_empty(),
        "{:?}",
        fake.spec_violations()
    );

    // Graceful shutdown: teloxide drops the held poll and confirms the offset with timeout=0.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let t0 = Instant::now();
    shutdown.shutdown().expect("dispatcher running").await;
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("dispatcher stopped")
        .unwrap();
    assert!(t0.elapsed() < Duration::from_secs(3));
    assert_eq!(fake.pending_updates(), 0, "the last update was confirmed");
    assert!(fake.calls("getUpdates").iter().all(|c| c.status != 409));
}

#[tokio::test]
async fn a_failed_expectation_lists_what_the_chat_got() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    known_user(&fake, 42);
    bot.send_message(ChatId(42), "Selamat datang")
        .reply_markup(keyboard(&[("Daftar", "reg")]))
        .await
        .unwrap();
    let _ = bot
        .send_message(ChatId(42), "<b>rusak")
        .parse_mode(ParseMode::Html)
        .await;
    let check = tokio::spawn({
        let fake = fake.clone();
        async move { fake.expect_no_message(42, Duration::from_millis(10)).await }
    });
    let panic = check.await.unwrap_err().into_panic();
    let text = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(text.contains("expected no message to chat 42"), "{text}");
    assert!(
        text.contains("sendMessage text=Some(\"Selamat datang\")"),
        "{text}"
    );
    assert!(text.contains("Daftar"), "{text}");
    assert!(text.contains("failed calls to chat 42"), "{text}");
    assert!(text.contains("can't parse entities"), "{text}");
}

#[tokio::test]
async fn webhook_allowed_updates_offsets_and_other_methods() {
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    let user = known_user(&fake, 42);

    // getUpdates does not work while a webhook is set.
    bot.set_webhook("https://example.com/hook".parse().unwrap())
        .await
        .unwrap();
    assert!(bot.get_webhook_info().await.unwrap().url.is_some());
    assert!(
        matches!(bot.get_updates().await, Err(RequestError::Api(ApiError::Unknown(s))) if s.starts_with("Conflict: can't use getUpdates"))
    );
    bot.delete_webhook().await.unwrap();
    assert!(bot.get_webhook_info().await.unwrap().url.is_none());

    // allowed_updates persists; updates of other kinds are never delivered.
    let only_messages = vec![teloxide::types::AllowedUpdate::Message];
    assert_eq!(
        bot.get_updates()
            .allowed_updates(only_messages)
            .timeout(0)
            .await
            .unwrap()
            .len(),
        1
    );
    let sent = bot
        .send_message(ChatId(42), "x")
        .reply_markup(keyboard(&[("A", "a")]))
        .await
        .unwrap();
    let s = fake.next_message(42).await;
    assert_eq!(s.message_id, sent.id.0 as i64);
    fake.press_button(&user, &s, "a");
    fake.send_text(&user, "after");
    let got = bot.get_updates().timeout(0).await.unwrap();
    assert_eq!(got.len(), 2, "the callback query is dropped: {got:?}");
    assert!(got.iter().all(|u| matches!(u.kind, UpdateKind::Message(_))));

    // A negative offset keeps only the last N.
    fake.send_text(&user, "a");
    fake.send_text(&user, "b");
    let got = bot.get_updates().offset(-1).timeout(0).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(fake.pending_updates(), 1);

    // A group's callback query injected raw can be answered.
    add_group(&fake, -100_777, &user);
    fake.inject_raw(json!({"callback_query": {
        "id": "cb-raw", "chat_instance": "1", "data": "x",
        "from": {"id": user.id, "is_bot": false, "first_name": user.first_name},
    }}));
    bot.answer_callback_query(teloxide::types::CallbackQueryId("cb-raw".into()))
        .await
        .unwrap();
    // The injected group message has id 1; the group's next message id continues from it.
    let m = bot.send_message(ChatId(-100_777), "halo").await.unwrap();
    assert_eq!(m.id.0, 2);

    // Legacy Markdown, chat actions, replies.
    #[expect(deprecated)]
    let legacy = ParseMode::Markdown;
    let m = bot
        .send_message(ChatId(42), "*tebal* _miring_ `kode` [tautan](https://x.y)")
        .parse_mode(legacy)
        .await
        .unwrap();
    assert_eq!(m.text(), Some("tebal miring kode tautan"));
    assert_eq!(m.entities().unwrap().len(), 4);
    cant_parse(
        bot.send_message(ChatId(42), "*tebal")
            .parse_mode(legacy)
            .await,
    );
    bot.send_chat_action(ChatId(42), teloxide::types::ChatAction::Typing)
        .await
        .unwrap();
    bot.send_message(ChatId(42), "balasan")
        .reply_parameters(teloxide::types::ReplyParameters::new(MessageId(1)))
        .await
        .unwrap();
    assert_eq!(
        api_err(
            bot.send_message(ChatId(42), "balasan")
                .reply_parameters(teloxide::types::ReplyParameters::new(MessageId(9999)))
                .await
        ),
        ApiError::MessageToReplyNotFound
    );
    assert!(
        fake.spec_violations().is_empty(),
        "{:?}",
        fake.spec_violations()
    );
}

#[tokio::test]
async fn menu_buttons_and_web_app_buttons_are_checked() {
    use teloxide::types::{MenuButton, WebAppInfo};
    let fake = FakeTelegram::start().await;
    let bot = bot(&fake);
    let user = known_user(&fake, 42);
    let app = |url: &str| WebAppInfo {
        url: url.parse().expect("url"),
    };
    // A private chat's menu button opens a Mini App over HTTPS.
    assert_eq!(fake.menu_button(42)["type"], "default");
    bot.set_chat_menu_button()
        .chat_id(ChatId(42))
        .menu_button(MenuButton::WebApp {
            text: "📊 Dasbor".into(),
            web_app: app("https://asuh.example/app"),
        })
        .await
        .unwrap();
    assert_eq!(
        fake.menu_button(42)["web_app"]["url"],
        "https://asuh.example/app"
    );
    assert_eq!(
        unknown(
            bot.set_chat_menu_button()
                .chat_id(ChatId(42))
                .menu_button(MenuButton::WebApp {
                    text: "📊 Dasbor".into(),
                    web_app: app("http://asuh.example/app"),
                })
                .await
        ),
        "Bad Request: WEBAPP_URL_INVALID"
    );
    bot.set_chat_menu_button()
        .chat_id(ChatId(42))
        .menu_button(MenuButton::Default)
        .await
        .unwrap();
    assert_eq!(fake.menu_button(42)["type"], "default");
    // A web_app button under a message: private chats only, HTTPS only.
    let web = || {
        InlineKeyboardMarkup::new([[InlineKeyboardButton::web_app(
            "📊 Dasbor",
            app("https://asuh.example/app"),
        )]])
    };
    bot.send_message(ChatId(42), "Ringkasan")
        .reply_markup(web())
        .await
        .unwrap();
    let sent = fake.messages_to(42).pop().unwrap();
    assert_eq!(
        sent.buttons(),
        [(
            "📊 Dasbor".to_owned(),
            "https://asuh.example/app".to_owned()
        )]
    );
    add_group(&fake, -100_124, &user);
    assert_eq!(
        unknown(
            bot.send_message(ChatId(-100_124), "Ringkasan")
                .reply_markup(web())
                .await
        ),
        "Bad Request: BUTTON_TYPE_INVALID"
    );
    assert!(
        fake.spec_violations().is_empty(),
        "{:?}",
        fake.spec_violations()
    );
}
