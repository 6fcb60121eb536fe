//! End to end: children's data is specific personal data (UU PDP 27/2022), and four defects found in real
//! use let it leak or let a file take the bot down. An .xlsx that unpacks to hundreds of megabytes is
//! refused without being unpacked; text people typed cannot become a formula in a CSV file; raw updates
//! (phone numbers, places, free text) are forgotten after `ASUH_INBOX_DAYS`; names with invisible control
//! characters are refused, and a search for `%` finds only names that contain it.

mod support;

use support::TestApp;

// --- 4. hidden characters in names, wildcards in searches -----------------------------------------

#[tokio::test]
async fn names_with_hidden_characters_are_refused_and_a_search_for_a_wildcard_finds_nothing() {
    let app = TestApp::spawn().await;
    app.setup_programme().await;
    let admin = app.admin();
    for name in [
        "Bad\u{202E}Name",
        "Bad\u{0}Name",
        "Bell\u{7}Name",
        "Isolate\u{2066}d",
    ] {
        let reply = app
            .say(&admin, &format!("/wilayah_tambah 74.71.98 {name}"))
            .await;
        let text = reply.plain_text();
        assert!(!text.contains('✅'), "{name:?}: {text}");
        assert!(text.contains("karakter tersembunyi"), "{name:?}: {text}");
        let office = app.say(&admin, &format!("/opd_tambah {name}")).await;
        assert!(
            office.plain_text().contains("karakter tersembunyi"),
            "{name:?}: {}",
            office.plain_text()
        );
    }
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM regions WHERE code = '74.71.98'")
            .await,
        0
    );
    assert_eq!(app.db.scalar("SELECT COUNT(*) FROM offices").await, 1);

    // A region list with such a name: that row is refused, the others go in.
    let list = "kode,nama\n74.71.98,Wua\u{202E}-Wua\n74.71.99,Kota Lama Baru\n";
    let report = app
        .import_file("regions-hidden", "wilayah-baru.csv", list.as_bytes())
        .await;
    assert!(report.contains("ditambah: 1"), "{report}");
    assert!(
        report.contains("Baris 2") && report.contains("karakter tersembunyi"),
        "{report}"
    );
    assert!(!report.contains('\u{202E}'), "{report:?}");
    assert_eq!(
        app.db
            .scalar("SELECT COUNT(*) FROM regions WHERE code IN ('74.71.98', '74.71.99')")
            .await,
        1
    );

    // A search for a wildcard looks for the character itself.
    for pattern in ["%", "_", "\\", "%a%"] {
        let reply = app.say(&admin, &format!("/anak_cari {pattern}")).await;
        assert!(
            reply.plain_text().contains("Tidak ada anak yang cocok"),
            "/anak_cari {pattern}: {}",
            reply.plain_text()
        );
        let reply = app.say(&admin, &format!("/ukur {pattern}")).await;
        assert!(
            reply.plain_text().contains("Tidak ada anak yang cocok"),
            "/ukur {pattern}: {}",
            reply.plain_text()
        );
    }
    let found = app.say(&admin, "/anak_cari Fathan").await;
    assert!(
        found.plain_text().contains("Muhammad Fathan"),
        "{}",
        found.plain_text()
    );
    let found = app.say(&admin, "/anak_cari fath").await;
    assert!(found.plain_text().contains("Muhammad Fathan"));
    app.assert_spec_clean();
}
