//! End to end: a district's own files work on day one — the official region list built in (a regency set
//! up in one command, on the server or in the chat), and the imports that read what offices really export.

mod support;

use support::TestApp;

#[tokio::test]
async fn a_regency_is_set_up_in_one_command_from_the_built_in_list() {
    let mut app = TestApp::new().await;
    let out = app.cli(&["migrate"]);
    assert!(out.status.success());
    let out = app.cli(&["regions", "add", "74.05"]);
    let printed = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(printed.contains("Konawe Selatan"), "{printed}");
    let count = |level: &str| {
        format!(
            "SELECT COUNT(*) FROM regions WHERE level = '{level}' AND (code = '74.05' OR code LIKE '74.05.%')"
        )
    };
    assert_eq!(app.db.scalar(&count("regency")).await, 1);
    assert_eq!(app.db.scalar(&count("district")).await, 25);
    assert_eq!(app.db.scalar(&count("village")).await, 351);
    assert_eq!(
        app.db
            .text("SELECT timezone FROM regions WHERE code = '74'")
            .await
            .as_deref(),
        Some("Asia/Makassar")
    );
    // Again: nothing new.
    let out = app.cli(&["regions", "add", "74.05"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(": 0 regions added"));
    let bad = app.cli(&["regions", "add", "74.99"]);
    assert!(!bad.status.success());

    // In the chat, a coordinator sets up Kota Kendari by its code alone; a scoped one only inside their scope.
    app.start().await;
    let admin = app.admin();
    app.say(&admin, "/start").await;
    let added = app.say(&admin, "/wilayah_tambah 74.71").await.plain_text();
    assert!(
        added.contains("Kota Kendari") && added.contains("kecamatan"),
        "{added}"
    );
    assert!(
        app.db
            .scalar("SELECT COUNT(*) FROM regions WHERE level = 'district' AND code LIKE '74.71.%'")
            .await
            >= 10
    );
    let konsel = app.coordinator_of(610_001, "Camat", "74.05.01").await;
    let refused = app.say(&konsel, "/wilayah_tambah 74.72").await.plain_text();
    assert!(refused.contains("di luar wilayah"), "{refused}");
}
