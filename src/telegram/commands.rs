//! The bot's commands: an Indonesian and an English name for each (both work for everyone; menus show the
//! user's language), the role that may use it, and the menus registered with setMyCommands.

use crate::domain::Lang;
use crate::domain::role::Role;
use crate::i18n::t;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Start,
    Help,
    Me,
    Language,
    Register,
    Cancel,
    Pending,
    Sponsors,
    Volunteers,
    Coordinators,
    Regions,
    RegionAdd,
    RegionRemove,
    Offices,
    OfficeAdd,
    Invite,
    Revoke,
    MyChildren,
    RequestChild,
    Children,
    Child,
    ChildEdit,
    Match,
    Pair,
    Transfer,
    Commitment,
    Import,
    Deliveries,
    Packages,
    Cadences,
    PlanDefaults,
    Confirm,
    Evidence,
    Cases,
    Check,
    Digest,
    Report,
    Measure,
    Meeting,
}

struct Spec {
    command: Command,
    id: &'static str,
    en: &'static str,
    /// `None`: anyone.
    role: Option<Role>,
    /// A second role that may use it too.
    also: Option<Role>,
    /// Locale key of the menu description.
    description: &'static str,
}

const SPECS: &[Spec] = &[
    Spec {
        command: Command::Start,
        id: "start",
        en: "start",
        role: None,
        also: None,
        description: "cmd-start",
    },
    Spec {
        command: Command::Help,
        id: "bantuan",
        en: "help",
        role: None,
        also: None,
        description: "cmd-help",
    },
    Spec {
        command: Command::Me,
        id: "saya",
        en: "me",
        role: None,
        also: None,
        description: "cmd-me",
    },
    Spec {
        command: Command::Language,
        id: "bahasa",
        en: "language",
        role: None,
        also: None,
        description: "cmd-language",
    },
    Spec {
        command: Command::Register,
        id: "daftar",
        en: "register",
        role: None,
        also: None,
        description: "cmd-register",
    },
    Spec {
        command: Command::Cancel,
        id: "batal",
        en: "cancel",
        role: None,
        also: None,
        description: "cmd-cancel",
    },
    Spec {
        command: Command::Pending,
        id: "menunggu",
        en: "pending",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-pending",
    },
    Spec {
        command: Command::Sponsors,
        id: "sponsor",
        en: "sponsors",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-sponsors",
    },
    Spec {
        command: Command::Volunteers,
        id: "relawan",
        en: "volunteers",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-volunteers",
    },
    Spec {
        command: Command::Coordinators,
        id: "koordinator",
        en: "coordinators",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-coordinators",
    },
    Spec {
        command: Command::Regions,
        id: "wilayah",
        en: "regions",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-regions",
    },
    Spec {
        command: Command::RegionAdd,
        id: "wilayah_tambah",
        en: "region_add",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-region-add",
    },
    Spec {
        command: Command::RegionRemove,
        id: "wilayah_hapus",
        en: "region_remove",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-region-remove",
    },
    Spec {
        command: Command::Offices,
        id: "opd",
        en: "offices",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-offices",
    },
    Spec {
        command: Command::OfficeAdd,
        id: "opd_tambah",
        en: "office_add",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-office-add",
    },
    Spec {
        command: Command::Invite,
        id: "undang",
        en: "invite",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-invite",
    },
    Spec {
        command: Command::Revoke,
        id: "cabut",
        en: "revoke",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-revoke",
    },
    Spec {
        command: Command::MyChildren,
        id: "anak",
        en: "children",
        role: Some(Role::Sponsor),
        also: None,
        description: "cmd-my-children",
    },
    Spec {
        command: Command::RequestChild,
        id: "minta_anak",
        en: "request_child",
        role: Some(Role::Sponsor),
        also: None,
        description: "cmd-request-child",
    },
    Spec {
        command: Command::Children,
        id: "anak_cari",
        en: "child_search",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-children",
    },
    Spec {
        command: Command::Child,
        id: "anak_lihat",
        en: "child_view",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-child",
    },
    Spec {
        command: Command::ChildEdit,
        id: "anak_ubah",
        en: "child_edit",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-child-edit",
    },
    Spec {
        command: Command::Match,
        id: "cocokkan",
        en: "match",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-match",
    },
    Spec {
        command: Command::Pair,
        id: "pasangkan",
        en: "pair",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-pair",
    },
    Spec {
        command: Command::Transfer,
        id: "alihkan",
        en: "transfer",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-transfer",
    },
    Spec {
        command: Command::Commitment,
        id: "komitmen",
        en: "commitment",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-commitment",
    },
    Spec {
        command: Command::Deliveries,
        id: "pengiriman",
        en: "deliveries",
        role: Some(Role::Sponsor),
        also: None,
        description: "cmd-deliveries",
    },
    Spec {
        command: Command::Packages,
        id: "paket",
        en: "packages",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-packages",
    },
    Spec {
        command: Command::Cadences,
        id: "jadwal",
        en: "cadences",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-cadences",
    },
    Spec {
        command: Command::PlanDefaults,
        id: "bawaan",
        en: "plan_defaults",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-plan-defaults",
    },
    Spec {
        command: Command::Confirm,
        id: "konfirmasi",
        en: "confirm",
        role: Some(Role::Volunteer),
        also: Some(Role::Sponsor),
        description: "cmd-confirm",
    },
    Spec {
        command: Command::Evidence,
        id: "bukti",
        en: "evidence",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-evidence",
    },
    Spec {
        command: Command::Cases,
        id: "kasus",
        en: "cases",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-cases",
    },
    Spec {
        command: Command::Check,
        id: "periksa",
        en: "check",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-check",
    },
    Spec {
        command: Command::Digest,
        id: "ringkasan",
        en: "digest",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-digest",
    },
    Spec {
        command: Command::Report,
        id: "laporan",
        en: "report",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-report",
    },
    Spec {
        command: Command::Meeting,
        id: "rapat",
        en: "meeting",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-meeting",
    },
    Spec {
        command: Command::Measure,
        id: "ukur",
        en: "measure",
        role: Some(Role::Volunteer),
        also: Some(Role::Coordinator),
        description: "cmd-measure",
    },
    Spec {
        command: Command::Import,
        id: "impor",
        en: "import",
        role: Some(Role::Coordinator),
        also: None,
        description: "cmd-import",
    },
];

fn spec(command: Command) -> &'static Spec {
    // Every variant has exactly one row; the unit test below checks it.
    SPECS
        .iter()
        .find(|s| s.command == command)
        .unwrap_or(&SPECS[0])
}

impl Command {
    /// A command typed by a user, in either language.
    pub fn parse(name: &str) -> Option<Command> {
        SPECS
            .iter()
            .find(|s| s.id == name || s.en == name)
            .map(|s| s.command)
    }

    /// The name to show a user: `/bantuan` in Indonesian, `/help` in English.
    pub fn name(self, lang: Lang) -> &'static str {
        let s = spec(self);
        match lang {
            Lang::Id => s.id,
            Lang::En => s.en,
        }
    }

    /// `/name`, for texts.
    pub fn slash(self, lang: Lang) -> String {
        format!("/{}", self.name(lang))
    }

    /// The help section it belongs in for someone with `roles`: its own role's, or the second role's
    /// when they lack the first.
    pub fn section(self, roles: &[Role]) -> Option<Role> {
        let s = spec(self);
        match (s.role, s.also) {
            (Some(r), Some(also)) if !roles.contains(&r) => Some(also),
            (role, _) => role,
        }
    }

    /// Whether someone with `roles` may use it.
    pub fn allowed(self, roles: &[Role]) -> bool {
        let s = spec(self);
        s.role.is_none_or(|r| roles.contains(&r)) || s.also.is_some_and(|r| roles.contains(&r))
    }

    pub fn description(self, lang: Lang) -> String {
        t(lang, spec(self).description)
    }
}

/// The commands a user with `roles` may use, in menu order.
pub fn available(roles: &[Role]) -> Vec<Command> {
    SPECS
        .iter()
        .map(|s| s.command)
        .filter(|c| c.allowed(roles))
        .collect()
}

/// A menu for setMyCommands: (name, description) pairs.
pub fn menu(roles: &[Role], lang: Lang) -> Vec<(String, String)> {
    available(roles)
        .into_iter()
        .map(|c| (c.name(lang).to_owned(), c.description(lang)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_one_spec_and_valid_names() {
        let all = [
            Command::Start,
            Command::Help,
            Command::Me,
            Command::Language,
            Command::Register,
            Command::Cancel,
            Command::Pending,
            Command::Sponsors,
            Command::Volunteers,
            Command::Coordinators,
            Command::Regions,
            Command::RegionAdd,
            Command::RegionRemove,
            Command::Offices,
            Command::OfficeAdd,
            Command::Invite,
            Command::Revoke,
            Command::MyChildren,
            Command::RequestChild,
            Command::Children,
            Command::Child,
            Command::ChildEdit,
            Command::Match,
            Command::Pair,
            Command::Transfer,
            Command::Commitment,
            Command::Import,
            Command::Deliveries,
            Command::Packages,
            Command::Cadences,
            Command::PlanDefaults,
            Command::Confirm,
            Command::Evidence,
            Command::Cases,
            Command::Check,
            Command::Digest,
            Command::Report,
            Command::Measure,
            Command::Meeting,
        ];
        assert_eq!(all.len(), SPECS.len());
        for c in all {
            assert_eq!(SPECS.iter().filter(|s| s.command == c).count(), 1, "{c:?}");
            for lang in Lang::ALL {
                let name = c.name(lang);
                assert!(
                    (1..=32).contains(&name.len())
                        && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                    "{name} is not a valid Bot API command"
                );
                assert_eq!(Command::parse(name), Some(c));
                let d = c.description(lang);
                assert!(
                    (1..=256).contains(&d.chars().count()) && !d.starts_with("cmd-"),
                    "{c:?} description"
                );
            }
        }
    }

    #[test]
    fn menus_follow_roles() {
        let guest = available(&[]);
        assert!(guest.contains(&Command::Help) && !guest.contains(&Command::Pending));
        assert!(available(&[Role::Coordinator]).contains(&Command::Invite));
        assert_eq!(Command::parse("bantuan"), Some(Command::Help));
        assert_eq!(Command::parse("help"), Some(Command::Help));
        assert_eq!(Command::parse("nope"), None);
        assert!(available(&[Role::Sponsor]).contains(&Command::Confirm));
        assert!(available(&[Role::Volunteer]).contains(&Command::Confirm));
        assert!(!guest.contains(&Command::Confirm));
    }
}
