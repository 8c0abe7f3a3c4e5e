//! How `../shared/eval/score.py` matches, for the quality floors (`tests/quality.rs`) and the
//! weight tuning (`examples/tune.rs`): one copy, so the two agree.

use dossier::corpus::Date;

/// What the scorer does to text before matching: curly quotes and dashes made plain, spaces
/// collapsed, case folded.
pub fn norm(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{b4}' | '`' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}'
            | '\u{bb}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => '-',
            c => c,
        })
        .collect();
    mapped
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub fn contains_any(haystack: &str, needles: &[String], cap: usize) -> bool {
    let h: String = norm(haystack).chars().take(cap).collect();
    needles.iter().any(|n| h.contains(&norm(n)))
}

pub fn date_match(gold: &str, dates: &[Date], category: &str) -> bool {
    let gold_date = Date::parse_edtf(gold).expect("gold dates are EDTF");
    let range = category == "period" || gold.contains('/') || gold.to_lowercase().contains('x');
    dates.iter().take(3).any(|d| {
        (d.lo(), d.hi()) == (gold_date.lo(), gold_date.hi())
            || (range && gold_date.lo() <= d.lo() && d.hi() <= gold_date.hi())
    })
}
