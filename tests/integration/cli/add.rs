//! `dossier add`: real documents nobody here wrote (a Wikipedia page, a PDF report) added from
//! the command line and answered from; a dry run that writes nothing; scanned, broken and
//! hostile files refused with their reason and nothing written.

use super::*;

/// A fixture of `tests/fixtures/formats/`, by its absolute path.
fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/formats/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The names and bytes of the data directory's files.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_real_web_page_and_a_real_pdf_are_added_and_answered_from() {
    let ws = Workspace::new();
    let out = ws.ok(&["add", &fixture("public/wikipedia-mozilla.html")]);
    assert!(out.contains("Added wikipedia-mozilla (web page)"), "{out}");
    assert!(out.contains("navigation"), "{out}");
    let out = ws.ok(&["add", &fixture("public/18f-agile-workshop-case-study.pdf")]);
    assert!(
        out.contains("Added 18f-agile-workshop-case-study (PDF)"),
        "{out}"
    );
    assert!(out.contains("page number"), "{out}");
    assert!(ws.data().join("wikipedia-mozilla.html").exists());
    assert!(ws.data().join("18f-agile-workshop-case-study.pdf").exists());

    let answer = ws.ask("When was the name Firefox chosen?");
    let first = &answer["hits"][0];
    assert!(
        first["title"].as_str().unwrap().contains("Mozilla"),
        "{answer:#}"
    );
    assert!(
        first["answer"]
            .as_str()
            .unwrap()
            .contains("February 9, 2004"),
        "{answer:#}"
    );
    assert!(
        first["dates"].to_string().contains("2004-02-09"),
        "{answer:#}"
    );
    let answer = ws.ask("How many teams did the workshop at 18F have?");
    let first = &answer["hits"][0];
    assert!(
        first["answer"].as_str().unwrap().contains("two teams"),
        "{answer:#}"
    );
    assert!(
        first["title"].as_str().unwrap().contains("18F"),
        "{answer:#}"
    );
    // The article is still answered from as before.
    let answer = ws.ask("When did Russia lift its arms embargo on Pakistan?");
    assert!(
        answer["hits"][0]["answer"]
            .as_str()
            .unwrap()
            .contains("2014"),
        "{answer:#}"
    );
}

#[test]
fn a_dry_run_prints_the_document_as_indexed_and_writes_nothing() {
    let ws = Workspace::new();
    let before = files(&ws.data());
    let out = ws.ok(&["add", "--dry-run", &fixture("article.md")]);
    assert!(
        out.starts_with("article (Markdown): Russia & Pakistan – A New Alliance"),
        "{out}"
    );
    assert!(out.contains("author: M. Tahir Khan"), "{out}");
    assert!(out.contains("published: 2016-02-03"), "{out}");
    assert!(
        out.contains("[1 title] Russia & Pakistan – A New Alliance"),
        "{out}"
    );
    assert!(
        out.contains("caption] Prime Minister Nawaz Sharif with Russian President Vladimir Putin."),
        "{out}"
    );
    assert!(
        out.contains("June 2014  In June 2014, Russia lifts arms embargo"),
        "{out}"
    );
    let out = ws.ok(&["add", "--dry-run", &fixture("article.html")]);
    assert!(
        out.contains("left out:") && out.contains("comment"),
        "{out}"
    );
    assert!(
        !out.contains("signed in 2015, not 2014"),
        "a comment was kept: {out}"
    );
    assert_eq!(files(&ws.data()), before);
}

#[test]
fn scanned_broken_and_hostile_files_are_refused_and_nothing_is_written() {
    let ws = Workspace::new();
    let scratch = tempfile::tempdir().unwrap();
    let made = |name: &str, bytes: Vec<u8>| {
        let path = scratch.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_string()
    };
    let deep = "<html><body>".to_string() + &"<div>".repeat(100_000) + "text";
    let cases = [
        (fixture("scanned.pdf"), "no text layer"),
        (
            made("broken.pdf", b"%PDF-1.7\n1 0 obj << >>\nxref".to_vec()),
            "malformed",
        ),
        (made("deep.html", deep.into_bytes()), "nested"),
        (made("huge.html", vec![b' '; 5 * 1024 * 1024]), "too large"),
        (
            made("binary.txt", b"\x89PNG\r\n\x1a\n\0\0".to_vec()),
            "binary",
        ),
        (
            made("picture.png", b"\x89PNG\r\n".to_vec()),
            "not a document",
        ),
    ];
    let before = files(&ws.data());
    for (path, reason) in cases {
        let out = ws.run(&["add", &path]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{path} was added");
        assert!(stderr.contains(reason), "{path}: {stderr}");
        assert_eq!(files(&ws.data()), before, "{path} wrote something");
    }
}
