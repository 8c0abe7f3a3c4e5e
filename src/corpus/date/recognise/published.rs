//! Dates said from the day a document was published ("last year", "this month", "earlier this
//! week", "three years ago"): read only in a document that gives that day, and marked as
//! resolved from it.

use super::Token;
use super::readers::Read;
use super::words::{lower, month_of, year_of};
use crate::corpus::date::{Date, Point, days_in_month};

/// The day a document was published: year, month, day.
pub type Day = (i32, u8, u8);

/// A date said from the day of publication, starting at token `i`.
pub(super) fn published_at(toks: &[Token], i: usize, (y, m, d): Day) -> Option<Read> {
    let w = |k: usize| lower(toks.get(i + k));
    let (a, b, c) = (w(0), w(1), w(2));
    let step = |word: &str| match word {
        "last" | "previous" => Some(-1),
        "this" | "current" => Some(0),
        "next" | "coming" => Some(1),
        _ => None,
    };
    let (date, used) = match (a.as_str(), b.as_str(), c.as_str()) {
        (n, unit @ ("year" | "years" | "month" | "months"), "ago") => {
            let n = count(n)?;
            let date = if unit.starts_with('y') {
                Point::Year(y - n)
            } else {
                month(y, m, -n)
            };
            (Date::Point(date), 3)
        }
        (s, "year", _) => (Date::Point(Point::Year(y + step(s)?)), 2),
        (s, "month", _) => (Date::Point(month(y, m, step(s)?)), 2),
        ("earlier" | "later", "this", "week") => (week(y, m, d, 0), 3),
        (s @ ("this" | "last"), "week", _) => (week(y, m, d, step(s)?), 2),
        ("yesterday", _, _) => {
            let (y, m, d) = days_before((y, m, d), 1);
            (Date::Point(Point::Day(y, m, d)), 1)
        }
        _ => return None,
    };
    // "Last year in December 2015": the date written out says it.
    let next = |k: usize| toks.get(i + used + k);
    if matches!(lower(next(0)).as_str(), "in" | "on" | "of")
        && next(1).is_some_and(|t| month_of(t.core).is_some() || year_of(t).is_some())
    {
        return None;
    }
    let year = match date {
        Date::Point(Point::Year(y)) => Some(y),
        _ => None,
    };
    Some(Read {
        date,
        used,
        year,
        relative: true,
    })
}

/// The month `by` months from month `m` of year `y`.
fn month(y: i32, m: u8, by: i32) -> Point {
    let index = y * 12 + i32::from(m) - 1 + by;
    Point::Month(index.div_euclid(12), (index.rem_euclid(12) + 1) as u8)
}

/// The seven days up to the day of publication (`by` 0), or the seven before them (`by` -1).
fn week(y: i32, m: u8, d: u8, by: i32) -> Date {
    let end = days_before((y, m, d), (-by * 7) as u32);
    let start = days_before(end, 6);
    Date::Interval(
        Some(Point::Day(start.0, start.1, start.2)),
        Some(Point::Day(end.0, end.1, end.2)),
    )
}

/// The day `n` days before `day`.
fn days_before((mut y, mut m, mut d): Day, n: u32) -> Day {
    for _ in 0..n {
        if d > 1 {
            d -= 1;
        } else if m > 1 {
            m -= 1;
            d = days_in_month(y, m);
        } else {
            (y, m, d) = (y - 1, 12, 31);
        }
    }
    (y, m, d)
}

/// "three", "3", "a": how many.
fn count(word: &str) -> Option<i32> {
    const WORDS: [&str; 12] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    match word {
        "a" | "an" => Some(1),
        _ => word
            .parse()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .or_else(|| WORDS.iter().position(|w| *w == word).map(|i| i as i32 + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Reader;

    fn read(day: super::Day, text: &str) -> Vec<(String, bool)> {
        Reader::from_published(Some(day))
            .read(text)
            .into_iter()
            .map(|m| (m.date.edtf(), m.published))
            .collect()
    }

    #[test]
    fn dates_said_from_the_day_of_publication_are_resolved_from_it() {
        let day = (2016, 2, 3);
        let got = |t| read(day, t);
        assert_eq!(got("Trade grew last year."), [("2015".to_string(), true)]);
        assert_eq!(
            got("Talks begin this month."),
            [("2016-02".to_string(), true)]
        );
        assert_eq!(got("He came last month."), [("2016-01".to_string(), true)]);
        assert_eq!(
            got("They met earlier this week."),
            [("2016-01-28/2016-02-03".to_string(), true)]
        );
        assert_eq!(
            got("It began three years ago."),
            [("2013".to_string(), true)]
        );
        assert_eq!(
            got("It rained yesterday."),
            [("2016-02-02".to_string(), true)]
        );
        assert_eq!(got("In 1950 it began."), [("1950".to_string(), false)]);
        assert_eq!(
            got("Last year in December 2015, he visited."),
            [("2015-12".to_string(), false)]
        );
        assert_eq!(
            read((2016, 1, 15), "Prices fell last month."),
            [("2015-12".to_string(), true)]
        );
    }

    #[test]
    fn without_a_day_of_publication_they_stay_undated() {
        assert!(Reader::default().read("Trade grew last year.").is_empty());
        assert!(
            Reader::default()
                .read("They met earlier this week.")
                .is_empty()
        );
    }
}
