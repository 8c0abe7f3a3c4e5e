use super::*;

#[test]
fn console_lines_become_the_same_commands_as_slash_commands() {
    let slash = Request::from_slash(
        "ask",
        &[(
            "question".into(),
            OptionValue::Text("when did Russia lift the embargo?".into()),
        )],
    )
    .unwrap();
    assert_eq!(
        Request::from_line("/ask question: when did Russia lift the embargo?").unwrap(),
        slash
    );
    assert_eq!(
        Request::from_line("when did Russia lift the embargo?").unwrap(),
        slash
    );
    let timeline = Request::from_line("/timeline from: 2014 to: 2015 topic: Putin visits").unwrap();
    assert_eq!(
        timeline.command,
        Command::Timeline {
            from: Date::parse_edtf("2014"),
            to: Date::parse_edtf("2015"),
            topic: "Putin visits".into(),
            offset: 0
        }
    );
    let search = Request::from_line("/search embargo limit: 3 hide: true").unwrap();
    assert!(search.hide);
    assert_eq!(
        search.command,
        Command::Search {
            query: "embargo".into(),
            limit: 3,
            offset: 0
        }
    );
    assert_eq!(
        Request::from_line("/about").unwrap().command,
        Command::About
    );
}

#[test]
fn bad_input_is_a_usage_error_for_the_user() {
    for line in [
        "/nope",
        "/ask",
        "/search x limit: 0",
        "/search x limit: many",
        "/timeline from: someday",
        "/timeline from: 2016 to: 2014",
        "/about extra words",
    ] {
        assert!(Request::from_line(line).is_err(), "{line} accepted");
    }
}

#[test]
fn page_state_travels_in_the_custom_id() {
    let search = Command::Search {
        query: "arms: embargo".into(),
        limit: 3,
        offset: 0,
    };
    let id = Request::page_id(&search, 3).unwrap();
    let back = Request::from_custom_id(&id).unwrap();
    assert!(back.page_turn);
    assert_eq!(
        back.command,
        Command::Search {
            query: "arms: embargo".into(),
            limit: 3,
            offset: 3
        }
    );
    let timeline = Command::Timeline {
        from: Date::parse_edtf("2014-06"),
        to: None,
        topic: "Putin".into(),
        offset: 0,
    };
    let id = Request::page_id(&timeline, 10).unwrap();
    match Request::from_custom_id(&id).unwrap().command {
        Command::Timeline {
            from,
            topic,
            offset,
            ..
        } => {
            assert_eq!(from, Date::parse_edtf("2014-06"));
            assert_eq!((topic.as_str(), offset), ("Putin", 10));
        }
        other => panic!("{other:?}"),
    }
    let long = Command::Search {
        query: "x".repeat(200),
        limit: 5,
        offset: 0,
    };
    assert_eq!(Request::page_id(&long, 5), None);
    for bad in ["", "s:", "s:x:5:q", "s:0:50:q", "t:0:never::", "zzz"] {
        assert!(Request::from_custom_id(bad).is_err(), "{bad}");
    }
}

/// The forged button ids of issue 11: each is refused before anything is allocated for it,
/// by the same decoding the gateway and the HTTP endpoint use.
#[test]
fn forged_button_ids_are_no_longer_valid() {
    let huge = format!("s:0:5:{}", "x".repeat(60 * 1024));
    for id in [
        "s:4294967295:5:Russia",
        "s:1000000000000:5:Russia",
        "t:1000000000:::",
        "t:5000000000:::",
        "s:18446744073709551610:5:Russia",
        "s:99999999999999999999999:5:Russia",
        "t:0:2016:2014:",
        "s:3:5:Russia",
        "s:+5:5:Russia",
        "s:0:5:   ",
        huge.as_str(),
    ] {
        let err = Request::from_custom_id(id).unwrap_err();
        assert_eq!(err.0, "That button is no longer valid.", "{id:.40}");
    }
    assert!(Request::from_custom_id(&format!("s:{MAX_OFFSET}:5:Russia")).is_ok());
}

#[test]
fn long_options_get_a_short_usage_reply() {
    let from = "9".repeat(5000);
    let err =
        Request::from_slash("timeline", &[("from".into(), OptionValue::Text(from))]).unwrap_err();
    assert!(err.0.len() < 80 && err.0.contains("at most 32"), "{err}");
    let err = Request::from_slash(
        "timeline",
        &[("from".into(), OptionValue::Text("x".repeat(DATE_MAX)))],
    )
    .unwrap_err();
    assert!(
        err.0.chars().count() < 120,
        "a bad value is echoed as an excerpt: {err}"
    );
    let question = "why ".repeat(200);
    let err = Request::from_slash("ask", &[("question".into(), OptionValue::Text(question))])
        .unwrap_err();
    assert!(err.0.contains("at most 500"), "{err}");
    assert_eq!(excerpt("abcdef", 3), "abc…");
    assert_eq!(excerpt("abc", 3), "abc");
}
