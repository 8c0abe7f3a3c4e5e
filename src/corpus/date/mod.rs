//! Dates as EDTF (ISO 8601-2 level 1 subset): points at the precision the text gives and
//! intervals, their day ranges, their EDTF strings and how people read them. Recognising dates in
//! prose is [`recognise`]'s.
//!
//! Years are numbered as ISO 8601 and EDTF number them (astronomically): year `0000` is 1 BC,
//! `-0043` is 44 BC. Years beyond four digits take EDTF's `Y` prefix (`Y-72050`).

use std::fmt;

mod recognise;

pub use recognise::{
    Day, Mention, Reader, is_month, is_unit, names_a_time, names_an_undated_time, recognise,
};

/// One calendar point at the precision the text gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Point {
    Day(i32, u8, u8),
    Month(i32, u8),
    Year(i32),
    /// The first three digits of the decade: `Decade(195)` is the 1950s.
    Decade(i32),
    /// A season of a year, by its EDTF code: 21 spring (March–May), 22 summer (June–August),
    /// 23 autumn (September–November), 24 winter (December to the next February).
    Season(i32, u8),
    /// The first two digits of the century's years: `Century(10)` is 1000–1099, EDTF `10XX`,
    /// read as "the 11th century".
    Century(i32),
}

/// A date or an interval of dates. Open ends are `None`. Serialised as its EDTF string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Date {
    Point(Point),
    Interval(Option<Point>, Option<Point>),
}

/// Days sortable as integers: `2015-06-15` is `20150615`.
pub type DayKey = i64;

/// The smallest and largest day keys, used for open interval ends: below and above every year.
pub const OPEN_START: DayKey = i32::MIN as DayKey * 10_000;
#[allow(clippy::inconsistent_digit_grouping)] // grouped as YYYY_MM_DD on purpose
pub const OPEN_END: DayKey = 9999_12_31;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The day `2016-02-03` (or a longer timestamp that starts with it) names.
pub fn day_of(written: &str) -> Option<Day> {
    match Date::parse_edtf(written.get(..10)?)? {
        Date::Point(Point::Day(y, m, d)) => Some((y, m, d)),
        _ => None,
    }
}

pub(super) fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn key(y: i32, m: u8, d: u8) -> DayKey {
    i64::from(y) * 10_000 + i64::from(m) * 100 + i64::from(d)
}

/// Season codes of EDTF, from spring.
const SEASONS: [&str; 4] = ["spring", "summer", "autumn", "winter"];

/// The first and last month of a season (winter runs into the next year).
fn season_months(s: u8) -> (u8, u8) {
    match s {
        21 => (3, 5),
        22 => (6, 8),
        23 => (9, 11),
        _ => (12, 2),
    }
}

/// A year as EDTF writes it: four digits, a sign for years before 1 BC's successor, a `Y`
/// prefix beyond four digits.
fn edtf_year(y: i32) -> String {
    match y {
        0..=9999 => format!("{y:04}"),
        -9999..=-1 => format!("-{:04}", -y),
        _ => format!("Y{y}"),
    }
}

/// A year for people: "1998", "AD 14", "44 BC", "74,000 BP" (beyond ten thousand years).
fn human_year(y: i32) -> String {
    match y {
        1000.. => y.to_string(),
        1..=999 => format!("AD {y}"),
        -9998..=0 => format!("{} BC", 1 - i64::from(y)),
        _ => format!("{} BP", grouped(1950 - i64::from(y))),
    }
}

/// "74000" → "74,000".
fn grouped(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1st", "2nd", "11th", "21st".
fn ordinal(n: i32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

impl Point {
    /// First day covered.
    pub fn lo(self) -> DayKey {
        match self {
            Point::Day(y, m, d) => key(y, m, d),
            Point::Month(y, m) => key(y, m, 1),
            Point::Year(y) => key(y, 1, 1),
            Point::Decade(d) => key(d * 10, 1, 1),
            Point::Season(y, s) => key(y, season_months(s).0, 1),
            Point::Century(c) => key(c * 100, 1, 1),
        }
    }

    /// Last day covered.
    pub fn hi(self) -> DayKey {
        match self {
            Point::Day(y, m, d) => key(y, m, d),
            Point::Month(y, m) => key(y, m, days_in_month(y, m)),
            Point::Year(y) => key(y, 12, 31),
            Point::Decade(d) => key(d * 10 + 9, 12, 31),
            Point::Season(y, 24) => key(y + 1, 2, days_in_month(y + 1, 2)),
            Point::Season(y, s) => {
                let m = season_months(s).1;
                key(y, m, days_in_month(y, m))
            }
            Point::Century(c) => key(c * 100 + 99, 12, 31),
        }
    }

    fn year(self) -> Option<i32> {
        match self {
            Point::Day(y, ..) | Point::Month(y, _) | Point::Year(y) | Point::Season(y, _) => {
                Some(y)
            }
            Point::Decade(_) | Point::Century(_) => None,
        }
    }

    /// The next point of the same precision, for "after 2015" → from 2016.
    fn next(self) -> Point {
        match self {
            Point::Day(y, m, d) if d < days_in_month(y, m) => Point::Day(y, m, d + 1),
            Point::Day(y, 12, _) => Point::Day(y + 1, 1, 1),
            Point::Day(y, m, _) => Point::Day(y, m + 1, 1),
            Point::Month(y, 12) => Point::Month(y + 1, 1),
            Point::Month(y, m) => Point::Month(y, m + 1),
            Point::Year(y) => Point::Year(y + 1),
            Point::Decade(d) => Point::Decade(d + 1),
            Point::Season(y, 24) => Point::Season(y + 1, 21),
            Point::Season(y, s) => Point::Season(y, s + 1),
            Point::Century(c) => Point::Century(c + 1),
        }
    }

    /// The previous point of the same precision, for "before 1950" → until 1949.
    fn prev(self) -> Point {
        match self {
            Point::Day(y, m, d) if d > 1 => Point::Day(y, m, d - 1),
            Point::Day(y, 1, _) => Point::Day(y - 1, 12, 31),
            Point::Day(y, m, _) => Point::Day(y, m - 1, days_in_month(y, m - 1)),
            Point::Month(y, 1) => Point::Month(y - 1, 12),
            Point::Month(y, m) => Point::Month(y, m - 1),
            Point::Year(y) => Point::Year(y - 1),
            Point::Decade(d) => Point::Decade(d - 1),
            Point::Season(y, 21) => Point::Season(y - 1, 24),
            Point::Season(y, s) => Point::Season(y, s - 1),
            Point::Century(c) => Point::Century(c - 1),
        }
    }

    fn edtf(self) -> String {
        match self {
            Point::Day(y, m, d) => format!("{}-{m:02}-{d:02}", edtf_year(y)),
            Point::Month(y, m) => format!("{}-{m:02}", edtf_year(y)),
            Point::Year(y) => edtf_year(y),
            Point::Decade(d) => format!("{d:03}X"),
            Point::Season(y, s) => format!("{}-{s}", edtf_year(y)),
            Point::Century(c) => format!("{c:02}XX"),
        }
    }

    fn human(self) -> String {
        match self {
            Point::Day(y, m, d) => format!("{d} {} {}", MONTHS[usize::from(m) - 1], human_year(y)),
            Point::Month(y, m) => format!("{} {}", MONTHS[usize::from(m) - 1], human_year(y)),
            Point::Year(y) => human_year(y),
            Point::Decade(d) => format!("{}s", d * 10),
            Point::Season(y, 24) if (1000..9999).contains(&y) => {
                format!("winter {y}–{:02}", (y + 1) % 100)
            }
            Point::Season(y, s) => {
                format!("{} {}", SEASONS[usize::from(s - 21)], human_year(y))
            }
            Point::Century(c) => format!("{} century", ordinal(c + 1)),
        }
    }

    fn parse_edtf(s: &str) -> Option<Point> {
        // EDTF is ASCII; slicing below relies on it (a user's "from" may be anything).
        if !s.is_ascii() {
            return None;
        }
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        // Beyond four digits: a year alone, `Y` and a signed number.
        if let Some(long) = s.strip_prefix('Y') {
            let unsigned = long.strip_prefix('-').unwrap_or(long);
            let y: i32 = long.parse().ok()?;
            return (digits(unsigned) && unsigned.len() > 4).then_some(Point::Year(y));
        }
        let (sign, s) = match s.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, s),
        };
        let parts: Vec<&str> = s.split('-').collect();
        let year = |y: &str| -> Option<i32> {
            let y: i32 = y.parse().ok()?;
            // "-0000" is not a year of its own.
            (sign > 0 || y > 0).then_some(sign * y)
        };
        match parts.as_slice() {
            [y] if y.len() == 4 && digits(y) => Some(Point::Year(year(y)?)),
            [d] if sign > 0 && d.len() == 4 && d.ends_with(['X', 'x']) && digits(&d[..3]) => {
                Some(Point::Decade(d[..3].parse().ok()?))
            }
            [c] if sign > 0
                && c.len() == 4
                && c[2..].eq_ignore_ascii_case("XX")
                && digits(&c[..2]) =>
            {
                Some(Point::Century(c[..2].parse().ok()?))
            }
            [y, m] if y.len() == 4 && m.len() == 2 && digits(y) && digits(m) => {
                let m: u8 = m.parse().ok()?;
                match m {
                    1..=12 => Some(Point::Month(year(y)?, m)),
                    21..=24 => Some(Point::Season(year(y)?, m)),
                    _ => None,
                }
            }
            [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
                if !(digits(y) && digits(m) && digits(d)) {
                    return None;
                }
                let (y, m, d): (i32, u8, u8) = (year(y)?, m.parse().ok()?, d.parse().ok()?);
                ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m))
                    .then_some(Point::Day(y, m, d))
            }
            _ => None,
        }
    }
}

impl Date {
    pub fn lo(self) -> DayKey {
        match self {
            Date::Point(p) => p.lo(),
            Date::Interval(a, _) => a.map_or(OPEN_START, Point::lo),
        }
    }

    pub fn hi(self) -> DayKey {
        match self {
            Date::Point(p) => p.hi(),
            Date::Interval(_, b) => b.map_or(OPEN_END, Point::hi),
        }
    }

    /// EDTF (ISO 8601-2 level 1 subset): `2015-06-15`, `2014-06`, `1998`, `195X`, `1988/2001`,
    /// `2011/..`, `1755-21` (spring 1755), `10XX` (the 11th century), `-0043` (44 BC).
    pub fn edtf(self) -> String {
        match self {
            Date::Point(p) => p.edtf(),
            Date::Interval(a, b) => format!(
                "{}/{}",
                a.map_or_else(|| "..".to_string(), Point::edtf),
                b.map_or_else(|| "..".to_string(), Point::edtf)
            ),
        }
    }

    /// Parses what [`Date::edtf`] writes.
    pub fn parse_edtf(s: &str) -> Option<Date> {
        let s = s.trim();
        match s.split_once('/') {
            None => Point::parse_edtf(s).map(Date::Point),
            Some((a, b)) => {
                let end = |t: &str| {
                    if t == ".." || t.is_empty() {
                        Some(None)
                    } else {
                        Point::parse_edtf(t).map(Some)
                    }
                };
                let (a, b) = (end(a)?, end(b)?);
                let date = Date::Interval(a, b);
                (!(a.is_none() && b.is_none()) && date.lo() <= date.hi()).then_some(date)
            }
        }
    }

    /// True when the two dates share at least one day.
    pub fn overlaps(self, other: Date) -> bool {
        self.lo() <= other.hi() && other.lo() <= self.hi()
    }

    /// True when every day of `self` lies within `other`.
    pub fn within(self, other: Date) -> bool {
        other.lo() <= self.lo() && self.hi() <= other.hi()
    }

    /// How wide the date is, in (approximate) days; open intervals are very wide.
    pub fn span_days(self) -> i64 {
        fn days(k: DayKey) -> i64 {
            let (y, md) = (k.div_euclid(10_000), k.rem_euclid(10_000));
            y * 372 + (md / 100) * 31 + md % 100
        }
        days(self.hi()) - days(self.lo()) + 1
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.edtf()
    }
}

impl TryFrom<String> for Date {
    type Error = String;

    fn try_from(s: String) -> Result<Date, String> {
        Date::parse_edtf(&s).ok_or_else(|| format!("not an EDTF date: {s:?}"))
    }
}

impl fmt::Display for Date {
    /// The date for people, at the precision the text gave: "15 June 2015", "June 2014",
    /// "1950s", "1988–2001", "from 2011", "until 1949", "spring 1755", "11th century",
    /// "44 BC".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Date::Point(p) => f.write_str(&p.human()),
            Date::Interval(Some(a), Some(b)) => write!(f, "{}–{}", a.human(), b.human()),
            Date::Interval(Some(a), None) => write!(f, "from {}", a.human()),
            Date::Interval(None, Some(b)) => write!(f, "until {}", b.human()),
            Date::Interval(None, None) => f.write_str("any time"),
        }
    }
}

/// Reads a date a person typed as a filter: EDTF ("2015-06", "1988/2001") or words ("June 2015",
/// "2014", "the 1980s", "15 June 2015").
pub fn parse_user_date(input: &str) -> Option<Date> {
    if let Some(d) = Date::parse_edtf(input) {
        return Some(d);
    }
    let found = recognise(input);
    match found.as_slice() {
        [] => None,
        [only] => Some(only.date),
        many => {
            let lo = many.iter().min_by_key(|m| m.date.lo())?.date;
            let hi = many.iter().max_by_key(|m| m.date.hi())?.date;
            Some(Date::Interval(point_lo(lo), point_hi(hi)))
        }
    }
}

/// The start of a date as a point (`None` when open).
pub fn point_lo(d: Date) -> Option<Point> {
    match d {
        Date::Point(p) => Some(p),
        Date::Interval(a, _) => a,
    }
}

/// The end of a date as a point (`None` when open).
pub fn point_hi(d: Date) -> Option<Point> {
    match d {
        Date::Point(p) => Some(p),
        Date::Interval(_, b) => b,
    }
}

#[cfg(test)]
mod tests;
