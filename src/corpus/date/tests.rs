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
