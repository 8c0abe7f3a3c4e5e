use super::*;
use crate::corpus::{Date, Role};
use crate::search::{Answer, HitKind, QuestionKind, Snippet, TimelineEvent};

fn long_hit(paragraph: u32) -> Hit {
    let sentence =
        "In June 2014, Russia lifts arms embargo to Pakistan **and** @everyone <@1> pings. ";
    let text = sentence.repeat(200);
    Hit {
        kind: HitKind::Paragraph,
        document: "doc".into(),
        paragraph,
        answer: sentence.trim_end().into(),
        answer_range: sentence.len() * 3..sentence.len() * 4 - 1,
        dates: vec![Date::parse_edtf("2014-06").unwrap(); 40],
        score: 1.0,
        role: Role::Body,
        heading: Some("H".repeat(3000)),
        title: "T".repeat(3000),
        author: Some("A".repeat(3000)),
        url: Some(format!("https://example.org/{}", "x".repeat(3000))),
        answer_span: Some("June 2014".into()),
        matches: vec![0..6, 3..12, sentence.len() * 3..sentence.len() * 3 + 7],
        snippet: Some(Snippet {
            fragment: text[..4000].to_string(),
            highlighted: vec![0..2, 10..20, 5000..5001],
        }),
        text,
    }
}

fn assert_within_limits(m: &Message) {
    use super::super::limits::*;
    assert!(
        m.content
            .as_ref()
            .is_none_or(|c| c.chars().count() <= CONTENT)
    );
    let mut total = 0;
    for e in &m.embeds {
        let len = |s: &Option<String>| s.as_ref().map_or(0, |s| s.chars().count());
        assert!(len(&e.title) <= EMBED_TITLE);
        assert!(len(&e.description) <= EMBED_DESCRIPTION);
        assert!(len(&e.footer) <= FOOTER);
        assert!(e.fields.len() <= FIELDS);
        for f in &e.fields {
            assert!(f.name.chars().count() <= FIELD_NAME);
            assert!(f.value.chars().count() <= FIELD_VALUE);
        }
        total += e.chars();
    }
    assert!(total <= EMBEDS_TOTAL, "{total}");
    for b in &m.buttons {
        assert!(b.custom_id.chars().count() <= 100);
    }
}

fn reply(body: Body) -> Reply {
    Reply {
        ephemeral: false,
        body,
    }
}

#[test]
fn a_very_long_answer_stays_within_discord_limits() {
    let answer = Answer {
        question: "q ".repeat(3000),
        hits: (1..=5).map(long_hit).collect(),
        did_you_mean: Some("d".repeat(5000)),
        reason: None,
        explain: None,
        corrections: Vec::new(),
        kind: QuestionKind::When,
        understood_as: Some("u ".repeat(3000)),
        confidence: 0.9,
        nearest: Vec::new(),
    };
    let m = render(&reply(Body::Answer(answer, None)));
    assert_within_limits(&m);
    let description = m.embeds[0].description.as_ref().unwrap();
    assert!(description.contains("__"), "the answer sentence is marked");
    assert!(
        description.contains("**June 2014**"),
        "the phrase that answers is bold"
    );
    assert!(!description.contains("<@1>") && !description.contains("@everyone"));
}

#[test]
fn a_page_of_very_long_passages_stays_within_discord_limits() {
    let search = Command::Search {
        query: "embargo".into(),
        limit: 10,
        offset: 0,
    };
    let page = SearchPage {
        query: "embargo ".repeat(600),
        hits: (1..=10).map(long_hit).collect(),
        total: 57,
        offset: 0,
        did_you_mean: None,
    };
    let m = render(&reply(Body::Search {
        page,
        command: search,
        limit: 10,
    }));
    assert_within_limits(&m);
    assert_eq!(m.buttons.len(), 2);
    assert!(m.buttons[0].disabled && !m.buttons[1].disabled);
}

#[test]
fn many_long_events_and_a_long_error_stay_within_discord_limits() {
    let events: Vec<TimelineEvent> = (0..TIMELINE_PAGE)
        .map(|i| TimelineEvent {
            date: Date::parse_edtf("1988/2001").unwrap(),
            text: format!("{i} ") + &"A long event sentence. ".repeat(300),
            document: "doc".into(),
            paragraph: i as u32,
            sentence: String::new(),
            title: String::new(),
        })
        .collect();
    let timeline = Command::Timeline {
        from: None,
        to: None,
        topic: "t".repeat(95),
        offset: 0,
    };
    let m = render(&reply(Body::Timeline {
        page: TimelinePage {
            events,
            total: 500,
            offset: 0,
        },
        command: timeline,
        charted: None,
    }));
    assert_within_limits(&m);
    // The topic is too long to travel in a button id: no buttons rather than broken ones.
    assert!(m.buttons.is_empty());
    assert!(
        m.embeds[0]
            .description
            .as_ref()
            .unwrap()
            .contains("**1988–2001**")
    );
    let m = render(&Reply::notice(Notice::Error, "x".repeat(10_000)));
    assert_within_limits(&m);
    assert!(m.ephemeral);
}
