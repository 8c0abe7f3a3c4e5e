//! Dates as the article writes them, recognised and given as EDTF strings.
//!
//! The recogniser works on word tokens, not on regular expressions over the whole text, so that
//! "9/11", "$75bn", "F-16", "JF Thunder 17" or "68 years" can never be read as dates: a year is a
//! bare four-digit token, a day needs a month next to it, a decade needs its trailing "s".
//!
//! References the text makes unambiguous ("in the same year", "the following year") resolve
//! against the last explicit year the reader saw, which callers carry across sentences.

use std::fmt;

/// One calendar point at the precision the text gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Point {
    Day(i32, u8, u8),
    Month(i32, u8),
    Year(i32),
    /// The first three digits of the decade: `Decade(195)` is the 1950s.
    Decade(i32),
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

/// The smallest and largest day keys, used for open interval ends.
pub const OPEN_START: DayKey = 0;
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

fn days_in_month(y: i32, m: u8) -> u8 {
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

impl Point {
    /// First day covered.
    pub fn lo(self) -> DayKey {
        match self {
            Point::Day(y, m, d) => key(y, m, d),
            Point::Month(y, m) => key(y, m, 1),
            Point::Year(y) => key(y, 1, 1),
            Point::Decade(d) => key(d * 10, 1, 1),
        }
    }

    /// Last day covered.
    pub fn hi(self) -> DayKey {
        match self {
            Point::Day(y, m, d) => key(y, m, d),
            Point::Month(y, m) => key(y, m, days_in_month(y, m)),
            Point::Year(y) => key(y, 12, 31),
            Point::Decade(d) => key(d * 10 + 9, 12, 31),
        }
    }

    fn year(self) -> Option<i32> {
        match self {
            Point::Day(y, ..) | Point::Month(y, _) | Point::Year(y) => Some(y),
            Point::Decade(_) => None,
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
        }
    }

    fn edtf(self) -> String {
        match self {
            Point::Day(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
            Point::Month(y, m) => format!("{y:04}-{m:02}"),
            Point::Year(y) => format!("{y:04}"),
            Point::Decade(d) => format!("{d:03}X"),
        }
    }

    fn human(self) -> String {
        match self {
            Point::Day(y, m, d) => format!("{d} {} {y}", MONTHS[usize::from(m) - 1]),
            Point::Month(y, m) => format!("{} {y}", MONTHS[usize::from(m) - 1]),
            Point::Year(y) => y.to_string(),
            Point::Decade(d) => format!("{}s", d * 10),
        }
    }

    fn parse_edtf(s: &str) -> Option<Point> {
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = s.split('-').collect();
        match parts.as_slice() {
            [y] if y.len() == 4 && digits(y) => Some(Point::Year(y.parse().ok()?)),
            [d] if d.len() == 4 && d.ends_with(['X', 'x']) && digits(&d[..3]) => {
                Some(Point::Decade(d[..3].parse().ok()?))
            }
            [y, m] if y.len() == 4 && m.len() == 2 && digits(y) && digits(m) => {
                let m: u8 = m.parse().ok()?;
                (1..=12)
                    .contains(&m)
                    .then(|| Point::Month(y.parse().unwrap_or(0), m))
            }
            [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
                if !(digits(y) && digits(m) && digits(d)) {
                    return None;
                }
                let (y, m, d): (i32, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
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
    /// `2011/..`.
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
            (k / 10_000) * 372 + (k / 100 % 100) * 31 + k % 100
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
    /// "1950s", "1988–2001", "from 2011", "until 1949".
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

/// A date found in a text, with the byte range it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    pub date: Date,
    pub start: usize,
    pub end: usize,
    /// True when the mention resolved a reference ("the same year") rather than naming a date.
    pub relative: bool,
}

/// A word token of the text, with its byte range.
#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    /// The token without surrounding punctuation.
    core: &'a str,
    /// The whitespace-delimited token as written.
    raw: &'a str,
    start: usize,
    end: usize,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut pos = 0;
    for raw in text.split_inclusive(char::is_whitespace) {
        let start = pos;
        pos += raw.len();
        let raw = raw.trim_end();
        let trim = |c: char| !(c.is_alphanumeric() || c == '$' || c == '\'' || c == '’');
        let core = raw.trim_matches(trim);
        if core.is_empty() {
            continue;
        }
        let offset = raw.find(core).unwrap_or(0);
        out.push(Token {
            core,
            raw,
            start: start + offset,
            end: start + offset + core.len(),
        });
    }
    out
}

/// True for a month's name or its abbreviation ("June", "Sept."), in any case.
pub fn is_month(word: &str) -> bool {
    month_of(word).is_some()
}

fn month_of(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    let idx = match w.as_str() {
        "jan" => 0,
        "feb" => 1,
        "mar" => 2,
        "apr" => 3,
        "jun" => 5,
        "jul" => 6,
        "aug" => 7,
        "sep" | "sept" => 8,
        "oct" => 9,
        "nov" => 10,
        "dec" => 11,
        _ => MONTHS.iter().position(|m| m.eq_ignore_ascii_case(&w))?,
    };
    Some(idx as u8 + 1)
}

/// A bare four-digit year between 1000 and 2999, written as a word of its own.
fn year_of(t: &Token) -> Option<i32> {
    let c = t.core;
    let attached = t.raw.starts_with(['-', '–', '/'])
        || t.raw
            .trim_end_matches(['.', ',', ';', ':', '?', '!', ')'])
            .ends_with(['-', '–', '/']);
    if c.len() == 4 && c.bytes().all(|b| b.is_ascii_digit()) && !attached {
        let y: i32 = c.parse().ok()?;
        return (1000..3000).contains(&y).then_some(y);
    }
    None
}

fn day_of(t: &Token) -> Option<u8> {
    let c = t.core.to_ascii_lowercase();
    let digits = c.trim_end_matches(|ch: char| ch.is_ascii_alphabetic());
    let suffix = &c[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    let d: u8 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn decade_of(t: &Token) -> Option<i32> {
    let c = t.core.trim_end_matches(['\'', '’']);
    let c = c.strip_suffix('s')?.trim_end_matches(['\'', '’']);
    if c.len() == 4 && c.ends_with('0') && c.bytes().all(|b| b.is_ascii_digit()) {
        let y: i32 = c.parse().ok()?;
        return (1000..3000).contains(&y).then_some(y / 10);
    }
    None
}

/// A date written at `tokens[i..]`: returns the point and how many tokens it used.
/// `year_hint` lets "from June to August 2015" give June its year.
fn point_at(toks: &[Token], i: usize, year_hint: Option<i32>) -> Option<(Point, usize)> {
    let t = toks.get(i)?;
    if let Some(m) = month_of(t.core) {
        // Month Day[,] Year | Month[,] Year | Month (year from the hint)
        if let Some(next) = toks.get(i + 1) {
            if let Some(d) = day_of(next)
                && let Some(y) = toks.get(i + 2).and_then(year_of)
                && d <= days_in_month(y, m)
            {
                return Some((Point::Day(y, m, d), 3));
            }
            if let Some(y) = year_of(next) {
                return Some((Point::Month(y, m), 2));
            }
        }
        // Bare months are only dates when a year follows in the same phrase; "May" and
        // "March" are words too.
        return year_hint.map(|y| (Point::Month(y, m), 1));
    }
    if let Some(d) = day_of(t) {
        // Day Month[,] Year
        let m = toks.get(i + 1).and_then(|n| month_of(n.core))?;
        let y = toks.get(i + 2).and_then(year_of)?;
        return (d <= days_in_month(y, m)).then_some((Point::Day(y, m, d), 3));
    }
    if let Some(y) = year_of(t) {
        return Some((Point::Year(y), 1));
    }
    decade_of(t).map(|d| (Point::Decade(d), 1))
}

/// The year a later point in the same phrase carries ("June to August 2015").
fn year_ahead(toks: &[Token], i: usize, window: usize) -> Option<i32> {
    toks.iter().skip(i).take(window).find_map(year_of)
}

fn lower(t: Option<&Token>) -> String {
    t.map(|t| t.core.to_lowercase()).unwrap_or_default()
}

/// Relative references the text makes unambiguous, as a year offset from the last year seen.
fn relative_at(toks: &[Token], i: usize) -> Option<(i32, usize)> {
    let w = |k: usize| lower(toks.get(i + k));
    let (a, b, c) = (w(0), w(1), w(2));
    match (a.as_str(), b.as_str(), c.as_str()) {
        ("the", "same", "year") => Some((0, 3)),
        ("that", "year", _) if i > 0 && lower(toks.get(i - 1)) == "in" => Some((0, 2)),
        ("the", "following", "year") | ("the", "next", "year") => Some((1, 3)),
        ("a", "year", "later") => Some((1, 3)),
        ("the", "previous", "year") | ("a", "year", "earlier") => Some((-1, 3)),
        _ => None,
    }
}

/// Finds the dates of one sentence. `context_year` is the last explicit year seen before it; it
/// is updated as explicit dates are read, so pass the same variable for consecutive sentences.
pub fn recognise(text: &str, context_year: &mut Option<i32>) -> Vec<Mention> {
    let toks = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let word = lower(toks.get(i));
        // Intervals: "from X to Y", "between X and Y", "X-Y" in one token.
        if matches!(word.as_str(), "from" | "between") {
            let hint = year_ahead(&toks, i + 1, 6);
            if let Some((a, used_a)) = point_at(&toks, i + 1, hint) {
                let sep = lower(toks.get(i + 1 + used_a));
                if matches!(sep.as_str(), "to" | "and" | "until" | "till" | "through")
                    && let Some((b, used_b)) = point_at(&toks, i + 2 + used_a, None)
                {
                    let date = Date::Interval(Some(a), Some(b));
                    if date.lo() <= date.hi() {
                        let end_tok = &toks[i + 1 + used_a + used_b];
                        out.push(Mention {
                            date,
                            start: toks[i + 1].start,
                            end: end_tok.end,
                            relative: false,
                        });
                        *context_year = b.year().or(*context_year);
                        i += 2 + used_a + used_b;
                        continue;
                    }
                }
                // "from 1947" / "starting from 1947" / "from 1947 onwards": an open interval.
                if word == "from" && !(matches!(a, Point::Month(..)) && used_a == 1) {
                    let end_tok = &toks[i + used_a];
                    out.push(Mention {
                        date: Date::Interval(Some(a), None),
                        start: toks[i + 1].start,
                        end: end_tok.end,
                        relative: false,
                    });
                    *context_year = a.year().or(*context_year);
                    i += 1 + used_a;
                    continue;
                }
            }
        }
        if matches!(
            word.as_str(),
            "since" | "after" | "before" | "until" | "till"
        ) && let Some((p, used)) = point_at(&toks, i + 1, None)
        {
            let date = match word.as_str() {
                "since" => Date::Interval(Some(p), None),
                "after" => Date::Interval(Some(p.next()), None),
                "before" => Date::Interval(None, Some(p.prev())),
                _ => Date::Interval(None, Some(p)),
            };
            out.push(Mention {
                date,
                start: toks[i + 1].start,
                end: toks[i + used].end,
                relative: false,
            });
            *context_year = p.year().or(*context_year);
            i += 1 + used;
            continue;
        }
        if let Some((a, b)) = toks[i].core.split_once(['-', '–']) {
            let (ta, tb) = (
                Token {
                    core: a,
                    raw: a,
                    ..toks[i]
                },
                Token {
                    core: b,
                    raw: b,
                    ..toks[i]
                },
            );
            if let (Some(ya), Some(yb)) = (year_of(&ta), year_of(&tb))
                && ya <= yb
            {
                out.push(Mention {
                    date: Date::Interval(Some(Point::Year(ya)), Some(Point::Year(yb))),
                    start: toks[i].start,
                    end: toks[i].end,
                    relative: false,
                });
                *context_year = Some(yb);
                i += 1;
                continue;
            }
        }
        if let Some((offset, used)) = relative_at(&toks, i)
            && let Some(y) = *context_year
        {
            out.push(Mention {
                date: Date::Point(Point::Year(y + offset)),
                start: toks[i].start,
                end: toks[i + used - 1].end,
                relative: true,
            });
            i += used;
            continue;
        }
        // "January and February 2015": the first month takes the year of the second.
        let hint = if month_of(toks[i].core).is_some()
            && matches!(lower(toks.get(i + 1)).as_str(), "and" | "or" | "to")
        {
            year_ahead(&toks, i + 2, 3)
        } else {
            None
        };
        if let Some((p, used)) = point_at(&toks, i, hint) {
            out.push(Mention {
                date: Date::Point(p),
                start: toks[i].start,
                end: toks[i + used - 1].end,
                relative: false,
            });
            *context_year = p.year().or(*context_year);
            i += used;
            continue;
        }
        i += 1;
    }
    out
}

/// Reads a date a person typed as a filter: EDTF ("2015-06", "1988/2001") or words ("June 2015",
/// "2014", "the 1980s", "15 June 2015").
pub fn parse_user_date(input: &str) -> Option<Date> {
    if let Some(d) = Date::parse_edtf(input) {
        return Some(d);
    }
    let mut ctx = None;
    let found = recognise(input, &mut ctx);
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
mod tests {
    use super::*;

    fn edtfs(text: &str) -> Vec<String> {
        let mut ctx = None;
        recognise(text, &mut ctx)
            .into_iter()
            .map(|m| m.date.edtf())
            .collect()
    }

    #[test]
    fn full_dates_months_years_decades_and_intervals_become_edtf() {
        let table = [
            (
                "June 15, 2015 General Raheel Sharif visited Moscow",
                vec!["2015-06-15"],
            ),
            ("On March 18, 2015 Crimea was annexed", vec!["2015-03-18"]),
            ("In June 2014, Russia lifts arms embargo", vec!["2014-06"]),
            (
                "In November, 2014 Pakistan and Russia signed",
                vec!["2014-11"],
            ),
            ("established in early 1950s in the same days", vec!["195X"]),
            ("from 1988 to 2001 the relationship", vec!["1988/2001"]),
            ("between 1988 and 2001", vec!["1988/2001"]),
            ("from June to August 2015", vec!["2015-06/2015-08"]),
            ("in January and February 2015", vec!["2015-01", "2015-02"]),
            (
                "15 June 2015 and 1st July 2015",
                vec!["2015-06-15", "2015-07-01"],
            ),
            ("in the 1980s", vec!["198X"]),
            ("before 1950", vec!["../1949"]),
            ("after 2015", vec!["2016/.."]),
            ("a long history starting from 1947, but", vec!["1947/.."]),
            ("the 1965-1971 wars", vec!["1965/1971"]),
        ];
        for (text, want) in table {
            assert_eq!(edtfs(text), want, "{text}");
        }
    }

    #[test]
    fn numbers_that_are_not_dates_stay_numbers() {
        for text in [
            "Relations once again boosted after 9/11 attacks at USA",
            "after 68 years of independence",
            "PM visited America for 23 days",
            "after more than nine years of war",
            "out flow of cash from Russia that is worth $75bn",
            "sign $2.5bn accord",
            "US approval to sell new eight F-16 to Pakistan",
            "to produce JF Thunder 17 fighter planes",
            "combat Helicopters MI 35",
            "to buy Su-35 and Flanker-E fighter jets",
            "RD-93 power engines",
            "Obama's 2nd India trip",
            "You may come in March",
        ] {
            assert_eq!(edtfs(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn the_same_year_takes_the_last_year_read() {
        let mut ctx = None;
        let first = recognise(
            "In 2010, United States extended its relationships.",
            &mut ctx,
        );
        assert_eq!(first[0].date.edtf(), "2010");
        let second = recognise(
            "In the same year Russian President Vladimir Putin",
            &mut ctx,
        );
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].date.edtf(), "2010");
        assert!(second[0].relative);
        let mut none = None;
        assert!(recognise("In the same year nothing", &mut none).is_empty());
    }

    #[test]
    fn edtf_round_trips_and_rejects_nonsense() {
        for s in [
            "2015-06-15",
            "2014-06",
            "1998",
            "195X",
            "1988/2001",
            "2011/..",
            "../1949",
        ] {
            assert_eq!(Date::parse_edtf(s).map(Date::edtf).as_deref(), Some(s));
        }
        for s in [
            "June 2015",
            "2015-13",
            "2015-02-30",
            "15",
            "",
            "2016/2015",
            "../..",
            "20x5",
        ] {
            assert_eq!(Date::parse_edtf(s), None, "{s}");
        }
    }

    #[test]
    fn people_read_dates_at_their_precision() {
        let human = |s: &str| Date::parse_edtf(s).unwrap().to_string();
        assert_eq!(human("2015-06-15"), "15 June 2015");
        assert_eq!(human("2014-06"), "June 2014");
        assert_eq!(human("195X"), "1950s");
        assert_eq!(human("1988/2001"), "1988–2001");
    }

    #[test]
    fn user_filters_accept_edtf_and_words() {
        let p = |s: &str| parse_user_date(s).map(Date::edtf);
        assert_eq!(p("2014").as_deref(), Some("2014"));
        assert_eq!(p("June 2015").as_deref(), Some("2015-06"));
        assert_eq!(p("2015-06").as_deref(), Some("2015-06"));
        assert_eq!(p("the 1980s").as_deref(), Some("198X"));
        assert_eq!(p("soon"), None);
    }
}
