//! Recognising the dates an article writes in prose.
//!
//! The recogniser works on word tokens, not on regular expressions over the whole text, so that
//! "9/11", "$75bn", "F-16", "JF Thunder 17" or "68 years" can never be read as dates: a year is a
//! bare four-digit token, a day needs a month next to it, a decade needs its trailing "s".
//!
//! References the text makes unambiguous ("in the same year", "the following year") resolve
//! against the last explicit year the reader saw: one [`Reader`] reads consecutive sentences.

use super::{Date, MONTHS, Point, days_in_month};

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

/// Reads the dates of consecutive sentences. References the text makes unambiguous ("in the
/// same year") resolve against the last explicit year read, so one reader reads a paragraph.
#[derive(Debug, Default, Clone)]
pub struct Reader {
    year: Option<i32>,
}

impl Reader {
    /// The dates of the next sentence.
    pub fn read(&mut self, text: &str) -> Vec<Mention> {
        let mut scan = Scan {
            toks: tokens(text),
            out: Vec::new(),
            year: &mut self.year,
        };
        let mut i = 0;
        while i < scan.toks.len() {
            i = scan.at(i).unwrap_or(i + 1);
        }
        scan.out
    }
}

/// The dates of one text read on its own, with no year carried in.
pub fn recognise(text: &str) -> Vec<Mention> {
    Reader::default().read(text)
}

/// One sentence being read.
struct Scan<'a, 'y> {
    toks: Vec<Token<'a>>,
    out: Vec<Mention>,
    year: &'y mut Option<i32>,
}

impl Scan<'_, '_> {
    /// Records `date`, written on tokens `first..=last`; `year` is the explicit year it names,
    /// which later references resolve against. Returns where reading goes on.
    fn found(&mut self, date: Date, first: usize, last: usize, year: Option<i32>) -> usize {
        self.out.push(Mention {
            date,
            start: self.toks[first].start,
            end: self.toks[last].end,
            relative: false,
        });
        *self.year = year.or(*self.year);
        last + 1
    }

    /// A date starting at token `i`, if there is one: where reading goes on after it.
    fn at(&mut self, i: usize) -> Option<usize> {
        self.interval(i)
            .or_else(|| self.open_ended(i))
            .or_else(|| self.year_range(i))
            .or_else(|| self.reference(i))
            .or_else(|| self.point(i))
    }

    /// "from X to Y", "between X and Y"; "from 1947" alone is an open interval.
    fn interval(&mut self, i: usize) -> Option<usize> {
        let word = lower(self.toks.get(i));
        if !matches!(word.as_str(), "from" | "between") {
            return None;
        }
        let toks = &self.toks;
        let hint = year_ahead(toks, i + 1, 6);
        let (a, used_a) = point_at(toks, i + 1, hint)?;
        let sep = lower(toks.get(i + 1 + used_a));
        if matches!(sep.as_str(), "to" | "and" | "until" | "till" | "through")
            && let Some((b, used_b)) = point_at(toks, i + 2 + used_a, None)
        {
            let date = Date::Interval(Some(a), Some(b));
            if date.lo() <= date.hi() {
                return Some(self.found(date, i + 1, i + 1 + used_a + used_b, b.year()));
            }
        }
        // "from 1947" / "starting from 1947" / "from 1947 onwards"; not a bare month.
        (word == "from" && !(matches!(a, Point::Month(..)) && used_a == 1))
            .then(|| self.found(Date::Interval(Some(a), None), i + 1, i + used_a, a.year()))
    }

    /// "since 2011", "after 2015", "before 1950", "until 2001".
    fn open_ended(&mut self, i: usize) -> Option<usize> {
        let word = lower(self.toks.get(i));
        if !matches!(
            word.as_str(),
            "since" | "after" | "before" | "until" | "till"
        ) {
            return None;
        }
        let (p, used) = point_at(&self.toks, i + 1, None)?;
        let date = match word.as_str() {
            "since" => Date::Interval(Some(p), None),
            "after" => Date::Interval(Some(p.next()), None),
            "before" => Date::Interval(None, Some(p.prev())),
            _ => Date::Interval(None, Some(p)),
        };
        Some(self.found(date, i + 1, i + used, p.year()))
    }

    /// "1988-2001" in one token.
    fn year_range(&mut self, i: usize) -> Option<usize> {
        let t = self.toks[i];
        let (a, b) = t.core.split_once(['-', '–'])?;
        let part = |s| Token {
            core: s,
            raw: s,
            ..t
        };
        let (ya, yb) = (year_of(&part(a))?, year_of(&part(b))?);
        (ya <= yb).then(|| {
            let date = Date::Interval(Some(Point::Year(ya)), Some(Point::Year(yb)));
            self.found(date, i, i, Some(yb))
        })
    }

    /// "the same year", "the following year": the last year read, moved.
    fn reference(&mut self, i: usize) -> Option<usize> {
        let (offset, used) = relative_at(&self.toks, i)?;
        let year = (*self.year)?;
        let next = self.found(
            Date::Point(Point::Year(year + offset)),
            i,
            i + used - 1,
            None,
        );
        if let Some(mention) = self.out.last_mut() {
            mention.relative = true;
        }
        Some(next)
    }

    /// A day, month, year or decade; "January and February 2015" gives January the year.
    fn point(&mut self, i: usize) -> Option<usize> {
        let toks = &self.toks;
        let hint = (month_of(toks[i].core).is_some()
            && matches!(lower(toks.get(i + 1)).as_str(), "and" | "or" | "to"))
        .then(|| year_ahead(toks, i + 2, 3))
        .flatten();
        let (p, used) = point_at(toks, i, hint)?;
        Some(self.found(Date::Point(p), i, i + used - 1, p.year()))
    }
}
