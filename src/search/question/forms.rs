//! Other forms of one English word: spellings ("neighbour", "neighbor"), inflections
//! ("recognise", "recognized"), irregular verbs ("send", "sent") and the place a demonym names
//! ("Asian", "Asia"). A real word the documents lack is looked for in these forms, never
//! turned into another word.

/// Endings spelt two ways (British and American, transliterations), as (one, other), with
/// how many letters must come before them: "colour" but not "four", "recognise" but not
/// "prise", "centre" but not "tre".
const SPELLINGS: &[(&str, &str, usize)] = &[
    ("our", "or", 3),
    ("ise", "ize", 3),
    ("ised", "ized", 3),
    ("ises", "izes", 3),
    ("ising", "izing", 3),
    ("isation", "ization", 3),
    ("yse", "yze", 3),
    ("ence", "ense", 2),
    ("ences", "enses", 2),
    ("tre", "ter", 2),
    ("tres", "ters", 2),
    ("ogue", "og", 3),
    ("ei", "ey", 3),
];

/// `word` with its ending spelt the second way, when it ends the first way.
fn one_spelling(word: &str) -> String {
    for (british, american, before) in SPELLINGS {
        if let Some(stem) = word.strip_suffix(british)
            && stem.chars().count() >= *before
        {
            return format!("{stem}{american}");
        }
    }
    // "neighbours", "colours": the ending before a plural.
    if let Some(stem) = word.strip_suffix("ours")
        && stem.chars().count() >= 3
    {
        return format!("{stem}ors");
    }
    word.to_string()
}

/// Whether `a` and `b` are one word spelt two ways, perhaps inflected differently
/// ("neighbour", "neighbor"; "defence", "defense"; "recognise", "recognized"; "sergei",
/// "sergey"). Inflection alone does not count: the stemmer matches "engines" to "engine".
pub(super) fn spelt_otherwise(a: &str, b: &str) -> bool {
    let (x, y) = (one_spelling(a), one_spelling(b));
    if (x == a && y == b) || a == b {
        return false;
    }
    let inflected = |x: &str, y: &str| {
        ["s", "es", "ed"]
            .iter()
            .any(|s| y.strip_suffix(s) == Some(x))
            || (x.ends_with('e') && y.strip_suffix('d') == Some(x))
    };
    x == y || inflected(&x, &y) || inflected(&y, &x)
}

/// Common irregular verbs, each with its forms.
const IRREGULAR: &[&[&str]] = &[
    &["become", "became"],
    &["begin", "began", "begun"],
    &["break", "broke", "broken"],
    &["bring", "brought"],
    &["build", "built"],
    &["buy", "bought"],
    &["catch", "caught"],
    &["choose", "chose", "chosen"],
    &["come", "came"],
    &["deal", "dealt"],
    &["draw", "drew", "drawn"],
    &["drive", "drove", "driven"],
    &["fall", "fell", "fallen"],
    &["feel", "felt"],
    &["fight", "fought"],
    &["find", "found"],
    &["flee", "fled"],
    &["fly", "flew", "flown"],
    &["forbid", "forbade", "forbidden"],
    &["get", "got", "gotten"],
    &["give", "gave", "given"],
    &["go", "went", "gone"],
    &["grow", "grew", "grown"],
    &["hear", "heard"],
    &["hold", "held"],
    &["keep", "kept"],
    &["know", "knew", "known"],
    &["lead", "led"],
    &["leave", "left"],
    &["lend", "lent"],
    &["lose", "lost"],
    &["make", "made"],
    &["mean", "meant"],
    &["meet", "met"],
    &["pay", "paid"],
    &["run", "ran"],
    &["say", "said"],
    &["seek", "sought"],
    &["sell", "sold"],
    &["send", "sent"],
    &["shake", "shook", "shaken"],
    &["shoot", "shot"],
    &["speak", "spoke", "spoken"],
    &["spend", "spent"],
    &["stand", "stood"],
    &["steal", "stole", "stolen"],
    &["strike", "struck"],
    &["take", "took", "taken"],
    &["teach", "taught"],
    &["tell", "told"],
    &["think", "thought"],
    &["throw", "threw", "thrown"],
    &["understand", "understood"],
    &["win", "won"],
    &["withdraw", "withdrew", "withdrawn"],
    &["write", "wrote", "written"],
];

/// The other forms of an irregular verb ("sent" for "send").
pub(super) fn irregular_forms(word: &str) -> Vec<&'static str> {
    IRREGULAR
        .iter()
        .filter(|forms| forms.contains(&word))
        .flat_map(|forms| forms.iter().copied().filter(|f| *f != word))
        .collect()
}

/// The places a demonym or an adjective of direction may name: "asian" → "asia", "chinese" →
/// "china", "pakistani" → "pakistan", "western" → "west". Only names the documents
/// capitalise count, so "median" does not become "media".
pub(super) fn place_names(word: &str) -> Vec<String> {
    let word = word.strip_suffix('s').unwrap_or(word);
    let mut out = Vec::new();
    if let Some(base) = word.strip_suffix('n')
        && base.ends_with('a')
    {
        out.push(base.to_string());
    }
    if let Some(base) = word.strip_suffix("ian")
        && base.chars().count() >= 4
    {
        out.push(base.to_string());
        out.push(format!("{base}y"));
    }
    if let Some(base) = word.strip_suffix("ese")
        && base.chars().count() >= 3
    {
        out.push(base.to_string());
        out.push(format!("{base}a"));
    }
    if let Some(base) = word.strip_suffix('i')
        && base.chars().count() >= 4
    {
        out.push(base.to_string());
    }
    if let Some(base) = word.strip_suffix("ern")
        && ["east", "west", "north", "south"].contains(&base)
    {
        out.push(base.to_string());
    }
    out
}
