//! The layers run one way: `domain` ← `store` ← `services` ← `telegram` / `jobs`. This test reads the
//! source tree and fails when a module reaches up (a service importing the Telegram adapter), when SQL is
//! written outside `store/`, or when teloxide is named outside `telegram/`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What each layer may not import, by top-level module of the crate.
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "domain",
        &[
            "store",
            "services",
            "telegram",
            "jobs",
            "import",
            "charts",
            "outbound",
            "media",
            "app",
            "cli",
            "http",
            "callback",
            "report_files",
            "web",
        ],
    ),
    (
        "store",
        &[
            "services", "telegram", "jobs", "import", "charts", "app", "cli", "http", "web",
        ],
    ),
    (
        "import",
        &["store", "services", "telegram", "jobs", "app", "cli"],
    ),
    (
        "charts",
        &["store", "services", "telegram", "jobs", "app", "cli"],
    ),
    (
        "services",
        &["telegram", "jobs", "app", "cli", "http", "web"],
    ),
    ("jobs", &["telegram", "app", "cli", "http", "web"]),
];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The code of a file without its comments (`//` to the end of the line; doc comments too).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| {
            let mut in_string = false;
            let bytes = line.as_bytes();
            let mut cut = line.len();
            let mut i = 0;
            while i + 1 < bytes.len() {
                match bytes[i] {
                    b'"' if i == 0 || bytes[i - 1] != b'\\' => in_string = !in_string,
                    b'/' if !in_string && bytes[i + 1] == b'/' => {
                        cut = i;
                        break;
                    }
                    _ => {}
                }
                i += 1;
            }
            &line[..cut]
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident_at(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The crate's top-level modules a piece of code names: `crate::store::…` and `use crate::{store, …}`.
fn crate_modules(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level names of the group: after `{` and after each `,` at depth one.
            let mut depth = 1;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => start = true,
                    c if c.is_whitespace() => {}
                    _ if start && depth == 1 => {
                        found.insert(ident_at(&group[j..]));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(ident_at(rest));
        }
    }
    found
}

fn relative(path: &Path, src: &Path) -> String {
    path.strip_prefix(src)
        .expect("under src")
        .to_string_lossy()
        .into_owned()
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn lower_layers_never_import_higher_ones() {
    let src = src();
    let mut violations = Vec::new();
    for (layer, forbidden) in FORBIDDEN {
        for file in rust_files(&src.join(layer)) {
            let text = std::fs::read_to_string(&file).expect("read");
            for module in crate_modules(&code(&text)) {
                if forbidden.contains(&module.as_str()) {
                    violations.push(format!("{} imports crate::{module}", relative(&file, &src)));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "layers reached upwards:\n{}",
        violations.join("\n")
    );
}

#[test]
fn sql_lives_in_store_only() {
    let src = src();
    let statements = ["SELECT ", "INSERT INTO", "DELETE FROM", "UPDATE "];
    let mut violations = Vec::new();
    for file in rust_files(&src) {
        let rel = relative(&file, &src);
        if rel.starts_with("store/") {
            continue;
        }
        let code = code(&std::fs::read_to_string(&file).expect("read"));
        if code.contains("sqlx") {
            violations.push(format!("{rel} names sqlx"));
        }
        for (n, line) in code.lines().enumerate() {
            // A statement starts a string literal: `"SELECT …`, `"UPDATE users SET …`.
            for s in statements {
                if let Some(i) = line.find(&format!("\"{s}")) {
                    let after = &line[i + 1..];
                    if s != "UPDATE " || after.contains(" SET ") {
                        violations.push(format!("{rel}:{}: {}", n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "SQL outside src/store:\n{}",
        violations.join("\n")
    );
}

#[test]
fn only_the_telegram_adapter_names_teloxide() {
    let src = src();
    let violations: Vec<String> = rust_files(&src)
        .into_iter()
        .filter(|f| !relative(f, &src).starts_with("telegram/"))
        .filter(|f| code(&std::fs::read_to_string(f).expect("read")).contains("teloxide"))
        .map(|f| relative(&f, &src))
        .collect();
    assert!(
        violations.is_empty(),
        "teloxide outside src/telegram: {violations:?}"
    );
}

#[test]
fn the_reader_of_imports_sees_groups_and_paths() {
    let found = crate_modules(
        "use crate::{store::{self, Conn}, domain::X};\nlet a = crate::telegram::x();",
    );
    assert_eq!(
        found,
        ["domain", "store", "telegram"]
            .into_iter()
            .map(String::from)
            .collect()
    );
    assert_eq!(code("let a = 1; // crate::telegram"), "let a = 1; ");
    assert_eq!(code("let s = \"http://x\"; // c"), "let s = \"http://x\"; ");
}
