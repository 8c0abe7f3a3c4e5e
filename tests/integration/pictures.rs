//! The timeline picture of the real article: the whole timeline, a filtered range, and 1,000
//! synthetic events. Each is written to `target/pictures/` to be looked at, and checked for its
//! size and Discord's attachment limit.

use crate::common;

use dossier::bot::render::chart;
use dossier::corpus::date::{Date, Point, parse_user_date};
use dossier::search::{TimelineEvent, TimelineFilter};

/// Width, height and byte count of a PNG, after checking its signature.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

fn keep(name: &str, png: &[u8]) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("pictures");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), png).unwrap();
}

/// What Discord accepts as an attachment by default (the interaction's
/// `attachment_size_limit`).
const ATTACHMENT_LIMIT: usize = 10 * 1024 * 1024;

#[test]
fn the_whole_timeline_and_a_range_are_drawn_one_row_an_event() {
    let (engine, _index) = common::article_engine();
    let all = engine
        .timeline(&TimelineFilter::default(), 0, usize::MAX)
        .unwrap();
    assert_eq!(all.events.len(), 30);
    let png = chart::png(&all.events, None, None, "").unwrap();
    keep("whole.png", &png);
    assert_eq!(png_size(&png), (chart::WIDTH, 88 + 30 * 26 + 20));
    assert!(png.len() < 1024 * 1024, "{} bytes", png.len());

    let filter = TimelineFilter {
        from: parse_user_date("2014"),
        to: parse_user_date("2015"),
        topic: String::new(),
    };
    let range = engine.timeline(&filter, 0, usize::MAX).unwrap();
    let png = chart::png(&range.events, filter.from, filter.to, "").unwrap();
    keep("2014-2015.png", &png);
    assert_eq!(
        png_size(&png),
        (chart::WIDTH, 88 + range.events.len() as u32 * 26 + 20)
    );
}

#[test]
fn a_thousand_events_are_packed_unlabelled_and_stay_far_below_the_attachment_limit() {
    // Deterministic dates from 1900 to 2020: days, months, years, decades and intervals.
    let mut seed: u64 = 7;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let events: Vec<TimelineEvent> = (0..1000)
        .map(|i| {
            let y = 1900 + next(121) as i32;
            let date = match i % 5 {
                0 => Date::Point(Point::Day(y, 1 + next(12) as u8, 1 + next(28) as u8)),
                1 => Date::Point(Point::Month(y, 1 + next(12) as u8)),
                2 => Date::Point(Point::Year(y)),
                3 => Date::Point(Point::Decade(y / 10)),
                _ => Date::Interval(
                    Some(Point::Year(y)),
                    Some(Point::Year(y + 1 + next(15) as i32)),
                ),
            };
            TimelineEvent {
                date,
                text: format!("Synthetic event {i}"),
                document: "synthetic".into(),
                paragraph: 1,
                sentence: String::new(),
                title: String::new(),
            }
        })
        .collect();
    let png = chart::png(&events, None, None, "synthetic").unwrap();
    keep("thousand.png", &png);
    let (w, h) = png_size(&png);
    assert_eq!(w, chart::WIDTH);
    assert!(h <= 2000, "{h}");
    assert!(png.len() < ATTACHMENT_LIMIT / 10, "{} bytes", png.len());
}
