//! The timeline picture, drawn from the article's events and from made-up ones.

use super::*;
use crate::corpus::date::Point;

fn event(date: Date, text: &str) -> TimelineEvent {
    TimelineEvent {
        date,
        text: text.into(),
        document: "d".into(),
        paragraph: 1,
        sentence: String::new(),
        title: String::new(),
    }
}

fn size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

#[test]
fn a_few_events_get_a_row_each_and_the_stated_width() {
    let events = vec![
        event(
            Date::Point(Point::Day(2015, 6, 15)),
            "General Raheel Sharif visited Moscow",
        ),
        event(Date::Point(Point::Decade(196)), "The 1960s"),
        event(Date::Point(Point::Year(1947)), "Independence"),
    ];
    let png = png(&events, None, None, "").unwrap();
    assert_eq!(size(&png), (WIDTH, (ROWS_Y + 3.0 * ROW + MARGIN) as u32));
}

#[test]
fn nothing_dated_is_no_picture() {
    assert!(png(&[], None, None, "").is_none());
}

#[test]
fn the_axis_spans_the_filter_and_ticks_fit() {
    let e = [event(Date::Point(Point::Year(2015)), "x")];
    let dated: Vec<_> = e.iter().map(|e| (e, 2015.0, 2015.99)).collect();
    let from = Date::Point(Point::Year(2000));
    let (start, end) = axis_range(&dated, Some(from), None);
    assert!(start <= 2000.0 && end >= 2016.0, "{start}–{end}");
    assert!((end - start) / tick_step(end - start) <= 9.0);
    assert_eq!(tick_step(70.0), 10.0);
}

#[test]
fn long_labels_are_cut_to_fit() {
    let long = "word ".repeat(100);
    let cut = fitted(&long, LABEL_SIZE, 200.0);
    assert!(
        width(&cut, LABEL_SIZE) <= 200.0 && cut.ends_with('…'),
        "{cut}"
    );
}
