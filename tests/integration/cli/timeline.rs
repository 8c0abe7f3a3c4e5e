//! `dossier timeline`: every event in date order, filters, and the picture.

use super::*;

#[test]
fn timeline_lists_every_event_in_date_order() {
    let ws = Workspace::new();
    let out: Value = serde_json::from_str(&ws.ok(&["timeline", "--json"])).unwrap();
    let events = out["events"].as_array().unwrap();
    let dates: Vec<&str> = events.iter().map(|e| e["date"].as_str().unwrap()).collect();
    for date in [
        "1947",
        "1950",
        "195X",
        "1955",
        "1965",
        "1971",
        "1984",
        "1985",
        "1988/2001",
        "1998",
        "2007",
        "2010",
        "2012",
        "2014-06",
        "2014-11",
        "2015-01",
        "2015-02-15",
        "2015-03-18",
        "2015-06-15",
        "2015-07-09",
        "2015-09-20",
        "2015-10-15",
        "2015-12",
        "2016-01-23",
    ] {
        assert!(dates.contains(&date), "{date} missing from {dates:?}");
    }
    let first_year = |d: &str| d[..3].to_string() + if &d[3..4] == "X" { "0" } else { &d[3..4] };
    let years: Vec<String> = dates.iter().map(|d| first_year(d)).collect();
    let mut sorted = years.clone();
    sorted.sort();
    assert_eq!(years, sorted, "not in date order: {dates:?}");
    for e in events {
        assert_eq!(e["document"], "russia-pakistan-alliance");
        assert!(e["paragraph"].as_u64().unwrap() >= 1);
        assert!(!e["text"].as_str().unwrap().is_empty());
    }
}

#[test]
fn timeline_filters_by_date_and_topic() {
    let ws = Workspace::new();
    let out: Value =
        serde_json::from_str(&ws.ok(&["timeline", "--json", "--from", "2014", "--to", "2015-06"]))
            .unwrap();
    let dates: Vec<&str> = out["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            "2014-06",
            "2014-11",
            "2015-01",
            "2015-02-15",
            "2015-03-18",
            "2015-06-15"
        ]
    );
    let out: Value = serde_json::from_str(&ws.ok(&["timeline", "--json", "Putin"])).unwrap();
    let events = out["events"].as_array().unwrap();
    assert!(events.len() >= 3, "{events:?}");
    assert!(events.iter().all(|e| {
        let text = e["text"].as_str().unwrap();
        text.contains("Putin") || text.contains("Russian President")
    }));
    let bad = ws.run(&["timeline", "--from", "someday"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("someday"));
}

/// Width and height from a PNG's IHDR chunk, after checking the signature.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(
        bytes.len() > 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "not a PNG"
    );
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

#[test]
fn timeline_png_writes_the_picture_of_the_events_listed() {
    let ws = Workspace::new();
    let whole = ws.dir.path().join("whole.png");
    let listed = ws.ok(&["timeline", "--png", whole.to_str().unwrap()]);
    assert_eq!(
        listed.lines().filter(|l| l.contains("(¶")).count(),
        30,
        "{listed}"
    );
    let bytes = std::fs::read(&whole).unwrap();
    // 800 px wide; a 26 px row per event under an 88 px title and axis, a 20 px margin.
    assert_eq!(png_size(&bytes), (800, 88 + 30 * 26 + 20));
    let range = ws.dir.path().join("range.png");
    ws.ok(&[
        "timeline",
        "--from",
        "2015",
        "--to",
        "2015",
        "--png",
        range.to_str().unwrap(),
    ]);
    let (w, h) = png_size(&std::fs::read(&range).unwrap());
    assert_eq!(w, 800);
    assert!(h < 88 + 30 * 26 + 20, "{h}");
    // Nothing to draw is a failure with its reason, and no file.
    let none = ws.dir.path().join("none.png");
    let out = ws.run(&[
        "timeline",
        "--from",
        "1800",
        "--to",
        "1801",
        "--png",
        none.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(!none.exists());
}
