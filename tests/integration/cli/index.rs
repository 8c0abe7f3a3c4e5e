//! The index on the command line: reindexing, a second document, bad data refused while the
//! old index answers, a reindex killed at any moment, two processes on one data directory.

use super::*;

/// A change to the data in one process waits for another process's change (issue 28: edits
/// from processes sharing `data/` interleaved): both hold the data directory's `flock`.
#[test]
fn a_reindex_waits_while_another_process_changes_the_data() {
    let ws = Workspace::new();
    ws.ok(&["reindex"]);
    let (engine, _index) = common::engine_over(&ws.data());
    let edit = engine.lock_edits().unwrap();
    let mut other = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("reindex")
        .current_dir(ws.dir.path())
        .env_remove("DOSSIER_DATA")
        .env_remove("DOSSIER_INDEX")
        .env_remove("DISCORD_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        other.try_wait().unwrap().is_none(),
        "the other process waits while this one changes the data"
    );
    drop(edit);
    let out = other.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "then it reindexes: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn reindex_prints_a_summary_and_a_second_run_reports_no_changes() {
    let ws = Workspace::new();
    let first = ws.ok(&["reindex"]);
    assert!(
        first.contains("1 document, 40 paragraphs, 30 events"),
        "{first}"
    );
    let second = ws.ok(&["reindex"]);
    assert!(second.contains("No changes"), "{second}");
}

#[test]
fn a_second_document_is_indexed_with_no_code_change() {
    let ws = Workspace::new();
    ws.ok(&["reindex"]);
    write(
        &ws.data().join("gwadar-port.txt"),
        "Gwadar Port\n\nBy A. Writer\n\nIn March 2017, the first cargo ship left Gwadar port for the Gulf.\n\nThe port is run by a Chinese company.\n",
    );
    write(
        &ws.data().join("gwadar-port.toml"),
        "title = \"Gwadar Port\"\nauthor = \"A. Writer\"\n",
    );
    let summary = ws.ok(&["reindex"]);
    assert!(summary.contains("2 documents"), "{summary}");
    assert!(summary.contains("Added document gwadar-port"), "{summary}");
    let answer = ws.ask("When did the first cargo ship leave Gwadar?");
    assert_eq!(answer["hits"][0]["document"], "gwadar-port");
    assert_eq!(answer["hits"][0]["dates"], serde_json::json!(["2017-03"]));
    // The article still answers as before.
    let answer = ws.ask("When did Russia lift its arms embargo on Pakistan?");
    assert_eq!(answer["hits"][0]["document"], "russia-pakistan-alliance");
    std::fs::remove_file(ws.data().join("gwadar-port.txt")).unwrap();
    std::fs::remove_file(ws.data().join("gwadar-port.toml")).unwrap();
    let summary = ws.ok(&["reindex"]);
    assert!(
        summary.contains("Removed document gwadar-port"),
        "{summary}"
    );
}

#[test]
fn bad_data_is_refused_and_the_old_index_keeps_answering() {
    let ws = Workspace::new();
    ws.ok(&["reindex"]);
    let cases: &[(&str, &[u8], &str)] = &[
        ("notes.txt", b"\xff\xfebad", "not valid UTF-8"),
        ("image.txt", b"GIF89a\x00\x01", "binary"),
        ("empty.txt", b"", "empty"),
        (
            "russia-pakistan-alliance.toml",
            b"title = [",
            "russia-pakistan-alliance.toml",
        ),
        ("aliases.toml", b"[[alias]]\nterm = 3\n", "aliases.toml"),
        ("only-boilerplate.txt", b"Leave a Reply\n\nYour email address will not be published. Required fields are marked *\n", "no paragraphs"),
    ];
    for (name, contents, problem) in cases {
        let path = ws.data().join(name);
        let before = std::fs::read(&path).ok();
        write(&path, contents);
        let out = ws.run(&["reindex"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name} was accepted");
        assert!(stderr.contains(name), "{name}: {stderr}");
        assert!(stderr.contains(problem), "{name}: {stderr}");
        // The old index still answers, also for a process that opens it with the bad data.
        let answer = ws.ask("When did Russia lift its arms embargo on Pakistan?");
        assert_eq!(answer["hits"][0]["dates"], serde_json::json!(["2014-06"]));
        match before {
            Some(bytes) => write(&path, bytes),
            None => std::fs::remove_file(&path).unwrap(),
        }
    }
    let summary = ws.ok(&["reindex"]);
    assert!(summary.contains("No changes"), "{summary}");
}

/// `dossier reindex` killed with SIGKILL at 20 moments of its run: the next process always
/// answers correctly from the last good index (or rebuilds it).
#[cfg(unix)]
#[test]
fn a_reindex_killed_at_any_moment_leaves_a_working_index() {
    let ws = Workspace::new();
    ws.ok(&["reindex"]);
    let article = ws.data().join("russia-pakistan-alliance.txt");
    let original = std::fs::read_to_string(&article).unwrap();
    for i in 0..20u64 {
        // Change the data so every run really rebuilds.
        write(
            &article,
            format!("{original}\n\nKill round {i} was on Pakistan and Russia.\n"),
        );
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("reindex")
            .current_dir(ws.dir.path())
            .env("RUST_LOG", "off")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(i * 7 % 90));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let answer = ws.ask("When did Russia lift its arms embargo on Pakistan?");
        assert_eq!(
            answer["hits"][0]["dates"],
            serde_json::json!(["2014-06"]),
            "round {i}: {answer}"
        );
    }
}

#[test]
fn huge_and_vanishing_files_are_refused_by_name() {
    let ws = Workspace::new();
    ws.ok(&["reindex"]);
    let check = |name: &str, problem: &str| {
        let out = ws.run(&["reindex"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name} was accepted");
        assert!(
            stderr.contains(name) && stderr.contains(problem),
            "{stderr}"
        );
        let answer = ws.ask("When did Russia lift its arms embargo on Pakistan?");
        assert_eq!(answer["hits"][0]["dates"], serde_json::json!(["2014-06"]));
    };
    // A 50 MB document.
    let huge = ws.data().join("huge.txt");
    write(&huge, "Pakistan and Russia met again. ".repeat(1_700_000));
    check("huge.txt", "too large");
    std::fs::remove_file(&huge).unwrap();
    // A file listed in the directory that is gone when it is read (a dangling link is what a
    // file removed between listing and reading looks like).
    #[cfg(unix)]
    {
        let gone = ws.data().join("gone.txt");
        std::os::unix::fs::symlink(ws.dir.path().join("no-such-file.txt"), &gone).unwrap();
        check("gone.txt", "cannot read");
        std::fs::remove_file(&gone).unwrap();
    }
    assert!(ws.ok(&["reindex"]).contains("No changes"));
}
