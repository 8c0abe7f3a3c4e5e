//! Recognising the dates an article writes in prose.
//!
//! The recogniser works on word tokens, not on regular expressions over the whole text, so that
//! "9/11", "$75bn", "F-16", "JF Thunder 17" or "68 years" can never be read as dates: a year is a
//! bare four-digit token, a day needs a month next to it, a decade needs its trailing "s", and a
//! number that measures or counts ("2000 kilometres", "killed 1500 soldiers") is no year.
//!
//! Besides days, months, years and decades it reads what history writes: centuries ("the 11th
//! century", "13th-century", "the nineteenth century") and millennia, years with an era ("AD 14",
//! "43 BC", "74,000 BP"), decades in words ("the eighties"), seasons ("spring 1755", "the winter
//! of 1973–74") and ranges ("1754–1763", "1754–63", "from 1271 to 1368", "between 1268 and
//! 1273", "27 BC – AD 14").
//!
//! References the text makes unambiguous ("in the same year", "the following year", "on
//! November 22") resolve against the last explicit year the reader saw: one [`Reader`] reads
//! consecutive sentences. Times no calendar can place ("74,000 years ago", "during the reign of
//! Kublai", "in the Middle Ages") are told by [`names_a_time`].

mod counts;
mod published;
mod readers;
mod undated;
mod words;

pub use counts::is_unit;
pub use published::Day;
pub use undated::{names_a_time, names_an_undated_time};
pub use words::is_month;

use super::{Date, Point, point_hi, point_lo};
use counts::*;
use readers::*;
use words::*;

/// A date found in a text, with the byte range it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    pub date: Date,
    pub start: usize,
    pub end: usize,
    /// True when the mention resolved a reference ("the same year") rather than naming a date.
    pub relative: bool,
    /// True when it was resolved from the day the document was published ("last year").
    pub published: bool,
}

/// A word token of the text, with its byte range.
#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    /// The token without surrounding punctuation.
    core: &'a str,
    /// The whitespace-delimited token as written.
    raw: &'a str,
    /// What stands between the previous token's core and this one's: spaces, punctuation, a
    /// dash written on its own.
    gap: &'a str,
    start: usize,
    end: usize,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out: Vec<Token> = Vec::new();
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
        let begin = start + offset;
        let gap_from = out.last().map_or(0, |t| t.end);
        out.push(Token {
            core,
            raw,
            gap: &text[gap_from..begin],
            start: begin,
            end: begin + core.len(),
        });
    }
    out
}

/// Reads the dates of consecutive sentences. References the text makes unambiguous ("in the
/// same year") resolve against the last explicit year read, so one reader reads a paragraph.
#[derive(Debug, Default, Clone)]
pub struct Reader {
    year: Option<i32>,
    /// True when the last explicit year came with a month or a day: a chronology the text
    /// goes on with ("On October 16, 1973 … On November 22, …").
    calendar: bool,
    /// The day the document was published, which "last year" and "this month" are said from.
    published: Option<published::Day>,
}

impl Reader {
    /// A reader of a document published on `day` (none: such dates stay undated).
    pub fn from_published(day: Option<published::Day>) -> Reader {
        Reader {
            published: day,
            ..Reader::default()
        }
    }

    /// The dates of the next sentence.
    pub fn read(&mut self, text: &str) -> Vec<Mention> {
        let mut scan = Scan {
            toks: tokens(text),
            out: Vec::new(),
            reader: self,
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
struct Scan<'a, 'r> {
    toks: Vec<Token<'a>>,
    out: Vec<Mention>,
    reader: &'r mut Reader,
}

/// True when the date names a month or a day (or a season) of its year.
fn calendar(date: Date) -> bool {
    let fine = |p: Option<Point>| {
        matches!(
            p,
            Some(Point::Day(..) | Point::Month(..) | Point::Season(..))
        )
    };
    fine(point_lo(date)) || fine(point_hi(date))
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
            published: false,
        });
        if year.is_some() {
            self.reader.year = year;
            self.reader.calendar = calendar(date);
        }
        last + 1
    }

    /// Records what `read` found at token `first`.
    fn record(&mut self, read: Read, first: usize) -> usize {
        let next = self.found(read.date, first, first + read.used - 1, read.year);
        if let Some(mention) = self.out.last_mut() {
            mention.relative = read.relative;
        }
        next
    }

    fn context(&self) -> Context {
        Context {
            anchor: self.reader.year,
            day_anchor: self.reader.year.filter(|_| self.reader.calendar),
            ..Context::default()
        }
    }

    /// A date starting at token `i`, if there is one: where reading goes on after it.
    fn at(&mut self, i: usize) -> Option<usize> {
        if let Some(span) = quantity_span(&self.toks, i) {
            return Some(i + span);
        }
        self.interval(i)
            .or_else(|| self.open_ended(i))
            .or_else(|| self.reference(i))
            .or_else(|| self.since_published(i))
            .or_else(|| self.point(i))
    }

    /// Where a date after a preposition starts: past "the" and "early", "mid", "late"
    /// ("from the late 1340s"). A year after "the" names a thing, not a time ("after the 1973
    /// crisis"): the date then starts at "the", where none is.
    fn past_qualifiers(&self, i: usize) -> usize {
        let mut k = i;
        while matches!(
            lower(self.toks.get(k)).as_str(),
            "the" | "early" | "mid" | "middle" | "late"
        ) && !(lower(self.toks.get(k)) == "the" && relative_at(&self.toks, k).is_some())
        {
            k += 1;
        }
        let the = (i..k).any(|j| lower(self.toks.get(j)) == "the");
        let year = self
            .toks
            .get(k)
            .is_some_and(|t| year_of(t).is_some() || year_range_of(t).is_some());
        if the && year { i } else { k }
    }

    /// "from X to Y", "between X and Y"; "from 1947" alone is an open interval.
    fn interval(&mut self, i: usize) -> Option<usize> {
        let word = lower(self.toks.get(i));
        if !matches!(word.as_str(), "from" | "between") {
            return None;
        }
        let k = self.past_qualifiers(i + 1);
        if let Some(span) = quantity_span(&self.toks, k) {
            return Some(k + span);
        }
        let toks = &self.toks;
        let cx = Context {
            year_hint: year_ahead(toks, k, 6),
            era_hint: era_ahead(toks, k),
            timed: true,
            ..self.context()
        };
        let a = date_at(toks, k, cx)?;
        let after_a = k + a.used;
        let sep = lower(toks.get(after_a));
        let b_at = if matches!(sep.as_str(), "to" | "and" | "until" | "till" | "through") {
            Some(self.past_qualifiers(after_a + 1))
        } else if dash_before(toks, after_a) {
            Some(after_a)
        } else {
            None
        };
        let cx_b = Context {
            year_hint: None,
            ..cx
        };
        if let Some(b_at) = b_at
            && let Some(b) = date_at(toks, b_at, cx_b)
            && let Some(date) = joined(a.date, b.date)
        {
            return Some(self.found(date, k, b_at + b.used - 1, b.year.or(a.year)));
        }
        // "from 1754–63" is the range itself.
        if matches!(a.date, Date::Interval(Some(_), Some(_))) {
            return Some(self.record(a, k));
        }
        // "from 1947" / "starting from 1947" / "from 1947 onwards"; not a bare month, nor a
        // day whose year the text did not give.
        let bare_month = matches!(a.date, Date::Point(Point::Month(..))) && a.used == 1;
        (word == "from" && !bare_month && !a.relative).then(|| {
            let date = Date::Interval(point_lo(a.date), None);
            self.found(date, k, k + a.used - 1, a.year)
        })
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
        let k = self.past_qualifiers(i + 1);
        let cx = Context {
            timed: true,
            ..self.context()
        };
        let r = date_at(&self.toks, k, cx)?;
        let (lo, hi) = (point_lo(r.date)?, point_hi(r.date)?);
        let date = match word.as_str() {
            "since" => Date::Interval(Some(lo), None),
            "after" => Date::Interval(Some(hi.next()), None),
            "before" => Date::Interval(None, Some(lo.prev())),
            _ => Date::Interval(None, Some(hi)),
        };
        let next = self.found(date, k, k + r.used - 1, r.year);
        if let Some(mention) = self.out.last_mut() {
            mention.relative = r.relative;
        }
        Some(next)
    }

    /// "last year", "earlier this week": a date said from the day of publication.
    fn since_published(&mut self, i: usize) -> Option<usize> {
        let read = published::published_at(&self.toks, i, self.reader.published?)?;
        let next = self.record(read, i);
        if let Some(mention) = self.out.last_mut() {
            mention.published = true;
        }
        Some(next)
    }

    /// "the same year", "the following year": the last year read, moved.
    fn reference(&mut self, i: usize) -> Option<usize> {
        let (offset, used) = relative_at(&self.toks, i)?;
        let year = self.reader.year?;
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

    /// A date on its own, or two joined by a dash or "to" ("1294 to 1307", "27 BC – AD 14");
    /// "January and February 2015" gives January the year.
    fn point(&mut self, i: usize) -> Option<usize> {
        let toks = &self.toks;
        let hint = (month_of(toks[i].core).is_some()
            && matches!(lower(toks.get(i + 1)).as_str(), "and" | "or" | "to"))
        .then(|| year_ahead(toks, i + 2, 3))
        .flatten();
        let cx = Context {
            year_hint: hint,
            era_hint: era_ahead(toks, i),
            timed: time_context(toks, i),
            ..self.context()
        };
        let a = date_at(toks, i, cx)?;
        let after_a = i + a.used;
        let b_at = if dash_before(toks, after_a) {
            Some(after_a)
        } else if matches!(
            lower(toks.get(after_a)).as_str(),
            "to" | "until" | "till" | "through"
        ) {
            Some(after_a + 1)
        } else {
            None
        };
        let cx_b = Context {
            year_hint: None,
            timed: true,
            ..cx
        };
        if !a.relative
            && let Some(b_at) = b_at
            && let Some(b) = date_at(toks, b_at, cx_b)
            && !b.relative
            && let Some(date) = joined(a.date, b.date)
        {
            return Some(self.found(date, i, b_at + b.used - 1, b.year.or(a.year)));
        }
        Some(self.record(a, i))
    }
}

/// The interval from the start of `a` to the end of `b`, when `a` starts no later than `b` ends
/// and `b` does not lie inside `a`.
fn joined(a: Date, b: Date) -> Option<Date> {
    let date = Date::Interval(point_lo(a), point_hi(b));
    (date.lo() <= date.hi() && a.lo() <= b.lo()).then_some(date)
}
