//! What single tokens are: months, seasons, years, days, decades, ordinals, eras, units of
//! measure, and whether a number counts or measures something rather than naming a year.

use super::Token;
use crate::corpus::date::MONTHS;

/// True for a month's name or its abbreviation ("June", "Sept."), in any case.
pub fn is_month(word: &str) -> bool {
    month_of(word).is_some()
}

pub(super) fn month_of(word: &str) -> Option<u8> {
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
pub(super) fn capital_month(t: &Token) -> Option<u8> {
    t.core
        .starts_with(|c: char| c.is_uppercase())
        .then(|| month_of(t.core))
        .flatten()
}

/// The EDTF code of a season's name (21 spring … 24 winter).
pub(super) fn season_of(word: &str) -> Option<u8> {
    match word.to_ascii_lowercase().as_str() {
        "spring" => Some(21),
        "summer" => Some(22),
        "autumn" | "fall" => Some(23),
        "winter" => Some(24),
        _ => None,
    }
}

/// True when the token is glued to a dash or slash ("F-16", "9/11", "-1998").
pub(super) fn attached(t: &Token) -> bool {
    t.raw.starts_with(['-', '–', '/'])
        || t.raw
            .trim_end_matches(['.', ',', ';', ':', '?', '!', ')'])
            .ends_with(['-', '–', '/'])
}

/// A bare four-digit year between 1000 and 2999, written as a word of its own.
pub(super) fn year_of(t: &Token) -> Option<i32> {
    let c = t.core;
    if c.len() == 4 && c.bytes().all(|b| b.is_ascii_digit()) && !attached(t) {
        let y: i32 = c.parse().ok()?;
        return (1000..3000).contains(&y).then_some(y);
    }
    None
}

/// A whole number as written: digits, thousands grouped by commas or not ("74,000", "1271").
pub(super) fn number_in(s: &str) -> Option<i64> {
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
pub(super) fn number_of(t: &Token) -> Option<i64> {
    if attached(t) {
        return None;
    }
    number_in(t.core)
}

pub(super) fn day_of(t: &Token) -> Option<u8> {
    let c = t.core.to_ascii_lowercase();
    let digits = c.trim_end_matches(|ch: char| ch.is_ascii_alphabetic());
    let suffix = &c[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    let d: u8 = digits.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

pub(super) fn decade_of(t: &Token) -> Option<i32> {
    let c = t.core.trim_end_matches(['\'', '’']);
    let c = c.strip_suffix('s')?.trim_end_matches(['\'', '’']);
    if c.len() == 4 && c.ends_with('0') && c.bytes().all(|b| b.is_ascii_digit()) {
        let y: i32 = c.parse().ok()?;
        return (1000..3000).contains(&y).then_some(y / 10);
    }
    None
}

/// "the 1800s" is the century 1800–1899; "the 2000s", like "the 1950s", is a decade.
pub(super) fn hundreds_of(t: &Token) -> Option<i32> {
    let d = decade_of(t)?;
    (d % 10 == 0 && d % 100 != 0).then_some(d / 10)
}

/// An era written next to a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Era {
    /// AD, CE.
    Ad,
    /// BC, BCE.
    Bc,
    /// BP: years before 1950.
    Bp,
}

impl Era {
    /// The year (numbered as EDTF numbers them) `n` years of this era name.
    pub(super) fn year(self, n: i64) -> Option<i32> {
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
pub(super) fn era_of(t: &Token) -> Option<Era> {
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
pub(super) const ORDINAL_WORDS: [&str; 20] = [
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
pub(super) fn ordinal_of(word: &str) -> Option<i32> {
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
pub(super) const DECADE_WORDS: [&str; 8] = [
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
pub(super) const HUNDRED_WORDS: [&str; 11] = [
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

/// A range of years written as one token: "1754–1763", "1754-63", "1999–2000".
pub(super) fn year_range_of(t: &Token) -> Option<(i32, i32)> {
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
pub(super) fn number_range_of(t: &Token) -> Option<(i64, i64)> {
    if attached(t) {
        return None;
    }
    let (a, b) = t.core.split_once(['-', '–', '—'])?;
    Some((number_in(a)?, number_in(b)?))
}

pub(super) fn lower(t: Option<&Token>) -> String {
    t.map(|t| t.core.to_lowercase()).unwrap_or_default()
}

/// True when a range is written between token `j - 1` and token `j`: a dash standing on its
/// own ("1754 – 1763").
pub(super) fn dash_before(toks: &[Token], j: usize) -> bool {
    toks.get(j)
        .is_some_and(|t| t.gap.trim().chars().any(|c| matches!(c, '-' | '–' | '—')))
        && toks[j]
            .gap
            .trim()
            .chars()
            .all(|c| matches!(c, '-' | '–' | '—'))
}
