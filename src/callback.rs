//! The data behind inline buttons: short, typed, and parsed back on press. Telegram allows 1–64 bytes.

use crate::domain::child::{ChildId, ChildStatus};
use crate::domain::delivery::Deliverer;
use crate::domain::digest::Section;
use crate::domain::evidence::{Outcome, Problem};
use crate::domain::growth::Position;
use crate::domain::report::ReportPeriod;
use crate::domain::role::Role;
use crate::domain::sponsorship::SponsorshipId;
use crate::domain::{Lang, OfficeId, RegionCode, UserId};
use crate::store::deliveries::DeliveryId;
use chrono::{NaiveDate, NaiveTime, Weekday};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleChoice {
    Sponsor,
    Volunteer,
    Neither,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmChoice {
    Submit,
    Restart,
    Cancel,
}

/// The buttons of a confirmation under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceStep {
    /// This delivery is the one the pictures already sent are for.
    Pick,
    Outcome(Outcome),
    /// Toggles the package's item at this position as missing.
    Item(u8),
    ItemsDone,
    Problem(Problem),
    Note,
    Send,
    Cancel,
}

impl EvidenceStep {
    fn code(self) -> String {
        match self {
            Self::Pick => "pk".into(),
            Self::Outcome(Outcome::Full) => "of".into(),
            Self::Outcome(Outcome::Partial) => "op".into(),
            Self::Outcome(Outcome::NotReceived) => "on".into(),
            Self::Item(i) => format!("i{i}"),
            Self::ItemsDone => "id".into(),
            Self::Problem(p) => format!("p-{}", p.as_str()),
            Self::Note => "nt".into(),
            Self::Send => "ok".into(),
            Self::Cancel => "x".into(),
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pk" => Self::Pick,
            "of" => Self::Outcome(Outcome::Full),
            "op" => Self::Outcome(Outcome::Partial),
            "on" => Self::Outcome(Outcome::NotReceived),
            "id" => Self::ItemsDone,
            "nt" => Self::Note,
            "ok" => Self::Send,
            "x" => Self::Cancel,
            _ => {
                if let Some(p) = s.strip_prefix("p-") {
                    Self::Problem(Problem::parse(p)?)
                } else {
                    let i = s.strip_prefix('i')?;
                    if i.starts_with('+') {
                        return None;
                    }
                    Self::Item(i.parse().ok()?)
                }
            }
        })
    }
}

/// The buttons of `/rapat` (meeting links).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingButton {
    /// A new link to the coordinator's whole area.
    New,
    /// Revoke this link.
    Revoke(i64),
}

/// The buttons of a coordinator digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestButton {
    /// The whole of one list the digest shortened, read from the start of that digest's window ("since the
    /// last digest"): pressed after the digest that set a new start, the lists since then would be empty.
    /// `None`: a button from before the window was carried (the current window).
    ShowAll(Section, Option<chrono::DateTime<chrono::Utc>>),
    /// The schedule choices.
    Settings,
    /// The daily digest at this local time; `None` turns it off.
    Daily(Option<NaiveTime>),
    /// The weekly summary on this day, at the daily digest's time; `None` turns it off.
    Weekly(Option<Weekday>),
}

impl DigestButton {
    fn code(self) -> String {
        match self {
            Self::ShowAll(section, None) => format!("all:{}", section.code()),
            Self::ShowAll(section, Some(since)) => {
                format!("all:{}:{}", section.code(), since.timestamp())
            }
            Self::Settings => "set".into(),
            Self::Daily(None) => "d:-".into(),
            Self::Daily(Some(time)) => format!("d:{}", time.format("%H%M")),
            Self::Weekly(None) => "w:-".into(),
            Self::Weekly(Some(day)) => format!("w:{}", day.number_from_monday()),
        }
    }

    fn parse(s: &str) -> Option<Self> {
        let (kind, rest) = s.split_once(':').unwrap_or((s, ""));
        Some(match (kind, rest) {
            ("all", rest) => {
                let (section, since) = match rest.split_once(':') {
                    Some((section, secs)) => (
                        section,
                        Some(chrono::DateTime::from_timestamp(secs.parse().ok()?, 0)?),
                    ),
                    None => (rest, None),
                };
                Self::ShowAll(Section::parse(section)?, since)
            }
            ("set", "") => Self::Settings,
            ("d", "-") => Self::Daily(None),
            ("d", hhmm) if hhmm.len() == 4 => {
                Self::Daily(Some(NaiveTime::parse_from_str(hhmm, "%H%M").ok()?))
            }
            ("w", "-") => Self::Weekly(None),
            ("w", day) => {
                let n: u8 = day.parse().ok()?;
                let day = (1..=7u8)
                    .contains(&n)
                    .then(|| Weekday::try_from(n - 1).ok())??;
                Self::Weekly(Some(day))
            }
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    Role(RoleChoice),
    Lang(Lang),
    /// `None`: community member.
    Office(Option<OfficeId>),
    OfficePage(u32),
    /// Districts of one regency (or of all when `None`), one page.
    Districts {
        within: Option<RegionCode>,
        page: u32,
    },
    /// Back to the list of regencies.
    Regencies {
        page: u32,
    },
    District(RegionCode),
    Villages {
        kecamatan: RegionCode,
        page: u32,
    },
    /// `None`: the whole district.
    Village(Option<RegionCode>),
    Capacity(u8),
    Confirm(ConfirmChoice),
    Decide {
        sponsor: UserId,
        approve: bool,
        /// Pressed in `/menunggu`'s list (the list is shown again without it), not under the request.
        listed: bool,
    },
    Revoke {
        user: UserId,
        role: Role,
    },
    /// Confirm (or drop) the previewed matching run.
    MatchConfirm(bool),
    Accept(SponsorshipId),
    Decline(SponsorshipId),
    /// A sponsor wants to end a sponsorship (the reason is asked next).
    End(SponsorshipId),
    /// No reason given for a decline or an end.
    SkipReason,
    /// Show the ways to close a child's case.
    CloseMenu(ChildId),
    Close {
        child: ChildId,
        status: ChildStatus,
    },
    /// "Delivered" under a reminder: starts the confirmation.
    Delivered(DeliveryId),
    /// A step of confirming a delivery.
    Evidence {
        delivery: DeliveryId,
        step: EvidenceStep,
    },
    /// A coordinator's look at a delivery's evidence, or its export.
    ShowEvidence {
        delivery: DeliveryId,
        export: bool,
    },
    /// A coordinator resolves a case.
    ResolveCase(i64),
    /// A button of a coordinator digest.
    Digest(DigestButton),
    /// A meeting link: make a new one, or revoke one.
    Meeting(MeetingButton),
    /// A report for this period, of `region` (`None`: the coordinator's whole scope).
    Report {
        period: ReportPeriod,
        region: Option<RegionCode>,
    },
    /// "Reschedule": shows the days it may move to.
    Reschedule(DeliveryId),
    RescheduleTo {
        delivery: DeliveryId,
        date: NaiveDate,
    },
    /// "Skip": the reason is asked next.
    Skip(DeliveryId),
    /// A step of setting a default plan: region (`None` = the whole programme), then package, cadence and
    /// deliverer, each `None` until chosen.
    PlanDefault {
        region: Option<RegionCode>,
        package: Option<i64>,
        cadence: Option<i64>,
        deliverer: Option<Deliverer>,
    },
    /// A step of changing one sponsorship's plan: package, then cadence.
    SponsorshipPlan {
        sponsorship: SponsorshipId,
        package: Option<i64>,
        cadence: Option<i64>,
    },
    /// A child's growth card: the latest z-scores, with buttons to measure and to see the chart.
    Growth(ChildId),
    /// Starts entering a measurement of the child.
    Measure(ChildId),
    /// A button of the measurement being entered.
    MeasureStep(MeasureButton),
    /// The child's growth chart.
    GrowthChart(ChildId),
    /// A coordinator's answer to a graduation question: end the sponsorship, or keep it.
    Graduate {
        id: i64,
        end: bool,
    },
    /// Give the sponsorships without a plan in `region` (`None`: everywhere) their area's default.
    ApplyDefault {
        region: Option<RegionCode>,
    },
    /// A coordinator reminds a late delivery's sponsor now.
    RemindNow(DeliveryId),
    /// A coordinator opens a child's card.
    ChildCard(ChildId),
    /// A coordinator looks for another sponsor for a child (the sponsors with a free place, as buttons).
    Reassign(ChildId),
    /// A coordinator moves a child to this sponsor (who gets an offer).
    TransferTo {
        child: ChildId,
        sponsor: UserId,
    },
    /// A coordinator's answer about a sponsor who cannot be reached: release their children, or wait.
    Release {
        sponsor: UserId,
        release: bool,
    },
    /// The fix of something the programme's self-check found.
    Doctor(DoctorFix),
}

/// The fixes of the programme's self-check that are a button of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoctorFix {
    /// Put a child's status in step with their sponsorships.
    Sync(ChildId),
    /// Plan an active sponsorship's deliveries again.
    Plan(SponsorshipId),
    /// Expire the offers past their expiry.
    Expire,
}

/// The buttons of a measurement being entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureButton {
    Date(NaiveDate),
    Position(Position),
    /// No scale at hand.
    SkipWeight,
    /// No arm tape at hand.
    SkipMuac,
    Save,
    /// Start again from the date.
    Redo,
    Cancel,
}

impl MeasureButton {
    fn code(self) -> String {
        match self {
            Self::Date(d) => format!("d{}", d.format("%Y%m%d")),
            Self::Position(Position::Lying) => "pl".into(),
            Self::Position(Position::Standing) => "ps".into(),
            Self::SkipWeight => "sw".into(),
            Self::SkipMuac => "sm".into(),
            Self::Save => "ok".into(),
            Self::Redo => "re".into(),
            Self::Cancel => "x".into(),
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pl" => Self::Position(Position::Lying),
            "ps" => Self::Position(Position::Standing),
            "sw" => Self::SkipWeight,
            "sm" => Self::SkipMuac,
            "ok" => Self::Save,
            "re" => Self::Redo,
            "x" => Self::Cancel,
            _ => Self::Date(NaiveDate::parse_from_str(s.strip_prefix('d')?, "%Y%m%d").ok()?),
        })
    }
}

impl Callback {
    pub fn encode(&self) -> String {
        match self {
            Callback::Role(RoleChoice::Sponsor) => "role:s".into(),
            Callback::Role(RoleChoice::Volunteer) => "role:v".into(),
            Callback::Role(RoleChoice::Neither) => "role:n".into(),
            Callback::Lang(l) => format!("lang:{}", l.code()),
            Callback::Office(None) => "opd:0".into(),
            Callback::Office(Some(id)) => format!("opd:{}", id.0),
            Callback::OfficePage(p) => format!("opdp:{p}"),
            Callback::Districts { within, page } => {
                format!("kcp:{}:{page}", within.as_ref().map_or("-", |c| c.as_str()))
            }
            Callback::Regencies { page } => format!("rgp:{page}"),
            Callback::District(c) => format!("kc:{c}"),
            Callback::Villages { kecamatan, page } => format!("vlp:{kecamatan}:{page}"),
            Callback::Village(None) => "vl:-".into(),
            Callback::Village(Some(c)) => format!("vl:{c}"),
            Callback::Capacity(n) => format!("cap:{n}"),
            Callback::Confirm(ConfirmChoice::Submit) => "reg:ok".into(),
            Callback::Confirm(ConfirmChoice::Restart) => "reg:redo".into(),
            Callback::Confirm(ConfirmChoice::Cancel) => "reg:no".into(),
            Callback::Decide {
                sponsor,
                approve,
                listed,
            } => format!(
                "{}:{}:{sponsor}",
                if *listed { "spl" } else { "sp" },
                if *approve { "ok" } else { "no" }
            ),
            Callback::Revoke { user, role } => {
                let r = match role {
                    Role::Sponsor => "s",
                    Role::Volunteer => "v",
                    Role::Coordinator => "c",
                };
                format!("rv:{r}:{user}")
            }
            Callback::MatchConfirm(true) => "mt:ok".into(),
            Callback::MatchConfirm(false) => "mt:no".into(),
            Callback::Accept(id) => format!("pa:{}", id.0),
            Callback::Decline(id) => format!("pd:{}", id.0),
            Callback::End(id) => format!("se:{}", id.0),
            Callback::SkipReason => "rs".into(),
            Callback::CloseMenu(c) => format!("cm:{c}"),
            Callback::Close { child, status } => format!("cc:{child}:{}", status.as_str()),
            Callback::Delivered(id) => format!("dv:{id}"),
            Callback::Evidence { delivery, step } => format!("ev:{delivery}:{}", step.code()),
            Callback::ShowEvidence { delivery, export } => {
                format!("eb:{delivery}:{}", if *export { "x" } else { "v" })
            }
            Callback::ResolveCase(id) => format!("cs:{id}"),
            Callback::Digest(button) => format!("dg:{}", button.code()),
            Callback::Meeting(MeetingButton::New) => "ml:n".to_owned(),
            Callback::Meeting(MeetingButton::Revoke(id)) => format!("ml:r{id}"),
            Callback::Report { period, region } => format!(
                "rp:{}:{}",
                period.code(),
                region.as_ref().map_or("-", |r| r.as_str())
            ),
            Callback::Reschedule(id) => format!("dr:{id}"),
            Callback::RescheduleTo { delivery, date } => {
                format!("dt:{delivery}:{}", date.format("%Y%m%d"))
            }
            Callback::Skip(id) => format!("dk:{id}"),
            Callback::PlanDefault {
                region,
                package,
                cadence,
                deliverer,
            } => format!(
                "pl:{}:{}:{}:{}",
                region.as_ref().map_or("-", |r| r.as_str()),
                package.unwrap_or(0),
                cadence.unwrap_or(0),
                match deliverer {
                    None => "-",
                    Some(Deliverer::Sponsor) => "s",
                    Some(Deliverer::Volunteer) => "v",
                }
            ),
            Callback::SponsorshipPlan {
                sponsorship,
                package,
                cadence,
            } => format!(
                "sx:{}:{}:{}",
                sponsorship.0,
                package.unwrap_or(0),
                cadence.unwrap_or(0)
            ),
            Callback::Growth(c) => format!("gr:{c}"),
            Callback::Measure(c) => format!("ms:{c}"),
            Callback::MeasureStep(b) => format!("mz:{}", b.code()),
            Callback::GrowthChart(c) => format!("gc:{c}"),
            Callback::Graduate { id, end } => {
                format!("gd:{id}:{}", if *end { "e" } else { "k" })
            }
            Callback::ApplyDefault { region } => {
                format!("ad:{}", region.as_ref().map_or("-", |r| r.as_str()))
            }
            Callback::RemindNow(id) => format!("rn:{id}"),
            Callback::ChildCard(c) => format!("cv:{c}"),
            Callback::Reassign(c) => format!("ra:{c}"),
            Callback::TransferTo { child, sponsor } => format!("tt:{child}:{sponsor}"),
            Callback::Release { sponsor, release } => {
                format!("ur:{}:{sponsor}", if *release { "r" } else { "w" })
            }
            Callback::Doctor(DoctorFix::Sync(c)) => format!("dx:s:{c}"),
            Callback::Doctor(DoctorFix::Plan(s)) => format!("dx:p:{}", s.0),
            Callback::Doctor(DoctorFix::Expire) => "dx:e".into(),
        }
    }

    /// The button data parsed back; `None` for anything asuh did not make (an old version's, a forged one).
    pub fn decode(data: &str) -> Option<Callback> {
        let (kind, rest) = data.split_once(':').unwrap_or((data, ""));
        let code = |s: &str| RegionCode::parse(s).ok();
        Some(match kind {
            "role" => Callback::Role(match rest {
                "s" => RoleChoice::Sponsor,
                "v" => RoleChoice::Volunteer,
                "n" => RoleChoice::Neither,
                _ => return None,
            }),
            "lang" => Callback::Lang(Lang::parse(rest)?),
            "opd" => match rest.parse::<i64>().ok()? {
                0 => Callback::Office(None),
                id if id > 0 => Callback::Office(Some(OfficeId(id))),
                _ => return None,
            },
            "opdp" => Callback::OfficePage(rest.parse().ok()?),
            "kcp" => {
                let (within, page) = rest.rsplit_once(':')?;
                let within = if within == "-" {
                    None
                } else {
                    Some(code(within)?)
                };
                Callback::Districts {
                    within,
                    page: page.parse().ok()?,
                }
            }
            "rgp" => Callback::Regencies {
                page: rest.parse().ok()?,
            },
            "kc" => Callback::District(code(rest)?),
            "vlp" => {
                let (kec, page) = rest.rsplit_once(':')?;
                Callback::Villages {
                    kecamatan: code(kec)?,
                    page: page.parse().ok()?,
                }
            }
            "vl" if rest == "-" => Callback::Village(None),
            "vl" => Callback::Village(Some(code(rest)?)),
            "cap" => Callback::Capacity(rest.parse().ok()?),
            "reg" => Callback::Confirm(match rest {
                "ok" => ConfirmChoice::Submit,
                "redo" => ConfirmChoice::Restart,
                "no" => ConfirmChoice::Cancel,
                _ => return None,
            }),
            "sp" | "spl" => {
                let (verdict, user) = rest.split_once(':')?;
                let approve = match verdict {
                    "ok" => true,
                    "no" => false,
                    _ => return None,
                };
                Callback::Decide {
                    sponsor: UserId::parse(user)?,
                    approve,
                    listed: kind == "spl",
                }
            }
            "rv" => {
                let (r, user) = rest.split_once(':')?;
                let role = match r {
                    "s" => Role::Sponsor,
                    "v" => Role::Volunteer,
                    "c" => Role::Coordinator,
                    _ => return None,
                };
                Callback::Revoke {
                    user: UserId::parse(user)?,
                    role,
                }
            }
            "mt" => Callback::MatchConfirm(match rest {
                "ok" => true,
                "no" => false,
                _ => return None,
            }),
            "pa" => Callback::Accept(SponsorshipId(positive(rest)?)),
            "pd" => Callback::Decline(SponsorshipId(positive(rest)?)),
            "se" => Callback::End(SponsorshipId(positive(rest)?)),
            "rs" if rest.is_empty() => Callback::SkipReason,
            "cm" => Callback::CloseMenu(ChildId(positive(rest)?)),
            "cc" => {
                let (child, status) = rest.split_once(':')?;
                let status = ChildStatus::parse(status).filter(|s| s.is_closed())?;
                Callback::Close {
                    child: ChildId(positive(child)?),
                    status,
                }
            }
            "dv" => Callback::Delivered(DeliveryId(positive(rest)?)),
            "ev" => {
                let (id, step) = rest.split_once(':')?;
                Callback::Evidence {
                    delivery: DeliveryId(positive(id)?),
                    step: EvidenceStep::parse(step)?,
                }
            }
            "eb" => {
                let (id, what) = rest.split_once(':')?;
                Callback::ShowEvidence {
                    delivery: DeliveryId(positive(id)?),
                    export: match what {
                        "v" => false,
                        "x" => true,
                        _ => return None,
                    },
                }
            }
            "cs" => Callback::ResolveCase(positive(rest)?),
            "dg" => Callback::Digest(DigestButton::parse(rest)?),
            "ml" => Callback::Meeting(match rest {
                "n" => MeetingButton::New,
                _ => MeetingButton::Revoke(positive(rest.strip_prefix('r')?)?),
            }),
            "rp" => {
                let (period, region) = rest.split_once(':')?;
                Callback::Report {
                    period: ReportPeriod::parse(period)?,
                    region: if region == "-" {
                        None
                    } else {
                        Some(code(region)?)
                    },
                }
            }
            "dr" => Callback::Reschedule(DeliveryId(positive(rest)?)),
            "dk" => Callback::Skip(DeliveryId(positive(rest)?)),
            "dt" => {
                let (id, date) = rest.split_once(':')?;
                Callback::RescheduleTo {
                    delivery: DeliveryId(positive(id)?),
                    date: NaiveDate::parse_from_str(date, "%Y%m%d").ok()?,
                }
            }
            "pl" => {
                let mut parts = rest.split(':');
                let region = match parts.next()? {
                    "-" => None,
                    r => Some(code(r)?),
                };
                let package = optional_id(parts.next()?)?;
                let cadence = optional_id(parts.next()?)?;
                let deliverer = match parts.next()? {
                    "-" => None,
                    "s" => Some(Deliverer::Sponsor),
                    "v" => Some(Deliverer::Volunteer),
                    _ => return None,
                };
                if parts.next().is_some() {
                    return None;
                }
                Callback::PlanDefault {
                    region,
                    package,
                    cadence,
                    deliverer,
                }
            }
            "sx" => {
                let mut parts = rest.split(':');
                let sponsorship = SponsorshipId(positive(parts.next()?)?);
                let package = optional_id(parts.next()?)?;
                let cadence = optional_id(parts.next()?)?;
                if parts.next().is_some() {
                    return None;
                }
                Callback::SponsorshipPlan {
                    sponsorship,
                    package,
                    cadence,
                }
            }
            "gr" => Callback::Growth(ChildId(positive(rest)?)),
            "ms" => Callback::Measure(ChildId(positive(rest)?)),
            "mz" => Callback::MeasureStep(MeasureButton::parse(rest)?),
            "gc" => Callback::GrowthChart(ChildId(positive(rest)?)),
            "ad" => Callback::ApplyDefault {
                region: if rest == "-" { None } else { Some(code(rest)?) },
            },
            "rn" => Callback::RemindNow(DeliveryId(positive(rest)?)),
            "cv" => Callback::ChildCard(ChildId(positive(rest)?)),
            "ra" => Callback::Reassign(ChildId(positive(rest)?)),
            "tt" => {
                let (child, sponsor) = rest.split_once(':')?;
                Callback::TransferTo {
                    child: ChildId(positive(child)?),
                    sponsor: UserId::parse(sponsor)?,
                }
            }
            "ur" => {
                let (what, sponsor) = rest.split_once(':')?;
                Callback::Release {
                    sponsor: UserId::parse(sponsor)?,
                    release: match what {
                        "r" => true,
                        "w" => false,
                        _ => return None,
                    },
                }
            }
            "dx" => Callback::Doctor(match rest.split_once(':') {
                Some(("s", c)) => DoctorFix::Sync(ChildId(positive(c)?)),
                Some(("p", s)) => DoctorFix::Plan(SponsorshipId(positive(s)?)),
                None if rest == "e" => DoctorFix::Expire,
                _ => return None,
            }),
            "gd" => {
                let (id, what) = rest.split_once(':')?;
                Callback::Graduate {
                    id: positive(id)?,
                    end: match what {
                        "e" => true,
                        "k" => false,
                        _ => return None,
                    },
                }
            }
            _ => return None,
        })
    }
}

/// `0` for "not chosen yet", else a positive id.
fn optional_id(s: &str) -> Option<Option<i64>> {
    match s.parse::<i64>().ok()? {
        0 => Some(None),
        n if n > 0 => Some(Some(n)),
        _ => None,
    }
}

fn positive(s: &str) -> Option<i64> {
    s.parse().ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_callback_round_trips_within_telegrams_limit() {
        let village = RegionCode::parse("74.71.01.1001").expect("code");
        let all = vec![
            Callback::Role(RoleChoice::Sponsor),
            Callback::Role(RoleChoice::Volunteer),
            Callback::Role(RoleChoice::Neither),
            Callback::Lang(Lang::En),
            Callback::Office(None),
            Callback::Office(Some(OfficeId(12))),
            Callback::OfficePage(3),
            Callback::Districts {
                within: None,
                page: 2,
            },
            Callback::Districts {
                within: RegionCode::parse("74.71").ok(),
                page: 0,
            },
            Callback::Regencies { page: 1 },
            Callback::District(RegionCode::parse("74.71.01").expect("code")),
            Callback::Villages {
                kecamatan: RegionCode::parse("74.71.01").expect("code"),
                page: 4,
            },
            Callback::Village(None),
            Callback::Village(Some(village)),
            Callback::Capacity(20),
            Callback::Confirm(ConfirmChoice::Submit),
            Callback::Confirm(ConfirmChoice::Restart),
            Callback::Confirm(ConfirmChoice::Cancel),
            Callback::Decide {
                sponsor: UserId(i64::MAX),
                approve: true,
                listed: false,
            },
            Callback::Decide {
                sponsor: UserId(5),
                approve: false,
                listed: true,
            },
            Callback::ApplyDefault { region: None },
            Callback::ApplyDefault {
                region: RegionCode::parse("74.71.01").ok(),
            },
            Callback::RemindNow(DeliveryId(i64::MAX)),
            Callback::ChildCard(ChildId(i64::MAX)),
            Callback::Reassign(ChildId(i64::MAX)),
            Callback::TransferTo {
                child: ChildId(i64::MAX),
                sponsor: UserId(i64::MAX),
            },
            Callback::Release {
                sponsor: UserId(i64::MAX),
                release: true,
            },
            Callback::Release {
                sponsor: UserId(1),
                release: false,
            },
            Callback::Doctor(DoctorFix::Sync(ChildId(i64::MAX))),
            Callback::Doctor(DoctorFix::Plan(SponsorshipId(i64::MAX))),
            Callback::Doctor(DoctorFix::Expire),
            Callback::Revoke {
                user: UserId(i64::MAX),
                role: Role::Coordinator,
            },
            Callback::MatchConfirm(true),
            Callback::MatchConfirm(false),
            Callback::Accept(SponsorshipId(i64::MAX)),
            Callback::Decline(SponsorshipId(7)),
            Callback::End(SponsorshipId(8)),
            Callback::SkipReason,
            Callback::CloseMenu(ChildId(9)),
            Callback::Close {
                child: ChildId(i64::MAX),
                status: ChildStatus::Graduated,
            },
            Callback::Delivered(DeliveryId(i64::MAX)),
            Callback::Meeting(MeetingButton::New),
            Callback::Meeting(MeetingButton::Revoke(i64::MAX)),
            Callback::Reschedule(DeliveryId(3)),
            Callback::Digest(DigestButton::ShowAll(Section::OverdueByOffice, None)),
            Callback::Digest(DigestButton::ShowAll(
                Section::Unmeasured,
                chrono::DateTime::from_timestamp(253_402_300_799, 0),
            )),
            Callback::Digest(DigestButton::Settings),
            Callback::Digest(DigestButton::Daily(None)),
            Callback::Digest(DigestButton::Daily(NaiveTime::from_hms_opt(6, 30, 0))),
            Callback::Digest(DigestButton::Weekly(None)),
            Callback::Digest(DigestButton::Weekly(Some(Weekday::Sun))),
            Callback::Digest(DigestButton::Weekly(Some(Weekday::Mon))),
            Callback::Report {
                period: ReportPeriod::LastThreeMonths,
                region: None,
            },
            Callback::Report {
                period: ReportPeriod::ThisMonth,
                region: RegionCode::parse("74.71.01.1001").ok(),
            },
            Callback::Evidence {
                delivery: DeliveryId(i64::MAX),
                step: EvidenceStep::Problem(Problem::ChildInHospital),
            },
            Callback::Evidence {
                delivery: DeliveryId(5),
                step: EvidenceStep::Item(u8::MAX),
            },
            Callback::Evidence {
                delivery: DeliveryId(5),
                step: EvidenceStep::Outcome(Outcome::NotReceived),
            },
            Callback::Evidence {
                delivery: DeliveryId(5),
                step: EvidenceStep::Pick,
            },
            Callback::ShowEvidence {
                delivery: DeliveryId(i64::MAX),
                export: true,
            },
            Callback::ResolveCase(i64::MAX),
            Callback::RescheduleTo {
                delivery: DeliveryId(i64::MAX),
                date: NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"),
            },
            Callback::Skip(DeliveryId(4)),
            Callback::PlanDefault {
                region: None,
                package: None,
                cadence: None,
                deliverer: None,
            },
            Callback::PlanDefault {
                region: RegionCode::parse("74.71").ok(),
                package: Some(i64::MAX),
                cadence: Some(i64::MAX),
                deliverer: Some(Deliverer::Volunteer),
            },
            Callback::SponsorshipPlan {
                sponsorship: SponsorshipId(i64::MAX),
                package: Some(i64::MAX),
                cadence: None,
            },
            Callback::Growth(ChildId(i64::MAX)),
            Callback::Measure(ChildId(1)),
            Callback::MeasureStep(MeasureButton::Date(
                NaiveDate::from_ymd_opt(2026, 11, 24).expect("date"),
            )),
            Callback::MeasureStep(MeasureButton::Position(Position::Lying)),
            Callback::MeasureStep(MeasureButton::Position(Position::Standing)),
            Callback::MeasureStep(MeasureButton::SkipWeight),
            Callback::MeasureStep(MeasureButton::SkipMuac),
            Callback::MeasureStep(MeasureButton::Save),
            Callback::MeasureStep(MeasureButton::Redo),
            Callback::MeasureStep(MeasureButton::Cancel),
            Callback::GrowthChart(ChildId(2)),
            Callback::Graduate {
                id: i64::MAX,
                end: true,
            },
            Callback::Graduate { id: 3, end: false },
        ];
        for c in all {
            let data = c.encode();
            assert!((1..=64).contains(&data.len()), "{data}");
            assert_eq!(Callback::decode(&data), Some(c), "{data}");
        }
    }

    #[test]
    fn forged_data_is_refused() {
        for bad in [
            "",
            "role:x",
            "opd:-1",
            "kc:9",
            "sp:maybe:1",
            "sp:ok:0",
            "rv:x:1",
            "cap:",
            "nonsense",
            "pa:0",
            "pa:x",
            "cc:1:matched",
            "mt:maybe",
            "dv:0",
            "dt:1:20261332",
            "pl:-:0:0:x",
            "pl:-:0:0:s:extra",
            "sx:0:0:0",
            "sx:1:-2:0",
            "gr:0",
            "mz:d20261131",
            "mz:zz",
            "gd:1:x",
            "gd:0:e",
        ] {
            assert_eq!(Callback::decode(bad), None, "{bad}");
        }
    }
}
