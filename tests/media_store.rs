//! The media store through its public API: against a fake S3-compatible server (configured the
//! way an operator does, through `ASUH_MEDIA_DIR` and the `AWS_*` environment variables) and in
//! a local directory.

#[path = "support/fake_s3.rs"]
mod fake_s3;

use asuh::media::{MediaError, MediaStore, sha256_hex};
use fake_s3::FakeS3;

/// The only test that touches the environment (`from_setting` reads the `AWS_*` variables);
/// the other tests in this binary do not read them.
#[tokio::test]
async fn s3_store_from_setting_and_aws_environment() {
    let fake = FakeS3::start().await;
    // SAFETY: no other test in this binary reads or writes these variables, and they are set
    // before the S3 client (and its threads) exist.
    unsafe {
        for key in [
            "AWS_ENDPOINT_URL",
            "AWS_DEFAULT_REGION",
            "AWS_SESSION_TOKEN",
            "AWS_PROFILE",
        ] {
            std::env::remove_var(key);
        }
        std::env::set_var("AWS_ENDPOINT", fake.endpoint());
        std::env::set_var("AWS_ALLOW_HTTP", "true");
        std::env::set_var("AWS_ACCESS_KEY_ID", "test");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
        std::env::set_var("AWS_REGION", "us-east-1");
        // Even when asked for virtual-hosted style, a custom endpoint gets path-style requests.
        std::env::set_var("AWS_VIRTUAL_HOSTED_STYLE_REQUEST", "true");
    }
    let store = MediaStore::from_setting("s3://evidence/asuh").expect("s3 store");
    assert_eq!(store.local_path("ab/cd/x.jpg"), None);

    let photo = b"\xff\xd8\xff\xe0 a photo of a food package".to_vec();
    let hash = sha256_hex(&photo);
    let key = MediaStore::key_for(&hash, "jpg");
    assert_eq!(key, format!("{}/{}/{hash}.jpg", &hash[0..2], &hash[2..4]));
    assert_eq!(store.locate(&key), format!("s3://evidence/asuh/{key}"));

    assert!(!store.exists(&key).await.expect("exists before"));
    assert_eq!(store.get(&key).await.expect("get before"), None);

    store.put(&key, photo.clone()).await.expect("put");
    let object = format!("evidence/asuh/{key}");
    assert_eq!(fake.objects(), vec![(object.clone(), photo.len())]);
    assert_eq!(fake.object(&object), Some(photo.clone()));

    assert!(store.exists(&key).await.expect("exists after"));
    assert_eq!(
        store.get(&key).await.expect("get after"),
        Some(photo.clone())
    );

    // Idempotent: storing again keeps one object with the same bytes.
    store.put(&key, photo.clone()).await.expect("put again");
    assert_eq!(fake.objects(), vec![(object.clone(), photo.len())]);

    let missing = MediaStore::key_for(&sha256_hex(b"never stored"), "jpg");
    assert!(!store.exists(&missing).await.expect("exists missing"));
    assert_eq!(store.get(&missing).await.expect("get missing"), None);

    // Invalid keys never reach the server.
    let before = fake.requests().len();
    assert!(matches!(
        store.put("../outside.jpg", photo.clone()).await,
        Err(MediaError::Key(_))
    ));
    assert_eq!(fake.requests().len(), before);

    let requests = fake.requests();
    let methods: Vec<&str> = requests.iter().map(|(m, _, _)| m.as_str()).collect();
    assert_eq!(
        methods,
        ["HEAD", "GET", "PUT", "HEAD", "GET", "PUT", "HEAD", "GET"],
        "{requests:#?}"
    );
    for (method, path, signed) in &requests {
        assert!(signed, "{method} {path} was not signed");
        assert!(
            path.starts_with("/evidence/asuh/"),
            "{method} {path} is not path-style under the prefix"
        );
    }
    assert_eq!(requests[2].1, format!("/{object}"));
}

#[tokio::test]
async fn local_store_round_trip() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("media");
    let store = MediaStore::from_setting(root.to_str().expect("utf-8 path")).expect("local");

    let photo = vec![42u8; 4096];
    let key = MediaStore::key_for(&sha256_hex(&photo), "jpg");
    assert!(!store.exists(&key).await.expect("exists before"));
    assert_eq!(store.get(&key).await.expect("get before"), None);

    store.put(&key, photo.clone()).await.expect("put");
    store.put(&key, photo.clone()).await.expect("put again");
    assert!(store.exists(&key).await.expect("exists after"));
    assert_eq!(
        store.get(&key).await.expect("get after"),
        Some(photo.clone())
    );

    let path = store.local_path(&key).expect("a local path");
    assert_eq!(path, root.join(&key));
    assert_eq!(std::fs::read(&path).expect("file on disk"), photo);
    assert_eq!(store.locate(&key), path.display().to_string());

    // Only the file itself is in its directory: no temporary files left behind.
    let names: Vec<_> = std::fs::read_dir(path.parent().expect("parent"))
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![path.file_name().expect("name").to_owned()]);
}

#[tokio::test]
async fn clones_share_the_store() {
    let memory = std::sync::Arc::new(object_store::memory::InMemory::new());
    let store = MediaStore::object_store(memory, "", "memory://");
    let copy = store.clone();
    let key = MediaStore::key_for(&sha256_hex(b"x"), "png");
    store.put(&key, b"x".to_vec()).await.expect("put");
    assert_eq!(copy.get(&key).await.expect("get"), Some(b"x".to_vec()));
    assert_eq!(copy.locate(&key), format!("memory://{key}"));
}
