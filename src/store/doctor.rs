//! What the programme's self-check reads: per invariant, the children of an area it is broken for.

use super::{Area, Conn, Result, millis};
use crate::domain::DeliveryId;
use crate::domain::UserId;
use crate::domain::child::ChildId;
use crate::domain::doctor::{Check, Finding};
use crate::domain::sponsorship::SponsorshipId;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Every query selects: child id, child name, sponsorship, sponsor, delivery, case (NULLs where none).
fn finding(check: Check, r: &AnyRow) -> Result<Finding> {
    Ok(Finding {
        check,
        child: ChildId(r.try_get(0)?),
        child_name: r.try_get(1)?,
        sponsorship: r.try_get::<Option<i64>, _>(2)?.map(SponsorshipId),
        sponsor: r.try_get::<Option<i64>, _>(3)?.map(UserId),
        delivery: r.try_get::<Option<i64>, _>(4)?.map(DeliveryId),
        case: r.try_get::<Option<i64>, _>(5)?,
    })
}

fn sql(check: Check, area: &str) -> String {
    let live = "'proposed', 'held', 'active'";
    let open = "'scheduled', 'due', 'overdue'";
    match check {
        Check::SponsoredWithoutSponsor => format!(
            "SELECT c.id, c.full_name, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT),
                    CAST(NULL AS BIGINT)
             FROM children c
             WHERE {area} AND c.status = 'matched'
               AND NOT EXISTS (SELECT 1 FROM sponsorships s WHERE s.child_id = c.id AND s.status IN ({live}))"
        ),
        Check::SponsorshipWithoutDeliveries => format!(
            "SELECT c.id, c.full_name, s.id, s.sponsor_id, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)
             FROM sponsorships s JOIN children c ON c.id = s.child_id
             WHERE {area} AND s.status = 'active'
               AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.sponsorship_id = s.id AND d.status IN ({open}))"
        ),
        Check::DeliveryWithoutDeliverer => format!(
            "SELECT c.id, c.full_name, d.sponsorship_id, d.sponsor_id, MIN(d.id), CAST(NULL AS BIGINT)
             FROM deliveries d JOIN children c ON c.id = d.child_id JOIN users u ON u.id = d.sponsor_id
             WHERE {area} AND d.status IN ({open})
               AND ((d.deliverer = 'volunteer' AND NOT EXISTS (
                        SELECT 1 FROM volunteers v WHERE v.status = 'active'
                          AND (v.region_code = c.kecamatan_code OR v.region_code = c.village_code)))
                    OR (d.deliverer = 'sponsor' AND u.unreachable_at IS NOT NULL))
             GROUP BY c.id, c.full_name, d.sponsorship_id, d.sponsor_id"
        ),
        Check::WaitingWithSponsorFree => format!(
            "SELECT c.id, c.full_name, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT),
                    CAST(NULL AS BIGINT)
             FROM children c
             WHERE {area} AND c.status = 'unmatched'
               AND EXISTS (SELECT 1 FROM sponsors p JOIN users u ON u.id = p.user_id
                           WHERE p.status = 'approved' AND p.kecamatan_code = c.kecamatan_code
                             AND u.unreachable_at IS NULL
                             AND p.capacity > (SELECT COUNT(*) FROM sponsorships s
                                               WHERE s.sponsor_id = p.user_id AND s.status IN ({live})))"
        ),
        Check::OfferPastExpiry => format!(
            "SELECT c.id, c.full_name, s.id, s.sponsor_id, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)
             FROM sponsorships s JOIN children c ON c.id = s.child_id
             WHERE {area} AND s.status IN ('proposed', 'held') AND s.expires_at < $5"
        ),
        Check::CaseOpenTooLong => format!(
            "SELECT c.id, c.full_name, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), k.delivery_id, k.id
             FROM cases k JOIN children c ON c.id = k.child_id
             WHERE {area} AND k.status = 'open' AND k.opened_at < $5"
        ),
    }
}

/// The findings of one check in `area`, at most `limit`, in child order; `now` for offers past their
/// expiry, `cases_before` for cases open too long.
pub async fn findings(
    conn: &mut Conn,
    check: Check,
    area: &Area,
    now: DateTime<Utc>,
    cases_before: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Finding>> {
    let text = format!(
        "{} ORDER BY 1 LIMIT $4",
        sql(check, &Area::condition("c", 1))
    );
    let query = area
        .bind(sqlx::query(sqlx::AssertSqlSafe(text)))
        .bind(limit);
    // Only the checks that compare with a time have a fifth parameter (PostgreSQL refuses an unused one).
    let query = match check {
        Check::OfferPastExpiry => query.bind(millis(now)),
        Check::CaseOpenTooLong => query.bind(millis(cases_before)),
        _ => query,
    };
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter().map(|r| finding(check, r)).collect()
}
