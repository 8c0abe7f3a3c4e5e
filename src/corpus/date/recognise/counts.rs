//! Numbers that count or measure ("2000 kilometres", "killed 1500 soldiers", "68 years"),
//! which are never years.

use super::Token;
use super::words::*;

/// Units a number measures in: after one, the number is a measure, never a year ("2000
/// kilometres", "1,000 m3/s", "3000 years").
pub(super) const UNITS: &[&str] = &[
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
pub(super) const IRREGULAR_PLURALS: &[&str] = &[
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
pub(super) const NOT_PLURALS: &[&str] = &[
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
pub(super) fn is_counted(t: &Token) -> bool {
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
pub(super) const TIME_PREPOSITIONS: &[&str] = &[
    "in", "on", "at", "since", "by", "from", "to", "until", "till", "through", "after", "before",
    "during", "between", "early", "mid", "late", "the", "c", "ca", "circa", "year",
];

/// True when token `i` is introduced as a time: by a preposition of time, a month, a season, a
/// possessive ("Britain's 1756 declaration") or another year ("1754, 1755 and 1756").
pub(super) fn time_context(toks: &[Token], i: usize) -> bool {
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
pub(super) fn counts(toks: &[Token], i: usize, timed: bool) -> bool {
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
pub(super) fn glued(toks: &[Token], k: usize) -> bool {
    let (Some(prev), Some(t)) = (k.checked_sub(1).and_then(|p| toks.get(p)), toks.get(k)) else {
        return false;
    };
    let lead = &t.raw[..t.raw.find(t.core).unwrap_or(0)];
    prev.raw.ends_with(prev.core) && t.gap.trim() == lead
}
