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

use super::{Date, MONTHS, Point, days_in_month, point_hi, point_lo};

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

/// A month written as a name, capitalised: "May" is a month, "may" a verb.
fn capital_month(t: &Token) -> Option<u8> {
    t.core
        .starts_with(|c: char| c.is_uppercase())
        .then(|| month_of(t.core))
        .flatten()
}

/// The EDTF code of a season's name (21 spring … 24 winter).
fn season_of(word: &str) -> Option<u8> {
    match word.to_ascii_lowercase().as_str() {
        "spring" => Some(21),
        "summer" => Some(22),
        "autumn" | "fall" => Some(23),
        "winter" => Some(24),
        _ => None,
    }
}

/// True when the token is glued to a dash or slash ("F-16", "9/11", "-1998").
fn attached(t: &Token) -> bool {
    t.raw.starts_with(['-', '–', '/'])
        || t.raw
            .trim_end_matches(['.', ',', ';', ':', '?', '!', ')'])
            .ends_with(['-', '–', '/'])
}

/// A bare four-digit year between 1000 and 2999, written as a word of its own.
fn year_of(t: &Token) -> Option<i32> {
    let c = t.core;
    if c.len() == 4 && c.bytes().all(|b| b.is_ascii_digit()) && !attached(t) {
        let y: i32 = c.parse().ok()?;
        return (1000..3000).contains(&y).then_some(y);
    }
    None
}

/// A whole number as written: digits, thousands grouped by commas or not ("74,000", "1271").
fn number_in(s: &str) -> Option<i64> {
    let groups: Vec<&str> = s.split(',').collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let well_grouped =
        groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if !(groups.iter().all(|g| digits(g)) && well_grouped) || s.len() > 11 {
        return None;
    }
    s.replace(',', "").parse().ok()
}

/// A whole number written as a word of its own.
fn number_of(t: &Token) -> Option<i64> {
    if attached(t) {
        return None;
    }
    number_in(t.core)
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

/// "the 1800s" is the century 1800–1899; "the 2000s", like "the 1950s", is a decade.
fn hundreds_of(t: &Token) -> Option<i32> {
    let d = decade_of(t)?;
    (d % 10 == 0 && d % 100 != 0).then_some(d / 10)
}

/// An era written next to a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Era {
    /// AD, CE.
    Ad,
    /// BC, BCE.
    Bc,
    /// BP: years before 1950.
    Bp,
}

impl Era {
    /// The year (numbered as EDTF numbers them) `n` years of this era name.
    fn year(self, n: i64) -> Option<i32> {
        let y = match self {
            Era::Ad => n,
            Era::Bc => 1 - n,
            Era::Bp => 1950 - n,
        };
        (1..1_000_000_000)
            .contains(&n)
            .then(|| i32::try_from(y).ok())?
    }
}

/// "AD", "A.D.", "CE", "BC", "B.C.", "BCE", "BP": written in capitals, or with their dots.
fn era_of(t: &Token) -> Option<Era> {
    let dotted = t.raw.contains('.');
    let plain: String = t.core.chars().filter(|&c| c != '.').collect();
    if !(dotted || plain.chars().all(|c| c.is_ascii_uppercase())) {
        return None;
    }
    match plain.to_ascii_uppercase().as_str() {
        "AD" | "CE" => Some(Era::Ad),
        "BC" | "BCE" => Some(Era::Bc),
        "BP" => Some(Era::Bp),
        _ => None,
    }
}

/// Ordinal numbers as words.
const ORDINAL_WORDS: [&str; 20] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
];

/// "11th", "1st", "eleventh" → 11; "twenty-first" is read from its two words.
fn ordinal_of(word: &str) -> Option<i32> {
    let w = word.to_ascii_lowercase();
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if !digits.is_empty() && digits.len() <= 2 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let suffix = &w[digits.len()..];
        let n: i32 = digits.parse().ok()?;
        return (matches!(suffix, "st" | "nd" | "rd" | "th") && n >= 1).then_some(n);
    }
    match w.as_str() {
        "thirtieth" => Some(30),
        _ => ORDINAL_WORDS
            .iter()
            .position(|o| *o == w)
            .map(|i| i as i32 + 1),
    }
}

/// Decades in words: "the eighties".
const DECADE_WORDS: [&str; 8] = [
    "twenties",
    "thirties",
    "forties",
    "fifties",
    "sixties",
    "seventies",
    "eighties",
    "nineties",
];

/// Cardinal words that name a century in "nineteen-eighties".
const HUNDRED_WORDS: [&str; 11] = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// Units a number measures in: after one, the number is a measure, never a year ("2000
/// kilometres", "1,000 m3/s", "3000 years").
const UNITS: &[&str] = &[
    // length, area, volume
    "km",
    "kilometre",
    "kilometres",
    "kilometer",
    "kilometers",
    "m",
    "metre",
    "metres",
    "meter",
    "meters",
    "cm",
    "mm",
    "mi",
    "mile",
    "miles",
    "ft",
    "feet",
    "foot",
    "yd",
    "yards",
    "inches",
    "leagues",
    "sq",
    "square",
    "acre",
    "acres",
    "hectare",
    "hectares",
    "ha",
    "l",
    "litre",
    "litres",
    "liter",
    "liters",
    "ml",
    "gallon",
    "gallons",
    "barrel",
    "barrels",
    "bbl",
    "cubic",
    // mass
    "kg",
    "kilogram",
    "kilograms",
    "g",
    "gram",
    "grams",
    "t",
    "ton",
    "tons",
    "tonne",
    "tonnes",
    "lb",
    "lbs",
    "oz",
    "ounces",
    // speed, power, energy, pressure, frequency, temperature
    "mph",
    "kph",
    "knots",
    "hp",
    "horsepower",
    "kw",
    "mw",
    "gw",
    "w",
    "watts",
    "kilowatts",
    "megawatts",
    "kwh",
    "mwh",
    "gwh",
    "twh",
    "joules",
    "btu",
    "psi",
    "bar",
    "atm",
    "kpa",
    "rpm",
    "hz",
    "khz",
    "mhz",
    "volts",
    "amps",
    "°c",
    "°f",
    "degrees",
    // shares
    "%",
    "percent",
    "per",
    "pc",
    // stretches of time
    "seconds",
    "minutes",
    "hours",
    "days",
    "weeks",
    "months",
    "years",
    "decades",
    "centuries",
];

/// Plurals without an "s" that a number counts ("1500 men").
const IRREGULAR_PLURALS: &[&str] = &[
    "people",
    "men",
    "women",
    "children",
    "aircraft",
    "cattle",
    "sheep",
    "infantry",
    "cavalry",
    "personnel",
    "police",
    "staff",
    "militia",
    "dead",
    "wounded",
    "killed",
];

/// True when `word` is a unit of measure: "km", "metres", "%", "m3/s", "km²"; not an initial
/// ("M. Smith").
pub fn is_unit(word: &str) -> bool {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let initial = letters.next().is_some_and(char::is_uppercase)
        && letters.next().is_none()
        && word.trim_end_matches([',', ';', ')']).ends_with('.');
    if initial {
        return false;
    }
    let w = word
        .trim_matches(|c: char| !(c.is_alphanumeric() || matches!(c, '%' | '/' | '°')))
        .to_lowercase();
    if w.is_empty() {
        return false;
    }
    // "m3/s", "km/h": a unit per another; "m3", "km²": a unit to a power.
    let base = w.split('/').next().unwrap_or_default();
    let base = base.trim_end_matches(['2', '3', '²', '³']);
    UNITS.contains(&w.as_str()) || (!base.is_empty() && base != w && UNITS.contains(&base))
}

/// Words ending in "s" that are no plural nouns.
const NOT_PLURALS: &[&str] = &[
    "always",
    "perhaps",
    "does",
    "goes",
    "towards",
    "afterwards",
    "onwards",
    "besides",
    "whereas",
    "thus",
    "plus",
    "unless",
    "across",
    "this",
    "sometimes",
    "nevertheless",
    "regardless",
];

/// A word that can only be a counted plural: lower-case, ending in a plural "s" ("soldiers",
/// "ships"), or a plural without one ("men").
fn is_counted(t: &Token) -> bool {
    let w = t.core;
    if !w.chars().all(|c| c.is_ascii_lowercase()) || NOT_PLURALS.contains(&w) {
        return false;
    }
    IRREGULAR_PLURALS.contains(&w)
        || (w.len() >= 4
            && w.ends_with('s')
            && !["ss", "us", "is", "ous"].iter().any(|e| w.ends_with(e)))
}

/// Words after which a number is read as a year even before a plural ("in 1990 scientists",
/// "the 1990 elections").
const TIME_PREPOSITIONS: &[&str] = &[
    "in", "on", "at", "since", "by", "from", "to", "until", "till", "through", "after", "before",
    "during", "between", "early", "mid", "late", "the", "c", "ca", "circa", "year",
];

/// True when token `i` is introduced as a time: by a preposition of time, a month, a season, a
/// possessive ("Britain's 1756 declaration") or another year ("1754, 1755 and 1756").
fn time_context(toks: &[Token], i: usize) -> bool {
    let Some(prev) = i.checked_sub(1).map(|p| &toks[p]) else {
        return false;
    };
    let lower = prev.core.to_lowercase();
    let listed = |k: usize| {
        i.checked_sub(k)
            .and_then(|p| toks.get(p))
            .is_some_and(|t| year_of(t).is_some())
    };
    TIME_PREPOSITIONS.contains(&lower.as_str())
        || month_of(prev.core).is_some()
        || season_of(prev.core).is_some()
        || lower.ends_with("'s")
        || lower.ends_with("’s")
        || listed(1)
        || (matches!(lower.as_str(), "and" | "or") && listed(2))
}

/// True when the number at token `i` measures or counts something: a unit follows it, or, when
/// nothing says it is a time (`timed`), a counted plural does ("1500 soldiers").
fn counts(toks: &[Token], i: usize, timed: bool) -> bool {
    let t = &toks[i];
    if t.raw
        .trim_end_matches(['.', ',', ';', ':', ')'])
        .ends_with('%')
    {
        return true;
    }
    let Some(next) = toks.get(i + 1).filter(|_| glued(toks, i + 1)) else {
        return false;
    };
    if is_unit(next.raw) {
        return true;
    }
    if timed || time_context(toks, i) {
        return false;
    }
    is_counted(next)
}

/// True when token `k` follows the previous one with nothing but spaces between them, apart from
/// what its own word starts with ("1500 °C").
fn glued(toks: &[Token], k: usize) -> bool {
    let (Some(prev), Some(t)) = (k.checked_sub(1).and_then(|p| toks.get(p)), toks.get(k)) else {
        return false;
    };
    let lead = &t.raw[..t.raw.find(t.core).unwrap_or(0)];
    prev.raw.ends_with(prev.core) && t.gap.trim() == lead
}

/// A range of years written as one token: "1754–1763", "1754-63", "1999–2000".
fn year_range_of(t: &Token) -> Option<(i32, i32)> {
    let (a, b) = t.core.split_once(['-', '–', '—'])?;
    let part = |s| Token {
        core: s,
        raw: s,
        ..*t
    };
    let ya = year_of(&part(a))?;
    let yb = match b.len() {
        4 => year_of(&part(b))?,
        2 if b.bytes().all(|c| c.is_ascii_digit()) => {
            let short: i32 = b.parse().ok()?;
            let century = ya - ya % 100;
            if short > ya % 100 {
                century + short
            } else {
                century + 100 + short
            }
        }
        _ => return None,
    };
    (ya < yb).then_some((ya, yb))
}

/// A range of plain numbers written as one token, for an era after it: "221–206" (BC).
fn number_range_of(t: &Token) -> Option<(i64, i64)> {
    if attached(t) {
        return None;
    }
    let (a, b) = t.core.split_once(['-', '–', '—'])?;
    Some((number_in(a)?, number_in(b)?))
}

fn lower(t: Option<&Token>) -> String {
    t.map(|t| t.core.to_lowercase()).unwrap_or_default()
}

/// True when a range is written between token `j - 1` and token `j`: a dash standing on its
/// own ("1754 – 1763").
fn dash_before(toks: &[Token], j: usize) -> bool {
    toks.get(j)
        .is_some_and(|t| t.gap.trim().chars().any(|c| matches!(c, '-' | '–' | '—')))
        && toks[j]
            .gap
            .trim()
            .chars()
            .all(|c| matches!(c, '-' | '–' | '—'))
}

/// What a date written at some token gives.
#[derive(Clone, Copy, Debug)]
struct Read {
    date: Date,
    /// Tokens used.
    used: usize,
    /// The explicit year named, which later references resolve against.
    year: Option<i32>,
    /// True when the year came from the reader, not the text ("November 22").
    relative: bool,
}

impl Read {
    fn point(p: Point, used: usize) -> Read {
        Read {
            date: Date::Point(p),
            used,
            year: p.year(),
            relative: false,
        }
    }

    fn years(a: i32, b: i32, used: usize) -> Read {
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
struct Context {
    /// A year later in the phrase: "from June to August 2015" gives June its year.
    year_hint: Option<i32>,
    /// An era later in the phrase: "from 221 to 206 BC" makes 221 a year BC.
    era_hint: Option<Era>,
    /// The last explicit year read, for "the eighties".
    anchor: Option<i32>,
    /// The last explicit year read when it came with a month or day, for "November 22".
    day_anchor: Option<i32>,
    /// True when the phrase already says this is a time ("from …", "between … and"), so a
    /// plural after the number does not make it a count.
    timed: bool,
}

/// The date written at `toks[i..]`, if any.
fn date_at(toks: &[Token], i: usize, cx: Context) -> Option<Read> {
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
fn centuries_at(toks: &[Token], i: usize) -> Option<Read> {
    // The words of the next few tokens, compounds split at their hyphens; a dash between two
    // ordinals ("11th–13th") or standing on its own reads "to".
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
    let mut ordinals: Vec<i32> = Vec::new();
    let mut w = 0;
    let mut unit = None;
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
                unit = Some(word.starts_with('c'));
                break;
            }
            "early" | "mid" | "middle" | "late" | "the" | "and" | "or" | "to" | "through" | "" => {}
            other => match ordinal_of(other) {
                Some(n) => ordinals.push(n),
                None => return None,
            },
        }
        w += 1;
    }
    let century = unit?;
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

/// "spring 1755", "the summer of 1329", "the winter of 1973–74".
fn season_at(toks: &[Token], i: usize) -> Option<Read> {
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
fn era_year_at(toks: &[Token], i: usize, cx: Context) -> Option<Read> {
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
fn decade_word_at(toks: &[Token], i: usize, cx: Context) -> Option<Read> {
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
fn year_range_at(toks: &[Token], i: usize, cx: Context) -> Option<Read> {
    let (a, b) = year_range_of(&toks[i])?;
    (!counts(toks, i, cx.timed)).then(|| Read::years(a, b, 1))
}

/// A day, month, year, decade or "the 1800s" at `toks[i..]`; a day and month with no year take
/// the reader's ("on November 22").
fn point_at(toks: &[Token], i: usize, cx: Context) -> Option<Read> {
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
fn year_ahead(toks: &[Token], i: usize, window: usize) -> Option<i32> {
    toks.iter().skip(i).take(window).find_map(year_of)
}

/// The era a range of bare numbers ends with: "221 to 206 BC", "between 221 and 206 BC".
fn era_ahead(toks: &[Token], i: usize) -> Option<Era> {
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
fn quantity_span(toks: &[Token], i: usize) -> Option<usize> {
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
    /// True when the last explicit year came with a month or a day: a chronology the text
    /// goes on with ("On October 16, 1973 … On November 22, …").
    calendar: bool,
}

impl Reader {
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

/// Nouns that name a stretch of history after a preposition of time and a determiner or name:
/// "during the reign of Kublai", "since the Sui and Tang dynasties", "in Roman times".
const ERA_NOUNS: &[&str] = &[
    "era",
    "eras",
    "epoch",
    "reign",
    "reigns",
    "dynasty",
    "dynasties",
    "period",
    "times",
    "war",
    "wars",
    "revolution",
    "administration",
    "presidency",
    "premiership",
];

/// Prepositions that put what follows in time.
const WHEN_PREPOSITIONS: &[&str] = &[
    "during",
    "in",
    "under",
    "since",
    "before",
    "after",
    "until",
    "till",
    "throughout",
    "by",
    "from",
    "at",
];

/// Words that name a time of history by themselves.
const ERA_WORDS: &[&str] = &[
    "medieval",
    "prehistoric",
    "prehistory",
    "antiquity",
    "neolithic",
    "paleolithic",
    "palaeolithic",
    "mesolithic",
    "chalcolithic",
];

/// Units of time, for "years ago" and "the following year".
const TIME_NOUNS: &[&str] = &[
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "decade",
    "decades",
    "century",
    "centuries",
    "millennium",
    "millennia",
    "spring",
    "summer",
    "autumn",
    "winter",
];

/// True when the text names a time, dated or not: any date [`recognise`] reads, and times no
/// calendar places without an anchor: "74,000 years ago", "12 kya", "during the reign of
/// Kublai", "in the Middle Ages", "in the Pleistocene", "on November 22", "in March", "in
/// winter", "the following year".
pub fn names_a_time(text: &str) -> bool {
    !recognise(text).is_empty() || names_an_undated_time(text)
}

/// True when the text names a time no calendar places without an anchor (see
/// [`names_a_time`]); for a sentence whose dates were read already.
pub fn names_an_undated_time(text: &str) -> bool {
    let toks = tokens(text);
    (0..toks.len()).any(|i| undated_at(&toks, i))
}

/// An undated time written at token `i`.
fn undated_at(toks: &[Token], i: usize) -> bool {
    let t = &toks[i];
    let w = t.core.to_lowercase();
    let prev = |k: usize| {
        i.checked_sub(k)
            .map(|p| lower(toks.get(p)))
            .unwrap_or_default()
    };
    let capital = t.core.starts_with(|c: char| c.is_uppercase());
    // After a preposition of time, past "the" and "early", "mid", "late".
    let introduced = || {
        (1..=3).any(|k| {
            WHEN_PREPOSITIONS.contains(&prev(k).as_str())
                && (1..k).all(|j| matches!(prev(j).as_str(), "the" | "early" | "mid" | "late"))
        })
    };
    let number_before = || {
        i.checked_sub(1)
            .is_some_and(|p| number_of(&toks[p]).is_some() || toks[p].core.contains('.'))
    };
    match w.as_str() {
        // "74,000 years ago", "a century ago", "long ago"
        "ago" => TIME_NOUNS.contains(&prev(1).as_str()) || prev(1) == "long",
        "bp" | "kya" | "mya" => number_before(),
        _ if ERA_WORDS.contains(&w.as_str()) => true,
        // "the Pleistocene", "the Holocene"
        _ if capital && w.len() > 6 && w.ends_with("ocene") => true,
        // "in March", "by June"; "on November 22"
        _ if capital_month(t).is_some() => {
            introduced() || toks.get(i + 1).and_then(day_of).is_some()
        }
        // "in spring", "during the winter"
        _ if season_of(&w).is_some() => introduced(),
        // "the same year", "the following spring", "later that year"
        _ if TIME_NOUNS.contains(&w.as_str()) => matches!(
            prev(1).as_str(),
            "same" | "following" | "next" | "previous" | "preceding" | "that"
        ),
        // "the Bronze Age", "the Middle Ages"
        "age" | "ages" => {
            capital
                && i.checked_sub(1)
                    .is_some_and(|p| toks[p].core.starts_with(|c: char| c.is_uppercase()))
        }
        _ if ERA_NOUNS.contains(&w.as_str()) => {
            // A preposition of time two to five words before, within the clause: "during his
            // reign", not "uninterested in administration".
            (2..=5).any(|k| {
                i.checked_sub(k).is_some_and(|p| {
                    WHEN_PREPOSITIONS.contains(&lower(toks.get(p)).as_str())
                        && (p + 1..=i).all(|q| !toks[q].gap.contains([',', ';', ':', '.']))
                })
            })
        }
        _ => false,
    }
}
