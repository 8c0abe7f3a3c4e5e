use super::*;

/// Every store check, run against one database. SQLite always; PostgreSQL when
/// `DOSSIER_TEST_POSTGRES` holds a URL (`.ci/run` starts a server and sets it).
fn check_store(store: &Store, base: i64) {
    let asked = |n: i64, question: &str, outcome: Outcome| Asked {
        id: base + n,
        at: base + n,
        transport: "gateway",
        guild: Some(666),
        channel: Some(777),
        user_hash: UserHasher::new(b"k").hash(42),
        question: question.to_string(),
        outcome,
        hit: (outcome != Outcome::Abstained).then(|| ("russia-pakistan-alliance".to_string(), 21)),
        confidence: 0.4,
        generation: 1,
    };
    store.log(asked(1, "When was the embargo lifted?", Outcome::Answered));
    store.log(asked(
        2,
        "Who is the Iranian ambassador?",
        Outcome::Abstained,
    ));
    store.log(asked(
        3,
        "who is the iranian ambassador",
        Outcome::Abstained,
    ));
    store.log(asked(4, "What did Obama say?", Outcome::Unsure));
    store.log(asked(5, "When did Putin visit?", Outcome::Answered));
    // The log is written in the background: wait until the rows are there.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let figures = loop {
        let figures = store.figures(base).unwrap();
        if figures.questions == 5 || std::time::Instant::now() > deadline {
            break figures;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!((figures.questions, figures.answered), (5, 2));

    let vote = |n: i64, helpful: bool, reason: Option<&str>| Vote {
        question: base + n,
        user_hash: UserHasher::new(b"k").hash(42),
        helpful,
        reason: reason.map(str::to_string),
        at: base + 10,
    };
    assert!(store.vote(vote(1, true, None)).unwrap());
    assert!(store.vote(vote(5, true, None)).unwrap());
    // A second press by the same user changes the vote; the form adds the reason.
    assert!(store.vote(vote(5, false, None)).unwrap());
    assert!(store.vote(vote(5, false, Some("wrong date"))).unwrap());
    // Forged ids (no answer of theirs was logged) store nothing and move no figure.
    for forged in [99, -base, i64::MAX - base] {
        assert!(!store.vote(vote(forged, false, None)).unwrap(), "{forged}");
    }
    let figures = store.figures(base).unwrap();
    assert_eq!((figures.up_votes, figures.down_votes), (1, 1));

    let gaps = store.gaps(base).unwrap();
    let shown: Vec<(&str, u32)> = gaps
        .iter()
        .map(|g| (g.question.as_str(), g.count))
        .collect();
    assert_eq!(
        shown,
        [
            ("Who is the Iranian ambassador?", 2),
            ("When did Putin visit?", 1),
            ("What did Obama say?", 1),
        ]
    );
    assert_eq!(gaps[0].abstained, 2);
    assert_eq!(gaps[1].reasons, ["wrong date"]);
    assert_eq!(gaps[2].unsure, 1);

    assert!(
        store.purge(base + 3).unwrap() >= 2,
        "the two oldest rows go"
    );
    assert_eq!(store.figures(base).unwrap().questions, 3);
}

#[test]
fn the_log_votes_and_gaps_work_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state/dossier.db");
    let store = Store::open(path.to_str().unwrap()).unwrap();
    assert_eq!(store.backend(), "sqlite");
    check_store(&store, 1_000_000);
    drop(store);
    // Reopening applies no migration twice and keeps the rows.
    let store = Store::open(path.to_str().unwrap()).unwrap();
    assert_eq!(store.figures(0).unwrap().questions, 3);

    // Private by default: state/ 0700, the database 0600, the hash key in a 0600 file of its
    // own (random, stable across starts), never in the database.
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    assert_eq!(mode(&path), 0o600);
    let key = store.user_hash_key(path.to_str().unwrap()).unwrap();
    let key_file = dir.path().join("state/user-hash.key");
    assert_eq!(mode(&key_file), 0o600);
    assert_eq!(key.len(), 64);
    assert_eq!(store.user_hash_key(path.to_str().unwrap()).unwrap(), key);
    assert_eq!(store.ask(|r| Job::OldHashKey(false, r)).unwrap(), None);
}

#[test]
fn a_key_an_older_version_kept_in_the_database_moves_to_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dossier.db");
    let database = path.to_str().unwrap();
    let store = Store::open(database).unwrap();
    let old = "a1".repeat(32);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&url_of(database).unwrap())
            .await
            .unwrap();
        sqlx::query("INSERT INTO secrets (name, value) VALUES ('user-hash', $1)")
            .bind(&old)
            .execute(&pool)
            .await
            .unwrap();
    });
    assert_eq!(
        store.user_hash_key(database).unwrap(),
        old,
        "old hashes keep matching"
    );
    assert_eq!(
        store.ask(|r| Job::OldHashKey(false, r)).unwrap(),
        None,
        "gone from the database"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("user-hash.key")).unwrap(),
        old
    );
}

#[test]
fn the_log_votes_and_gaps_work_on_postgres() {
    let Ok(url) = std::env::var("DOSSIER_TEST_POSTGRES") else {
        eprintln!("DOSSIER_TEST_POSTGRES not set: the PostgreSQL run is .ci/run's");
        return;
    };
    let store = Store::open(&url).unwrap();
    assert_eq!(store.backend(), "postgres");
    // Rows of earlier runs stay in the database; this run's times are its own.
    check_store(&store, now() * 1000);
}

#[test]
fn a_database_that_cannot_open_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "not a directory").unwrap();
    let err = Store::open(file.join("dossier.db").to_str().unwrap()).unwrap_err();
    assert!(err.to_string().contains("file"), "{err}");
}

#[test]
fn user_ids_are_stored_as_keyed_hashes() {
    let a = UserHasher::new(b"key one");
    let b = UserHasher::new(b"key two");
    let id = 123_456_789_012_345_678;
    assert_eq!(a.hash(id), a.hash(id));
    assert_ne!(a.hash(id), b.hash(id));
    assert_ne!(a.hash(id), a.hash(id + 1));
    assert!(!a.hash(id).contains(&id.to_string()));
    assert_eq!(a.hash(id).len(), 32);
    assert_eq!(format!("{a:?}"), "UserHasher([redacted])");
    // Standard HMAC-SHA-256 (Python's hmac module gives the same), so the hashes stored by the
    // hand-written HMAC before keep matching; a key longer than a block is hashed first.
    assert_eq!(a.hash(id), "b02d5ac9e6881481283813f6f1e6fdc7");
    assert_eq!(
        UserHasher::new(&[b'k'; 100]).hash(42),
        "6c2fc455352d43e48365f3da73030c8e"
    );
}

#[test]
fn question_ids_are_positive_and_distinct() {
    let ids: std::collections::HashSet<i64> = (0..1000).map(|_| new_id("same")).collect();
    assert_eq!(ids.len(), 1000);
    assert!(ids.iter().all(|id| *id >= 0));
}
