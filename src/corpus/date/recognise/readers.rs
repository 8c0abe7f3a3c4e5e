//! Reading the date written at a token: centuries, seasons, years with an era, decades in
//! words, year ranges, days, months and years, and references ("the same year").

use super::Token;
use super::counts::*;
use super::words::*;
use crate::corpus::date::{Date, Point, days_in_month};

/// What a date written at some token gives.
#[derive(Clone, Copy, Debug)]
pub(super) struct Read {
    pub(super) date: Date,
    /// Tokens used.
    pub(super) used: usize,
    /// The explicit year named, which later references resolve against.
    pub(super) year: Option<i32>,
    /// True when the year came from the reader, not the text ("November 22").
    pub(super) relative: bool,
}

impl Read {
    pub(super) fn point(p: Point, used: usize) -> Read {
        Read {
            date: Date::Point(p),
            used,
            year: p.year(),
            relative: false,
        }
    }

    pub(super) fn years(a: i32, b: i32, used: usize) -> Read {
        Read {
            date: Date::Interval(Some(Point::Year(a)), Some(Point::Year(b))),
            used,
            year: Some(b),
            relative: false,
        }
    }
}

/// What is known around a date being read.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Context {
    /// A year later in the phrase: "from June to August 2015" gives June its year.
    pub(super) year_hint: Option<i32>,
    /// An era later in the phrase: "from 221 to 206 BC" makes 221 a year BC.
    pub(super) era_hint: Option<Era>,
    /// The last explicit year read, for "the eighties".
    pub(super) anchor: Option<i32>,
    /// The last explicit year read when it came with a month or day, for "November 22".
    pub(super) day_anchor: Option<i32>,
    /// True when the phrase already says this is a time ("from …", "between … and"), so a
    /// plural after the number does not make it a count.
    pub(super) timed: bool,
}

/// The date written at `toks[i..]`, if any.
pub(super) fn date_at(toks: &[Token], i: usize, cx: Context) -> Option<Read> {
    toks.get(i)?;
    centuries_at(toks, i)
        .or_else(|| season_at(toks, i))
        .or_else(|| era_year_at(toks, i, cx))
        .or_else(|| decade_word_at(toks, i, cx))
        .or_else(|| year_range_at(toks, i, cx))
        .or_else(|| point_at(toks, i, cx))
}

/// "the 11th century", "13th-century", "the eighteenth and nineteenth centuries", "the 5th
/// century BC", "the second millennium BC": a century is EDTF `10XX`, anything else an interval.
pub(super) fn centuries_at(toks: &[Token], i: usize) -> Option<Read> {
    let words = ordinal_words(toks, i);
    let (ordinals, w, century) = ordinals_of(&words)?;
    // The first word must be an ordinal or a qualifier of one, not "the" or "and".
    let first = words.first()?.0.as_str();
    if matches!(first, "the" | "and" | "or" | "to" | "through" | "") {
        return None;
    }
    let mut last_tok = words[w].1;
    let era = toks.get(last_tok + 1).and_then(era_of);
    let era = match era {
        Some(Era::Bp) => None,
        e => e,
    };
    if era.is_some() {
        last_tok += 1;
    }
    let size = if century { 100 } else { 1000 };
    // The years (as EDTF numbers them) of the n-th century or millennium of the era.
    let span = |n: i32| match era {
        Some(Era::Bc) => (1 - n * size, -(n - 1) * size),
        _ if century => ((n - 1) * size, (n - 1) * size + size - 1),
        _ => ((n - 1) * size + 1, n * size),
    };
    let lo = ordinals.iter().map(|&n| span(n).0).min()?;
    let hi = ordinals.iter().map(|&n| span(n).1).max()?;
    let used = last_tok + 1 - i;
    let date = if century && era != Some(Era::Bc) && hi - lo == 99 {
        Date::Point(Point::Century(lo / 100))
    } else if century && era != Some(Era::Bc) {
        Date::Interval(
            Some(Point::Century(lo / 100)),
            Some(Point::Century(hi / 100)),
        )
    } else {
        Date::Interval(Some(Point::Year(lo)), Some(Point::Year(hi)))
    };
    Some(Read {
        date,
        used,
        year: None,
        relative: false,
    })
}

/// The words of the next few tokens from `i`, each with its token, compounds split at their
/// hyphens; a dash between two ordinals ("11th–13th") or standing on its own reads "to".
fn ordinal_words(toks: &[Token], i: usize) -> Vec<(String, usize)> {
    let mut words: Vec<(String, usize)> = Vec::new();
    for (k, t) in toks.iter().enumerate().skip(i).take(8) {
        if k > i {
            if t.gap.contains([',', ';', ':', '.', '(', ')']) && !t.gap.trim().eq(",") {
                break;
            }
            if dash_before(toks, k) {
                words.push(("to".to_string(), k));
            }
        }
        let parts: Vec<&str> = t.core.split(['-', '–', '—']).collect();
        for (n, part) in parts.iter().enumerate() {
            if n > 0 && ordinal_of(parts[n - 1]).is_some() && ordinal_of(part).is_some() {
                words.push(("to".to_string(), k));
            }
            words.push((part.to_lowercase(), k));
        }
    }
    words
}

/// The ordinals before "century" or "millennium", the index of that word, and whether it is
/// a century; `None` when another word comes first.
fn ordinals_of(words: &[(String, usize)]) -> Option<(Vec<i32>, usize, bool)> {
    let mut ordinals: Vec<i32> = Vec::new();
    let mut w = 0;
    while let Some((word, _)) = words.get(w) {
        match word.as_str() {
            "twenty" | "thirty"
                if words
                    .get(w + 1)
                    .and_then(|(n, _)| ordinal_of(n))
                    .is_some_and(|n| n < 10) =>
            {
                let tens = if word == "twenty" { 20 } else { 30 };
                ordinals.push(tens + ordinal_of(&words[w + 1].0)?);
                w += 1;
            }
            "century" | "centuries" | "millennium" | "millennia" if !ordinals.is_empty() => {
                return Some((ordinals, w, word.starts_with('c')));
            }
            "early" | "mid" | "middle" | "late" | "the" | "and" | "or" | "to" | "through" | "" => {}
            other => ordinals.push(ordinal_of(other)?),
        }
        w += 1;
    }
    None
}

/// "spring 1755", "the summer of 1329", "the winter of 1973–74".
pub(super) fn season_at(toks: &[Token], i: usize) -> Option<Read> {
    let s = season_of(toks[i].core)?;
    let of = usize::from(lower(toks.get(i + 1)) == "of");
    let t = toks.get(i + 1 + of)?;
    let y = year_of(t).or_else(|| {
        let (a, b) = year_range_of(t)?;
        (s == 24 && b == a + 1).then_some(a)
    })?;
    if counts(toks, i + 1 + of, true) {
        return None;
    }
    Some(Read::point(Point::Season(y, s), 2 + of))
}

/// "AD 14", "14 AD", "43 BC", "500 BCE", "221–206 BC", "74,000 BP", "12,000 years BP",
/// "3,000 cal BP"; a bare number takes an era the phrase gives later ("from 221 to 206 BC").
pub(super) fn era_year_at(toks: &[Token], i: usize, cx: Context) -> Option<Read> {
    let t = &toks[i];
    // An era before the number: "AD 14", "AD 1271–1368".
    if let Some(era @ (Era::Ad | Era::Bc)) = era_of(t)
        && let Some(next) = toks.get(i + 1)
    {
        if let Some(n) = number_of(next)
            && !counts(toks, i + 1, true)
        {
            return Some(Read::point(Point::Year(era.year(n)?), 2));
        }
        if let Some((a, b)) = number_range_of(next) {
            let (a, b) = (era.year(a)?, era.year(b)?);
            return (a < b).then(|| Read::years(a, b, 2));
        }
    }
    // The number, then "cal", "years", "yr", before the era.
    let era_after = |from: usize| -> Option<(Era, usize)> {
        let mut k = from;
        while matches!(
            lower(toks.get(k)).as_str(),
            "cal" | "years" | "year" | "yr" | "yrs"
        ) {
            k += 1;
        }
        if let Some(era) = toks.get(k).and_then(era_of) {
            let unit_between = k > from && lower(toks.get(from)) != "cal";
            // "years" may only stand before BP: "12,000 years BP", not "14 years AD".
            return (era == Era::Bp || !unit_between).then_some((era, k + 1 - from));
        }
        let present = lower(toks.get(k)) == "before" && lower(toks.get(k + 1)) == "present";
        present.then_some((Era::Bp, k + 2 - from))
    };
    if let Some(n) = number_of(t) {
        if let Some((era, used)) = era_after(i + 1) {
            return Some(Read::point(Point::Year(era.year(n)?), 1 + used));
        }
        let era = cx.era_hint?;
        return Some(Read::point(Point::Year(era.year(n)?), 1));
    }
    let (a, b) = number_range_of(t)?;
    let (era, used) = era_after(i + 1)?;
    let (a, b) = (era.year(a)?, era.year(b)?);
    (a < b).then(|| Read::years(a, b, 1 + used))
}

/// "the eighties", "the late 'seventies", "the 80s", "the nineteen-eighties": the decade of the
/// century the text is in (the 1900s when it has named no year).
pub(super) fn decade_word_at(toks: &[Token], i: usize, cx: Context) -> Option<Read> {
    let t = &toks[i];
    let core = t.core.trim_start_matches(['\'', '’']);
    let apostrophe = core.len() < t.core.len();
    let lowered = core.to_lowercase();
    // "nineteen-eighties", "mid-eighties"
    let (century, word) = match lowered.rsplit_once('-') {
        Some(("early" | "mid" | "late", w)) => (None, w),
        Some((h, w)) => (
            Some(HUNDRED_WORDS.iter().position(|x| *x == h)? as i32 + 10),
            w,
        ),
        None => (None, lowered.as_str()),
    };
    let tens = match DECADE_WORDS.iter().position(|x| *x == word) {
        Some(k) => k as i32 + 2,
        None => {
            // "80s", "'80s", "80's"
            let digits = word.trim_end_matches(['\'', '’']).strip_suffix('s')?;
            let digits = digits.trim_end_matches(['\'', '’']);
            if !(digits.len() == 2
                && digits.ends_with('0')
                && digits.bytes().all(|b| b.is_ascii_digit()))
            {
                return None;
            }
            digits.parse::<i32>().ok()? / 10
        }
    };
    // Only "the eighties" is a decade: "in her eighties" is an age.
    let before = |k: usize| i.checked_sub(k).map(|p| toks[p].core.to_lowercase());
    let the = before(1).as_deref() == Some("the")
        || (matches!(before(1).as_deref(), Some("early" | "mid" | "late"))
            && before(2).as_deref() == Some("the"));
    if !(the || (apostrophe && century.is_none())) {
        return None;
    }
    let decade = match century {
        Some(c) => c * 100 + tens * 10,
        None => {
            let anchor = cx
                .anchor
                .filter(|y| (1000..3000).contains(y))
                .unwrap_or(1999);
            let d = anchor - anchor % 100 + tens * 10;
            if d > anchor + 10 { d - 100 } else { d }
        }
    };
    Some(Read {
        date: Date::Point(Point::Decade(decade / 10)),
        used: 1,
        year: None,
        relative: century.is_none(),
    })
}

/// "1754–1763", "1754-63" in one token.
pub(super) fn year_range_at(toks: &[Token], i: usize, cx: Context) -> Option<Read> {
    let (a, b) = year_range_of(&toks[i])?;
    (!counts(toks, i, cx.timed)).then(|| Read::years(a, b, 1))
}

/// A day, month, year, decade or "the 1800s" at `toks[i..]`; a day and month with no year take
/// the reader's ("on November 22").
pub(super) fn point_at(toks: &[Token], i: usize, cx: Context) -> Option<Read> {
    let t = &toks[i];
    let dated = |p: Point, used: usize| Some(Read::point(p, used));
    let anchored = |y: Option<i32>, m: u8, d: u8| {
        let y = y.filter(|&y| d <= days_in_month(y, m))?;
        Some(Read {
            date: Date::Point(Point::Day(y, m, d)),
            used: 2,
            year: None,
            relative: true,
        })
    };
    if let Some(m) = month_of(t.core) {
        // Month Day[,] Year | Month[,] Year | Month (year from the hint)
        if let Some(next) = toks.get(i + 1) {
            if let Some(d) = day_of(next) {
                if let Some(y) = toks.get(i + 2).and_then(year_of)
                    && d <= days_in_month(y, m)
                {
                    return dated(Point::Day(y, m, d), 3);
                }
                // "November 22" alone: the year read last.
                if capital_month(t).is_some() && !attached(next) && !counts(toks, i + 1, true) {
                    return anchored(cx.year_hint.or(cx.day_anchor), m, d);
                }
            }
            if let Some(y) = year_of(next) {
                return dated(Point::Month(y, m), 2);
            }
        }
        // Bare months are only dates when a year follows in the same phrase; "May" and
        // "March" are words too.
        return cx.year_hint.and_then(|y| dated(Point::Month(y, m), 1));
    }
    if let Some(d) = day_of(t) {
        // Day Month[,] Year
        let next = toks.get(i + 1)?;
        let m = month_of(next.core)?;
        if let Some(y) = toks.get(i + 2).and_then(year_of) {
            return (d <= days_in_month(y, m)).then_some(Read::point(Point::Day(y, m, d), 3));
        }
        let alone = !attached(t) && t.core.bytes().all(|b| b.is_ascii_digit());
        return (alone && capital_month(next).is_some())
            .then(|| anchored(cx.year_hint.or(cx.day_anchor), m, d))
            .flatten();
    }
    if let Some(y) = year_of(t) {
        return (!counts(toks, i, cx.timed)).then_some(Read::point(Point::Year(y), 1));
    }
    if let Some(c) = hundreds_of(t) {
        return dated(Point::Century(c), 1);
    }
    decade_of(t).and_then(|d| dated(Point::Decade(d), 1))
}

/// The year a later point in the same phrase carries ("June to August 2015").
pub(super) fn year_ahead(toks: &[Token], i: usize, window: usize) -> Option<i32> {
    toks.iter().skip(i).take(window).find_map(year_of)
}

/// The era a range of bare numbers ends with: "221 to 206 BC", "between 221 and 206 BC".
pub(super) fn era_ahead(toks: &[Token], i: usize) -> Option<Era> {
    number_of(toks.get(i)?)?;
    let sep = usize::from(!dash_before(toks, i + 1));
    if sep == 1
        && !matches!(
            lower(toks.get(i + 1)).as_str(),
            "to" | "and" | "until" | "till" | "through"
        )
    {
        return None;
    }
    number_of(toks.get(i + 1 + sep)?)?;
    era_of(toks.get(i + 2 + sep)?).filter(|e| *e != Era::Bp)
}

/// How many tokens from `i` give a quantity that looks like years: "2000 kilometres", "from
/// 1000 to 2000 metres", "1000–2000 km".
pub(super) fn quantity_span(toks: &[Token], i: usize) -> Option<usize> {
    let t = toks.get(i)?;
    // "12,000 years BP" is a date.
    if era_year_at(toks, i, Context::default()).is_some() {
        return None;
    }
    if (number_of(t).is_some() || number_range_of(t).is_some()) && counts(toks, i, false) {
        return Some(1);
    }
    number_of(t)?;
    let j = if dash_before(toks, i + 1) {
        i + 1
    } else if matches!(
        lower(toks.get(i + 1)).as_str(),
        "to" | "and" | "or" | "until" | "through"
    ) {
        i + 2
    } else {
        return None;
    };
    (number_of(toks.get(j)?).is_some() && counts(toks, j, true)).then_some(j + 1 - i)
}

/// Relative references the text makes unambiguous, as a year offset from the last year seen.
pub(super) fn relative_at(toks: &[Token], i: usize) -> Option<(i32, usize)> {
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
