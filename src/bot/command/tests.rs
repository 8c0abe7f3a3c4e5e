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

#[test]
fn an_attachment_is_checked_before_it_is_downloaded() {
    let file = |name: &str, size: u64| Attachment {
        file_name: name.into(),
        size,
        url: "https://cdn.discordapp.com/attachments/1/2/x".into(),
        bytes: None,
    };
    let add = |file: Attachment, extra: &[(&str, &str)]| {
        let mut options = vec![
            ("action".to_string(), OptionValue::Text("add".into())),
            ("file".to_string(), OptionValue::File(file)),
        ];
        options.extend(
            extra
                .iter()
                .map(|(k, v)| (k.to_string(), OptionValue::Text(v.to_string()))),
        );
        Request::from_slash("document", &options)
    };
    let added = add(
        file("Dam.md", 900),
        &[("title", " The Dam "), ("author", "")],
    )
    .unwrap();
    assert_eq!(
        added.command,
        Command::AddDocument {
            file: Box::new(file("Dam.md", 900)),
            meta: Box::new(Metadata {
                title: Some("The Dam".into()),
                ..Metadata::default()
            }),
        }
    );
    assert!(added.command.is_slow() && added.command.is_moderation());
    let refused = |file: Attachment, extra: &[(&str, &str)]| add(file, extra).unwrap_err().0;
    assert!(refused(file("dam.png", 9), &[]).contains("not a document"));
    assert!(refused(file("dam.pdf", 9 << 20), &[]).contains("too large"));
    assert!(refused(file("dam.txt", 9), &[("url", "ftp://x")]).contains("`url` is not"));
    let missing = Request::from_slash(
        "document",
        &[("action".into(), OptionValue::Text("add".into()))],
    );
    assert!(missing.unwrap_err().0.contains("needs `file`"));
    // The console has no attachments: the same usage error.
    assert!(
        Request::from_line("/document add")
            .unwrap_err()
            .0
            .contains("needs `file`")
    );
}

#[test]
fn the_export_button_asks_for_a_file_of_its_own() {
    let export = Request::from_custom_id(&Request::export_id(30)).unwrap();
    assert_eq!(export.command, Command::ExportGaps { days: 30 });
    assert!(export.hide && !export.page_turn && export.command.is_moderation());
    for forged in ["c:0", "c:366", "c:", "c:-1", "c:7:1"] {
        assert!(Request::from_custom_id(forged).is_err(), "{forged}");
    }
}

/// One command of each kind. The match has no wildcard: a new kind of command does not compile
/// until it is listed here, and so checked by the test below.
fn one_of_each() -> Vec<Command> {
    let all = vec![
        Command::Ask {
            question: "q".into(),
            after: None,
        },
        Command::FollowUp {
            earlier: "q".into(),
        },
        Command::Search {
            query: "q".into(),
            limit: 5,
            offset: 0,
        },
        Command::Timeline {
            from: None,
            to: None,
            topic: String::new(),
            offset: 0,
        },
        Command::About,
        Command::Reindex,
        Command::Help,
        Command::Vote {
            question: 1,
            helpful: true,
            reason: None,
        },
        Command::Alias {
            add: true,
            term: "a".into(),
            also: "b".into(),
        },
        Command::Documents,
        Command::RemoveDocument { id: "d".into() },
        Command::AddDocument {
            file: Box::new(Attachment {
                file_name: "d.txt".into(),
                size: 1,
                url: String::new(),
                bytes: None,
            }),
            meta: Box::default(),
        },
        Command::History,
        Command::Gaps { days: 7, offset: 0 },
        Command::ExportGaps { days: 7 },
    ];
    for command in &all {
        match command {
            Command::Ask { .. }
            | Command::FollowUp { .. }
            | Command::Search { .. }
            | Command::Timeline { .. }
            | Command::About
            | Command::Reindex
            | Command::Help
            | Command::Vote { .. }
            | Command::Alias { .. }
            | Command::Documents
            | Command::RemoveDocument { .. }
            | Command::AddDocument { .. }
            | Command::History
            | Command::Gaps { .. }
            | Command::ExportGaps { .. } => {}
        }
    }
    all
}

/// A command registered only where moderators are (the admin guilds) is moderation, checked
/// before it runs; every other command is not: forgetting to mark a new moderator command
/// fails here, not in production.
#[test]
fn exactly_the_commands_registered_for_moderators_are_moderation() {
    use crate::bot::transport::interaction::{commands, moderator_commands};
    let names = |registered: Vec<serenity::all::CreateCommand>| -> Vec<String> {
        registered
            .iter()
            .map(|c| {
                serde_json::to_value(c).unwrap()["name"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let (public, moderation) = (names(commands()), names(moderator_commands()));
    assert!(!moderation.is_empty() && public.iter().all(|p| !moderation.contains(p)));
    for command in one_of_each() {
        let name = command.name().to_string();
        assert_eq!(
            command.is_moderation(),
            moderation.contains(&name),
            "{command:?}: registered for moderators only ⇔ checked as moderation"
        );
        if command.is_moderation() {
            assert!(
                Request::new(command).ephemeral(),
                "moderation is answered privately"
            );
        }
    }
    let covered: Vec<&str> = one_of_each().iter().map(Command::name).collect();
    for name in &moderation {
        assert!(
            covered.contains(&name.as_str()),
            "{name}: no command runs it"
        );
    }
}

#[test]
fn help_and_registration_show_every_declared_option_with_its_bounds() {
    use crate::bot::transport::interaction::{commands, moderator_commands};
    let help = slash::help();
    let registered: Vec<serde_json::Value> = commands()
        .iter()
        .chain(&moderator_commands())
        .map(|c| serde_json::to_value(c).unwrap())
        .collect();
    for s in slash::ALL {
        assert!(help.contains(&format!("/{}", s.name)), "{}", s.name);
        let command = registered.iter().find(|c| c["name"] == s.name).unwrap();
        let options: Vec<&serde_json::Value> = command["options"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|o| std::iter::once(o).chain(o["options"].as_array().into_iter().flatten()))
            .collect();
        for o in s.all_options().filter(|o| o.registered) {
            if o.name != "hide" {
                assert!(
                    help.contains(&format!("{}:", o.name)),
                    "/{} {}",
                    s.name,
                    o.name
                );
            }
            let got = options.iter().find(|r| r["name"] == o.name).unwrap();
            match o.kind {
                slash::Kind::Text { max, .. } => assert_eq!(got["max_length"], max),
                slash::Kind::Integer { min, max, .. } => {
                    assert_eq!(
                        (got["min_value"].clone(), got["max_value"].clone()),
                        (min.into(), max.into())
                    );
                }
                slash::Kind::Bool | slash::Kind::File => {}
            }
        }
    }
}

/// A command is one declaration: a throwaway one here is parsed within its own bounds, with no
/// other change anywhere.
#[test]
fn a_command_is_parsed_from_its_declaration_alone() {
    use slash::{Given, Kind, Opt, Slash};
    fn build(given: &Given) -> Result<Command, UsageError> {
        let limit = given.integer("count")? as usize;
        Ok(Command::Search {
            query: given.required("words")?,
            limit,
            offset: 0,
        })
    }
    const ECHO: Slash = Slash {
        name: "echo",
        description: "Say it again",
        options: &[
            Opt::text("words", "What to say", 10).required(),
            Opt {
                name: "count",
                description: "How often",
                kind: Kind::Integer {
                    min: 2,
                    max: 4,
                    default: 3,
                },
                required: false,
                registered: true,
            },
        ],
        actions: &[],
        moderation: false,
        help: "/echo words: … [count: 2-4]",
        build,
    };
    let run = |options: &[(&str, OptionValue)]| {
        let options: Vec<(String, OptionValue)> = options
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        (ECHO.build)(&Given::new(&ECHO, &options))
    };
    let words = |w: &str| ("words", OptionValue::Text(w.into()));
    assert_eq!(
        run(&[words("hi")]),
        Ok(Command::Search {
            query: "hi".into(),
            limit: 3,
            offset: 0
        })
    );
    let err = |options: &[(&str, OptionValue)]| run(options).unwrap_err().0;
    assert_eq!(
        err(&[words("hello world")]),
        "`words` is too long: at most 10 characters."
    );
    assert_eq!(
        err(&[words("hi"), ("count", OptionValue::Integer(5))]),
        "`count` must be between 2 and 4."
    );
    assert_eq!(err(&[]), "`/echo` needs `words`.");
    assert_eq!(ECHO.bare_order(None), ["words", "count"]);
}
