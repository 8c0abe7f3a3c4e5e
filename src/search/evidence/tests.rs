use super::*;

fn words(q: &str) -> Vec<String> {
    crate::corpus::words::plain_words(q).collect()
}

/// Checks a reading of single sentences against a table of sentences and what it gives.
fn each_sentence(reads: fn(&str) -> bool, table: &[(&str, bool)]) {
    for &(sentence, expected) in table {
        assert_eq!(reads(sentence), expected, "{sentence}");
    }
}

#[test]
fn quantities_are_counts_and_amounts_not_years_or_models() {
    let table = [
        ("Russia agreed to sell four MI 35 helicopters.", true),
        ("The cash outflow was worth $75bn.", true),
        ("Thousands of people attended.", true),
        ("It supplied 20 tanks.", true),
        ("In 1998 USA imposed sanctions on Pakistan.", false),
        ("Pakistan wants to buy the F-16 jets.", false),
        ("The MI 35 is a helicopter.", false),
        ("It was the 21st summit.", false),
        ("Relations improved after the visit.", false),
        ("The discharge is over 1,000 m3/s.", true),
        ("The Rhine flows 2000 kilometres.", true),
        ("OPEC raised the price by 70%.", true),
        ("Turbines run at 1800 RPM.", true),
        ("Around 1800 Trevithick built engines.", false),
    ];
    each_sentence(gives_quantity, &table);
}

#[test]
fn stretches_of_time_are_counted_units_or_a_start() {
    let table = [
        (
            "General Raheel Sharif visited Moscow for a three day official visit.",
            true,
        ),
        ("PM visited America for 23 days.", true),
        ("After more than nine years of war the Soviets left.", true),
        ("A three-day visit.", true),
        (
            "The embargo was enforced on Pakistan since Soviet era.",
            true,
        ),
        ("Relations stayed cold for decades.", true),
        ("In 1998 USA imposed sanctions on Pakistan.", false),
        ("The year 2015 was a turning point.", false),
        ("Russia agreed to sell four helicopters.", false),
        ("The visit was a success.", false),
    ];
    each_sentence(gives_duration, &table);
}

#[test]
fn amounts_of_money_are_currencies_with_numbers() {
    let table = [
        ("The outflow of cash is worth $75bn.", true),
        ("They signed a 2 billion dollars deal.", true),
        ("It cost Rs 500 crore.", true),
        ("The dollar weakened.", false),
        ("Russia agreed to sell four helicopters.", false),
        ("In 1998 USA imposed sanctions.", false),
    ];
    each_sentence(gives_money, &table);
}

#[test]
fn the_answer_stands_next_to_what_is_asked_for() {
    let q = words("Who was the army chief?");
    let table = [
        (
            QuestionKind::Quantity,
            "the US approved new eight",
            "to Pakistan.",
            true,
        ),
        (
            QuestionKind::Quantity,
            "participating in two major military",
            "with US forces.",
            true,
        ),
        (
            QuestionKind::Quantity,
            "In 1998 after the nuclear",
            "India did.",
            false,
        ),
        (
            QuestionKind::Quantity,
            "Russia will provide combat",
            "MI 35.",
            false,
        ),
        (
            QuestionKind::Who,
            "Russian Army’s Commander in",
            "Oleg Salyukov announced exercises.",
            true,
        ),
        (QuestionKind::Who, "Boris Volkhonsky,", "of Asia said", true),
        (
            QuestionKind::Who,
            "President Putin sent his Foreign",
            "to Pakistan.",
            false,
        ),
        (
            QuestionKind::Name,
            "joint military",
            "with Pakistan’s military.",
            false,
        ),
        (
            QuestionKind::Name,
            "the joint",
            "called “Friendship 2016”.",
            true,
        ),
    ];
    for (kind, before, after, expected) in table {
        assert_eq!(
            attached(kind, before, after, &q),
            expected,
            "{before} | {after}"
        );
    }
}

#[test]
fn what_a_sentence_holds_follows_the_question_kind() {
    let q = words("When did it happen?");
    let date = Date::parse_edtf("2014").into_iter().collect::<Vec<_>>();
    let s = "In 2014 Russia lifted the embargo.";
    assert_eq!(holds(QuestionKind::When, s, &date, &q), Some(true));
    assert_eq!(holds(QuestionKind::When, s, &[], &q), Some(false));
    // Times no calendar places answer "when" all the same.
    for undated in [
        "The supervolcano erupted 74,000 years ago.",
        "Paper money spread during the reign of Kublai.",
        "On November 22, Japan issued a statement.",
    ] {
        assert_eq!(
            holds(QuestionKind::When, undated, &[], &q),
            Some(true),
            "{undated}"
        );
    }
    assert_eq!(holds(QuestionKind::Money, s, &date, &q), Some(false));
    assert_eq!(holds(QuestionKind::Other, s, &date, &q), None);
    assert_eq!(
        holds(
            QuestionKind::Name,
            "The drills are called “Friendship 2016”.",
            &[],
            &q
        ),
        Some(true)
    );
}

#[test]
fn a_new_name_is_two_capitalised_words_the_question_lacks() {
    let q = words("Who visited Pakistan in 2007?");
    let table = [
        (
            "Russian Prime Minister Mikhail Fradkov visited Pakistan.",
            true,
        ),
        ("In 2007 relations started after the visit.", false),
        ("President Putin accepted the invitation.", false),
        ("M. Tahir Khan wrote it.", true),
        ("During February Pakistan and Russia met.", false),
    ];
    for (sentence, expected) in table {
        assert_eq!(names_someone_new(sentence, &q), expected, "{sentence}");
    }
    assert!(!names_someone_new(
        "Vladimir Putin visited.",
        &words("When did Vladimir Putin visit?")
    ));
}

#[test]
fn an_office_answers_who_unless_the_question_names_it() {
    assert!(names_a_role(
        "Putin sent his Foreign Minister to Pakistan.",
        &words("Who went to Pakistan?")
    ));
    assert!(!names_a_role(
        "Putin sent his Foreign Minister to Pakistan.",
        &words("Which minister went to Pakistan?")
    ));
    assert!(!names_a_role(
        "the minister went to Pakistan.",
        &words("Who went?")
    ));
}
