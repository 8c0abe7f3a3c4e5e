use super::*;

fn edtfs(text: &str) -> Vec<String> {
    recognise(text).into_iter().map(|m| m.date.edtf()).collect()
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
    let mut reader = Reader::default();
    let first = reader.read("In 2010, United States extended its relationships.");
    assert_eq!(first[0].date.edtf(), "2010");
    let second = reader.read("In the same year Russian President Vladimir Putin");
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].date.edtf(), "2010");
    assert!(second[0].relative);
    assert!(recognise("In the same year nothing").is_empty());
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

/// Checks what the recogniser reads in each text, as EDTF.
fn each_reads(table: &[(&str, &[&str])]) {
    for (text, want) in table {
        assert_eq!(edtfs(text), *want, "{text}");
    }
}

#[test]
fn centuries_and_millennia_in_numbers_and_words() {
    each_reads(&[
        ("printing spread in the 11th century", &["10XX"]),
        ("a 13th-century manuscript", &["12XX"]),
        ("the nineteenth century saw railways", &["18XX"]),
        ("in the early 18th century", &["17XX"]),
        ("until the late 18th century", &["../17XX"]),
        ("the mid-19th-century engines", &["18XX"]),
        ("the twenty-first century", &["20XX"]),
        ("early twentieth-century designs", &["19XX"]),
        ("the 18th and 19th centuries", &["17XX/18XX"]),
        ("the 11th–13th centuries", &["10XX/12XX"]),
        ("in the first century AD", &["00XX"]),
        ("the 5th century BC", &["-0499/-0400"]),
        ("the second millennium BC", &["-1999/-1000"]),
        ("the 1800s", &["18XX"]),
        ("in the early 1900s", &["19XX"]),
        // "the 2000s", like "the 1950s", is a decade.
        ("the 2000s", &["200X"]),
    ]);
}

#[test]
fn years_with_an_era_and_before_present() {
    each_reads(&[
        ("Augustus died in AD 14", &["0014"]),
        ("Augustus died in 14 AD", &["0014"]),
        ("in A.D. 1271 the dynasty", &["1271"]),
        ("Caesar was killed in 44 BC", &["-0043"]),
        ("around 500 BCE", &["-0499"]),
        ("in 300 CE", &["0300"]),
        ("the Qin ruled 221–206 BC", &["-0220/-0205"]),
        ("the Qin ruled from 221 to 206 BC", &["-0220/-0205"]),
        ("from 27 BC – AD 14", &["-0026/0014"]),
        ("the eruption about 74,000 BP", &["Y-72050"]),
        ("dated to 12,000 years BP", &["Y-10050"]),
        ("dated to 3,000 cal BP", &["-1050"]),
        ("10,000 years before present", &["-8050"]),
    ]);
}

#[test]
fn decades_in_words_take_the_century_read_last() {
    each_reads(&[
        ("music of the eighties", &["198X"]),
        ("in the late seventies", &["197X"]),
        ("the '80s", &["198X"]),
        ("the 80s", &["198X"]),
        ("the mid-nineties", &["199X"]),
        ("the nineteen-sixties", &["196X"]),
    ]);
    let mut reader = Reader::default();
    reader.read("The company was founded in 1885.");
    let later = reader.read("In the nineties it grew.");
    assert_eq!(later[0].date.edtf(), "189X");
    // An age is no decade.
    for text in ["a woman in her eighties", "he was in his 80s"] {
        assert_eq!(edtfs(text), Vec::<String>::new(), "{text}");
    }
}

#[test]
fn seasons_with_a_year() {
    each_reads(&[
        ("in spring 1755 the army marched", &["1755-21"]),
        ("in the spring of 1329 he founded", &["1329-21"]),
        ("the summer of 1972", &["1972-22"]),
        ("in autumn 1991", &["1991-23"]),
        ("in the fall of 1755", &["1755-23"]),
        ("over the winter of 1973–74", &["1973-24"]),
    ]);
}

#[test]
fn ranges_in_every_common_form() {
    each_reads(&[
        ("the war of 1754–1763", &["1754/1763"]),
        ("the war of 1754-63", &["1754/1763"]),
        ("the 1999–2000 season", &["1999/2000"]),
        ("the 1999–00 season", &["1999/2000"]),
        ("the war (1754 – 1763) ended", &["1754/1763"]),
        ("the Yuan ruled from 1271 to 1368", &["1271/1368"]),
        ("between 1754 and 1763", &["1754/1763"]),
        ("Temur ruled 1294 to 1307", &["1294/1307"]),
        ("from 1754–63 the colonies", &["1754/1763"]),
        ("From the late 1340s onwards", &["134X/.."]),
        ("from the 12th century to the 14th century", &["11XX/13XX"]),
        ("between the 5th century BC and AD 14", &["-0499/0014"]),
    ]);
}

#[test]
fn measures_and_counts_are_not_years() {
    for text in [
        "the Rhine flows 2000 kilometres",
        "a discharge of 1,000 m3/s",
        "a span of 1500 m above the sea",
        "temperatures approaching 1500 °C",
        "turbines run at 1800 RPM",
        "prices rose 2000%",
        "an army of 2000 soldiers",
        "he led 1500 men south",
        "about 1200 ships sailed",
        "a 1000 hp engine",
        "from 1000 to 2000 metres",
        "1000–2000 km long",
        "going back over 2000 years",
        "it weighs 1500 tonnes",
    ] {
        assert_eq!(edtfs(text), Vec::<String>::new(), "{text}");
    }
    // A year stays a year before a plural a time word introduces, or with a name beside it.
    each_reads(&[
        ("In 1990 scientists found it", &["1990"]),
        ("the 1990 elections", &["1990"]),
        (
            "the 1754, 1755 and 1756 campaigns",
            &["1754", "1755", "1756"],
        ),
        ("In 1944 W. Bush was born", &["1944"]),
        ("Around 1800 Richard Trevithick built", &["1800"]),
    ]);
}

#[test]
fn a_day_and_month_alone_take_the_year_of_the_chronology() {
    let mut reader = Reader::default();
    reader.read("On October 16, 1973, OPEC raised the price.");
    let later = reader.read("On November 22, Japan issued a statement.");
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].date.edtf(), "1973-11-22");
    assert!(later[0].relative);
    let earlier = reader.read("By 25 December the embargo eased.");
    assert_eq!(earlier[0].date.edtf(), "1973-12-25");
    // A bare year ("the 1967 borders") starts no chronology of days; nor does no year at all.
    let mut reader = Reader::default();
    reader.read("Israel kept the 1967 borders.");
    assert!(
        reader
            .read("By December 25, Japan changed its view.")
            .is_empty()
    );
    assert!(recognise("On November 22 Japan issued a statement").is_empty());
    assert!(recognise("it may 5 times").is_empty());
}

#[test]
fn undated_times_are_times_all_the_same() {
    for text in [
        "The eruption happened 74,000 years ago.",
        "Humans arrived a century ago.",
        "It happened long ago.",
        "during the reign of Kublai Khan",
        "since the Sui and Tang dynasties",
        "in the Middle Ages",
        "tools of the Bronze Age",
        "in Roman times",
        "during the Cold War",
        "in the Pleistocene",
        "a medieval castle",
        "On November 22 Japan issued a statement.",
        "The council met in March.",
        "The river floods in spring.",
        "The treaty was signed the following year.",
        "about 12 kya",
        "the 11th century",
    ] {
        assert!(names_a_time(text), "{text}");
    }
    for text in [
        "The Rhine flows north.",
        "The dynasty was founded by Kublai.",
        "You may come.",
        "the age of 13",
        "He wrote about the period.",
        "It weighs 2000 tonnes.",
    ] {
        assert!(!names_a_time(text), "{text}");
    }
}

#[test]
fn the_new_dates_round_trip_and_read_for_people() {
    let table = [
        ("10XX", "11th century"),
        ("00XX", "1st century"),
        ("20XX", "21st century"),
        ("1755-21", "spring 1755"),
        ("1991-23", "autumn 1991"),
        ("1973-24", "winter 1973–74"),
        ("0014", "AD 14"),
        ("-0043", "44 BC"),
        ("0000", "1 BC"),
        ("-0499/-0400", "500 BC–401 BC"),
        ("Y-72050", "74,000 BP"),
        ("17XX/18XX", "18th century–19th century"),
        ("-0043-03-15", "15 March 44 BC"),
    ];
    for (edtf, human) in table {
        let date = Date::parse_edtf(edtf).unwrap_or_else(|| panic!("{edtf}"));
        assert_eq!(date.edtf(), edtf);
        assert_eq!(date.to_string(), human, "{edtf}");
    }
    for s in ["-0000", "2015-25", "Y2015", "-10XX", "1XX", "Y-72a50"] {
        assert_eq!(Date::parse_edtf(s), None, "{s}");
    }
    // Days order across eras; a winter runs into the next year.
    let bc = Date::parse_edtf("-0043").unwrap();
    let ad = Date::parse_edtf("0014").unwrap();
    assert!(bc.hi() < ad.lo());
    assert!(Date::parse_edtf("Y-72050").unwrap().hi() < bc.lo());
    assert!(Date::parse_edtf("../1949").unwrap().overlaps(bc));
    let winter = Date::parse_edtf("1973-24").unwrap();
    assert!(winter.overlaps(Date::parse_edtf("1974-02").unwrap()));
    assert!(Date::parse_edtf("1754-63").is_none());
    assert!(
        Date::parse_edtf("1050")
            .unwrap()
            .within(Date::parse_edtf("10XX").unwrap())
    );
    assert_eq!(Date::parse_edtf("-0043").unwrap().span_days(), 372);
}

#[test]
fn user_filters_accept_centuries_and_eras() {
    let p = |s: &str| parse_user_date(s).map(Date::edtf);
    assert_eq!(p("the 13th century").as_deref(), Some("12XX"));
    assert_eq!(p("44 BC").as_deref(), Some("-0043"));
    assert_eq!(p("spring 1755").as_deref(), Some("1755-21"));
    assert_eq!(p("1754–63").as_deref(), Some("1754/1763"));
}
