//! The coordinator's side of confirmations: `/bukti` (the latest confirmations, one delivery's evidence with
//! the kept photos sent back, and its export: the original files and a CSV manifest) and `/kasus` (open
//! cases, resolved with a button). A coordinator sees only deliveries inside their scope.

use super::Result;
use crate::callback::Callback;
use crate::domain::child::ChildId;
use crate::domain::dialogue::Dialogue;
use crate::domain::evidence::Outcome;
use crate::domain::region::{local_time, zone_label};
use crate::domain::role::Scope;
use crate::domain::{DeliveryId, Lang};
use crate::i18n::{Arg, date_label, t};
use crate::outbound::{Attachment, Button, Keyboard, Outbound};
use crate::services::confirmations::problem_label;
use crate::services::deliveries::{Zones, zone_of};
use crate::services::evidence::{self as service, EvidenceFile};
use crate::store::children::Child;
use crate::store::confirmations::{self as store, Evidence, EvidenceState, FlagRow};
use crate::store::deliveries::Delivery;
use crate::telegram::context::Ctx;
use crate::telegram::refusals;
use chrono::NaiveDate;
use chrono_tz::Tz;

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
    // Every time here is read in the zone of the child's region, named.
    let tz = zone_of(ctx.conn, &child.kecamatan, ctx.bot.deliveries.default_zone).await?;
    if export {
        return export_files(ctx, tz, &d, &child, &confirmations, &pictures, &flags).await;
    }
    let lang = ctx.lang();
    let mut lines = Vec::new();
    for c in &confirmations {
        let details = match c.outcome {
            Outcome::Partial => c.missing.join(", "),
            Outcome::NotReceived => problem_label(lang, c.problem, c.detail.as_deref()),
            Outcome::Full => String::new(),
        };
        let when = local_time(c.at, tz, "%d-%m-%Y %H:%M");
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
                Arg::Text(&t(
                    lang,
                    &format!(
                        "delivery-status-{}",
                        d.standing(ctx.now, ctx.bot.deliveries.missed_after())
                            .as_str()
                    ),
                )),
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
    // EXIF gives the camera's clock without a zone: said as such, never passed off as a zone's time.
    let taken = e.taken_at.map_or_else(
        || "—".to_owned(),
        |t| {
            ctx.trf(
                "evidence-camera-time",
                &[("time", Arg::Text(&t.format("%d-%m-%Y %H:%M").to_string()))],
            )
        },
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
    tz: Tz,
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
    let about = Manifest {
        lang: ctx.lang(),
        tz,
        delivery: d.id,
        due_on: d.due_on,
        child: child.id,
    };
    let content = manifest(&about, confirmations, pictures, flags);
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

/// What a manifest is about and how it reads: the reader's language and the zone of the child's region.
struct Manifest {
    lang: Lang,
    tz: Tz,
    delivery: DeliveryId,
    due_on: NaiveDate,
    child: ChildId,
}

/// The manifest's columns, in order (each a locale key for its header).
const MANIFEST_COLUMNS: [&str; 26] = [
    "manifest-col-delivery",
    "manifest-col-child",
    "manifest-col-due-on",
    "manifest-col-confirmation",
    "manifest-col-confirmed-by",
    "manifest-col-confirmed-as",
    "manifest-col-outcome",
    "manifest-col-missing",
    "manifest-col-problem",
    "manifest-col-note",
    "manifest-col-confirmed-at",
    "manifest-col-photo",
    "manifest-col-file-unique-id",
    "manifest-col-state",
    "manifest-col-sha256",
    "manifest-col-size",
    "manifest-col-kind",
    "manifest-col-stored-as",
    "manifest-col-received-at",
    "manifest-col-shared-lat",
    "manifest-col-shared-lon",
    "manifest-col-taken-at",
    "manifest-col-taken-lat",
    "manifest-col-taken-lon",
    "manifest-col-flags",
    "manifest-col-zone",
];

/// One CSV row per picture (or per confirmation without pictures): who confirmed what, when and where, and
/// what was kept of each picture. Like the report's files: a byte order mark, headers and values in the
/// reader's language, times in the zone of the child's region with its offset (and the zone named in the
/// last column), the camera's EXIF time as the camera wrote it, and every text people typed through
/// `report_files::csv_text`.
fn manifest(
    m: &Manifest,
    confirmations: &[store::Confirmation],
    pictures: &[Evidence],
    flags: &[FlagRow],
) -> String {
    let lang = m.lang;
    let text = |s: &str| crate::report_files::csv_text(s).into_owned();
    let time = |at: chrono::DateTime<chrono::Utc>| {
        at.with_timezone(&m.tz)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let header: Vec<String> = MANIFEST_COLUMNS.iter().map(|k| t(lang, k)).collect();
    let _ = w.write_record(&header);
    let point = |p: Option<crate::domain::evidence::GeoPoint>| {
        p.map_or((String::new(), String::new()), |p| {
            (format!("{:.6}", p.lat()), format!("{:.6}", p.lon()))
        })
    };
    let zone = zone_label(m.tz).to_owned();
    for c in confirmations {
        let own: Vec<&Evidence> = pictures.iter().filter(|e| e.confirmation == c.id).collect();
        let base = vec![
            m.delivery.0.to_string(),
            m.child.0.to_string(),
            m.due_on.to_string(),
            c.id.to_string(),
            c.by.0.to_string(),
            t(lang, &format!("confirmed-as-{}", c.by_role.as_str())),
            t(lang, &format!("outcome-{}", c.outcome.as_str())),
            text(&c.missing.join("; ")),
            text(&problem_label(lang, c.problem, c.detail.as_deref())),
            text(c.note.as_deref().unwrap_or_default()),
            time(c.at),
        ];
        if own.is_empty() {
            let mut row = base.clone();
            row.resize(MANIFEST_COLUMNS.len() - 1, String::new());
            row.push(zone.clone());
            let _ = w.write_record(&row);
        }
        for e in own {
            let (lat, lon) = point(e.place);
            let (tlat, tlon) = point(e.taken_place);
            let kinds: Vec<String> = flags
                .iter()
                .filter(|f| f.evidence == e.id)
                .map(|f| t(lang, &format!("flag-kind-{}", f.kind.as_str())))
                .collect();
            let mut row = base.clone();
            row.extend([
                e.id.to_string(),
                e.file_unique_id.clone(),
                t(lang, &format!("evidence-state-{}", e.state.as_str())),
                e.sha256.clone().unwrap_or_default(),
                e.size.map(|s| s.to_string()).unwrap_or_default(),
                e.kind
                    .map(|k| k.as_str().to_ascii_uppercase())
                    .unwrap_or_default(),
                e.storage_key.clone().unwrap_or_default(),
                time(e.received_at),
                lat,
                lon,
                e.taken_at
                    .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                    .unwrap_or_default(),
                tlat,
                tlon,
                kinds.join("; "),
                zone.clone(),
            ]);
            let _ = w.write_record(&row);
        }
    }
    let body = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
    // A byte order mark, so that a spreadsheet reads the names right (as the report's files do).
    format!("\u{feff}{body}")
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
    let mut zones = Zones::new(ctx.bot.deliveries.default_zone);
    for c in &open {
        let what = match c.outcome {
            Outcome::Partial => c.missing.join(", "),
            _ => problem_label(lang, c.problem, c.detail.as_deref()),
        };
        // The day it was opened where the child lives.
        let tz = zones.of(ctx.conn, &c.kecamatan).await?;
        let opened = c
            .opened_at
            .with_timezone(&tz)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::UserId;
    use crate::domain::evidence::{FlagKind, GeoPoint, ImageKind};
    use crate::store::confirmations::ConfirmedAs;
    use chrono::{NaiveDateTime, TimeZone, Utc};

    fn confirmation(note: &str) -> store::Confirmation {
        store::Confirmation {
            id: 3,
            delivery: DeliveryId(9),
            by: UserId(730_101),
            by_name: "Wa Ode".into(),
            by_role: ConfirmedAs::Volunteer,
            outcome: Outcome::Partial,
            missing: vec!["telur".into(), "=susu".into()],
            problem: None,
            detail: None,
            note: Some(note.into()),
            place: None,
            // 12:33 in Kendari, 11:33 in Jakarta.
            at: Utc.with_ymd_and_hms(2026, 12, 7, 4, 33, 0).unwrap(),
        }
    }

    fn picture() -> Evidence {
        Evidence {
            id: 11,
            confirmation: 3,
            delivery: DeliveryId(9),
            sent_by: UserId(730_101),
            received_at: Utc.with_ymd_and_hms(2026, 12, 7, 4, 34, 5).unwrap(),
            file_id: "f".into(),
            file_unique_id: "AgADuq1".into(),
            as_document: true,
            place: GeoPoint::from_e6(-3_966_200, 122_511_100),
            state: EvidenceState::Stored,
            sha256: Some("ab".repeat(32)),
            size: Some(2048),
            kind: Some(ImageKind::Jpeg),
            storage_key: Some("ab/ab/x.jpg".into()),
            taken_at: NaiveDateTime::parse_from_str("2026-12-07 12:30:00", "%Y-%m-%d %H:%M:%S")
                .ok(),
            taken_place: None,
            attempts: 1,
            error: None,
        }
    }

    fn rows(csv: &str) -> Vec<Vec<String>> {
        let body = csv.strip_prefix('\u{feff}').expect("a byte order mark");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(body.as_bytes())
            .records()
            .map(|r| r.expect("a record").iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn the_manifest_reads_in_the_readers_language_with_times_in_the_childs_zone() {
        let flags = [FlagRow {
            evidence: 11,
            delivery: DeliveryId(9),
            kind: FlagKind::ReusedPhoto,
            other_delivery: Some(DeliveryId(4)),
            km: None,
            days: None,
            at: Utc.with_ymd_and_hms(2026, 12, 7, 4, 40, 0).unwrap(),
        }];
        for (lang, header, outcome, role, state, flag, zone_col) in [
            (
                Lang::En,
                "Delivery ID",
                "received with items missing",
                "volunteer",
                "kept",
                "photo used before",
                "Time zone",
            ),
            (
                Lang::Id,
                "ID pengiriman",
                "diterima, ada yang kurang",
                "relawan",
                "tersimpan",
                "foto dipakai ulang",
                "Zona waktu",
            ),
        ] {
            let m = Manifest {
                lang,
                tz: chrono_tz::Asia::Makassar,
                delivery: DeliveryId(9),
                due_on: NaiveDate::from_ymd_opt(2026, 12, 7).expect("date"),
                child: ChildId(2),
            };
            let rows = rows(&manifest(
                &m,
                &[confirmation("=HYPERLINK(\"x\")")],
                &[picture()],
                &flags,
            ));
            assert_eq!(rows.len(), 2, "{rows:?}");
            assert_eq!(rows[0].len(), MANIFEST_COLUMNS.len());
            assert_eq!(rows[1].len(), MANIFEST_COLUMNS.len());
            assert_eq!(rows[0][0], header);
            assert_eq!(rows[0][25], zone_col);
            let row = &rows[1];
            assert_eq!(row[5], role);
            assert_eq!(row[6], outcome);
            // Text people typed never starts a formula.
            assert_eq!(row[7], "telur; =susu");
            assert_eq!(row[9], "'=HYPERLINK(\"x\")");
            assert_eq!(row[10], "2026-12-07T12:33:00+08:00");
            assert_eq!(row[13], state);
            assert_eq!(row[16], "JPEG");
            assert_eq!(row[18], "2026-12-07T12:34:05+08:00");
            assert_eq!(row[21], "2026-12-07 12:30:00", "the camera's own clock");
            assert_eq!(row[24], flag);
            assert_eq!(row[25], "WITA");
        }
    }

    #[test]
    fn a_confirmation_without_pictures_is_one_row_with_its_zone() {
        let m = Manifest {
            lang: Lang::En,
            tz: chrono_tz::Asia::Jayapura,
            delivery: DeliveryId(9),
            due_on: NaiveDate::from_ymd_opt(2026, 12, 7).expect("date"),
            child: ChildId(2),
        };
        let rows = rows(&manifest(&m, &[confirmation("ok")], &[], &[]));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].len(), MANIFEST_COLUMNS.len());
        assert_eq!(rows[1][10], "2026-12-07T13:33:00+09:00");
        assert_eq!(rows[1][25], "WIT");
        assert_eq!(rows[1][11], "");
    }
}
