//! The coordinator's side of confirmations: `/bukti` (the latest confirmations, one delivery's evidence with
//! the kept photos sent back, and its export: the original files and a CSV manifest) and `/kasus` (open
//! cases, resolved with a button). A coordinator sees only deliveries inside their scope.

use super::Result;
use crate::callback::Callback;
use crate::domain::DeliveryId;
use crate::domain::dialogue::Dialogue;
use crate::domain::evidence::Outcome;
use crate::domain::role::Scope;
use crate::i18n::{Arg, date_label, t};
use crate::outbound::{Attachment, Button, Keyboard, Outbound};
use crate::services::confirmations::problem_label;
use crate::services::evidence::{self as service, EvidenceFile};
use crate::store::children::Child;
use crate::store::confirmations::{self as store, Evidence, EvidenceState, FlagRow};
use crate::store::deliveries::Delivery;
use crate::telegram::context::Ctx;
use crate::telegram::refusals;

const RECENT: i64 = 10;
const CASES: i64 = 20;

fn area(scope: &Scope) -> Option<String> {
    match scope {
        Scope::All => None,
        Scope::Region(code) => Some(code.as_str().to_owned()),
    }
}

/// `/bukti` lists the latest confirmations; `/bukti <delivery>` shows one delivery's evidence.
pub async fn command(ctx: &mut Ctx<'_>, scope: &Scope, args: &str) -> Result {
    let args = args.trim().trim_start_matches('#');
    if !args.is_empty() {
        return match args.parse::<i64>() {
            Ok(id) if id > 0 => show(ctx, DeliveryId(id), false).await,
            _ => {
                ctx.say("evidence-usage");
                Ok(())
            }
        };
    }
    let recent = store::recent(ctx.conn, area(scope).as_deref(), RECENT).await?;
    if recent.is_empty() {
        ctx.say("evidence-none-yet");
        return Ok(());
    }
    let lang = ctx.lang();
    let mut lines = Vec::new();
    let mut buttons = Vec::new();
    for r in &recent {
        let outcome = t(lang, &format!("outcome-{}", r.outcome.as_str()));
        let flags = if r.flags > 0 {
            format!(" ⚠️{}", r.flags)
        } else {
            String::new()
        };
        lines.push(ctx.trf(
            "evidence-recent-line",
            &[
                ("delivery", Arg::Num(r.delivery.0)),
                ("child", Arg::Text(&r.child_name)),
                ("outcome", Arg::Text(&outcome)),
                ("flags", Arg::Text(&flags)),
            ],
        ));
        buttons.push(Button::new(
            format!("🔎 #{} {}{flags}", r.delivery.0, r.child_name),
            Callback::ShowEvidence {
                delivery: r.delivery,
                export: false,
            }
            .encode(),
        ));
    }
    let text = ctx.trf(
        "evidence-recent",
        &[("lines", Arg::Html(&lines.join("\n")))],
    );
    ctx.reply(text, Keyboard::column(buttons));
    Ok(())
}

fn flag_line(ctx: &Ctx<'_>, f: &FlagRow) -> String {
    ctx.trf(
        &format!("flag-line-{}", f.kind.as_str()),
        &[
            ("other", Arg::Num(f.other_delivery.map_or(0, |d| d.0))),
            ("km", Arg::Num(f.km.unwrap_or(0))),
            ("days", Arg::Num(f.days.unwrap_or(0))),
        ],
    )
}

/// The file name an evidence picture is sent and exported under: delivery, position, start of the hash.
fn file_name(d: DeliveryId, n: usize, e: &Evidence) -> String {
    let hash = e.sha256.as_deref().unwrap_or("pending");
    let ext = e.kind.map_or("jpg", |k| k.extension());
    format!(
        "bukti-{}-{}-{}.{ext}",
        d.0,
        n + 1,
        &hash[..hash.len().min(12)]
    )
}

/// One delivery's evidence: the record, the flags, then each picture (the kept copy when stored); or, for
/// the export, the original files and a CSV manifest.
pub async fn show(ctx: &mut Ctx<'_>, id: DeliveryId, export: bool) -> Result {
    let actor = ctx.actor();
    let EvidenceFile {
        delivery: d,
        child,
        sponsor,
        confirmations,
        pictures,
        flags,
    } = match service::open(ctx.conn, &actor, id, export, ctx.now).await? {
        Ok(f) => f,
        Err(r) => {
            ctx.say(refusals::evidence(r));
            return Ok(());
        }
    };
    if export {
        return export_files(ctx, &d, &child, &confirmations, &pictures, &flags).await;
    }
    let lang = ctx.lang();
    let mut lines = Vec::new();
    for c in &confirmations {
        let details = match c.outcome {
            Outcome::Partial => c.missing.join(", "),
            Outcome::NotReceived => problem_label(lang, c.problem, c.detail.as_deref()),
            Outcome::Full => String::new(),
        };
        let when =
            c.at.with_timezone(&ctx.bot.deliveries.default_zone)
                .format("%d-%m-%Y %H:%M")
                .to_string();
        lines.push(ctx.trf(
            "evidence-confirmation-line",
            &[
                ("by", Arg::Text(&c.by_name)),
                (
                    "role",
                    Arg::Text(&t(lang, &format!("confirmed-as-{}", c.by_role.as_str()))),
                ),
                ("when", Arg::Text(&when)),
                (
                    "outcome",
                    Arg::Text(&t(lang, &format!("outcome-{}", c.outcome.as_str()))),
                ),
                ("details", Arg::Text(&details)),
                ("note", Arg::Text(c.note.as_deref().unwrap_or("—"))),
                (
                    "place",
                    Arg::Text(&c.place.map_or_else(|| "—".to_owned(), |p| p.to_string())),
                ),
            ],
        ));
    }
    for f in &flags {
        lines.push(flag_line(ctx, f));
    }
    let stored = pictures
        .iter()
        .filter(|e| e.state == EvidenceState::Stored)
        .count();
    let text = ctx.trf(
        "evidence-view",
        &[
            ("delivery", Arg::Num(id.0)),
            ("child", Arg::Text(&child.full_name)),
            ("sponsor", Arg::Text(&sponsor)),
            ("date", Arg::Text(&date_label(lang, d.due_on))),
            (
                "status",
                Arg::Text(&t(lang, &format!("delivery-status-{}", d.status.as_str()))),
            ),
            (
                "photos",
                Arg::Num(i64::try_from(pictures.len()).unwrap_or(0)),
            ),
            ("stored", Arg::Num(i64::try_from(stored).unwrap_or(0))),
            ("lines", Arg::Html(&lines.join("\n"))),
        ],
    );
    let keyboard = Keyboard::column(vec![Button::new(
        t(lang, "button-export-evidence"),
        Callback::ShowEvidence {
            delivery: id,
            export: true,
        }
        .encode(),
    )]);
    ctx.reply(text, keyboard);
    for (n, e) in pictures.iter().enumerate() {
        let caption = picture_caption(ctx, n, e);
        let file = match (&e.state, &e.storage_key) {
            (EvidenceState::Stored, Some(key)) => Attachment::Stored {
                key: key.clone(),
                file_name: file_name(id, n, e),
            },
            (EvidenceState::Pending, _) => Attachment::Telegram {
                file_id: e.file_id.clone(),
            },
            _ => continue,
        };
        let chat_id = ctx.chat_id;
        ctx.out.push(if e.as_document {
            Outbound::Document {
                chat_id,
                document: file,
                caption,
            }
        } else {
            Outbound::Photo {
                chat_id,
                photo: file,
                caption,
                keyboard: Keyboard::None,
            }
        });
    }
    Ok(())
}

fn picture_caption(ctx: &Ctx<'_>, n: usize, e: &Evidence) -> String {
    let taken = e.taken_at.map_or_else(
        || "—".to_owned(),
        |t| t.format("%d-%m-%Y %H:%M").to_string(),
    );
    ctx.trf(
        &format!("evidence-picture-{}", e.state.as_str()),
        &[
            ("n", Arg::Num(i64::try_from(n + 1).unwrap_or(0))),
            ("sha", Arg::Text(e.sha256.as_deref().unwrap_or("—"))),
            ("kb", Arg::Num((e.size.unwrap_or(0) + 1023) / 1024)),
            ("taken", Arg::Text(&taken)),
            ("error", Arg::Text(e.error.as_deref().unwrap_or(""))),
        ],
    )
}

/// The original files as documents (byte for byte what was kept, named by hash) and a CSV manifest.
async fn export_files(
    ctx: &mut Ctx<'_>,
    d: &Delivery,
    child: &Child,
    confirmations: &[store::Confirmation],
    pictures: &[Evidence],
    flags: &[FlagRow],
) -> Result {
    let chat_id = ctx.chat_id;
    for (n, e) in pictures.iter().enumerate() {
        if let (EvidenceState::Stored, Some(key), Some(sha)) = (&e.state, &e.storage_key, &e.sha256)
        {
            ctx.out.push(Outbound::Document {
                chat_id,
                document: Attachment::Stored {
                    key: key.clone(),
                    file_name: file_name(d.id, n, e),
                },
                caption: format!("SHA-256 <code>{sha}</code>"),
            });
        }
    }
    let content = manifest(d, child, confirmations, pictures, flags);
    let caption = ctx.trf("evidence-export-caption", &[("delivery", Arg::Num(d.id.0))]);
    ctx.out.push(Outbound::Document {
        chat_id,
        document: Attachment::Text {
            file_name: format!("bukti-{}.csv", d.id.0),
            content,
        },
        caption,
    });
    Ok(())
}

/// One CSV row per picture (or per confirmation without pictures): who confirmed what, when and where, and
/// what was kept of each picture.
fn manifest(
    d: &Delivery,
    child: &Child,
    confirmations: &[store::Confirmation],
    pictures: &[Evidence],
    flags: &[FlagRow],
) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "delivery_id",
        "child_id",
        "due_on",
        "confirmation_id",
        "confirmed_by",
        "confirmed_as",
        "outcome",
        "missing",
        "problem",
        "note",
        "confirmed_at",
        "evidence_id",
        "file_unique_id",
        "state",
        "sha256",
        "size",
        "kind",
        "stored_as",
        "received_at",
        "shared_lat",
        "shared_lon",
        "taken_at",
        "taken_lat",
        "taken_lon",
        "flags",
    ];
    let _ = w.write_record(header);
    let point = |p: Option<crate::domain::evidence::GeoPoint>| {
        p.map_or((String::new(), String::new()), |p| {
            (format!("{:.6}", p.lat()), format!("{:.6}", p.lon()))
        })
    };
    for c in confirmations {
        let own: Vec<&Evidence> = pictures.iter().filter(|e| e.confirmation == c.id).collect();
        let base = vec![
            d.id.0.to_string(),
            child.id.0.to_string(),
            d.due_on.to_string(),
            c.id.to_string(),
            c.by.0.to_string(),
            c.by_role.as_str().to_owned(),
            c.outcome.as_str().to_owned(),
            crate::report_files::csv_text(&c.missing.join("; ")).into_owned(),
            c.problem.map(|p| p.as_str().to_owned()).unwrap_or_default(),
            crate::report_files::csv_text(c.note.as_deref().unwrap_or_default()).into_owned(),
            c.at.to_rfc3339(),
        ];
        if own.is_empty() {
            let mut row = base.clone();
            row.resize(header.len(), String::new());
            let _ = w.write_record(&row);
        }
        for e in own {
            let (lat, lon) = point(e.place);
            let (tlat, tlon) = point(e.taken_place);
            let kinds: Vec<&str> = flags
                .iter()
                .filter(|f| f.evidence == e.id)
                .map(|f| f.kind.as_str())
                .collect();
            let mut row = base.clone();
            row.extend([
                e.id.to_string(),
                e.file_unique_id.clone(),
                e.state.as_str().to_owned(),
                e.sha256.clone().unwrap_or_default(),
                e.size.map(|s| s.to_string()).unwrap_or_default(),
                e.kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
                e.storage_key.clone().unwrap_or_default(),
                e.received_at.to_rfc3339(),
                lat,
                lon,
                e.taken_at.map(|t| t.to_string()).unwrap_or_default(),
                tlat,
                tlon,
                kinds.join(" "),
            ]);
            let _ = w.write_record(&row);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// `/kasus`: the open cases in the coordinator's scope, oldest first, each with a button to resolve it.
pub async fn cases(ctx: &mut Ctx<'_>, scope: &Scope) -> Result {
    let open = store::open_cases(ctx.conn, area(scope).as_deref(), CASES).await?;
    if open.is_empty() {
        ctx.say("cases-none");
        return Ok(());
    }
    let lang = ctx.lang();
    let mut lines = Vec::new();
    let mut rows = Vec::new();
    for c in &open {
        let what = match c.outcome {
            Outcome::Partial => c.missing.join(", "),
            _ => problem_label(lang, c.problem, c.detail.as_deref()),
        };
        let opened = c
            .opened_at
            .with_timezone(&ctx.bot.deliveries.default_zone)
            .format("%d-%m-%Y")
            .to_string();
        lines.push(ctx.trf(
            "cases-line",
            &[
                ("case", Arg::Num(c.id)),
                ("child", Arg::Text(&c.child_name)),
                (
                    "outcome",
                    Arg::Text(&t(lang, &format!("outcome-{}", c.outcome.as_str()))),
                ),
                ("what", Arg::Text(&what)),
                ("by", Arg::Text(&c.opened_by)),
                ("opened", Arg::Text(&opened)),
                ("delivery", Arg::Num(c.delivery.0)),
            ],
        ));
        rows.push(vec![
            Button::new(
                ctx.trf("button-resolve-case", &[("case", Arg::Num(c.id))]),
                Callback::ResolveCase(c.id).encode(),
            ),
            Button::new(
                format!("🔎 #{}", c.delivery.0),
                Callback::ShowEvidence {
                    delivery: c.delivery,
                    export: false,
                }
                .encode(),
            ),
        ]);
    }
    let text = ctx.trf("cases-list", &[("lines", Arg::Html(&lines.join("\n")))]);
    ctx.reply(text, Keyboard::inline(rows));
    Ok(())
}

/// "Resolved": asks what was done (the reporter and the sponsor will read it).
pub async fn resolve(ctx: &mut Ctx<'_>, id: i64) -> Result {
    let actor = ctx.actor();
    let case = match service::resolvable(ctx.conn, &actor, id).await? {
        Ok(c) => c,
        Err(r) => {
            ctx.notice(refusals::evidence(r));
            return Ok(());
        }
    };
    ctx.dialogue = Dialogue::CaseResolution { case: id };
    let text = ctx.trf(
        "case-resolution-ask",
        &[
            ("case", Arg::Num(id)),
            ("child", Arg::Text(&case.child_name)),
        ],
    );
    ctx.reply(text, Keyboard::None);
    Ok(())
}

/// What was done about a case, typed: it is resolved with it, and the reporter and the sponsor told.
pub async fn resolution(ctx: &mut Ctx<'_>, id: i64, text: &str) -> Result {
    let what: String = text.trim().chars().take(300).collect();
    if what.chars().count() < 3 {
        ctx.say("case-resolution-too-short");
        return Ok(());
    }
    ctx.dialogue = Dialogue::Idle;
    let actor = ctx.actor();
    match service::resolve_case(ctx.conn, &actor, id, &what, ctx.now).await? {
        Ok(case) => {
            let text = ctx.trf(
                "case-resolved",
                &[
                    ("case", Arg::Num(id)),
                    ("child", Arg::Text(&case.child_name)),
                ],
            );
            ctx.reply(text, Keyboard::None);
        }
        Err(r) => ctx.say(refusals::evidence(r)),
    }
    Ok(())
}
